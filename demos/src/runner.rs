use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::{Demo, Settings};

/// What one round did, in the demo's own terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// Units of work completed (requests served, messages handled...).
    pub items: u64,
    pub errors: u64,
    /// Work that was accepted and then lost (cut off, dropped by a cancel).
    pub lost: u64,
    /// Tasks this round spawned and deliberately left behind (leak demos).
    pub left_behind: u64,
}

/// Runs rounds of `demo` until `stop` is cancelled or `settings.rounds`
/// rounds are done. Each round is spawned as its own task; settings are
/// read afresh at the start of every round, so knob changes apply to the
/// next round. Reports go to `reports`, if given.
pub async fn run_rounds(
    demo: Arc<dyn Demo>,
    settings: watch::Receiver<Settings>,
    stop: CancellationToken,
    reports: Option<mpsc::UnboundedSender<(u64, RoundReport)>>,
) {
    let mut round = 0;
    loop {
        let s = settings.borrow().clone();
        if stop.is_cancelled() || (s.rounds > 0 && round >= s.rounds) {
            break;
        }
        let task = tokio::spawn(demo.round(&s, round));
        let abort = task.abort_handle();
        tokio::select! {
            done = task => {
                metrics::counter!("rounds").increment(1);
                if let (Ok(report), Some(tx)) = (done, &reports) {
                    let _ = tx.send((round, report));
                }
            }
            () = stop.cancelled() => {
                abort.abort();
                break;
            }
        }
        round += 1;
    }
}
