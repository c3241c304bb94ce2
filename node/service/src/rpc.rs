//! JSON-RPC 2.0 over HTTP and WebSocket (jsonrpsee, one port): `author_*`, `chain_*`, `system_*` and the
//! finalized-heads subscription.
//!
//! Hashes, accounts and SCALE bytes are `0x`-prefixed hex. Transactions come in as hex SCALE bytes of a
//! `SignedTransaction` and go through the pool's checks; a refusal is JSON-RPC error [`INVALID_TX`] with the
//! pool's reason as message.

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::core::{async_trait, SubscriptionResult};
use jsonrpsee::proc_macros::rpc;
use jsonrpsee::server::{BatchRequestConfig, Server, ServerConfig, ServerHandle};
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::PendingSubscriptionSink;
use parity_scale_codec::Encode;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use yima_runtime::{Block, Header};

use crate::host::NodeHost;

/// Error code: the pool refused the transaction (message: why).
pub const INVALID_TX: i32 = 1010;
/// Error code: the parameters are malformed (message: what is wrong).
pub const BAD_PARAMS: i32 = -32602;
/// Error code: the node failed (storage).
pub const NODE_ERROR: i32 = 1000;

/// Largest request body accepted (a batch of transactions at the chain's size limit fits).
pub const MAX_REQUEST_BYTES: u32 = 16 * 1024 * 1024;
/// Largest JSON-RPC batch accepted.
pub const MAX_BATCH: u32 = 256;
/// Most transactions in one `author_submitBatch`.
pub const MAX_SUBMIT_BATCH: usize = 10_000;

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
            extrinsics: b
                .extrinsics
                .iter()
                .map(|t| format!("0x{}", hex::encode(t.encode())))
                .collect(),
        }
    }
}

/// `system_health`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// The latest finalized height.
    pub best_number: u64,
    /// Transactions ready for the next block.
    pub pool_ready: usize,
    /// Transactions in the pool.
    pub pool_total: usize,
}

/// One outcome of `author_submitBatch`: the hash, or the pool's reason.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SubmitOutcome {
    /// The transaction hash when admitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hash: Option<String>,
    /// Why it was refused.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

/// The node's RPC methods.
#[rpc(server)]
pub trait YimaApi {
    /// Submits one transaction (hex SCALE bytes); returns its hash.
    #[method(name = "author_submitTransaction")]
    fn submit_transaction(&self, transaction: String) -> Result<String, ErrorObjectOwned>;

    /// Submits many transactions at once (signatures checked in one batch); one outcome each, in order.
    #[method(name = "author_submitBatch")]
    fn submit_batch(
        &self,
        transactions: Vec<String>,
    ) -> Result<Vec<SubmitOutcome>, ErrorObjectOwned>;

    /// The header at `number`, or the finalized head's without one.
    #[method(name = "chain_getHeader")]
    fn get_header(&self, number: Option<u64>) -> Result<Option<HeaderJson>, ErrorObjectOwned>;

    /// The block at `number`.
    #[method(name = "chain_getBlock")]
    fn get_block(&self, number: u64) -> Result<Option<BlockJson>, ErrorObjectOwned>;

    /// The latest finalized header.
    #[method(name = "chain_getFinalizedHead")]
    fn finalized_head(&self) -> Result<HeaderJson, ErrorObjectOwned>;

    /// The commit certificate of block `number` (hex SCALE bytes).
    #[method(name = "chain_getCertificate")]
    fn get_certificate(&self, number: u64) -> Result<Option<String>, ErrorObjectOwned>;

    /// Height and pool size.
    #[method(name = "system_health")]
    fn health(&self) -> Result<Health, ErrorObjectOwned>;

    /// The node's version.
    #[method(name = "system_version")]
    fn version(&self) -> Result<String, ErrorObjectOwned>;

    /// Each finalized header as it is committed.
    #[subscription(
        name = "chain_subscribeFinalizedHeads" => "chain_finalizedHead",
        unsubscribe = "chain_unsubscribeFinalizedHeads",
        item = HeaderJson
    )]
    async fn subscribe_finalized_heads(&self) -> SubscriptionResult;
}

/// The RPC methods over a node.
pub struct Rpc {
    host: Arc<NodeHost>,
}

fn node_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(NODE_ERROR, format!("node error: {e}"), None::<()>)
}

fn decode_hex(text: &str) -> Result<Vec<u8>, ErrorObjectOwned> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| {
        ErrorObjectOwned::owned(
            BAD_PARAMS,
            format!("a transaction is 0x-prefixed hex of its SCALE encoding: {e}"),
            None::<()>,
        )
    })
}

impl Rpc {
    fn header(&self, number: u64) -> Result<Option<HeaderJson>, ErrorObjectOwned> {
        Ok(self
            .host
            .store()
            .header(number)
            .map_err(node_error)?
            .as_ref()
            .map(HeaderJson::from))
    }
}

#[async_trait]
impl YimaApiServer for Rpc {
    fn submit_transaction(&self, transaction: String) -> Result<String, ErrorObjectOwned> {
        let bytes = decode_hex(&transaction)?;
        let mut results = self.host.submit(vec![bytes]).map_err(node_error)?;
        match results.pop() {
            Some(Ok(hash)) => Ok(hash.to_string()),
            Some(Err(e)) => Err(ErrorObjectOwned::owned(
                INVALID_TX,
                e.to_string(),
                None::<()>,
            )),
            None => Err(node_error("the pool returned no outcome")),
        }
    }

    fn submit_batch(
        &self,
        transactions: Vec<String>,
    ) -> Result<Vec<SubmitOutcome>, ErrorObjectOwned> {
        if transactions.len() > MAX_SUBMIT_BATCH {
            return Err(ErrorObjectOwned::owned(
                BAD_PARAMS,
                format!(
                    "{} transactions in one batch; at most {MAX_SUBMIT_BATCH}",
                    transactions.len()
                ),
                None::<()>,
            ));
        }
        let bytes = transactions
            .iter()
            .map(|t| decode_hex(t))
            .collect::<Result<Vec<_>, _>>()?;
        let results = self.host.submit(bytes).map_err(node_error)?;
        Ok(results
            .into_iter()
            .map(|r| match r {
                Ok(hash) => SubmitOutcome {
                    hash: Some(hash.to_string()),
                    error: None,
                },
                Err(e) => SubmitOutcome {
                    hash: None,
                    error: Some(e.to_string()),
                },
            })
            .collect())
    }

    fn get_header(&self, number: Option<u64>) -> Result<Option<HeaderJson>, ErrorObjectOwned> {
        match number {
            Some(n) => self.header(n),
            None => self.finalized_head().map(Some),
        }
    }

    fn get_block(&self, number: u64) -> Result<Option<BlockJson>, ErrorObjectOwned> {
        Ok(self
            .host
            .store()
            .block(number)
            .map_err(node_error)?
            .as_ref()
            .map(BlockJson::from))
    }

    fn finalized_head(&self) -> Result<HeaderJson, ErrorObjectOwned> {
        let head = self
            .host
            .store()
            .head()
            .map_err(node_error)?
            .ok_or_else(|| node_error("no genesis"))?;
        Ok(HeaderJson::from(&head))
    }

    fn get_certificate(&self, number: u64) -> Result<Option<String>, ErrorObjectOwned> {
        Ok(self
            .host
            .store()
            .certificate(number)
            .map_err(node_error)?
            .map(|c| format!("0x{}", hex::encode(c))))
    }

    fn health(&self) -> Result<Health, ErrorObjectOwned> {
        let best_number = self
            .host
            .store()
            .head_number()
            .map_err(node_error)?
            .unwrap_or(0);
        let pool = self.host.pool();
        Ok(Health {
            best_number,
            pool_ready: pool.ready_len(),
            pool_total: pool.len(),
        })
    }

    fn version(&self) -> Result<String, ErrorObjectOwned> {
        Ok(format!("yima-node {}", env!("CARGO_PKG_VERSION")))
    }

    async fn subscribe_finalized_heads(
        &self,
        pending: PendingSubscriptionSink,
    ) -> SubscriptionResult {
        let mut heads = self.host.subscribe_finalized();
        let sink = pending.accept().await?;
        loop {
            tokio::select! {
                _ = sink.closed() => return Ok(()),
                next = heads.recv() => match next {
                    Ok(header) => {
                        let msg = serde_json::value::to_raw_value(&HeaderJson::from(&header))?;
                        if sink.send(msg).await.is_err() {
                            return Ok(());
                        }
                    }
                    // A slow subscriber skips headers rather than holding the node back.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return Ok(()),
                },
            }
        }
    }
}

/// Starts the RPC server on `addr` (HTTP and WebSocket on one port).
pub async fn start(
    addr: SocketAddr,
    host: Arc<NodeHost>,
) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    let config = ServerConfig::builder()
        .max_request_body_size(MAX_REQUEST_BYTES)
        .max_response_body_size(MAX_REQUEST_BYTES * 2)
        .max_connections(256)
        .max_subscriptions_per_connection(64)
        .set_batch_request_config(BatchRequestConfig::Limit(MAX_BATCH))
        .build();
    let server = Server::builder()
        .set_config(config)
        .build(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot serve RPC on {addr}: {e}"))?;
    let local = server.local_addr()?;
    let handle = server.start(Rpc { host }.into_rpc());
    Ok((local, handle))
}
