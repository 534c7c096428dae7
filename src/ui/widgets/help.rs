use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::app::keymap::{KeyContext, Keymap};
use crate::app::Action;
use crate::ui::Theme;

/// Every binding of the keymap with its keys and what it does; over a
/// replay, the replay's first. Bindings left with no key are not listed.
pub fn render(area: Rect, buf: &mut Buffer, keymap: &Keymap, context: KeyContext, theme: &Theme) {
    let rows: Vec<(String, &str)> = keymap
        .bindings(context)
        .into_iter()
        .filter(|a| !a.keys.is_empty())
        .map(|a| {
            let keys: Vec<String> = a.keys.iter().map(|k| k.label(theme.glyphs)).collect();
            (keys.join(" "), a.binding.help)
        })
        .collect();
    let keys_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, help)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<keys_width$}  "), theme.key()),
                Span::raw(help),
            ])
        })
        .collect();
    let text_width = lines.iter().map(Line::width).max().unwrap_or(0) + 1;
    // Too many bindings for one column at this height: side by side.
    let fits = usize::from(area.height.saturating_sub(2)).max(1);
    let columns = lines.len().div_ceil(fits).max(1);
    let per_column = lines.len().div_ceil(columns).max(1);
    let width = u16::try_from(text_width * columns + 2).unwrap_or(u16::MAX);
    let height = u16::try_from(per_column + 2).unwrap_or(u16::MAX);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    let block = theme.block(title(keymap, context, theme));
    let inner = block.inner(popup);
    Clear.render(popup, buf);
    block.render(popup, buf);
    let column_areas = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(inner);
    let mut lines = lines.into_iter();
    for column_area in column_areas.iter() {
        let chunk: Vec<Line> = lines.by_ref().take(per_column).collect();
        Paragraph::new(chunk).render(*column_area, buf);
    }
}

/// ` Keys · Esc or ? closes `, with the keys the keymap binds.
fn title(keymap: &Keymap, context: KeyContext, theme: &Theme) -> String {
    let closing: Vec<String> = [Action::Back, Action::ToggleHelp]
        .into_iter()
        .map(|a| keymap.label_of(a, context, theme.glyphs))
        .filter(|k| !k.is_empty())
        .collect();
    let sep = theme.glyphs.separator();
    format!(" Keys {sep} {} closes ", closing.join(" or "))
}
