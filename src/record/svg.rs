//! One rendered screen as an SVG, for READMEs and bug reports: a
//! monospace grid with a `<rect>` for each run of background colour and a
//! `<text>` for each run of same-styled characters. Each run is stretched
//! to its cells (`textLength`), so a fallback font for box-drawing or
//! symbol glyphs cannot shear the columns.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};

/// One cell: 14 px text in a 0.6 em advance, 18 px lines.
const FONT_SIZE: f64 = 14.0;
const CELL_W: f64 = 8.4;
const CELL_H: f64 = 18.0;
/// From a row's top to its text's baseline.
const BASELINE: f64 = 13.5;
const PAD: f64 = 10.0;

/// The terminal's own colours, where a cell has [`Color::Reset`].
const DEFAULT_FG: Rgb = Rgb(0xd0, 0xd0, 0xd0);
const DEFAULT_BG: Rgb = Rgb(0x1c, 0x1c, 0x1c);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// What a cell looks like once colours are resolved and reversal applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Look {
    fg: Rgb,
    bg: Rgb,
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    dim: bool,
}

impl Look {
    fn of(cell: &Cell) -> Self {
        let m = cell.modifier;
        let (mut fg, mut bg) = (rgb(cell.fg, DEFAULT_FG), rgb(cell.bg, DEFAULT_BG));
        if m.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        if m.contains(Modifier::HIDDEN) {
            fg = bg;
        }
        Self {
            fg,
            bg,
            bold: m.contains(Modifier::BOLD),
            italic: m.contains(Modifier::ITALIC),
            underline: m.contains(Modifier::UNDERLINED),
            strike: m.contains(Modifier::CROSSED_OUT),
            dim: m.contains(Modifier::DIM),
        }
    }

    /// Same text attributes (the background is drawn apart).
    fn same_text(&self, other: &Look) -> bool {
        Look {
            bg: other.bg,
            ..*self
        } == *other
    }
}

/// One drawn cell of a row: where it starts, how many columns it covers.
struct Glyph<'a> {
    x: u16,
    width: u16,
    symbol: &'a str,
    look: Look,
}

/// The whole of `buf` as a standalone SVG document; `title` becomes its
/// `<title>` (what a browser or screen reader shows).
#[must_use]
pub fn encode(buf: &Buffer, title: &str) -> String {
    let area = buf.area;
    let width = PAD * 2.0 + f64::from(area.width) * CELL_W;
    let height = PAD * 2.0 + f64::from(area.height) * CELL_H;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.1}\" height=\"{height:.1}\" \
         viewBox=\"0 0 {width:.1} {height:.1}\" xml:space=\"preserve\">\n\
         <title>{}</title>\n\
         <style>text{{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;\
         font-size:{FONT_SIZE}px;white-space:pre}}</style>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{DEFAULT_BG}\"/>\n",
        escape(title)
    );
    for (row, y) in (area.top()..area.bottom()).enumerate() {
        let glyphs = row_glyphs(buf, y);
        let top = PAD + row as f64 * CELL_H;
        backgrounds(&mut out, &glyphs, area.left(), top);
        texts(&mut out, &glyphs, area.left(), top + BASELINE);
    }
    out.push_str("</svg>\n");
    out
}

fn row_glyphs(buf: &Buffer, y: u16) -> Vec<Glyph<'_>> {
    let area = buf.area;
    let mut glyphs = Vec::with_capacity(usize::from(area.width));
    let mut x = area.left();
    while x < area.right() {
        let cell = &buf[(x, y)];
        let symbol = if cell.symbol().is_empty() {
            " "
        } else {
            cell.symbol()
        };
        let width = u16::try_from(ratatui::text::Span::raw(symbol).width())
            .unwrap_or(1)
            .clamp(1, area.right() - x);
        glyphs.push(Glyph {
            x,
            width,
            symbol,
            look: Look::of(cell),
        });
        x += width;
    }
    glyphs
}

/// A rect per run of cells whose background is not the default.
fn backgrounds(out: &mut String, glyphs: &[Glyph<'_>], left: u16, top: f64) {
    let mut i = 0;
    while i < glyphs.len() {
        let bg = glyphs[i].look.bg;
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].look.bg == bg {
            j += 1;
        }
        if bg != DEFAULT_BG {
            let start = glyphs[i].x;
            let cells = glyphs[j - 1].x + glyphs[j - 1].width - start;
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{CELL_H:.1}\" fill=\"{bg}\"/>",
                PAD + f64::from(start - left) * CELL_W,
                f64::from(cells) * CELL_W,
            );
        }
        i = j;
    }
}

/// A `<text>` per run of same-styled cells, blanks at its ends left out.
fn texts(out: &mut String, glyphs: &[Glyph<'_>], left: u16, baseline: f64) {
    let mut i = 0;
    while i < glyphs.len() {
        let look = glyphs[i].look;
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].look.same_text(&look) {
            j += 1;
        }
        let run = &glyphs[i..j];
        i = j;
        let blank = |g: &Glyph<'_>| g.symbol.trim().is_empty();
        let (Some(first), Some(last)) = (
            run.iter().position(|g| !blank(g)),
            run.iter().rposition(|g| !blank(g)),
        ) else {
            continue;
        };
        let run = &run[first..=last];
        let start = run[0].x;
        let cells = run[run.len() - 1].x + run[run.len() - 1].width - start;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{baseline:.1}\" textLength=\"{:.1}\" fill=\"{}\"",
            PAD + f64::from(start - left) * CELL_W,
            f64::from(cells) * CELL_W,
            look.fg
        );
        for (on, attr) in [
            (look.bold, " font-weight=\"bold\""),
            (look.italic, " font-style=\"italic\""),
            (look.underline, " text-decoration=\"underline\""),
            (look.strike, " text-decoration=\"line-through\""),
            (look.dim, " opacity=\"0.6\""),
        ] {
            if on {
                out.push_str(attr);
            }
        }
        out.push('>');
        let text: String = run.iter().map(|g| g.symbol).collect();
        out.push_str(&escape(&text));
        out.push_str("</text>\n");
    }
}

/// Text safe inside an XML element or a quoted attribute. Characters XML
/// 1.0 cannot hold at all (most controls) become `?`.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// A colour as the SVG draws it; [`Color::Reset`] is `default`. The 16
/// named colours are a palette for a dark background (VS Code's terminal,
/// with xterm's grey for `DarkGray`, which the UI uses for borders and
/// dim text); indexed ones follow xterm.
fn rgb(color: Color, default: Rgb) -> Rgb {
    match color {
        Color::Reset => default,
        Color::Black => Rgb(0x00, 0x00, 0x00),
        Color::Red => Rgb(0xcd, 0x31, 0x31),
        Color::Green => Rgb(0x0d, 0xbc, 0x79),
        Color::Yellow => Rgb(0xe5, 0xe5, 0x10),
        Color::Blue => Rgb(0x3b, 0x8e, 0xea),
        Color::Magenta => Rgb(0xbc, 0x3f, 0xbc),
        Color::Cyan => Rgb(0x11, 0xa8, 0xcd),
        Color::Gray => Rgb(0xe5, 0xe5, 0xe5),
        Color::DarkGray => Rgb(0x7f, 0x7f, 0x7f),
        Color::LightRed => Rgb(0xf1, 0x4c, 0x4c),
        Color::LightGreen => Rgb(0x23, 0xd1, 0x8b),
        Color::LightYellow => Rgb(0xf5, 0xf5, 0x43),
        Color::LightBlue => Rgb(0x5f, 0xaf, 0xff),
        Color::LightMagenta => Rgb(0xd6, 0x70, 0xd6),
        Color::LightCyan => Rgb(0x29, 0xb8, 0xdb),
        Color::White => Rgb(0xff, 0xff, 0xff),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Indexed(i) => indexed(i),
    }
}

/// xterm's 256 colours: 16 named, a 6x6x6 cube, 24 greys.
fn indexed(i: u8) -> Rgb {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => rgb(NAMED[usize::from(i)], DEFAULT_FG),
        16..=231 => {
            let level = |n: u8| if n == 0 { 0 } else { 55 + n * 40 };
            let n = i - 16;
            Rgb(level(n / 36), level((n / 6) % 6), level(n % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            Rgb(v, v, v)
        }
    }
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
    fn escape_covers_markup_quotes_and_controls() {
        assert_eq!(
            escape("a<b>&\"c\"'d'\x1b\x07\tz"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;??\tz"
        );
    }

    #[test]
    fn runs_of_one_style_are_one_text_and_blanks_none() {
        let mut buf = buffer(12, 2);
        buf.set_string(1, 0, "ab cd", Style::new());
        buf.set_string(
            6,
            0,
            "EF",
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        );
        let svg = encode(&buf, "t");
        assert_eq!(svg.matches("<text").count(), 2, "{svg}");
        assert!(svg.contains(">ab cd</text>"), "{svg}");
        assert!(
            svg.contains("fill=\"#11a8cd\" font-weight=\"bold\">EF</text>"),
            "{svg}"
        );
        // Column 1 of row 0: x = PAD + 8.4, baseline = PAD + 13.5.
        assert!(
            svg.contains("<text x=\"18.4\" y=\"23.5\" textLength=\"42.0\""),
            "{svg}"
        );
        // Only the page background: no cell has one of its own.
        assert_eq!(svg.matches("<rect").count(), 1, "{svg}");
    }

    #[test]
    fn backgrounds_are_rects_and_reversed_cells_swap_colours() {
        let mut buf = buffer(10, 1);
        buf.set_string(
            2,
            0,
            "PAUSED",
            Style::new().add_modifier(Modifier::REVERSED),
        );
        let svg = encode(&buf, "t");
        let rect = format!(
            "<rect x=\"26.8\" y=\"10.0\" width=\"50.4\" height=\"18.0\" fill=\"{DEFAULT_FG}\"/>"
        );
        assert!(svg.contains(&rect), "{svg}");
        assert!(
            svg.contains(&format!("fill=\"{DEFAULT_BG}\">PAUSED</text>")),
            "{svg}"
        );
    }

    #[test]
    fn markup_in_cells_and_title_is_escaped() {
        let mut buf = buffer(10, 1);
        buf.set_string(0, 0, "<a&b>", Style::new());
        let svg = encode(&buf, "x</title><script>");
        assert!(svg.contains(">&lt;a&amp;b&gt;</text>"), "{svg}");
        assert!(
            svg.contains("<title>x&lt;/title&gt;&lt;script&gt;</title>"),
            "{svg}"
        );
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn wide_characters_take_two_cells() {
        let mut buf = buffer(6, 1);
        buf.set_string(0, 0, "界x", Style::new());
        let svg = encode(&buf, "t");
        assert!(
            svg.contains("textLength=\"25.2\" fill=\"#d0d0d0\">界x</text>"),
            "{svg}"
        );
    }

    #[test]
    fn indexed_colours_follow_xterm() {
        assert_eq!(indexed(16), Rgb(0, 0, 0));
        assert_eq!(indexed(196), Rgb(255, 0, 0));
        assert_eq!(indexed(231), Rgb(255, 255, 255));
        assert_eq!(indexed(232), Rgb(8, 8, 8));
        assert_eq!(indexed(255), Rgb(238, 238, 238));
        assert_eq!(indexed(1), rgb(Color::Red, DEFAULT_FG));
    }
}
