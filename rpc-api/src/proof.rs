//! `proof_event(block, index)`: the auditor's proof of one event (`yima_consensus::proof::EventProof`),
//! assembled from the store. The answer carries the SCALE bundle (what `EventProof::from_bytes` and
//! `EventProof::verify` take, offline) and its parts readably.
//!
//! The node assembles it from its store (the block's cached event tree, the index of validator-set hand-overs).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

use crate::chain::HeaderJson;

/// A validator as the proof lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ValidatorJson {
    /// Its consensus key.
    pub key: String,
    /// Its voting power.
    pub power: u64,
}

/// A certified header in the proof.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CertifiedHeaderJson {
    /// The header.
    pub header: HeaderJson,
    /// Its commit certificate (hex SCALE).
    pub certificate: String,
    /// The set that decided it.
    pub validators: Vec<ValidatorJson>,
}

/// `proof_event`'s answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EventProofJson {
    /// The whole proof, hex SCALE (`EventProof::from_bytes`): what an auditor keeps and verifies.
    pub bundle: String,
    /// The block.
    pub block: u64,
    /// The event's position in it.
    pub index: u32,
    /// The SCALE `EventRecord` (hex).
    pub record: String,
    /// How many events the block has.
    pub leaves: u32,
    /// The sibling hashes from the leaf up.
    pub path: Vec<String>,
    /// The block's header, certificate and validator set.
    pub certified: CertifiedHeaderJson,
    /// The validator-set hand-overs from genesis to the block's set.
    pub set_changes: Vec<CertifiedHeaderJson>,
}

/// The proofs of events.
#[rpc(server, client)]
pub trait ProofApi {
    /// The auditor proof of event `index` of block `block`.
    #[method(name = "proof_event", blocking)]
    fn event(&self, block: u64, index: u32) -> Result<EventProofJson, ErrorObjectOwned>;
}
