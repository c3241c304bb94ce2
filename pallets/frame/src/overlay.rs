//! The transactional overlay: every write of a block lands here, never in the backend, until the block is
//! committed. Nested transactions keep an undo journal, so rolling one back restores exactly the values it
//! overwrote and a failed call leaves no write behind.

use std::collections::BTreeMap;

/// A pending value: `Some(bytes)` to set, `None` to delete.
pub type Change = Option<Vec<u8>>;

/// Writes made on top of a backend state, with nested transaction checkpoints.
#[derive(Default, Debug, Clone)]
pub struct Overlay {
    changes: BTreeMap<Vec<u8>, Change>,
    /// `(key, what the overlay held for key before the write)`, recorded only inside a transaction.
    journal: Vec<(Vec<u8>, Option<Change>)>,
    /// Journal length at the start of each open transaction.
    checkpoints: Vec<usize>,
}

impl Overlay {
    /// The overlay's view of `key`: `None` when the overlay does not know it (ask the backend), `Some(None)` when
    /// it was deleted, `Some(Some(v))` when it was written.
    pub fn get(&self, key: &[u8]) -> Option<&Change> {
        self.changes.get(key)
    }

    /// Records a write (or, with `None`, a deletion).
    pub fn set(&mut self, key: Vec<u8>, value: Change) {
        if self.checkpoints.is_empty() {
            self.changes.insert(key, value);
        } else {
            let previous = self.changes.insert(key.clone(), value);
            self.journal.push((key, previous));
        }
    }

    /// Opens a nested transaction.
    pub fn start_transaction(&mut self) {
        self.checkpoints.push(self.journal.len());
    }

    /// Keeps the innermost transaction's writes (they become part of the enclosing one, if any).
    ///
    /// # Panics
    /// When no transaction is open: that is a bug in the caller, not bad input.
    pub fn commit_transaction(&mut self) {
        self.checkpoints
            .pop()
            .expect("commit_transaction without an open transaction");
        if self.checkpoints.is_empty() {
            self.journal.clear();
        }
    }

    /// Undoes every write of the innermost transaction.
    ///
    /// # Panics
    /// When no transaction is open.
    pub fn rollback_transaction(&mut self) {
        let mark = self
            .checkpoints
            .pop()
            .expect("rollback_transaction without an open transaction");
        for (key, previous) in self.journal.drain(mark..).rev() {
            match previous {
                Some(change) => self.changes.insert(key, change),
                None => self.changes.remove(&key),
            };
        }
    }

    /// How many transactions are open.
    pub fn transaction_depth(&self) -> usize {
        self.checkpoints.len()
    }

    /// The overlay's changes under `prefix`, in key order.
    pub fn changes_with_prefix<'a>(
        &'a self,
        prefix: &'a [u8],
    ) -> impl Iterator<Item = (&'a Vec<u8>, &'a Change)> + 'a {
        self.changes
            .range(prefix.to_vec()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// All changes in key order; what the block hands to the state backend.
    ///
    /// # Panics
    /// When a transaction is still open: its writes are not final yet.
    pub fn into_changes(self) -> Vec<(Vec<u8>, Change)> {
        assert!(
            self.checkpoints.is_empty(),
            "the overlay was drained with a transaction still open"
        );
        self.changes.into_iter().collect()
    }

    /// The changes in key order without consuming the overlay.
    pub fn changes(&self) -> impl Iterator<Item = (&Vec<u8>, &Change)> {
        self.changes.iter()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn rollback_restores_exactly_what_was_overwritten() {
        let mut o = Overlay::default();
        o.set(k("a"), Some(k("1")));
        o.start_transaction();
        o.set(k("a"), Some(k("2")));
        o.set(k("b"), Some(k("3")));
        o.set(k("a"), None);
        o.rollback_transaction();
        assert_eq!(o.get(b"a"), Some(&Some(k("1"))));
        assert_eq!(o.get(b"b"), None);
    }

    #[test]
    fn nested_commit_then_outer_rollback_undoes_both() {
        let mut o = Overlay::default();
        o.start_transaction();
        o.set(k("a"), Some(k("1")));
        o.start_transaction();
        o.set(k("b"), Some(k("2")));
        o.commit_transaction();
        assert_eq!(o.transaction_depth(), 1);
        o.rollback_transaction();
        assert!(o.is_empty());
    }

    #[test]
    fn prefix_scan_stays_inside_the_prefix() {
        let mut o = Overlay::default();
        for key in ["p:a", "p:b", "q:a", "p"] {
            o.set(k(key), Some(vec![]));
        }
        let keys: Vec<_> = o
            .changes_with_prefix(b"p:")
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(keys, vec![k("p:a"), k("p:b")]);
    }
}
