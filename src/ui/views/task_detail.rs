//! One task in full: its figures, parent and children (links to follow),
//! spawn location, poll-time and scheduling-delay distributions, what it
//! holds or waits on, and the warnings that name it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::feed::TaskId;
use crate::lints::Warning;
use crate::model::{Distribution, Model, Role, Task};
use crate::ui::format::{count, duration_short, short_location, thousands, truncate};
use crate::ui::widgets::distribution::bars;
use crate::ui::{Theme, ViewState};

/// Below this inner width the two halves stack.
const TWO_COLUMNS_MIN: u16 = 70;
const LABEL: usize = 10;

/// The tasks a detail links to, in the order the cursor walks them: the
/// parent (if still retained), then the children.
#[must_use]
pub fn detail_links(model: &Model, id: TaskId) -> Vec<TaskId> {
    let parent = model
        .task(id)
        .and_then(Task::parent)
        .filter(|p| model.task(*p).is_some());
    parent.into_iter().chain(model.children_of(id)).collect()
}

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    view: &ViewState,
    id: TaskId,
    warnings: &[Warning],
    theme: &Theme,
) {
    let task = model.task(id);
    let block = theme.block(title(id, task, theme));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let Some(task) = task else {
        Paragraph::new(format!(
            "task {id} is no longer retained (done tasks are kept for a while, then dropped)"
        ))
        .style(theme.dim())
        .render(inner, buf);
        return;
    };
    let (left, right) = halves(inner);
    let lines: Vec<Line> = left_lines(model, task, view.detail_link, left.height, theme)
        .into_iter()
        .map(|(line, _)| line)
        .collect();
    Paragraph::new(lines).render(left, buf);
    if let Some(right) = right {
        Paragraph::new(right_lines(model, task, warnings, right.width, theme)).render(right, buf);
    }
}

fn title(id: TaskId, task: Option<&Task>, theme: &Theme) -> String {
    let sep = theme.glyphs.separator();
    let label = task.map_or("", |t| {
        t.name.as_deref().unwrap_or(short_location(&t.location))
    });
    format!(" Task {id} {sep} {label} {sep} Esc back ")
}

/// Figures and links on the left, distributions on the right; stacked
/// when narrow (the right half then starts below the left one).
fn halves(inner: Rect) -> (Rect, Option<Rect>) {
    detail_columns(inner, 50)
}

/// A detail view's two columns, the left one `left_percent` wide, or one
/// column when narrower than [`TWO_COLUMNS_MIN`].
pub(super) fn detail_columns(inner: Rect, left_percent: u16) -> (Rect, Option<Rect>) {
    if inner.width >= TWO_COLUMNS_MIN {
        let [left, _, right] = Layout::horizontal([
            Constraint::Percentage(left_percent),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        (left, Some(right))
    } else {
        (inner, None)
    }
}

/// The index of the link drawn at screen line `y`, for mouse clicks.
#[must_use]
pub fn link_at(area: Rect, model: &Model, id: TaskId, cursor: usize, y: u16) -> Option<usize> {
    let task = model.task(id)?;
    let (left, _) = halves(Block::bordered().inner(area));
    let line = usize::from(y.checked_sub(left.y)?);
    // Geometry only: styles do not matter; the cursor does (it scrolls).
    let lines = left_lines(model, task, cursor, left.height, &Theme::new(true, false));
    lines.get(line).and_then(|(_, link)| *link)
}

/// Lines of the left half, each with the link it shows if any. The
/// children list scrolls to keep the link at `cursor` visible.
fn left_lines(
    model: &Model,
    task: &Task,
    cursor: usize,
    height: u16,
    theme: &Theme,
) -> Vec<(Line<'static>, Option<usize>)> {
    let now = model.now();
    let ascii = theme.glyphs.ascii;
    let d = |ns| duration_short(ns, ascii);
    let state = task.state();
    let mut state_text = format!("{} {}", theme.glyphs.state(state), state.label());
    if let Some(w) = task.worker() {
        state_text.push_str(&format!(", last on worker {w}"));
    }
    let mut lines: Vec<(Line, Option<usize>)> = vec![
        (
            field("State", Span::styled(state_text, theme.state(state)), theme),
            None,
        ),
        (
            field(
                "Spawned",
                Span::raw(format!("{} ago", d(now.saturating_sub(task.spawned_at)))),
                theme,
            ),
            None,
        ),
        (
            field("Location", Span::raw(task.location.to_string()), theme),
            None,
        ),
    ];
    if let Some(name) = &task.name {
        lines.push((field("Name", Span::raw(name.to_string()), theme), None));
    }
    let pair = |a: &str, av: String, b: &str, bv: String| {
        Line::from(vec![
            Span::styled(format!("{a:<LABEL$}"), theme.dim()),
            Span::raw(format!("{av:<8}")),
            Span::styled(format!("{b:<LABEL$}"), theme.dim()),
            Span::raw(bv),
        ])
    };
    lines.push((
        pair("Total", d(task.total_ns(now)), "Busy", d(task.busy_ns(now))),
        None,
    ));
    lines.push((
        pair(
            "Sched",
            // 0: not measured (schedule latency is off).
            match task.scheduled_ns(now) {
                0 => "-".to_owned(),
                ns => d(ns),
            },
            "Idle",
            d(task.idle_ns(now)),
        ),
        None,
    ));
    lines.push((
        pair(
            "Polls",
            thousands(task.polls),
            "Max poll",
            d(task.max_poll_ns),
        ),
        None,
    ));
    lines.push((Line::default(), None));

    // Parent: a link when still retained.
    lines.push((Line::styled("Parent", theme.table_header()), None));
    let mut link = 0;
    match task.parent() {
        None => lines.push((Line::styled("  none (a root task)", theme.dim()), None)),
        Some(p) => match model.task(p) {
            Some(parent) => {
                lines.push((link_line(parent, link == cursor, theme), Some(link)));
                link += 1;
            }
            None => lines.push((
                Line::styled(format!("  {p} (gone: evicted or never seen)"), theme.dim()),
                None,
            )),
        },
    }
    let children = model.children_of(task.id);
    lines.push((
        Line::styled(
            format!("Children {}", count(children.len())),
            theme.table_header(),
        ),
        None,
    ));
    let room = usize::from(height).saturating_sub(lines.len());
    let first_child = link;
    let offset = cursor
        .checked_sub(first_child)
        .map_or(0, |c| (c + 1).saturating_sub(room));
    for (i, child) in children.iter().enumerate().skip(offset).take(room) {
        if let Some(t) = model.task(*child) {
            let index = first_child + i;
            lines.push((link_line(t, index == cursor, theme), Some(index)));
        }
    }
    lines
}

fn field(label: &str, value: Span<'static>, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), theme.dim()),
        value,
    ])
}

fn link_line(task: &Task, highlighted: bool, theme: &Theme) -> Line<'static> {
    let state = task.state();
    let label = task
        .name
        .as_deref()
        .unwrap_or(short_location(&task.location));
    let line = Line::from(vec![
        Span::raw(format!("  {:>6} ", task.id)),
        Span::styled(
            format!("{} ", theme.glyphs.state(state)),
            theme.state(state),
        ),
        Span::raw(label.to_owned()),
    ]);
    if highlighted {
        line.style(theme.selected())
    } else {
        line
    }
}

fn right_lines(
    model: &Model,
    task: &Task,
    warnings: &[Warning],
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = distribution(task, Distribution::Poll, "Poll time", width, theme);
    lines.push(Line::default());
    lines.extend(distribution(
        task,
        Distribution::Sched,
        "Sched delay",
        width,
        theme,
    ));
    lines.push(Line::default());
    lines.push(Line::styled("Holds / waits on", theme.table_header()));
    lines.extend(resource_lines(model, task, theme));
    lines.push(Line::styled("Warnings", theme.table_header()));
    lines.extend(warning_lines(task, warnings, width, theme));
    lines
}

/// The warnings that name this task, one line each.
fn warning_lines(
    task: &Task,
    warnings: &[Warning],
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let lines: Vec<Line> = warnings
        .iter()
        .filter(|w| w.tasks.contains(&task.id))
        .map(|w| {
            let lead = format!("  {} {} ", theme.glyphs.warning(), w.lint);
            let room = usize::from(width).saturating_sub(lead.chars().count());
            Line::from(vec![
                Span::styled(lead, theme.warning()),
                Span::raw(truncate(&w.summary, room, theme.glyphs.ellipsis())),
            ])
        })
        .collect();
    if lines.is_empty() {
        vec![Line::styled("  none", theme.dim())]
    } else {
        lines
    }
}

/// Heading with the sample count, percentiles, one column per bucket from
/// the lowest to the highest hit, and the range those buckets cover.
fn distribution(
    task: &Task,
    which: Distribution,
    heading: &str,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let h = &task.histograms;
    let samples = h.count(which);
    let ascii = theme.glyphs.ascii;
    let max = match which {
        Distribution::Poll => task.max_poll_ns,
        Distribution::Sched => task.max_scheduled_ns,
    };
    let mut heading_spans = vec![
        Span::styled(heading.to_owned(), theme.table_header()),
        Span::styled(format!("  {} samples", thousands(samples)), theme.dim()),
    ];
    if samples > 0 {
        heading_spans.push(Span::raw(format!(", max {}", duration_short(max, ascii))));
    }
    let mut lines = vec![Line::from(heading_spans)];
    if samples == 0 {
        lines.push(Line::styled("  none yet", theme.dim()));
        return lines;
    }
    let p = |q| {
        task.percentile(which, q)
            .map_or_else(|| "-".to_owned(), |ns| duration_short(ns, ascii))
    };
    lines.push(Line::raw(format!(
        "  p50 {}  p90 {}  p99 {}",
        p(0.5),
        p(0.9),
        p(0.99),
    )));
    let buckets: Vec<(usize, u64)> = h
        .buckets(which)
        .into_iter()
        .map(|(b, n)| (b, u64::from(n)))
        .collect();
    lines.extend(bars(&buckets, width, theme));
    lines
}

/// What the task holds or waits for, from the probe resources.
fn resource_lines(model: &Model, task: &Task, theme: &Theme) -> Vec<Line<'static>> {
    let now = model.now();
    let ascii = theme.glyphs.ascii;
    let lines: Vec<Line> = model
        .resources_of_task(task.id)
        .into_iter()
        .filter_map(|(id, role)| {
            let r = model.resource(id)?;
            let what = format!("{} {}", r.kind.label(), r.name);
            Some(match role {
                Role::Holds { amount, since } => Line::raw(format!(
                    "  holds {amount} of {what} for {}",
                    duration_short(now.saturating_sub(since), ascii)
                )),
                Role::Waits { since } => Line::styled(
                    format!(
                        "  waits on {what} for {}",
                        duration_short(now.saturating_sub(since), ascii)
                    ),
                    theme.warning(),
                ),
            })
        })
        .collect();
    if lines.is_empty() {
        vec![Line::styled("  nothing tracked", theme.dim())]
    } else {
        lines
    }
}
