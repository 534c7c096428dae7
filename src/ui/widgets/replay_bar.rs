//! The replay's progress under the header:
//! ` ‖ paused  00:12 / 00:30  ━━━━━━━━━━━━━━━──────────────  2x `.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::feed::ReplayStatus;
use crate::ui::format::clock;
use crate::ui::Theme;

pub fn render(area: Rect, buf: &mut Buffer, status: &ReplayStatus, theme: &Theme) {
    let ascii = theme.glyphs.ascii;
    let state = if status.paused {
        if ascii {
            "|| paused"
        } else {
            "‖ paused"
        }
    } else if status.at >= status.length {
        if ascii {
            "[] at end"
        } else {
            "■ at end"
        }
    } else if ascii {
        "> playing"
    } else {
        "▶ playing"
    };
    let position = format!("{} / {}", clock(status.at), clock(status.length));
    let speed = speed_label(status.speed_percent);
    let state_part = format!(" {state} ");
    let position_part = format!(" {position}  ");
    let right = format!("  {speed} ");
    let used = [&state_part, &position_part, &right]
        .iter()
        .map(|s| s.chars().count())
        .sum::<usize>();
    let width = usize::from(area.width).saturating_sub(used);
    let (done, rest) = split_bar(status.at, status.length, width);
    let (fill, empty) = if ascii { ("=", "-") } else { ("━", "─") };
    let state_style = if status.paused {
        theme.status()
    } else {
        theme.title()
    };
    Line::from(vec![
        Span::styled(state_part, state_style),
        Span::raw(position_part),
        Span::styled(fill.repeat(done), theme.spark()),
        Span::styled(empty.repeat(rest), theme.dim()),
        Span::styled(right, theme.key()),
    ])
    .render(area, buf);
}

/// `0.25x`, `0.5x`, `1x`, `1.5x`, `16x`.
#[must_use]
pub fn speed_label(percent: u16) -> String {
    let whole = percent / 100;
    let hundredths = percent % 100;
    if hundredths == 0 {
        format!("{whole}x")
    } else {
        let frac = format!("{hundredths:02}");
        format!("{whole}.{}x", frac.trim_end_matches('0'))
    }
}

/// Columns of `width` before and after the position.
fn split_bar(at: u64, length: u64, width: usize) -> (usize, usize) {
    let done = if length == 0 {
        width
    } else {
        let ratio = u128::from(at.min(length)) * width as u128 / u128::from(length);
        usize::try_from(ratio).unwrap_or(width)
    };
    (done, width - done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_read_as_multiples() {
        let labels: Vec<String> = [25, 50, 100, 150, 200, 1600]
            .into_iter()
            .map(speed_label)
            .collect();
        assert_eq!(labels, ["0.25x", "0.5x", "1x", "1.5x", "2x", "16x"]);
    }

    #[test]
    fn the_bar_splits_at_the_position() {
        assert_eq!(split_bar(0, 10, 20), (0, 20));
        assert_eq!(split_bar(5, 10, 20), (10, 10));
        assert_eq!(split_bar(10, 10, 20), (20, 0));
        assert_eq!(split_bar(99, 10, 20), (20, 0));
        assert_eq!(split_bar(0, 0, 7), (7, 0));
        assert_eq!(split_bar(3, 10, 0), (0, 0));
    }
}
