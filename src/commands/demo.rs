use std::path::Path;

use anyhow::Context as _;
use taskscope_demos::Settings;

use super::{input_error, recorded, ui_runtime};
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
    let rt = ui_runtime()?;
    if session.headless {
        let model = rt.block_on(async {
            let feed = recorded(live::start(opts)?, session, source)?;
            anyhow::Ok(crate::headless::run(feed, session.duration, config).await)
        })?;
        let report = Report::diagnose(&model, &lints);
        write_report(&report, session.report.as_deref())?;
        eprintln!("{}", report.summary_line());
        return Ok(());
    }
    let ui_opts = crate::app::UiOptions {
        ascii: ui.ascii,
        color: std::env::var_os("NO_COLOR").is_none(),
        retain: session.retain,
    };
    rt.block_on(async {
        let feed = recorded(live::start(opts)?, session, source)?;
        crate::app::run_tui(feed, ui_opts).await
    })
}

pub(crate) fn write_report(report: &Report, path: Option<&Path>) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(report)?;
    match path {
        None => Ok(()),
        Some(p) if p == Path::new("-") => {
            println!("{json}");
            Ok(())
        }
        Some(p) => std::fs::write(p, json + "\n")
            .with_context(|| format!("cannot write the report to {}", p.display())),
    }
}
