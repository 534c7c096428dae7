//! Heap bytes per retained task as the allocator counts them, to check
//! `Model::task_bytes` against. Used by `benches/model_memory.rs` and
//! `tests/model_memory.rs`, which install [`Counting`] as their allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

use taskscope::feed::Event;
use taskscope::model::{Model, ModelConfig};

/// The system allocator, counting what each thread has live: bytes asked
/// for, and the same rounded up as glibc's malloc does (a 16-byte multiple
/// with an 8-byte header, at least 32), which is what small blocks cost.
pub struct Counting;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Live {
    pub asked: isize,
    pub glibc: isize,
}

thread_local! {
    static LIVE: Cell<Live> = const { Cell::new(Live { asked: 0, glibc: 0 }) };
}

fn glibc_chunk(size: usize) -> usize {
    (size.saturating_add(8 + 15) & !15).max(32)
}

fn count(size: usize, sign: isize) {
    let signed = |n: usize| isize::try_from(n).unwrap_or(isize::MAX) * sign;
    // try_with: a thread may free after its thread-locals are gone.
    let _ = LIVE.try_with(|l| {
        let v = l.get();
        l.set(Live {
            asked: v.asked + signed(size),
            glibc: v.glibc + signed(glibc_chunk(size)),
        });
    });
}

// SAFETY: every call goes to `System` unchanged; counting allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size(), 1);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size(), 1);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        count(layout.size(), -1);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(layout.size(), -1);
            count(new_size, 1);
        }
        p
    }
}

/// What this thread has live now.
#[must_use]
pub fn live() -> Live {
    LIVE.try_with(Cell::get).unwrap_or_default()
}

/// The shapes of task the model is fed, each named after the bench
/// workload it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// spawn, one poll, terminate (`spawn`).
    OnePoll,
    /// three polls (`timeouts`).
    FewPolls,
    /// 20 polls of spread-out lengths and run-queue waits (`semaphore`),
    /// so both histograms span several buckets.
    ManyPolls,
    /// children of one parent that stays alive (the demos), so the
    /// children index holds them.
    Children,
}

impl Shape {
    pub const ALL: [Shape; 4] = [
        Shape::OnePoll,
        Shape::FewPolls,
        Shape::ManyPolls,
        Shape::Children,
    ];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Shape::OnePoll => "1 poll",
            Shape::FewPolls => "3 polls",
            Shape::ManyPolls => "20 polls",
            Shape::Children => "children",
        }
    }

    fn polls(self) -> u64 {
        match self {
            Shape::OnePoll => 1,
            Shape::FewPolls => 3,
            Shape::ManyPolls => 20,
            Shape::Children => 2,
        }
    }
}

/// `tasks` completed tasks of `shape` (plus, for `Children`, their parent).
#[must_use]
pub fn events(shape: Shape, tasks: u64) -> Vec<Event> {
    let location: Arc<str> = Arc::from("src/work.rs:10:5");
    let mut out = Vec::new();
    let mut t = 1_000;
    let parent = (shape == Shape::Children).then_some(0);
    if let Some(p) = parent {
        out.push(Event::TaskSpawned {
            id: p,
            parent: None,
            location: location.clone(),
            name: None,
            at: t,
        });
    }
    for id in 1..=tasks {
        out.push(Event::TaskSpawned {
            id,
            parent,
            location: location.clone(),
            name: None,
            at: t,
        });
        for k in 0..shape.polls() {
            // 500 ns to 64 µs polls; waits of 1 µs to 0.5 ms (many polls).
            let poll_ns = 500 << ((id + k) % 8);
            let scheduled_ns = match shape {
                Shape::ManyPolls => 1_000 << ((id + 3 * k) % 10),
                _ => 0,
            };
            t += scheduled_ns + 100;
            out.push(Event::TaskPolled {
                id,
                start: t,
                end: t + poll_ns,
                scheduled_ns,
                worker: Some(u16::from(k % 2 == 1)),
            });
            t += poll_ns;
        }
        out.push(Event::TaskTerminated { id, at: t });
    }
    out
}

/// One measurement: what the model holds after taking `events`.
#[derive(Clone, Copy, Debug)]
pub struct Measured {
    pub retained: usize,
    /// Growth of this thread's live heap while the model was built.
    pub heap: Live,
    pub task_bytes: usize,
}

/// Feeds `events` to a model retaining every task, in batches as the live
/// source sends them, and counts what the model then holds.
#[must_use]
pub fn measure(events: &[Event]) -> Measured {
    let before = live();
    let mut model = Model::new(ModelConfig {
        retain_ns: u64::MAX / 2,
    });
    for batch in events.chunks(4096) {
        model.apply_all(batch);
    }
    let after = live();
    let m = Measured {
        retained: model.tasks().count(),
        heap: Live {
            asked: after.asked - before.asked,
            glibc: after.glibc - before.glibc,
        },
        task_bytes: model.task_bytes(),
    };
    drop(model);
    m
}
