//! The runtime tab: every worker's busy share, polls/s, steals/s and local
//! queue, then the runtime-wide figures, each as a sparkline over the
//! kept history with its current value.

use std::collections::VecDeque;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::model::{Model, RuntimeState, WorkerState};
use crate::ui::format::{compact, count, duration_short};
use crate::ui::widgets::sparkline::{scale_of, sparkline};
use crate::ui::Theme;

const WORKER_LABEL: usize = 4;
const VALUE: usize = 5;
/// Between a value and the next sparkline.
const GAP: usize = 2;
const GLOBAL_LABEL: usize = 17;

pub fn render(area: Rect, buf: &mut Buffer, model: &Model, theme: &Theme) {
    let runtime = model.runtime();
    let block = theme.block(title(runtime, theme));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    if runtime.workers().is_empty() {
        Paragraph::new("no runtime sample yet")
            .style(theme.dim())
            .render(inner, buf);
        return;
    }
    let width = usize::from(inner.width);
    let mut lines = vec![worker_header(width, theme)];
    lines.extend(
        runtime
            .workers()
            .iter()
            .enumerate()
            .map(|(i, w)| worker_line(i, w, width, theme)),
    );
    lines.push(Line::default());
    lines.extend(global_lines(runtime, width, theme));
    Paragraph::new(lines).render(inner, buf);
}

fn title(runtime: &RuntimeState, theme: &Theme) -> String {
    let sep = theme.glyphs.separator();
    format!(
        " Runtime {sep} {} workers {sep} last {} ",
        count(runtime.worker_count()),
        duration_short(runtime.history_span_ns(), theme.glyphs.ascii)
    )
}

/// Sparkline width for each of a worker's four figures.
fn worker_spark_width(width: usize) -> usize {
    (width.saturating_sub(WORKER_LABEL) / 4).saturating_sub(VALUE + 1 + GAP)
}

fn worker_header(width: usize, theme: &Theme) -> Line<'static> {
    let block = worker_spark_width(width) + 1 + VALUE + GAP;
    let mut text = format!("{:<WORKER_LABEL$}", "");
    for name in ["busy", "polls/s", "steals/s", "local queue"] {
        text.push_str(&format!("{name:<block$}"));
    }
    Line::styled(text.trim_end().to_owned(), theme.table_header())
}

fn worker_line(index: usize, w: &WorkerState, width: usize, theme: &Theme) -> Line<'static> {
    let spark_width = worker_spark_width(width);
    let g = theme.glyphs;
    let floats = |q: &VecDeque<f64>| q.iter().copied().collect::<Vec<f64>>();
    #[allow(clippy::cast_precision_loss)]
    let queue: Vec<f64> = w.local_queue_history.iter().map(|v| *v as f64).collect();
    let polls = floats(&w.polls_per_s_history);
    let steals = floats(&w.steals_per_s_history);
    #[allow(clippy::cast_precision_loss)]
    let figures = [
        (floats(&w.busy_history), 1.0, percent(w.busy_ratio)),
        (polls.clone(), scale_of(&polls), compact(w.polls_per_s)),
        (steals.clone(), scale_of(&steals), compact(w.steals_per_s)),
        (
            queue.clone(),
            scale_of(&queue),
            compact(w.local_queue as f64),
        ),
    ];
    let mut spans = vec![Span::raw(format!("{:<WORKER_LABEL$}", format!("w{index}")))];
    for (i, (values, max, now)) in figures.into_iter().enumerate() {
        let style = if i == 0 {
            theme.busy_bar()
        } else {
            theme.spark()
        };
        spans.push(Span::styled(sparkline(&values, spark_width, max, g), style));
        spans.push(Span::raw(format!(" {now:>VALUE$}")));
        spans.push(Span::raw(" ".repeat(GAP)));
    }
    Line::from(spans)
}

fn global_lines(runtime: &RuntimeState, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    #[allow(clippy::cast_precision_loss)]
    let floats = |q: &VecDeque<u64>| q.iter().map(|v| *v as f64).collect::<Vec<f64>>();
    let latest = runtime.latest();
    let now = |f: fn(&crate::feed::RuntimeSample) -> u64| latest.map_or(0, f);
    #[allow(clippy::cast_precision_loss)]
    let rows = [
        (
            "global queue",
            floats(runtime.global_queue_history()),
            now(|s| s.global_queue) as f64,
        ),
        (
            "blocking threads",
            floats(runtime.blocking_threads_history()),
            now(|s| s.blocking_threads) as f64,
        ),
        (
            "alive tasks",
            floats(runtime.alive_tasks_history()),
            now(|s| s.alive_tasks) as f64,
        ),
    ];
    // label, sparkline, " now", "  max NNNNN"
    let spark_width = width.saturating_sub(GLOBAL_LABEL + 1 + VALUE + 6 + VALUE);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(label, values, now)| {
            let max = scale_of(&values);
            global_line(
                label,
                &values,
                max,
                &compact(now),
                &compact(max),
                spark_width,
                theme,
            )
        })
        .collect();
    let busy: Vec<f64> = runtime.busy_history().iter().copied().collect();
    let busy_now = busy.last().copied().unwrap_or(0.0);
    let busy_max = busy.iter().copied().fold(0.0_f64, f64::max);
    lines.push(global_line(
        "busy, all workers",
        &busy,
        1.0,
        &percent(busy_now),
        &percent(busy_max),
        spark_width,
        theme,
    ));
    lines
}

fn global_line(
    label: &str,
    values: &[f64],
    max: f64,
    now: &str,
    peak: &str,
    spark_width: usize,
    theme: &Theme,
) -> Line<'static> {
    Line::from(vec![
        Span::raw(format!("{label:<GLOBAL_LABEL$}")),
        Span::styled(
            sparkline(values, spark_width, max, theme.glyphs),
            theme.spark(),
        ),
        Span::raw(format!(" {now:>VALUE$}")),
        Span::styled(format!("  max {peak:>VALUE$}"), theme.dim()),
    ])
}

fn percent(ratio: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let p = (ratio.clamp(0.0, 1.0) * 100.0).round() as i64;
    format!("{p}%")
}
