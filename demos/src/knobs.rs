use std::collections::BTreeMap;
use std::fmt;

/// A number a user can change: concurrency, latency, error rate...
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Knob {
    pub name: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
    pub help: &'static str,
}

/// How to run a demo: variant, seed and knob values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub fixed: bool,
    pub seed: u64,
    /// Rounds to run before stopping (0: until stopped).
    pub rounds: u64,
    values: BTreeMap<&'static str, i64>,
    knobs: &'static [Knob],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnobError {
    Unknown {
        knob: String,
        known: Vec<&'static str>,
    },
    OutOfRange {
        knob: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
    Malformed(String),
}

impl fmt::Display for KnobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KnobError::Unknown { knob, known } => {
                write!(f, "unknown knob '{knob}' (knobs: {})", known.join(", "))
            }
            KnobError::OutOfRange {
                knob,
                value,
                min,
                max,
            } => {
                write!(f, "knob '{knob}' = {value} is out of range {min}..={max}")
            }
            KnobError::Malformed(s) => write!(f, "expected knob=value (an integer), got '{s}'"),
        }
    }
}

impl std::error::Error for KnobError {}

impl Settings {
    /// Defaults for every knob, broken variant, seed 1.
    #[must_use]
    pub fn new(knobs: &'static [Knob]) -> Self {
        Self {
            fixed: false,
            seed: 1,
            rounds: 0,
            values: knobs.iter().map(|k| (k.name, k.default)).collect(),
            knobs,
        }
    }

    /// A knob's value; 0 for a name the demo does not have (a bug in the
    /// demo, caught by its tests).
    #[must_use]
    pub fn get(&self, name: &str) -> i64 {
        self.values.get(name).copied().unwrap_or(0)
    }

    /// A knob's value as a count (negative values read as 0).
    #[must_use]
    pub fn count(&self, name: &str) -> u64 {
        u64::try_from(self.get(name)).unwrap_or(0)
    }

    pub fn set(&mut self, name: &str, value: i64) -> Result<(), KnobError> {
        let knob =
            self.knobs
                .iter()
                .find(|k| k.name == name)
                .ok_or_else(|| KnobError::Unknown {
                    knob: name.to_owned(),
                    known: self.knobs.iter().map(|k| k.name).collect(),
                })?;
        if value < knob.min || value > knob.max {
            return Err(KnobError::OutOfRange {
                knob: knob.name,
                value,
                min: knob.min,
                max: knob.max,
            });
        }
        self.values.insert(knob.name, value);
        Ok(())
    }

    /// Parses and applies `knob=value`.
    pub fn set_str(&mut self, assignment: &str) -> Result<(), KnobError> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| KnobError::Malformed(assignment.to_owned()))?;
        let value: i64 = value
            .trim()
            .parse()
            .map_err(|_| KnobError::Malformed(assignment.to_owned()))?;
        self.set(name.trim(), value)
    }

    /// Moves the knob by `steps` of a sensible size, clamped to its range.
    pub fn nudge(&mut self, name: &str, steps: i64) {
        if let Some(k) = self.knobs.iter().find(|k| k.name == name) {
            let step = ((k.max - k.min) / 50).max(1);
            let v = (self.get(name) + steps * step).clamp(k.min, k.max);
            self.values.insert(k.name, v);
        }
    }

    #[must_use]
    pub fn knobs(&self) -> &'static [Knob] {
        self.knobs
    }

    /// Every knob with its value, in declaration order.
    pub fn values(&self) -> impl Iterator<Item = (&'static Knob, i64)> + '_ {
        self.knobs.iter().map(|k| (k, self.get(k.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOBS: &[Knob] = &[Knob {
        name: "permits",
        default: 8,
        min: 0,
        max: 64,
        help: "",
    }];

    #[test]
    fn set_checks_name_and_range() {
        let mut s = Settings::new(KNOBS);
        assert_eq!(s.get("permits"), 8);
        s.set_str("permits=3").expect("valid");
        assert_eq!(s.get("permits"), 3);
        assert!(matches!(
            s.set_str("permits=65"),
            Err(KnobError::OutOfRange { .. })
        ));
        assert!(matches!(
            s.set_str("nope=1"),
            Err(KnobError::Unknown { .. })
        ));
        assert!(matches!(s.set_str("permits"), Err(KnobError::Malformed(_))));
        assert!(matches!(
            s.set_str("permits=x"),
            Err(KnobError::Malformed(_))
        ));
        s.nudge("permits", -100);
        assert_eq!(s.get("permits"), 0);
    }
}
