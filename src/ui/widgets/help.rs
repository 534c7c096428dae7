use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::app::keymap::{KeyContext, Keymap};
use crate::app::Action;
use crate::ui::Theme;

/// How the bindings are laid out in a screen of a given size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fit {
    columns: usize,
    per_column: usize,
    /// Lines shown at once; fewer than `per_column` when it scrolls.
    visible: usize,
    text_width: usize,
}

impl Fit {
    fn max_scroll(self) -> usize {
        self.per_column.saturating_sub(self.visible)
    }
}

/// One column if every binding fits the height; else side by side if two
/// columns fit the width; else one column that scrolls.
fn fit(area: Rect, lines: usize, text_width: usize) -> Fit {
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let one = Fit {
        columns: 1,
        per_column: lines,
        visible: lines.min(room),
        text_width,
    };
    if lines <= room {
        return one;
    }
    let columns = lines.div_ceil(room);
    if text_width * columns + 2 <= usize::from(area.width) {
        let per_column = lines.div_ceil(columns);
        return Fit {
            columns,
            per_column,
            visible: per_column,
            text_width,
        };
    }
    one
}

/// Every binding with its keys and what it does; over a replay, the
/// replay's first. Bindings left with no key are not listed.
fn lines(keymap: &Keymap, context: KeyContext, theme: &Theme) -> Vec<Line<'static>> {
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
    rows.into_iter()
        .map(|(keys, help)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<keys_width$}  "), theme.key()),
                Span::raw(help),
            ])
        })
        .collect()
}

fn text_width(lines: &[Line]) -> usize {
    lines.iter().map(Line::width).max().unwrap_or(0) + 1
}

/// How far the help can scroll on a screen of this size (0: it all fits).
/// Measured with the ASCII key names, the wider ones.
#[must_use]
pub fn max_scroll(screen: Rect, keymap: &Keymap, context: KeyContext) -> usize {
    let theme = Theme::new(true, false);
    let lines = lines(keymap, context, &theme);
    fit(screen, lines.len(), text_width(&lines)).max_scroll()
}

/// Every binding of the keymap with its keys and what it does, scrolled
/// down `scroll` lines when they do not all fit.
pub fn render(
    area: Rect,
    buf: &mut Buffer,
    (keymap, context): (&Keymap, KeyContext),
    scroll: usize,
    theme: &Theme,
) {
    let lines = lines(keymap, context, theme);
    let fit = fit(area, lines.len(), text_width(&lines));
    let scroll = scroll.min(fit.max_scroll());
    let width = u16::try_from(fit.text_width * fit.columns + 2).unwrap_or(u16::MAX);
    let height = u16::try_from(fit.visible + 2).unwrap_or(u16::MAX);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    let mut block = theme.block(title(keymap, context, theme));
    if fit.max_scroll() > 0 {
        block = block.title_bottom(scroll_note(scroll, fit, theme));
    }
    let inner = block.inner(popup);
    Clear.render(popup, buf);
    block.render(popup, buf);
    let column_areas = Layout::horizontal(vec![Constraint::Fill(1); fit.columns]).split(inner);
    let mut lines = lines.into_iter().skip(scroll);
    for column_area in column_areas.iter() {
        let chunk: Vec<Line> = lines.by_ref().take(fit.visible).collect();
        Paragraph::new(chunk).render(*column_area, buf);
    }
}

/// ` ↓ 3 more · ↑/↓ scroll `: how much is out of sight.
fn scroll_note(scroll: usize, fit: Fit, theme: &Theme) -> Line<'static> {
    let g = theme.glyphs;
    let below = fit.max_scroll() - scroll;
    let mut parts = Vec::new();
    if scroll > 0 {
        parts.push(format!("{} {scroll} more", g.arrow_up()));
    }
    if below > 0 {
        parts.push(format!("{} {below} more", g.arrow_down()));
    }
    parts.push(format!("{}/{} scroll", g.arrow_up(), g.arrow_down()));
    Line::styled(
        format!(" {} ", parts.join(&format!(" {} ", g.separator()))),
        theme.dim(),
    )
    .right_aligned()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_in_one_column_two_columns_or_scrolling() {
        let one = fit(Rect::new(0, 0, 80, 24), 20, 60);
        assert_eq!((one.columns, one.max_scroll()), (1, 0));
        let two = fit(Rect::new(0, 0, 160, 24), 30, 60);
        assert_eq!((two.columns, two.per_column, two.max_scroll()), (2, 15, 0));
        let scrolls = fit(Rect::new(0, 0, 80, 24), 30, 60);
        assert_eq!(
            (scrolls.columns, scrolls.visible, scrolls.max_scroll()),
            (1, 22, 8)
        );
        assert_eq!(fit(Rect::new(0, 0, 1, 1), 30, 60).visible, 1);
    }
}
