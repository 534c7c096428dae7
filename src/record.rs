//! Sessions as files (`.tsrec`), and the exports made from a model or a
//! recording: the JSON report and the Chrome trace.

pub mod report;
pub mod tsrec;
