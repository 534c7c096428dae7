//! The terminal UI: a pure rendering of the model under a view state.
//! Nothing here changes the model; `app` owns input and the loop.

pub mod demo_list;
mod format;
mod glyphs;
pub mod hit;
mod layout;
pub mod resource_table;
mod tab;
mod task_filter;
pub mod task_order;
mod theme;
mod view_state;
mod views;
mod widgets;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::Frame;

pub use format::{clock, duration_short, short_location, thousands};
pub use glyphs::Glyphs;
pub use tab::Tab;
pub use task_filter::TaskFilter;
pub use task_order::{sorted_ids, TaskOrder, TaskRow, TaskRows};
pub use theme::Theme;
pub use view_state::{Column, Sort, ViewState};
pub use views::task_detail::detail_links;
pub use views::warnings::{target_of, WarningTarget};

use crate::app::keymap::{KeyContext, Keymap};
use crate::lints::Warning;
use crate::model::Model;

/// Below this the screen says "enlarge the terminal" instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;
/// From this width on, the side column (warnings, the running demo) shows.
pub const SIDE_COLUMN_MIN_WIDTH: u16 = 110;
const SIDE_COLUMN_WIDTH: u16 = 36;

/// Draws the whole screen into `frame`.
pub fn render(frame: &mut Frame, model: &Model, view: &ViewState, theme: &Theme) {
    let area = frame.area();
    render_into(area, frame.buffer_mut(), model, view, theme);
}

/// Draws the whole screen into `buf` over `area`, with no warnings.
pub fn render_into(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    render_with_warnings(area, buf, model, view, &[], theme);
}

/// Draws the whole screen with the lints' findings for `model`: the app
/// checks them at its own pace and passes the last result here.
pub fn render_with_warnings(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    view: &ViewState,
    warnings: &[Warning],
    theme: &Theme,
) {
    if area.is_empty() {
        return;
    }
    let Some(areas) = layout::screen_areas(area, model.replay().is_some()) else {
        widgets::too_small::render(area, buf, theme);
        return;
    };
    widgets::header::render(areas.header, buf, model, view, theme);
    if let (Some(line), Some(status)) = (areas.progress, model.replay()) {
        widgets::replay_bar::render(line, buf, status, theme);
    }
    let counts = view.order.state_counts(model);
    widgets::state_line::render(areas.state, buf, model, counts, warnings, theme);
    views::render_body(areas.body, buf, model, view, warnings, theme);
    if let Some(side) = areas.side {
        views::side_column::render(side, buf, model, warnings, &view.keymap, theme);
    }
    let keys = KeyContext::of(model);
    // Variant and knob keys act only on a live demo.
    let live_demo = keys == KeyContext::Live && model.source().kind == "demo";
    widgets::footer::render(areas.footer, buf, view, (keys, live_demo), theme);
    if view.help {
        widgets::help::render(area, buf, (&view.keymap, keys), view.help_scroll, theme);
    }
}

/// How far the help overlay scrolls on a screen of this size.
#[must_use]
pub fn help_max_scroll(screen: Rect, keymap: &Keymap, context: KeyContext) -> usize {
    widgets::help::max_scroll(screen, keymap, context)
}

/// One frame as a buffer of `width` x `height`, for snapshots, text
/// screenshots and asciicasts.
#[must_use]
pub fn render_to_buffer(
    model: &Model,
    view: &ViewState,
    theme: &Theme,
    width: u16,
    height: u16,
) -> Buffer {
    render_to_buffer_with_warnings(model, view, &[], theme, width, height)
}

/// [`render_to_buffer`] with the lints' findings.
#[must_use]
pub fn render_to_buffer_with_warnings(
    model: &Model,
    view: &ViewState,
    warnings: &[Warning],
    theme: &Theme,
    width: u16,
    height: u16,
) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    render_with_warnings(area, &mut buf, model, view, warnings, theme);
    buf
}

/// The buffer's characters, one line per row, trailing spaces trimmed.
/// Wide characters count once (the cell they cover is skipped).
#[must_use]
pub fn buffer_to_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::with_capacity(usize::from(area.width + 1) * usize::from(area.height));
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut covered = 0usize;
        for x in area.left()..area.right() {
            let symbol = buf[(x, y)].symbol();
            if covered > 0 {
                covered -= 1;
                continue;
            }
            line.push_str(symbol);
            covered = unicode_width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unicode_width(s: &str) -> usize {
    ratatui::text::Span::raw(s).width()
}
