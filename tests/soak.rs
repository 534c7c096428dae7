//! Long sessions: memory stays bounded by retention under task churn.
//!
//! The short test runs in every `cargo test`. The long one is for manual
//! runs (10 minutes at about 10k tasks/s):
//!
//! ```text
//! cargo test --release --test soak -- --ignored --nocapture
//! ```

use std::time::{Duration, Instant};

use taskscope::feed::live::{self, LiveOptions};
use taskscope::model::{Model, ModelConfig};
use taskscope_demos::Settings;

#[derive(Clone, Copy, Debug)]
struct Reading {
    at: Duration,
    spawned: u64,
    retained: usize,
    rss_kb: u64,
    /// How far the model is behind the source's clock (events queued).
    lag: Duration,
}

/// This process's resident set, from /proc (Linux only; 0 elsewhere).
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Runs `demo` live with `knobs` into a model retaining done tasks for
/// `retain`, reading the model and RSS every `every`, for `total`.
fn soak(
    demo: &str,
    knobs: &[&str],
    retain: Duration,
    total: Duration,
    every: Duration,
) -> Vec<Reading> {
    let demo = taskscope_demos::find(demo).expect("demo");
    let mut settings = Settings::new(demo.info().knobs);
    settings.fixed = true;
    for k in knobs {
        settings.set_str(k).expect("knob");
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut feed = live::start(LiveOptions {
            demo,
            settings,
            workers: 2,
            interval: Duration::from_millis(100),
            schedule_latency: false,
        })
        .expect("live source");
        let mut model = Model::new(ModelConfig {
            retain_ns: u64::try_from(retain.as_nanos()).expect("retain"),
        });
        let start = Instant::now();
        let mut next = every;
        let mut readings = Vec::new();
        while let Some(batch) = feed.batches.recv().await {
            model.apply_all(&batch);
            if start.elapsed() >= next {
                readings.push(Reading {
                    at: start.elapsed(),
                    spawned: model.totals().spawned,
                    retained: model.tasks().count(),
                    rss_kb: rss_kb(),
                    lag: start
                        .elapsed()
                        .saturating_sub(Duration::from_nanos(model.now())),
                });
                next += every;
                if start.elapsed() >= total {
                    break;
                }
            }
        }
        readings
    })
}

fn print(readings: &[Reading]) {
    for r in readings {
        eprintln!(
            "{:>6.1}s spawned {:>9} retained {:>7} rss {:>7} kB lag {:>5} ms",
            r.at.as_secs_f64(),
            r.spawned,
            r.retained,
            r.rss_kb,
            r.lag.as_millis()
        );
    }
}

/// Steady churn: the retained tasks and RSS of the second half stay near
/// those at its start, while the spawned total keeps climbing.
fn assert_levels_off(readings: &[Reading]) {
    print(readings);
    let mid = &readings[readings.len() / 2];
    let last = readings.last().expect("readings");
    assert!(
        last.spawned > mid.spawned * 3 / 2,
        "the demo should keep spawning: {mid:?} -> {last:?}"
    );
    let peak_retained = readings[readings.len() / 2..]
        .iter()
        .map(|r| r.retained)
        .max()
        .unwrap_or(0);
    assert!(
        peak_retained < mid.retained * 2 + 1000,
        "retained tasks grow: {mid:?} -> peak {peak_retained}"
    );
    assert!(
        last.lag < Duration::from_secs(1),
        "the model fell behind the source (not a fair soak): {last:?}"
    );
    if mid.rss_kb > 0 {
        assert!(
            last.rss_kb < mid.rss_kb + mid.rss_kb / 4 + 8 * 1024,
            "RSS grows: {mid:?} -> {last:?}"
        );
    }
}

#[test]
fn memory_levels_off_under_churn() {
    // About 6,500 short tasks a second (what a debug build keeps up with);
    // done ones are kept for 1 s.
    let readings = soak(
        "gather",
        &["fanout=500", "latency_ms=50"],
        Duration::from_secs(1),
        Duration::from_secs(6),
        Duration::from_millis(500),
    );
    assert_levels_off(&readings);
}

#[test]
#[ignore = "10 minutes: run by hand (see the module docs)"]
fn memory_levels_off_for_ten_minutes_at_10k_tasks_per_second() {
    // About 13k tasks a second in a release build, the default retention.
    let readings = soak(
        "gather",
        &["fanout=1000", "latency_ms=50"],
        Duration::from_secs(6),
        Duration::from_secs(600),
        Duration::from_secs(10),
    );
    assert_levels_off(&readings);
}
