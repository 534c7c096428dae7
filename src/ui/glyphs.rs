//! Every non-ASCII character the UI draws, with its ASCII fallback.

use crate::model::TaskState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glyphs {
    pub ascii: bool,
}

impl Glyphs {
    const fn pick(self, unicode: &'static str, ascii: &'static str) -> &'static str {
        if self.ascii {
            ascii
        } else {
            unicode
        }
    }

    /// One column wide in both sets. The mock-up's ⏫⏸⏹ are avoided: many
    /// terminals draw them as two-column emoji and the table would shear.
    #[must_use]
    pub fn state(self, state: TaskState) -> &'static str {
        match state {
            TaskState::Running => self.pick("▶", ">"),
            TaskState::Scheduled => self.pick("▷", "*"),
            TaskState::Idle => self.pick("‖", "-"),
            TaskState::Done => self.pick("✓", "x"),
        }
    }

    #[must_use]
    pub fn separator(self) -> &'static str {
        self.pick("·", "|")
    }

    #[must_use]
    pub fn divider(self) -> &'static str {
        self.pick("│", "|")
    }

    #[must_use]
    pub fn warning(self) -> &'static str {
        self.pick("⚠", "!")
    }

    #[must_use]
    pub fn sort(self, descending: bool) -> &'static str {
        if descending {
            self.pick("▼", "v")
        } else {
            self.pick("▲", "^")
        }
    }

    #[must_use]
    pub fn ellipsis(self) -> &'static str {
        self.pick("…", "~")
    }

    #[must_use]
    pub fn arrow_up(self) -> &'static str {
        self.pick("↑", "Up")
    }

    #[must_use]
    pub fn arrow_down(self) -> &'static str {
        self.pick("↓", "Down")
    }

    #[must_use]
    pub fn arrow_left(self) -> &'static str {
        self.pick("←", "Left")
    }

    #[must_use]
    pub fn arrow_right(self) -> &'static str {
        self.pick("→", "Right")
    }

    /// Tree guides, two columns each: a sibling follows, the last sibling,
    /// and a line passing through to a later sibling of an ancestor.
    #[must_use]
    pub fn tree_branch(self) -> &'static str {
        self.pick("├─", "|-")
    }

    #[must_use]
    pub fn tree_last(self) -> &'static str {
        self.pick("└─", "`-")
    }

    #[must_use]
    pub fn tree_through(self) -> &'static str {
        self.pick("│ ", "| ")
    }

    /// The marker of a tree node with children, folded or not.
    #[must_use]
    pub fn fold(self, collapsed: bool) -> &'static str {
        match (collapsed, self.ascii) {
            (true, false) => "▸ ",
            (false, false) => "▾ ",
            (true, true) => "+ ",
            (false, true) => "- ",
        }
    }

    /// A sparkline level, 0.0 to 1.0, one column: eighth blocks, or ASCII
    /// characters of growing weight.
    #[must_use]
    pub fn level(self, ratio: f64) -> &'static str {
        const BLOCKS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
        const ASCII: [&str; 9] = [" ", ".", ".", ":", ":", "=", "=", "#", "#"];
        let ratio = if ratio.is_finite() {
            ratio.clamp(0.0, 1.0)
        } else {
            0.0
        };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let i = (ratio * 8.0).ceil() as usize;
        let i = i.min(8);
        if self.ascii {
            ASCII[i]
        } else {
            BLOCKS[i]
        }
    }

    /// The marker of the current item in a list (the running demo).
    #[must_use]
    pub fn current(self) -> &'static str {
        self.pick("●", "*")
    }

    /// A bar of `width` columns filled to `ratio` (0.0 to 1.0), in eighths
    /// of a column with block characters, in whole columns with `#` in ASCII.
    #[must_use]
    pub fn bar(self, ratio: f64, width: usize) -> String {
        const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
        let ratio = if ratio.is_finite() {
            ratio.clamp(0.0, 1.0)
        } else {
            0.0
        };
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let eighths = (ratio * (width * 8) as f64).round() as usize;
        let (full, part) = if self.ascii {
            ((eighths + 4) / 8, 0)
        } else {
            (eighths / 8, eighths % 8)
        };
        let full = full.min(width);
        let mut out = String::with_capacity(width * 3);
        let fill = self.pick("█", "#");
        let empty = self.pick(" ", ".");
        for _ in 0..full {
            out.push_str(fill);
        }
        let mut used = full;
        if part > 0 && used < width {
            out.push_str(EIGHTHS[part]);
            used += 1;
        }
        for _ in used..width {
            out.push_str(empty);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_keep_their_width() {
        let g = Glyphs { ascii: false };
        assert_eq!(g.bar(0.0, 4), "    ");
        assert_eq!(g.bar(1.0, 4), "████");
        assert_eq!(g.bar(0.5, 4), "██  ");
        assert_eq!(g.bar(0.53, 4), "██▏ ");
        assert_eq!(g.bar(f64::NAN, 2), "  ");
        let a = Glyphs { ascii: true };
        assert_eq!(a.bar(0.5, 4), "##..");
        assert_eq!(a.bar(2.0, 3), "###");
    }
}
