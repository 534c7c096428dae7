//! The tasks table: one row per retained task, sorted, with the selection.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};

use crate::feed::Nanos;
use crate::model::{Model, Task, TaskState};
use crate::ui::format::{count, duration_short, short_location, thousands};
use crate::ui::{Column, Theme, ViewState};

/// Narrowest the location column gets before other columns go.
const LOCATION_MIN: u16 = 12;
/// Columns dropped first when the table is too narrow.
const DROP_ORDER: [Column; 6] = [
    Column::Sched,
    Column::Idle,
    Column::Parent,
    Column::Polls,
    Column::Total,
    Column::Busy,
];

pub fn render(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    let ids = view.order.ids(model, view.sort);
    let sep = theme.glyphs.separator();
    let title = format!(
        " Tasks {} {sep} sort {} {} ",
        count(ids.len()),
        view.sort.column.title().to_lowercase(),
        theme.glyphs.sort(view.sort.descending)
    );
    let block = theme.block(title);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    if ids.is_empty() {
        Paragraph::new("no tasks yet")
            .style(theme.dim())
            .render(inner, buf);
        return;
    }

    let columns = fitting_columns(inner.width);
    let visible = usize::from(inner.height.saturating_sub(1));
    let selected = view.selected_index(&ids);
    // Keep the selection on screen: scroll just enough to show it.
    let offset = selected.map_or(0, |s| (s + 1).saturating_sub(visible));
    let now = model.now();
    let rows: Vec<Row> = ids
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .filter_map(|(i, id)| model.task(*id).map(|t| (i, t)))
        .map(|(i, task)| {
            let row = Row::new(columns.iter().map(|c| cell(*c, task, now, theme)));
            if Some(i) == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(columns.iter().map(|c| header_cell(*c, view, theme)));
    let widths: Vec<Constraint> = columns.iter().map(|c| width(*c)).collect();
    Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .render(inner, buf);
}

fn width(column: Column) -> Constraint {
    match column {
        Column::Location => Constraint::Min(LOCATION_MIN),
        other => Constraint::Length(fixed_width(other)),
    }
}

fn fixed_width(column: Column) -> u16 {
    match column {
        Column::Id | Column::Parent => 7,
        Column::State => 7,
        Column::Location => LOCATION_MIN,
        Column::Total | Column::Busy | Column::Sched | Column::Idle => 6,
        Column::Polls => 8,
    }
}

/// Every column, minus the least useful ones until they fit `width`.
fn fitting_columns(width: u16) -> Vec<Column> {
    let mut columns = Column::ALL.to_vec();
    let needed = |cols: &[Column]| -> u16 {
        let spacing = u16::try_from(cols.len().saturating_sub(1)).unwrap_or(u16::MAX);
        cols.iter().map(|c| fixed_width(*c)).sum::<u16>() + spacing
    };
    for drop in DROP_ORDER {
        if needed(&columns) <= width {
            break;
        }
        columns.retain(|c| *c != drop);
    }
    columns
}

fn right_aligned(column: Column) -> bool {
    !matches!(column, Column::State | Column::Location)
}

fn header_cell(column: Column, view: &ViewState, theme: &Theme) -> Cell<'static> {
    let (text, style) = if view.sort.column == column {
        (
            format!(
                "{}{}",
                column.title(),
                theme.glyphs.sort(view.sort.descending)
            ),
            theme.sorted_column(),
        )
    } else {
        (column.title().to_owned(), theme.table_header())
    };
    aligned(column, Line::styled(text, style))
}

fn aligned(column: Column, line: Line<'static>) -> Cell<'static> {
    if right_aligned(column) {
        Cell::from(line.alignment(Alignment::Right))
    } else {
        Cell::from(line)
    }
}

fn cell(column: Column, task: &Task, now: Nanos, theme: &Theme) -> Cell<'static> {
    let ascii = theme.glyphs.ascii;
    let text = match column {
        Column::Id => task.id.to_string(),
        Column::State => {
            let state = task.state();
            let text = format!("{} {}", theme.glyphs.state(state), state_word(state));
            return Cell::from(Line::styled(text, theme.state(state)));
        }
        Column::Location => match &task.name {
            Some(name) => name.to_string(),
            None => short_location(&task.location).to_owned(),
        },
        Column::Parent => task
            .parent
            .map_or_else(|| "-".to_owned(), |p| p.to_string()),
        Column::Total => duration_short(task.total_ns(now), ascii),
        Column::Busy => duration_short(task.busy_ns(now), ascii),
        Column::Sched => duration_short(task.scheduled_ns(now), ascii),
        Column::Idle => duration_short(task.idle_ns(now), ascii),
        Column::Polls => thousands(task.polls),
    };
    aligned(column, Line::raw(text))
}

fn state_word(state: TaskState) -> &'static str {
    match state {
        TaskState::Running => "run",
        TaskState::Scheduled => "sched",
        TaskState::Idle => "idle",
        TaskState::Done => "done",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_drop_the_least_useful_columns_first() {
        assert_eq!(fitting_columns(200), Column::ALL.to_vec());
        let at_80 = fitting_columns(78);
        assert!(at_80.contains(&Column::Busy) && at_80.contains(&Column::Location));
        let narrow = fitting_columns(38);
        assert_eq!(narrow[..3], [Column::Id, Column::State, Column::Location]);
        assert!(!narrow.contains(&Column::Sched));
        assert_eq!(
            fitting_columns(10),
            [Column::Id, Column::State, Column::Location]
        );
    }
}
