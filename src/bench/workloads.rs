//! The workloads measured, sized as in shared/notes (scale 1.0).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// (a) spawn 200k tiny tasks and join them.
    Spawn,
    /// (b) 1k tasks x 20 acquire / yield / release on Semaphore(8).
    Semaphore,
    /// (c) 1M messages through a bounded mpsc(64).
    Channel,
    /// (d) 10k `timeout(50ms, sleep(1ms))`.
    Timeouts,
}

impl Workload {
    pub const ALL: [Workload; 4] = [
        Workload::Spawn,
        Workload::Semaphore,
        Workload::Channel,
        Workload::Timeouts,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Workload::Spawn => "spawn",
            Workload::Semaphore => "semaphore",
            Workload::Channel => "channel",
            Workload::Timeouts => "timeouts",
        }
    }

    #[must_use]
    pub fn describe(self, scale: f64) -> String {
        match self {
            Workload::Spawn => {
                format!("(a) spawn {} tiny tasks, join them", scaled(200_000, scale))
            }
            Workload::Semaphore => {
                format!(
                    "(b) {} tasks x 20 acquire/yield/release on Semaphore(8)",
                    scaled(1_000, scale)
                )
            }
            Workload::Channel => {
                format!("(c) {} messages through mpsc(64)", scaled(1_000_000, scale))
            }
            Workload::Timeouts => {
                format!("(d) {} x timeout(50ms, sleep(1ms))", scaled(10_000, scale))
            }
        }
    }

    #[must_use]
    pub fn parse(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// Runs the workload; `spawn` is how tasks are spawned (so a
    /// configuration can wrap each future, as tokio-metrics needs).
    pub async fn run(self, scale: f64, spawn: Spawner) {
        match self {
            Workload::Spawn => {
                let handles: Vec<_> = (0..scaled(200_000, scale))
                    .map(|_| spawn.spawn(async {}))
                    .collect();
                for h in handles {
                    let _ = h.await;
                }
            }
            Workload::Semaphore => {
                let sem = Arc::new(Semaphore::new(8));
                let handles: Vec<_> = (0..scaled(1_000, scale))
                    .map(|_| {
                        let sem = sem.clone();
                        spawn.spawn(async move {
                            for _ in 0..20 {
                                let Ok(_permit) = sem.acquire().await else {
                                    return;
                                };
                                tokio::task::yield_now().await;
                            }
                        })
                    })
                    .collect();
                for h in handles {
                    let _ = h.await;
                }
            }
            Workload::Channel => {
                let n = scaled(1_000_000, scale);
                let (tx, mut rx) = mpsc::channel::<u64>(64);
                let producer = spawn.spawn(async move {
                    for i in 0..n {
                        if tx.send(i).await.is_err() {
                            break;
                        }
                    }
                });
                let consumer = spawn.spawn(async move { while rx.recv().await.is_some() {} });
                let _ = producer.await;
                let _ = consumer.await;
            }
            Workload::Timeouts => {
                let handles: Vec<_> = (0..scaled(10_000, scale))
                    .map(|_| {
                        spawn.spawn(async {
                            let _ = tokio::time::timeout(
                                Duration::from_millis(50),
                                tokio::time::sleep(Duration::from_millis(1)),
                            )
                            .await;
                        })
                    })
                    .collect();
                for h in handles {
                    let _ = h.await;
                }
            }
        }
    }
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn scaled(n: u64, scale: f64) -> u64 {
    ((n as f64 * scale).round() as u64).max(1)
}

/// Tasks the workload spawns at `scale` (what every configuration should see).
#[must_use]
pub fn expected_tasks(w: Workload, scale: f64) -> u64 {
    match w {
        Workload::Spawn => scaled(200_000, scale),
        Workload::Semaphore => scaled(1_000, scale),
        Workload::Channel => 2,
        Workload::Timeouts => scaled(10_000, scale),
    }
}

/// Spawns plainly, or through a tokio-metrics `TaskMonitor`.
#[derive(Clone)]
pub enum Spawner {
    Plain,
    Monitored(tokio_metrics::TaskMonitor),
}

impl Spawner {
    pub fn spawn<F>(&self, fut: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self {
            Spawner::Plain => tokio::spawn(fut),
            Spawner::Monitored(m) => tokio::spawn(m.instrument(fut)),
        }
    }
}
