//! Per-task distributions of poll time and scheduling delay, kept small:
//! log2 buckets of nanoseconds, and only the span of buckets that were
//! hit is allocated (a task polled a few times holds a few counters).

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

/// Poll-time and scheduling-delay buckets of one task. Both share one
/// allocation holding only the spans of buckets that were hit; nothing is
/// allocated before the first poll.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskHistograms {
    /// `[poll span][sched span]`.
    counts: Option<Box<[u32]>>,
    poll_first: u8,
    poll_len: u8,
    sched_first: u8,
    sched_len: u8,
}

/// Which of the two distributions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distribution {
    Poll,
    Sched,
}

impl TaskHistograms {
    pub fn record(&mut self, which: Distribution, ns: u64) {
        let bucket = u8::try_from(bucket_of(ns)).unwrap_or(u8::MAX);
        let (first, len) = self.span(which);
        let (new_first, new_len) = if len == 0 {
            (bucket, 1)
        } else {
            let lo = first.min(bucket);
            let hi = (first + len - 1).max(bucket);
            (lo, hi - lo + 1)
        };
        if (new_first, new_len) != (first, len) {
            self.resize(which, new_first, new_len);
        }
        let index = self.offset(which) + usize::from(bucket - new_first);
        if let Some(c) = self.counts.as_mut().and_then(|c| c.get_mut(index)) {
            *c = c.saturating_add(1);
        }
    }

    fn span(&self, which: Distribution) -> (u8, u8) {
        match which {
            Distribution::Poll => (self.poll_first, self.poll_len),
            Distribution::Sched => (self.sched_first, self.sched_len),
        }
    }

    fn offset(&self, which: Distribution) -> usize {
        match which {
            Distribution::Poll => 0,
            Distribution::Sched => usize::from(self.poll_len),
        }
    }

    /// Reallocates with `which` spanning `first..first + len` (a superset
    /// of its old span), keeping every count.
    fn resize(&mut self, which: Distribution, first: u8, len: u8) {
        let mut poll = self.dense(Distribution::Poll);
        let mut sched = self.dense(Distribution::Sched);
        let (old_first, _) = self.span(which);
        let target = match which {
            Distribution::Poll => &mut poll,
            Distribution::Sched => &mut sched,
        };
        let mut fresh = vec![0u32; usize::from(len)];
        let shift = usize::from(old_first.saturating_sub(first));
        if let Some(dst) = fresh.get_mut(shift..shift + target.len()) {
            dst.copy_from_slice(target);
        }
        *target = fresh;
        match which {
            Distribution::Poll => (self.poll_first, self.poll_len) = (first, len),
            Distribution::Sched => (self.sched_first, self.sched_len) = (first, len),
        }
        self.counts = Some(poll.into_iter().chain(sched).collect());
    }

    /// The counters of `which` over its span.
    fn dense(&self, which: Distribution) -> Vec<u32> {
        let offset = self.offset(which);
        let (_, len) = self.span(which);
        self.counts
            .as_deref()
            .and_then(|c| c.get(offset..offset + usize::from(len)))
            .map(<[u32]>::to_vec)
            .unwrap_or_default()
    }

    /// `(bucket, count)` over the allocated span of `which`, zeros included.
    #[must_use]
    pub fn buckets(&self, which: Distribution) -> Vec<(usize, u32)> {
        let (first, len) = self.span(which);
        let offset = self.offset(which);
        let Some(counts) = &self.counts else {
            return Vec::new();
        };
        counts
            .iter()
            .skip(offset)
            .take(usize::from(len))
            .enumerate()
            .map(|(i, n)| (usize::from(first) + i, *n))
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
        self.counts
            .as_ref()
            .map_or(0, |c| std::mem::size_of_val::<[u32]>(c))
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
    fn only_the_span_that_was_hit_is_allocated_and_counts_survive_growth() {
        let mut h = TaskHistograms::default();
        assert_eq!(h.heap_bytes(), 0);
        h.record(Distribution::Sched, 5 * US);
        h.record(Distribution::Poll, 100 * US);
        assert_eq!(h.heap_bytes(), 2 * 4);
        h.record(Distribution::Poll, 2 * US);
        h.record(Distribution::Poll, 100 * US);
        h.record(Distribution::Sched, 5 * MS);
        let poll = h.buckets(Distribution::Poll);
        assert_eq!(poll.first(), Some(&(bucket_of(2 * US), 1)));
        assert_eq!(poll.last(), Some(&(bucket_of(100 * US), 2)));
        let sched = h.buckets(Distribution::Sched);
        assert_eq!(sched.first(), Some(&(bucket_of(5 * US), 1)));
        assert_eq!(sched.last(), Some(&(bucket_of(5 * MS), 1)));
        assert_eq!(h.heap_bytes(), 4 * (poll.len() + sched.len()));
        assert_eq!(h.count(Distribution::Poll), 3);
    }
}
