use std::hash::{Hash, Hasher};

/// tokio's `task::Id` has no integer accessor, but its `Hash` writes exactly
/// one u64: capture it instead of formatting and parsing its `Display`.
#[must_use]
pub fn task_id_u64(id: tokio::task::Id) -> u64 {
    let mut h = CaptureU64(0);
    id.hash(&mut h);
    h.0
}

struct CaptureU64(u64);

impl Hasher for CaptureU64 {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not reached for task ids; fold anything else in so ids stay distinct.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_display() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let handle = rt.spawn(async {});
        let id = handle.id();
        assert_eq!(task_id_u64(id).to_string(), id.to_string());
    }
}
