//! `[keys]` overrides: action names and key strings, checked against the
//! keymap. An overridden action answers only to its new keys; every other
//! binding stays as the keymap has it.

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyEvent;
use serde::Deserialize;

use crate::app::keymap::{Key, KeyContext, Keymap, KEYMAP, REPLAY_KEYMAP};
use crate::app::Action;

/// One key or several, as written in the file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

impl KeySpec {
    fn strings(&self) -> &[String] {
        match self {
            KeySpec::One(s) => std::slice::from_ref(s),
            KeySpec::Many(v) => v,
        }
    }
}

/// Validated overrides, in keymap order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyOverrides {
    pub bindings: Vec<(Action, Vec<Key>)>,
}

impl KeyOverrides {
    /// Checks every action name and key, and that no key ends up bound to
    /// two actions. The error is one line.
    pub fn parse(table: &BTreeMap<String, KeySpec>) -> Result<Self, String> {
        let mut bindings = Vec::new();
        for (name, spec) in table {
            let action = action_by_name(name).ok_or_else(|| {
                format!(
                    "unknown action '{name}' (actions: {})",
                    action_names().join(", ")
                )
            })?;
            let keys = spec
                .strings()
                .iter()
                .map(|s| parse_key(s).map_err(|e| format!("{name}: {e}")))
                .collect::<Result<Vec<Key>, String>>()?;
            if keys.is_empty() {
                return Err(format!("{name}: give at least one key"));
            }
            bindings.push((action, keys));
        }
        Keymap::new(bindings.clone())?;
        Ok(Self { bindings })
    }

    /// The keymap the app uses: the defaults with these overrides.
    #[must_use]
    pub fn keymap(&self) -> Keymap {
        Keymap::new(self.bindings.clone()).unwrap_or_default()
    }

    /// The keys of `action` after the overrides, for a live source.
    #[must_use]
    pub fn keys_of(&self, action: Action) -> Vec<Key> {
        self.keymap().keys_of(action, KeyContext::Live)
    }

    /// The action of a key press after the overrides, for a live source.
    #[must_use]
    pub fn action_for_key(&self, event: &KeyEvent) -> Option<Action> {
        self.keymap().action_for(event, KeyContext::Live)
    }
}

/// `SelectPrev` -> `select_prev`, `ShowTab(Tasks)` -> `show_tab_tasks`.
#[must_use]
pub fn action_name(action: Action) -> String {
    let mut out = String::new();
    for c in format!("{action:?}").chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Every action the keymap binds, by config name, in keymap order.
#[must_use]
pub fn action_names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for b in KEYMAP.iter().chain(REPLAY_KEYMAP) {
        let name = action_name(b.action);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn action_by_name(name: &str) -> Option<Action> {
    KEYMAP
        .iter()
        .chain(REPLAY_KEYMAP)
        .map(|b| b.action)
        .find(|a| action_name(*a) == name)
}

/// `q`, `G`, `+`, `space`, `esc`, `up`, `ctrl-c` (also `C-c`, `Ctrl+c`).
pub fn parse_key(s: &str) -> Result<Key, String> {
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return if c.is_control() {
            Err(format!(
                "key '{}' is a control character",
                c.escape_default()
            ))
        } else {
            Ok(Key::Char(c))
        };
    }
    let lower = s.to_ascii_lowercase();
    let ctrl = ["ctrl-", "ctrl+", "c-"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    if let Some(rest) = ctrl {
        let mut cs = rest.chars();
        return match (cs.next(), cs.next()) {
            (Some(c), None) if c.is_ascii_lowercase() => Ok(Key::Ctrl(c)),
            _ => Err(format!(
                "key '{s}': Ctrl goes with one letter, as in ctrl-c"
            )),
        };
    }
    Ok(match lower.as_str() {
        "space" => Key::Char(' '),
        "esc" | "escape" => Key::Esc,
        "up" => Key::Up,
        "down" => Key::Down,
        "left" => Key::Left,
        "right" => Key::Right,
        "shift-left" | "shift+left" | "s-left" => Key::ShiftLeft,
        "shift-right" | "shift+right" | "s-right" => Key::ShiftRight,
        "home" => Key::Home,
        "end" => Key::End,
        "enter" | "return" => Key::Enter,
        _ => {
            return Err(format!(
                "cannot read key '{s}' (a character, space, enter, esc, up, down, left, right, shift-left, shift-right, home, end or ctrl-LETTER)"
            ))
        }
    })
}

/// How errors and `gen-config` write a key (parses back with `parse_key`).
#[must_use]
pub fn key_name(key: Key) -> String {
    match key {
        Key::Char(' ') => "space".into(),
        Key::Char(c) => c.to_string(),
        Key::Ctrl(c) => format!("ctrl-{c}"),
        Key::Up => "up".into(),
        Key::Down => "down".into(),
        Key::Left => "left".into(),
        Key::Right => "right".into(),
        Key::ShiftLeft => "shift-left".into(),
        Key::ShiftRight => "shift-right".into(),
        Key::Home => "home".into(),
        Key::End => "end".into(),
        Key::Enter => "enter".into(),
        Key::Esc => "esc".into(),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn table(pairs: &[(&str, &[&str])]) -> BTreeMap<String, KeySpec> {
        pairs
            .iter()
            .map(|(a, ks)| {
                (
                    (*a).to_owned(),
                    KeySpec::Many(ks.iter().map(|k| (*k).to_owned()).collect()),
                )
            })
            .collect()
    }

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_parse_and_print_back() {
        for s in [
            "q",
            "G",
            "+",
            "space",
            "esc",
            "up",
            "down",
            "left",
            "right",
            "shift-left",
            "shift-right",
            "home",
            "end",
            "ctrl-c",
        ] {
            let key = parse_key(s).expect(s);
            assert_eq!(key_name(key), s);
        }
        assert_eq!(parse_key("C-x"), Ok(Key::Ctrl('x')));
        assert_eq!(parse_key("Ctrl+Q"), Ok(Key::Ctrl('q')));
        assert!(parse_key("ctrl-").is_err());
        assert!(parse_key("f13").is_err());
        assert!(parse_key("").is_err());
    }

    #[test]
    fn an_override_replaces_the_actions_keys_only() {
        let o = KeyOverrides::parse(&table(&[("quit", &["x"])])).expect("valid");
        let none = KeyModifiers::NONE;
        assert_eq!(
            o.action_for_key(&press(KeyCode::Char('x'), none)),
            Some(Action::Quit)
        );
        assert_eq!(o.action_for_key(&press(KeyCode::Char('q'), none)), None);
        assert_eq!(
            o.action_for_key(&press(KeyCode::Char('?'), none)),
            Some(Action::ToggleHelp)
        );
        assert_eq!(
            o.action_for_key(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None,
            "ctrl-c was quit's and quit now has only x"
        );
    }

    #[test]
    fn unknown_actions_bad_keys_and_conflicts_are_named() {
        let e = KeyOverrides::parse(&table(&[("quitt", &["q"])])).expect_err("unknown");
        assert!(
            e.contains("unknown action 'quitt'") && e.contains("quit"),
            "{e}"
        );
        let e = KeyOverrides::parse(&table(&[("quit", &["ctrl-"])])).expect_err("bad key");
        assert!(e.contains("quit") && e.contains("ctrl-"), "{e}");
        let e = KeyOverrides::parse(&table(&[("quit", &["f"])])).expect_err("conflict");
        assert!(e.contains("'f'") && e.contains("toggle_fixed"), "{e}");
        // Swapping two actions' keys is fine.
        KeyOverrides::parse(&table(&[("quit", &["f"]), ("toggle_fixed", &["q"])])).expect("swap");
    }

    #[test]
    fn action_names_are_snake_case() {
        assert_eq!(action_name(Action::SelectPrev), "select_prev");
        assert_eq!(
            action_name(Action::ShowTab(crate::ui::Tab::Runtime)),
            "show_tab_runtime"
        );
        assert_eq!(action_name(Action::SeekForwardFar), "seek_forward_far");
        assert!(action_names().contains(&"quit".to_owned()));
    }
}
