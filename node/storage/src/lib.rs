//! # yima-storage
//!
//! The node's storage on RocksDB (DESIGN.md §4): decided blocks with their commit certificates, the state
//! (a flat key-value view plus the Jellyfish Merkle Tree that commits it under `state_root`, every version
//! kept for proofs), the blocks' events, the indexes trace, recall and attestation look-ups read, and the
//! proposals consensus has not decided yet.
//!
//! ```text
//!                      ┌─ one WriteBatch per decided block ──────────────────────────────────┐
//! Store::commit_block ─┤ headers hashes bodies certificates                                  │
//!                      │ state jmt_nodes jmt_values             (the block's StateUpdate)    │
//!                      │ events idx_code idx_lot idx_org idx_subject   (its events, indexed) │
//!                      │ meta: head; undecided proposals up to its height deleted           │
//!                      └─────────────────────────────────────────────────────────────────────┘
//! Store::state() ─▶ RocksState (StateBackend, proofs) ─┐ one RocksDB snapshot,
//!                   RocksState::index() ─▶ RocksIndex ─┘ one height
//! ```
//!
//! - [`Store`] opens the database ([`Store::open`]), writes genesis ([`Store::init_genesis`]) and commits each
//!   decided block — header, body, certificate, state changes, tree nodes, events, every index entry and the
//!   new head — in **one atomic [`rocksdb::WriteBatch`]** ([`Store::commit_block`]). A process killed at any
//!   moment restarts at its last committed block: RocksDB replays its write-ahead log and a batch is either
//!   wholly there or not at all.
//! - [`RocksState`] is the runtime's [`yima_frame::state::StateBackend`] over a RocksDB snapshot: every read
//!   of one execution sees the same height even while the next block is being committed. It also proves any
//!   key at any stored height ([`RocksState::prove`]).
//! - [`RocksIndex`] answers the runtime's query layer ([`yima_runtime::query::EventIndex`]) from the index
//!   column families, so a trace rebuild is a few prefix scans, not a chain scan.
//!
//! ```
//! use std::sync::Arc;
//! use yima_frame::state::{MemoryState, StateBackend};
//! # let dir = tempfile::tempdir()?;
//! let store = yima_storage::Store::open(dir.path(), Default::default())?;
//! // Genesis from the chain spec, built in memory; a restart finds it already there.
//! let genesis = yima_chain_spec::presets::dev().build_genesis(Arc::new(MemoryState::new()))?;
//! store.init_genesis(&genesis)?;
//! // Build or execute the next block against the head's state, then, once consensus decided it:
//! // store.commit_block(&block, &certificate, built.update, &built.events)?;
//! let state = store.state()?;
//! assert_eq!(state.version(), Some(0));
//! assert_eq!(state.root(), genesis.header.state_root);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Column families and key layouts are in [`columns`]; every number in a key is big-endian so a prefix scan
//! returns entries in chain order.

pub mod columns;
mod error;
mod event_trees;
mod evidence;
mod index;
mod indexing;
mod integrity;
mod keys;
mod options;
mod snapshot;
mod state;
mod store;

pub use error::StorageError;
pub use event_trees::{BlockEvents, MAX_CACHED_BLOCKS, MAX_CACHED_BYTES};
pub use evidence::StoredEvidence;
pub use index::RocksIndex;
pub use options::StoreOptions;
pub use state::RocksState;
pub use store::{GenesisInit, Store, SCHEMA_VERSION};
