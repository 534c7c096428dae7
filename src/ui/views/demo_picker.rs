//! The demos tab: every demo by name, the highlighted one explained, and
//! the keys that run it and turn its knobs.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::app::keymap::KeyContext;
use crate::app::Action;
use crate::model::Model;
use crate::ui::demo_list::demos;
use crate::ui::{Theme, ViewState};

/// Wide enough for the longest demo name, the marker and padding.
const LIST_WIDTH: u16 = 16;

pub fn render(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    let sep = theme.glyphs.separator();
    let context = KeyContext::of(model);
    let key = |action, _: &Theme| view.keymap.label_of(action, context, theme.glyphs);
    let block = theme.block(format!(
        " Demos {} {sep} {} runs the highlighted one ",
        demos().len(),
        key(Action::Open, theme)
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let (list, about) = halves(inner);
    let source = model.source();
    let running = (source.kind == "demo").then_some(source.name.as_str());
    let cursor = view.demo_cursor.min(demos().len().saturating_sub(1));
    let offset = scroll_offset(cursor, list.height);
    let lines: Vec<Line> = demos()
        .iter()
        .enumerate()
        .skip(offset)
        .take(usize::from(list.height))
        .map(|(i, info)| {
            let marker = if Some(info.name) == running {
                theme.glyphs.current()
            } else {
                " "
            };
            let line = Line::raw(format!("{marker} {}", info.name));
            if i == cursor {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    Paragraph::new(lines).render(list, buf);
    if let Some(info) = demos().get(cursor) {
        let mut text = vec![
            Line::styled(info.name, theme.title()),
            Line::raw(info.summary),
            Line::default(),
            Line::raw(info.explain),
            Line::default(),
        ];
        let knobs: Vec<String> = info
            .knobs
            .iter()
            .map(|k| format!("{} {}", k.name, k.default))
            .collect();
        if !knobs.is_empty() {
            text.push(Line::from(vec![
                Span::styled("knobs ", theme.dim()),
                Span::raw(knobs.join(", ")),
            ]));
        }
        text.push(Line::from(vec![
            Span::styled(key(Action::Open, theme), theme.key()),
            Span::styled(" run  ", theme.dim()),
            Span::styled(key(Action::ToggleFixed, theme), theme.key()),
            Span::styled(" broken/fixed  ", theme.dim()),
            Span::styled(
                format!(
                    "{}/{}",
                    key(Action::KnobUp, theme),
                    key(Action::KnobDown, theme)
                ),
                theme.key(),
            ),
            Span::styled(" main knob (of the running demo)", theme.dim()),
        ]));
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .render(about, buf);
    }
}

fn halves(inner: Rect) -> (Rect, Rect) {
    let [list, _, about] = Layout::horizontal([
        Constraint::Length(LIST_WIDTH),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    (list, about)
}

fn scroll_offset(cursor: usize, height: u16) -> usize {
    (cursor + 1).saturating_sub(usize::from(height))
}

/// The demo drawn at screen line `y`, for mouse clicks.
#[must_use]
pub fn demo_at(area: Rect, view: &ViewState, y: u16) -> Option<usize> {
    let (list, _) = halves(Block::bordered().inner(area));
    if y < list.y || y >= list.bottom() {
        return None;
    }
    let cursor = view.demo_cursor.min(demos().len().saturating_sub(1));
    let index = scroll_offset(cursor, list.height) + usize::from(y - list.y);
    (index < demos().len()).then_some(index)
}
