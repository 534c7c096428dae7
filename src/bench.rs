//! `taskscope bench`: what observing costs. Each measurement runs in a
//! child process (so peak RSS is its own), configurations alternate within
//! one run (so machine noise hits them alike), and results are medians with
//! ratios to bare tokio from the same run.

pub mod child;
pub mod configs;
mod console;
pub mod harness;
pub mod proc_stats;
pub mod tickers;
pub mod workloads;

pub use configs::Config;
pub use workloads::Workload;
