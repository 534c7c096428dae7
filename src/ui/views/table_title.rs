//! The tail of a table's title: its sort and its filter, shared by the
//! tasks and the resources tables.

use crate::ui::{TaskFilter, Theme};

/// ` · sort busy ▼ · filter abc_ `, the filter part only while it is
/// applied or being typed; ends with a space.
pub fn sort_and_filter(
    column: &str,
    descending: bool,
    filter: &TaskFilter,
    theme: &Theme,
) -> String {
    let sep = theme.glyphs.separator();
    let mut tail = format!(
        " {sep} sort {} {}",
        column.to_lowercase(),
        theme.glyphs.sort(descending)
    );
    if filter.is_active() || filter.editing() {
        let cursor = if filter.editing() { "_" } else { "" };
        let invalid = if filter.is_invalid() {
            " (invalid regex)"
        } else {
            ""
        };
        tail.push_str(&format!(" {sep} filter {}{cursor}{invalid}", filter.text()));
    }
    tail.push(' ');
    tail
}
