//! What the model keeps per retained task, counted by the allocator (goal:
//! at most 256 bytes per completed task), next to `Model::task_bytes`,
//! which `taskscope bench` reports. Task counts are those of the bench
//! workloads, plus a few just past a growth step of the model's tables.
//!
//! `cargo bench --bench model_memory`

#[path = "../tests/support/heap.rs"]
mod heap;

use heap::{Counting, Shape};

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
}
