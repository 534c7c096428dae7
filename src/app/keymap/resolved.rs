//! The keymap as the app uses it: the default tables with the config's
//! `[keys]` overrides applied, for the kind of source being watched.
//! Input, the footer and the help overlay all ask this one value.

use ratatui::crossterm::event::KeyEvent;

use super::{Binding, Key, KEYMAP, REPLAY_KEYMAP};
use crate::app::Action;
use crate::model::Model;
use crate::ui::Glyphs;

/// Which bindings apply: a replay adds its own keys in front.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyContext {
    Live,
    Replay,
}

impl KeyContext {
    pub const ALL: [KeyContext; 2] = [KeyContext::Live, KeyContext::Replay];

    /// A replay's model knows where it is in its recording.
    #[must_use]
    pub fn of(model: &Model) -> Self {
        if model.replay().is_some() {
            KeyContext::Replay
        } else {
            KeyContext::Live
        }
    }

    fn tables(self) -> &'static [&'static [Binding]] {
        match self {
            KeyContext::Live => &[KEYMAP],
            KeyContext::Replay => &[REPLAY_KEYMAP, KEYMAP],
        }
    }
}

/// A binding with the keys it has in a context.
#[derive(Clone, Debug)]
pub struct ActiveBinding {
    pub binding: &'static Binding,
    /// The footer shows the first; empty when every key is shadowed.
    pub keys: Vec<Key>,
}

/// The keymap with the user's overrides. `Default`: no overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keymap {
    /// Action -> the keys that replace its default keys, everywhere.
    overrides: Vec<(Action, Vec<Key>)>,
}

impl Keymap {
    /// The keymap with `overrides`; an error (one line) if a key would
    /// then do two things in some context.
    pub fn new(overrides: Vec<(Action, Vec<Key>)>) -> Result<Self, String> {
        let keymap = Self { overrides };
        keymap.check_conflicts()?;
        Ok(keymap)
    }

    /// Every binding in `context`, in footer order: one per action, the
    /// replay's first. An overridden action has exactly its new keys; a
    /// general binding loses default keys the replay table took.
    #[must_use]
    pub fn bindings(&self, context: KeyContext) -> Vec<ActiveBinding> {
        // (binding, from the front table, overridden)
        let mut out: Vec<(ActiveBinding, bool, bool)> = Vec::new();
        for (i, table) in context.tables().iter().enumerate() {
            let front = context == KeyContext::Replay && i == 0;
            for binding in *table {
                if out.iter().any(|(a, ..)| a.binding.action == binding.action) {
                    continue;
                }
                let (keys, overridden) = match self.override_of(binding.action) {
                    Some(keys) => (keys.to_vec(), true),
                    None => (binding.keys.to_vec(), false),
                };
                out.push((ActiveBinding { binding, keys }, front, overridden));
            }
        }
        let taken: Vec<Key> = out
            .iter()
            .filter(|(_, front, _)| *front)
            .flat_map(|(a, ..)| a.keys.iter().copied())
            .collect();
        out.into_iter()
            .map(|(mut a, front, overridden)| {
                if !front && !overridden {
                    a.keys.retain(|k| !taken.contains(k));
                }
                a
            })
            .collect()
    }

    /// The action of a key press in `context`.
    #[must_use]
    pub fn action_for(&self, event: &KeyEvent, context: KeyContext) -> Option<Action> {
        let key = Key::of_event(event)?;
        self.bindings(context)
            .into_iter()
            .find(|a| a.keys.contains(&key))
            .map(|a| a.binding.action)
    }

    /// The keys of `action` in `context`, the one to show first.
    #[must_use]
    pub fn keys_of(&self, action: Action, context: KeyContext) -> Vec<Key> {
        self.bindings(context)
            .into_iter()
            .find(|a| a.binding.action == action)
            .map(|a| a.keys)
            .unwrap_or_default()
    }

    /// How hints write the key of `action` (empty if it has none).
    #[must_use]
    pub fn label_of(&self, action: Action, context: KeyContext, glyphs: Glyphs) -> String {
        self.keys_of(action, context)
            .first()
            .map(|k| k.label(glyphs))
            .unwrap_or_default()
    }

    /// The footer's key hints, `(keys, word, action)`; neighbours with the
    /// same word share one hint (`↑/↓ move`).
    #[must_use]
    pub fn footer_hints(
        &self,
        glyphs: Glyphs,
        context: KeyContext,
    ) -> Vec<(String, &'static str, Action)> {
        let mut hints: Vec<(String, &'static str, Action)> = Vec::new();
        for a in self.bindings(context) {
            let (Some(word), Some(key)) = (a.binding.hint, a.keys.first()) else {
                continue;
            };
            match hints.last_mut() {
                Some((keys, last_word, _)) if *last_word == word => {
                    keys.push('/');
                    keys.push_str(&key.label(glyphs));
                }
                _ => hints.push((key.label(glyphs), word, a.binding.action)),
            }
        }
        hints
    }

    fn override_of(&self, action: Action) -> Option<&[Key]> {
        self.overrides
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, keys)| keys.as_slice())
    }

    fn check_conflicts(&self) -> Result<(), String> {
        for context in KeyContext::ALL {
            let mut seen: Vec<(Key, Action)> = Vec::new();
            for a in self.bindings(context) {
                let action = a.binding.action;
                for key in a.keys {
                    match seen.iter().find(|(k, other)| *k == key && *other != action) {
                        Some((_, other)) => return Err(conflict(key, *other, action, context)),
                        None => seen.push((key, action)),
                    }
                }
            }
        }
        Ok(())
    }
}

fn conflict(key: Key, first: Action, second: Action, context: KeyContext) -> String {
    use crate::config::keys::{action_name, key_name};
    let during = match context {
        KeyContext::Live => "",
        KeyContext::Replay => " in a replay",
    };
    format!(
        "key '{}' would be bound to both {} and {}{during}",
        key_name(key),
        action_name(first),
        action_name(second)
    )
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_defaults_have_no_conflicts() {
        assert_eq!(Keymap::new(Vec::new()), Ok(Keymap::default()));
    }

    #[test]
    fn over_a_replay_arrows_seek_and_s_sorts() {
        let keys = Keymap::default();
        let left = press(KeyCode::Left);
        assert_eq!(
            keys.action_for(&left, KeyContext::Live),
            Some(Action::SortPrev)
        );
        assert_eq!(
            keys.action_for(&left, KeyContext::Replay),
            Some(Action::SeekBack)
        );
        let s = press(KeyCode::Char('s'));
        for context in KeyContext::ALL {
            assert_eq!(keys.action_for(&s, context), Some(Action::SortNext));
        }
        assert_eq!(
            keys.keys_of(Action::SortPrev, KeyContext::Replay),
            [Key::Char('S')]
        );
        assert_eq!(
            keys.action_for(&press(KeyCode::Char('.')), KeyContext::Live),
            None
        );
    }

    #[test]
    fn the_replay_footer_starts_with_the_replay_keys() {
        let hints: Vec<String> = Keymap::default()
            .footer_hints(Glyphs { ascii: true }, KeyContext::Replay)
            .into_iter()
            .map(|(k, w, _)| format!("{k} {w}"))
            .collect();
        assert_eq!(
            hints[..5],
            [
                "space pause",
                ". step",
                "Left/Right seek",
                "</> speed",
                "t tasks"
            ]
        );
        assert!(hints.contains(&"S/s sort".to_owned()), "{hints:?}");
        assert_eq!(
            hints.iter().filter(|h| h.ends_with(" pause")).count(),
            1,
            "{hints:?}"
        );
    }

    #[test]
    fn an_override_applies_in_every_context_and_may_not_collide() {
        let keys = Keymap::new(vec![(Action::Quit, vec![Key::Char('x')])]).expect("valid");
        for context in KeyContext::ALL {
            let x = press(KeyCode::Char('x'));
            assert_eq!(keys.action_for(&x, context), Some(Action::Quit));
            assert_eq!(keys.action_for(&press(KeyCode::Char('q')), context), None);
        }
        // `.` is free in a live source but steps a replay.
        let e = Keymap::new(vec![(Action::Quit, vec![Key::Char('.')])]).expect_err("conflict");
        assert!(e.contains("step_frame") && e.contains("replay"), "{e}");
        // Moving seeking off the arrows gives them back to sorting.
        let keys = Keymap::new(vec![
            (Action::SeekBack, vec![Key::Char('h')]),
            (Action::SeekForward, vec![Key::Char('l')]),
        ])
        .expect("valid");
        assert_eq!(
            keys.action_for(&press(KeyCode::Left), KeyContext::Replay),
            Some(Action::SortPrev)
        );
    }
}
