use std::io::Write as _;

use super::input_error;
use crate::bench::child::{self, Target};
use crate::bench::harness::{self, BenchPlan};
use crate::bench::{Config, Workload};
use crate::cli::{BenchArgs, BenchChildArgs};

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let mut targets = Vec::new();
    for name in &args.workloads {
        if name == "demos" {
            for d in taskscope_demos::catalog() {
                targets.push(Target::Demo {
                    name: d.info().name.to_owned(),
                    secs: args.demo_secs,
                });
            }
        } else if let Some(w) = Workload::parse(name) {
            targets.push(Target::Workload(w));
        } else if taskscope_demos::find(name).is_ok() {
            targets.push(Target::Demo {
                name: name.clone(),
                secs: args.demo_secs,
            });
        } else {
            return input_error(format!(
                "unknown workload '{name}' (spawn, semaphore, channel, timeouts, demos, or a demo name)"
            ));
        }
    }
    let mut configs = Vec::new();
    for name in &args.configs {
        match Config::parse(name) {
            Some(c) if c.available() => configs.push(c),
            Some(c) => {
                return input_error(format!(
                    "config '{}' needs a build with --features console",
                    c.name()
                ))
            }
            None => {
                return input_error(format!(
                    "unknown config '{name}' (bare, probe, probe-sched, tokio-metrics, console, console-1s)"
                ))
            }
        }
    }
    if configs.is_empty() {
        configs = Config::defaults();
    }
    if !(args.scale > 0.0 && args.scale <= 10.0) {
        return input_error("--scale must be in (0, 10]");
    }
    let plan = BenchPlan {
        targets,
        configs,
        runs: args.runs.max(1),
        scale: args.scale,
        workers: usize::from(args.workers),
    };
    for t in &plan.targets {
        if let Target::Workload(w) = t {
            eprintln!("{}", w.describe(plan.scale));
        }
    }
    let rows = harness::run(&plan, |line| eprintln!("  {line}"))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", harness::table(&rows))?;
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&rows)? + "\n")?;
    }
    Ok(())
}

pub fn run_child(args: &BenchChildArgs) -> anyhow::Result<()> {
    let target = match (&args.workload, &args.demo) {
        (Some(w), None) => match Workload::parse(w) {
            Some(w) => Target::Workload(w),
            None => return input_error(format!("unknown workload '{w}'")),
        },
        (None, Some(d)) => Target::Demo {
            name: d.clone(),
            secs: args.demo_secs,
        },
        _ => return input_error("give one of --workload or --demo"),
    };
    let Some(config) = Config::parse(&args.config) else {
        return input_error(format!("unknown config '{}'", args.config));
    };
    let m = child::measure(&target, config, args.scale, usize::from(args.workers))?;
    println!("{}", serde_json::to_string(&m)?);
    Ok(())
}
