//! The one list of key bindings. Input handling, the footer and the help
//! overlay are all built from it, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    Home,
    End,
    Enter,
    Esc,
}

impl Key {
    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl_or_alt = event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self, event.code) {
            (Key::Char(want), KeyCode::Char(got)) => want == got && !ctrl_or_alt,
            (Key::Ctrl(want), KeyCode::Char(got)) => {
                want == got.to_ascii_lowercase() && event.modifiers.contains(KeyModifiers::CONTROL)
            }
            (Key::Up, KeyCode::Up)
            | (Key::Down, KeyCode::Down)
            | (Key::Left, KeyCode::Left)
            | (Key::Right, KeyCode::Right)
            | (Key::Home, KeyCode::Home)
            | (Key::End, KeyCode::End)
            | (Key::Enter, KeyCode::Enter)
            | (Key::Esc, KeyCode::Esc) => true,
            _ => false,
        }
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
        keys: &[Key::Left],
        action: Action::SortPrev,
        help: "sort by the column to the left",
        hint: Some("sort"),
    },
    Binding {
        keys: &[Key::Right],
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

/// The action bound to a key press, if any.
#[must_use]
pub fn action_for_key(event: &KeyEvent) -> Option<Action> {
    KEYMAP
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

/// The binding of `action`, for hints that name its keys.
#[must_use]
pub fn binding_of(action: Action) -> Option<&'static Binding> {
    KEYMAP.iter().find(|b| b.action == action)
}

/// The footer's key hints, `(keys, word)`, in keymap order.
#[must_use]
pub fn footer_hints(glyphs: Glyphs) -> Vec<(String, &'static str, Action)> {
    let mut hints: Vec<(String, &'static str, Action)> = Vec::new();
    for b in KEYMAP {
        let (Some(word), Some(key)) = (b.hint, b.keys.first()) else {
            continue;
        };
        match hints.last_mut() {
            Some((keys, last_word, _)) if *last_word == word => {
                keys.push('/');
                keys.push_str(&key.label(glyphs));
            }
            _ => hints.push((key.label(glyphs), word, b.action)),
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        let keys: Vec<Key> = KEYMAP.iter().flat_map(|b| b.keys.iter().copied()).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k:?} is bound twice");
        }
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
