//! Bounded concurrency: a Semaphore in front of a downstream service whose
//! latency grows with its load. Broken: the error path forgets its permit
//! instead of dropping it, so capacity shrinks round after round until every
//! request waits. `permits = 0` removes the semaphore to show the overload
//! it prevents.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use taskscope_probe::resources::Semaphore;
use tokio::task::JoinSet;

use crate::support::{exactly, ms, round_rng, share, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct SemaphoreDemo {
    /// Lives across rounds so a leaked permit stays leaked; rebuilt when
    /// the settings change.
    state: Mutex<Option<(Settings, Arc<Downstream>)>>,
}

static INFO: DemoInfo = DemoInfo {
    name: "semaphore",
    summary: "a Semaphore bounds calls to a slow service; broken: permits leak on errors",
    explain: "Each round sends a burst of `requests` to a downstream service whose \
              latency grows with the number of calls in flight; a Semaphore (the resource `permits`) with \
              `permits` permits keeps that number low. Broken: a failed call runs \
              permit.forget() instead of dropping the permit, so every error costs \
              one permit for good: watch permits_available fall round by round and \
              `waiting` climb until every request waits and the round gives up \
              (requests_starved). Fixed: the permit is dropped on every path. Set \
              permits to 0 to remove the semaphore: in_flight jumps to the whole \
              burst and every call gets slow. Changing any knob resets the semaphore.",
    knobs: &[
        Knob {
            name: "permits",
            default: 8,
            min: 0,
            max: 1000,
            help: "semaphore permits (0: no semaphore)",
        },
        Knob {
            name: "requests",
            default: 40,
            min: 1,
            max: 10_000,
            help: "requests per round, sent at once",
        },
        Knob {
            name: "latency_ms",
            default: 10,
            min: 1,
            max: 5000,
            help: "downstream latency when idle",
        },
        Knob {
            name: "overload_at",
            default: 8,
            min: 1,
            max: 1000,
            help: "calls in flight at which downstream latency doubles (grows with the square)",
        },
        Knob {
            name: "error_pct",
            default: 3,
            min: 0,
            max: 100,
            help: "share of calls that fail (exact per round)",
        },
        Knob {
            name: "deadline_ms",
            default: 500,
            min: 10,
            max: 60_000,
            help: "a round gives up on requests still waiting after this",
        },
    ],
};

/// The semaphore and the simulated service behind it.
struct Downstream {
    /// None when `permits = 0`: no bound at all.
    permits: Option<Semaphore>,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    latency_ms: u64,
    overload_at: u64,
}

impl SemaphoreDemo {
    #[must_use]
    pub fn new() -> Self {
        Self {
            state: Mutex::new(None),
        }
    }

    /// The downstream for these settings: the same one as last round unless
    /// a knob or the variant changed.
    fn downstream(&self, s: &Settings) -> Arc<Downstream> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((known, downstream)) = state.as_ref() {
            if known == s {
                return Arc::clone(downstream);
            }
        }
        let permits = usize::try_from(s.count("permits")).unwrap_or(usize::MAX);
        let downstream = Arc::new(Downstream {
            permits: (permits > 0).then(|| Semaphore::new_named("permits", permits)),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
            latency_ms: s.count("latency_ms"),
            overload_at: s.count("overload_at").max(1),
        });
        *state = Some((s.clone(), Arc::clone(&downstream)));
        downstream
    }
}

impl Default for SemaphoreDemo {
    fn default() -> Self {
        Self::new()
    }
}

impl Demo for SemaphoreDemo {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, round: u64) -> RoundFuture {
        let downstream = self.downstream(s);
        let requests = s.count("requests");
        let mut rng = round_rng(s, round);
        let failing = exactly(&mut rng, requests, share(requests, s.count("error_pct")));
        let deadline = ms(s.count("deadline_ms"));
        let fixed = s.fixed;
        Box::pin(async move {
            let mut report = RoundReport::default();
            let mut set = JoinSet::new();
            for fails in failing {
                set.spawn(request(Arc::clone(&downstream), fails, fixed));
            }
            let finished = tokio::time::timeout(deadline, async {
                while let Some(done) = set.join_next().await {
                    match done {
                        Ok(Ok(())) => report.items += 1,
                        _ => report.errors += 1,
                    }
                }
            })
            .await;
            if finished.is_err() {
                // Still waiting for a permit: give up on them.
                let starved = set.len() as u64;
                report.errors += starved;
                metrics::counter!("requests_starved").increment(starved);
                set.shutdown().await;
            }
            downstream.publish_permits();
            report
        })
    }
}

#[derive(Debug)]
struct CallFailed;

async fn request(downstream: Arc<Downstream>, fails: bool, fixed: bool) -> Result<(), CallFailed> {
    let permit = match &downstream.permits {
        Some(permits) => {
            let _waiting = GaugeGuard::new(metrics::gauge!("waiting"));
            Some(permits.acquire().await.map_err(|_| CallFailed)?)
        }
        None => None,
    };
    downstream.publish_permits();
    // The holder count lives inside call(), which ends before the permit
    // is released, so it never exceeds the permits.
    let result = downstream.call(fails).await;
    if let (Err(_), Some(permit)) = (&result, permit) {
        if fixed {
            drop(permit);
        } else {
            // The mistake: this permit never comes back.
            permit.forget();
            metrics::counter!("permits_leaked").increment(1);
        }
    }
    downstream.publish_permits();
    result
}

impl Downstream {
    async fn call(&self, fails: bool) -> Result<(), CallFailed> {
        let _holder = Holder::enter(self);
        let load = self.in_flight.load(Ordering::Relaxed);
        // Latency doubles at `overload_at` calls and keeps growing with the
        // square of the load, like a service past its comfortable limit.
        let slowdown = 1.0 + (load as f64 / self.overload_at as f64).powi(2);
        let latency = (self.latency_ms as f64 * slowdown) as u64;
        metrics::histogram!("call_ms").record(latency as f64);
        tokio::time::sleep(ms(latency)).await;
        if fails {
            metrics::counter!("errors").increment(1);
            Err(CallFailed)
        } else {
            metrics::counter!("items_done").increment(1);
            Ok(())
        }
    }

    fn publish_permits(&self) {
        if let Some(permits) = &self.permits {
            metrics::gauge!("permits_available").set(permits.available_permits() as f64);
        }
    }
}

/// One call in the downstream: counts holders, and the most seen at once.
struct Holder<'a> {
    downstream: &'a Downstream,
    _in_flight: GaugeGuard,
}

impl<'a> Holder<'a> {
    fn enter(downstream: &'a Downstream) -> Self {
        let now = downstream.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        let max = downstream
            .max_in_flight
            .fetch_max(now, Ordering::Relaxed)
            .max(now);
        metrics::gauge!("in_flight_max").set(max as f64);
        metrics::histogram!("in_flight_at_call").record(now as f64);
        Self {
            downstream,
            _in_flight: GaugeGuard::new(metrics::gauge!("in_flight")),
        }
    }
}

impl Drop for Holder<'_> {
    fn drop(&mut self) {
        self.downstream.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}
