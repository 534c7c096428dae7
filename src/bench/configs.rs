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
    /// console-subscriber with its defaults and a client watching, as
    /// under tokio-console: counts the tasks a client really gets. The
    /// client (taskscope's mapping into a model) runs in the same process,
    /// on its own thread, so its CPU time is in the figure.
    ConsoleWatched,
}

impl Config {
    pub const ALL: [Config; 7] = [
        Config::Bare,
        Config::Probe,
        Config::ProbeSched,
        Config::TokioMetrics,
        Config::Console,
        Config::ConsoleShort,
        Config::ConsoleWatched,
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
            Config::ConsoleWatched => "console-watched",
        }
    }

    #[must_use]
    pub fn parse(name: &str) -> Option<Config> {
        Config::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether this build can run it (the console engine is a cargo feature).
    #[must_use]
    pub fn available(self) -> bool {
        cfg!(feature = "console") || !self.is_console()
    }

    /// Whether console-subscriber observes the workload.
    #[must_use]
    pub fn is_console(self) -> bool {
        matches!(
            self,
            Config::Console | Config::ConsoleShort | Config::ConsoleWatched
        )
    }

    /// The default set: everything this build can run.
    #[must_use]
    pub fn defaults() -> Vec<Config> {
        Config::ALL.into_iter().filter(|c| c.available()).collect()
    }
}
