use std::sync::Arc;

use super::*;
use crate::feed::Event;
use crate::model::{ModelConfig, TaskState};

fn model(parents: &[(TaskId, Option<TaskId>)]) -> Model {
    let mut m = Model::new(ModelConfig::default());
    let events: Vec<Event> = parents
        .iter()
        .map(|(id, parent)| Event::TaskSpawned {
            id: *id,
            parent: *parent,
            location: Arc::from("x.rs:1:1"),
            name: None,
            at: 0,
        })
        .collect();
    m.apply_all(&events);
    m
}

fn by_id() -> Sort {
    Sort {
        column: Column::Id,
        descending: false,
    }
}

#[test]
fn a_tree_nests_children_and_makes_orphans_roots() {
    // 9's parent 8 was never seen: 9 is a root.
    let m = model(&[
        (1, None),
        (2, Some(1)),
        (3, Some(2)),
        (4, Some(1)),
        (9, Some(8)),
    ]);
    let filter = TaskFilter::default();
    let collapsed = Collapsed::default();
    let q = RowQuery {
        sort: by_id(),
        filter: &filter,
        tree: true,
        collapsed: &collapsed,
    };
    let rows = task_rows(&m, &q).rows;
    let shape: Vec<(TaskId, u16, bool)> = rows.iter().map(|r| (r.id, r.depth, r.last)).collect();
    assert_eq!(
        shape,
        [
            (1, 0, false),
            (2, 1, false),
            (3, 2, true),
            (4, 1, true),
            (9, 0, true)
        ]
    );
    // 3 sits under 2, which has a sibling below: a guide at depth 1.
    assert_eq!(rows[2].guides, 1 << 1);
    assert_eq!(rows[0].children, 2);
}

#[test]
fn collapsing_hides_the_subtree_and_the_sort_orders_siblings() {
    let m = model(&[(1, None), (2, Some(1)), (3, Some(2)), (4, Some(1))]);
    let filter = TaskFilter::default();
    let mut collapsed = Collapsed::default();
    collapsed.toggle(2);
    let sort = Sort {
        column: Column::Id,
        descending: true,
    };
    let q = RowQuery {
        sort,
        filter: &filter,
        tree: true,
        collapsed: &collapsed,
    };
    let rows = task_rows(&m, &q);
    let ids: Vec<TaskId> = rows.rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 4, 2]);
    assert!(rows.rows[2].collapsed);
    assert_eq!(rows.matches, 4);
}

/// A model with many ties: few locations and busy times, names on some
/// tasks, parents missing or filtered, every state. Ids are spawned out
/// of order so no test can lean on the map's or the spawn order.
fn mixed_model() -> Model {
    let mut seed: u64 = 42;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let locations: Vec<Arc<str>> = ["a.rs:1:1", "b.rs:2:2", "B.rs:3:3", "c.rs:4:4"]
        .into_iter()
        .map(Arc::from)
        .collect();
    let ids: Vec<TaskId> = (0..400).map(|i| (i * 7919) % 1000 + 1).collect();
    let mut events = Vec::new();
    let mut running = Vec::new();
    for (i, id) in ids.iter().copied().enumerate() {
        let parent = match next(4) {
            0 => None,
            1 => Some(id),
            _ => Some(ids[next(i as u64 + 1) as usize]),
        };
        let name = (next(5) == 0).then(|| Arc::from(format!("fetch-{}", next(3))));
        let at = next(50);
        events.push(Event::TaskSpawned {
            id,
            parent,
            location: locations[next(4) as usize].clone(),
            name,
            at,
        });
        for _ in 0..next(3) {
            let start = at + 100 + next(10);
            events.push(Event::TaskPolled {
                id,
                start,
                end: start + next(3) * 10,
                scheduled_ns: next(2) * 5,
                worker: Some(0),
            });
        }
        match next(6) {
            0 => events.push(Event::TaskTerminated { id, at: 500 }),
            1 => running.push(crate::feed::InProgressPoll {
                id,
                worker: Some(1),
                since: 600,
            }),
            _ => {}
        }
    }
    events.push(Event::PollsInProgress {
        at: 700,
        polls: running,
    });
    events.push(Event::Tick { at: 1_000 });
    let mut m = Model::new(ModelConfig::default());
    m.apply_all(&events);
    m
}

/// The order the rows must have, computed the slow obvious way: every
/// task compared through its own fields, ties by id, then filtered.
fn reference_ids(m: &Model, sort: Sort, filter: &TaskFilter) -> Vec<TaskId> {
    let now = m.now();
    let mut tasks: Vec<&Task> = m.tasks().collect();
    tasks.sort_by(|a, b| {
        let o = match sort.column {
            Column::Id => a.id.cmp(&b.id),
            Column::State => a.state().cmp(&b.state()),
            Column::Location => a.label().cmp(b.label()),
            Column::Parent => a.parent().cmp(&b.parent()),
            Column::Total => a.total_ns(now).cmp(&b.total_ns(now)),
            Column::Busy => a.busy_ns(now).cmp(&b.busy_ns(now)),
            Column::Sched => a.scheduled_ns(now).cmp(&b.scheduled_ns(now)),
            Column::Idle => a.idle_ns(now).cmp(&b.idle_ns(now)),
            Column::Polls => a.polls.cmp(&b.polls),
        };
        directed(o, sort.descending).then(a.id.cmp(&b.id))
    });
    tasks.retain(|t| filter.matches(t));
    tasks.iter().map(|t| t.id).collect()
}

fn flat(sort: Sort, filter: &TaskFilter) -> RowQuery<'_> {
    static NONE: std::sync::LazyLock<Collapsed> = std::sync::LazyLock::new(Collapsed::default);
    RowQuery {
        sort,
        filter,
        tree: false,
        collapsed: &NONE,
    }
}

#[test]
fn every_column_direction_and_filter_gives_the_reference_order() {
    let m = mixed_model();
    let states = m.state_counts();
    assert!(states.running * states.scheduled * states.idle * states.done > 0);
    for text in [
        "",
        "b.rs",
        "FETCH",
        "idle",
        "running",
        "re:^fetch-[01]",
        "re:(",
        "zzz",
    ] {
        let mut filter = TaskFilter::default();
        filter.set(text);
        for column in Column::ALL {
            for descending in [false, true] {
                let sort = Sort { column, descending };
                let rows = task_rows(&m, &flat(sort, &filter));
                let ids: Vec<TaskId> = rows.rows.iter().map(|r| r.id).collect();
                let want = reference_ids(&m, sort, &filter);
                assert_eq!(
                    ids, want,
                    "{column:?} descending {descending} filter {text:?}"
                );
                assert_eq!(rows.matches, want.len());
            }
        }
    }
}

#[test]
fn ties_keep_ascending_ids_whichever_the_direction() {
    // 5 and 2 have one poll each, 9 and 7 none.
    let mut m = model(&[(9, None), (5, None), (7, None), (2, None)]);
    let poll = |id| Event::TaskPolled {
        id,
        start: 1,
        end: 2,
        scheduled_ns: 0,
        worker: None,
    };
    m.apply_all(&[poll(5), poll(2)]);
    let filter = TaskFilter::default();
    let ids = |descending| -> Vec<TaskId> {
        let sort = Sort {
            column: Column::Polls,
            descending,
        };
        task_rows(&m, &flat(sort, &filter))
            .rows
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids(true), [2, 5, 7, 9]);
    assert_eq!(ids(false), [7, 9, 2, 5]);
}

#[test]
fn a_parent_the_filter_hides_leaves_its_children_as_roots() {
    let mut m = Model::new(ModelConfig::default());
    let spawn = |id, parent, location: &str| Event::TaskSpawned {
        id,
        parent,
        location: Arc::from(location),
        name: None,
        at: 0,
    };
    m.apply_all(&[
        spawn(1, None, "keep.rs:1:1"),
        spawn(2, Some(1), "drop.rs:1:1"),
        spawn(3, Some(2), "keep.rs:2:1"),
        spawn(4, Some(1), "keep.rs:3:1"),
    ]);
    let mut filter = TaskFilter::default();
    filter.set("keep");
    let collapsed = Collapsed::default();
    let q = RowQuery {
        sort: by_id(),
        filter: &filter,
        tree: true,
        collapsed: &collapsed,
    };
    let rows = task_rows(&m, &q);
    let shape: Vec<(TaskId, u16)> = rows.rows.iter().map(|r| (r.id, r.depth)).collect();
    assert_eq!(shape, [(1, 0), (4, 1), (3, 0)]);
    assert_eq!(rows.matches, 3);
}

/// The tree the slow obvious way: children found by scanning the flat
/// order, so siblings keep it. (id, depth, last, children) per row.
fn reference_tree(m: &Model, flat_order: &[TaskId]) -> Vec<(TaskId, u16, bool, usize)> {
    let parent = |id: TaskId| {
        m.task(id)
            .and_then(|t| t.parent())
            .filter(|p| *p != id && flat_order.contains(p))
    };
    let kids = |of: Option<TaskId>| -> Vec<TaskId> {
        flat_order
            .iter()
            .copied()
            .filter(|id| parent(*id) == of)
            .collect()
    };
    fn walk(
        ids: &[TaskId],
        depth: u16,
        kids: &dyn Fn(Option<TaskId>) -> Vec<TaskId>,
        out: &mut Vec<(TaskId, u16, bool, usize)>,
    ) {
        for (n, id) in ids.iter().enumerate() {
            let children = kids(Some(*id));
            out.push((*id, depth, n + 1 == ids.len(), children.len()));
            walk(&children, depth + 1, kids, out);
        }
    }
    let mut out = Vec::new();
    walk(&kids(None), 0, &kids, &mut out);
    out
}

#[test]
fn the_tree_matches_the_reference_for_sorts_and_filters() {
    let m = mixed_model();
    let collapsed = Collapsed::default();
    let sorts = [
        (Column::Busy, true),
        (Column::Location, false),
        (Column::Id, true),
    ];
    for text in ["", "b.rs", "idle"] {
        let mut filter = TaskFilter::default();
        filter.set(text);
        for (column, descending) in sorts {
            let sort = Sort { column, descending };
            let q = RowQuery {
                sort,
                filter: &filter,
                tree: true,
                collapsed: &collapsed,
            };
            let rows = task_rows(&m, &q).rows;
            let shape: Vec<(TaskId, u16, bool, usize)> = rows
                .iter()
                .map(|r| (r.id, r.depth, r.last, r.children))
                .collect();
            let want = reference_tree(&m, &reference_ids(&m, sort, &filter));
            assert_eq!(
                shape, want,
                "{column:?} descending {descending} filter {text:?}"
            );
        }
    }
}

#[test]
fn state_counts_cover_every_task_and_never_go_stale() {
    let mut m = mixed_model();
    let mut filter = TaskFilter::default();
    filter.set("fetch");
    let mut order = TaskOrder::default();
    order.refresh(&m, &flat(by_id(), &filter));
    let before = m.state_counts();
    assert_eq!(order.state_counts(&m), before, "the filter hides none");
    // A task ends and the rows are not rebuilt yet.
    let id = m
        .tasks()
        .find(|t| t.state() == TaskState::Idle)
        .map(|t| t.id);
    let id = id.expect("the mixed model has idle tasks");
    m.apply_all(&[Event::TaskTerminated { id, at: 900 }]);
    assert_ne!(m.state_counts(), before);
    assert_eq!(order.state_counts(&m), m.state_counts());
    assert_eq!(order.sorts(), 1);
}
