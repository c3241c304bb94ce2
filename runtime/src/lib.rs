//! # yima-runtime
//!
//! The state transition function of Yima. It composes the pallets into [`RuntimeCall`] and [`RuntimeEvent`],
//! defines what goes on the wire ([`SignedTransaction`], [`Header`], [`Block`]) and runs blocks through the
//! [`Executive`]: validate a transaction, apply it, build a block from a list of transactions, execute a received
//! block and check every root in its header.
//!
//! The runtime is deterministic: no clock, no randomness, no I/O. State comes in through
//! [`yima_frame::state::StateBackend`] and leaves as a [`yima_frame::state::StateUpdate`] for the caller to
//! commit (the node in one RocksDB write batch with the block).

pub mod alerts;
pub mod call_codes;
pub mod composition;
pub mod executive;
pub mod fill;
pub mod genesis;
pub mod governance;
pub mod header;
pub mod merkle;
pub mod outcome;
pub mod query;
pub mod transaction;
mod validity;

pub use composition::{describe_error, Runtime, RuntimeCall, RuntimeEvent};
pub use executive::{
    BlockError, BuiltBlock, ChainContext, ExecutedBlock, Executive, InvalidTransaction, StopNow,
};
pub use genesis::{build_genesis, Genesis, RuntimeGenesisConfig};
pub use header::{Block, Header};
pub use transaction::SignedTransaction;

/// The version of the state transition rules. A signature covers it, so a transaction signed for one version is
/// refused by another; bump it whenever the meaning of a call or of state changes.
pub const SPEC_VERSION: u32 = 1;

/// The system pallet as configured in this runtime.
pub type System = yima_system::Pallet<Runtime>;
/// The membership pallet as configured in this runtime.
pub type Membership = yima_membership::Pallet<Runtime>;
/// The trace pallet as configured in this runtime.
pub type Trace = yima_trace::Pallet<Runtime>;
/// The attestation pallet as configured in this runtime.
pub type Attestation = yima_attestation::Pallet<Runtime>;
/// The cold-chain pallet as configured in this runtime.
pub type ColdChain = yima_cold_chain::Pallet<Runtime>;
/// The food pallet as configured in this runtime.
pub type Food = yima_food::Pallet<Runtime>;
/// The drug pallet as configured in this runtime.
pub type Drug = yima_drug::Pallet<Runtime>;
/// The equipment pallet as configured in this runtime.
pub type Equipment = yima_equipment::Pallet<Runtime>;
