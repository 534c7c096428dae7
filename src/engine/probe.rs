//! The probe engine's collector: drains the probe's per-thread buffers,
//! orders what they hold, and turns it into feed events.

use std::collections::{HashMap, HashSet};
use std::panic::Location;
use std::sync::Arc;

use taskscope_probe::{Probe, ProbeEvent};

use crate::feed::{Event, InProgressPoll, ResourceId, ResourceKind, TaskId};

/// Converts probe events into feed events, one drain at a time.
pub struct ProbeCollector {
    probe: Probe,
    /// Keyed by the address of tokio's `&'static Location`.
    locations: HashMap<usize, Arc<str>>,
    /// Tasks spawned and not yet terminated. Events for other ids are held
    /// back one drain (their spawn may still sit in another thread's
    /// buffer), then dropped: `spawn_blocking` tasks and worker threads fire
    /// terminate hooks with ids that were never spawned as tasks.
    alive: HashSet<TaskId>,
    held_back: Vec<ProbeEvent>,
    /// Resources announced and not dropped; events of others are held back
    /// one drain like tasks' (the announcement may sit in another buffer).
    resources: HashSet<ResourceId>,
    scratch: Vec<ProbeEvent>,
    /// Probe thread index -> runtime worker index.
    workers: HashMap<u32, u16>,
}

impl ProbeCollector {
    #[must_use]
    pub fn new(probe: Probe) -> Self {
        Self {
            probe,
            locations: HashMap::new(),
            alive: HashSet::new(),
            held_back: Vec::new(),
            resources: HashSet::new(),
            scratch: Vec::new(),
            workers: HashMap::new(),
        }
    }

    #[must_use]
    pub fn probe(&self) -> &Probe {
        &self.probe
    }

    /// Tells the collector which probe threads are which runtime workers.
    pub fn set_worker_threads(&mut self, worker_threads: &[Option<std::thread::ThreadId>]) {
        self.workers.clear();
        for (index, thread) in self.probe.threads() {
            if let Some(w) = worker_threads.iter().position(|t| *t == Some(thread)) {
                self.workers
                    .insert(index, u16::try_from(w).unwrap_or(u16::MAX));
            }
        }
    }

    /// Drains the probe and appends feed events, in time order, to `out`.
    pub fn collect(&mut self, out: &mut Vec<Event>) {
        let mut fresh = std::mem::take(&mut self.scratch);
        self.probe.drain(&mut fresh);
        let mut all: Vec<(bool, ProbeEvent)> = std::mem::take(&mut self.held_back)
            .into_iter()
            .map(|e| (true, e))
            .chain(fresh.drain(..).map(|e| (false, e)))
            .collect();
        // Threads are drained one after another: order across them by time.
        all.sort_by_key(|(_, e)| e.at());
        for (was_retried, e) in all {
            self.convert(e, was_retried, out);
        }
        self.scratch = fresh;
    }

    fn convert(&mut self, e: ProbeEvent, was_retried: bool, out: &mut Vec<Event>) {
        match e {
            ProbeEvent::Spawn {
                task,
                parent,
                location,
                at,
            } => {
                self.alive.insert(task);
                let location = self.location(location);
                out.push(Event::TaskSpawned {
                    id: task,
                    parent,
                    location,
                    name: None,
                    at,
                });
            }
            ProbeEvent::Poll {
                task,
                start,
                end,
                scheduled_ns,
                thread,
                terminated,
            } => {
                if self.alive.contains(&task) {
                    let worker = self.workers.get(&thread).copied();
                    out.push(Event::TaskPolled {
                        id: task,
                        start,
                        end,
                        scheduled_ns,
                        worker,
                    });
                    if terminated {
                        self.alive.remove(&task);
                        out.push(Event::TaskTerminated { id: task, at: end });
                    }
                } else if !was_retried {
                    self.held_back.push(e);
                }
            }
            ProbeEvent::Terminate { task, at } => {
                if self.alive.remove(&task) {
                    out.push(Event::TaskTerminated { id: task, at });
                } else if !was_retried {
                    self.held_back.push(e);
                }
            }
            ProbeEvent::ResourceCreated { meta, at } => {
                if self.resources.insert(meta.id) {
                    let location = self.location(meta.location);
                    out.push(Event::ResourceCreated {
                        id: meta.id,
                        kind: kind(meta.kind),
                        name: meta.name.clone(),
                        capacity: meta.capacity,
                        location,
                        at,
                    });
                }
            }
            _ => self.convert_resource(e, was_retried, out),
        }
    }

    fn convert_resource(&mut self, e: ProbeEvent, was_retried: bool, out: &mut Vec<Event>) {
        let task = |t: u64| (t != 0).then_some(t);
        let event = match e {
            ProbeEvent::ResourceWaiting {
                resource,
                task: t,
                at,
            } => Event::ResourceWaiting {
                id: resource,
                task: task(t),
                at,
            },
            ProbeEvent::ResourceWaitCancelled {
                resource,
                task: t,
                since,
                at,
            } => Event::ResourceWaitCancelled {
                id: resource,
                task: task(t),
                since,
                at,
            },
            ProbeEvent::ResourceAcquired {
                resource,
                task: t,
                amount,
                wait_started,
                at,
            } => Event::ResourceAcquired {
                id: resource,
                task: task(t),
                amount,
                wait_started,
                at,
            },
            ProbeEvent::ResourceReleased {
                resource,
                task: t,
                amount,
                acquired_at,
                at,
            } => Event::ResourceReleased {
                id: resource,
                task: task(t),
                amount,
                acquired_at,
                at,
            },
            ProbeEvent::ResourceCapacity {
                resource,
                capacity,
                at,
            } => Event::ResourceCapacity {
                id: resource,
                capacity,
                at,
            },
            ProbeEvent::ResourceDropped { resource, at } => {
                Event::ResourceDropped { id: resource, at }
            }
            _ => return,
        };
        let Some(id) = resource_of(&event) else {
            return;
        };
        if !self.resources.contains(&id) {
            if !was_retried {
                self.held_back.push(e);
            }
            return;
        }
        if matches!(event, Event::ResourceDropped { .. }) {
            self.resources.remove(&id);
        }
        out.push(event);
    }

    /// Polls running now, as a feed event.
    #[must_use]
    pub fn polls_in_progress(&self, at: u64) -> Event {
        let polls = self
            .probe
            .polls_in_progress()
            .into_iter()
            .filter(|p| self.alive.contains(&p.task))
            .map(|p| InProgressPoll {
                id: p.task,
                worker: self.workers.get(&p.thread_index).copied(),
                since: p.since,
            })
            .collect();
        Event::PollsInProgress { at, polls }
    }

    fn location(&mut self, location: &'static Location<'static>) -> Arc<str> {
        self.locations
            .entry(std::ptr::from_ref(location) as usize)
            .or_insert_with(|| {
                Arc::from(format!(
                    "{}:{}:{}",
                    location.file(),
                    location.line(),
                    location.column()
                ))
            })
            .clone()
    }
}

fn kind(k: taskscope_probe::ResourceKind) -> ResourceKind {
    match k {
        taskscope_probe::ResourceKind::Semaphore => ResourceKind::Semaphore,
        taskscope_probe::ResourceKind::Mutex => ResourceKind::Mutex,
        taskscope_probe::ResourceKind::RwLock => ResourceKind::RwLock,
        taskscope_probe::ResourceKind::Channel => ResourceKind::Channel,
        taskscope_probe::ResourceKind::Pool => ResourceKind::Pool,
    }
}

fn resource_of(e: &Event) -> Option<ResourceId> {
    match e {
        Event::ResourceWaiting { id, .. }
        | Event::ResourceWaitCancelled { id, .. }
        | Event::ResourceAcquired { id, .. }
        | Event::ResourceReleased { id, .. }
        | Event::ResourceCapacity { id, .. }
        | Event::ResourceDropped { id, .. } => Some(*id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spawned_task_is_seen_once_with_its_parent() {
        let probe = Probe::new();
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2).enable_all();
        let rt = probe.instrument(&mut builder).build().expect("runtime");
        let mut collector = ProbeCollector::new(probe);
        let mut out = Vec::new();
        let root = rt.block_on(async {
            let root = tokio::spawn(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..1000 {
                    set.spawn(async { tokio::task::yield_now().await });
                }
                while set.join_next().await.is_some() {}
            });
            let id = root.id();
            root.await.expect("root");
            crate::engine::probe::tests::id(id)
        });
        // spawn_blocking fires a terminate hook for an id never spawned.
        rt.block_on(async { tokio::task::spawn_blocking(|| ()).await.expect("blocking") });
        drop(rt);
        collector.collect(&mut out);
        collector.collect(&mut out);
        let spawned: Vec<_> = out
            .iter()
            .filter_map(|e| match e {
                Event::TaskSpawned { id, parent, .. } => Some((*id, *parent)),
                _ => None,
            })
            .collect();
        let terminated = out
            .iter()
            .filter(|e| matches!(e, Event::TaskTerminated { .. }))
            .count();
        assert_eq!(spawned.len(), 1001);
        assert_eq!(
            terminated, 1001,
            "the spawn_blocking terminate is not a task"
        );
        assert_eq!(
            spawned.iter().filter(|(_, p)| *p == Some(root)).count(),
            1000
        );
        let first_poll = |id| {
            out.iter()
                .position(|e| matches!(e, Event::TaskPolled { id: i, .. } if *i == id))
        };
        let spawn_at = |id| {
            out.iter()
                .position(|e| matches!(e, Event::TaskSpawned { id: i, .. } if *i == id))
        };
        for (id, _) in &spawned {
            assert!(
                spawn_at(*id) < first_poll(*id),
                "task {id} polled before its spawn"
            );
        }
        assert!(out.iter().any(
            |e| matches!(e, Event::TaskSpawned { location, .. } if location.contains("probe.rs"))
        ));
    }

    #[test]
    fn resource_events_carry_the_task_and_reach_the_model() {
        use taskscope_probe::resources::Semaphore;
        let probe = Probe::new();
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2).enable_all();
        let rt = probe.instrument(&mut builder).build().expect("runtime");
        let mut collector = ProbeCollector::new(probe);
        // Made outside any task: announced on its first use in one.
        let sem = Arc::new(Semaphore::new_named("permits", 1));
        let (a, b) = rt.block_on(async {
            let spawn = |sem: Arc<Semaphore>| {
                tokio::spawn(async move {
                    let _p = sem.acquire().await.expect("open");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                })
            };
            let (a, b) = (spawn(sem.clone()), spawn(sem.clone()));
            let ids = (id(a.id()), id(b.id()));
            a.await.expect("a");
            b.await.expect("b");
            ids
        });
        drop(rt);
        let mut out = Vec::new();
        collector.collect(&mut out);
        collector.collect(&mut out);
        let created = out
            .iter()
            .position(|e| matches!(e, Event::ResourceCreated { name, kind: ResourceKind::Semaphore, location, .. }
                if &**name == "permits" && location.contains("probe.rs")))
            .expect("announced");
        let acquirers: Vec<Option<TaskId>> = out
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Event::ResourceAcquired { task, .. } => {
                    assert!(i > created, "acquired before announced");
                    Some(*task)
                }
                _ => None,
            })
            .collect();
        assert_eq!(acquirers.len(), 2);
        assert!(acquirers.contains(&Some(a)) && acquirers.contains(&Some(b)));
        let mut model = crate::model::Model::new(crate::model::ModelConfig::default());
        model.apply_all(&out);
        let summary = model.resource_summaries();
        assert_eq!(summary.len(), 1);
        assert_eq!(summary[0].stats.acquisitions, 2);
        assert_eq!(summary[0].stats.max_waiters, 1);
        assert!(summary[0].stats.hold_p50_us() >= 9_000);
    }

    pub(super) fn id(id: tokio::task::Id) -> TaskId {
        taskscope_probe::task_id_u64(id)
    }
}
