//! Terminal setup and restore. The terminal is restored on every exit
//! path: the guard's drop (normal return, error, unwinding), a panic hook
//! that runs before the panic message is printed, and SIGTERM/SIGHUP; and
//! around a suspend (Ctrl-Z, SIGTSTP) until `fg`.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use anyhow::Context;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};

/// Whether the terminal is in raw mode and the alternate screen now, so
/// restoring twice (guard and panic hook) does nothing the second time.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Raw mode, alternate screen, hidden cursor, mouse capture while alive.
#[derive(Debug)]
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub fn enter() -> anyhow::Result<Self> {
        install_panic_hook();
        set_up()?;
        Ok(Self { _private: () })
    }

    /// Gives the terminal back to the shell, stops the process as Ctrl-Z
    /// would, and takes the terminal again once continued (`fg`). The
    /// caller redraws everything.
    pub fn suspend(&self) -> anyhow::Result<()> {
        restore();
        #[cfg(unix)]
        signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)
            .context("stopping the process")?;
        set_up()
    }
}

fn set_up() -> anyhow::Result<()> {
    ACTIVE.store(true, Ordering::SeqCst);
    let entered = enable_raw_mode().and_then(|()| {
        execute!(
            std::io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            Hide
        )
    });
    if let Err(e) = entered {
        restore();
        return Err(e).context("setting up the terminal");
    }
    Ok(())
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen and shows the cursor, if the
/// terminal was set up. Errors are ignored: this runs on the way out.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = std::io::stdout();
        let _ = disable_raw_mode();
        let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
        let _ = out.flush();
    }
}

/// Restores the terminal, then hands the panic to the hook that was there
/// before (so its message and backtrace print on a usable terminal).
/// Installed once per process; never replaces, never exits.
pub fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShutdownSignal {
    Terminate,
    Hangup,
}

impl ShutdownSignal {
    /// The shell's convention: 128 + signal number.
    #[must_use]
    pub fn exit_code(self) -> i32 {
        match self {
            ShutdownSignal::Terminate => 128 + 15,
            ShutdownSignal::Hangup => 128 + 1,
        }
    }
}

/// Resolves on SIGTERM or SIGHUP; never, where they cannot be watched.
pub async fn shutdown_signal() -> ShutdownSignal {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            return tokio::select! {
                _ = term.recv() => ShutdownSignal::Terminate,
                _ = hup.recv() => ShutdownSignal::Hangup,
            };
        }
    }
    std::future::pending().await
}

/// SIGTSTP sent from outside (`kill -TSTP`; Ctrl-Z itself arrives as a
/// key in raw mode). Handling it replaces the default stop, so the app
/// suspends itself the same way as for the key.
pub struct StopSignals {
    #[cfg(unix)]
    tstp: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    #[must_use]
    pub fn new() -> Self {
        Self {
            #[cfg(unix)]
            tstp: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(
                signal_hook::consts::SIGTSTP,
            ))
            .ok(),
        }
    }

    /// Resolves at the next SIGTSTP; never where it cannot be watched.
    pub async fn recv(&mut self) {
        #[cfg(unix)]
        if let Some(tstp) = &mut self.tstp {
            if tstp.recv().await.is_some() {
                return;
            }
        }
        std::future::pending().await
    }
}

impl Default for StopSignals {
    fn default() -> Self {
        Self::new()
    }
}

/// Restores the terminal and exits the process with the signal's code.
pub fn exit_after_signal(guard: TerminalGuard, signal: ShutdownSignal) -> ! {
    drop(guard);
    std::process::exit(signal.exit_code())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn the_panic_hook_chains_to_the_previous_one() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        }));
        install_panic_hook();
        let result = std::panic::catch_unwind(|| panic!("boom"));
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Put the default back for the other tests' panic messages.
        let _ours = std::panic::take_hook();
        std::panic::set_hook(default);
    }

    #[test]
    fn restore_without_setup_does_nothing() {
        restore();
        restore();
        assert!(!ACTIVE.load(Ordering::SeqCst));
    }
}
