//! The tabs of the body. Adding one is a variant here, an arm in
//! `views::render_body`, a view file and a keymap binding.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tab {
    #[default]
    Tasks,
    Resources,
    Runtime,
    Metrics,
    Warnings,
    Demos,
}

impl Tab {
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Tab::Tasks => "tasks",
            Tab::Resources => "resources",
            Tab::Runtime => "runtime",
            Tab::Metrics => "metrics",
            Tab::Warnings => "warnings",
            Tab::Demos => "demos",
        }
    }
}
