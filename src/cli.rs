//! The command line, as clap types. `commands/` carries each one out.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "taskscope",
    version,
    about = "See inside a tokio runtime: live task states, contention, leaks."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[command(flatten)]
    pub ui: UiArgs,
    /// Read this config file after ~/.config/taskscope/config.toml and ./taskscope.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run a demo workload on an instrumented runtime (default: gather).
    Demo(DemoArgs),
    /// List the demos with a one-line description.
    List,
    /// List the lints: what each finds, its thresholds with their defaults,
    /// and what to change.
    Lints,
    /// Play back a recording (.tsrec) in the terminal UI, or headless.
    Replay(ReplayArgs),
    /// Export a recording: the headless JSON report, a Chrome trace.
    Report(ReportArgs),
    /// Render a recording as the dashboard showed it: an asciicast, or one
    /// frame as text or SVG.
    Render(RenderArgs),
    /// Watch any program that runs console-subscriber, over its gRPC port.
    Attach(AttachArgs),
    /// Run a demo as a plain process under console-subscriber, for
    /// `taskscope attach` or tokio-console to watch (needs --features console).
    Serve(ServeArgs),
    /// Measure what observing costs: bare tokio against each engine.
    Bench(BenchArgs),
    /// Print a commented config file with every key at its default.
    GenConfig,
    /// Print a shell completion script: taskscope completions bash > ...
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// One benchmark measurement in this process (used by `bench`).
    #[command(hide = true)]
    BenchChild(BenchChildArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Workloads: spawn, semaphore, channel, timeouts, demos (every demo), or a demo name.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "spawn,semaphore,channel,timeouts"
    )]
    pub workloads: Vec<String>,
    /// Configurations: bare, probe, probe-sched, tokio-metrics, console, console-1s (default: all this build has).
    #[arg(long, value_delimiter = ',')]
    pub configs: Vec<String>,
    /// Runs of each configuration (medians are reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Size of the synthetic workloads (1.0: as in BENCHMARKS.md).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Seconds each demo runs.
    #[arg(long, default_value_t = 5)]
    pub demo_secs: u64,
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
    /// Also write the rows as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct BenchChildArgs {
    #[arg(long)]
    pub workload: Option<String>,
    #[arg(long)]
    pub demo: Option<String>,
    #[arg(long, default_value_t = 5)]
    pub demo_secs: u64,
    /// The bench configuration (not a config file: `--config` is global).
    #[arg(long = "bench-config", id = "bench_config")]
    pub config: String,
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
}

#[derive(Debug, Clone, Args)]
pub struct UiArgs {
    /// Plain ASCII glyphs instead of Unicode symbols.
    #[arg(long, global = true)]
    pub ascii: bool,
    /// No colours (as does the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// The config file's `[keys]` overrides (not a flag).
    #[arg(skip)]
    pub keys: crate::config::KeyOverrides,
}

/// Which instrumentation watches an in-process demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// tokio's task hooks (fast; the default).
    Probe,
    /// console-subscriber in-process (slow; needs --features console).
    Console,
}

#[derive(Debug, Clone, Parser)]
pub struct AttachArgs {
    /// The target's console address: http://host:port or host:port.
    #[arg(default_value = crate::feed::attach::target::DEFAULT_TARGET)]
    pub target: String,
    /// Give up connecting after this long.
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Clone, Parser)]
pub struct ServeArgs {
    #[command(flatten)]
    pub demo: DemoSpec,
    /// Where console-subscriber listens.
    #[arg(long, default_value = "127.0.0.1:6669")]
    pub bind: String,
    /// How long console-subscriber keeps finished tasks (its default is 1h,
    /// about 48 KB of histograms per task).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub retention: Duration,
    /// How often console-subscriber sends an update (its default is 1s).
    #[arg(long, default_value = "200ms", value_parser = parse_duration)]
    pub publish_interval: Duration,
    /// Instead of a demo, run N tasks that never end, each woken once every
    /// --tick by one more task, the wake-ups spread over it (what
    /// benches/attach-cpu.sh watches). console-subscriber takes in about
    /// 128 spawns per publish interval: viewers see all N after N/128 of them.
    #[arg(long, value_name = "N", conflicts_with_all = ["name", "fixed", "knobs", "rounds"])]
    pub tickers: Option<u32>,
    /// How often each of the --tickers wakes.
    #[arg(long, default_value = "1s", value_parser = parse_duration, requires = "tickers")]
    pub tick: Duration,
}

/// Which demo, which variant, which knobs: shared by `demo` and `serve`.
#[derive(Debug, Clone, Args)]
pub struct DemoSpec {
    /// Demo name, as `taskscope list` shows.
    #[arg(default_value = "gather")]
    pub name: String,
    /// Run the fixed variant instead of the broken one.
    #[arg(long)]
    pub fixed: bool,
    /// Set a knob: --set fanout=100 (repeatable).
    #[arg(long = "set", value_name = "KNOB=VALUE")]
    pub knobs: Vec<String>,
    /// Seed of the demo's random choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Stop after this many rounds (0: run until stopped).
    #[arg(long, default_value_t = 0)]
    pub rounds: u64,
    /// Worker threads of the demo's runtime.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
}

#[derive(Debug, Clone, Parser)]
pub struct DemoArgs {
    #[command(flatten)]
    pub demo: DemoSpec,
    /// What watches the demo.
    #[arg(long, value_enum, default_value_t = Engine::Probe)]
    pub engine: Engine,
    /// Probe: also measure how long each poll waited in a run queue (the
    /// Sched column). Reads the clock on every wake: 1.3x on wake-heavy work.
    #[arg(long)]
    pub schedule_latency: bool,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// Options shared by every source.
#[derive(Debug, Clone, Args)]
pub struct SessionArgs {
    /// How long done tasks stay visible.
    #[arg(long, default_value = "6s", value_parser = parse_duration)]
    pub retain: Duration,
    /// How often the source delivers a batch of events.
    #[arg(long, default_value = "100ms", value_parser = parse_duration)]
    pub interval: Duration,
    /// Run without a terminal UI and write a report.
    #[arg(long)]
    pub headless: bool,
    /// Headless: how long to run.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Headless: write the JSON report here ("-" for stdout).
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// Serve runtime figures for Prometheus at http://ADDR/metrics (e.g. 127.0.0.1:9000).
    #[arg(long, value_name = "ADDR")]
    pub prometheus: Option<std::net::SocketAddr>,
    #[command(flatten)]
    pub lints: LintArgs,
    /// Record the session to this file, for `taskscope replay` and `report`.
    #[arg(long, value_name = "FILE.tsrec")]
    pub record: Option<PathBuf>,
}

/// Which lints run and their thresholds: the same for every source.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Turn a lint on (an id, or "all"); wins over --allow (repeatable).
    #[arg(long = "warn", value_name = "LINT")]
    pub warn: Vec<String>,
    /// Turn a lint off (an id, or "all") (repeatable).
    #[arg(long = "allow", value_name = "LINT")]
    pub allow: Vec<String>,
    /// Change a lint threshold: --threshold blocking-poll.poll_ms=50 (repeatable).
    #[arg(long = "threshold", value_name = "LINT.NAME=VALUE")]
    pub thresholds: Vec<String>,
}

impl LintArgs {
    /// The lints to run, from --warn, --allow and --threshold.
    pub fn config(&self) -> Result<crate::lints::LintConfig, String> {
        crate::lints::LintConfig::from_args(&self.warn, &self.allow, &self.thresholds)
    }
}

#[derive(Debug, Clone, Parser)]
pub struct ReplayArgs {
    /// A recording made with --record.
    #[arg(value_name = "FILE.tsrec")]
    pub file: PathBuf,
    /// Times the recorded pace, 0.25 to 16.
    #[arg(long, default_value = "1", value_parser = parse_speed)]
    pub speed: u16,
    /// Replay as fast as possible, without a terminal UI, and write a report.
    #[arg(long)]
    pub headless: bool,
    /// Headless: write the JSON report here ("-" for stdout).
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// How long done tasks stay visible.
    #[arg(long, default_value = "6s", value_parser = parse_duration)]
    pub retain: Duration,
    #[command(flatten)]
    pub lints: LintArgs,
}

#[derive(Debug, Clone, Parser)]
#[command(group(clap::ArgGroup::new("output").required(true).multiple(true)))]
pub struct ReportArgs {
    /// A recording made with --record.
    #[arg(value_name = "FILE.tsrec")]
    pub file: PathBuf,
    /// Write the headless JSON report here ("-" for stdout).
    #[arg(long, value_name = "FILE.json", group = "output")]
    pub json: Option<PathBuf>,
    /// Write a Chrome trace (opens in Perfetto) here.
    #[arg(long, value_name = "FILE.json", group = "output")]
    pub chrome: Option<PathBuf>,
    #[command(flatten)]
    pub lints: LintArgs,
}

/// Sizes, times and rates are taken as text and checked by the command,
/// so that a bad one is reported in one line with exit code 2.
#[derive(Debug, Clone, Parser)]
pub struct RenderArgs {
    /// A recording made with --record.
    #[arg(value_name = "FILE.tsrec")]
    pub file: PathBuf,
    /// Write an asciicast v2 of the whole recording here ("-" for stdout).
    #[arg(long, value_name = "FILE.cast")]
    pub cast: Option<PathBuf>,
    /// Write the screen at --frame-at as plain text here ("-" for stdout).
    #[arg(long, value_name = "FILE.txt")]
    pub txt: Option<PathBuf>,
    /// Write the screen at --frame-at as an SVG here ("-" for stdout).
    #[arg(long, value_name = "FILE.svg")]
    pub svg: Option<PathBuf>,
    /// The screen's size, WIDTHxHEIGHT, from 20x5 to 500x200.
    #[arg(long, value_name = "WxH", default_value = "120x36")]
    pub size: String,
    /// Frames per second of the cast, 1 to 60.
    #[arg(long, default_value = "10")]
    pub fps: String,
    /// Recording time of the frame --txt and --svg show: 5s, 1m30s, or
    /// "end" (the default). Past the end means the end.
    #[arg(long, value_name = "TIME")]
    pub frame_at: Option<String>,
    /// No colours, as with NO_COLOR set.
    #[arg(long)]
    pub no_color: bool,
}

/// `0.25` .. `16`, as a percentage of the recorded pace.
pub fn parse_speed(s: &str) -> Result<u16, String> {
    let times: f64 = s
        .trim_end_matches('x')
        .parse()
        .map_err(|_| format!("'{s}' is not a number (try 0.5, 2 or 4x)"))?;
    if !(0.25..=16.0).contains(&times) {
        return Err(format!("{s} is outside 0.25 to 16"));
    }
    // In range, so the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok((times * 100.0).round() as u16)
}

/// `3s`, `250ms`, `1m30s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (try 3s, 250ms or 1m)"))
}

impl Cli {
    /// The subcommand, with `taskscope` alone meaning `taskscope demo gather`.
    #[must_use]
    pub fn command_or_default(self) -> Cmd {
        self.command
            .unwrap_or_else(|| Cmd::Demo(DemoArgs::parse_from(["demo"])))
    }
}
