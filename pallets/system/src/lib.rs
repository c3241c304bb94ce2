//! # System pallet
//!
//! What every block needs regardless of domain: its number, parent hash and timestamp, each account's nonce, the
//! block limits, and one `ExtrinsicSuccess` or `ExtrinsicFailed { error }` event for every applied transaction so
//! that every refusal is on chain, signed and auditable (DOMAIN.md §5).
//!
//! The block's events themselves live in the externalities' event buffer, not in state: they are committed by the
//! header's `events_root` and indexed by the node.

use std::fmt::Debug;
use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode, FullCodec};
use serde::{Deserialize, Serialize};
use yima_frame::externalities as ext;
use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{
    storage, AccountId, BlockNumber, DispatchError, DispatchResult, EventRecord, GenesisBuild,
    GenesisError, Hash, Moment, Phase, Weight,
};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "System";

/// What the runtime supplies to the system pallet.
pub trait Config: 'static {
    /// The runtime's event enum, which wraps this pallet's [`Event`].
    type RuntimeEvent: FullCodec + Clone + PartialEq + Debug + From<Event>;
}

storage! {
    pallet "System";
    /// The number of the block being executed (or last executed).
    pub Number: value BlockNumber;
    /// The timestamp of the block being executed, from its header.
    pub Now: value Moment;
    /// The hash of the parent of the block being executed.
    pub ParentHash: value Hash;
    /// The next nonce each account must use.
    pub Nonces: map AccountId => u64;
    /// Size and count limits of a block and a transaction.
    pub Limits: value BlockLimits;
}

/// Limits a block and its transactions must respect; a policy parameter set in genesis. Fields left out of a
/// chain spec take their defaults.
///
/// The weight limits are consensus rules (see `yima_frame::weight` for what a unit costs, and
/// `runtime/benches/weights.rs` for how the defaults were sized): a transaction is stopped the moment it
/// passes `max_transaction_weight` (and included as failed), and a block whose transactions weigh more than
/// `max_block_weight` in total is invalid. The defaults keep a full block's execution near 0.5 s on the
/// reference machine (≥ 8,000 one-event custody transactions, more than twice the 4-validator node's measured
/// maximum per block), so that a block full of the heaviest work a member can send still leaves honest
/// transactions their latency; a transaction may take 0.1 s (packing or unpacking about 3,500 items at once:
/// bigger containers are filled or emptied in several transactions).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlockLimits {
    /// Most transactions in one block.
    pub max_transactions: u32,
    /// Most bytes of one encoded transaction.
    pub max_transaction_bytes: u32,
    /// Most bytes of a whole encoded block body.
    pub max_block_bytes: u32,
    /// Most weight one transaction may use (weight units, see `yima_frame::weight`).
    pub max_transaction_weight: u64,
    /// Most weight all transactions of one block may use together.
    pub max_block_weight: u64,
    /// How many blocks past the block it enters a transaction may stay valid: `valid_until` may be at most
    /// the block number plus this.
    pub max_validity_blocks: u64,
}

/// The default [`BlockLimits::max_transaction_weight`].
pub const DEFAULT_MAX_TRANSACTION_WEIGHT: u64 = 100_000_000;
/// The default [`BlockLimits::max_block_weight`].
pub const DEFAULT_MAX_BLOCK_WEIGHT: u64 = 500_000_000;
/// The default [`BlockLimits::max_validity_blocks`] (a day at one block every 3 s; the client signs for 14,400
/// blocks by default).
pub const DEFAULT_MAX_VALIDITY_BLOCKS: u64 = 28_800;

impl Default for BlockLimits {
    fn default() -> Self {
        Self {
            max_transactions: 10_000,
            max_transaction_bytes: 256 * 1024,
            max_block_bytes: 4 * 1024 * 1024,
            max_transaction_weight: DEFAULT_MAX_TRANSACTION_WEIGHT,
            max_block_weight: DEFAULT_MAX_BLOCK_WEIGHT,
            max_validity_blocks: DEFAULT_MAX_VALIDITY_BLOCKS,
        }
    }
}

impl BlockLimits {
    /// The per-transaction weight limit.
    pub fn transaction_weight(&self) -> Weight {
        Weight(self.max_transaction_weight)
    }

    /// The block weight limit.
    pub fn block_weight(&self) -> Weight {
        Weight(self.max_block_weight)
    }

    /// The weight a transaction of `bytes` encoded bytes costs before its call runs (decoding, signature check,
    /// nonce and signer look-ups, hashing into the block): charged first, inside its limit.
    pub fn transaction_base_weight(bytes: usize) -> Weight {
        TRANSACTION_BASE.saturating_add(TRANSACTION_BYTE.saturating_mul(bytes as u64))
    }
}

/// What every transaction costs before its call: its share of a batched ed25519 verification (~10 µs; 28 µs
/// alone) and bookkeeping.
pub const TRANSACTION_BASE: Weight = Weight(20_000);
/// What every byte of a transaction costs (decoding, hashing into `extrinsics_root` and the signing payload).
pub const TRANSACTION_BYTE: Weight = Weight(5);

/// Events of the system pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// The transaction at this phase's index was applied and its call succeeded.
    #[codec(index = 0)]
    ExtrinsicSuccess,
    /// The transaction at this phase's index was included (nonce consumed) but its call was refused; none of its
    /// writes were kept.
    #[codec(index = 1)]
    ExtrinsicFailed {
        /// Why the call was refused.
        error: DispatchError,
    },
}

/// Genesis configuration of the system pallet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    /// Block limits (defaults apply when omitted).
    #[serde(default)]
    pub limits: BlockLimits,
}

impl GenesisBuild for GenesisConfig {
    fn build(&self) -> Result<(), GenesisError> {
        let l = self.limits;
        if l.max_transactions == 0 || l.max_transaction_bytes == 0 {
            return Err(GenesisError::new(
                PALLET,
                "block limits must allow at least one transaction of at least one byte",
            ));
        }
        if l.max_block_bytes < l.max_transaction_bytes {
            return Err(GenesisError::new(
                PALLET,
                "max_block_bytes must be at least max_transaction_bytes",
            ));
        }
        let largest = BlockLimits::transaction_base_weight(l.max_transaction_bytes as usize);
        if l.transaction_weight() < largest.saturating_mul(2) {
            return Err(GenesisError::new(
                PALLET,
                "max_transaction_weight must be at least twice the base weight of a transaction of \
                 max_transaction_bytes (raise it, or lower max_transaction_bytes)",
            ));
        }
        if l.max_block_weight < l.max_transaction_weight {
            return Err(GenesisError::new(
                PALLET,
                "max_block_weight must be at least max_transaction_weight",
            ));
        }
        if l.max_validity_blocks == 0 {
            return Err(GenesisError::new(
                PALLET,
                "max_validity_blocks must be at least 1 so that a transaction can be valid for the next block",
            ));
        }
        Limits::put(&l);
        Number::put(&0);
        Now::put(&0);
        ParentHash::put(&Hash::default());
        Ok(())
    }
}

/// The system pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    /// Starts block `number`: records its number, parent and time, and moves events to the initialization phase.
    pub fn initialize(number: BlockNumber, parent_hash: Hash, timestamp: Moment) {
        Number::put(&number);
        ParentHash::put(&parent_hash);
        Now::put(&timestamp);
        ext::set_phase(Phase::Initialization);
    }

    /// The current block number.
    pub fn block_number() -> BlockNumber {
        Number::get_or_default()
    }

    /// The current block's timestamp (ms UTC).
    pub fn now() -> Moment {
        Now::get_or_default()
    }

    /// The current block's parent hash.
    pub fn parent_hash() -> Hash {
        ParentHash::get_or_default()
    }

    /// The block limits in force.
    pub fn limits() -> BlockLimits {
        Limits::get().unwrap_or_default()
    }

    /// The nonce `who` must use next.
    pub fn account_nonce(who: &AccountId) -> u64 {
        Nonces::get(who).unwrap_or(0)
    }

    /// Consumes `who`'s current nonce.
    pub fn inc_account_nonce(who: &AccountId) {
        Nonces::insert(who, &(Self::account_nonce(who) + 1));
    }

    /// Sets `who`'s next nonce (key rotation carries the old key's nonce over to the new key).
    pub fn set_account_nonce(who: &AccountId, nonce: u64) {
        Nonces::insert(who, &nonce);
    }

    /// Records an event of any pallet in the current phase.
    pub fn deposit_event(event: impl Into<T::RuntimeEvent>) {
        ext::deposit_event(event.into().encode());
    }

    /// Records the outcome of the transaction at `index` of the block body.
    pub fn note_applied(index: u32, outcome: &DispatchResult) {
        ext::set_phase(Phase::ApplyExtrinsic(index));
        let event = match outcome {
            Ok(()) => Event::ExtrinsicSuccess,
            Err(error) => Event::ExtrinsicFailed {
                error: error.clone(),
            },
        };
        Self::deposit_event(event);
    }

    /// The events deposited in this block so far, decoded.
    ///
    /// # Panics
    /// When an event does not decode as `T::RuntimeEvent` (events of another runtime): a bug, not bad input.
    pub fn events() -> Vec<EventRecord<T::RuntimeEvent>> {
        ext::events()
            .iter()
            .map(|raw| raw.decode().expect("events are encoded runtime events"))
            .collect()
    }

    /// Test helper: asserts that the last event is `event`.
    ///
    /// # Panics
    /// When it is not.
    pub fn assert_last_event(event: impl Into<T::RuntimeEvent>) {
        let expected = event.into();
        let last = Self::events().pop().map(|r| r.event);
        assert_eq!(last.as_ref(), Some(&expected), "unexpected last event");
    }

    /// Test helper: asserts that `event` was deposited in this block.
    ///
    /// # Panics
    /// When it was not.
    pub fn assert_has_event(event: impl Into<T::RuntimeEvent>) {
        let expected = event.into();
        let events = Self::events();
        assert!(
            events.iter().any(|r| r.event == expected),
            "event {expected:?} not found in {events:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yima_frame::testing::TestExternalities;

    struct Test;
    impl Config for Test {
        type RuntimeEvent = Event;
    }
    type System = Pallet<Test>;

    fn new_test_ext() -> TestExternalities {
        TestExternalities::from_genesis(|| GenesisConfig::default().build().unwrap())
    }

    #[test]
    fn nonces_start_at_zero_and_count_up() {
        new_test_ext().execute_with(|| {
            let who = AccountId([1; 32]);
            assert_eq!(System::account_nonce(&who), 0);
            System::inc_account_nonce(&who);
            System::inc_account_nonce(&who);
            assert_eq!(System::account_nonce(&who), 2);
        });
    }

    #[test]
    fn outcomes_become_events_with_their_extrinsic_index() {
        new_test_ext().execute_with(|| {
            System::initialize(1, Hash([9; 32]), 1_000);
            System::note_applied(0, &Ok(()));
            let err = DispatchError::module("Membership", "UnknownAccount");
            System::note_applied(1, &Err(err.clone()));
            let events = System::events();
            assert_eq!(events.len(), 2);
            assert_eq!(events[0].phase, Phase::ApplyExtrinsic(0));
            assert_eq!(events[1].phase, Phase::ApplyExtrinsic(1));
            System::assert_last_event(Event::ExtrinsicFailed { error: err });
            System::assert_has_event(Event::ExtrinsicSuccess);
            assert_eq!((System::block_number(), System::now()), (1, 1_000));
            assert_eq!(System::parent_hash(), Hash([9; 32]));
        });
    }

    #[test]
    fn genesis_refuses_limits_that_admit_nothing() {
        TestExternalities::new_empty().execute_with(|| {
            let bad = GenesisConfig {
                limits: BlockLimits {
                    max_transactions: 0,
                    ..Default::default()
                },
            };
            assert!(bad.build().is_err());
            let bad = GenesisConfig {
                limits: BlockLimits {
                    max_block_bytes: 1,
                    ..Default::default()
                },
            };
            assert!(bad.build().is_err());
            for bad in [
                BlockLimits {
                    max_block_weight: DEFAULT_MAX_TRANSACTION_WEIGHT - 1,
                    ..Default::default()
                },
                BlockLimits {
                    max_transaction_weight: 1,
                    ..Default::default()
                },
                BlockLimits {
                    max_validity_blocks: 0,
                    ..Default::default()
                },
            ] {
                assert!(GenesisConfig { limits: bad }.build().is_err(), "{bad:?}");
            }
        });
    }

    #[test]
    fn limits_left_out_of_a_spec_take_their_defaults() {
        let limits: BlockLimits = serde_json::from_str(r#"{"max_transactions": 5}"#).unwrap();
        assert_eq!(
            limits,
            BlockLimits {
                max_transactions: 5,
                ..Default::default()
            }
        );
        assert!(serde_json::from_str::<BlockLimits>(r#"{"max_weight": 5}"#).is_err());
    }
}
