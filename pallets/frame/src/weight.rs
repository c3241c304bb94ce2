//! Weights: what executing a transaction costs, counted deterministically.
//!
//! Every storage access a state transition makes goes through [`crate::externalities`], which charges it to the
//! current [`Meter`]: a read, a scanned entry, a write, a deleted key or a deposited event, each with a fixed
//! cost plus a cost per byte (key and value). The count is *logical*: a read answered by the overlay costs the
//! same as one answered by the backend, and no cache of the node changes it, so every validator computes the
//! same weight for the same transaction on the same state. A [`Weight`] is that count in one number, in units
//! calibrated so that one unit is at most about one nanosecond of release-build execution on the reference
//! machine (see `runtime/benches/weights.rs` and BENCHMARKS.md).
//!
//! A write costs more the first time its key is written in the block ([`TREE_WRITE`]): that is when the key
//! becomes one more leaf of the state tree to hash at the end of the block; writing it again only replaces the
//! pending value. Whether a key was already written is a fact of the block's overlay, the same on every node.
//!
//! A meter has a limit. Going past it aborts the state transition at once (see
//! [`crate::externalities::metered`]): no pallet code has to check for it, and no loop over state can run
//! longer than the limit allows, whatever the state holds. [`crate::externalities::reserve`] lets code that
//! knows how much it is about to read (a container's child count) refuse before reading it.

use parity_scale_codec::{Decode, Encode};

/// The cost of a state read (a `get`, or the seek of a prefix scan), before its bytes. Kept above what the
/// in-memory bench measures: the node reads RocksDB.
pub const READ: Weight = Weight(1_000);
/// The cost of each entry a prefix scan returns, before its bytes.
pub const SCAN_ENTRY: Weight = Weight(200);
/// The cost of a write or deletion (the overlay and its journal), before its bytes.
pub const WRITE: Weight = Weight(2_000);
/// What a write or deletion costs on top of [`WRITE`] when its key was not yet written in this block: one more
/// leaf of the state tree to hash when the block ends.
pub const TREE_WRITE: Weight = Weight(8_000);
/// The cost of a deposited event (hashed into `events_root`, indexed by the node), before its bytes.
pub const EVENT: Weight = Weight(1_000);
/// The cost of each byte read (key and value).
pub const READ_BYTE: Weight = Weight(1);
/// The cost of each byte written (key and value) or deposited as an event.
pub const WRITE_BYTE: Weight = Weight(4);

/// A cost in weight units (about a nanosecond of release-build execution on the reference machine each).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default, Encode, Decode)]
pub struct Weight(pub u64);

impl Weight {
    /// Nothing.
    pub const ZERO: Weight = Weight(0);
    /// No limit.
    pub const MAX: Weight = Weight(u64::MAX);

    /// `self + other`, saturating at [`Weight::MAX`].
    pub const fn saturating_add(self, other: Weight) -> Weight {
        Weight(self.0.saturating_add(other.0))
    }

    /// `self - other`, or zero.
    pub const fn saturating_sub(self, other: Weight) -> Weight {
        Weight(self.0.saturating_sub(other.0))
    }

    /// `self × n`, saturating.
    pub const fn saturating_mul(self, n: u64) -> Weight {
        Weight(self.0.saturating_mul(n))
    }

    /// The units.
    pub const fn units(self) -> u64 {
        self.0
    }

    /// The cost of reading one value of `bytes` key and value bytes.
    pub const fn read(bytes: usize) -> Weight {
        READ.saturating_add(READ_BYTE.saturating_mul(bytes as u64))
    }

    /// The cost of one entry of `bytes` key and value bytes returned by a prefix scan.
    pub const fn scan_entry(bytes: usize) -> Weight {
        SCAN_ENTRY.saturating_add(READ_BYTE.saturating_mul(bytes as u64))
    }

    /// The cost of writing (or deleting) one value of `bytes` key and value bytes whose key was already written
    /// in this block.
    pub const fn write(bytes: usize) -> Weight {
        WRITE.saturating_add(WRITE_BYTE.saturating_mul(bytes as u64))
    }

    /// The cost of writing (or deleting) one value of `bytes` key and value bytes whose key is written for the
    /// first time in this block.
    pub const fn first_write(bytes: usize) -> Weight {
        Self::write(bytes).saturating_add(TREE_WRITE)
    }

    /// The cost of depositing one event of `bytes` bytes.
    pub const fn event(bytes: usize) -> Weight {
        EVENT.saturating_add(WRITE_BYTE.saturating_mul(bytes as u64))
    }
}

impl std::fmt::Display for Weight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How many accesses of each kind a meter counted (for tests, benches and diagnostics; the weight is what
/// limits).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Usage {
    /// Values read (`get`) and prefix scans started.
    pub reads: u64,
    /// Entries returned by prefix scans.
    pub scanned: u64,
    /// Values written or deleted.
    pub writes: u64,
    /// Events deposited.
    pub events: u64,
    /// Key and value bytes read.
    pub read_bytes: u64,
    /// Key and value bytes written, and event bytes.
    pub write_bytes: u64,
}

/// The weight used so far against a limit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Meter {
    /// Weight charged so far.
    pub used: Weight,
    /// The limit `used` may not pass.
    pub limit: Weight,
    /// What was counted.
    pub usage: Usage,
}

impl Default for Meter {
    fn default() -> Self {
        Self::unlimited()
    }
}

/// The payload a meter unwinds with when its limit is passed; caught by
/// [`crate::externalities::metered`] and by nothing else.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Exhausted {
    /// Weight charged when the limit was passed (more than `limit`).
    pub used: Weight,
    /// The limit that was passed.
    pub limit: Weight,
}

impl Meter {
    /// A meter that counts but never stops (genesis, queries, tests).
    pub const fn unlimited() -> Self {
        Self {
            used: Weight::ZERO,
            limit: Weight::MAX,
            usage: Usage {
                reads: 0,
                scanned: 0,
                writes: 0,
                events: 0,
                read_bytes: 0,
                write_bytes: 0,
            },
        }
    }

    /// Whether `more` still fits under the limit.
    pub fn fits(&self, more: Weight) -> bool {
        self.used.saturating_add(more) <= self.limit
    }

    /// Adds `cost`; `Err` when the total passed the limit (the cost is counted either way).
    pub fn charge(&mut self, cost: Weight) -> Result<(), Exhausted> {
        self.used = self.used.saturating_add(cost);
        if self.used > self.limit {
            Err(Exhausted {
                used: self.used,
                limit: self.limit,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charging_past_the_limit_fails_and_saturates() {
        let mut m = Meter {
            limit: Weight(10),
            ..Meter::unlimited()
        };
        assert!(m.fits(Weight(10)));
        assert!(!m.fits(Weight(11)));
        m.charge(Weight(10)).unwrap();
        assert_eq!(
            m.charge(Weight(1)),
            Err(Exhausted {
                used: Weight(11),
                limit: Weight(10)
            })
        );
        let mut u = Meter::unlimited();
        u.charge(Weight::MAX).unwrap();
        u.charge(Weight(5)).unwrap();
        assert_eq!(u.used, Weight::MAX);
    }

    #[test]
    fn costs_grow_with_bytes() {
        assert_eq!(Weight::read(0), READ);
        assert!(Weight::read(100) > Weight::read(10));
        assert!(Weight::write(0) > Weight::read(0));
        assert_eq!(
            Weight::first_write(7),
            Weight::write(7).saturating_add(TREE_WRITE)
        );
        assert_eq!(Weight::event(3), Weight(EVENT.0 + 3 * WRITE_BYTE.0));
    }
}
