//! A distribution as one line of bars, a column (or two) per log2 bucket
//! from the lowest to the highest hit, and the range those buckets cover.
//! Task details (poll time, scheduling delay) and resource details (wait,
//! hold) draw theirs alike.

use ratatui::text::Line;

use crate::model::histogram::{bucket_bound, bucket_of, BUCKETS};
use crate::ui::format::duration_short;
use crate::ui::Theme;

/// The bars and the range line; nothing if no bucket was hit.
/// `buckets` are `(bucket, count)` in bucket order.
#[must_use]
pub fn bars(buckets: &[(usize, u64)], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let first_hit = buckets.iter().position(|(_, n)| *n > 0);
    let last_hit = buckets.iter().rposition(|(_, n)| *n > 0);
    let (Some(first), Some(last)) = (first_hit, last_hit) else {
        return Vec::new();
    };
    let buckets = &buckets[first..=last];
    let peak = buckets.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    // Two columns per bucket when they fit, for a readable shape.
    let per = if buckets.len() * 2 + 2 <= usize::from(width) {
        2
    } else {
        1
    };
    let mut text = String::from("  ");
    for (_, n) in buckets {
        #[allow(clippy::cast_precision_loss)]
        let level = theme.glyphs.level(*n as f64 / peak as f64);
        for _ in 0..per {
            text.push_str(level);
        }
    }
    let ascii = theme.glyphs.ascii;
    let (lo, hi) = (buckets[0].0, buckets[buckets.len() - 1].0);
    let low = if lo == 0 {
        "0".to_owned()
    } else {
        duration_short(bucket_bound(lo - 1), ascii)
    };
    let high = if hi + 1 >= BUCKETS {
        "more".to_owned()
    } else {
        duration_short(bucket_bound(hi), ascii)
    };
    vec![
        Line::styled(text, theme.spark()),
        Line::styled(format!("  {low} to {high}"), theme.dim()),
    ]
}

/// An hdr histogram of microseconds in the same log2 buckets of
/// nanoseconds, every bucket from the first to the last.
#[must_use]
pub fn buckets_of_us(h: &hdrhistogram::Histogram<u64>) -> Vec<(usize, u64)> {
    let mut counts = [0u64; BUCKETS];
    for v in h.iter_recorded() {
        let ns = v.value_iterated_to().saturating_mul(1000);
        counts[bucket_of(ns)] += v.count_at_value();
    }
    counts.iter().copied().enumerate().collect()
}
