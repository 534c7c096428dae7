//! Per-task distributions of poll time and scheduling delay, kept small:
//! log2 buckets of nanoseconds, only the span of buckets that were hit,
//! and no allocation while the counters fit in place.

/// Bucket 0 holds values below 1 µs; bucket `b` holds `[2^(9+b), 2^(10+b))`
/// ns; the last one holds everything from about 4 s up.
pub const BUCKETS: usize = 24;
const FIRST_BOUND_LOG2: u32 = 10;

/// The bucket a value falls in.
#[must_use]
pub fn bucket_of(ns: u64) -> usize {
    if ns < (1 << FIRST_BOUND_LOG2) {
        return 0;
    }
    let log2 = 63 - ns.leading_zeros();
    usize::try_from(log2 - FIRST_BOUND_LOG2 + 1)
        .unwrap_or(BUCKETS - 1)
        .min(BUCKETS - 1)
}

/// The smallest value that no longer falls in `bucket` (its exclusive upper
/// bound); `u64::MAX` for the last bucket.
#[must_use]
pub fn bucket_bound(bucket: usize) -> u64 {
    if bucket + 1 >= BUCKETS {
        u64::MAX
    } else {
        1 << (FIRST_BOUND_LOG2 + u32::try_from(bucket).unwrap_or(0))
    }
}

/// Poll-time and scheduling-delay buckets of one task, over the spans of
/// buckets that were hit. Up to [`INLINE`] counters of at most 255 are kept
/// in place, enough for a task polled a few dozen times; beyond that they
/// move to one allocation of `u32`s.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskHistograms {
    store: Store,
}

/// In-place counters: as many as fit beside the spans in the 24 bytes the
/// heap form takes anyway.
pub const INLINE: usize = 19;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Store {
    /// `[poll span][sched span]` counters in place.
    Inline(Spans, [u8; INLINE]),
    /// The same, on the heap, once they no longer fit in place.
    Heap(Spans, Box<[u32]>),
}

impl Default for Store {
    fn default() -> Self {
        Store::Inline(Spans::default(), [0; INLINE])
    }
}

/// The buckets `first..first + len` of each distribution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Spans {
    poll_first: u8,
    poll_len: u8,
    sched_first: u8,
    sched_len: u8,
}

impl Spans {
    fn of(self, which: Distribution) -> (usize, usize) {
        let (first, len) = match which {
            Distribution::Poll => (self.poll_first, self.poll_len),
            Distribution::Sched => (self.sched_first, self.sched_len),
        };
        (usize::from(first), usize::from(len))
    }

    /// Where `which`'s counters start among both.
    fn offset(self, which: Distribution) -> usize {
        match which {
            Distribution::Poll => 0,
            Distribution::Sched => usize::from(self.poll_len),
        }
    }

    fn total(self) -> usize {
        usize::from(self.poll_len) + usize::from(self.sched_len)
    }

    /// The counter of `bucket`, if it lies in the span of `which`.
    fn index(self, which: Distribution, bucket: usize) -> Option<usize> {
        let (first, len) = self.of(which);
        let i = bucket.checked_sub(first).filter(|i| *i < len)?;
        Some(self.offset(which) + i)
    }

    /// From the first to the last bucket hit of each.
    fn hit(all: &Unpacked) -> Self {
        let span = |c: &[u32; BUCKETS]| {
            let first = c.iter().position(|n| *n > 0).unwrap_or(0);
            let end = c.iter().rposition(|n| *n > 0).map_or(first, |l| l + 1);
            let byte = |v: usize| u8::try_from(v).unwrap_or(u8::MAX);
            (byte(first), byte(end - first))
        };
        let (poll_first, poll_len) = span(&all[0]);
        let (sched_first, sched_len) = span(&all[1]);
        Spans {
            poll_first,
            poll_len,
            sched_first,
            sched_len,
        }
    }
}

/// Every bucket of both distributions, poll then sched.
type Unpacked = [[u32; BUCKETS]; 2];

/// Which of the two distributions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distribution {
    Poll,
    Sched,
}

impl Distribution {
    fn index(self) -> usize {
        match self {
            Distribution::Poll => 0,
            Distribution::Sched => 1,
        }
    }
}

impl TaskHistograms {
    pub fn record(&mut self, which: Distribution, ns: u64) {
        let bucket = bucket_of(ns);
        if let Some(i) = self.spans().index(which, bucket) {
            match &mut self.store {
                Store::Inline(_, counts) => {
                    if let Some(n) = counts.get_mut(i).filter(|n| **n < u8::MAX) {
                        *n += 1;
                        return;
                    }
                }
                Store::Heap(_, counts) => {
                    if let Some(n) = counts.get_mut(i) {
                        *n = n.saturating_add(1);
                        return;
                    }
                }
            }
        }
        // A bucket outside the spans, or a full in-place counter: lay the
        // counters out anew (at most a few dozen times in a task's life).
        let mut all = self.unpack();
        if let Some(n) = all[which.index()].get_mut(bucket) {
            *n = n.saturating_add(1);
        }
        self.store = Store::pack(&all);
    }

    fn spans(&self) -> Spans {
        match &self.store {
            Store::Inline(s, _) | Store::Heap(s, _) => *s,
        }
    }

    fn unpack(&self) -> Unpacked {
        let mut all = [[0; BUCKETS]; 2];
        for which in [Distribution::Poll, Distribution::Sched] {
            for (bucket, n) in self.buckets(which) {
                if let Some(slot) = all[which.index()].get_mut(bucket) {
                    *slot = n;
                }
            }
        }
        all
    }

    /// `(bucket, count)` over the span of `which`, zeros included.
    #[must_use]
    pub fn buckets(&self, which: Distribution) -> Vec<(usize, u32)> {
        let spans = self.spans();
        let (first, len) = spans.of(which);
        let range = spans.offset(which)..spans.offset(which) + len;
        let counts: Vec<u32> = match &self.store {
            Store::Inline(_, c) => c
                .get(range)
                .unwrap_or_default()
                .iter()
                .map(|n| u32::from(*n))
                .collect(),
            Store::Heap(_, c) => c.get(range).unwrap_or_default().to_vec(),
        };
        counts
            .into_iter()
            .enumerate()
            .map(|(i, n)| (first + i, n))
            .collect()
    }

    #[must_use]
    pub fn count(&self, which: Distribution) -> u64 {
        self.buckets(which).iter().map(|(_, n)| u64::from(*n)).sum()
    }

    /// The value below which `q` (0.0 to 1.0) of the samples fall, as the
    /// upper bound of the bucket that holds it, capped at `max`.
    #[must_use]
    pub fn percentile(&self, which: Distribution, q: f64, max: u64) -> Option<u64> {
        let total = self.count(which);
        if total == 0 {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (bucket, n) in self.buckets(which) {
            seen += u64::from(n);
            if seen >= rank {
                return Some(bucket_bound(bucket).min(max));
            }
        }
        Some(max)
    }

    /// Bytes allocated on the heap for the counters.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        match &self.store {
            Store::Inline(..) => 0,
            Store::Heap(_, c) => std::mem::size_of_val::<[u32]>(c),
        }
    }
}

impl Store {
    /// In place if the spans hit fit and no count passed 255.
    fn pack(all: &Unpacked) -> Self {
        let spans = Spans::hit(all);
        let counts = [Distribution::Poll, Distribution::Sched]
            .into_iter()
            .flat_map(|which| {
                let (first, len) = spans.of(which);
                all[which.index()].iter().skip(first).take(len).copied()
            });
        if spans.total() <= INLINE {
            let mut inline = [0u8; INLINE];
            let fits = inline
                .iter_mut()
                .zip(counts.clone())
                .all(|(slot, n)| u8::try_from(n).map(|n| *slot = n).is_ok());
            if fits {
                return Store::Inline(spans, inline);
            }
        }
        Store::Heap(spans, counts.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: u64 = 1_000;
    const MS: u64 = 1_000_000;

    #[test]
    fn buckets_are_powers_of_two_from_one_microsecond() {
        assert_eq!(bucket_of(0), 0);
        assert_eq!(bucket_of(1023), 0);
        assert_eq!(bucket_of(1024), 1);
        assert_eq!(bucket_of(2047), 1);
        assert_eq!(bucket_of(2048), 2);
        assert_eq!(bucket_of(u64::MAX), BUCKETS - 1);
        assert_eq!(bucket_bound(0), 1024);
        assert_eq!(bucket_bound(1), 2048);
        assert_eq!(bucket_bound(BUCKETS - 1), u64::MAX);
        for b in 0..BUCKETS - 1 {
            assert_eq!(bucket_of(bucket_bound(b)), b + 1);
            assert_eq!(bucket_of(bucket_bound(b) - 1), b);
        }
    }

    #[test]
    fn percentiles_come_from_known_polls() {
        let mut h = TaskHistograms::default();
        // 90 fast polls of 10 µs, 9 of 1 ms, one of 300 ms.
        for _ in 0..90 {
            h.record(Distribution::Poll, 10 * US);
        }
        for _ in 0..9 {
            h.record(Distribution::Poll, MS);
        }
        h.record(Distribution::Poll, 300 * MS);
        let max = 300 * MS;
        let p = |q| h.percentile(Distribution::Poll, q, max).expect("samples");
        // Upper bounds of the buckets holding 10 µs, 1 ms and 300 ms.
        assert_eq!(p(0.5), 16_384);
        assert_eq!(p(0.9), 16_384);
        assert_eq!(p(0.99), 1_048_576);
        assert_eq!(p(1.0), max, "capped at the true max");
        assert_eq!(h.count(Distribution::Poll), 100);
        assert_eq!(h.count(Distribution::Sched), 0);
        assert_eq!(h.percentile(Distribution::Sched, 0.5, 0), None);
    }

    #[test]
    fn a_task_polled_a_few_dozen_times_allocates_nothing() {
        assert_eq!(std::mem::size_of::<TaskHistograms>(), 24);
        let mut h = TaskHistograms::default();
        h.record(Distribution::Sched, 5 * US);
        h.record(Distribution::Poll, 100 * US);
        h.record(Distribution::Poll, 2 * US);
        for _ in 0..200 {
            h.record(Distribution::Poll, 100 * US);
        }
        h.record(Distribution::Sched, 5 * MS);
        assert_eq!(h.heap_bytes(), 0);
        let poll = h.buckets(Distribution::Poll);
        assert_eq!(poll.first(), Some(&(bucket_of(2 * US), 1)));
        assert_eq!(poll.last(), Some(&(bucket_of(100 * US), 201)));
        let sched = h.buckets(Distribution::Sched);
        assert_eq!(sched.first(), Some(&(bucket_of(5 * US), 1)));
        assert_eq!(sched.last(), Some(&(bucket_of(5 * MS), 1)));
        // The spans, zeros between included: 7 + 11 counters.
        assert_eq!(poll.len() + sched.len(), 18);
        assert_eq!(h.count(Distribution::Poll), 202);
    }

    #[test]
    fn counters_move_to_the_heap_when_a_count_passes_255_and_keep_counting() {
        let mut h = TaskHistograms::default();
        h.record(Distribution::Sched, 3 * US);
        for _ in 0..255 {
            h.record(Distribution::Poll, 10 * US);
        }
        assert_eq!(h.heap_bytes(), 0);
        h.record(Distribution::Poll, 10 * US);
        assert_eq!(h.heap_bytes(), 2 * 4);
        for _ in 0..100_000 {
            h.record(Distribution::Poll, 10 * US);
        }
        assert_eq!(
            h.buckets(Distribution::Poll),
            vec![(bucket_of(10 * US), 100_256)]
        );
        assert_eq!(h.buckets(Distribution::Sched), vec![(bucket_of(3 * US), 1)]);
    }

    #[test]
    fn counters_move_to_the_heap_when_the_spans_outgrow_the_room_in_place() {
        let mut h = TaskHistograms::default();
        h.record(Distribution::Poll, 500);
        h.record(Distribution::Poll, 100 * MS);
        let in_place = h.buckets(Distribution::Poll);
        assert_eq!(in_place.len(), bucket_of(100 * MS) + 1);
        assert_eq!(h.heap_bytes(), 0);
        h.record(Distribution::Sched, MS);
        h.record(Distribution::Sched, 2 * US);
        let sched_span = bucket_of(MS) - bucket_of(2 * US) + 1;
        assert_eq!(h.heap_bytes(), 4 * (in_place.len() + sched_span));
        assert_eq!(h.buckets(Distribution::Poll), in_place);
        assert_eq!(h.count(Distribution::Sched), 2);
        assert_eq!(
            h.percentile(Distribution::Poll, 1.0, 100 * MS),
            Some(100 * MS)
        );
    }
}
