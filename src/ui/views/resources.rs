//! The resources tab: one row per resource name, ranked by the time tasks
//! spent waiting for it; Enter opens its detail.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Widget};

use super::table_title;
use crate::model::Model;
use crate::ui::format::{compact, count, duration_short};
use crate::ui::resource_table::{ResourceColumn, ResourceRow};
use crate::ui::{Theme, ViewState};

const NAME_MIN: u16 = 10;
/// Columns dropped first when the table is too narrow.
const DROP_ORDER: [ResourceColumn; 8] = [
    ResourceColumn::HoldP50,
    ResourceColumn::WaitP50,
    ResourceColumn::Kind,
    ResourceColumn::AcquisitionsPerS,
    ResourceColumn::Capacity,
    ResourceColumn::HoldP99,
    ResourceColumn::InUse,
    ResourceColumn::TotalWait,
];

pub fn render(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    let rows = view.resources.rows(model);
    let block = theme.block(title(model, view, rows.len(), theme));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    if rows.is_empty() {
        let text = if model.resources().next().is_none() && model.resource_summaries().is_empty() {
            "no resources yet: probe resources (semaphores, mutexes, channels, pools) show here"
        } else {
            "no resource matches the filter"
        };
        Paragraph::new(text).style(theme.dim()).render(inner, buf);
        return;
    }
    let columns = fitting_columns(inner.width);
    let selected = view.resources.selected_row(&rows);
    let visible = usize::from(inner.height.saturating_sub(1));
    let offset = selected.map_or(0, |s| (s + 1).saturating_sub(visible));
    let table_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, row)| {
            let r = Row::new(columns.iter().map(|c| cell(*c, row, theme)));
            if Some(i) == selected {
                r.style(theme.selected())
            } else {
                r
            }
        })
        .collect();
    let header = Row::new(columns.iter().map(|c| header_cell(*c, view, theme)));
    let widths: Vec<Constraint> = columns.iter().map(|c| width(*c)).collect();
    Table::new(table_rows, widths)
        .header(header)
        .column_spacing(1)
        .render(inner, buf);
}

/// The index of the row drawn at screen line `y`, for mouse clicks.
#[must_use]
pub fn row_at(area: Rect, view: &ViewState, rows: &[ResourceRow], y: u16) -> Option<usize> {
    let inner = Block::bordered().inner(area);
    let first = inner.y.checked_add(1)?;
    if y < first || y >= inner.bottom() {
        return None;
    }
    let visible = usize::from(inner.height.saturating_sub(1));
    let offset = view
        .resources
        .selected_row(rows)
        .map_or(0, |s| (s + 1).saturating_sub(visible));
    let index = offset + usize::from(y - first);
    (index < rows.len()).then_some(index)
}

fn title(model: &Model, view: &ViewState, shown: usize, theme: &Theme) -> String {
    let r = &view.resources;
    let mut title = if r.filter.is_active() {
        let total = model.resource_summaries().len();
        format!(" Resources {} of {}", count(shown), count(total))
    } else {
        format!(" Resources {}", count(shown))
    };
    title.push_str(&table_title::sort_and_filter(
        r.sort.column.title(),
        r.sort.descending,
        &r.filter,
        theme,
    ));
    title
}

fn width(column: ResourceColumn) -> Constraint {
    match column {
        ResourceColumn::Name => Constraint::Min(NAME_MIN),
        other => Constraint::Length(fixed_width(other)),
    }
}

fn fixed_width(column: ResourceColumn) -> u16 {
    match column {
        ResourceColumn::Name => NAME_MIN,
        ResourceColumn::Kind => 9,
        ResourceColumn::Capacity => 5,
        ResourceColumn::InUse | ResourceColumn::AcquisitionsPerS => 6,
        ResourceColumn::Waiters => 7,
        ResourceColumn::WaitP50
        | ResourceColumn::WaitP99
        | ResourceColumn::HoldP50
        | ResourceColumn::HoldP99 => 8,
        // Room for the sort marker: this is the column sorted by default.
        ResourceColumn::TotalWait => 11,
    }
}

/// Every column, minus the least useful ones until they fit `width`.
fn fitting_columns(width: u16) -> Vec<ResourceColumn> {
    super::column_fit::fit_columns(&ResourceColumn::ALL, &DROP_ORDER, width, fixed_width)
}

fn right_aligned(column: ResourceColumn) -> bool {
    !matches!(column, ResourceColumn::Name | ResourceColumn::Kind)
}

fn aligned(column: ResourceColumn, line: Line<'static>) -> Cell<'static> {
    if right_aligned(column) {
        Cell::from(line.alignment(Alignment::Right))
    } else {
        Cell::from(line)
    }
}

fn header_cell(column: ResourceColumn, view: &ViewState, theme: &Theme) -> Cell<'static> {
    let sort = view.resources.sort;
    let (text, style) = if sort.column == column {
        (
            format!("{}{}", column.title(), theme.glyphs.sort(sort.descending)),
            theme.sorted_column(),
        )
    } else {
        (column.title().to_owned(), theme.table_header())
    };
    aligned(column, Line::styled(text, style))
}

fn cell(column: ResourceColumn, row: &ResourceRow, theme: &Theme) -> Cell<'static> {
    let ascii = theme.glyphs.ascii;
    let us = |v: u64| duration_short(v.saturating_mul(1000), ascii);
    let text = match column {
        ResourceColumn::Name => row.key.name.to_string(),
        ResourceColumn::Kind => row.key.kind.label().to_owned(),
        ResourceColumn::Capacity => row
            .capacity
            .map_or_else(|| "-".to_owned(), |c| c.to_string()),
        ResourceColumn::InUse => row.in_use.to_string(),
        ResourceColumn::Waiters => {
            let text = format!("{}/{}", row.waiting, row.max_waiters);
            let line = if row.waiting > 0 {
                Line::styled(text, theme.warning())
            } else {
                Line::raw(text)
            };
            return aligned(column, line);
        }
        ResourceColumn::AcquisitionsPerS => compact(row.acquisitions_per_s),
        ResourceColumn::WaitP50 => us(row.stats.wait_p50_us()),
        ResourceColumn::WaitP99 => us(row.stats.wait_p99_us()),
        ResourceColumn::HoldP50 => us(row.stats.hold_p50_us()),
        ResourceColumn::HoldP99 => us(row.stats.hold_p99_us()),
        ResourceColumn::TotalWait => us(row.total_wait_us),
    };
    aligned(column, Line::raw(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_keep_the_name_and_the_waiters() {
        assert_eq!(fitting_columns(200), ResourceColumn::ALL.to_vec());
        let at_80 = fitting_columns(78);
        assert!(at_80.contains(&ResourceColumn::WaitP99));
        assert!(at_80.contains(&ResourceColumn::TotalWait));
        assert_eq!(
            fitting_columns(10),
            [
                ResourceColumn::Name,
                ResourceColumn::Waiters,
                ResourceColumn::WaitP99
            ]
        );
    }
}
