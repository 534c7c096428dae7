use std::sync::Arc;

use crate::feed::{ConnectionState, Event, SourceInfo};
use crate::model::{Model, ModelConfig};

const S: u64 = 1_000_000_000;

fn connection(state: ConnectionState) -> Event {
    Event::Connection {
        target: "http://127.0.0.1:6669".into(),
        state,
    }
}

fn lost() -> ConnectionState {
    ConnectionState::Disconnected {
        retry_in_ms: Some(100),
        reason: "gone".into(),
    }
}

#[test]
fn the_connection_survives_a_new_session_and_counts_losses() {
    let mut m = Model::new(ModelConfig::default());
    m.apply_all(&[connection(ConnectionState::Connecting), connection(lost())]);
    let c = m.connection().expect("a connection");
    assert!(!c.ever_connected);
    assert_eq!(c.disconnects, 0, "a failed attempt is not a lost link");
    m.apply_all(&[
        connection(ConnectionState::Connected),
        Event::SessionStarted {
            source: SourceInfo::default(),
            at: 0,
        },
        connection(lost()),
    ]);
    let c = m.connection().expect("kept across sessions");
    assert!(c.ever_connected);
    assert_eq!(c.disconnects, 1);
    assert_eq!(c.state, lost());
}

#[test]
fn a_location_whose_alive_count_only_rises_is_flagged() {
    let mut m = Model::new(ModelConfig::default());
    let spawn = |id, location: &str, at| Event::TaskSpawned {
        id,
        parent: None,
        location: Arc::from(location),
        name: None,
        at,
    };
    // One sample a second: "leak" gains a task each time, "steady" does not.
    for i in 0..5 {
        m.apply_all(&[spawn(i, "leak.rs:1:1", i * S), Event::Tick { at: i * S }]);
    }
    m.apply_all(&[spawn(100, "steady.rs:1:1", 0)]);
    assert!(m.console().only_grows("leak.rs:1:1"));
    assert!(!m.console().only_grows("steady.rs:1:1"));
    m.apply_all(&[
        Event::TaskTerminated { id: 0, at: 5 * S },
        Event::TaskTerminated { id: 1, at: 5 * S },
        Event::Tick { at: 5 * S },
    ]);
    assert!(!m.console().only_grows("leak.rs:1:1"), "it fell");
}
