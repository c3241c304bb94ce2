//! `proof_event(block, index)`: the auditor's proof of one event ([`yima_consensus::proof::EventProof`]),
//! assembled from the store. The answer carries the SCALE bundle (what `EventProof::from_bytes` and
//! `EventProof::verify` take, offline) and its parts readably.
//!
//! The block's event tree comes from the store's cache ([`yima_storage::Store::block_events`]): proving many
//! events of one block hashes its events once. Validator-set hand-overs come from the store's index of hand-over heights
//! ([`yima_storage::Store::handovers_below`]): one seek, then one certified header per hand-over, whatever the
//! height of the block.

use jsonrpsee::types::ErrorObjectOwned;
use yima_consensus::proof::{CertifiedHeader, EventProof, EVENT_PROOF_VERSION};
use yima_consensus::Host;
use yima_frame::BlockNumber;

use super::chain::HeaderJson;
use super::error::{node_error, not_on_chain, to_hex};
use super::Rpc;
use crate::host::NodeHost;

pub use yima_rpc_api::proof::{CertifiedHeaderJson, EventProofJson, ProofApiServer, ValidatorJson};

/// The JSON of certified header `c`.
pub fn certified_json(c: &CertifiedHeader) -> CertifiedHeaderJson {
    CertifiedHeaderJson {
        header: HeaderJson::from(&c.header),
        certificate: to_hex(&c.certificate),
        validators: c
            .validators
            .iter()
            .map(|v| ValidatorJson {
                key: v.key.to_string(),
                power: v.power,
            })
            .collect(),
    }
}

/// The header of block `number` with its commit certificate and the validator set that decided it.
pub fn certified(
    host: &NodeHost,
    number: BlockNumber,
) -> Result<CertifiedHeader, ErrorObjectOwned> {
    let store = host.store();
    let header = store
        .header(number)
        .map_err(node_error)?
        .ok_or_else(|| node_error(format!("header {number} missing below the head")))?;
    let certificate = store
        .certificate(number)
        .map_err(node_error)?
        .ok_or_else(|| node_error(format!("block {number} has no stored certificate")))?;
    let validators = host.validators_for(number).map_err(node_error)?;
    Ok(CertifiedHeader {
        header,
        certificate,
        validators,
    })
}

/// The certified headers of the validator-set hand-overs below block `below`, oldest first (an event proof's
/// `set_changes`), from the store's hand-over index.
pub fn set_changes_below(
    host: &NodeHost,
    below: BlockNumber,
) -> Result<Vec<CertifiedHeader>, ErrorObjectOwned> {
    host.store()
        .handovers_below(below)
        .map_err(node_error)?
        .into_iter()
        .map(|number| certified(host, number))
        .collect()
}

/// The proof of event `index` of `block` from the store.
pub fn event_proof(
    host: &NodeHost,
    block: BlockNumber,
    index: u32,
) -> Result<EventProof, ErrorObjectOwned> {
    event_proof_with(host, block, index, None)
}

/// As [`event_proof`], the hand-overs taken from `changes` (those below `block` of a list read once for many
/// proofs, [`set_changes_below`]) when given.
pub fn event_proof_with(
    host: &NodeHost,
    block: BlockNumber,
    index: u32,
    changes: Option<&[CertifiedHeader]>,
) -> Result<EventProof, ErrorObjectOwned> {
    let store = host.store();
    let head = store.head_number().map_err(node_error)?.unwrap_or(0);
    if block == 0 {
        return Err(not_on_chain(
            "genesis has no provable events (its state is the chain spec's): ask for a block from 1",
        ));
    }
    if block > head {
        return Err(not_on_chain(format!(
            "block {block} is not on this chain yet: the finalized head is {head}"
        )));
    }
    let events = store.block_events(block).map_err(node_error)?;
    let Some(path) = events.prove(index) else {
        return Err(not_on_chain(format!(
            "block {block} has {} event(s): there is no event {index}",
            events.records.len()
        )));
    };
    Ok(EventProof {
        version: EVENT_PROOF_VERSION,
        record: events.records[index as usize].clone(),
        path,
        block: certified(host, block)?,
        set_changes: match changes {
            Some(all) => all
                .iter()
                .take_while(|c| c.header.number < block)
                .cloned()
                .collect(),
            None => set_changes_below(host, block)?,
        },
    })
}

/// The JSON of event proof `proof`.
pub fn event_proof_json(proof: &EventProof) -> EventProofJson {
    EventProofJson {
        bundle: to_hex(&proof.to_bytes()),
        block: proof.block.header.number,
        index: proof.path.index,
        record: to_hex(&proof.record),
        leaves: proof.path.total,
        path: proof.path.path.iter().map(|h| h.to_string()).collect(),
        certified: certified_json(&proof.block),
        set_changes: proof.set_changes.iter().map(certified_json).collect(),
    }
}

impl ProofApiServer for Rpc {
    fn event(&self, block: u64, index: u32) -> Result<EventProofJson, ErrorObjectOwned> {
        Ok(event_proof_json(&event_proof(&self.host, block, index)?))
    }
}
