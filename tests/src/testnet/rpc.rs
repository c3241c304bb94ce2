//! JSON-RPC clients of one node: HTTP for requests, WebSocket for the finalized-heads subscription, and typed
//! calls for what the Testnet and its users ask most.

use std::net::{Ipv4Addr, SocketAddr};

use jsonrpsee::core::client::{ClientT, Subscription, SubscriptionClientT};
use jsonrpsee::core::params::ArrayParams;
use jsonrpsee::core::DeserializeOwned;
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use parity_scale_codec::{Decode, Encode};
use yima_frame::AccountId;
use yima_node::rpc::{BlockJson, HeaderJson, Health, SubmitOutcome};
use yima_runtime::SignedTransaction;

/// Largest RPC message the clients accept (a block of thousands of transactions as JSON).
const MAX_MESSAGE_BYTES: u32 = 64 * 1024 * 1024;

/// The RPC endpoint of one node.
#[derive(Clone, Debug)]
pub struct NodeRpc {
    addr: SocketAddr,
    http: HttpClient,
}

/// `0x`-prefixed hex of a transaction's SCALE bytes, as `author_submitTransaction` takes it.
pub fn tx_hex(tx: &SignedTransaction) -> String {
    format!("0x{}", hex::encode(tx.encode()))
}

impl NodeRpc {
    /// Clients for the node whose RPC port on 127.0.0.1 is `port` (nothing connects until the first call).
    pub fn new(port: u16) -> Self {
        Self::at(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    }

    /// Clients for the node whose RPC listens at `addr` (e.g. in a network namespace).
    pub fn at(addr: SocketAddr) -> Self {
        let http = HttpClientBuilder::default()
            .max_request_size(MAX_MESSAGE_BYTES)
            .max_response_size(MAX_MESSAGE_BYTES)
            .request_timeout(std::time::Duration::from_secs(120))
            .build(format!("http://{addr}"))
            .expect("a valid URL");
        Self { addr, http }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The HTTP client, for any method.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// A new WebSocket connection (for subscriptions).
    pub async fn ws(&self) -> anyhow::Result<WsClient> {
        WsClientBuilder::default()
            .max_request_size(MAX_MESSAGE_BYTES)
            .max_response_size(MAX_MESSAGE_BYTES)
            .build(format!("ws://{}", self.addr))
            .await
            .map_err(|e| anyhow::anyhow!("WebSocket to {}: {e}", self.addr))
    }

    /// Any method, with the method's name in the error.
    pub async fn call<R: DeserializeOwned>(
        &self,
        method: &str,
        params: ArrayParams,
    ) -> anyhow::Result<R> {
        self.http
            .request(method, params)
            .await
            .map_err(|e| anyhow::anyhow!("{method} on {}: {e}", self.addr))
    }

    /// [`NodeRpc::call`], waiting out the node's per-connection rate limit (`--rpc-rate-limit`) as a polite
    /// client does: a refused call is retried every 100 ms, at most 50 times.
    pub async fn call_within_rate_limit<R: DeserializeOwned>(
        &self,
        method: &str,
        params: ArrayParams,
    ) -> anyhow::Result<R> {
        let mut tries = 0;
        loop {
            match self.call(method, params.clone()).await {
                Err(e) if tries < 50 && is_rate_limited(&e) => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    }

    /// `system_health`.
    pub async fn health(&self) -> anyhow::Result<Health> {
        self.call("system_health", rpc_params![]).await
    }

    /// `chain_getFinalizedHead`.
    pub async fn finalized_head(&self) -> anyhow::Result<HeaderJson> {
        self.call("chain_getFinalizedHead", rpc_params![]).await
    }

    /// `chain_getHeader(number)`.
    pub async fn header(&self, number: u64) -> anyhow::Result<Option<HeaderJson>> {
        self.call("chain_getHeader", rpc_params![number]).await
    }

    /// `chain_getBlock(number)`.
    pub async fn block(&self, number: u64) -> anyhow::Result<Option<BlockJson>> {
        self.call("chain_getBlock", rpc_params![number]).await
    }

    /// [`NodeRpc::block`] within the node's rate limit ([`NodeRpc::call_within_rate_limit`]): a client reading a
    /// fast chain block by block has more blocks to read than the limit allows a second.
    pub async fn block_within_rate_limit(&self, number: u64) -> anyhow::Result<Option<BlockJson>> {
        self.call_within_rate_limit("chain_getBlock", rpc_params![number])
            .await
    }

    /// `author_submitTransaction`; the transaction's hash.
    pub async fn submit(&self, tx: &SignedTransaction) -> anyhow::Result<String> {
        self.call("author_submitTransaction", rpc_params![tx_hex(tx)])
            .await
    }

    /// The nonce `account` must use next, read from the finalized state with `state_get`.
    pub async fn account_nonce(&self, account: &AccountId) -> anyhow::Result<u64> {
        use yima_frame::storage::StorageMap;
        let key = format!(
            "0x{}",
            hex::encode(yima_system::Nonces::storage_key(account))
        );
        let answer: serde_json::Value = self.call("state_get", rpc_params![key]).await?;
        match answer.get("value").and_then(|v| v.as_str()) {
            None => Ok(0),
            Some(v) => {
                let bytes = hex::decode(v.trim_start_matches("0x"))?;
                Ok(u64::decode(&mut &bytes[..])?)
            }
        }
    }

    /// `author_submitBatch` of hex-encoded transactions; one outcome each.
    pub async fn submit_batch(&self, txs: &[String]) -> anyhow::Result<Vec<SubmitOutcome>> {
        self.call("author_submitBatch", rpc_params![txs]).await
    }

    /// The hashes of blocks `0..=up_to` (genesis first), within the rate limit; an error if one is missing.
    pub async fn block_hashes(&self, up_to: u64) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        for n in 0..=up_to {
            let header = self
                .call_within_rate_limit::<Option<HeaderJson>>("chain_getHeader", rpc_params![n])
                .await?
                .ok_or_else(|| anyhow::anyhow!("node at {} has no block {n}", self.addr))?;
            out.push(header.hash);
        }
        Ok(out)
    }
}

/// Subscribes to `chain_subscribeFinalizedHeads` on `ws`.
pub async fn subscribe_finalized(ws: &WsClient) -> anyhow::Result<Subscription<HeaderJson>> {
    ws.subscribe(
        "chain_subscribeFinalizedHeads",
        rpc_params![],
        "chain_unsubscribeFinalizedHeads",
    )
    .await
    .map_err(|e| anyhow::anyhow!("chain_subscribeFinalizedHeads: {e}"))
}

/// The next header of `sub`; an error when the subscription ends (the node stopped or dropped us).
pub async fn next_head(sub: &mut Subscription<HeaderJson>) -> anyhow::Result<HeaderJson> {
    match sub.next().await {
        Some(Ok(h)) => Ok(h),
        Some(Err(e)) => Err(anyhow::anyhow!("finalized-heads subscription: {e}")),
        None => Err(anyhow::anyhow!(
            "the finalized-heads subscription closed (did the node stop?)"
        )),
    }
}

/// Whether a call was refused by the node's per-connection rate limit (`--rpc-rate-limit`).
pub fn is_rate_limited(e: &anyhow::Error) -> bool {
    e.to_string().contains("too many calls on this connection")
}
