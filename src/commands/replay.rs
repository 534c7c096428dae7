use std::path::Path;
use std::time::Duration;

use super::{input_error, ui_runtime};
use crate::cli::{ReplayArgs, UiArgs};
use crate::feed::replay::{self, ReplayOptions};
use crate::model::ModelConfig;
use crate::record::report::Report;
use crate::record::tsrec::{self, Ending, Recording};

pub fn run(args: &ReplayArgs, ui: &UiArgs) -> anyhow::Result<()> {
    let lints = super::lint_config(&args.lints)?;
    if args.headless {
        super::preflight::check_report_path(args.report.as_deref())?;
    } else {
        super::preflight::check_terminal()?;
    }
    let recording = load(&args.file)?;
    let config = ModelConfig {
        retain_ns: u64::try_from(args.retain.as_nanos()).unwrap_or(u64::MAX),
    };
    let rt = ui_runtime()?;
    if args.headless {
        let opts = ReplayOptions {
            paced: false,
            speed_percent: args.speed,
            close_at_end: true,
        };
        // The feed closes after the last frame: no time limit.
        let model = rt.block_on(async {
            crate::headless::run(replay::start(recording, opts), Duration::MAX, config).await
        });
        let report = Report::diagnose(&model, &lints);
        super::demo::write_report(&report, args.report.as_deref())?;
        eprintln!("{}", report.summary_line());
        return Ok(());
    }
    let opts = ReplayOptions {
        paced: true,
        speed_percent: args.speed,
        close_at_end: false,
    };
    let ui_opts = crate::app::UiOptions {
        ascii: ui.ascii,
        color: !ui.no_color && std::env::var_os("NO_COLOR").is_none(),
        retain: args.retain,
        keymap: ui.keys.keymap(),
        lints: lints.clone(),
    };
    rt.block_on(async { crate::app::run_tui(replay::start(recording, opts), ui_opts).await })
}

/// Reads a recording; a file that cannot be read is bad input. What was
/// lost at its end is said on stderr, and the rest is used.
pub(super) fn load(path: &Path) -> anyhow::Result<Recording> {
    let recording = read(path)?;
    say_what_was_lost(path, &recording);
    Ok(recording)
}

/// Reads a recording; a file that cannot be read is bad input.
pub(super) fn read(path: &Path) -> anyhow::Result<Recording> {
    match tsrec::read_file(path) {
        Ok(r) => Ok(r),
        Err(e) => input_error(format!("{}: {e}", path.display())),
    }
}

/// Says on stderr what was lost at the end of `recording`, if anything.
pub(super) fn say_what_was_lost(path: &Path, recording: &Recording) {
    let file = path.display();
    let frames = recording.frames.len();
    match &recording.ending {
        Ending::Complete(t) if t.dropped_frames > 0 => eprintln!(
            "taskscope: {file}: the recorder dropped {} batches; counts may fall short",
            t.dropped_frames
        ),
        Ending::Complete(_) => {}
        Ending::Truncated { .. } => eprintln!(
            "taskscope: {file}: the recording was cut short (its recorder did not finish); \
             using its {frames} whole frames"
        ),
        Ending::Corrupt { offset, problem } => eprintln!(
            "taskscope: {file}: corrupt at byte {offset} ({problem}); using the {frames} frames before it"
        ),
    }
    if recording.unknown_events > 0 {
        eprintln!(
            "taskscope: {file}: skipped {} events of kinds this taskscope does not know",
            recording.unknown_events
        );
    }
}
