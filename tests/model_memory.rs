//! `Model::task_bytes`, which `taskscope bench` reports per task, against
//! what the allocator itself counts while a model takes completed tasks.

#[path = "support/heap.rs"]
mod heap;

use heap::{Counting, Shape};

#[global_allocator]
static ALLOC: Counting = Counting;

/// The goal of issue #7: at most 256 bytes per completed task retained.
const GOAL: isize = 256;

#[test]
fn task_bytes_is_what_the_allocator_counts_for_the_tasks() {
    for shape in Shape::ALL {
        // Just past a growth step of a 7/8-full table, and in between.
        for tasks in [1_000u64, 7_169, 20_000] {
            let m = heap::measure(&heap::events(shape, tasks));
            let parent = u64::from(shape == Shape::Children);
            assert_eq!(m.retained as u64, tasks + parent, "every task is retained");
            let counted = isize::try_from(m.task_bytes).expect("fits");
            // Only the model's fixed overhead (histories, samples) is left out.
            let left_out = m.heap.asked - counted;
            assert!(
                (0..2_048).contains(&left_out),
                "{} x {tasks}: allocator {} B, task_bytes {counted} B",
                shape.label(),
                m.heap.asked
            );
            let per_task = m.heap.asked / isize::try_from(m.retained).expect("fits");
            assert!(per_task <= GOAL, "{}: {per_task} B per task", shape.label());
        }
    }
}
