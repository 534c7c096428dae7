//! The metrics tab: every series the workload reports through the
//! `metrics` facade, as a sparkline over the last minute with its current
//! value: counters as rates, gauges as values, histograms as p99 (with
//! p50 beside it).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::feed::MetricValue;
use crate::model::{Model, Series};
use crate::ui::format::{compact, count, truncate};
use crate::ui::widgets::sparkline::{scale_of, sparkline};
use crate::ui::{Theme, ViewState};

const KIND: usize = 9;
const VALUE: usize = 18;
const KEY_MIN: usize = 12;
const KEY_MAX: usize = 36;

pub fn render(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    let series: Vec<(&str, &Series)> = model.metrics().series().collect();
    let sep = theme.glyphs.separator();
    let block = theme.block(format!(
        " Metrics {} {sep} last minute ",
        count(series.len())
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    if series.is_empty() {
        Paragraph::new("no metrics yet: series the workload reports through `metrics` show here")
            .style(theme.dim())
            .render(inner, buf);
        return;
    }
    let width = usize::from(inner.width);
    let key_width = series
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(KEY_MIN)
        .clamp(KEY_MIN, KEY_MAX)
        .min(width / 3);
    // key, kind, sparkline, value; a space between each.
    let spark_width = width.saturating_sub(key_width + KIND + VALUE + 3);
    let cursor = view.metric_cursor.min(series.len() - 1);
    let visible = usize::from(inner.height.saturating_sub(1));
    let offset = (cursor + 1).saturating_sub(visible);
    let mut lines = vec![Line::styled(
        format!(
            "{:<key_width$} {:<KIND$} {:<spark_width$} {:>VALUE$}",
            "Series", "Kind", "Last minute", "Now"
        ),
        theme.table_header(),
    )];
    lines.extend(
        series
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, (key, s))| {
                let line = series_line(key, s, key_width, spark_width, theme);
                if i == cursor {
                    line.style(theme.selected())
                } else {
                    line
                }
            }),
    );
    Paragraph::new(lines).render(inner, buf);
}

fn series_line(
    key: &str,
    s: &Series,
    key_width: usize,
    spark_width: usize,
    theme: &Theme,
) -> Line<'static> {
    let values = if s.is_counter() {
        rates_over_a_second(s)
    } else {
        s.sparkline()
    };
    let (kind, now) = match &s.latest {
        MetricValue::Counter(total) => (
            "counter/s",
            format!(
                "{}/s ({})",
                compact(values.last().copied().unwrap_or(0.0)),
                compact(total_as_f64(*total))
            ),
        ),
        MetricValue::Gauge(v) => ("gauge", compact(*v)),
        MetricValue::Histogram(h) => (
            "hist p99",
            format!("p50 {} p99 {}", compact(h.p50), compact(h.p99)),
        ),
    };
    let ellipsis = theme.glyphs.ellipsis();
    Line::from(vec![
        Span::raw(format!(
            "{:<key_width$} ",
            truncate(key, key_width, ellipsis)
        )),
        Span::styled(format!("{kind:<KIND$} "), theme.dim()),
        Span::styled(
            sparkline(&values, spark_width, scale_of(&values), theme.glyphs),
            theme.spark(),
        ),
        Span::raw(format!(" {:>VALUE$}", truncate(&now, VALUE, ellipsis))),
    ])
}

/// A counter's rate at each point over the second before it (or all the
/// history there is): samples come faster than most counters move, and
/// rates between neighbours flicker between 0 and bursts.
fn rates_over_a_second(s: &Series) -> Vec<f64> {
    const SECOND: u64 = 1_000_000_000;
    let points = s.points();
    let mut start = 0;
    let mut rates = Vec::with_capacity(points.len());
    for (i, (at, value)) in points.iter().enumerate().skip(1) {
        while start + 1 < i && at.saturating_sub(points[start + 1].0) >= SECOND {
            start += 1;
        }
        let (from_at, from_value) = points[start];
        #[allow(clippy::cast_precision_loss)]
        let dt = at.saturating_sub(from_at) as f64 / 1e9;
        rates.push(if dt > 0.0 {
            (value - from_value).max(0.0) / dt
        } else {
            0.0
        });
    }
    rates
}

#[allow(clippy::cast_precision_loss)]
fn total_as_f64(n: u64) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::MetricSample;
    use crate::model::MetricsState;

    #[test]
    fn counter_rates_look_back_a_second_so_bursts_do_not_flicker() {
        let mut m = MetricsState::default();
        // +10 every 500 ms, sampled every 100 ms.
        for i in 0..30u64 {
            let sample = MetricSample {
                key: "done".into(),
                value: MetricValue::Counter(i / 5 * 10),
            };
            m.record(i * 100_000_000, &[sample]);
        }
        let series = m.get("done").expect("series");
        let rates = rates_over_a_second(series);
        assert!(
            rates[12..].iter().all(|r| (15.0..=25.0).contains(r)),
            "{rates:?}"
        );
        assert!(series.sparkline().contains(&0.0), "neighbours flicker");
    }
}
