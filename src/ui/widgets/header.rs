use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::connection;
use crate::app::keymap::KeyContext;
use crate::app::Action;
use crate::feed::SourceInfo;
use crate::model::Model;
use crate::ui::format::{clock, count, thousands};
use crate::ui::{Theme, ViewState};

/// `taskscope · demo gather (broken) · probe · 00:42 · 2 workers · …`
/// on the left; the attached target's link, PAUSED / ended and the help
/// key on the right. Segments drop from the right of the left part when
/// the line is too narrow; the link's reason is cut so that what is
/// watched stays in view.
pub fn render(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    let segments = left_segments(model);
    let sep = format!(" {} ", theme.glyphs.separator());
    let mut right = right_part(model, view, theme);
    if let Some(status) = model.connection() {
        // The left part's leading space, "taskscope · attach URL" and the
        // column `fits` keeps free; at most two thirds of the line.
        let keep_left =
            (2 + joined_width(&segments[..2], &sep)).min(usize::from(area.width) * 2 / 3);
        let room = usize::from(area.width).saturating_sub(right.width() + keep_left + 1);
        let badge = connection::badge(status, room, theme);
        right.spans.splice(0..0, badge);
    }
    let right_width = u16::try_from(right.width()).unwrap_or(u16::MAX);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(area);
    let fits = usize::from(left_area.width).saturating_sub(1);
    let mut shown = segments.len();
    while shown > 1 && joined_width(&segments[..shown], &sep) > fits {
        shown -= 1;
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, segment) in segments.into_iter().take(shown).enumerate() {
        if i == 0 {
            spans.push(Span::styled(segment, theme.title()));
        } else {
            spans.push(Span::styled(sep.clone(), theme.dim()));
            spans.push(Span::raw(segment));
        }
    }
    Line::from(spans).render(left_area, buf);
    right.render(right_area, buf);
}

fn left_segments(model: &Model) -> Vec<String> {
    let source = model.source();
    let runtime = model.runtime();
    let mut segments = vec!["taskscope".to_owned(), describe(source)];
    if !source.engine.is_empty() {
        segments.push(source.engine.clone());
    }
    segments.push(clock(model.elapsed_ns()));
    segments.push(format!("{} workers", count(runtime.worker_count())));
    segments.push(format!("{} tasks", thousands(model.alive())));
    segments.push(format!(
        "{} dropped",
        thousands(model.totals().dropped_events)
    ));
    segments
}

fn joined_width(segments: &[String], sep: &str) -> usize {
    let seps = segments.len().saturating_sub(1) * sep.chars().count();
    segments.iter().map(|s| s.chars().count()).sum::<usize>() + seps
}

/// What is being watched, in words.
fn describe(source: &SourceInfo) -> String {
    match source.kind.as_str() {
        "" => "waiting for a source".to_owned(),
        "demo" => {
            let variant = if source.fixed { "fixed" } else { "broken" };
            format!("demo {} ({variant})", source.name)
        }
        kind => format!("{kind} {}", source.name),
    }
}

fn right_part(model: &Model, view: &ViewState, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    if view.paused {
        spans.push(Span::styled(" PAUSED ", theme.status()));
        spans.push(Span::raw(" "));
    }
    if view.ended {
        spans.push(Span::styled(" ended ", theme.status()));
        spans.push(Span::raw(" "));
    }
    let key = view
        .keymap
        .label_of(Action::ToggleHelp, KeyContext::of(model), theme.glyphs);
    if !key.is_empty() {
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::styled(" help ", theme.dim()));
    }
    Line::from(spans)
}
