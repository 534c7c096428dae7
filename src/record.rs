//! Sessions as files, and the exports made from a model: the JSON report.

pub mod report;
