//! `tokio::select!` races a read against a timer; the losing branch's
//! future is dropped. Fixed: the select awaits `mpsc::Receiver::recv`,
//! which is cancellation safe, and the batch being built lives outside the
//! select. Broken: the select awaits a helper that pops messages into its
//! own local batch and then awaits more; when the timer wins, the helper is
//! dropped and the messages it already popped are gone.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

use crate::support::ms;
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Select;

static INFO: DemoInfo = DemoInfo {
    name: "select",
    summary: "select! against a timer; broken: a cancel-unsafe read loses messages",
    explain: "A producer sends `messages` messages, one every `gap_ms`; a consumer \
              groups them in batches of `batch` and, in the same tokio::select!, \
              does housekeeping every `tick_ms`. When the timer wins, select drops \
              the other branch's future. Fixed: that future is rx.recv(), which is \
              cancellation safe (a dropped recv never took a message) and the batch \
              lives outside the select. Broken: the branch is a read_batch() helper \
              that keeps its batch in a local Vec while it awaits the next message; \
              dropping it drops the messages it already popped. Watch items_lost \
              and timer_wins; a shorter tick loses more.",
    knobs: &[
        Knob {
            name: "tick_ms",
            default: 10,
            min: 1,
            max: 5000,
            help: "period of the timer racing the read",
        },
        Knob {
            name: "messages",
            default: 60,
            min: 0,
            max: 100_000,
            help: "messages per round",
        },
        Knob {
            name: "gap_ms",
            default: 1,
            min: 0,
            max: 1000,
            help: "time between two messages",
        },
        Knob {
            name: "batch",
            default: 4,
            min: 1,
            max: 1000,
            help: "messages per batch",
        },
    ],
};

impl Demo for Select {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, _round: u64) -> RoundFuture {
        let messages = s.count("messages");
        let gap = ms(s.count("gap_ms"));
        let tick = ms(s.count("tick_ms").max(1));
        let batch = usize::try_from(s.count("batch").max(1)).unwrap_or(usize::MAX);
        let fixed = s.fixed;
        Box::pin(async move {
            let (tx, rx) = mpsc::channel(64);
            let producer = tokio::spawn(async move {
                for message in 0..messages {
                    if tx.send(message).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(gap).await;
                }
            });
            let consumer = tokio::spawn(async move {
                if fixed {
                    consume_safely(rx, tick, batch).await
                } else {
                    consume_unsafely(rx, tick, batch).await
                }
            });
            let _ = producer.await;
            let received = consumer.await.unwrap_or(0);
            let lost = messages.saturating_sub(received);
            metrics::counter!("items_lost").increment(lost);
            RoundReport {
                items: received,
                lost,
                ..RoundReport::default()
            }
        })
    }
}

fn timer(tick: Duration) -> tokio::time::Interval {
    let mut timer = tokio::time::interval(tick);
    timer.set_missed_tick_behavior(MissedTickBehavior::Delay);
    timer
}

/// Returns how many messages made it into a batch.
async fn consume_safely(mut rx: mpsc::Receiver<u64>, tick: Duration, size: usize) -> u64 {
    let mut timer = timer(tick);
    let mut received = 0;
    // Outside the select: survives whichever branch loses.
    let mut batch = Vec::with_capacity(size);
    loop {
        tokio::select! {
            message = rx.recv() => match message {
                Some(message) => {
                    batch.push(message);
                    if batch.len() == size {
                        received += flush(&mut batch);
                    }
                }
                None => return received + flush(&mut batch),
            },
            _ = timer.tick() => metrics::counter!("timer_wins").increment(1),
        }
    }
}

async fn consume_unsafely(mut rx: mpsc::Receiver<u64>, tick: Duration, size: usize) -> u64 {
    let mut timer = timer(tick);
    let mut received = 0;
    loop {
        tokio::select! {
            (mut batch, open) = read_batch(&mut rx, size) => {
                received += flush(&mut batch);
                if !open {
                    return received;
                }
            }
            _ = timer.tick() => metrics::counter!("timer_wins").increment(1),
        }
    }
}

/// Not cancellation safe: the popped messages live in this future's local
/// batch until it returns. Returns the batch and whether the channel is
/// still open.
async fn read_batch(rx: &mut mpsc::Receiver<u64>, size: usize) -> (Vec<u64>, bool) {
    let mut batch = Vec::with_capacity(size);
    while batch.len() < size {
        match rx.recv().await {
            Some(message) => batch.push(message),
            None => return (batch, false),
        }
    }
    (batch, true)
}

fn flush(batch: &mut Vec<u64>) -> u64 {
    let n = batch.len() as u64;
    metrics::counter!("items_done").increment(n);
    batch.clear();
    n
}
