use std::collections::VecDeque;

use crate::feed::RuntimeSample;

/// How many samples of history to keep for sparklines (a minute at 10/s).
pub const HISTORY: usize = 600;

/// Runtime figures: the latest sample, rates derived from the last two,
/// and a short history.
#[derive(Clone, Debug, Default)]
pub struct RuntimeState {
    latest: Option<RuntimeSample>,
    first: Option<RuntimeSample>,
    workers: Vec<WorkerState>,
    /// Busy share of all workers together, one value per sample.
    busy_history: VecDeque<f64>,
    global_queue_history: VecDeque<u64>,
    blocking_threads_history: VecDeque<u64>,
    alive_tasks_history: VecDeque<u64>,
    /// When each sample in the histories was taken.
    sampled_at_history: VecDeque<u64>,
}

/// One worker's figures, rates over the last sample interval.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkerState {
    /// 0.0 to 1.0.
    pub busy_ratio: f64,
    pub polls_per_s: f64,
    pub steals: u64,
    pub polls: u64,
    pub local_queue: u64,
    pub steals_per_s: f64,
    pub busy_history: VecDeque<f64>,
    pub polls_per_s_history: VecDeque<f64>,
    pub steals_per_s_history: VecDeque<f64>,
    pub local_queue_history: VecDeque<u64>,
}

fn push_capped<T>(q: &mut VecDeque<T>, v: T) {
    if q.len() == HISTORY {
        q.pop_front();
    }
    q.push_back(v);
}

#[allow(clippy::cast_precision_loss)] // ratios for display
fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        (num as f64 / den as f64).clamp(0.0, 1.0)
    }
}

#[allow(clippy::cast_precision_loss)] // rates for display
fn per_second(delta: u64, dt_ns: u64) -> f64 {
    if dt_ns == 0 {
        0.0
    } else {
        delta as f64 * 1e9 / dt_ns as f64
    }
}

impl RuntimeState {
    pub(crate) fn record(&mut self, sample: &RuntimeSample) {
        if self.first.is_none() {
            self.first = Some(sample.clone());
        }
        if let Some(prev) = &self.latest {
            let dt = sample.at.saturating_sub(prev.at);
            self.workers
                .resize_with(sample.workers.len(), WorkerState::default);
            let mut busy_sum = 0.0;
            for (i, (w, now)) in self.workers.iter_mut().zip(&sample.workers).enumerate() {
                let before = prev.workers.get(i).copied().unwrap_or_default();
                w.busy_ratio = ratio(now.busy_ns.saturating_sub(before.busy_ns), dt);
                w.polls_per_s = per_second(now.polls.saturating_sub(before.polls), dt);
                w.steals_per_s = per_second(now.steals.saturating_sub(before.steals), dt);
                w.steals = now.steals;
                w.polls = now.polls;
                w.local_queue = now.local_queue;
                push_capped(&mut w.busy_history, w.busy_ratio);
                push_capped(&mut w.polls_per_s_history, w.polls_per_s);
                push_capped(&mut w.steals_per_s_history, w.steals_per_s);
                push_capped(&mut w.local_queue_history, w.local_queue);
                busy_sum += w.busy_ratio;
            }
            #[allow(clippy::cast_precision_loss)]
            let avg = if self.workers.is_empty() {
                0.0
            } else {
                busy_sum / self.workers.len() as f64
            };
            push_capped(&mut self.busy_history, avg);
        } else {
            self.workers = vec![WorkerState::default(); sample.workers.len()];
        }
        push_capped(&mut self.global_queue_history, sample.global_queue);
        push_capped(&mut self.blocking_threads_history, sample.blocking_threads);
        push_capped(&mut self.alive_tasks_history, sample.alive_tasks);
        push_capped(&mut self.sampled_at_history, sample.at);
        self.latest = Some(sample.clone());
    }

    #[must_use]
    pub fn latest(&self) -> Option<&RuntimeSample> {
        self.latest.as_ref()
    }

    #[must_use]
    pub fn workers(&self) -> &[WorkerState] {
        &self.workers
    }

    #[must_use]
    pub fn worker_count(&self) -> usize {
        self.latest.as_ref().map_or(0, |s| s.workers.len())
    }

    /// Busy share of all workers over the whole session so far.
    #[must_use]
    pub fn busy_ratio_overall(&self) -> f64 {
        match (&self.first, &self.latest) {
            (Some(a), Some(b)) if !b.workers.is_empty() => {
                let busy: u64 = b
                    .workers
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        w.busy_ns
                            .saturating_sub(a.workers.get(i).map_or(0, |x| x.busy_ns))
                    })
                    .sum();
                let wall = b.at.saturating_sub(a.at) * b.workers.len() as u64;
                ratio(busy, wall)
            }
            _ => 0.0,
        }
    }

    #[must_use]
    pub fn busy_history(&self) -> &VecDeque<f64> {
        &self.busy_history
    }

    #[must_use]
    pub fn global_queue_history(&self) -> &VecDeque<u64> {
        &self.global_queue_history
    }

    #[must_use]
    pub fn blocking_threads_history(&self) -> &VecDeque<u64> {
        &self.blocking_threads_history
    }

    #[must_use]
    pub fn alive_tasks_history(&self) -> &VecDeque<u64> {
        &self.alive_tasks_history
    }

    /// Time from the oldest sample kept to the newest.
    #[must_use]
    pub fn history_span_ns(&self) -> u64 {
        match (
            self.sampled_at_history.front(),
            self.sampled_at_history.back(),
        ) {
            (Some(a), Some(b)) => b.saturating_sub(*a),
            _ => 0,
        }
    }
}
