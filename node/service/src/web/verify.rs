//! The "verified" badge: every hop of a trace proven with the auditor's proof (`yima_consensus::proof::
//! EventProof`, the one an auditor downloads) and checked by the shared offline verifier against the trust
//! anchor of this node's genesis header — the same check `yima verify` runs, done here server-side — and what
//! the page shows of each hop checked against the proven event: the event (who, what, when, where) must be the
//! proven record's `Trace::Captured` event byte for byte, the hop's subject must be a code that event names,
//! and an `own` hop's subject the scanned code. (A hop's container, upstream or downstream relation is the
//! node's reading of the other hops; `yima verify` derives it from the proven events.)
//!
//! A page verifies many hops of few blocks: each block's certified header and its event tree (cached across
//! pages by the store, [`yima_storage::Store::block_events`]) are read once, the
//! validator-set hand-overs once for the whole trace (from the store's hand-over index, so the cost does not
//! grow with the height), and every commit signature of the page is checked in one batch
//! ([`yima_consensus::batch`]; a failed batch is checked again hop by hop to name the one that fails).

use std::collections::BTreeMap;
use std::sync::Arc;

use yima_codes::TraceCode;
use yima_consensus::batch::{batched, Signatures};
use yima_consensus::proof::{CertifiedHeader, EventProof, TrustAnchor, EVENT_PROOF_VERSION};
use yima_runtime::query::{Hop, Relation};
use yima_runtime::RuntimeEvent;
use yima_storage::BlockEvents;
use yima_trace::epcis::EventBody;

use crate::host::NodeHost;
use crate::rpc::proof::{certified, set_changes_below};

/// Whether `event` names `code` (in its EPCs, as parent or child, as input or output).
fn names(body: &EventBody, code: &TraceCode) -> bool {
    match body {
        EventBody::Object { epcs, .. } | EventBody::Transaction { epcs, .. } => epcs.contains(code),
        EventBody::Aggregation {
            parent, children, ..
        } => parent == code || children.contains(code),
        EventBody::Transformation { inputs, outputs } => {
            inputs.contains(code) || outputs.contains(code)
        }
    }
}

/// `Ok` when every one of `hops`' (of the trace of `code`) proofs verifies and what the page shows of each is
/// the proven event's; otherwise the first failure, naming the hop's block and index. (A scan page verifies the
/// hops it shows: one page, [`crate::rpc::page`].)
pub fn verify_hops(host: &Arc<NodeHost>, code: &TraceCode, hops: &[Hop]) -> Result<(), String> {
    // Every commit signature of the page in one batch; if anything fails, again one by one to name the hop.
    batched(|signatures| verify_hops_with(host, code, hops, signatures))
}

/// [`verify_hops`] with the certificates' signature checks handed to `signatures`.
fn verify_hops_with(
    host: &Arc<NodeHost>,
    code: &TraceCode,
    hops: &[Hop],
    signatures: &mut dyn Signatures,
) -> Result<(), String> {
    let store = host.store();
    let genesis = store
        .header(0)
        .map_err(|e| e.to_string())?
        .ok_or("the store has no genesis header")?;
    let anchor = TrustAnchor::from_genesis(&genesis);
    let Some(newest) = hops.iter().map(|h| h.at.block).max() else {
        return Err("the trace has no hops to verify".into());
    };
    // (height, certified header) of every hand-over below the newest hop, in order.
    let changes: Vec<(u64, CertifiedHeader)> = set_changes_below(host, newest)
        .map_err(|e| e.message().to_owned())?
        .into_iter()
        .map(|c| (c.header.number, c))
        .collect();
    let mut blocks: BTreeMap<u64, (CertifiedHeader, Arc<BlockEvents>)> = BTreeMap::new();
    for hop in hops {
        let (block, index) = (hop.at.block, hop.at.index);
        if let std::collections::btree_map::Entry::Vacant(slot) = blocks.entry(block) {
            let header = certified(host, block).map_err(|e| e.message().to_owned())?;
            let events = store.block_events(block).map_err(|e| e.to_string())?;
            slot.insert((header, events));
        }
        let (header, events) = &blocks[&block];
        let set_changes = changes
            .iter()
            .take_while(|(n, _)| *n < block)
            .map(|(_, c)| c.clone())
            .collect();
        let path = events
            .prove(index)
            .ok_or_else(|| format!("event {index} of block {block} is not in the store"))?;
        let proof = EventProof {
            version: EVENT_PROOF_VERSION,
            record: events.records[index as usize].clone(),
            path,
            block: header.clone(),
            set_changes,
        };
        let verified = proof
            .verify_with(&anchor, signatures)
            .map_err(|e| format!("the proof of event {index} of block {block} fails: {e}"))?;
        if verified.at != hop.at {
            return Err(format!(
                "the proof of event {index} of block {block} proves another event"
            ));
        }
        let RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) =
            &verified.record.event
        else {
            return Err(format!(
                "event {index} of block {block} is shown as a custody event but the proven event is not one"
            ));
        };
        if *org != hop.org || *event != hop.event.event {
            return Err(format!(
                "event {index} of block {block} is shown otherwise than the proven event records it"
            ));
        }
        if !names(&event.body, &hop.subject)
            || (hop.relation == Relation::Own) != (hop.subject == *code)
        {
            return Err(format!(
                "event {index} of block {block} is shown as concerning {} but the proven event does not name it so",
                hop.subject
            ));
        }
    }
    Ok(())
}
