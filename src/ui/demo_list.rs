//! The demos the picker offers, read from the catalog once.

use std::sync::OnceLock;

use taskscope_demos::DemoInfo;

/// Every demo's description, in catalog order.
#[must_use]
pub fn demos() -> &'static [&'static DemoInfo] {
    static DEMOS: OnceLock<Vec<&'static DemoInfo>> = OnceLock::new();
    DEMOS.get_or_init(|| {
        taskscope_demos::catalog()
            .iter()
            .map(|d| d.info())
            .collect()
    })
}

/// Where demo `name` is in [`demos`].
#[must_use]
pub fn position(name: &str) -> Option<usize> {
    demos().iter().position(|d| d.name == name)
}
