//! Everything the user can ask for, and the one place terminal events
//! become actions.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::keymap::{KeyContext, Keymap};
use crate::ui::Tab;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ShowTab(Tab),
    SelectPrev,
    SelectNext,
    SelectFirst,
    SelectLast,
    SortPrev,
    SortNext,
    InvertSort,
    TogglePause,
    ToggleHelp,
    /// Enter: open the selected task's detail, follow the highlighted
    /// link in a detail, run the highlighted demo.
    Open,
    /// Esc: close the help, else stop and clear the filter being typed,
    /// else close the detail, else clear the filter.
    Back,
    /// The tasks table as a spawn tree, or flat.
    ToggleTree,
    /// Fold or unfold the selected tree node's children.
    ToggleFold,
    /// Start typing a filter.
    StartFilter,
    FilterInput(char),
    FilterBackspace,
    /// Enter while typing: keep the filter, stop typing.
    FilterDone,
    /// A mouse click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    ToggleFixed,
    KnobUp,
    KnobDown,
    /// Replay: pause and deliver the next recorded frame.
    StepFrame,
    /// Replay: 1 s back.
    SeekBack,
    /// Replay: 1 s forward.
    SeekForward,
    /// Replay: 10 s back.
    SeekBackFar,
    /// Replay: 10 s forward.
    SeekForwardFar,
    /// Replay: to the start of the recording.
    SeekStart,
    /// Replay: to the end of the recording.
    SeekEnd,
    /// Replay: one step down the speed ladder.
    SlowDown,
    /// Replay: one step up the speed ladder.
    SpeedUp,
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
    Quit,
    /// Nothing changed but the screen must be drawn again (resize).
    Redraw,
}

/// Whether keys are commands or text being typed (the filter).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputMode {
    #[default]
    Keys,
    Text,
}

/// The action for a terminal event under the default keymap of a live
/// source; the app uses [`action_with`] and its own keymap.
#[must_use]
pub fn action_for(event: &Event, mode: InputMode) -> Option<Action> {
    action_with(event, mode, &Keymap::default(), KeyContext::Live)
}

/// The action for a terminal event. Only key presses count (terminals
/// that report release and repeat would otherwise act twice); events
/// nobody handles give `None`, never a panic.
#[must_use]
pub fn action_with(
    event: &Event,
    mode: InputMode,
    keymap: &Keymap,
    context: KeyContext,
) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => match mode {
            InputMode::Keys => keymap.action_for(key, context),
            InputMode::Text => text_action(key),
        },
        Event::Mouse(mouse) => mouse_action(mouse),
        Event::Resize(..) | Event::FocusGained => Some(Action::Redraw),
        _ => None,
    }
}

/// Typing a filter: characters are text; Enter keeps, Esc clears, and
/// Ctrl-C still quits.
fn text_action(key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => Some(Action::Quit),
        KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
            Some(Action::FilterInput(c))
        }
        KeyCode::Backspace => Some(Action::FilterBackspace),
        KeyCode::Enter => Some(Action::FilterDone),
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Up => Some(Action::SelectPrev),
        KeyCode::Down => Some(Action::SelectNext),
        _ => None,
    }
}

/// Left click selects what is under it; the wheel moves the selection.
fn mouse_action(mouse: &MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            column: mouse.column,
            row: mouse.row,
        }),
        MouseEventKind::ScrollUp => Some(Action::SelectPrev),
        MouseEventKind::ScrollDown => Some(Action::SelectNext),
        _ => None,
    }
}
