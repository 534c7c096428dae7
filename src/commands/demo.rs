use std::path::Path;

use anyhow::Context as _;
use taskscope_demos::Settings;

use super::{input_error, recorded, ui_runtime, InputError};
use crate::cli::{DemoArgs, UiArgs};
use crate::feed::live::{self, LiveOptions};
use crate::model::ModelConfig;
use crate::record::report::Report;

pub fn run(args: &DemoArgs, ui: &UiArgs) -> anyhow::Result<()> {
    let demo = match taskscope_demos::find(&args.name) {
        Ok(d) => d,
        Err(e) => return input_error(e.to_string()),
    };
    let mut settings = Settings::new(demo.info().knobs);
    settings.fixed = args.fixed;
    settings.seed = args.seed;
    settings.rounds = args.rounds;
    for assignment in &args.knobs {
        if let Err(e) = settings.set_str(assignment) {
            return input_error(format!("demo {}: {e}", args.name));
        }
    }
    let session = &args.session;
    let lints = super::lint_config(&session.lints)?;
    let config = ModelConfig {
        retain_ns: u64::try_from(session.retain.as_nanos()).unwrap_or(u64::MAX),
    };
    let source = live::source_info(demo.as_ref(), &settings);
    let opts = LiveOptions {
        demo,
        settings,
        workers: usize::from(args.workers),
        interval: session.interval,
    };
    if session.headless {
        check_report_path(session.report.as_deref())?;
    } else {
        check_terminal()?;
    }
    let rt = ui_runtime()?;
    // Inside the runtime: the exporter's listener runs on it.
    let start = |source| -> anyhow::Result<crate::feed::Feed> {
        let exporter = session
            .prometheus
            .map(crate::prometheus::Exporter::start)
            .transpose()?;
        let feed = recorded(live::start(opts)?, session, source)?;
        Ok(match exporter {
            Some(e) => e.tap(feed),
            None => feed,
        })
    };
    if session.headless {
        let model = rt.block_on(async {
            let feed = start(source)?;
            anyhow::Ok(crate::headless::run(feed, session.duration, config).await)
        })?;
        let report = Report::diagnose(&model, &lints);
        write_report(&report, session.report.as_deref())?;
        eprintln!("{}", report.summary_line());
        return Ok(());
    }
    let ui_opts = crate::app::UiOptions {
        ascii: ui.ascii,
        color: !ui.no_color && std::env::var_os("NO_COLOR").is_none(),
        retain: session.retain,
    };
    rt.block_on(async {
        let feed = start(source)?;
        crate::app::run_tui(feed, ui_opts).await
    })
}

/// Fails before the run, not after it, when the report cannot be written
/// where asked.
pub(crate) fn check_report_path(path: Option<&Path>) -> anyhow::Result<()> {
    let Some(path) = path.filter(|p| *p != Path::new("-")) else {
        return Ok(());
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return input_error(format!(
            "cannot write the report to {}: no directory {}",
            path.display(),
            dir.display()
        ));
    }
    if path.is_dir() {
        return input_error(format!(
            "cannot write the report to {}: it is a directory",
            path.display()
        ));
    }
    Ok(())
}

/// The TUI needs a terminal of at least the UI's minimum size; say so in
/// one line rather than start.
pub(crate) fn check_terminal() -> anyhow::Result<()> {
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() {
        return input_error(
            "stdout is not a terminal; run with --headless to write a report instead",
        );
    }
    let (width, height) =
        ratatui::crossterm::terminal::size().context("reading the terminal size")?;
    let (min_w, min_h) = (crate::ui::MIN_WIDTH, crate::ui::MIN_HEIGHT);
    if width < min_w || height < min_h {
        return input_error(format!(
            "the terminal is {width}x{height}; taskscope needs at least {min_w}x{min_h} (or run with --headless)"
        ));
    }
    Ok(())
}

pub(crate) fn write_report(report: &Report, path: Option<&Path>) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(report)?;
    match path {
        None => Ok(()),
        Some(p) if p == Path::new("-") => {
            println!("{json}");
            Ok(())
        }
        Some(p) => std::fs::write(p, json + "\n").map_err(|e| {
            InputError(format!("cannot write the report to {}: {e}", p.display())).into()
        }),
    }
}
