//! taskscope's `metrics` recorder: the demos' counters, gauges and
//! histograms land in a metrics-util registry with atomic storage, and each
//! batch carries a reading of it.
//!
//! `metrics::set_global_recorder` works once per process, so the recorder
//! is installed once and shared by every live source; switching demos clears it.

use std::sync::{Arc, OnceLock};

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, SharedString, Unit};
use metrics_util::registry::{AtomicStorage, Registry};

use crate::feed::{HistogramSummary, MetricSample, MetricValue};

type Store = Registry<Key, AtomicStorage>;

struct Recorder(Arc<Store>);

impl metrics::Recorder for Recorder {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        self.0
            .get_or_create_counter(key, |c| Counter::from_arc(c.clone()))
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        self.0
            .get_or_create_gauge(key, |g| Gauge::from_arc(g.clone()))
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        self.0
            .get_or_create_histogram(key, |h| Histogram::from_arc(h.clone()))
    }
}

/// The process's metrics, as taskscope's recorder holds them.
#[derive(Clone)]
pub struct Metrics {
    store: Arc<Store>,
}

static INSTALLED: OnceLock<Option<Metrics>> = OnceLock::new();

impl Metrics {
    /// Installs taskscope's recorder (the first call only). None if the
    /// process already had another recorder: then there is nothing to read.
    #[must_use]
    pub fn install() -> Option<Metrics> {
        INSTALLED
            .get_or_init(|| {
                let store = Arc::new(Registry::atomic());
                metrics::set_global_recorder(Recorder(store.clone()))
                    .ok()
                    .map(|()| Metrics { store })
            })
            .clone()
    }

    /// A private registry, not installed: for tests.
    #[must_use]
    pub fn detached() -> (Metrics, impl metrics::Recorder) {
        let store = Arc::new(Registry::atomic());
        (
            Metrics {
                store: store.clone(),
            },
            Recorder(store),
        )
    }

    /// Forgets every series (a new demo starts).
    pub fn clear(&self) {
        self.store.clear();
    }

    /// Every series now, sorted by key. Histograms give the values recorded
    /// since the last reading.
    #[must_use]
    pub fn read(&self) -> Vec<MetricSample> {
        let mut out = Vec::new();
        self.store.visit_counters(|key, c| {
            out.push(sample(
                key,
                MetricValue::Counter(c.load(std::sync::atomic::Ordering::Relaxed)),
            ));
        });
        self.store.visit_gauges(|key, g| {
            let v = f64::from_bits(g.load(std::sync::atomic::Ordering::Relaxed));
            out.push(sample(key, MetricValue::Gauge(v)));
        });
        self.store.visit_histograms(|key, h| {
            let mut values = Vec::new();
            h.clear_with(|chunk| values.extend_from_slice(chunk));
            out.push(sample(key, MetricValue::Histogram(summarize(values))));
        });
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }
}

fn sample(key: &Key, value: MetricValue) -> MetricSample {
    let mut k = key.name().to_owned();
    let labels: Vec<String> = key
        .labels()
        .map(|l| format!("{}={}", l.key(), l.value()))
        .collect();
    if !labels.is_empty() {
        k = format!("{k}{{{}}}", labels.join(","));
    }
    MetricSample {
        key: k.into(),
        value,
    }
}

fn summarize(mut values: Vec<f64>) -> HistogramSummary {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return HistogramSummary::default();
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((values.len() - 1) as f64 * q).round() as usize;
        values[i.min(values.len() - 1)]
    };
    HistogramSummary {
        count: values.len() as u64,
        sum: values.iter().sum(),
        min: values[0],
        max: values[values.len() - 1],
        p50: at(0.5),
        p99: at(0.99),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counters_gauges_and_histograms_with_labels() {
        let (m, recorder) = Metrics::detached();
        metrics::with_local_recorder(&recorder, || {
            metrics::counter!("items").increment(3);
            metrics::counter!("items").increment(2);
            metrics::gauge!("in_flight", "pool" => "db").set(4.0);
            for v in 1..=100 {
                metrics::histogram!("latency_ms").record(f64::from(v));
            }
        });
        let read = m.read();
        let get = |k: &str| read.iter().find(|s| &*s.key == k).map(|s| s.value.clone());
        assert_eq!(get("items"), Some(MetricValue::Counter(5)));
        assert_eq!(get("in_flight{pool=db}"), Some(MetricValue::Gauge(4.0)));
        match get("latency_ms") {
            Some(MetricValue::Histogram(h)) => {
                assert_eq!((h.count, h.min, h.max), (100, 1.0, 100.0));
                assert!((h.p99 - 99.0).abs() <= 1.0, "{h:?}");
            }
            other => panic!("{other:?}"),
        }
        // Histograms report what came since the last reading.
        let again = m.read();
        assert!(again.iter().any(|s| &*s.key == "latency_ms"
            && s.value == MetricValue::Histogram(HistogramSummary::default())));
        m.clear();
        assert!(m.read().is_empty());
    }
}
