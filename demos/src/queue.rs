//! Producers and a pool of workers over a channel, then a drain and a join.
//! Fixed: a bounded mpsc channel, so fast producers wait for room
//! (backpressure) and the queue never holds more than `capacity`. Broken: an
//! unbounded channel in front of slow workers: producers never wait and the
//! queue depth grows with everything they send.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use taskscope_probe::resources::{self as probe, Mutex};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::support::{millis_f64, ms, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Queue;

static INFO: DemoInfo = DemoInfo {
    name: "queue",
    summary: "producers and workers over a bounded channel; broken: unbounded backlog",
    explain: "`producers` tasks each send `items` jobs, one every `produce_ms`; \
              `workers` tasks share the receiving end and spend `work_ms` per job. \
              The producers are faster than the workers. Fixed: the channel holds \
              at most `capacity` jobs (the resource `queue`), so a producer waits in send() until there \
              is room: queue_depth stays at or below capacity and the wait shows \
              up where it belongs, in producers_waiting and send_wait_ms. Broken: \
              an unbounded channel: send never waits, queue_depth climbs to \
              nearly every job sent and so does each job's queue_wait_ms (in a \
              real service, memory and latency grow until it falls over). Both \
              close the channel, drain it and join the workers at the end.",
    knobs: &[
        Knob {
            name: "capacity",
            default: 8,
            min: 1,
            max: 100_000,
            help: "fixed: jobs the channel holds",
        },
        Knob {
            name: "producers",
            default: 4,
            min: 1,
            max: 1000,
            help: "producer tasks",
        },
        Knob {
            name: "items",
            default: 30,
            min: 0,
            max: 100_000,
            help: "jobs each producer sends per round",
        },
        Knob {
            name: "produce_ms",
            default: 1,
            min: 0,
            max: 5000,
            help: "time between two jobs of one producer",
        },
        Knob {
            name: "workers",
            default: 2,
            min: 1,
            max: 1000,
            help: "worker tasks",
        },
        Knob {
            name: "work_ms",
            default: 4,
            min: 0,
            max: 5000,
            help: "time one job takes",
        },
    ],
};

/// A job is the time it was queued.
type Job = Instant;

/// The sending end of either channel.
#[derive(Clone)]
enum Outbox {
    Bounded(probe::Sender<Job>),
    Unbounded(mpsc::UnboundedSender<Job>),
}

/// The receiving end of either channel.
enum Inbox {
    Bounded(probe::Receiver<Job>),
    Unbounded(mpsc::UnboundedReceiver<Job>),
}

impl Outbox {
    async fn send(&self, job: Job) -> bool {
        match self {
            Outbox::Bounded(tx) => {
                let _waiting = GaugeGuard::new(metrics::gauge!("producers_waiting"));
                let sent = tx.send(job).await.is_ok();
                metrics::histogram!("send_wait_ms").record(millis_f64(job.elapsed()));
                sent
            }
            Outbox::Unbounded(tx) => tx.send(job).is_ok(),
        }
    }
}

impl Inbox {
    async fn recv(&mut self) -> Option<Job> {
        match self {
            Inbox::Bounded(rx) => rx.recv().await,
            Inbox::Unbounded(rx) => rx.recv().await,
        }
    }
}

impl Demo for Queue {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, _round: u64) -> RoundFuture {
        let producers = s.count("producers");
        let items = s.count("items");
        let produce = ms(s.count("produce_ms"));
        let workers = s.count("workers");
        let work = ms(s.count("work_ms"));
        let capacity = usize::try_from(s.count("capacity").max(1)).unwrap_or(usize::MAX);
        let fixed = s.fixed;
        Box::pin(async move {
            let (outbox, inbox) = if fixed {
                let (tx, rx) = probe::channel("queue", capacity);
                (Outbox::Bounded(tx), Inbox::Bounded(rx))
            } else {
                // The mistake: nothing ever pushes back on the producers.
                let (tx, rx) = mpsc::unbounded_channel();
                (Outbox::Unbounded(tx), Inbox::Unbounded(rx))
            };
            let depth = Arc::new(AtomicI64::new(0));
            let mut producing = JoinSet::new();
            for _ in 0..producers {
                let (outbox, depth) = (outbox.clone(), Arc::clone(&depth));
                producing.spawn(async move {
                    for _ in 0..items {
                        if !outbox.send(Instant::now()).await {
                            break;
                        }
                        let now = depth.fetch_add(1, Ordering::Relaxed) + 1;
                        metrics::gauge!("queue_depth").set(now as f64);
                        tokio::time::sleep(produce).await;
                    }
                });
            }
            // Only the producers hold senders now: the channel closes when
            // they are done, and the workers drain what is left.
            drop(outbox);
            // A named probe lock, not plumbing to hide: the workers do queue
            // on it (one holds it while it waits in recv, the others wait
            // for the lock), and when the channel runs dry that is where
            // they idle, so the resources view shows it. Its waits are short
            // while there is work (about 0 waiting on average, p99 in µs).
            let inbox = Arc::new(Mutex::new_named("inbox", inbox));
            let mut working = JoinSet::new();
            for _ in 0..workers {
                let (inbox, depth) = (Arc::clone(&inbox), Arc::clone(&depth));
                working.spawn(async move {
                    let mut done = 0;
                    loop {
                        // One worker at a time waits for the next job; the
                        // guard is gone before the job is worked on.
                        let job = inbox.lock().await.recv().await;
                        let Some(queued) = job else { break };
                        let now = depth.fetch_sub(1, Ordering::Relaxed) - 1;
                        metrics::gauge!("queue_depth").set(now.max(0) as f64);
                        metrics::histogram!("queue_wait_ms").record(millis_f64(queued.elapsed()));
                        let _busy = GaugeGuard::new(metrics::gauge!("in_flight"));
                        tokio::time::sleep(work).await;
                        metrics::counter!("items_done").increment(1);
                        done += 1;
                    }
                    done
                });
            }
            while producing.join_next().await.is_some() {}
            let mut report = RoundReport::default();
            while let Some(done) = working.join_next().await {
                report.items += done.unwrap_or(0);
            }
            report
        })
    }
}
