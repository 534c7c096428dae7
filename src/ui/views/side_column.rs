//! The side column on wide terminals: warnings, and what is running.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::keymap::{KeyContext, Keymap};
use crate::app::Action;
use crate::feed::SourceInfo;
use crate::lints::Warning;
use crate::model::Model;
use crate::ui::format::truncate;
use crate::ui::views::warnings::place;
use crate::ui::Theme;

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    warnings: &[Warning],
    keymap: &Keymap,
    theme: &Theme,
) {
    // Each warning takes two lines; leave the demo at least half.
    let wanted = u16::try_from(warnings.len().max(1) * 2 + 2).unwrap_or(u16::MAX);
    let warnings_height = wanted.min(area.height / 2).max(3);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(warnings_height), Constraint::Fill(1)]).areas(area);
    let keys = |action| keymap.label_of(action, KeyContext::of(model), theme.glyphs);
    render_warnings(top, buf, warnings, &keys, theme);
    render_source(bottom, buf, model.source(), &keys, theme);
}

fn render_warnings(
    area: Rect,
    buf: &mut Buffer,
    warnings: &[Warning],
    key: &KeyLabel,
    theme: &Theme,
) {
    let block = theme.block(" Warnings ");
    let inner = block.inner(area);
    block.render(area, buf);
    let width = usize::from(inner.width);
    let ellipsis = theme.glyphs.ellipsis();
    if warnings.is_empty() {
        Paragraph::new(Line::styled("none", theme.dim())).render(inner, buf);
        return;
    }
    // Two lines each; the last line says how many did not fit.
    let room = usize::from(inner.height);
    let shown = if warnings.len() * 2 <= room {
        warnings.len()
    } else {
        room.saturating_sub(1) / 2
    };
    let mut lines: Vec<Line> = warnings
        .iter()
        .take(shown)
        .flat_map(|w| {
            [
                Line::from(vec![
                    Span::styled(
                        format!("{} {}", theme.glyphs.warning(), w.lint),
                        theme.warning(),
                    ),
                    Span::raw(format!("  {}", place(w))),
                ]),
                Line::raw(format!(
                    "  {}",
                    truncate(&w.summary, width.saturating_sub(2), ellipsis)
                )),
            ]
        })
        .collect();
    if shown < warnings.len() {
        lines.push(Line::styled(
            format!(
                "  +{} more: {} warnings",
                warnings.len() - shown,
                key(Action::ShowTab(crate::ui::Tab::Warnings))
            ),
            theme.dim(),
        ));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// How hints write the key of an action.
type KeyLabel<'a> = dyn Fn(Action) -> String + 'a;

fn render_source(area: Rect, buf: &mut Buffer, source: &SourceInfo, key: &KeyLabel, theme: &Theme) {
    let demo = (source.kind == "demo")
        .then(|| taskscope_demos::find(&source.name).ok())
        .flatten();
    let title = if source.name.is_empty() {
        "source"
    } else {
        &source.name
    };
    let block = theme.block(format!(" {title} "));
    let inner = block.inner(area);
    block.render(area, buf);

    let mut about = Vec::new();
    if source.kind == "demo" {
        let variant = if source.fixed { "fixed" } else { "broken" };
        about.push(Line::styled(variant, theme.warning()));
    } else if !source.kind.is_empty() {
        about.push(Line::raw(format!("{} {}", source.kind, source.name)));
    }
    if let Some(demo) = &demo {
        about.push(Line::raw(demo.info().explain));
    }

    let mut settings: Vec<Line> = source
        .knobs
        .iter()
        .map(|(name, value)| {
            Line::from(vec![
                Span::styled(format!("{name} "), theme.dim()),
                Span::raw(value.to_string()),
            ])
        })
        .collect();
    if source.kind == "demo" {
        settings.push(demo_keys(source, key, theme));
    }
    let settings_height = u16::try_from(settings.len()).unwrap_or(u16::MAX);
    let [about_area, settings_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(settings_height)]).areas(inner);
    Paragraph::new(about)
        .wrap(Wrap { trim: true })
        .render(about_area, buf);
    Paragraph::new(settings).render(settings_area, buf);
}

/// `f fixed  +/- fanout`, with the keys the keymap binds.
fn demo_keys(source: &SourceInfo, key: &KeyLabel, theme: &Theme) -> Line<'static> {
    let main_knob = source
        .knobs
        .first()
        .map_or("knob", |(name, _)| name.as_str());
    Line::from(vec![
        Span::styled(key(Action::ToggleFixed), theme.key()),
        Span::styled(" fixed  ", theme.dim()),
        Span::styled(
            format!("{}/{}", key(Action::KnobUp), key(Action::KnobDown)),
            theme.key(),
        ),
        Span::styled(format!(" {main_knob}"), theme.dim()),
    ])
}
