//! The tasks table: one row per retained task, sorted, with the selection.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Widget};

use super::table_title;
use crate::feed::Nanos;
use crate::model::{Model, Task, TaskState};
use crate::ui::format::{count, duration_short, short_location, thousands};
use crate::ui::{Column, TaskRow, TaskRows, Theme, ViewState};

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
    let rows = view.order.rows(model, &view.row_query());
    let block = theme.block(title(model, view, &rows, theme));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    if rows.rows.is_empty() {
        let text = if model.task_count() == 0 {
            "no tasks yet"
        } else {
            "no task matches the filter"
        };
        Paragraph::new(text).style(theme.dim()).render(inner, buf);
        return;
    }

    let mut columns = fitting_columns(inner.width);
    if view.tree {
        // The tree shows the parent; its room goes to the indented labels.
        columns.retain(|c| *c != Column::Parent);
    }
    let selected = view.selected_row(&rows.rows);
    let offset = scroll_offset(selected, visible_rows(inner));
    let now = model.now();
    let table_rows: Vec<Row> = rows
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible_rows(inner))
        .filter_map(|(i, row)| model.task(row.id).map(|t| (i, row, t)))
        .map(|(i, row, task)| {
            let cells = columns.iter().map(|c| match c {
                Column::Location if view.tree => tree_cell(row, task, theme),
                c => cell(*c, task, now, theme),
            });
            let table_row = Row::new(cells);
            if Some(i) == selected {
                table_row.style(theme.selected())
            } else {
                table_row
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

/// ` Tasks 7 · sort busy ▼ `, with the tree and the filter when they are on:
/// ` Tasks 3 of 7 · tree · sort busy ▼ · filter gath_ `.
fn title(model: &Model, view: &ViewState, rows: &TaskRows, theme: &Theme) -> String {
    let sep = theme.glyphs.separator();
    let total = model.task_count();
    let mut title = if view.filter.is_active() {
        format!(" Tasks {} of {}", count(rows.matches), count(total))
    } else {
        format!(" Tasks {}", count(total))
    };
    if view.tree {
        title.push_str(&format!(" {sep} tree"));
    }
    title.push_str(&table_title::sort_and_filter(
        view.sort.column.title(),
        view.sort.descending,
        &view.filter,
        theme,
    ));
    title
}

/// Data rows that fit under the header row.
fn visible_rows(inner: Rect) -> usize {
    usize::from(inner.height.saturating_sub(1))
}

/// The first row shown: just enough scrolling to keep the selection visible.
fn scroll_offset(selected: Option<usize>, visible: usize) -> usize {
    selected.map_or(0, |s| (s + 1).saturating_sub(visible))
}

/// The index in `rows` of the row drawn at screen line `y`, if any; the
/// same geometry as [`render`], for mouse clicks.
#[must_use]
pub fn row_at(area: Rect, view: &ViewState, rows: &TaskRows, y: u16) -> Option<usize> {
    let inner = Block::bordered().inner(area);
    let first = inner.y.checked_add(1)?;
    if y < first || y >= inner.bottom() {
        return None;
    }
    let offset = scroll_offset(view.selected_row(&rows.rows), visible_rows(inner));
    let index = offset + usize::from(y - first);
    (index < rows.rows.len()).then_some(index)
}

/// The location cell of a tree row: guides, a fold marker, the label.
fn tree_cell(row: &TaskRow, task: &Task, theme: &Theme) -> Cell<'static> {
    let g = theme.glyphs;
    let mut text = String::new();
    for depth in 1..row.depth {
        let through = depth < 64 && row.guides & (1 << depth) != 0;
        text.push_str(if through { g.tree_through() } else { "  " });
    }
    if row.depth > 0 {
        text.push_str(if row.last {
            g.tree_last()
        } else {
            g.tree_branch()
        });
    }
    if row.children > 0 {
        text.push_str(g.fold(row.collapsed));
    }
    text.push_str(label(task));
    Cell::from(Line::raw(text))
}

fn label(task: &Task) -> &str {
    match &task.name {
        Some(name) => name,
        None => short_location(&task.location),
    }
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
    super::column_fit::fit_columns(&Column::ALL, &DROP_ORDER, width, fixed_width)
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
        Column::Location => label(task).to_owned(),
        Column::Parent => task
            .parent()
            .map_or_else(|| "-".to_owned(), |p| p.to_string()),
        Column::Total => duration_short(task.total_ns(now), ascii),
        Column::Busy => duration_short(task.busy_ns(now), ascii),
        // 0: not measured (schedule latency is off); a real wait is never 0.
        Column::Sched => match task.scheduled_ns(now) {
            0 => "-".to_owned(),
            ns => duration_short(ns, ascii),
        },
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
