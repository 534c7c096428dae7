//! What fills the body of the screen.

pub mod side_column;
pub mod tasks;
