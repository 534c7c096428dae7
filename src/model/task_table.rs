//! The retained tasks, packed: one `Vec<Task>` that grows by a quarter at a
//! time and shrinks after evictions, found by id through a hash table of
//! 4-byte slots. A `HashMap<TaskId, Task>` holds whole tasks in its buckets,
//! and right after it grows only 7/16 of them are full: up to 2.3 times
//! the size of a task per task.

use std::hash::{BuildHasher, RandomState};
use std::mem::size_of;

use hashbrown::HashTable;

use super::Task;
use crate::feed::TaskId;

#[derive(Clone, Debug, Default)]
pub struct TaskTable {
    tasks: Vec<Task>,
    /// The index in `tasks` of each task, hashed by the task's id.
    slots: HashTable<u32>,
    hasher: RandomState,
}

/// Room for this many more when `len` are full: a quarter more, so at most
/// a fifth of the room is unused (doubling leaves up to half).
#[must_use]
pub fn growth(len: usize) -> usize {
    (len / 4).max(1)
}

/// The room to keep for `len` after evictions, if `capacity` is worth
/// shrinking: at most half used.
#[must_use]
pub fn shrunk(len: usize, capacity: usize) -> Option<usize> {
    (len <= capacity / 2).then(|| len + len / 4)
}

impl TaskTable {
    fn hash(&self, id: TaskId) -> u64 {
        self.hasher.hash_one(id)
    }

    #[must_use]
    pub fn get(&self, id: TaskId) -> Option<&Task> {
        let slot = self
            .slots
            .find(self.hash(id), |s| is(&self.tasks, *s, id))?;
        self.tasks.get(*slot as usize)
    }

    pub fn get_mut(&mut self, id: TaskId) -> Option<&mut Task> {
        let hash = self.hash(id);
        let slot = *self.slots.find(hash, |s| is(&self.tasks, *s, id))?;
        self.tasks.get_mut(slot as usize)
    }

    /// Adds `task`, or replaces the task of the same id.
    pub fn insert(&mut self, task: Task) {
        let hash = self.hash(task.id);
        let Self {
            tasks,
            slots,
            hasher,
        } = self;
        if let Some(slot) = slots.find(hash, |s| is(tasks, *s, task.id)) {
            if let Some(t) = tasks.get_mut(*slot as usize) {
                *t = task;
            }
            return;
        }
        // Past 4 billion retained tasks (640 GB of them), new ones are not kept.
        let Ok(slot) = u32::try_from(tasks.len()) else {
            return;
        };
        if tasks.len() == tasks.capacity() {
            tasks.reserve_exact(growth(tasks.len()));
        }
        tasks.push(task);
        slots.insert_unique(hash, slot, |s| rehash(hasher, tasks, *s));
    }

    pub fn remove(&mut self, id: TaskId) -> Option<Task> {
        let hash = self.hash(id);
        let Self {
            tasks,
            slots,
            hasher,
        } = self;
        let (slot, _) = slots.find_entry(hash, |s| is(tasks, *s, id)).ok()?.remove();
        let slot = slot as usize;
        if slot >= tasks.len() {
            return None;
        }
        let task = tasks.swap_remove(slot);
        // The last task moved into the freed slot: point its entry there.
        if let Some(moved) = tasks.get(slot) {
            let was = tasks.len();
            if let Some(s) = slots.find_mut(hasher.hash_one(moved.id), |s| *s as usize == was) {
                *s = u32::try_from(slot).unwrap_or(u32::MAX);
            }
        }
        Some(task)
    }

    /// Gives back memory that evictions freed, once at most half is used.
    pub fn shrink(&mut self) {
        let len = self.tasks.len();
        if let Some(keep) = shrunk(len, self.tasks.capacity()) {
            self.tasks.shrink_to(keep);
        }
        if len <= self.slots.capacity() / 4 {
            let Self {
                tasks,
                slots,
                hasher,
            } = self;
            slots.shrink_to(len, |s| rehash(hasher, tasks, *s));
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// In no particular order.
    pub fn values(&self) -> std::slice::Iter<'_, Task> {
        self.tasks.iter()
    }

    /// Bytes allocated for the tasks and the index (not the tasks' own heap).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.tasks.capacity() * size_of::<Task>() + self.slots.allocation_size()
    }
}

fn is(tasks: &[Task], slot: u32, id: TaskId) -> bool {
    tasks.get(slot as usize).is_some_and(|t| t.id == id)
}

fn rehash(hasher: &RandomState, tasks: &[Task], slot: u32) -> u64 {
    tasks
        .get(slot as usize)
        .map_or(0, |t| hasher.hash_one(t.id))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn task(id: TaskId) -> Task {
        Task::new(id, None, Arc::from("t.rs:1:1"), None, id)
    }

    #[test]
    fn finds_tasks_by_id_after_removals_move_others() {
        let mut t = TaskTable::default();
        for id in 0..100 {
            t.insert(task(id));
        }
        for id in (0..100).step_by(3) {
            assert_eq!(t.remove(id).map(|t| t.id), Some(id));
        }
        assert_eq!(t.remove(0), None);
        assert_eq!(t.values().len(), 66);
        for id in 0..100 {
            assert_eq!(t.get(id).map(|t| t.id), (id % 3 != 0).then_some(id));
        }
        if let Some(x) = t.get_mut(50) {
            x.polls = 7;
        }
        let mut again = task(50);
        again.busy_ns = 1;
        t.insert(again);
        assert_eq!(t.values().len(), 66, "the same id replaces");
        assert_eq!(t.get(50).map(|t| (t.polls, t.busy_ns)), Some((0, 1)));
    }

    #[test]
    fn grows_by_a_quarter_and_shrinks_when_half_empty() {
        let mut t = TaskTable::default();
        for id in 0..1_000 {
            t.insert(task(id));
            assert!(t.tasks.capacity() <= (t.tasks.len() * 5).div_ceil(4) + 1);
        }
        let full = t.heap_bytes();
        for id in 0..900 {
            t.remove(id);
        }
        t.shrink();
        assert!(t.tasks.capacity() <= 125, "{}", t.tasks.capacity());
        assert!(t.heap_bytes() < full / 5);
        for id in 900..1_000 {
            assert_eq!(t.get(id).map(|t| t.id), Some(id));
        }
        t.shrink();
        for id in 900..1_000 {
            t.remove(id);
        }
        t.shrink();
        assert_eq!(t.values().len(), 0);
        assert_eq!(t.heap_bytes(), 0);
    }
}
