use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::ui::{Theme, MIN_HEIGHT, MIN_WIDTH};

/// Shown instead of the screen when nothing useful would fit.
pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let text = format!("enlarge the terminal (at least {MIN_WIDTH}x{MIN_HEIGHT})");
    Paragraph::new(text)
        .style(theme.warning())
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
