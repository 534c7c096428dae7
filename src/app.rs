//! Placeholder until the UI branch lands: the TUI entry point.

/// Options of the terminal UI.
pub struct UiOptions {
    pub ascii: bool,
    pub color: bool,
    pub retain: std::time::Duration,
}

/// Runs the TUI.
pub async fn run_tui(_feed: crate::feed::Feed, _opts: UiOptions) -> anyhow::Result<()> {
    anyhow::bail!("the terminal UI is not in this build yet; use --headless")
}
