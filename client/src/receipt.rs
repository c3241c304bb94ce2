//! What a finalized transaction did: its own events (those of its phase, before its outcome event), each read
//! with `proof_event` and verified offline against the chain's [`TrustAnchor`] — a proposal's id, an
//! attestation's id, a governance action carried out — never the node's word.
//!
//! A transaction's events share one block, so their proofs are checked in one signature batch
//! ([`yima_consensus::batch::batched`]): the block's certificate, repeated in every proof, is verified once.

use parity_scale_codec::DecodeLimit;
use yima_consensus::batch::batched;
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
        let mut proofs = Vec::new();
        let mut events = Vec::new();
        let mut index = included.outcome_event;
        while index > 0 && events.len() < MAX_RECEIPT_EVENTS as usize {
            index -= 1;
            let (proof, record) = self.event_and_proof(included.block, index).await?;
            if record.phase != Phase::ApplyExtrinsic(included.extrinsic) {
                break;
            }
            proofs.push(proof);
            events.push(record.event);
        }
        verify_all(&proofs, anchor, included.block)?;
        events.reverse();
        Ok(events)
    }

    /// Event `index` of `block` and its proof (not yet verified), the proof naming that block and position.
    pub(crate) async fn event_and_proof(
        &self,
        block: u64,
        index: u32,
    ) -> Result<(EventProof, EventRecord<RuntimeEvent>)> {
        let bad = |e: String| ClientError::BadProof(format!("event {index} of block {block}: {e}"));
        let answer = self.event_proof(block, index).await?;
        let bytes =
            hex::decode(answer.bundle.trim_start_matches("0x")).map_err(|e| bad(e.to_string()))?;
        let proof = EventProof::from_bytes(&bytes).map_err(|e| bad(e.to_string()))?;
        if proof.block.header.number != block || proof.path.index != index {
            return Err(bad(format!(
                "the node proved event {} of block {} instead",
                proof.path.index, proof.block.header.number
            )));
        }
        let record =
            EventRecord::<RuntimeEvent>::decode_all_with_depth_limit(64, &mut &proof.record[..])
                .map_err(|e| bad(format!("does not decode: {e}")))?;
        Ok((proof, record))
    }
}

/// Every proof checked against `anchor`, their signatures in one batch (a repeated certificate counts once); a
/// failure names the event.
pub(crate) fn verify_all(proofs: &[EventProof], anchor: &TrustAnchor, block: u64) -> Result<()> {
    batched(|signatures| {
        proofs.iter().try_for_each(|p| {
            p.verify_with(anchor, signatures)
                .map(drop)
                .map_err(|e| (p.path.index, e))
        })
    })
    .map_err(|(index, e)| ClientError::BadProof(format!("event {index} of block {block}: {e}")))
}
