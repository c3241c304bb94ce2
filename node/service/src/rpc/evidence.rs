//! `chain_getEvidence`: the equivocations this node saw — two conflicting messages one validator signed for
//! the same height and round — each with both signed messages, so the caller can check the claim without
//! trusting the node (`yima_consensus::evidence::Equivocation::verify` against the chain's genesis).

use jsonrpsee::types::ErrorObjectOwned;
use parity_scale_codec::Decode;
use yima_consensus::evidence::Equivocation;

use super::error::{bad_params, node_error, to_hex};
use super::Rpc;

pub use yima_rpc_api::evidence::{EvidenceApiServer, EvidenceJson, MAX_EVIDENCE};

/// The JSON of equivocation `e`.
pub fn evidence_json(e: &Equivocation) -> EvidenceJson {
    EvidenceJson {
        height: e.height,
        round: e.round,
        kind: e.kind.name().to_string(),
        validator: e.validator.to_string(),
        id: e.id().to_string(),
        first: to_hex(&e.first),
        second: to_hex(&e.second),
        record: to_hex(&parity_scale_codec::Encode::encode(e)),
    }
}

impl EvidenceApiServer for Rpc {
    fn get_evidence(
        &self,
        from: Option<u64>,
        limit: Option<u64>,
    ) -> Result<Vec<EvidenceJson>, ErrorObjectOwned> {
        let limit = limit.unwrap_or(MAX_EVIDENCE);
        if limit == 0 || limit > MAX_EVIDENCE {
            return Err(bad_params(format!(
                "limit {limit} is out of range: ask for 1 to {MAX_EVIDENCE} records a page"
            )));
        }
        let stored = self
            .host
            .store()
            .evidence(from.unwrap_or(0), limit as usize)
            .map_err(node_error)?;
        stored
            .iter()
            .map(|s| {
                Equivocation::decode(&mut &s.record[..])
                    .map(|e| evidence_json(&e))
                    .map_err(|e| {
                        node_error(format!(
                            "stored evidence at height {} is unreadable ({e}): the store is damaged",
                            s.height
                        ))
                    })
            })
            .collect()
    }
}
