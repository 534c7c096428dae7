//! The lints' findings for the shown model, checked at most every
//! [`LINT_INTERVAL`] and only when the model changed: checking walks every
//! task and resource, too much for every frame.

use std::time::{Duration, Instant};

use crate::lints::{LintConfig, Warning};
use crate::model::Model;

/// Two checks a second at most.
pub const LINT_INTERVAL: Duration = Duration::from_millis(500);

#[derive(Debug, Default)]
pub struct LintCache {
    config: LintConfig,
    warnings: Vec<Warning>,
    /// The model generation checked last, and when.
    checked: Option<(u64, Instant)>,
    checks: u64,
}

impl LintCache {
    #[must_use]
    pub fn new(config: LintConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// The findings of the last check.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// How many times the lints ran (tests check the cadence with it).
    #[must_use]
    pub fn checks(&self) -> u64 {
        self.checks
    }

    /// Whether `model` changed since the last check and that check is at
    /// least [`LINT_INTERVAL`] old (the first check is always due).
    #[must_use]
    pub fn is_due(&self, model: &Model, now: Instant) -> bool {
        match self.checked {
            None => true,
            Some((generation, at)) => {
                generation != model.generation()
                    && now.saturating_duration_since(at) >= LINT_INTERVAL
            }
        }
    }

    /// Runs the lints over `model` if a check is due; true if they ran.
    pub fn refresh(&mut self, model: &Model, now: Instant) -> bool {
        if !self.is_due(model, now) {
            return false;
        }
        self.warnings = self.config.check(model);
        self.checked = Some((model.generation(), now));
        self.checks += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Event;
    use crate::model::ModelConfig;

    #[test]
    fn checks_when_the_model_changed_and_not_more_than_twice_a_second() {
        let mut model = Model::new(ModelConfig::default());
        let mut cache = LintCache::default();
        let t0 = Instant::now();
        assert!(cache.refresh(&model, t0), "the first check runs at once");
        model.apply(&Event::Tick { at: 1 });
        assert!(!cache.refresh(&model, t0 + Duration::from_millis(100)));
        assert!(cache.is_due(&model, t0 + LINT_INTERVAL));
        assert!(cache.refresh(&model, t0 + LINT_INTERVAL));
        assert!(
            !cache.refresh(&model, t0 + Duration::from_secs(5)),
            "nothing changed"
        );
        assert_eq!(cache.checks(), 2);
    }
}
