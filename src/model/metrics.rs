//! The workload's own metrics (counters, gauges, histograms) with a minute
//! of history per series, for sparklines.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use crate::feed::{MetricSample, MetricValue, Nanos};

/// How much history each series keeps.
pub const METRICS_WINDOW_NS: u64 = 60_000_000_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub latest: MetricValue,
    /// (time, value): a counter's total, a gauge's value, a histogram's p99.
    points: VecDeque<(Nanos, f64)>,
}

impl Series {
    #[must_use]
    pub fn points(&self) -> &VecDeque<(Nanos, f64)> {
        &self.points
    }

    #[must_use]
    pub fn is_counter(&self) -> bool {
        matches!(self.latest, MetricValue::Counter(_))
    }

    /// What a sparkline draws: per-second rates for a counter, values
    /// otherwise, oldest first.
    #[must_use]
    pub fn sparkline(&self) -> Vec<f64> {
        if !self.is_counter() {
            return self.points.iter().map(|p| p.1).collect();
        }
        self.points
            .iter()
            .zip(self.points.iter().skip(1))
            .map(|(a, b)| {
                #[allow(clippy::cast_precision_loss)]
                let dt = b.0.saturating_sub(a.0) as f64 / 1e9;
                if dt > 0.0 {
                    (b.1 - a.1).max(0.0) / dt
                } else {
                    0.0
                }
            })
            .collect()
    }
}

#[derive(Clone, Debug, Default)]
pub struct MetricsState {
    series: BTreeMap<Arc<str>, Series>,
}

impl MetricsState {
    pub(crate) fn record(&mut self, at: Nanos, samples: &[MetricSample]) {
        for s in samples {
            #[allow(clippy::cast_precision_loss)]
            let point = match &s.value {
                MetricValue::Counter(n) => *n as f64,
                MetricValue::Gauge(v) => *v,
                MetricValue::Histogram(h) => h.p99,
            };
            let series = self.series.entry(s.key.clone()).or_insert_with(|| Series {
                latest: s.value.clone(),
                points: VecDeque::new(),
            });
            series.latest = s.value.clone();
            series.points.push_back((at, point));
            let horizon = at.saturating_sub(METRICS_WINDOW_NS);
            while series.points.front().is_some_and(|p| p.0 < horizon) {
                series.points.pop_front();
            }
        }
    }

    /// Every series by key (`name{label=value}`), sorted.
    pub fn series(&self) -> impl Iterator<Item = (&str, &Series)> {
        self.series.iter().map(|(k, v)| (&**k, v))
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Series> {
        self.series.get(key)
    }
}
