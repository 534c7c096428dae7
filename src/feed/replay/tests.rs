use std::time::{Duration, Instant};

use super::*;
use crate::model::{Model, ModelConfig, Totals};
use crate::record::tsrec::tests::{batches, source};
use crate::record::tsrec::{Ending, Header};

const MS: u64 = 1_000_000;

/// 20 frames, 100 ms apart, frame `i` spawning task `i + 1`.
fn recording() -> Recording {
    let frames = batches(20)
        .into_iter()
        .enumerate()
        .map(|(i, events)| Frame {
            at_ns: i as u64 * 100 * MS,
            events,
        })
        .collect();
    Recording {
        version: 1,
        header: Header {
            taskscope_version: "test".into(),
            source: source(),
            started_unix_ms: 0,
        },
        frames,
        ending: Ending::Truncated { torn_bytes: 0 },
        unknown_events: 0,
    }
}

fn player(speed_percent: u16, now: Instant) -> Player {
    Player::new(recording(), speed_percent, now)
}

/// What the model holds, to compare two models.
fn state(model: &Model) -> (Totals, Vec<(u64, bool)>) {
    let mut tasks: Vec<(u64, bool)> = model
        .tasks()
        .map(|t| (t.id, t.terminated_at().is_some()))
        .collect();
    tasks.sort_unstable();
    (model.totals(), tasks)
}

/// The model of the first `n` frames, applied one by one as live.
fn model_of_first(n: usize) -> Model {
    let mut model = Model::new(ModelConfig::default());
    for batch in batches(20).iter().take(n) {
        model.apply_all(batch);
    }
    model
}

fn status(model: &Model) -> ReplayStatus {
    *model.replay().expect("a replay position")
}

fn seek(to: SeekTarget) -> Command {
    Command::Seek { to }
}

#[test]
fn frames_come_due_at_their_recorded_pace_times_the_speed() {
    let t0 = Instant::now();
    let mut p = player(200, t0);
    assert_eq!(p.next_due(), Some(t0));
    let mut model = Model::new(ModelConfig::default());
    // 500 ms at 2x is 1 s of recording: frames 0 ..= 10.
    model.apply_all(&p.due(t0 + Duration::from_millis(500)));
    assert_eq!(state(&model), state(&model_of_first(11)));
    assert_eq!(status(&model).at, 1000 * MS);
    assert_eq!(status(&model).length, 1900 * MS);
    // Frame 11 is 100 ms of recording later: 50 ms at 2x.
    assert_eq!(p.next_due(), Some(t0 + Duration::from_millis(550)));
}

#[test]
fn seeking_back_rebuilds_the_model_from_the_start() {
    let t0 = Instant::now();
    let t2 = t0 + Duration::from_secs(2);
    let mut p = player(100, t0);
    let mut model = Model::new(ModelConfig::default());
    model.apply_all(&p.due(t0 + Duration::from_millis(1500)));
    assert_eq!(state(&model), state(&model_of_first(16)));

    let batch = p.apply(seek(SeekTarget::At(450 * MS)), t2);
    model.apply_all(&batch.expect("a batch"));
    assert_eq!(state(&model), state(&model_of_first(5)));
    assert_eq!(model.source(), &source());
    assert_eq!(status(&model).at, 450 * MS);

    // And forward again, by a delta, without a reset.
    let batch = p.apply(seek(SeekTarget::By(1000 * MS as i64)), t2);
    let batch = batch.expect("a batch");
    assert!(!matches!(batch[0], Event::SessionStarted { .. }));
    model.apply_all(&batch);
    assert_eq!(state(&model), state(&model_of_first(15)));
}

#[test]
fn seeking_past_either_end_stops_there() {
    let t0 = Instant::now();
    let mut p = player(100, t0);
    let mut model = Model::new(ModelConfig::default());
    let end = p.apply(seek(SeekTarget::At(Nanos::MAX)), t0);
    model.apply_all(&end.expect("a batch"));
    assert_eq!(state(&model), state(&model_of_first(20)));
    assert_eq!(status(&model).at, status(&model).length);
    assert!(p.at_end());
    let start = p.apply(seek(SeekTarget::By(-100_000 * MS as i64)), t0);
    model.apply_all(&start.expect("a batch"));
    // Frame 0 is at time 0, so seeking to 0 still shows it.
    assert_eq!(state(&model), state(&model_of_first(1)));
    assert_eq!(status(&model).at, 0);
}

#[test]
fn pause_holds_the_clock_and_step_delivers_one_frame() {
    let t0 = Instant::now();
    let mut p = player(100, t0);
    let mut model = Model::new(ModelConfig::default());
    model.apply_all(&p.due(t0 + Duration::from_millis(250)));
    let paused = p.apply(Command::Pause, t0 + Duration::from_millis(300));
    model.apply_all(&paused.expect("a status"));
    assert!(status(&model).paused);
    assert_eq!(p.next_due(), None);
    assert_eq!(p.position(t0 + Duration::from_secs(60)), 300 * MS);

    let step = p.apply(Command::Step, t0 + Duration::from_secs(60));
    model.apply_all(&step.expect("a frame"));
    assert_eq!(state(&model), state(&model_of_first(4)));
    assert_eq!(status(&model).at, 300 * MS);
    assert!(status(&model).paused);

    // Going on: frame 4 (at 400 ms) is due 100 ms after resuming.
    let t1 = t0 + Duration::from_secs(61);
    p.apply(Command::Pause, t1);
    assert_eq!(p.next_due(), Some(t1 + Duration::from_millis(100)));
}

#[test]
fn speed_is_kept_between_a_quarter_and_sixteen_times() {
    let t0 = Instant::now();
    let mut p = player(100, t0);
    let batch = p.apply(Command::SetSpeed { percent: 5000 }, t0);
    assert!(matches!(
        batch.as_deref(),
        Some([Event::ReplayPosition(ReplayStatus {
            speed_percent: 1600,
            ..
        })])
    ));
    assert_eq!(next_speed(100, true), 200);
    assert_eq!(next_speed(1600, true), 1600);
    assert_eq!(next_speed(50, false), 25);
    assert_eq!(next_speed(25, false), 25);
}

#[tokio::test]
async fn a_fast_replay_delivers_every_frame_then_closes() {
    let opts = ReplayOptions {
        paced: false,
        speed_percent: 100,
        close_at_end: true,
    };
    let mut feed = start(recording(), opts);
    let mut model = Model::new(ModelConfig::default());
    while let Some(batch) = feed.batches.recv().await {
        model.apply_all(&batch);
    }
    assert_eq!(state(&model), state(&model_of_first(20)));
    assert_eq!(status(&model).at, 1900 * MS);
}

#[tokio::test]
async fn a_paced_replay_takes_the_recorded_time_over_the_speed() {
    let opts = ReplayOptions {
        paced: true,
        speed_percent: 1600,
        close_at_end: true,
    };
    let started = Instant::now();
    let mut feed = start(recording(), opts);
    let mut model = Model::new(ModelConfig::default());
    while let Some(batch) = feed.batches.recv().await {
        model.apply_all(&batch);
    }
    // 1.9 s of recording at 16x: about 119 ms.
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(115), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(state(&model), state(&model_of_first(20)));
}

#[tokio::test]
async fn commands_reach_a_paced_replay() {
    let opts = ReplayOptions {
        paced: true,
        speed_percent: 25,
        close_at_end: false,
    };
    let mut feed = start(recording(), opts);
    let mut model = Model::new(ModelConfig::default());
    let to = SeekTarget::At(Nanos::MAX);
    feed.commands.send(Command::Seek { to }).expect("send");
    feed.commands.send(Command::Stop).expect("send");
    while let Some(batch) = feed.batches.recv().await {
        model.apply_all(&batch);
    }
    assert_eq!(state(&model), state(&model_of_first(20)));
}
