//! One frame of the tasks view: the goal is at most 4 ms with 10k live
//! tasks and 16 ms with 100k, so the dashboard keeps up at 20 fps. Two
//! cases: the sorted order cached (nothing changed since the last frame)
//! and a frame that has to re-sort (a batch arrived).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use taskscope::feed::{Event, RuntimeSample, SourceInfo, WorkerSample};
use taskscope::model::{Model, ModelConfig};
use taskscope::ui::{render_to_buffer, Theme, ViewState};

fn model_with(tasks: u64) -> Model {
    let mut model = Model::new(ModelConfig::default());
    let mut events = vec![Event::SessionStarted {
        source: SourceInfo {
            kind: "demo".into(),
            name: "bench".into(),
            engine: "probe".into(),
            ..SourceInfo::default()
        },
        at: 0,
    }];
    let locations: Vec<Arc<str>> = (0..32)
        .map(|i| Arc::from(format!("src/w.rs:{i}:9")))
        .collect();
    for id in 1..=tasks {
        let location = locations[(id % 32) as usize].clone();
        events.push(Event::TaskSpawned {
            id,
            parent: Some(id / 8),
            location,
            name: None,
            at: id,
        });
        // Different busy times, so sorting has work to do.
        let busy = (id * 7919) % 100_000;
        events.push(Event::TaskPolled {
            id,
            start: id + 10,
            end: id + 10 + busy,
            scheduled_ns: 50,
            worker: Some(0),
        });
    }
    let sample = |at| {
        Event::Runtime(RuntimeSample {
            at,
            workers: vec![WorkerSample::default(); 2],
            ..RuntimeSample::default()
        })
    };
    events.push(sample(1_000_000_000));
    events.push(sample(2_000_000_000));
    model.apply_all(&events);
    model
}

fn frames(c: &mut Criterion) {
    let theme = Theme::new(false, true);
    let mut group = c.benchmark_group("tasks_view_frame_120x36");
    for tasks in [10_000u64, 100_000] {
        let model = model_with(tasks);
        let mut view = ViewState::default();
        view.order.refresh(&model, view.sort);
        group.bench_function(format!("{tasks}_tasks_cached_order"), |b| {
            b.iter(|| black_box(render_to_buffer(&model, &view, &theme, 120, 36)));
        });
        group.bench_function(format!("{tasks}_tasks_with_resort"), |b| {
            b.iter(|| {
                let mut fresh = ViewState::default();
                fresh.order.refresh(&model, fresh.sort);
                black_box(render_to_buffer(&model, &fresh, &theme, 120, 36))
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = frames
}
criterion_main!(benches);
