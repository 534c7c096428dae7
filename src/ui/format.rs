//! Short, fixed-width renderings of numbers for tables and status lines.

const US: u64 = 1_000;
const MS: u64 = 1_000_000;
const S: u64 = 1_000_000_000;

/// A duration in at most about six columns: `840ns`, `12µs`, `840ms`,
/// `2.1s`, `42s`, `3m05s`, `2h07m`. `ascii` writes `us` for `µs`.
#[must_use]
pub fn duration_short(ns: u64, ascii: bool) -> String {
    let micro = if ascii { "us" } else { "µs" };
    match ns {
        n if n < US => format!("{n}ns"),
        n if n < MS => format!("{}{micro}", n / US),
        n if n < S => format!("{}ms", n / MS),
        n if n < 10 * S => format!("{}.{}s", n / S, (n % S) / (S / 10)),
        n if n < 60 * S => format!("{}s", n / S),
        n if n < 3600 * S => format!("{}m{:02}s", n / (60 * S), (n / S) % 60),
        n => format!("{}h{:02}m", n / (3600 * S), (n / (60 * S)) % 60),
    }
}

/// Elapsed session time as `mm:ss`, or `h:mm:ss` past an hour.
#[must_use]
pub fn clock(ns: u64) -> String {
    let secs = ns / S;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `1204` as `1,204`.
#[must_use]
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate or count in at most five columns: `812`, `1.2k`, `12k`, `3.4M`.
#[must_use]
pub fn compact(v: f64) -> String {
    let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
    match v {
        v if v < 10.0 && v.fract() != 0.0 => format!("{v:.1}"),
        v if v < 1_000.0 => format!("{v:.0}"),
        v if v < 10_000.0 => format!("{:.1}k", v / 1e3),
        v if v < 1_000_000.0 => format!("{:.0}k", v / 1e3),
        v if v < 10_000_000.0 => format!("{:.1}M", v / 1e6),
        v => format!("{:.0}M", v / 1e6),
    }
}

/// `usize` counts through [`thousands`].
#[must_use]
pub fn count(n: usize) -> String {
    thousands(u64::try_from(n).unwrap_or(u64::MAX))
}

/// A spawn location as `file.rs:line`: the directories and the column add
/// width, not information, in a table of one program's tasks.
#[must_use]
pub fn short_location(location: &str) -> &str {
    let file_start = location.rfind('/').map_or(0, |i| i + 1);
    let tail = &location[file_start..];
    // `file.rs:10:5` -> `file.rs:10`; leave anything else as it is.
    let mut parts = tail.rsplitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(col), Some(line), Some(_))
            if col.bytes().all(|b| b.is_ascii_digit())
                && line.bytes().all(|b| b.is_ascii_digit()) =>
        {
            &tail[..tail.len() - col.len() - 1]
        }
        _ => tail,
    }
}

/// `text` cut to `width` characters, ending in `ellipsis` when cut.
#[must_use]
pub fn truncate(text: &str, width: usize, ellipsis: &str) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let keep = width.saturating_sub(ellipsis.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    if width > 0 {
        out.push_str(ellipsis);
    }
    out.chars().take(width).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_marks_what_it_cut() {
        assert_eq!(truncate("contention", 20, "…"), "contention");
        assert_eq!(truncate("contention", 5, "…"), "cont…");
        assert_eq!(truncate("contention", 5, "~"), "cont~");
        assert_eq!(truncate("contention", 0, "…"), "");
        assert_eq!(truncate("contention", 1, "..."), ".");
    }

    #[test]
    fn durations_pick_a_unit_and_stay_short() {
        let cases = [
            (0, "0ns"),
            (999, "999ns"),
            (12_000, "12µs"),
            (840 * MS, "840ms"),
            (2_100 * MS, "2.1s"),
            (42 * S, "42s"),
            (185 * S, "3m05s"),
            (7_620 * S, "2h07m"),
        ];
        for (ns, want) in cases {
            assert_eq!(duration_short(ns, false), want, "{ns} ns");
        }
        assert_eq!(duration_short(12_000, true), "12us");
    }

    #[test]
    fn compact_figures_stay_short() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(2.5), "2.5");
        assert_eq!(compact(812.4), "812");
        assert_eq!(compact(1_234.0), "1.2k");
        assert_eq!(compact(56_789.0), "57k");
        assert_eq!(compact(3_400_000.0), "3.4M");
        assert_eq!(compact(f64::NAN), "0");
    }

    #[test]
    fn clock_and_thousands() {
        assert_eq!(clock(42 * S), "00:42");
        assert_eq!(clock(3_723 * S), "1:02:03");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_204), "1,204");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn locations_lose_directories_and_column() {
        assert_eq!(short_location("demos/src/gather.rs:55:21"), "gather.rs:55");
        assert_eq!(short_location("gather.rs:55"), "gather.rs:55");
        assert_eq!(short_location("<unknown>"), "<unknown>");
        assert_eq!(short_location("a/b:c:d"), "b:c:d");
    }
}
