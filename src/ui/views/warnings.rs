//! The warnings tab: every finding of the lints with its count, where it
//! is and its summary; under the list, the selected one in full with what
//! to change, and where Enter leads.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget, Wrap};

use crate::lints::{Warning, LINTS};
use crate::ui::format::{count, short_location, thousands};
use crate::ui::{Theme, ViewState};

/// Where a warning is: its resource's name, else its spawn location.
#[must_use]
pub fn place(w: &Warning) -> &str {
    match &w.resource {
        Some(name) => name,
        None => short_location(&w.location),
    }
}

/// Where Enter on a warning leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WarningTarget {
    /// The detail of a resource (resource lints: holders and waiters are
    /// listed there, each a link to its task).
    Resource(crate::ui::resource_table::ResourceKey),
    /// The first task it names.
    Task(crate::feed::TaskId),
}

/// Resource warnings lead to the resource, the others to their first task.
#[must_use]
pub fn target_of(w: &Warning, model: &crate::model::Model) -> Option<WarningTarget> {
    if let Some(name) = &w.resource {
        let key = model
            .resources()
            .find(|r| r.name == *name)
            .map(crate::ui::resource_table::ResourceKey::of)
            .or_else(|| {
                model
                    .resource_summaries()
                    .into_iter()
                    .find(|s| s.name == *name)
                    .map(|s| crate::ui::resource_table::ResourceKey {
                        kind: s.kind,
                        name: s.name,
                    })
            });
        if let Some(key) = key {
            return Some(WarningTarget::Resource(key));
        }
    }
    w.tasks.first().map(|id| WarningTarget::Task(*id))
}

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    model: &crate::model::Model,
    view: &ViewState,
    warnings: &[Warning],
    theme: &Theme,
) {
    let sep = theme.glyphs.separator();
    let block = theme.block(format!(
        " Warnings {} {sep} Enter opens ",
        count(warnings.len())
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    if warnings.is_empty() {
        Paragraph::new("no warnings: every enabled lint is quiet")
            .style(theme.dim())
            .render(inner, buf);
        return;
    }
    let cursor = view.warning_cursor.min(warnings.len() - 1);
    // The list gets what it needs up to half; the explanation the rest.
    let wanted = u16::try_from(warnings.len() + 1).unwrap_or(u16::MAX);
    let list_height = wanted.min(inner.height / 2).max(2.min(inner.height));
    let [list, _, detail] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    render_list(list, buf, warnings, cursor, theme);
    if let Some(w) = warnings.get(cursor) {
        render_detail(detail, buf, model, w, theme);
    }
}

fn render_list(area: Rect, buf: &mut Buffer, warnings: &[Warning], cursor: usize, theme: &Theme) {
    let visible = usize::from(area.height.saturating_sub(1));
    let offset = (cursor + 1).saturating_sub(visible);
    let rows: Vec<Row> = warnings
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, w)| {
            let row = Row::new(vec![
                Cell::from(Span::styled(
                    format!("{} {}", theme.glyphs.warning(), w.lint),
                    theme.warning(),
                )),
                Cell::from(Line::from(thousands(w.count)).right_aligned()),
                Cell::from(place(w).to_owned()),
                Cell::from(w.summary.clone()),
            ]);
            if i == cursor {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(vec![
        Cell::from("Lint"),
        Cell::from(Line::from("Count").right_aligned()),
        Cell::from("Where"),
        Cell::from("Summary"),
    ])
    .style(theme.table_header());
    let where_width = warnings
        .iter()
        .map(|w| place(w).chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 24);
    Table::new(
        rows,
        [
            Constraint::Length(17),
            Constraint::Length(5),
            Constraint::Length(u16::try_from(where_width).unwrap_or(24)),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .column_spacing(1)
    .render(area, buf);
}

fn render_detail(
    area: Rect,
    buf: &mut Buffer,
    model: &crate::model::Model,
    w: &Warning,
    theme: &Theme,
) {
    let lint = LINTS.iter().find(|l| l.id() == w.lint);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", w.lint), theme.warning()),
        Span::styled(lint.map_or("", |l| l.summary()), theme.dim()),
    ])];
    lines.push(Line::raw(w.summary.clone()));
    lines.push(Line::from(vec![
        Span::styled("at ", theme.dim()),
        Span::raw(w.location.to_string()),
    ]));
    lines.push(Line::styled(enter_hint(w, model), theme.dim()));
    if let Some(lint) = lint {
        lines.push(Line::default());
        lines.push(Line::styled("What to change", theme.table_header()));
        lines.push(Line::raw(lint.explanation()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

/// What Enter does on this warning, in words.
fn enter_hint(w: &Warning, model: &crate::model::Model) -> String {
    match target_of(w, model) {
        Some(WarningTarget::Resource(key)) => {
            format!(
                "Enter: the {} {} (who holds it, who waits)",
                key.kind.label(),
                key.name
            )
        }
        Some(WarningTarget::Task(id)) => {
            if w.count > 1 {
                format!("Enter: task {id}, the first of {}", thousands(w.count))
            } else {
                format!("Enter: task {id}")
            }
        }
        None => "no task or resource to open".to_owned(),
    }
}
