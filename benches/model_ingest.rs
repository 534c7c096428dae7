//! How fast the model takes events: the goal is at least 1M task events/s,
//! so a 200k-task burst (600k events) is absorbed within a frame or two.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use taskscope::feed::Event;
use taskscope::model::{Model, ModelConfig};

/// `tasks` tasks, each spawned, polled `polls` times and terminated: the
/// shape of the probe's feed.
fn events(tasks: u64, polls: u64) -> Vec<Event> {
    let locations: Vec<Arc<str>> = (0..16)
        .map(|i| Arc::from(format!("src/demo.rs:{i}:5")))
        .collect();
    let mut out = Vec::new();
    let mut t = 0;
    for id in 1..=tasks {
        t += 10;
        let location = locations[(id % 16) as usize].clone();
        out.push(Event::TaskSpawned {
            id,
            parent: Some(id / 2),
            location,
            name: None,
            at: t,
        });
        for _ in 0..polls {
            out.push(Event::TaskPolled {
                id,
                start: t + 1,
                end: t + 5,
                scheduled_ns: 100,
                worker: Some(0),
            });
            t += 10;
        }
        out.push(Event::TaskTerminated { id, at: t });
    }
    out
}

fn ingest(c: &mut Criterion) {
    let mut group = c.benchmark_group("model_ingest");
    for (tasks, polls) in [(100_000u64, 1u64), (20_000, 20)] {
        let batch = events(tasks, polls);
        group.throughput(Throughput::Elements(batch.len() as u64));
        group.bench_function(format!("{tasks}_tasks_x_{polls}_polls"), |b| {
            b.iter_batched(
                || {
                    Model::new(ModelConfig {
                        retain_ns: u64::MAX / 2,
                    })
                },
                |mut model| {
                    model.apply_all(black_box(&batch));
                    model
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = ingest
}
criterion_main!(benches);
