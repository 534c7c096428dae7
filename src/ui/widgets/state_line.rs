use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{first_that_fits, join};
use crate::lints::Warning;
use crate::model::{Model, StateCounts, TaskState};
use crate::ui::format::{count, thousands};
use crate::ui::Theme;

/// How much room each part of the line gets; the most verbose variant
/// that fits the width wins.
#[derive(Clone, Copy)]
struct Variant {
    words: Words,
    workers: Workers,
}

#[derive(Clone, Copy)]
enum Words {
    Long,
    Short,
    None,
}

#[derive(Clone, Copy)]
enum Workers {
    /// Every worker with a bar of this many columns and its %.
    Bars(usize),
    /// Every worker's %.
    Percent,
    /// All workers together.
    Average,
}

const VARIANTS: [Variant; 6] = [
    Variant {
        words: Words::Long,
        workers: Workers::Bars(8),
    },
    Variant {
        words: Words::Long,
        workers: Workers::Bars(4),
    },
    Variant {
        words: Words::Short,
        workers: Workers::Bars(4),
    },
    Variant {
        words: Words::Short,
        workers: Workers::Percent,
    },
    Variant {
        words: Words::None,
        workers: Workers::Percent,
    },
    Variant {
        words: Words::None,
        workers: Workers::Average,
    },
];

/// Task states, worker busy bars, global queue, warnings.
pub fn render(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    counts: StateCounts,
    warnings: &[Warning],
    theme: &Theme,
) {
    let candidates = VARIANTS
        .iter()
        .map(|v| line(*v, model, counts, warnings.len(), theme))
        .collect();
    first_that_fits(candidates, area.width).render(area, buf);
}

fn line(
    variant: Variant,
    model: &Model,
    counts: StateCounts,
    warnings: usize,
    theme: &Theme,
) -> Line<'static> {
    let sep = Span::styled(format!(" {} ", theme.glyphs.divider()), theme.dim());
    let mut lead = vec![Span::raw(" ")];
    lead.extend(states(variant.words, counts, theme));
    let queue = model
        .runtime()
        .latest()
        .map_or_else(|| "-".to_owned(), |s| thousands(s.global_queue));
    let queue_word = if matches!(variant.words, Words::Long) {
        "queue"
    } else {
        "q"
    };
    let warn_word = match variant.words {
        Words::Long => " warnings",
        Words::Short | Words::None => "",
    };
    let warn_style = if warnings > 0 {
        theme.warning()
    } else {
        theme.dim()
    };
    join(
        vec![
            lead,
            workers(variant.workers, model, theme),
            vec![Span::raw(format!("{queue_word} {queue}"))],
            vec![Span::styled(
                format!("{} {}{warn_word}", theme.glyphs.warning(), count(warnings)),
                warn_style,
            )],
        ],
        &sep,
    )
}

fn states(words: Words, counts: StateCounts, theme: &Theme) -> Vec<Span<'static>> {
    let entries = [
        (TaskState::Running, counts.running, "run"),
        (TaskState::Scheduled, counts.scheduled, "sched"),
        (TaskState::Idle, counts.idle, "idle"),
        (TaskState::Done, counts.done, "done"),
    ];
    let mut spans = Vec::new();
    for (i, (state, n, short)) in entries.into_iter().enumerate() {
        let word = match words {
            Words::Long => format!(" {}", state.label()),
            Words::Short => format!(" {short}"),
            Words::None => String::new(),
        };
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(
            format!("{}{word} {}", theme.glyphs.state(state), count(n)),
            theme.state(state),
        ));
    }
    spans
}

fn workers(style: Workers, model: &Model, theme: &Theme) -> Vec<Span<'static>> {
    let workers = model.runtime().workers();
    if workers.is_empty() {
        return vec![Span::styled("no runtime sample yet", theme.dim())];
    }
    if let Workers::Average = style {
        #[allow(clippy::cast_precision_loss)]
        let avg = workers.iter().map(|w| w.busy_ratio).sum::<f64>() / workers.len() as f64;
        return vec![Span::raw(format!("busy {}", percent(avg)))];
    }
    let mut spans = Vec::new();
    for (i, w) in workers.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::raw(format!("w{i} ")));
        if let Workers::Bars(width) = style {
            spans.push(Span::styled(
                theme.glyphs.bar(w.busy_ratio, width),
                theme.busy_bar(),
            ));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::raw(format!("{:>3}", percent(w.busy_ratio))));
    }
    spans
}

fn percent(ratio: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let p = (ratio.clamp(0.0, 1.0) * 100.0).round() as i64;
    format!("{p}%")
}
