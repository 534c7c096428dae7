//! Sessions as files (`.tsrec`), and the exports made from a model or a
//! recording: the JSON report and the Chrome trace.

pub mod chrome;
pub mod report;
pub mod tee;
pub mod tsrec;

pub use tee::tee;
