//! `chain_getEvidence`: the equivocations this node saw — two conflicting messages one validator signed for
//! the same height and round — each with both signed messages, so the caller can check the claim without
//! trusting the node (`yima_consensus::evidence::Equivocation::verify` against the chain's genesis).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

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

/// Equivocation evidence.
#[rpc(server, client)]
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
