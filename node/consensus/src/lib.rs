//! # yima-consensus
//!
//! Tendermint for Yima through the Malachite engine (`arc-malachitebft-*` =0.8.2, channel API). This crate is
//! everything consensus needs except storage, transaction gossip and the node binary:
//!
//! - [`context`] — `YimaContext`: heights, addresses (ed25519 keys), validator sets in the runtime's order,
//!   round-robin proposer selection, the value (block header, id = block hash), votes, proposals, proposal parts;
//! - [`signing`] — domain-separated, chain-bound sign-bytes and Malachite's `Signer`/`Verifier` over ed25519
//!   (ed25519-consensus, ZIP-215);
//! - [`codec`] — `YimaCodec`, the one SCALE codec for network, value sync and WAL;
//! - [`parts`] — cutting a block into a signed proposal-part stream and reassembling received streams;
//! - [`certificate`] — stored commit certificates and their offline verification (for auditors);
//! - [`batch`] — signature checks deferred into one ed25519 batch (a bundle's hundreds of certificate signatures);
//! - [`proof`] — the auditor's proof of one event (record → Merkle path → header → certificate → validator set,
//!   hand-overs back to genesis) and its offline verification, shared by the node and clients;
//! - [`host`] — the `Host` trait: what consensus needs from the node (chain, execution, pool, storage);
//! - [`app`] — the application loop answering every `AppMsg`;
//! - [`engine`] — starting and stopping the engine and the loop for one node.
//!
//! ## Wiring into the node
//!
//! The node implements [`Host`] over its RocksDB store, the runtime's `Executive` and the transaction pool
//! (see the contract in [`host`]), builds a [`ConsensusConfig`] from its CLI and chain spec (listen address,
//! peers as `/ip4/…/tcp/…/p2p/<peer id>` — [`peer_id`] gives a key's peer id —, base path, validator key) and calls
//! [`start`]; [`stop`] on shutdown. Transactions travel on the node's own libp2p 0.56 swarm: Malachite's network
//! carries only consensus traffic.
//!
//! ## Idle chains
//!
//! Tendermint decides a block every height whether or not there is work. With
//! [`AppConfig::idle_block_interval`] set (recommended: 10 s on a production chain), the loop starts the next height
//! only once [`Host::has_pending_work`] is true or the interval has passed since the last decision: an idle chain
//! makes one empty block per interval, and a transaction arriving at an idle chain starts a height at once (tens
//! of milliseconds on one validator; a round trip of proposal, prevotes and precommits on four), well under the
//! 1 s block-time target. Each validator applies the rule to its own pool; transaction gossip keeps pools close,
//! and a validator that starts a height later than the proposer catches up from the messages Malachite buffers.

pub mod app;
pub mod batch;
#[cfg(feature = "byzantine")]
pub mod byzantine;
pub mod certificate;
pub mod clock;
pub mod codec;
pub mod context;
pub mod engine;
pub mod evidence;
pub mod host;
pub mod parts;
pub mod proof;
pub mod signing;

pub use app::{App, AppConfig, AppError};
pub use certificate::{
    decode_certificate, encode_certificate, verify_certificate, verify_certificate_bytes,
    verify_header_certificate, CertificateError, VerifiedCertificate,
};
pub use codec::{CodecError, YimaCodec};
pub use context::{
    Address, BlockHash, BlockValue, Height, ValidatorSet, ValidatorSetError, YimaContext,
};
pub use engine::{peer_id, start, stop, ConsensusConfig, Multiaddr, NodeKey, StartError};
pub use host::{Host, HostError, UndecidedBlock};
/// A peer as the consensus engine names it (a libp2p peer id in its own type).
pub use malachitebft_app_channel::app::types::PeerId as ConsensusPeerId;
pub use malachitebft_core_types::LinearTimeouts;
pub use proof::{CertifiedHeader, EventProof, EventProofError, TrustAnchor, VerifiedEvent};
