//! The event loop: terminal input, the feed and a frame tick merged in one
//! `select!`; keys become [`Action`]s applied by [`update`]; frames are
//! drawn only when something changed, at most [`FRAME_INTERVAL`] apart.

mod action;
pub mod keymap;
mod lint_cache;
mod state;

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{bail, Context};
use futures_util::{Stream, StreamExt};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::event::{Event as TermEvent, EventStream};
use ratatui::Terminal;
use tokio::sync::mpsc;

pub use action::{action_for, action_with, Action, InputMode};
pub use lint_cache::{LintCache, LINT_INTERVAL};
pub use state::{update, AppState};

use crate::feed::{Batch, Feed};
use crate::lints::LintConfig;
use crate::model::{Model, ModelConfig};
use crate::term;
use crate::ui::{self, Theme};

/// 20 frames per second at most; the feed delivers about 10 batches/s.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(50);

/// Batches applied in one go before input gets a turn again.
const MAX_BATCHES_PER_WAKE: usize = 64;

#[derive(Clone, Debug)]
pub struct UiOptions {
    /// ASCII glyphs only.
    pub ascii: bool,
    /// Colours allowed (`NO_COLOR` turns them off too).
    pub color: bool,
    /// How long done tasks stay listed.
    pub retain: Duration,
    /// The keys, with the config's overrides.
    pub keymap: keymap::Keymap,
    /// The lints shown as warnings (`--warn`, `--allow`, `--threshold`).
    pub lints: LintConfig,
}

/// Runs the TUI on the current thread's tokio runtime until the user quits. Restores the terminal on every path.
pub async fn run_tui(feed: Feed, opts: UiOptions) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        bail!("stdout is not a terminal; run with --headless to write a report instead");
    }
    let theme = Theme::from_env(opts.ascii, opts.color);
    let Feed {
        mut batches,
        commands,
    } = feed;
    let retain_ns = u64::try_from(opts.retain.as_nanos()).unwrap_or(u64::MAX);
    let mut state =
        AppState::new(Model::new(ModelConfig { retain_ns }), commands).with_lints(opts.lints);
    state.view.keymap = opts.keymap;

    let guard = term::TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("setting up the terminal")?;
    let mut input = EventStream::new();
    let mut stops = term::StopSignals::new();
    let result = loop {
        let exit = tokio::select! {
            r = run_loop(&mut terminal, &mut state, &mut input, &mut batches, &theme) => r,
            signal = term::shutdown_signal() => term::exit_after_signal(guard, signal),
            () = stops.recv() => Ok(LoopExit::Suspend),
        };
        match exit {
            Ok(LoopExit::Suspend) => {
                // Back after `fg`: the screen is whatever the shell left.
                if let Err(e) = guard.suspend().and_then(|()| Ok(terminal.clear()?)) {
                    break Err(e);
                }
                state.mark_dirty();
            }
            Ok(LoopExit::Quit | LoopExit::InputEnded) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    state.stop_source();
    drop(guard);
    result
}

/// Why [`run_loop`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopExit {
    Quit,
    /// The user pressed Ctrl-Z: the caller gives the terminal back, stops
    /// the process, and calls the loop again after `fg`.
    Suspend,
    /// The input stream ended.
    InputEnded,
}

/// The loop itself, for any backend and any input stream, so tests run it
/// over `TestBackend` with synthetic keys. Returns when the user quits or
/// suspends, or the input ends.
pub async fn run_loop<B, I>(
    terminal: &mut Terminal<B>,
    state: &mut AppState,
    input: &mut I,
    batches: &mut mpsc::Receiver<Batch>,
    theme: &Theme,
) -> anyhow::Result<LoopExit>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    I: Stream<Item = std::io::Result<TermEvent>> + Unpin,
{
    let mut frames = tokio::time::interval(FRAME_INTERVAL);
    frames.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut feed_open = true;
    loop {
        if state.should_quit() {
            return Ok(LoopExit::Quit);
        }
        if state.take_suspend() {
            return Ok(LoopExit::Suspend);
        }
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => {
                    if let Some(action) = state.action_for(&event) {
                        update(state, action);
                    }
                }
                Some(Err(e)) => return Err(e).context("reading terminal input"),
                None => return Ok(LoopExit::InputEnded),
            },
            batch = batches.recv(), if feed_open => match batch {
                Some(batch) => {
                    state.ingest(&batch);
                    for _ in 1..MAX_BATCHES_PER_WAKE {
                        let Ok(batch) = batches.try_recv() else { break };
                        state.ingest(&batch);
                    }
                }
                None => {
                    feed_open = false;
                    state.source_ended();
                }
            },
            _ = frames.tick() => {
                if state.take_dirty() {
                    state.prepare_frame();
                    let frame = terminal.draw(|frame| {
                        let area = frame.area();
                        ui::render_with_warnings(
                            area,
                            frame.buffer_mut(),
                            state.shown(),
                            &state.view,
                            state.warnings(),
                            theme,
                        );
                    })?;
                    state.view.screen = frame.area;
                }
            }
        }
    }
}
