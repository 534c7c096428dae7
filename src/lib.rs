//! taskscope: a terminal dashboard that makes a tokio runtime visible.
//!
//! Data flows one way, one module per stage: `engine` (instrumentation)
//! and other sources produce a `feed` of events; the `model` is pure state
//! built from them; `lints` read the model; `ui` renders it; `record`
//! writes and reads sessions and exports reports.

pub mod app;
pub mod feed;
pub mod model;
pub mod term;
pub mod ui;
