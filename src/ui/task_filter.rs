//! The tasks filter: a case-insensitive substring, or a regex after `re:`,
//! matched against a task's name, spawn location and state.

use regex::Regex;

use crate::model::Task;

#[derive(Clone, Debug, Default)]
enum Matcher {
    #[default]
    All,
    Substring(String),
    Regex(Regex),
    /// The regex does not compile: nothing matches, the title says why.
    Invalid,
}

#[derive(Clone, Debug, Default)]
pub struct TaskFilter {
    text: String,
    /// Keys go into the filter text until Enter or Esc.
    editing: bool,
    matcher: Matcher,
}

impl TaskFilter {
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn editing(&self) -> bool {
        self.editing
    }

    /// Some rows may be hidden.
    #[must_use]
    pub fn is_active(&self) -> bool {
        !self.text.is_empty()
    }

    /// Lets every task through, so callers can skip asking per task.
    #[must_use]
    pub fn matches_everything(&self) -> bool {
        matches!(self.matcher, Matcher::All)
    }

    #[must_use]
    pub fn is_invalid(&self) -> bool {
        matches!(self.matcher, Matcher::Invalid)
    }

    pub fn start_editing(&mut self) {
        self.editing = true;
    }

    /// Keeps the filter and stops editing.
    pub fn finish_editing(&mut self) {
        self.editing = false;
    }

    pub fn push(&mut self, c: char) {
        self.text.push(c);
        self.compile();
    }

    pub fn pop(&mut self) {
        self.text.pop();
        self.compile();
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Sets the whole text at once (tests, config).
    pub fn set(&mut self, text: &str) {
        self.text = text.to_owned();
        self.compile();
    }

    // Compiled once per edit, not once per row or frame.
    fn compile(&mut self) {
        self.matcher = if self.text.is_empty() {
            Matcher::All
        } else if let Some(pattern) = self.text.strip_prefix("re:") {
            Regex::new(pattern).map_or(Matcher::Invalid, Matcher::Regex)
        } else {
            Matcher::Substring(self.text.to_lowercase())
        };
    }

    #[must_use]
    pub fn matches(&self, task: &Task) -> bool {
        let state = task.state().label();
        let name = task.name.as_deref().unwrap_or("");
        self.matches_text(&[name, &task.location, state])
    }

    /// Whether any of `fields` matches (the resources table filters its
    /// name, kind and location this way).
    #[must_use]
    pub fn matches_text(&self, fields: &[&str]) -> bool {
        match &self.matcher {
            Matcher::All => true,
            Matcher::Invalid => false,
            Matcher::Substring(needle) => fields.iter().any(|f| contains_lowercased(f, needle)),
            Matcher::Regex(re) => fields.iter().any(|f| re.is_match(f)),
        }
    }
}

/// `field.to_lowercase().contains(needle)`, without allocating when the
/// field is ASCII (spawn locations are): the filter runs over every task
/// at each batch.
fn contains_lowercased(field: &str, needle: &str) -> bool {
    if !field.is_ascii() {
        return field.to_lowercase().contains(needle);
    }
    let needle = needle.as_bytes();
    needle.is_empty()
        || field.as_bytes().windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(f, n)| f.to_ascii_lowercase() == *n)
        })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn task(name: Option<&str>, location: &str) -> Task {
        Task::new(1, None, Arc::from(location), name.map(Arc::from), 0)
    }

    #[test]
    fn substrings_ignore_case_and_cover_name_location_and_state() {
        let mut f = TaskFilter::default();
        let t = task(Some("Fetch-6"), "demos/src/gather.rs:55:21");
        assert!(f.matches(&t));
        f.set("fetch");
        assert!(f.matches(&t));
        f.set("GATHER.rs:55");
        assert!(f.matches(&t));
        f.set("sched");
        assert!(f.matches(&t), "a new task is scheduled");
        f.set("runner");
        assert!(!f.matches(&t));
    }

    #[test]
    fn substrings_match_as_lowercased_text_ascii_or_not() {
        let fields = ["src/Fetch.rs:1:1", "Größe-Ω", "", "ab"];
        let needles = [
            "fetch.rs", "größe", "ω", "ẞ", "k", "\u{212a}", "abc", "ab", "b", "src", ":1:1", "",
            "-",
        ];
        for needle in needles {
            let needle = needle.to_lowercase();
            for field in fields {
                assert_eq!(
                    contains_lowercased(field, &needle),
                    field.to_lowercase().contains(&needle),
                    "{field:?} {needle:?}"
                );
            }
        }
        let mut f = TaskFilter::default();
        // The Kelvin sign lowercases to an ASCII k.
        f.set("\u{212a}");
        assert!(f.matches(&task(None, "kelvin.rs:1:1")));
    }

    #[test]
    fn re_prefix_makes_a_regex_and_a_bad_one_matches_nothing() {
        let mut f = TaskFilter::default();
        let t = task(None, "demos/src/gather.rs:55:21");
        f.set("re:gather\\.rs:5[0-9]");
        assert!(f.matches(&t));
        f.set("re:^runner");
        assert!(!f.matches(&t));
        f.set("re:(");
        assert!(f.is_invalid());
        assert!(!f.matches(&t));
        f.pop();
        assert!(f.matches(&t), "`re:` alone matches everything");
    }
}
