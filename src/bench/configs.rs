//! The configurations a workload is measured under.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Config {
    /// Plain tokio, nothing observing.
    Bare,
    /// taskscope's probe engine: task hooks plus the collector feeding a
    /// model every 100 ms, as in the live dashboard.
    Probe,
    /// The probe with `--schedule-latency` (tokio tracks every wake).
    ProbeSched,
    /// tokio-metrics' `TaskMonitor` around every spawned future.
    TokioMetrics,
    /// console-subscriber with its defaults (1 h retention), aggregator
    /// running, no client. Needs the `console` feature.
    Console,
    /// console-subscriber with 1 s retention.
    ConsoleShort,
}

impl Config {
    pub const ALL: [Config; 6] = [
        Config::Bare,
        Config::Probe,
        Config::ProbeSched,
        Config::TokioMetrics,
        Config::Console,
        Config::ConsoleShort,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Config::Bare => "bare",
            Config::Probe => "probe",
            Config::ProbeSched => "probe-sched",
            Config::TokioMetrics => "tokio-metrics",
            Config::Console => "console",
            Config::ConsoleShort => "console-1s",
        }
    }

    #[must_use]
    pub fn parse(name: &str) -> Option<Config> {
        Config::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether this build can run it (the console engine is a cargo feature).
    #[must_use]
    pub fn available(self) -> bool {
        cfg!(feature = "console") || !matches!(self, Config::Console | Config::ConsoleShort)
    }

    /// The default set: everything this build can run.
    #[must_use]
    pub fn defaults() -> Vec<Config> {
        Config::ALL.into_iter().filter(|c| c.available()).collect()
    }
}
