//! `serve --tickers N`: the target of `benches/attach-cpu.sh`. N tasks that
//! live forever and each wake once a period, their wake-ups spread evenly
//! over it so a viewer sees a steady stream of changes, not one burst.
//!
//! One driver task rings each ticker's `Notify` (not instrumented) in turn.
//! A timer per ticker would add a resource and an async op per task to the
//! snapshot console-subscriber sends a new client, and past 4 MB (10k
//! tickers with a timer each pass it) it sends none: a viewer that connects
//! late would only ever see the tasks spawned after it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::MissedTickBehavior;

/// Slices of a period: the driver rings 1/SLICES of the tickers each time.
const SLICES: u32 = 100;

/// Spawns the tickers and their driver on `runtime` (from a thread whose
/// subscriber should see them) and returns; they run until it stops.
pub fn spawn(runtime: &tokio::runtime::Runtime, tasks: u32, period: Duration) {
    let bells: Arc<[Notify]> = (0..tasks).map(|_| Notify::new()).collect();
    for i in 0..bells.len() {
        runtime.spawn(ticker(bells.clone(), i));
    }
    runtime.spawn(ring(bells, period));
}

async fn ticker(bells: Arc<[Notify]>, i: usize) {
    let mut ticks = 0u64;
    loop {
        bells[i].notified().await;
        // The trivial bit of work each wake-up does.
        ticks = std::hint::black_box(ticks.wrapping_add(1));
    }
}

/// Rings the tickers of one slice per tick, so each rings once a period.
async fn ring(bells: Arc<[Notify]>, period: Duration) {
    // Never zero, which `interval` refuses.
    let mut interval = tokio::time::interval((period / SLICES).max(Duration::from_nanos(1)));
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let slices = SLICES as usize;
    for slice in (0..slices).cycle() {
        interval.tick().await;
        // A bell rung before its ticker waits keeps a permit: no wake is lost.
        for bell in bells.iter().skip(slice).step_by(slices) {
            bell.notify_one();
        }
    }
}
