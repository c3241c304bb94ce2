//! Yima's JSON-RPC API, defined once. The method traits are jsonrpsee `#[rpc(server, client)]` traits: the node
//! implements the generated `…Server` traits, the client library calls the generated `…Client` traits, and
//! both speak the JSON types declared beside them — so a method is written once, as Substrate's `sc-rpc-api`
//! and reth's `rpc-api` do.
//!
//! | module | what |
//! |--------|------|
//! | [`author`] | `author_submitTransaction`, `author_submitBatch`; operator: `author_pendingTransactions` |
//! | [`chain`] | `chain_getHeader`, `chain_getBlock`, `chain_getFinalizedHead`, `chain_getCertificate`, `chain_subscribeFinalizedHeads` |
//! | [`evidence`] | `chain_getEvidence` |
//! | [`state`] | `state_get` |
//! | [`trace`], [`trace_json`], [`page`] | `trace_history`, `trace_recall`, `trace_chain`, their JSON and pagination |
//! | [`proof`] | `proof_event` |
//! | [`alerts`] | `alerts_subscribe` |
//! | [`system`] | `system_health`, `system_version` |
//! | [`records`] | `records_*`: read-back of the domain records, each with its state proof |
//! | [`readback`] | what each `records_*` answer is, as a function of state, run by the node and the client |
//! | [`reads`] | proven state reads: the node records them, the client verifies them |
//! | [`grant`] | signed grants to read a personal record |
//! | [`params`] | parameter text forms (lots, subjects, person ids) |
//!
//! Nothing here runs a server or opens a connection: no tokio, no store. The node's operator method
//! `system_peers` stays in the node: its answer is the gossip network's own type.

pub mod alerts;
pub mod author;
pub mod chain;
pub mod evidence;
pub mod grant;
pub mod page;
pub mod params;
pub mod proof;
pub mod readback;
pub mod reads;
pub mod records;
pub mod state;
pub mod system;
pub mod trace;
pub mod trace_json;

pub use grant::{GrantError, ReadGrant};
pub use reads::{ReadError, StateReads};
pub use records::{PersonalRecord, Proven, RecordsApiClient, RecordsApiServer};

/// `0x`-prefixed lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}
