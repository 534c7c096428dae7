//! `Option` in the space of the value, for the fields of `Task`, of which
//! hundreds of thousands are retained: `Option<u64>` takes 16 bytes and
//! `Opt<u64>` 8, keeping the largest value to mean none.

use std::fmt;

/// A value type with one value to spare for "none".
pub trait Spare: Copy + Eq {
    const NONE: Self;
}

/// No time, task id or worker index reaches the largest value.
impl Spare for u64 {
    const NONE: Self = u64::MAX;
}

impl Spare for u16 {
    const NONE: Self = u16::MAX;
}

/// An optional `T` without a tag. Storing `Some(T::NONE)` reads back as
/// `None`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Opt<T: Spare>(T);

impl<T: Spare> Opt<T> {
    pub const NONE: Self = Self(T::NONE);

    #[must_use]
    pub fn get(self) -> Option<T> {
        (self.0 != T::NONE).then_some(self.0)
    }

    #[must_use]
    pub fn is_some(self) -> bool {
        self.0 != T::NONE
    }

    #[must_use]
    pub fn is_none(self) -> bool {
        self.0 == T::NONE
    }
}

impl<T: Spare> From<Option<T>> for Opt<T> {
    fn from(v: Option<T>) -> Self {
        Self(v.unwrap_or(T::NONE))
    }
}

impl<T: Spare> From<T> for Opt<T> {
    fn from(v: T) -> Self {
        Self(v)
    }
}

impl<T: Spare + fmt::Debug> fmt::Debug for Opt<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_an_option_in_the_size_of_the_value() {
        assert_eq!(std::mem::size_of::<Opt<u64>>(), 8);
        assert_eq!(std::mem::size_of::<Opt<u16>>(), 2);
        for v in [None, Some(0u64), Some(7), Some(u64::MAX - 1)] {
            assert_eq!(Opt::from(v).get(), v);
        }
        assert_eq!(Opt::from(Some(3u16)).get(), Some(3));
        assert!(Opt::<u16>::NONE.is_none());
        assert!(Opt::from(0u64).is_some());
        assert_eq!(format!("{:?}", Opt::from(5u64)), "Some(5)");
    }
}
