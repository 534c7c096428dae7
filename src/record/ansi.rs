//! A rendered screen (a ratatui [`Buffer`]) as the bytes a terminal would
//! need to show it: clear, then each row's cells with SGR sequences for
//! their colours and styles. Each frame stands alone (no diff against the
//! one before), so a player can seek to any frame.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};

/// Resets the style, homes the cursor and clears the screen.
pub const CLEAR: &str = "\x1b[0m\x1b[H\x1b[2J";
/// Ends a frame: default style again.
const RESET: &str = "\x1b[0m";

/// The whole of `buf` as ANSI: [`CLEAR`], then every row from its first
/// column, with trailing blank cells left out (the clear drew them).
/// Control characters in cells (from task names, say) become `?`, so a
/// frame can never carry escape sequences of its own.
#[must_use]
pub fn encode(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::with_capacity(usize::from(area.width) * usize::from(area.height) * 2);
    out.push_str(CLEAR);
    let mut current = CellStyle::default();
    for (row, y) in (area.top()..area.bottom()).enumerate() {
        let cells: Vec<&Cell> = (area.left()..area.right()).map(|x| &buf[(x, y)]).collect();
        let Some(last) = cells.iter().rposition(|c| !is_blank(c)) else {
            continue;
        };
        // Cursor to the row's start: rows never wrap into each other.
        let _ = write!(out, "\x1b[{};1H", row + 1);
        let mut covered = 0usize;
        for cell in &cells[..=last] {
            if covered > 0 {
                covered -= 1;
                continue;
            }
            let style = CellStyle::of(cell);
            if style != current {
                out.push_str(&style.sgr());
                current = style;
            }
            let symbol = cell.symbol();
            if symbol.is_empty() {
                out.push(' ');
                continue;
            }
            for c in symbol.chars() {
                out.push(if c.is_control() { '?' } else { c });
            }
            covered = ratatui::text::Span::raw(symbol).width().saturating_sub(1);
        }
    }
    if current != CellStyle::default() {
        out.push_str(RESET);
    }
    out
}

/// A space in the default style: what a cleared screen already shows.
fn is_blank(cell: &Cell) -> bool {
    (cell.symbol() == " " || cell.symbol().is_empty())
        && CellStyle::of(cell) == CellStyle::default()
}

/// The parts of a cell's look that SGR sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CellStyle {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Default for CellStyle {
    fn default() -> Self {
        Self {
            fg: Color::Reset,
            bg: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl CellStyle {
    fn of(cell: &Cell) -> Self {
        Self {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }

    /// One SGR sequence that resets and then sets everything this style
    /// has: no state carries over from the cell before.
    fn sgr(self) -> String {
        let mut codes = vec!["0".to_owned()];
        for (flag, code) in MODIFIER_CODES {
            if self.modifier.contains(flag) {
                codes.push(code.to_owned());
            }
        }
        if let Some(fg) = color_code(self.fg, false) {
            codes.push(fg);
        }
        if let Some(bg) = color_code(self.bg, true) {
            codes.push(bg);
        }
        format!("\x1b[{}m", codes.join(";"))
    }
}

const MODIFIER_CODES: [(Modifier, &str); 9] = [
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

/// The SGR parameter for `color` as foreground or background; none for
/// the terminal's default (the leading `0` already chose it).
fn color_code(color: Color, background: bool) -> Option<String> {
    let base = |n: u8| {
        let n = if background { n + 10 } else { n };
        n.to_string()
    };
    let code = match color {
        Color::Reset => return None,
        Color::Black => base(30),
        Color::Red => base(31),
        Color::Green => base(32),
        Color::Yellow => base(33),
        Color::Blue => base(34),
        Color::Magenta => base(35),
        Color::Cyan => base(36),
        Color::Gray => base(37),
        Color::DarkGray => base(90),
        Color::LightRed => base(91),
        Color::LightGreen => base(92),
        Color::LightYellow => base(93),
        Color::LightBlue => base(94),
        Color::LightMagenta => base(95),
        Color::LightCyan => base(96),
        Color::White => base(97),
        Color::Indexed(i) => format!("{};5;{i}", if background { 48 } else { 38 }),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", if background { 48 } else { 38 }),
    };
    Some(code)
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    fn buffer(width: u16, height: u16) -> Buffer {
        Buffer::empty(Rect::new(0, 0, width, height))
    }

    #[test]
    fn an_empty_screen_is_only_the_clear() {
        assert_eq!(encode(&buffer(10, 3)), CLEAR);
    }

    #[test]
    fn plain_text_has_no_sgr_and_trailing_blanks_are_left_out() {
        let mut buf = buffer(10, 2);
        buf.set_string(0, 0, "ab", Style::new());
        buf.set_string(2, 1, "c", Style::new());
        assert_eq!(encode(&buf), format!("{CLEAR}\x1b[1;1Hab\x1b[2;1H  c"));
    }

    #[test]
    fn styles_become_sgr_sequences_that_reset_first() {
        let mut buf = buffer(8, 1);
        let title = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
        buf.set_string(0, 0, "T", title);
        buf.set_string(1, 0, "u", Style::new());
        let status = Style::new()
            .fg(Color::Black)
            .bg(Color::Yellow)
            .add_modifier(Modifier::REVERSED | Modifier::UNDERLINED);
        buf.set_string(2, 0, "PP", status);
        buf.set_string(4, 0, "i", Style::new().fg(Color::Indexed(208)));
        buf.set_string(5, 0, "r", Style::new().bg(Color::Rgb(1, 2, 3)));
        buf.set_string(6, 0, "d", Style::new().fg(Color::DarkGray));
        assert_eq!(
            encode(&buf),
            format!(
                "{CLEAR}\x1b[1;1H\x1b[0;1;36mT\x1b[0mu\x1b[0;4;7;30;43mPP\x1b[0;38;5;208mi\
                 \x1b[0;48;2;1;2;3mr\x1b[0;90md\x1b[0m"
            )
        );
    }

    #[test]
    fn a_styled_space_is_kept_and_the_style_is_reset_at_the_end() {
        let mut buf = buffer(4, 1);
        buf.set_string(3, 0, " ", Style::new().bg(Color::Blue));
        assert_eq!(
            encode(&buf),
            format!("{CLEAR}\x1b[1;1H   \x1b[0;44m \x1b[0m")
        );
    }

    #[test]
    fn wide_characters_cover_the_next_cell() {
        let mut buf = buffer(4, 1);
        buf.set_string(0, 0, "界x", Style::new());
        assert_eq!(encode(&buf), format!("{CLEAR}\x1b[1;1H界x"));
    }

    #[test]
    fn control_characters_in_cells_cannot_escape() {
        let mut buf = buffer(4, 1);
        buf[(0, 0)].set_symbol("\x1b");
        buf[(1, 0)].set_symbol("]");
        let out = encode(&buf);
        assert_eq!(out, format!("{CLEAR}\x1b[1;1H?]"));
        assert_eq!(
            out.matches('\x1b').count(),
            CLEAR.matches('\x1b').count() + 1
        );
    }

    #[test]
    fn every_row_gets_its_own_cursor_position() {
        let mut buf = buffer(3, 3);
        for y in 0..3 {
            buf.set_string(0, y, "xyz", Style::new());
        }
        let out = encode(&buf);
        for row in 1..=3 {
            assert!(out.contains(&format!("\x1b[{row};1Hxyz")), "{out:?}");
        }
    }
}
