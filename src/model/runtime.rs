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
    pub busy_history: VecDeque<f64>,
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
                #[allow(clippy::cast_precision_loss)]
                {
                    w.polls_per_s = if dt == 0 {
                        0.0
                    } else {
                        now.polls.saturating_sub(before.polls) as f64 * 1e9 / dt as f64
                    };
                }
                w.steals = now.steals;
                w.polls = now.polls;
                w.local_queue = now.local_queue;
                push_capped(&mut w.busy_history, w.busy_ratio);
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
}
