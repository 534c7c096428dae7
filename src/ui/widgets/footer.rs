use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::app::keymap::KeyContext;
use crate::app::Action;
use crate::ui::{Tab, Theme, ViewState};

/// One hint of the footer.
enum Hint {
    /// `keys word`, for `action`.
    One(String, &'static str, Action),
    /// Every tab's key under one word, when the tabs one by one take too
    /// much room: `t/r/u/m/w/d tabs`.
    Tabs(Vec<(String, Tab)>),
}

impl Hint {
    fn width(&self) -> usize {
        match self {
            Hint::One(keys, word, _) => 1 + keys.chars().count() + 1 + word.len() + 1,
            Hint::Tabs(tabs) => {
                let keys: usize = tabs.iter().map(|(k, _)| k.chars().count()).sum();
                1 + keys + tabs.len().saturating_sub(1) + " tabs ".len()
            }
        }
    }

    /// Help and quit stay: they are the way to everything else.
    fn droppable(&self) -> bool {
        !matches!(self, Hint::One(_, _, Action::ToggleHelp | Action::Quit))
    }

    /// What a newcomer needs besides the tabs: worth folding the tabs for.
    fn core(&self) -> bool {
        matches!(
            self,
            Hint::One(
                _,
                _,
                Action::StartFilter
                    | Action::TogglePause
                    | Action::Open
                    | Action::ToggleHelp
                    | Action::Quit
            )
        )
    }
}

/// Key hints from the keymap, the current tab's highlighted. When they do
/// not all fit, hints drop from the right; if that would drop a tab,
/// filter, pause or open, the tabs share one hint instead and the rest drop from
/// the right, but help and quit always stay.
pub fn render(
    area: Rect,
    buf: &mut Buffer,
    view: &ViewState,
    (context, live_demo): (KeyContext, bool),
    theme: &Theme,
) {
    let all = || -> Vec<Hint> {
        view.keymap
            .footer_hints(theme.glyphs, context)
            .into_iter()
            .filter(|(_, _, action)| {
                live_demo
                    || !matches!(
                        action,
                        Action::ToggleFixed | Action::KnobUp | Action::KnobDown
                    )
            })
            .map(|(keys, word, action)| Hint::One(keys, word, action))
            .collect()
    };
    let width = usize::from(area.width);
    let mut hints = drop_until_fits(all(), width, |h| {
        h.droppable() && !h.core() && !matches!(h, Hint::One(_, _, Action::ShowTab(_)))
    });
    if total_width(&hints) > width {
        hints = drop_until_fits(tabs_together(all()), width, Hint::droppable);
    }
    let mut spans = Vec::new();
    for hint in hints {
        spans.push(Span::raw(" "));
        match hint {
            Hint::One(keys, word, action) if action == Action::ShowTab(view.tab) => {
                spans.push(Span::styled(format!("{keys} {word}"), theme.selected()));
                spans.push(Span::raw(" "));
            }
            Hint::One(keys, word, _) => {
                spans.push(Span::styled(keys, theme.key()));
                spans.push(Span::styled(format!(" {word} "), theme.dim()));
            }
            Hint::Tabs(tabs) => {
                for (i, (keys, tab)) in tabs.into_iter().enumerate() {
                    if i > 0 {
                        spans.push(Span::styled("/", theme.dim()));
                    }
                    let style = if tab == view.tab {
                        theme.selected()
                    } else {
                        theme.key()
                    };
                    spans.push(Span::styled(keys, style));
                }
                spans.push(Span::styled(" tabs ", theme.dim()));
            }
        }
    }
    Line::from(spans).render(area, buf);
}

fn total_width(hints: &[Hint]) -> usize {
    hints.iter().map(Hint::width).sum()
}

/// Drops the rightmost hints `may_drop` allows until the rest fit `width`.
fn drop_until_fits(
    mut hints: Vec<Hint>,
    width: usize,
    may_drop: impl Fn(&Hint) -> bool,
) -> Vec<Hint> {
    while total_width(&hints) > width {
        match hints.iter().rposition(&may_drop) {
            Some(i) => {
                hints.remove(i);
            }
            None => break,
        }
    }
    hints
}

/// The tab hints folded into one where the first of them was.
fn tabs_together(hints: Vec<Hint>) -> Vec<Hint> {
    let mut out = Vec::with_capacity(hints.len());
    let mut tabs = Vec::new();
    let mut at = None;
    for hint in hints {
        match hint {
            Hint::One(keys, _, Action::ShowTab(tab)) => {
                at.get_or_insert(out.len());
                tabs.push((keys, tab));
            }
            other => out.push(other),
        }
    }
    if let Some(i) = at {
        out.insert(i, Hint::Tabs(tabs));
    }
    out
}
