// Each test file uses a part of this.
#![allow(dead_code)]

pub mod cli;
pub mod tmux;
