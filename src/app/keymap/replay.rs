//! The keys that drive a replay. Over a replay they come before the
//! general keymap: a key bound here shadows its general binding (Left and
//! Right seek instead of sorting; sorting keeps `s`/`S`).

use super::{Binding, Key};
use crate::app::Action;

/// In footer order, shown before the general hints over a replay.
pub const REPLAY_KEYMAP: &[Binding] = &[
    Binding {
        keys: &[Key::Char(' ')],
        action: Action::TogglePause,
        help: "pause or resume the replay",
        hint: Some("pause"),
    },
    Binding {
        keys: &[Key::Char('.')],
        action: Action::StepFrame,
        help: "replay: pause, play one frame",
        hint: Some("step"),
    },
    Binding {
        keys: &[Key::Left],
        action: Action::SeekBack,
        help: "replay: back 1 s",
        hint: Some("seek"),
    },
    Binding {
        keys: &[Key::Right],
        action: Action::SeekForward,
        help: "replay: forward 1 s",
        hint: Some("seek"),
    },
    Binding {
        keys: &[Key::ShiftLeft],
        action: Action::SeekBackFar,
        help: "replay: back 10 s",
        hint: None,
    },
    Binding {
        keys: &[Key::ShiftRight],
        action: Action::SeekForwardFar,
        help: "replay: forward 10 s",
        hint: None,
    },
    Binding {
        keys: &[Key::Home],
        action: Action::SeekStart,
        help: "replay: to the start",
        hint: None,
    },
    Binding {
        keys: &[Key::End],
        action: Action::SeekEnd,
        help: "replay: to the end",
        hint: None,
    },
    Binding {
        keys: &[Key::Char('<'), Key::Char('[')],
        action: Action::SlowDown,
        help: "replay: slower (to 0.25x)",
        hint: Some("speed"),
    },
    Binding {
        keys: &[Key::Char('>'), Key::Char(']')],
        action: Action::SpeedUp,
        help: "replay: faster (to 16x)",
        hint: Some("speed"),
    },
];
