//! The execution environment of a state transition, installed for the current thread.
//!
//! A block (or a test) runs inside [`Externalities::execute_with`]: storage reads go to the overlay, then to the
//! backend's latest committed state; writes and events stay in the overlay until the caller takes them out.
//! Pallet code reaches the environment through the free functions of this module, as FRAME code reaches
//! `sp_io`. Nothing here touches a disk, a clock or a random source.
//!
//! Every access is charged to the externalities' [`Meter`] (see [`crate::weight`]); [`metered`] runs a closure
//! under a weight limit and aborts it, with every write and event it made undone, the moment it passes the limit.

use std::cell::RefCell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::event::{Phase, RawEvent};
use crate::overlay::{Change, Overlay};
use crate::state::{StateBackend, StateChanges, StateError, StateUpdate};
use crate::weight::{Exhausted, Meter, Weight};

/// Backend state, pending writes and the block's events.
pub struct Externalities {
    backend: Arc<dyn StateBackend>,
    overlay: Overlay,
    events: Vec<RawEvent>,
    /// Number of events at the start of each open transaction.
    event_marks: Vec<usize>,
    phase: Phase,
    meter: Meter,
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
            meter: Meter::unlimited(),
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

    /// The weight charged so far and what was counted.
    pub fn meter(&self) -> Meter {
        self.meter
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

/// Unwinds out of the current [`metered`] run: its limit was passed.
fn exhaust(e: Exhausted) -> ! {
    // `resume_unwind` skips the panic hook: this is control flow, caught by `metered`, not a crash.
    resume_unwind(Box::new(e))
}

/// Charges `cost` to the current meter (and counts it in `usage`), unwinding when the limit is passed.
fn charge(ext: &mut Externalities, cost: Weight) -> Result<(), Exhausted> {
    ext.meter.charge(cost)
}

/// The value of `key`: overlay first, then the committed state. Charged as one read of its key and value.
pub fn get(key: &[u8]) -> Option<Vec<u8>> {
    let (value, charged) = with(|ext| {
        let value = match ext.overlay.get(key) {
            Some(change) => change.clone(),
            None => ext.backend.get(key).unwrap_or_else(|e| backend_failure(e)),
        };
        let bytes = key.len() + value.as_ref().map_or(0, Vec::len);
        ext.meter.usage.reads += 1;
        ext.meter.usage.read_bytes += bytes as u64;
        let charged = charge(ext, Weight::read(bytes));
        (value, charged)
    });
    charged.unwrap_or_else(|e| exhaust(e));
    value
}

/// Whether `key` has a value.
pub fn exists(key: &[u8]) -> bool {
    get(key).is_some()
}

/// Writes `value` under `key`. Charged as one write of its key and value (more the first time the key is
/// written in these externalities: see [`crate::weight::TREE_WRITE`]).
pub fn set(key: Vec<u8>, value: Vec<u8>) {
    write(key, Some(value))
}

/// Deletes `key`. Charged as one write of its key (more the first time, as [`set`]).
pub fn clear(key: Vec<u8>) {
    write(key, None)
}

fn write(key: Vec<u8>, value: Change) {
    with(|ext| {
        let bytes = key.len() + value.as_ref().map_or(0, Vec::len);
        ext.meter.usage.writes += 1;
        ext.meter.usage.write_bytes += bytes as u64;
        let cost = if ext.overlay.get(&key).is_some() {
            Weight::write(bytes)
        } else {
            Weight::first_write(bytes)
        };
        let charged = charge(ext, cost);
        ext.overlay.set(key, value);
        charged
    })
    .unwrap_or_else(|e| exhaust(e))
}

/// Every `(key, value)` under `prefix`, merging pending writes over the committed state, in key order. Charged
/// as one read plus one scanned entry per pair returned, with their bytes.
pub fn scan_prefix(prefix: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let (pairs, charged) = with(|ext| {
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
        let pairs: Vec<(Vec<u8>, Vec<u8>)> = merged
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        let bytes: usize = pairs.iter().map(|(k, v)| k.len() + v.len()).sum();
        ext.meter.usage.reads += 1;
        ext.meter.usage.scanned += pairs.len() as u64;
        ext.meter.usage.read_bytes += (prefix.len() + bytes) as u64;
        let cost = Weight::read(prefix.len())
            .saturating_add(crate::weight::SCAN_ENTRY.saturating_mul(pairs.len() as u64))
            .saturating_add(crate::weight::READ_BYTE.saturating_mul(bytes as u64));
        let charged = charge(ext, cost);
        (pairs, charged)
    });
    charged.unwrap_or_else(|e| exhaust(e));
    pairs
}

/// Refuses, before doing it, work that would pass the current limit: unwinds out of the current [`metered`]
/// run when `cost` more does not fit (nothing is charged). Code that knows how much it is about to read — a
/// container's child count before scanning its contents — calls this so that an oversized walk is refused
/// before the first read.
pub fn reserve(cost: Weight) {
    with(|ext| {
        if ext.meter.fits(cost) {
            Ok(())
        } else {
            Err(Exhausted {
                used: ext.meter.used.saturating_add(cost),
                limit: ext.meter.limit,
            })
        }
    })
    .unwrap_or_else(|e| exhaust(e))
}

/// Charges `cost` to the current meter, unwinding out of the current [`metered`] run when it passes the limit:
/// for work that is not a storage access (the executive's base weight of a transaction).
pub fn consume(cost: Weight) {
    with(|ext| charge(ext, cost)).unwrap_or_else(|e| exhaust(e))
}

/// The current meter: weight charged so far in these externalities, against the limit in force.
pub fn meter() -> Meter {
    with(|ext| ext.meter)
}

/// Runs `f` with at most `limit` more weight. `Ok((result, weight used))` when it returns within the limit;
/// `Err` the moment it passes the limit — then every write and event `f` made is undone, as if it had never
/// run, and `Exhausted` reports the weight used (relative to the start, so more than `limit`) and `limit`.
///
/// Other panics pass through untouched. Requires the default `panic = "unwind"`.
pub fn metered<T>(limit: Weight, f: impl FnOnce() -> T) -> Result<(T, Weight), Exhausted> {
    let (start, outer_limit, depth, marks, events) = with(|ext| {
        let start = ext.meter.used;
        let outer = ext.meter.limit;
        ext.meter.limit = start.saturating_add(limit).min(outer);
        let depth = ext.overlay.transaction_depth();
        ext.overlay.start_transaction();
        (start, outer, depth, ext.event_marks.len(), ext.events.len())
    });
    let result = catch_unwind(AssertUnwindSafe(f));
    let used = with(|ext| {
        ext.meter.limit = outer_limit;
        match &result {
            Ok(_) => ext.overlay.commit_transaction(),
            Err(_) => {
                while ext.overlay.transaction_depth() > depth {
                    ext.overlay.rollback_transaction();
                }
                ext.event_marks.truncate(marks);
                ext.events.truncate(events);
            }
        }
        ext.meter.used.saturating_sub(start)
    });
    match result {
        Ok(value) => Ok((value, used)),
        Err(payload) => match payload.downcast::<Exhausted>() {
            // An enclosing run's limit was passed, not ours: it is that run's to catch.
            Ok(e) if e.limit < start.saturating_add(limit) => resume_unwind(e),
            Ok(e) => Err(Exhausted {
                used: e.used.saturating_sub(start),
                limit,
            }),
            Err(other) => resume_unwind(other),
        },
    }
}

/// Records an event (SCALE bytes of the runtime event) in the current phase.
/// Charged as one event of its bytes.
pub fn deposit_event(event: Vec<u8>) {
    with(|ext| {
        let bytes = event.len();
        ext.meter.usage.events += 1;
        ext.meter.usage.write_bytes += bytes as u64;
        let charged = charge(ext, Weight::event(bytes));
        let phase = ext.phase;
        ext.events.push(RawEvent { phase, event });
        charged
    })
    .unwrap_or_else(|e| exhaust(e))
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
    fn metered_run_past_its_limit_is_undone_and_reports_used_and_limit() {
        let mut ext = Externalities::new(Arc::new(MemoryState::new()));
        ext.execute_with(|| {
            set(b"kept".to_vec(), vec![1]);
            let reads = std::cell::Cell::new(0u32);
            let limit = Weight::first_write(4).saturating_add(Weight::read(4).saturating_mul(10));
            let r = metered(limit, || {
                set(b"gone".to_vec(), vec![]);
                deposit_event(vec![7]);
                // A nested storage transaction left open by the abort must be closed too.
                let _: Result<(), ()> = transactional(|| {
                    set(b"also".to_vec(), vec![]);
                    loop {
                        get(b"kept");
                        reads.set(reads.get() + 1);
                    }
                });
            });
            let e = r.unwrap_err();
            assert_eq!(e.limit, limit);
            assert!(e.used > limit);
            assert!(
                reads.get() < 10,
                "stopped at the limit after {} reads",
                reads.get()
            );
            assert_eq!(get(b"gone"), None);
            assert_eq!(get(b"also"), None);
            assert_eq!(get(b"kept"), Some(vec![1]));
            assert_eq!(event_count(), 0);
            let ((), used) = metered(limit, || set(b"in".to_vec(), vec![])).unwrap();
            assert_eq!(used, Weight::first_write(2));
            let ((), used) = metered(limit, || set(b"in".to_vec(), vec![1])).unwrap();
            assert_eq!(
                used,
                Weight::write(3),
                "written before in this block: no new tree leaf"
            );
            assert_eq!(get(b"in"), Some(vec![1]));
        });
        assert!(ext.overlay().transaction_depth() == 0);
    }

    #[test]
    fn reserve_refuses_before_the_work_and_other_panics_pass_through() {
        let mut ext = Externalities::new(Arc::new(MemoryState::new()));
        ext.execute_with(|| {
            let before = meter().used;
            let r = metered(Weight(100), || reserve(Weight(101)));
            assert_eq!(r.unwrap_err().used, Weight(101));
            assert_eq!(meter().used, before, "reserve charges nothing");
            let r = std::panic::catch_unwind(|| metered(Weight::MAX, || panic!("a bug")));
            assert!(r.is_err());
        });
    }

    #[test]
    fn accesses_are_counted_whether_the_overlay_or_the_backend_answers() {
        let state = Arc::new(MemoryState::new());
        state
            .commit(
                state
                    .prepare(0, vec![(b"a".to_vec(), Some(vec![1]))])
                    .unwrap(),
            )
            .unwrap();
        let mut ext = Externalities::new(state);
        ext.execute_with(|| {
            let ((), from_backend) = metered(Weight::MAX, || {
                get(b"a");
            })
            .unwrap();
            set(b"b".to_vec(), vec![1]);
            let ((), from_overlay) = metered(Weight::MAX, || {
                get(b"b");
            })
            .unwrap();
            assert_eq!(from_backend, from_overlay);
            assert_eq!(from_backend, Weight::read(2));
        });
        assert_eq!(ext.meter().usage.reads, 2);
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
