//! Sessions as files (`.tsrec`), and the exports made from a model or a
//! recording: the JSON report, the Chrome trace, and rendered screens
//! (ANSI, asciicast, SVG).

pub mod ansi;
pub mod cast;
pub mod chrome;
pub mod report;
pub mod svg;
pub mod tee;
pub mod tsrec;

pub use tee::tee;
