//! The pieces around the body: header, state line, footer, overlays.

pub mod connection;
pub mod distribution;
pub mod footer;
pub mod header;
pub mod help;
pub mod replay_bar;
pub mod sparkline;
pub mod state_line;
pub mod too_small;

use ratatui::text::{Line, Span};

/// The first candidate that fits `width`, else the last (narrowest) one.
pub fn first_that_fits(candidates: Vec<Line<'static>>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let mut last = Line::default();
    for line in candidates {
        if line.width() <= width {
            return line;
        }
        last = line;
    }
    last
}

/// Joins groups of spans with `separator` between them.
pub fn join(groups: Vec<Vec<Span<'static>>>, separator: &Span<'static>) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, group) in groups.into_iter().enumerate() {
        if i > 0 {
            spans.push(separator.clone());
        }
        spans.extend(group);
    }
    Line::from(spans)
}
