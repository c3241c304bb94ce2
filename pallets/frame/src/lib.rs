//! # yima-frame
//!
//! The support layer every Yima pallet stands on, in the shape of Substrate's FRAME but small enough to read in
//! one sitting:
//!
//! - [`primitives`]: `AccountId` (an ed25519 public key), `Hash` (SHA-256), `BlockNumber`, `Moment`, `OrgId` and
//!   role sets.
//! - [`externalities`]: the execution environment a state transition runs in — the backend state, a transactional
//!   overlay of writes and the block's event buffer — installed per thread while a block or a test runs.
//! - [`storage`]: typed storage values, maps and double maps declared with [`storage!`], encoded with SCALE.
//! - [`state`]: the authenticated state behind a narrow [`state::StateBackend`] trait (a Jellyfish Merkle Tree), with
//!   an in-memory implementation for tests and tools; the node backs the same trait with RocksDB.
//! - [`origin`], [`error`], [`event`], [`pallet`]: what a call is dispatched with, how it fails, what it records and
//!   the hooks a pallet offers to the runtime.
//! - [`weight`]: what a state transition costs, counted per storage access, and the meter that stops it at a
//!   limit.
//! - [`testing`]: `TestExternalities`, [`assert_ok!`], [`assert_noop!`] (the error *and* an unchanged state root).
//!
//! Nothing here does I/O, reads a clock or draws randomness: a state transition is a pure function of the parent
//! state and the block.

pub mod error;
pub mod event;
pub mod externalities;
pub mod origin;
pub mod overlay;
pub mod pallet;
pub mod primitives;
pub mod state;
pub mod storage;
pub mod testing;
pub mod weight;

pub use error::{DispatchError, DispatchResult, ModuleError};
pub use event::{EventRecord, Phase};
pub use origin::{Origin, Signer};
pub use pallet::{GenesisBuild, GenesisError, Hooks};
pub use primitives::{sha256, AccountId, BlockNumber, Hash, Moment, OrgId, Role, Roles};
pub use weight::Weight;

/// Re-exported so the [`storage!`] macro and pallets use the one codec version the workspace pins.
pub use parity_scale_codec as codec;
