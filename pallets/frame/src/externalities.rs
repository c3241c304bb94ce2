//! The execution environment of a state transition, installed for the current thread.
//!
//! A block (or a test) runs inside [`Externalities::execute_with`]: storage reads go to the overlay, then to the
//! backend's latest committed state; writes and events stay in the overlay until the caller takes them out.
//! Pallet code reaches the environment through the free functions of this module, as FRAME code reaches
//! `sp_io`. Nothing here touches a disk, a clock or a random source.

use std::cell::RefCell;
use std::sync::Arc;

use crate::event::{Phase, RawEvent};
use crate::overlay::{Change, Overlay};
use crate::state::{StateBackend, StateChanges, StateError, StateUpdate};

/// Backend state, pending writes and the block's events.
pub struct Externalities {
    backend: Arc<dyn StateBackend>,
    overlay: Overlay,
    events: Vec<RawEvent>,
    /// Number of events at the start of each open transaction.
    event_marks: Vec<usize>,
    phase: Phase,
}

thread_local! {
    static CURRENT: RefCell<Option<Externalities>> = const { RefCell::new(None) };
}

/// Puts the externalities back where they came from even when the closure panics.
struct Restore<'a> {
    slot: &'a mut Externalities,
    previous: Option<Externalities>,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let ours = CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), previous));
        if let Some(ours) = ours {
            *self.slot = ours;
        }
    }
}

impl Externalities {
    /// Fresh externalities over `backend` with nothing written.
    pub fn new(backend: Arc<dyn StateBackend>) -> Self {
        Self {
            backend,
            overlay: Overlay::default(),
            events: Vec::new(),
            event_marks: Vec::new(),
            phase: Phase::Initialization,
        }
    }

    /// Runs `f` with these externalities installed for the current thread (nesting is allowed; the outer ones
    /// come back afterwards).
    pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let placeholder = Externalities::new(self.backend.clone());
        let mine = std::mem::replace(self, placeholder);
        let previous = CURRENT.with(|c| c.borrow_mut().replace(mine));
        let _restore = Restore {
            slot: self,
            previous,
        };
        f()
    }

    /// The backend these externalities read from.
    pub fn backend(&self) -> &Arc<dyn StateBackend> {
        &self.backend
    }

    /// The pending writes.
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The events deposited so far.
    pub fn events(&self) -> &[RawEvent] {
        &self.events
    }

    /// Takes the writes and events out, leaving the externalities empty.
    pub fn drain(&mut self) -> (StateChanges, Vec<RawEvent>) {
        let overlay = std::mem::take(&mut self.overlay);
        self.event_marks.clear();
        (overlay.into_changes(), std::mem::take(&mut self.events))
    }

    /// The tree update that committing the pending writes as `version` would make (nothing is written).
    pub fn prepare(&self, version: u64) -> Result<StateUpdate, StateError> {
        let changes = self
            .overlay
            .changes()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.backend.prepare(version, changes)
    }
}

fn with<R>(f: impl FnOnce(&mut Externalities) -> R) -> R {
    CURRENT.with(|c| {
        let mut guard = c.borrow_mut();
        let ext = guard.as_mut().expect(
            "no externalities: storage is only reachable inside Externalities::execute_with \
             (the executive or TestExternalities)",
        );
        f(ext)
    })
}

fn backend_failure(e: StateError) -> ! {
    // A state read that fails is not a property of the block: executing on would give a wrong result, so the
    // node must stop and recover from its database or its peers.
    panic!("state backend failed during execution: {e}")
}

/// The value of `key`: overlay first, then the committed state.
pub fn get(key: &[u8]) -> Option<Vec<u8>> {
    with(|ext| match ext.overlay.get(key) {
        Some(change) => change.clone(),
        None => ext.backend.get(key).unwrap_or_else(|e| backend_failure(e)),
    })
}

/// Whether `key` has a value.
pub fn exists(key: &[u8]) -> bool {
    get(key).is_some()
}

/// Writes `value` under `key`.
pub fn set(key: Vec<u8>, value: Vec<u8>) {
    with(|ext| ext.overlay.set(key, Some(value)))
}

/// Deletes `key`.
pub fn clear(key: Vec<u8>) {
    with(|ext| ext.overlay.set(key, None))
}

/// Every `(key, value)` under `prefix`, merging pending writes over the committed state, in key order.
pub fn scan_prefix(prefix: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    with(|ext| {
        let mut merged: std::collections::BTreeMap<Vec<u8>, Change> = ext
            .backend
            .scan_prefix(prefix)
            .unwrap_or_else(|e| backend_failure(e))
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        for (k, change) in ext.overlay.changes_with_prefix(prefix) {
            merged.insert(k.clone(), change.clone());
        }
        merged
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    })
}

/// Records an event (SCALE bytes of the runtime event) in the current phase.
pub fn deposit_event(event: Vec<u8>) {
    with(|ext| {
        let phase = ext.phase;
        ext.events.push(RawEvent { phase, event });
    })
}

/// Sets the phase that following events are recorded in.
pub fn set_phase(phase: Phase) {
    with(|ext| ext.phase = phase)
}

/// The events deposited so far in this block.
pub fn events() -> Vec<RawEvent> {
    with(|ext| ext.events.clone())
}

/// How many events were deposited so far in this block.
pub fn event_count() -> usize {
    with(|ext| ext.events.len())
}

/// The last event deposited, if any.
pub fn last_event() -> Option<RawEvent> {
    with(|ext| ext.events.last().cloned())
}

/// Runs `f` in a storage transaction: its writes and events are kept when it returns `Ok`, and dropped —
/// exactly as if it had never run — when it returns `Err`.
pub fn transactional<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    with(|ext| {
        ext.overlay.start_transaction();
        ext.event_marks.push(ext.events.len());
    });
    let result = f();
    with(|ext| {
        let mark = ext
            .event_marks
            .pop()
            .expect("event mark of this transaction");
        if result.is_ok() {
            ext.overlay.commit_transaction();
        } else {
            ext.overlay.rollback_transaction();
            ext.events.truncate(mark);
        }
    });
    result
}

/// The state root the pending writes would give as `version`, computed without writing. Used by
/// [`assert_noop!`](crate::assert_noop) and by tools; the executive prepares the update itself.
pub fn pending_root(version: u64) -> crate::Hash {
    with(|ext| {
        ext.prepare(version)
            .unwrap_or_else(|e| backend_failure(e))
            .root
    })
}

/// The version the pending writes would be committed as (the backend's version plus one).
pub fn next_version() -> u64 {
    with(|ext| ext.backend.version().map_or(0, |v| v + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MemoryState;

    #[test]
    fn failed_transaction_leaves_no_write_and_no_event() {
        let mut ext = Externalities::new(Arc::new(MemoryState::new()));
        ext.execute_with(|| {
            set(b"a".to_vec(), b"1".to_vec());
            deposit_event(vec![1]);
            let r: Result<(), ()> = transactional(|| {
                set(b"a".to_vec(), b"2".to_vec());
                deposit_event(vec![2]);
                Err(())
            });
            assert!(r.is_err());
            assert_eq!(get(b"a"), Some(b"1".to_vec()));
            assert_eq!(event_count(), 1);
        });
        assert_eq!(ext.events().len(), 1);
    }

    #[test]
    fn scan_merges_pending_over_committed() {
        let state = Arc::new(MemoryState::new());
        state
            .commit(
                state
                    .prepare(
                        0,
                        vec![
                            (b"p:a".to_vec(), Some(vec![1])),
                            (b"p:b".to_vec(), Some(vec![2])),
                        ],
                    )
                    .unwrap(),
            )
            .unwrap();
        let mut ext = Externalities::new(state);
        ext.execute_with(|| {
            clear(b"p:a".to_vec());
            set(b"p:c".to_vec(), vec![3]);
            let keys: Vec<_> = scan_prefix(b"p:").into_iter().map(|(k, _)| k).collect();
            assert_eq!(keys, vec![b"p:b".to_vec(), b"p:c".to_vec()]);
        });
    }

    #[test]
    fn externalities_come_back_after_a_panic() {
        let mut ext = Externalities::new(Arc::new(MemoryState::new()));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ext.execute_with(|| {
                set(b"x".to_vec(), vec![1]);
                panic!("boom");
            })
        }));
        assert!(r.is_err());
        assert!(!ext.overlay().is_empty());
    }
}
