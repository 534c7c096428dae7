//! The rows as a spawn tree: each task under its parent if the parent is
//! shown, siblings and roots in the sort order.
//!
//! Built from positions in the sorted ids: one map from id to position,
//! then children as slices of one array, so 100k tasks cost two lookups
//! each and no allocation per parent.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{Collapsed, TaskRow};
use crate::feed::TaskId;

/// The rows for `ids` (sorted, shown) given `parents`, (task, parent)
/// pairs that may name tasks not shown.
pub(super) fn tree_rows(
    ids: &[TaskId],
    parents: &[(TaskId, TaskId)],
    collapsed: &Collapsed,
) -> Vec<TaskRow> {
    let position: IdMap<usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut parent_of: Vec<Option<usize>> = vec![None; ids.len()];
    for (id, parent) in parents {
        if let (Some(i), Some(p)) = (position.get(id), position.get(parent)) {
            if i != p {
                parent_of[*i] = Some(*p);
            }
        }
    }
    let children = Children::of(&parent_of);
    let roots: Vec<usize> = (0..ids.len()).filter(|i| parent_of[*i].is_none()).collect();

    let mut rows = Vec::with_capacity(ids.len());
    // Depth-first without recursion: spawn chains can be deep. Each task
    // has one parent, so none is reached twice.
    let mut stack: Vec<(usize, TaskRow)> = push_order(&roots, ids, 0, 0).collect();
    while let Some((i, mut row)) = stack.pop() {
        let kids = children.of_row(i);
        row.children = kids.len();
        row.collapsed = collapsed.contains(row.id);
        rows.push(row);
        if !row.collapsed {
            let guides = if row.depth > 0 && !row.last && row.depth < 64 {
                row.guides | (1 << row.depth)
            } else {
                row.guides
            };
            stack.extend(push_order(kids, ids, row.depth.saturating_add(1), guides));
        }
    }
    rows
}

/// Every row's children, in row order, as slices of one array.
struct Children {
    /// Row `i`'s children are `rows[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    rows: Vec<usize>,
}

impl Children {
    fn of(parent_of: &[Option<usize>]) -> Self {
        let mut start = vec![0; parent_of.len() + 1];
        for p in parent_of.iter().flatten() {
            start[p + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![0; parent_of.iter().flatten().count()];
        for (i, p) in parent_of.iter().enumerate() {
            if let Some(p) = p {
                rows[next[*p]] = i;
                next[*p] += 1;
            }
        }
        Self { start, rows }
    }

    fn of_row(&self, i: usize) -> &[usize] {
        &self.rows[self.start[i]..self.start[i + 1]]
    }
}

/// Siblings as stack entries: reversed, so the first pops first.
fn push_order<'a>(
    siblings: &'a [usize],
    ids: &'a [TaskId],
    depth: u16,
    guides: u64,
) -> impl Iterator<Item = (usize, TaskRow)> + 'a {
    let last = siblings.len().saturating_sub(1);
    siblings.iter().enumerate().rev().map(move |(n, i)| {
        let row = TaskRow {
            id: ids[*i],
            depth,
            guides,
            last: n == last,
            children: 0,
            collapsed: false,
        };
        (*i, row)
    })
}

/// Task ids hashed with one multiply, as rustc's FxHash does: they come
/// from the runtime, not from an adversary, and SipHash was most of the
/// cost of a tree at 100k tasks.
type IdMap<V> = HashMap<TaskId, V, BuildHasherDefault<IdHasher>>;

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
