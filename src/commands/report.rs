use std::fs::File;

use anyhow::Context as _;

use crate::cli::ReportArgs;
use crate::model::{Model, ModelConfig};
use crate::record::chrome;
use crate::record::report::Report;

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let lints = super::lint_config(&args.lints)?;
    let recording = super::replay::load(&args.file)?;
    if let Some(path) = &args.json {
        let mut model = Model::new(ModelConfig::default());
        for frame in &recording.frames {
            model.apply_all(&frame.events);
        }
        let report = Report::diagnose(&model, &lints);
        super::demo::write_report(&report, Some(path))?;
    }
    if let Some(path) = &args.chrome {
        let file = File::create(path)
            .with_context(|| format!("cannot write the trace to {}", path.display()))?;
        let summary = chrome::write_trace(&recording, file)
            .with_context(|| format!("cannot write the trace to {}", path.display()))?;
        eprintln!(
            "taskscope: {}: {} tasks, {} polls",
            path.display(),
            summary.tasks,
            summary.polls
        );
    }
    Ok(())
}
