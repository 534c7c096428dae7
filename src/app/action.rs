//! Everything the user can ask for, and the one place terminal events
//! become actions.

use ratatui::crossterm::event::{Event, KeyEventKind};

use super::keymap::action_for_key;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SelectPrev,
    SelectNext,
    SelectFirst,
    SelectLast,
    SortPrev,
    SortNext,
    InvertSort,
    TogglePause,
    ToggleHelp,
    CloseHelp,
    ToggleFixed,
    KnobUp,
    KnobDown,
    Quit,
    /// Nothing changed but the screen must be drawn again (resize).
    Redraw,
}

/// The action for a terminal event. Only key presses count (terminals
/// that report release and repeat would otherwise act twice); events
/// nobody handles give `None`, never a panic.
#[must_use]
pub fn action_for(event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => action_for_key(key),
        Event::Resize(..) | Event::FocusGained => Some(Action::Redraw),
        _ => None,
    }
}
