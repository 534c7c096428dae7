//! One resource in full: its figures, who holds it and who waits for it
//! now (each a link to the task), and its wait and hold distributions.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::model::{Model, ResourceStats};
use crate::ui::format::{compact, duration_short, short_location, thousands};
use crate::ui::resource_table::{parties, resource_rows, Party, ResourceKey, ResourceRow};
use crate::ui::widgets::distribution::{bars, buckets_of_us};
use crate::ui::{Theme, ViewState};

const LABEL: usize = 12;

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    view: &ViewState,
    key: &ResourceKey,
    theme: &Theme,
) {
    let sep = theme.glyphs.separator();
    let block = theme.block(format!(
        " {} {} {sep} Enter opens a task {sep} Esc back ",
        capitalised(key.kind.label()),
        key.name
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let Some(row) = resource_rows(model).into_iter().find(|r| &r.key == key) else {
        Paragraph::new(format!("{} is no longer retained", key.name))
            .style(theme.dim())
            .render(inner, buf);
        return;
    };
    let (left, right) = super::task_detail::detail_columns(inner, 55);
    let cursor = view.resources.link;
    let mut lines = figure_lines(&row, theme);
    let room = usize::from(left.height).saturating_sub(lines.len());
    lines.extend(party_lines(model, key, cursor, room, left.width, theme));
    if right.is_none() {
        lines.push(Line::default());
        lines.extend(distribution_lines(&row.stats, left.width, theme));
    }
    Paragraph::new(lines).render(left, buf);
    if let Some(right) = right {
        Paragraph::new(distribution_lines(&row.stats, right.width, theme)).render(right, buf);
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), theme.dim()),
        Span::raw(value),
    ])
}

fn figure_lines(row: &ResourceRow, theme: &Theme) -> Vec<Line<'static>> {
    let capacity = row
        .capacity
        .map_or_else(|| "no limit".to_owned(), |c| c.to_string());
    let waiters = format!("{} now, {} at most", row.waiting, row.max_waiters);
    let mut lines = vec![
        field("Location", row.location.to_string(), theme),
        field(
            "Capacity",
            format!("{capacity}, {} in use", row.in_use),
            theme,
        ),
        if row.waiting > 0 {
            Line::from(vec![
                Span::styled(format!("{:<LABEL$}", "Waiters"), theme.dim()),
                Span::styled(waiters, theme.warning()),
            ])
        } else {
            field("Waiters", waiters, theme)
        },
        field(
            "Acquired",
            format!(
                "{} times, {}/s now",
                thousands(row.acquisitions),
                compact(row.acquisitions_per_s),
            ),
            theme,
        ),
    ];
    if row.stats.cancelled_waits > 0 {
        lines.push(field(
            "Gave up",
            format!("{} waits", thousands(row.stats.cancelled_waits)),
            theme,
        ));
    }
    lines.push(field(
        "Instances",
        format!("{} live of {}", row.live_instances, row.instances),
        theme,
    ));
    lines.push(Line::default());
    lines
}

/// `Holds n` and `Waits n` with a line per party; the list scrolls to
/// keep the cursor in view.
fn party_lines(
    model: &Model,
    key: &ResourceKey,
    cursor: usize,
    room: usize,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let (holders, waiters) = parties(model, key);
    let now = model.now();
    let mut entries: Vec<(Line<'static>, Option<usize>)> = Vec::new();
    entries.push((
        Line::styled(format!("Held by {}", holders.len()), theme.table_header()),
        None,
    ));
    if holders.is_empty() {
        entries.push((Line::styled("  no one", theme.dim()), None));
    }
    for (i, p) in holders.iter().enumerate() {
        entries.push((
            party_line(model, p, now, i == cursor, width, theme),
            Some(i),
        ));
    }
    entries.push((
        Line::styled(
            format!("Waited on by {}", waiters.len()),
            theme.table_header(),
        ),
        None,
    ));
    if waiters.is_empty() {
        entries.push((Line::styled("  no one", theme.dim()), None));
    }
    for (i, p) in waiters.iter().enumerate() {
        let index = holders.len() + i;
        entries.push((
            party_line(model, p, now, index == cursor, width, theme),
            Some(index),
        ));
    }
    let at = entries
        .iter()
        .position(|(_, link)| *link == Some(cursor))
        .unwrap_or(0);
    let offset = (at + 1).saturating_sub(room);
    entries
        .into_iter()
        .skip(offset)
        .take(room)
        .map(|(line, _)| line)
        .collect()
}

/// `  task 12  for 1.2s  holds 1  mutex.rs:79`
fn party_line(
    model: &Model,
    p: &Party,
    now: u64,
    highlighted: bool,
    width: u16,
    theme: &Theme,
) -> Line<'static> {
    let ascii = theme.glyphs.ascii;
    let who = p
        .task
        .map_or_else(|| "outside a task".to_owned(), |t| format!("task {t}"));
    let what = match p.amount {
        Some(n) if n != 1 => format!(" {n}"),
        _ => String::new(),
    };
    let place = p
        .task
        .and_then(|t| model.task(t))
        .map(|t| {
            t.name
                .as_deref()
                .unwrap_or(short_location(&t.location))
                .to_owned()
        })
        .unwrap_or_default();
    let text = format!(
        "  {who:<11} for {:<6}{what}  {place}",
        duration_short(now.saturating_sub(p.since), ascii)
    );
    let text = crate::ui::format::truncate(&text, usize::from(width), theme.glyphs.ellipsis());
    let line = if p.amount.is_none() {
        Line::styled(text, theme.warning())
    } else {
        Line::raw(text)
    };
    if highlighted {
        line.style(theme.selected())
    } else {
        line
    }
}

fn distribution_lines(stats: &ResourceStats, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = distribution(
        "Wait time",
        &stats.wait_us,
        [stats.wait_p50_us(), stats.wait_p99_us()],
        width,
        theme,
    );
    lines.push(Line::default());
    lines.extend(distribution(
        "Hold time",
        &stats.hold_us,
        [stats.hold_p50_us(), stats.hold_p99_us()],
        width,
        theme,
    ));
    lines
}

fn distribution(
    heading: &str,
    h: &hdrhistogram::Histogram<u64>,
    [p50, p99]: [u64; 2],
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let ascii = theme.glyphs.ascii;
    let mut lines = vec![Line::from(vec![
        Span::styled(heading.to_owned(), theme.table_header()),
        Span::styled(format!("  {} samples", thousands(h.len())), theme.dim()),
    ])];
    if h.is_empty() {
        lines.push(Line::styled("  none yet", theme.dim()));
        return lines;
    }
    let us = |v: u64| duration_short(v.saturating_mul(1000), ascii);
    lines.push(Line::raw(format!(
        "  p50 {}  p99 {}  max {}",
        us(p50),
        us(p99),
        us(h.max())
    )));
    lines.extend(bars(&buckets_of_us(h), width, theme));
    lines
}
