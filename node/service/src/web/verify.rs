//! The "verified" badge: every hop of a trace proven with the auditor's proof (`yima_consensus::proof::
//! EventProof`, the one an auditor downloads) and checked by the shared offline verifier against the trust
//! anchor of this node's genesis header — the same check `yima verify` runs, done here server-side.
//!
//! A page verifies many hops of few blocks: each block's certified header and events are read once, and the
//! validator-set hand-overs once for the whole trace (one pass over the headers below the newest hop).

use std::collections::BTreeMap;
use std::sync::Arc;

use yima_consensus::proof::{changes_validator_set, CertifiedHeader, EventProof, TrustAnchor};
use yima_runtime::query::Trace;

use crate::host::NodeHost;
use crate::rpc::proof::certified;

/// `Ok` when every hop's proof verifies; otherwise the first failure, naming the hop's block and index.
pub fn verify_hops(host: &Arc<NodeHost>, trace: &Trace) -> Result<(), String> {
    let store = host.store();
    let genesis = store
        .header(0)
        .map_err(|e| e.to_string())?
        .ok_or("the store has no genesis header")?;
    let anchor = TrustAnchor::from_genesis(&genesis);
    let Some(newest) = trace.hops.iter().map(|h| h.at.block).max() else {
        return Err("the trace has no hops to verify".into());
    };
    // (height, certified header) of every hand-over below the newest hop, in order.
    let mut changes: Vec<(u64, CertifiedHeader)> = Vec::new();
    for number in 1..newest {
        let header = store
            .header(number)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("header {number} missing below the head"))?;
        if changes_validator_set(&header) {
            changes.push((
                number,
                certified(host, number).map_err(|e| e.message().to_owned())?,
            ));
        }
    }
    let mut blocks: BTreeMap<u64, (CertifiedHeader, Vec<Vec<u8>>)> = BTreeMap::new();
    for hop in &trace.hops {
        let (block, index) = (hop.at.block, hop.at.index);
        if let std::collections::btree_map::Entry::Vacant(slot) = blocks.entry(block) {
            let header = certified(host, block).map_err(|e| e.message().to_owned())?;
            let events = store.events(block).map_err(|e| e.to_string())?;
            slot.insert((header, events));
        }
        let (header, events) = &blocks[&block];
        let set_changes = changes
            .iter()
            .take_while(|(n, _)| *n < block)
            .map(|(_, c)| c.clone())
            .collect();
        let proof = EventProof::build(events, index, header.clone(), set_changes)
            .ok_or_else(|| format!("event {index} of block {block} is not in the store"))?;
        let verified = proof
            .verify(&anchor)
            .map_err(|e| format!("the proof of event {index} of block {block} fails: {e}"))?;
        if verified.at != hop.at {
            return Err(format!(
                "the proof of event {index} of block {block} proves another event"
            ));
        }
    }
    Ok(())
}
