//! `taskscope lints`: every lint with its summary, thresholds and what to
//! change, as `--warn`, `--allow` and `--threshold` take them.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::lints::{Lint, LINTS};

/// Width the explanations are wrapped to.
const WIDTH: usize = 78;
const INDENT: &str = "    ";

pub fn run() -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(text().as_bytes())?;
    Ok(())
}

/// The whole listing.
#[must_use]
pub fn text() -> String {
    let mut out = String::new();
    for (i, lint) in LINTS.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        describe(&mut out, *lint);
    }
    out.push_str(
        "\n--allow ID turns a lint off, --warn ID on (an id or \"all\");\n\
         --threshold ID.NAME=VALUE changes a threshold.\n",
    );
    out
}

fn describe(out: &mut String, lint: &dyn Lint) {
    let _ = writeln!(out, "{}  {}", lint.id(), lint.summary());
    for t in lint.thresholds() {
        let first = format!("{INDENT}{}.{} = {}: ", lint.id(), t.name, t.default);
        wrap(out, &first, &format!("{INDENT}{INDENT}"), t.help);
    }
    wrap(out, INDENT, INDENT, lint.explanation());
}

/// Appends `text` word-wrapped to [`WIDTH`]: the first line after `first`,
/// the others after `indent`.
fn wrap(out: &mut String, first: &str, indent: &str, text: &str) {
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(out, "{}", line.trim_end());
            line = indent.to_owned();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_lint_threshold_and_explanation_within_the_width() {
        let t = text();
        for lint in LINTS {
            assert!(t.contains(&format!("{}  {}", lint.id(), lint.summary())));
            for th in lint.thresholds() {
                assert!(
                    t.contains(&format!("{}.{} = {}: ", lint.id(), th.name, th.default)),
                    "{}.{} missing:\n{t}",
                    lint.id(),
                    th.name
                );
            }
            let last_word = lint.explanation().split_whitespace().last().unwrap_or("");
            assert!(t.contains(last_word), "{last_word}");
        }
        assert!(
            t.lines().all(|l| l.chars().count() <= WIDTH),
            "a line longer than {WIDTH}:\n{t}"
        );
    }
}
