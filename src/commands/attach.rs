use super::preflight::{check_session, exported};
use super::{input_error, recorded, ui_runtime};
use crate::cli::{AttachArgs, UiArgs};
use crate::feed::attach::{self, target, AttachOptions};
use crate::feed::{ConnectionState, SourceInfo};

use super::demo::{finish_headless, model_config};

pub fn run(args: &AttachArgs, ui: &UiArgs) -> anyhow::Result<()> {
    let url = match target::parse_target(&args.target) {
        Ok(url) => url,
        Err(e) => return input_error(e),
    };
    let session = &args.session;
    let lints = super::lint_config(&session.lints)?;
    let source = SourceInfo {
        kind: "attach".into(),
        name: url.to_string(),
        engine: "console".into(),
        ..SourceInfo::default()
    };
    let opts = AttachOptions {
        target: url.clone(),
        // Headless runs report a lost target and stop; the TUI retries.
        reconnect: !session.headless,
        connect_timeout: args.connect_timeout,
    };
    check_session(session)?;
    let rt = ui_runtime()?;
    if !session.headless {
        let ui_opts = crate::app::UiOptions {
            ascii: ui.ascii,
            color: !ui.no_color && std::env::var_os("NO_COLOR").is_none(),
            retain: session.retain,
            keymap: ui.keys.keymap(),
            lints: lints.clone(),
        };
        return rt.block_on(async {
            let feed = exported(recorded(attach::start(opts), session, source)?, session)?;
            crate::app::run_tui(feed, ui_opts).await
        });
    }
    let model = rt.block_on(async {
        let feed = exported(recorded(attach::start(opts), session, source)?, session)?;
        anyhow::Ok(crate::headless::run(feed, session.duration, model_config(session)).await)
    })?;
    let Some(link) = model.connection().filter(|c| c.ever_connected) else {
        let reason = match model.connection().map(|c| &c.state) {
            Some(ConnectionState::Disconnected { reason, .. }) => reason.clone(),
            _ => "no answer".to_owned(),
        };
        anyhow::bail!("cannot attach to {url}: {reason}");
    };
    if let ConnectionState::Disconnected { reason, .. } = &link.state {
        eprintln!("taskscope: lost {url} after data was received: {reason}");
    }
    finish_headless(&model, session, &lints)?;
    Ok(())
}
