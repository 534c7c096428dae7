//! taskscope: a terminal dashboard that makes a tokio runtime visible.
//!
//! Data flows one way, one module per stage: `engine` (instrumentation)
//! and other sources produce a `feed` of events; the `model` is pure state
//! built from them; `lints` read the model; `ui` renders it; `record`
//! writes and reads sessions and exports reports. `commands` carries out
//! the command line, `app` runs the terminal UI, `headless` runs without one.

pub mod app;
pub mod bench;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod feed;
pub mod headless;
pub mod lints;
pub mod model;
pub mod prometheus;
pub mod record;
pub mod term;
pub mod ui;
