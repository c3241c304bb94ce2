//! `chain_*`: headers, blocks, certificates and the finalized-heads subscription.

use jsonrpsee::core::SubscriptionResult;
use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use parity_scale_codec::Encode;
use serde::{Deserialize, Serialize};
use yima_runtime::{Block, Header};

use crate::to_hex;

/// A header as RPC shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HeaderJson {
    /// The block's hash.
    pub hash: String,
    /// Height.
    pub number: u64,
    /// Parent hash.
    pub parent_hash: String,
    /// Milliseconds since the Unix epoch (UTC).
    pub timestamp: u64,
    /// The proposer's account.
    pub proposer: String,
    /// State root after the block.
    pub state_root: String,
    /// Merkle root of the transactions.
    pub extrinsics_root: String,
    /// Merkle root of the events.
    pub events_root: String,
    /// Hash of the validator set that decided the block.
    pub validators_hash: String,
    /// Hash of the set that decides the next block.
    pub next_validators_hash: String,
}

impl From<&Header> for HeaderJson {
    fn from(h: &Header) -> Self {
        Self {
            hash: h.hash().to_string(),
            number: h.number,
            parent_hash: h.parent_hash.to_string(),
            timestamp: h.timestamp,
            proposer: h.proposer.to_string(),
            state_root: h.state_root.to_string(),
            extrinsics_root: h.extrinsics_root.to_string(),
            events_root: h.events_root.to_string(),
            validators_hash: h.validators_hash.to_string(),
            next_validators_hash: h.next_validators_hash.to_string(),
        }
    }
}

/// A block as RPC shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockJson {
    /// The header.
    pub header: HeaderJson,
    /// Each transaction's hash, in block order.
    pub transaction_hashes: Vec<String>,
    /// Each transaction's SCALE bytes, in block order.
    pub extrinsics: Vec<String>,
}

impl From<&Block> for BlockJson {
    fn from(b: &Block) -> Self {
        Self {
            header: HeaderJson::from(&b.header),
            transaction_hashes: b.extrinsics.iter().map(|t| t.hash().to_string()).collect(),
            extrinsics: b.extrinsics.iter().map(|t| to_hex(&t.encode())).collect(),
        }
    }
}

/// Headers, blocks and certificates.
#[rpc(server, client)]
pub trait ChainApi {
    /// The header at `number`, or the finalized head's without one.
    #[method(name = "chain_getHeader")]
    fn get_header(&self, number: Option<u64>) -> Result<Option<HeaderJson>, ErrorObjectOwned>;

    /// The block at `number`.
    #[method(name = "chain_getBlock", blocking)]
    fn get_block(&self, number: u64) -> Result<Option<BlockJson>, ErrorObjectOwned>;

    /// The latest finalized header.
    #[method(name = "chain_getFinalizedHead")]
    fn finalized_head(&self) -> Result<HeaderJson, ErrorObjectOwned>;

    /// The commit certificate of block `number` (hex SCALE bytes).
    #[method(name = "chain_getCertificate")]
    fn get_certificate(&self, number: u64) -> Result<Option<String>, ErrorObjectOwned>;

    /// Each finalized header as it is committed.
    #[subscription(
        name = "chain_subscribeFinalizedHeads" => "chain_finalizedHead",
        unsubscribe = "chain_unsubscribeFinalizedHeads",
        item = HeaderJson
    )]
    async fn subscribe_finalized_heads(&self) -> SubscriptionResult;
}
