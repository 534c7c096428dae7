//! Fire-and-forget: tasks spawned with their JoinHandle dropped, waiting for
//! a reply on a channel that nobody answers and nobody closes. Broken: they
//! stay idle forever. Fixed: they live in a TaskTracker and the round
//! cancels them when it ends, then waits until they are gone.

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::leftovers::{park, Leftovers};
use crate::support::{ms, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Leak {
    leftovers: std::sync::Arc<Leftovers>,
}

static INFO: DemoInfo = DemoInfo {
    name: "leak",
    summary: "fire-and-forget tasks wait forever; fixed: a TaskTracker cancels them",
    explain: "Each round spawns `leaks` tasks that do a little work and then wait \
              for a reply on a channel that nobody sends on and nobody closes. \
              Broken: they are spawned with tokio::spawn and the JoinHandles \
              dropped, so nothing can stop them: they stay idle forever, their \
              parent round long gone. Watch the idle count and the live-task count \
              grow by `leaks` every round, and the leaked-task warning point at \
              leak.rs. Fixed: the tasks are spawned on a TaskTracker and also wait \
              on a CancellationToken; at the end of the round the token is \
              cancelled and the tracker waited on, so 0 are left. At most `cap` \
              tasks are left behind per run; past that, the broken tasks end with \
              their round.",
    knobs: &[
        Knob {
            name: "leaks",
            default: 10,
            min: 0,
            max: 10_000,
            help: "tasks per round that wait for a reply that never comes",
        },
        Knob {
            name: "work_ms",
            default: 100,
            min: 0,
            max: 5000,
            help: "work each task does before it waits",
        },
        Knob {
            name: "cap",
            default: 5000,
            min: 0,
            max: 1_000_000,
            help: "most tasks left behind in all (keeps long sessions bounded)",
        },
    ],
};

impl Leak {
    #[must_use]
    pub fn new() -> Self {
        Self {
            leftovers: std::sync::Arc::new(Leftovers::new()),
        }
    }
}

impl Default for Leak {
    fn default() -> Self {
        Self::new()
    }
}

impl Demo for Leak {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, _round: u64) -> RoundFuture {
        let leaks = s.count("leaks");
        let work = ms(s.count("work_ms"));
        let fixed = s.fixed;
        // Only the broken variant asks for forever-slots.
        let mut parking = self
            .leftovers
            .parking(if fixed { 0 } else { leaks }, s.count("cap"));
        Box::pin(async move {
            let (worked, mut worked_rx) = mpsc::unbounded_channel();
            let cancel = CancellationToken::new();
            // If the round itself is aborted, the fixed tasks still end.
            let _cancel_on_drop = cancel.clone().drop_guard();
            let tracker = TaskTracker::new();
            for _ in 0..leaks {
                let spot = parking.spot();
                let worked = worked.clone();
                let task = async move {
                    let _waiting = GaugeGuard::new(metrics::gauge!("tasks_waiting"));
                    tokio::time::sleep(work).await;
                    let _ = worked.send(());
                    // Hold nothing the round waits on while parked.
                    drop(worked);
                    park(spot).await;
                };
                if fixed {
                    let cancel = cancel.clone();
                    tracker.spawn(async move {
                        tokio::select! {
                            () = task => {}
                            () = cancel.cancelled() => {}
                        }
                    });
                } else {
                    // The mistake: the JoinHandle is dropped on the spot.
                    drop(tokio::spawn(task));
                }
            }
            drop(worked);
            let mut report = RoundReport::default();
            while worked_rx.recv().await.is_some() {
                report.items += 1;
            }
            cancel.cancel();
            tracker.close();
            tracker.wait().await;
            report.left_behind = parking.granted();
            metrics::counter!("tasks_leaked").increment(report.left_behind);
            report
        })
    }
}
