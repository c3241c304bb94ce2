//! `chain_getEvidence`: the equivocations this node saw — two conflicting messages one validator signed for
//! the same height and round — each with both signed messages, so the caller can check the claim without
//! trusting the node (`yima_consensus::evidence::Equivocation::verify` against the chain's genesis).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use parity_scale_codec::Decode;
use serde::{Deserialize, Serialize};
use yima_consensus::evidence::Equivocation;

use super::error::{bad_params, node_error, to_hex};
use super::Rpc;

/// Records a page holds at most.
pub const MAX_EVIDENCE: u64 = 100;

/// One equivocation as RPC shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceJson {
    /// The height both messages were signed for.
    pub height: u64,
    /// The round both messages were signed for.
    pub round: u32,
    /// `prevote`, `precommit` or `proposal`.
    pub kind: String,
    /// The validator's consensus key.
    pub validator: String,
    /// The record's id (a digest of its content).
    pub id: String,
    /// The first signed message, in the consensus wire encoding.
    pub first: String,
    /// The conflicting signed message.
    pub second: String,
    /// The whole record, SCALE: what `Equivocation::decode` and `verify` take.
    pub record: String,
}

impl From<&Equivocation> for EvidenceJson {
    fn from(e: &Equivocation) -> Self {
        Self {
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
}

/// Equivocation evidence.
#[rpc(server)]
pub trait EvidenceApi {
    /// Up to `limit` (default and at most [`MAX_EVIDENCE`]) equivocations signed for heights `from` (default 0)
    /// and above, in height order. Page on with `from` = the last one's height (repeats of that height are
    /// the caller's to skip by `id`).
    #[method(name = "chain_getEvidence", blocking)]
    fn get_evidence(
        &self,
        from: Option<u64>,
        limit: Option<u64>,
    ) -> Result<Vec<EvidenceJson>, ErrorObjectOwned>;
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
                    .map(|e| EvidenceJson::from(&e))
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
