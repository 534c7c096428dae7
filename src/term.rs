//! Terminal setup and restore. The terminal is restored on every exit
//! path: the guard's drop (normal return, error, unwinding), a panic hook
//! that runs before the panic message is printed, and SIGTERM/SIGHUP.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use anyhow::Context;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};

/// Whether the terminal is in raw mode and the alternate screen now, so
/// restoring twice (guard and panic hook) does nothing the second time.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Raw mode, alternate screen, hidden cursor while alive.
#[derive(Debug)]
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub fn enter() -> anyhow::Result<Self> {
        install_panic_hook();
        ACTIVE.store(true, Ordering::SeqCst);
        let entered = enable_raw_mode()
            .and_then(|()| execute!(std::io::stdout(), EnterAlternateScreen, Hide));
        if let Err(e) = entered {
            restore();
            return Err(e).context("setting up the terminal");
        }
        Ok(Self { _private: () })
    }
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
        let _ = execute!(out, LeaveAlternateScreen, Show);
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
