//! The parent side of `taskscope bench`: runs children, alternating
//! configurations, and summarises medians and ratios to bare.

use std::fmt::Write as _;
use std::process::Command;

use anyhow::Context as _;
use serde::Serialize;

use super::child::{Measurement, Target};
use super::configs::Config;

#[derive(Clone, Debug)]
pub struct BenchPlan {
    pub targets: Vec<Target>,
    pub configs: Vec<Config>,
    pub runs: usize,
    pub scale: f64,
    pub workers: usize,
}

/// Medians of one target under one configuration.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub target: String,
    pub config: &'static str,
    pub runs: usize,
    pub wall_ms: f64,
    pub cpu_ms: f64,
    pub peak_rss_mb: f64,
    pub wall_ratio: Option<f64>,
    pub cpu_ratio: Option<f64>,
    pub rss_ratio: Option<f64>,
    /// (peak RSS - bare's peak RSS) / tasks spawned, when both are known:
    /// everything observing costs at its peak, buffers in flight included.
    pub bytes_per_task: Option<f64>,
    /// What the model keeps per retained task (probe only).
    pub model_bytes_per_task: Option<u64>,
    pub spawned: Option<u64>,
    /// The smallest count seen over the runs.
    pub seen: Option<u64>,
    pub dropped: Option<u64>,
}

/// Runs one child per (target, config, run) and returns its measurement.
fn run_child(target: &Target, config: Config, plan: &BenchPlan) -> anyhow::Result<Measurement> {
    let exe = std::env::current_exe().context("cannot find the taskscope binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("bench-child").arg("--config").arg(config.name());
    cmd.arg("--scale")
        .arg(plan.scale.to_string())
        .arg("--workers")
        .arg(plan.workers.to_string());
    match target {
        Target::Workload(w) => cmd.arg("--workload").arg(w.name()),
        Target::Demo { name, secs } => cmd
            .arg("--demo")
            .arg(name)
            .arg("--demo-secs")
            .arg(secs.to_string()),
    };
    let out = cmd.output().context("cannot run a benchmark child")?;
    if !out.status.success() {
        anyhow::bail!(
            "{} under {} failed: {}",
            target.label(),
            config.name(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout).context("a benchmark child printed no measurement")
}

/// Runs the plan, calling `progress` after each child.
pub fn run(plan: &BenchPlan, mut progress: impl FnMut(&str)) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for target in &plan.targets {
        let mut results: Vec<Vec<Measurement>> = vec![Vec::new(); plan.configs.len()];
        for run in 0..plan.runs {
            // Rotate the order each run so no configuration always goes first.
            for k in 0..plan.configs.len() {
                let i = (k + run) % plan.configs.len();
                let m = run_child(target, plan.configs[i], plan)?;
                progress(&format!(
                    "{} {} run {}: {:.1} ms",
                    target.label(),
                    plan.configs[i].name(),
                    run + 1,
                    ms(m.wall_ns)
                ));
                results[i].push(m);
            }
        }
        rows.extend(summarise(target, &plan.configs, &results));
    }
    Ok(rows)
}

#[allow(clippy::cast_precision_loss)]
fn ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

#[allow(clippy::cast_precision_loss)]
fn summarise(target: &Target, configs: &[Config], results: &[Vec<Measurement>]) -> Vec<Row> {
    let med = |i: usize, f: fn(&Measurement) -> u64| median(results[i].iter().map(f).collect());
    let bare = configs.iter().position(|c| *c == Config::Bare);
    let ratio = |i: usize, f: fn(&Measurement) -> u64| {
        bare.map(|b| med(b, f))
            .filter(|d| *d > 0)
            .map(|d| med(i, f) as f64 / d as f64)
    };
    configs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let spawned = results[i].first().and_then(|m| m.spawned);
            let rss = med(i, |m| m.peak_rss_bytes);
            let bytes_per_task = match (bare, spawned) {
                (Some(b), Some(n)) if n > 0 && i != b => {
                    Some((rss as f64 - med(b, |m| m.peak_rss_bytes) as f64) / n as f64)
                }
                _ => None,
            };
            Row {
                target: target.label(),
                config: c.name(),
                runs: results[i].len(),
                wall_ms: ms(med(i, |m| m.wall_ns)),
                cpu_ms: ms(med(i, |m| m.cpu_ns)),
                peak_rss_mb: rss as f64 / (1024.0 * 1024.0),
                wall_ratio: ratio(i, |m| m.wall_ns),
                cpu_ratio: ratio(i, |m| m.cpu_ns),
                rss_ratio: ratio(i, |m| m.peak_rss_bytes),
                bytes_per_task,
                spawned,
                seen: results[i].iter().filter_map(|m| m.seen).min(),
                dropped: results[i].iter().filter_map(|m| m.dropped).max(),
                model_bytes_per_task: results[i]
                    .iter()
                    .filter_map(|m| m.model_bytes_per_task)
                    .max(),
            }
        })
        .collect()
}

/// The results as a Markdown table.
#[must_use]
pub fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| workload | config | wall ms | x bare | cpu ms | x bare | peak RSS MB | x bare | peak B/task | model B/task | seen/spawned | dropped |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let x = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{r:.2}"));
    for r in rows {
        let seen = match (r.seen, r.spawned) {
            (Some(a), Some(b)) => format!("{a}/{b}"),
            (Some(a), None) => a.to_string(),
            _ => "-".into(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {} | {:.0} | {} | {:.1} | {} | {} | {} | {} | {} |",
            r.target,
            r.config,
            r.wall_ms,
            x(r.wall_ratio),
            r.cpu_ms,
            x(r.cpu_ratio),
            r.peak_rss_mb,
            x(r.rss_ratio),
            r.bytes_per_task
                .map_or("-".to_owned(), |b| format!("{b:.0}")),
            r.model_bytes_per_task
                .map_or("-".to_owned(), |b| b.to_string()),
            seen,
            r.dropped.map_or("-".to_owned(), |d| d.to_string()),
        );
    }
    s
}
