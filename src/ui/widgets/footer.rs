use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::app::keymap::KeyContext;
use crate::app::Action;
use crate::ui::{Theme, ViewState};

/// Key hints from the keymap, the current tab's highlighted. When they do
/// not all fit, hints drop from the right, but help and quit stay: they
/// are the way to everything else.
pub fn render(area: Rect, buf: &mut Buffer, view: &ViewState, context: KeyContext, theme: &Theme) {
    let mut hints = view.keymap.footer_hints(theme.glyphs, context);
    let width = |hints: &[(String, &str, Action)]| -> usize {
        hints
            .iter()
            .map(|(keys, word, _)| 1 + keys.chars().count() + 1 + word.len() + 1)
            .sum()
    };
    while width(&hints) > usize::from(area.width) {
        let droppable = hints
            .iter()
            .rposition(|(_, _, a)| !matches!(a, Action::ToggleHelp | Action::Quit));
        match droppable {
            Some(i) => {
                hints.remove(i);
            }
            None => break,
        }
    }
    let mut spans = Vec::new();
    for (keys, word, action) in hints {
        spans.push(Span::raw(" "));
        if action == Action::ShowTab(view.tab) {
            spans.push(Span::styled(format!("{keys} {word}"), theme.selected()));
            spans.push(Span::raw(" "));
        } else {
            spans.push(Span::styled(keys, theme.key()));
            spans.push(Span::styled(format!(" {word} "), theme.dim()));
        }
    }
    Line::from(spans).render(area, buf);
}
