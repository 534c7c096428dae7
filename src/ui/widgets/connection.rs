//! The attached target's link, as the header says it: `connecting…`,
//! `connected`, `reconnecting in 1.6 s: <reason>`, `gave up: <reason>`.

use ratatui::style::Style;
use ratatui::text::Span;

use crate::feed::ConnectionState;
use crate::model::ConnectionStatus;
use crate::ui::Theme;

/// What the link is doing, short; and why, if it is down.
#[must_use]
pub fn describe<'a>(status: &'a ConnectionStatus, theme: &Theme) -> (String, Option<&'a str>) {
    let dots = theme.glyphs.ellipsis();
    match &status.state {
        ConnectionState::Connecting if status.ever_connected => {
            (format!("reconnecting{dots}"), None)
        }
        ConnectionState::Connecting => (format!("connecting{dots}"), None),
        ConnectionState::Connected => ("connected".to_owned(), None),
        ConnectionState::Disconnected {
            retry_in_ms: Some(ms),
            reason,
        } => (format!("reconnecting in {}", seconds(*ms)), Some(reason)),
        ConnectionState::Disconnected {
            retry_in_ms: None,
            reason,
        } => ("gave up".to_owned(), Some(reason)),
    }
}

/// The badge in at most `max_width` columns: the reason is cut to fit,
/// the state never is.
#[must_use]
pub fn badge(status: &ConnectionStatus, max_width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let (state, reason) = describe(status, theme);
    let style = if status.state == ConnectionState::Connected {
        theme.title()
    } else {
        theme.status()
    };
    let mut text = format!(" {state}");
    if let Some(reason) = reason {
        // " state: reason " and the gap after it within max_width.
        let room = max_width.saturating_sub(text.chars().count() + 4);
        if room > 3 {
            text.push_str(": ");
            text.push_str(&cut(reason, room, theme.glyphs.ellipsis()));
        }
    }
    text.push(' ');
    vec![Span::styled(text, style), Span::styled(" ", Style::new())]
}

/// `ms` as `0.1 s`, `1.6 s`, `5 s`.
fn seconds(ms: u64) -> String {
    let (whole, tenths) = (ms / 1000, (ms % 1000) / 100);
    if tenths == 0 && whole > 0 {
        format!("{whole} s")
    } else {
        format!("{whole}.{tenths} s")
    }
}

/// `text` in at most `width` characters, ending in `ellipsis` if cut.
fn cut(text: &str, width: usize, ellipsis: &str) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push_str(ellipsis);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_waits_read_in_seconds() {
        assert_eq!(seconds(100), "0.1 s");
        assert_eq!(seconds(1600), "1.6 s");
        assert_eq!(seconds(5000), "5 s");
        assert_eq!(seconds(0), "0.0 s");
    }

    #[test]
    fn reasons_are_cut_to_fit() {
        assert_eq!(cut("refused", 10, "…"), "refused");
        assert_eq!(cut("connection refused", 8, "…"), "connect…");
    }
}
