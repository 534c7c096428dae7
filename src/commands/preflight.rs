//! Checks made before a source starts, so bad input fails at once in one
//! line (not after a run, not as a panic), and the session's extras.

use std::path::Path;

use anyhow::Context as _;

use super::input_error;
use crate::cli::SessionArgs;
use crate::feed::Feed;

/// Headless: the report can be written. TUI: there is a terminal, big enough.
pub(crate) fn check_session(session: &SessionArgs) -> anyhow::Result<()> {
    if session.headless {
        check_report_path(session.report.as_deref())
    } else {
        check_terminal()
    }
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

/// `feed`, with its figures served for Prometheus if `--prometheus` was
/// given. Call it inside the runtime that will read the feed: the
/// listener runs on it.
pub(crate) fn exported(feed: Feed, session: &SessionArgs) -> anyhow::Result<Feed> {
    Ok(match session.prometheus {
        Some(addr) => crate::prometheus::Exporter::start(addr)?.tap(feed),
        None => feed,
    })
}
