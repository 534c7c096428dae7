//! Small helpers every demo uses: the seeded rng, exact shares, gauges that
//! cannot drift when a round is aborted.

use std::time::Duration;

use rand::rngs::SmallRng;
use rand::SeedableRng;

use crate::Settings;

/// The rng of one round: same seed and round, same draws.
#[must_use]
pub(crate) fn round_rng(settings: &Settings, round: u64) -> SmallRng {
    SmallRng::seed_from_u64(settings.seed ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

#[must_use]
pub(crate) fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// `pct` percent of `count`, rounded down: an exact number, so tests can
/// predict it.
#[must_use]
pub(crate) fn share(count: u64, pct: u64) -> u64 {
    count * pct.min(100) / 100
}

/// A flag per item with exactly `chosen` of `count` set, at seeded places.
#[must_use]
pub(crate) fn exactly(rng: &mut SmallRng, count: u64, chosen: u64) -> Vec<bool> {
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let chosen = usize::try_from(chosen).unwrap_or(usize::MAX).min(count);
    let mut flags = vec![false; count];
    for i in rand::seq::index::sample(rng, count, chosen) {
        flags[i] = true;
    }
    flags
}

/// Adds one to a gauge for as long as it lives; the decrement also happens
/// when the task holding it is aborted.
pub(crate) struct GaugeGuard(metrics::Gauge);

impl GaugeGuard {
    pub(crate) fn new(gauge: metrics::Gauge) -> Self {
        gauge.increment(1.0);
        Self(gauge)
    }
}

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// Milliseconds as a float, for histograms.
#[must_use]
pub(crate) fn millis_f64(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_sets_the_asked_number() {
        let mut rng = SmallRng::seed_from_u64(7);
        for (count, chosen) in [(0, 0), (10, 0), (10, 3), (10, 10), (5, 9)] {
            let flags = exactly(&mut rng, count, chosen);
            assert_eq!(flags.len() as u64, count);
            assert_eq!(
                flags.iter().filter(|f| **f).count() as u64,
                chosen.min(count)
            );
        }
        assert_eq!(share(20, 10), 2);
        assert_eq!(share(7, 50), 3);
        assert_eq!(share(7, 500), 7);
    }
}
