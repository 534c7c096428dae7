//! The side column on wide terminals: warnings, and what is running.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::keymap::{KeyContext, Keymap};
use crate::app::Action;
use crate::feed::SourceInfo;
use crate::model::Model;
use crate::ui::{Theme, WarningSummary};

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    warnings: &[WarningSummary],
    keymap: &Keymap,
    theme: &Theme,
) {
    // Each warning takes two lines; leave the demo at least half.
    let wanted = u16::try_from(warnings.len().max(1) * 2 + 2).unwrap_or(u16::MAX);
    let warnings_height = wanted.min(area.height / 2).max(3);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(warnings_height), Constraint::Fill(1)]).areas(area);
    render_warnings(top, buf, warnings, theme);
    let keys = |action| keymap.label_of(action, KeyContext::of(model), theme.glyphs);
    render_source(bottom, buf, model.source(), &keys, theme);
}

fn render_warnings(area: Rect, buf: &mut Buffer, warnings: &[WarningSummary], theme: &Theme) {
    let block = theme.block(" Warnings ");
    let lines: Vec<Line> = if warnings.is_empty() {
        vec![Line::styled("none", theme.dim())]
    } else {
        warnings
            .iter()
            .flat_map(|w| {
                [
                    Line::styled(
                        format!("{} {}", theme.glyphs.warning(), w.lint),
                        theme.warning(),
                    ),
                    Line::raw(format!("  {}", w.summary)),
                ]
            })
            .collect()
    };
    Paragraph::new(lines).block(block).render(area, buf);
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
