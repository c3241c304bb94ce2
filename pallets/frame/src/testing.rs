//! Test externalities and assertions in FRAME's shape: `new_test_ext().execute_with(|| { … })`,
//! [`assert_ok!`](crate::assert_ok) and [`assert_noop!`](crate::assert_noop).

use std::sync::Arc;

use crate::externalities::Externalities;
use crate::state::{MemoryState, StateBackend};

/// An in-memory chain state for tests: a committed genesis plus pending writes.
pub struct TestExternalities {
    state: Arc<MemoryState>,
    ext: Externalities,
}

impl TestExternalities {
    /// No state at all (not even a genesis).
    pub fn new_empty() -> Self {
        let state = Arc::new(MemoryState::new());
        Self {
            ext: Externalities::new(state.clone()),
            state,
        }
    }

    /// Runs `build` (genesis writes) and commits its writes as version 0; tests then run on top.
    pub fn from_genesis(build: impl FnOnce()) -> Self {
        let mut t = Self::new_empty();
        t.execute_with(build);
        t.commit();
        t
    }

    /// Runs `f` with this state installed.
    pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
        self.ext.execute_with(f)
    }

    /// Commits the pending writes as the next version and drops the events, as finishing a block would.
    pub fn commit(&mut self) {
        let version = self.state.version().map_or(0, |v| v + 1);
        let (changes, _) = self.ext.drain();
        let update = self
            .state
            .prepare(version, changes)
            .expect("test state update");
        self.state.commit(update).expect("test state commit");
    }

    /// The committed state.
    pub fn state(&self) -> &Arc<MemoryState> {
        &self.state
    }
}

/// The account of the named test key: an ed25519 key whose secret is the SHA-256 of `name`, so every mock and
/// test derives the same account for the same name.
pub fn test_account(name: &str) -> crate::AccountId {
    let key = ed25519_dalek::SigningKey::from_bytes(&crate::sha256(name.as_bytes()).0);
    key.verifying_key().into()
}

/// Asserts that a dispatch result is `Ok` (or `Ok(value)`).
#[macro_export]
macro_rules! assert_ok {
    ($e:expr $(,)?) => {
        match $e {
            Ok(_) => {}
            Err(e) => panic!("expected Ok, got Err({:?}) from `{}`", e, stringify!($e)),
        }
    };
    ($e:expr, $v:expr $(,)?) => {
        assert_eq!($e, Ok($v));
    };
}

/// Asserts that a call fails with `err` AND leaves the state root and the event buffer exactly as they were.
#[macro_export]
macro_rules! assert_noop {
    ($e:expr, $err:expr $(,)?) => {{
        let version = $crate::externalities::next_version();
        let root_before = $crate::externalities::pending_root(version);
        let events_before = $crate::externalities::event_count();
        let result = $e;
        assert_eq!(
            result.map(|_| ()),
            Err($crate::DispatchError::from($err)),
            "`{}` did not fail with the expected error",
            stringify!($e)
        );
        assert_eq!(
            $crate::externalities::pending_root(version),
            root_before,
            "`{}` failed but changed the state",
            stringify!($e)
        );
        assert_eq!(
            $crate::externalities::event_count(),
            events_before,
            "`{}` failed but deposited events",
            stringify!($e)
        );
    }};
}

#[cfg(test)]
mod tests {
    use crate::externalities as ext;
    use crate::{DispatchError, DispatchResult};

    use super::*;

    fn ok_call() -> DispatchResult {
        ext::set(b"k".to_vec(), vec![1]);
        Ok(())
    }

    fn bad_call_that_writes() -> DispatchResult {
        ext::set(b"k".to_vec(), vec![2]);
        Err(DispatchError::module("Test", "Nope"))
    }

    fn clean_bad_call() -> DispatchResult {
        Err(DispatchError::module("Test", "Nope"))
    }

    #[test]
    fn assert_noop_passes_for_a_clean_failure() {
        TestExternalities::from_genesis(|| ext::set(b"g".to_vec(), vec![0])).execute_with(|| {
            assert_ok!(ok_call());
            assert_noop!(clean_bad_call(), DispatchError::module("Test", "Nope"));
        });
    }

    #[test]
    #[should_panic(expected = "failed but changed the state")]
    fn assert_noop_catches_a_write_before_the_error() {
        TestExternalities::new_empty().execute_with(|| {
            assert_noop!(
                bad_call_that_writes(),
                DispatchError::module("Test", "Nope")
            );
        });
    }

    #[test]
    #[should_panic(expected = "did not fail with the expected error")]
    fn assert_noop_checks_the_error() {
        TestExternalities::new_empty().execute_with(|| {
            assert_noop!(clean_bad_call(), DispatchError::module("Test", "Other"));
        });
    }
}
