//! In-process instrumentation: turns what the probe (or, with the `console`
//! feature, console-subscriber) sees into feed events.

#[cfg(feature = "console")]
pub mod console;
pub mod metrics_recorder;
pub mod probe;
pub mod runtime_sampler;
