//! What the model keeps per retained task, counted by the allocator (goal:
//! at most 256 bytes per completed task), next to `Model::task_bytes`,
//! which `taskscope bench` reports. Task counts are those of the bench
//! workloads and a few just past a growth step of a 7/8-full hash table;
//! then the worst `task_bytes` per task over every count up to 20000.
//!
//! `cargo bench --bench model_memory`

#[path = "../tests/support/heap.rs"]
mod heap;

use heap::{Counting, Shape};
use taskscope::model::{Model, ModelConfig};

#[global_allocator]
static ALLOC: Counting = Counting;

const TASKS: [u64; 7] = [2, 1_000, 10_000, 200_000, 7_169, 14_337, 114_689];

fn per_task(bytes: isize, tasks: usize) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let (b, n) = (bytes as f64, tasks.max(1) as f64);
    b / n
}

fn main() {
    println!(
        "| shape | tasks | heap B/task | glibc B/task | task_bytes B/task | task_bytes - heap |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let mut worst_gap: f64 = 0.0;
    for shape in Shape::ALL {
        for tasks in TASKS {
            let events = heap::events(shape, tasks);
            let m = heap::measure(&events);
            let counted = isize::try_from(m.task_bytes).unwrap_or(isize::MAX);
            let gap = per_task(counted - m.heap.asked, m.retained);
            if m.retained >= 1_000 {
                worst_gap = worst_gap.max(gap.abs());
            }
            println!(
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:+.1} |",
                shape.label(),
                m.retained,
                per_task(m.heap.asked, m.retained),
                per_task(m.heap.glibc, m.retained),
                per_task(counted, m.retained),
                gap,
            );
        }
    }
    println!("\nlargest |task_bytes - heap| per task at 1000 tasks or more: {worst_gap:.1} B");
    // Below some 64 tasks, the tables' smallest allocations dominate.
    for shape in Shape::ALL {
        let [all, from_64] = worst_per_task(shape, 20_000, [1, 64]);
        println!(
            "{}: worst task_bytes per task {:.1} B at {} tasks; from 64 tasks on {:.1} B at {}",
            shape.label(),
            all.0,
            all.1,
            from_64.0,
            from_64.1
        );
    }
}

/// Feeds `tasks` tasks one at a time, looking after each: the worst bytes
/// per task, with the count it was seen at, from each of `from` tasks on.
fn worst_per_task<const N: usize>(shape: Shape, tasks: u64, from: [usize; N]) -> [(f64, usize); N] {
    let mut model = Model::new(ModelConfig {
        retain_ns: u64::MAX / 2,
    });
    let mut worst = [(0.0, 0); N];
    for e in heap::events(shape, tasks) {
        let done = matches!(e, taskscope::feed::Event::TaskTerminated { .. });
        model.apply_all([&e]);
        if !done {
            continue;
        }
        let retained = model.tasks().count();
        let b = per_task(
            isize::try_from(model.task_bytes()).unwrap_or(isize::MAX),
            retained,
        );
        for (w, min) in worst.iter_mut().zip(from) {
            if retained >= min && b > w.0 {
                *w = (b, retained);
            }
        }
    }
    worst
}
