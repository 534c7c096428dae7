use std::path::Path;
use std::sync::Arc;

use taskscope_demos::{Demo, Settings};

use super::preflight::{check_session, exported};
use super::{input_error, recorded, ui_runtime, InputError};
use crate::cli::{DemoArgs, DemoSpec, Engine, SessionArgs, UiArgs};
use crate::feed::live::{self, LiveOptions};
use crate::feed::Feed;
use crate::lints::LintConfig;
use crate::model::{Model, ModelConfig};
use crate::record::report::Report;

pub fn run(args: &DemoArgs, ui: &UiArgs) -> anyhow::Result<()> {
    let (demo, settings) = demo_settings(&args.demo)?;
    let session = &args.session;
    let lints = super::lint_config(&session.lints)?;
    let opts = LiveOptions {
        demo,
        settings,
        workers: usize::from(args.demo.workers),
        interval: session.interval,
        schedule_latency: args.schedule_latency,
    };
    let mut source = live::source_info(opts.demo.as_ref(), &opts.settings);
    let engine = args.engine;
    if engine == Engine::Console {
        "console".clone_into(&mut source.engine);
    }
    let start = move || -> anyhow::Result<Feed> {
        match engine {
            Engine::Probe => live::start(opts),
            Engine::Console => start_console(opts),
        }
    };
    check_session(session)?;
    let rt = ui_runtime()?;
    if session.headless {
        let model = rt.block_on(async {
            let feed = exported(recorded(start()?, session, source)?, session)?;
            anyhow::Ok(crate::headless::run(feed, session.duration, model_config(session)).await)
        })?;
        finish_headless(&model, session, &lints)?;
        return Ok(());
    }
    let ui_opts = crate::app::UiOptions {
        ascii: ui.ascii,
        color: !ui.no_color && std::env::var_os("NO_COLOR").is_none(),
        retain: session.retain,
        keymap: ui.keys.keymap(),
        lints: lints.clone(),
    };
    rt.block_on(async {
        let feed = exported(recorded(start()?, session, source)?, session)?;
        crate::app::run_tui(feed, ui_opts).await
    })
}

#[cfg(feature = "console")]
fn start_console(opts: LiveOptions) -> anyhow::Result<Feed> {
    crate::engine::console::start(opts)
}

#[cfg(not(feature = "console"))]
fn start_console(_opts: LiveOptions) -> anyhow::Result<Feed> {
    input_error(super::NEEDS_CONSOLE_FEATURE)
}

/// The demo a spec names, with its variant, seed, rounds and knobs applied.
pub(crate) fn demo_settings(spec: &DemoSpec) -> anyhow::Result<(Arc<dyn Demo>, Settings)> {
    let demo = match taskscope_demos::find(&spec.name) {
        Ok(d) => d,
        Err(e) => return input_error(e.to_string()),
    };
    let mut settings = Settings::new(demo.info().knobs);
    settings.fixed = spec.fixed;
    settings.seed = spec.seed;
    settings.rounds = spec.rounds;
    for assignment in &spec.knobs {
        if let Err(e) = settings.set_str(assignment) {
            return input_error(format!("demo {}: {e}", spec.name));
        }
    }
    Ok((demo, settings))
}

pub(crate) fn model_config(session: &SessionArgs) -> ModelConfig {
    ModelConfig {
        retain_ns: nanos(session.retain),
    }
}

pub(crate) fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Writes the report of a headless run and its summary line; returns it.
pub(crate) fn finish_headless(
    model: &Model,
    session: &SessionArgs,
    lints: &LintConfig,
) -> anyhow::Result<Report> {
    let report = Report::diagnose(model, lints);
    write_report(&report, session.report.as_deref())?;
    eprintln!("{}", report.summary_line());
    Ok(report)
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
