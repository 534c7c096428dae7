//! What a probe resource adds to an uncontended acquire/release over the
//! bare tokio type (goal: under 100 ns). Each pair runs inside a task on a
//! probe-instrumented runtime, so the probe's thread-local is set up just
//! as in a demo; the probe is drained between samples, off the clock.
//!
//! `cargo bench --bench resources`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use taskscope_probe::resources::{self, Mutex, Semaphore};
use taskscope_probe::{Probe, ProbeEvent};
use tokio::runtime::{Builder, Runtime};

fn instrumented() -> (Probe, Runtime) {
    let probe = Probe::new();
    let mut builder = Builder::new_multi_thread();
    builder.worker_threads(1).enable_all();
    let rt = probe.instrument(&mut builder).build().expect("runtime");
    (probe, rt)
}

/// Times `iters` runs of `body` inside one task, then drains the probe.
fn in_task<F, Fut>(rt: &Runtime, probe: &Probe, iters: u64, body: F) -> Duration
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let elapsed = rt
        .block_on(rt.spawn(async move {
            let start = Instant::now();
            for _ in 0..iters {
                body().await;
            }
            start.elapsed()
        }))
        .expect("bench task");
    let mut scratch: Vec<ProbeEvent> = Vec::new();
    probe.drain(&mut scratch);
    elapsed
}

fn semaphore(c: &mut Criterion) {
    let (probe, rt) = instrumented();
    let mut g = c.benchmark_group("semaphore acquire+release");
    let bare = std::sync::Arc::new(tokio::sync::Semaphore::new(8));
    g.bench_function("tokio", |b| {
        b.iter_custom(|iters| {
            let s = bare.clone();
            in_task(&rt, &probe, iters, move || {
                let s = s.clone();
                async move { drop(black_box(s.acquire().await.expect("open"))) }
            })
        });
    });
    let probed = std::sync::Arc::new(Semaphore::new_named("bench", 8));
    g.bench_function("probe", |b| {
        b.iter_custom(|iters| {
            let s = probed.clone();
            in_task(&rt, &probe, iters, move || {
                let s = s.clone();
                async move { drop(black_box(s.acquire().await.expect("open"))) }
            })
        });
    });
    // The same type on a runtime no probe instruments: the no-op path.
    let plain = Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .expect("runtime");
    g.bench_function("probe, no probe on thread", |b| {
        b.iter_custom(|iters| {
            let s = probed.clone();
            in_task(&plain, &probe, iters, move || {
                let s = s.clone();
                async move { drop(black_box(s.acquire().await.expect("open"))) }
            })
        });
    });
    g.finish();
}

fn mutex(c: &mut Criterion) {
    let (probe, rt) = instrumented();
    let mut g = c.benchmark_group("mutex lock+unlock");
    let bare = std::sync::Arc::new(tokio::sync::Mutex::new(0_u64));
    g.bench_function("tokio", |b| {
        b.iter_custom(|iters| {
            let m = bare.clone();
            in_task(&rt, &probe, iters, move || {
                let m = m.clone();
                async move { *m.lock().await += 1 }
            })
        });
    });
    let probed = std::sync::Arc::new(Mutex::new_named("bench", 0_u64));
    g.bench_function("probe", |b| {
        b.iter_custom(|iters| {
            let m = probed.clone();
            in_task(&rt, &probe, iters, move || {
                let m = m.clone();
                async move { *m.lock().await += 1 }
            })
        });
    });
    g.finish();
}

fn channel(c: &mut Criterion) {
    let (probe, rt) = instrumented();
    let mut g = c.benchmark_group("channel send+recv");
    g.bench_function("tokio", |b| {
        b.iter_custom(|iters| {
            let (tx, rx) = tokio::sync::mpsc::channel::<u64>(64);
            let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
            in_task(&rt, &probe, iters, move || {
                let (tx, rx) = (tx.clone(), rx.clone());
                async move {
                    let mut rx = rx.try_lock().expect("one task");
                    tx.send(1).await.expect("open");
                    black_box(rx.recv().await);
                }
            })
        });
    });
    g.bench_function("probe", |b| {
        b.iter_custom(|iters| {
            let (tx, rx) = resources::channel::<u64>("bench", 64);
            let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
            in_task(&rt, &probe, iters, move || {
                let (tx, rx) = (tx.clone(), rx.clone());
                async move {
                    let mut rx = rx.try_lock().expect("one task");
                    tx.send(1).await.expect("open");
                    black_box(rx.recv().await);
                }
            })
        });
    });
    g.finish();
}

fn config() -> Criterion {
    // Short runs: the machine is shared.
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = semaphore, mutex, channel
}
criterion_main!(benches);
