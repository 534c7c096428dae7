//! What the model's tables really allocate, for `Model::task_bytes`.

/// Heap bytes of a hashbrown table (std's `HashMap` is one) whose
/// `capacity()` is `capacity`: a power of two of buckets, 7/8 of them
/// usable (all but one below 8 buckets), each an entry and a control byte,
/// plus one trailing group of 16 control bytes.
#[must_use]
pub fn hash_table_bytes(capacity: usize, entry: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = if capacity < 8 {
        capacity + 1
    } else {
        capacity / 7 * 8
    }
    .next_power_of_two();
    (buckets * entry).next_multiple_of(16) + buckets + 16
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn buckets_are_the_next_power_of_two_over_eight_sevenths() {
        assert_eq!(hash_table_bytes(0, 24), 0);
        assert_eq!(hash_table_bytes(3, 24), 4 * 24 + 4 + 16);
        assert_eq!(hash_table_bytes(14, 24), 16 * 24 + 16 + 16);
        assert_eq!(hash_table_bytes(229_376, 1), 262_144 * 2 + 16);
        let mut m: HashMap<u64, u64> = HashMap::new();
        for i in 0..1_000 {
            m.insert(i, i);
        }
        // 1000 entries need 1143 buckets at 7/8: 2048, of which 1792 usable.
        assert_eq!(m.capacity(), 1_792);
        assert_eq!(hash_table_bytes(m.capacity(), 16), 2_048 * 17 + 16);
    }
}
