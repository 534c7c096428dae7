//! The one list of key bindings. Input handling, the footer and the help
//! overlay are all built from it, so they cannot disagree. Over a replay,
//! [`REPLAY_KEYMAP`] comes first; `[keys]` overrides from the config are
//! applied by [`Keymap`], which is what the app and the UI ask.

mod replay;
mod resolved;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use replay::REPLAY_KEYMAP;
pub use resolved::{ActiveBinding, KeyContext, Keymap};

use super::Action;
use crate::ui::{Glyphs, Tab};

/// A key as the keymap names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A printable character; Shift is part of the character.
    Char(char),
    /// Control plus a lowercase letter.
    Ctrl(char),
    Up,
    Down,
    Left,
    Right,
    ShiftLeft,
    ShiftRight,
    Home,
    End,
    Enter,
    Esc,
}

impl Key {
    /// The keymap's name for a key press, if it can name it. Shift is
    /// part of a character; with arrows it is a key of its own.
    #[must_use]
    pub fn of_event(event: &KeyEvent) -> Option<Key> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        Some(match event.code {
            KeyCode::Char(c) if ctrl && !alt => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) if !ctrl && !alt => Key::Char(c),
            KeyCode::Left if shift => Key::ShiftLeft,
            KeyCode::Right if shift => Key::ShiftRight,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            _ => return None,
        })
    }

    /// How the footer and the help overlay write this key.
    #[must_use]
    pub fn label(self, glyphs: Glyphs) -> String {
        match self {
            Key::Char(' ') => "space".to_owned(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::Up => glyphs.arrow_up().to_owned(),
            Key::Down => glyphs.arrow_down().to_owned(),
            Key::Left => glyphs.arrow_left().to_owned(),
            Key::Right => glyphs.arrow_right().to_owned(),
            Key::ShiftLeft => format!("Shift-{}", glyphs.arrow_left()),
            Key::ShiftRight => format!("Shift-{}", glyphs.arrow_right()),
            Key::Home => "Home".to_owned(),
            Key::End => "End".to_owned(),
            Key::Enter => "Enter".to_owned(),
            Key::Esc => "Esc".to_owned(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Binding {
    /// The first key is the one the footer shows.
    pub keys: &'static [Key],
    pub action: Action,
    /// One line for the help overlay.
    pub help: &'static str,
    /// A word for the footer; bindings next to each other with the same
    /// word share one hint (`↑/↓ move`). None: help overlay only.
    pub hint: Option<&'static str>,
}

/// In footer order: the footer drops hints from the right when narrow.
pub const KEYMAP: &[Binding] = &[
    Binding {
        keys: &[Key::Char('t')],
        action: Action::ShowTab(Tab::Tasks),
        help: "tasks tab: every task, sortable, filterable, as a table or a tree",
        hint: Some("tasks"),
    },
    Binding {
        keys: &[Key::Char('r')],
        action: Action::ShowTab(Tab::Resources),
        help: "resources tab: semaphores, locks, channels, pools by time waited",
        hint: Some("resources"),
    },
    Binding {
        keys: &[Key::Char('u')],
        action: Action::ShowTab(Tab::Runtime),
        help: "runtime tab: workers, queues, blocking threads over time",
        hint: Some("runtime"),
    },
    Binding {
        keys: &[Key::Char('m')],
        action: Action::ShowTab(Tab::Metrics),
        help: "metrics tab: the workload's own series over the last minute",
        hint: Some("metrics"),
    },
    Binding {
        keys: &[Key::Char('w')],
        action: Action::ShowTab(Tab::Warnings),
        help: "warnings tab: what the lints found and what to change",
        hint: Some("warnings"),
    },
    Binding {
        keys: &[Key::Char('d')],
        action: Action::ShowTab(Tab::Demos),
        help: "demos tab: pick the demo to run",
        hint: Some("demos"),
    },
    Binding {
        keys: &[Key::Char('/')],
        action: Action::StartFilter,
        help: "filter tasks (resources on their tab): text, or re:regex",
        hint: Some("filter"),
    },
    Binding {
        keys: &[Key::Char(' ')],
        action: Action::TogglePause,
        help: "pause or resume the display (data keeps coming in)",
        hint: Some("pause"),
    },
    Binding {
        keys: &[Key::Enter],
        action: Action::Open,
        help: "open the detail, follow a link or warning, run the demo",
        hint: Some("open"),
    },
    Binding {
        keys: &[Key::Char('T')],
        action: Action::ToggleTree,
        help: "show tasks as a spawn tree or a flat table",
        hint: Some("tree"),
    },
    Binding {
        keys: &[Key::Char('c')],
        action: Action::ToggleFold,
        help: "tree: fold or unfold the selected task's children",
        hint: None,
    },
    Binding {
        keys: &[Key::Up, Key::Char('k')],
        action: Action::SelectPrev,
        help: "select the previous row",
        hint: Some("move"),
    },
    Binding {
        keys: &[Key::Down, Key::Char('j')],
        action: Action::SelectNext,
        help: "select the next row",
        hint: Some("move"),
    },
    Binding {
        keys: &[Key::Home, Key::Char('g')],
        action: Action::SelectFirst,
        help: "select the first row",
        hint: None,
    },
    Binding {
        keys: &[Key::End, Key::Char('G')],
        action: Action::SelectLast,
        help: "select the last row",
        hint: None,
    },
    Binding {
        keys: &[Key::Left, Key::Char('S')],
        action: Action::SortPrev,
        help: "sort by the column to the left",
        hint: Some("sort"),
    },
    Binding {
        keys: &[Key::Right, Key::Char('s')],
        action: Action::SortNext,
        help: "sort by the column to the right",
        hint: Some("sort"),
    },
    Binding {
        keys: &[Key::Char('i')],
        action: Action::InvertSort,
        help: "invert the sort order",
        hint: Some("invert"),
    },
    Binding {
        keys: &[Key::Char('f')],
        action: Action::ToggleFixed,
        help: "demo: switch between the broken and the fixed variant",
        hint: Some("fixed"),
    },
    Binding {
        keys: &[Key::Char('+'), Key::Char('=')],
        action: Action::KnobUp,
        help: "demo: raise the main knob",
        hint: Some("knob"),
    },
    Binding {
        keys: &[Key::Char('-')],
        action: Action::KnobDown,
        help: "demo: lower the main knob",
        hint: Some("knob"),
    },
    Binding {
        keys: &[Key::Char('?')],
        action: Action::ToggleHelp,
        help: "show or hide this help",
        hint: Some("help"),
    },
    Binding {
        keys: &[Key::Esc],
        action: Action::Back,
        help: "back: close help or detail, clear the filter",
        hint: None,
    },
    Binding {
        keys: &[Key::Ctrl('z')],
        action: Action::Suspend,
        help: "suspend to the shell (fg resumes)",
        hint: None,
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c')],
        action: Action::Quit,
        help: "quit",
        hint: Some("quit"),
    },
];

/// The action bound to a key press by the default keymap of a live
/// source, if any. The app asks its [`Keymap`] instead.
#[must_use]
pub fn action_for_key(event: &KeyEvent) -> Option<Action> {
    Keymap::default().action_for(event, KeyContext::Live)
}

/// The default binding of `action`; the UI asks its [`Keymap`] instead,
/// which knows the overrides and the replay keys.
#[must_use]
pub fn binding_of(action: Action) -> Option<&'static Binding> {
    KEYMAP
        .iter()
        .chain(REPLAY_KEYMAP)
        .find(|b| b.action == action)
}

/// The default footer of a live source, `(keys, word, action)`.
#[must_use]
pub fn footer_hints(glyphs: Glyphs) -> Vec<(String, &'static str, Action)> {
    Keymap::default().footer_hints(glyphs, KeyContext::Live)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        for table in [KEYMAP, REPLAY_KEYMAP] {
            let keys: Vec<Key> = table.iter().flat_map(|b| b.keys.iter().copied()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k:?} is bound twice");
            }
        }
    }

    #[test]
    fn shift_makes_arrows_other_keys_but_not_characters() {
        let shift = KeyModifiers::SHIFT;
        let left = KeyEvent::new(KeyCode::Left, shift);
        assert_eq!(Key::of_event(&left), Some(Key::ShiftLeft));
        let right = KeyEvent::new(KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(Key::of_event(&right), Some(Key::Right));
        let gt = KeyEvent::new(KeyCode::Char('>'), shift);
        assert_eq!(Key::of_event(&gt), Some(Key::Char('>')));
    }

    #[test]
    fn footer_groups_neighbours_with_the_same_word() {
        let hints = footer_hints(Glyphs { ascii: true });
        let shown: Vec<String> = hints.iter().map(|(k, w, _)| format!("{k} {w}")).collect();
        assert_eq!(
            shown,
            [
                "t tasks",
                "r resources",
                "u runtime",
                "m metrics",
                "w warnings",
                "d demos",
                "/ filter",
                "space pause",
                "Enter open",
                "T tree",
                "Up/Down move",
                "Left/Right sort",
                "i invert",
                "f fixed",
                "+/- knob",
                "? help",
                "q quit"
            ]
        );
    }
}
