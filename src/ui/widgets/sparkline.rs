//! Sparklines as text, so they honour the ASCII glyph set.

use crate::ui::Glyphs;

/// `values` (oldest first) in `width` columns, newest at the right edge.
/// When there are more values than columns, each column shows the largest
/// of the values it covers, so a short spike is never averaged away.
/// `max` is the top of the scale (values above it draw full).
#[must_use]
pub fn sparkline(values: &[f64], width: usize, max: f64, glyphs: Glyphs) -> String {
    let mut out = String::with_capacity(width * 3);
    if width == 0 {
        return out;
    }
    let n = values.len();
    let per_column = n.div_ceil(width).max(1);
    let columns = n.div_ceil(per_column);
    // The newest chunk ends at the last value; leftover columns stay blank.
    for _ in columns..width {
        out.push(' ');
    }
    let skip = columns * per_column - n;
    for c in 0..columns {
        let start = (c * per_column).saturating_sub(skip);
        let end = ((c + 1) * per_column - skip).min(n);
        let peak = values[start..end].iter().copied().fold(0.0_f64, f64::max);
        let ratio = if max > 0.0 { peak / max } else { 0.0 };
        out.push_str(glyphs.level(ratio));
    }
    out
}

/// A scale for values that have no natural top: their largest, at least 1.
#[must_use]
pub fn scale_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(1.0_f64, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_histories_sit_at_the_right_and_long_ones_keep_peaks() {
        let g = Glyphs { ascii: false };
        assert_eq!(sparkline(&[1.0, 0.5], 4, 1.0, g), "  █▄");
        assert_eq!(sparkline(&[], 3, 1.0, g), "   ");
        assert_eq!(sparkline(&[1.0], 0, 1.0, g), "");
        let spike: Vec<f64> = (0..100).map(|i| if i == 37 { 8.0 } else { 0.0 }).collect();
        let line = sparkline(&spike, 10, 8.0, g);
        assert_eq!(line.chars().count(), 10);
        assert_eq!(line.chars().filter(|c| *c == '█').count(), 1, "{line}");
        let a = Glyphs { ascii: true };
        assert!(sparkline(&[0.0, 0.3, 1.0], 3, 1.0, a).is_ascii());
    }
}
