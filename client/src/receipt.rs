//! What a finalized transaction did: its own events (those of its phase, before its outcome event), each read
//! with `proof_event` and verified offline against the chain's [`TrustAnchor`] — a proposal's id, an
//! attestation's id, a governance action carried out — never the node's word.

use parity_scale_codec::DecodeLimit;
use yima_consensus::proof::{EventProof, TrustAnchor};
use yima_frame::{EventRecord, Phase};
use yima_runtime::RuntimeEvent;

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;
use crate::submit::Included;

/// Most events one transaction's receipt reads (a capture of many events deposits many; a receipt is for calls
/// whose few events the caller needs).
pub const MAX_RECEIPT_EVENTS: u32 = 256;

impl NodeClient {
    /// The events `included` deposited, in order, each proven against `anchor`.
    pub async fn events_of(
        &self,
        included: &Included,
        anchor: &TrustAnchor,
    ) -> Result<Vec<RuntimeEvent>> {
        let mut events = Vec::new();
        let mut index = included.outcome_event;
        while index > 0 && events.len() < MAX_RECEIPT_EVENTS as usize {
            index -= 1;
            let record = self.proven_event(included.block, index, anchor).await?;
            if record.phase != Phase::ApplyExtrinsic(included.extrinsic) {
                break;
            }
            events.push(record.event);
        }
        events.reverse();
        Ok(events)
    }

    /// Event `index` of `block`, its proof verified against `anchor` and naming that block and position.
    pub async fn proven_event(
        &self,
        block: u64,
        index: u32,
        anchor: &TrustAnchor,
    ) -> Result<EventRecord<RuntimeEvent>> {
        let answer = self.event_proof(block, index).await?;
        let bytes = hex::decode(answer.bundle.trim_start_matches("0x"))
            .map_err(|e| ClientError::BadProof(format!("event {index} of block {block}: {e}")))?;
        let proof = EventProof::from_bytes(&bytes)
            .map_err(|e| ClientError::BadProof(format!("event {index} of block {block}: {e}")))?;
        proof
            .verify(anchor)
            .map_err(|e| ClientError::BadProof(format!("event {index} of block {block}: {e}")))?;
        if proof.block.header.number != block || proof.path.index != index {
            return Err(ClientError::BadProof(format!(
                "asked for event {index} of block {block}, the node proved event {} of block {}",
                proof.path.index, proof.block.header.number
            )));
        }
        EventRecord::<RuntimeEvent>::decode_all_with_depth_limit(64, &mut &proof.record[..])
            .map_err(|e| {
                ClientError::BadProof(format!(
                    "event {index} of block {block} does not decode: {e}"
                ))
            })
    }
}
