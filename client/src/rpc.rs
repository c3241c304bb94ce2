//! [`NodeClient`]: typed JSON-RPC calls over HTTP, subscriptions over WebSocket (jsonrpsee clients), with
//! retries and backoff while the node cannot be reached.
//!
//! Only transport failures are retried (connection refused, reset, timed out): an error the node answers is
//! final. Every retried call is safe to repeat — queries are reads, and resubmitting the same signed transaction
//! is answered "already in the pool" or "nonce already used", which [`crate::submit`] understands.

use std::time::Duration;

use jsonrpsee::core::client::{ClientT, Subscription};
use jsonrpsee::core::params::ArrayParams;
use jsonrpsee::core::ClientError as RpcError;
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use serde::de::DeserializeOwned;

use crate::error::{ClientError, Result};
use crate::types::*;
use yima_rpc_api::alerts::AlertsApiClient;
use yima_rpc_api::author::AuthorApiClient;
use yima_rpc_api::chain::ChainApiClient;
use yima_rpc_api::proof::ProofApiClient;
use yima_rpc_api::state::StateApiClient;
use yima_rpc_api::system::SystemApiClient;
use yima_rpc_api::trace::TraceApiClient;

/// Default node URL (the node's default `--rpc-port`).
pub const DEFAULT_URL: &str = "http://127.0.0.1:9944";
/// Largest response the client reads (the node's own response limit).
pub const MAX_RESPONSE_BYTES: u32 = 32 * 1024 * 1024;
/// Largest request the client sends (the node's request limit).
pub const MAX_REQUEST_BYTES: u32 = 16 * 1024 * 1024;

/// How long to keep trying an unreachable node.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts in all (1 = no retry).
    pub attempts: u32,
    /// First pause; doubled after each failure.
    pub initial: Duration,
    /// Longest pause.
    pub max: Duration,
}

impl Default for RetryPolicy {
    /// 6 attempts, 250 ms doubling to 4 s: about 10 s before giving up.
    fn default() -> Self {
        Self {
            attempts: 6,
            initial: Duration::from_millis(250),
            max: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// One attempt only.
    pub fn none() -> Self {
        Self {
            attempts: 1,
            ..Self::default()
        }
    }
}

/// A client of one node.
#[derive(Clone)]
pub struct NodeClient {
    url: String,
    http: HttpClient,
    retry: RetryPolicy,
    on_retry: Option<fn(&str, u32, Duration)>,
}

fn is_transport(e: &RpcError) -> bool {
    matches!(
        e,
        RpcError::Transport(_) | RpcError::RestartNeeded(_) | RpcError::RequestTimeout
    )
}

impl NodeClient {
    /// A client of the node at `url` (`http://host:port`; WebSocket uses the same port).
    pub fn new(url: &str, retry: RetryPolicy) -> Result<Self> {
        let url = url.trim_end_matches('/').to_string();
        let http = HttpClientBuilder::default()
            .max_request_size(MAX_REQUEST_BYTES)
            .max_response_size(MAX_RESPONSE_BYTES)
            .request_timeout(Duration::from_secs(120))
            .build(&url)
            .map_err(|e| {
                ClientError::Other(format!(
                    "bad node URL {url:?}: {e}; write it as http://host:port"
                ))
            })?;
        Ok(Self {
            url,
            http,
            retry,
            on_retry: None,
        })
    }

    /// Calls `f(url, attempt, pause)` before each retry (the CLI prints a line to stderr).
    pub fn on_retry(mut self, f: fn(&str, u32, Duration)) -> Self {
        self.on_retry = Some(f);
        self
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn ws_url(&self) -> String {
        if let Some(rest) = self.url.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = self.url.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            self.url.clone()
        }
    }

    async fn pause(&self, attempt: u32, pause: &mut Duration) {
        if let Some(f) = self.on_retry {
            f(&self.url, attempt, *pause);
        }
        tokio::time::sleep(*pause).await;
        *pause = (*pause * 2).min(self.retry.max);
    }

    /// Calls `method` with `params`, retrying transport failures per the [`RetryPolicy`].
    pub async fn call<R: DeserializeOwned>(&self, method: &str, params: ArrayParams) -> Result<R> {
        self.retrying(method, |http| http.request::<R, _>(method, params.clone()))
            .await
    }

    /// Runs `call` (a generated `yima_rpc_api` client method on the HTTP client) as [`NodeClient::call`] does
    /// a method by name: transport failures retried, the node's errors final.
    pub async fn retrying<'a, R, F, Fut>(&'a self, method: &str, call: F) -> Result<R>
    where
        F: Fn(&'a HttpClient) -> Fut,
        Fut: std::future::Future<Output = std::result::Result<R, RpcError>>,
    {
        let mut pause = self.retry.initial;
        let mut attempt = 1;
        loop {
            match call(&self.http).await {
                Ok(r) => return Ok(r),
                Err(RpcError::Call(e)) => {
                    return Err(ClientError::Rpc {
                        method: method.into(),
                        code: e.code(),
                        message: e.message().into(),
                    })
                }
                Err(e) if is_transport(&e) => {
                    if attempt >= self.retry.attempts {
                        return Err(ClientError::NodeDown {
                            url: self.url.clone(),
                            reason: e.to_string(),
                            attempts: attempt,
                        });
                    }
                    self.pause(attempt, &mut pause).await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(ClientError::BadResponse {
                        method: method.into(),
                        reason: e.to_string(),
                    })
                }
            }
        }
    }

    /// A WebSocket connection (for subscriptions), retried like calls.
    pub async fn ws(&self) -> Result<WsClient> {
        let url = self.ws_url();
        let mut pause = self.retry.initial;
        let mut attempt = 1;
        loop {
            match WsClientBuilder::default()
                .max_request_size(MAX_REQUEST_BYTES)
                .max_response_size(MAX_RESPONSE_BYTES)
                .build(&url)
                .await
            {
                Ok(ws) => return Ok(ws),
                Err(e) if attempt >= self.retry.attempts => {
                    return Err(ClientError::NodeDown {
                        url,
                        reason: e.to_string(),
                        attempts: attempt,
                    })
                }
                Err(_) => {
                    self.pause(attempt, &mut pause).await;
                    attempt += 1;
                }
            }
        }
    }

    /// `system_health`.
    pub async fn health(&self) -> Result<HealthJson> {
        self.retrying("system_health", SystemApiClient::health)
            .await
    }

    /// `system_version`.
    pub async fn version(&self) -> Result<String> {
        self.retrying("system_version", SystemApiClient::version)
            .await
    }

    /// `chain_getFinalizedHead`.
    pub async fn finalized_head(&self) -> Result<HeaderJson> {
        self.retrying("chain_getFinalizedHead", |http| http.finalized_head())
            .await
    }

    /// `chain_getHeader(number)`.
    pub async fn header(&self, number: u64) -> Result<Option<HeaderJson>> {
        self.retrying("chain_getHeader", |http| http.get_header(Some(number)))
            .await
    }

    /// `chain_getBlock(number)`.
    pub async fn block(&self, number: u64) -> Result<Option<BlockJson>> {
        self.retrying("chain_getBlock", |http| http.get_block(number))
            .await
    }

    /// `state_get(key, at)` (not verified; see [`crate::state`]).
    pub async fn state_get_raw(&self, key: &[u8], at: Option<u64>) -> Result<StateValueJson> {
        let key = crate::hex0x(key);
        self.retrying("state_get", |http| {
            StateApiClient::get(http, key.clone(), at)
        })
        .await
    }

    /// `author_submitTransaction`.
    pub async fn submit(&self, tx: &[u8]) -> Result<String> {
        let tx = crate::hex0x(tx);
        self.retrying("author_submitTransaction", |http| {
            http.submit_transaction(tx.clone())
        })
        .await
    }

    /// `author_submitBatch` (at most 10,000 transactions).
    pub async fn submit_batch(&self, txs: &[Vec<u8>]) -> Result<Vec<SubmitOutcome>> {
        let hex: Vec<String> = txs.iter().map(|t| crate::hex0x(t)).collect();
        self.retrying("author_submitBatch", |http| http.submit_batch(hex.clone()))
            .await
    }

    /// `trace_history(code)`: the code in any scanned form, every hop (the node answers a page at a time;
    /// this follows `nextCursor` until the last page).
    pub async fn trace(&self, code: &str) -> Result<TraceJson> {
        let page = |cursor: Option<u64>| {
            self.retrying("trace_history", move |http| {
                TraceApiClient::history(http, code.to_string(), cursor, None)
            })
        };
        let mut trace = page(None).await?;
        while let Some(cursor) = trace.next_cursor.take() {
            let next = page(Some(cursor)).await?;
            trace.hops.extend(next.hops);
            trace.next_cursor = next.next_cursor;
        }
        Ok(trace)
    }

    /// `trace_recall(lot | code)`, every code (following `nextCursor` page by page).
    pub async fn recall(&self, target: &str) -> Result<RecallJson> {
        let page = |cursor: Option<u64>| {
            self.retrying("trace_recall", move |http| {
                http.recall(target.to_string(), cursor, None)
            })
        };
        let mut recall = page(None).await?;
        while let Some(cursor) = recall.next_cursor.take() {
            let next = page(Some(cursor)).await?;
            recall.rows.extend(next.rows);
            recall.next_cursor = next.next_cursor;
        }
        Ok(recall)
    }

    /// `trace_chain(code, at, cursor)`: one page of the events naming `code` up to `at`.
    pub async fn trace_chain_page(
        &self,
        code: &str,
        at: Option<u64>,
        cursor: Option<u64>,
    ) -> Result<ChainJson> {
        self.retrying("trace_chain", |http| {
            TraceApiClient::chain(http, code.to_string(), at, cursor, None)
        })
        .await
    }

    /// `trace_orgEvents(org, from, limit)`: one page of the custody events `org` captured (not verified; see
    /// [`crate::org_history`]).
    pub async fn org_events_page(
        &self,
        org: u32,
        from: Option<EventRefJson>,
        limit: Option<u64>,
    ) -> Result<OrgEventsJson> {
        self.retrying("trace_orgEvents", |http| http.org_events(org, from, limit))
            .await
    }

    /// `proof_event(block, index)`.
    pub async fn event_proof(&self, block: u64, index: u32) -> Result<EventProofJson> {
        self.retrying("proof_event", |http| http.event(block, index))
            .await
    }

    /// `chain_subscribeFinalizedHeads` on `ws`.
    pub async fn subscribe_heads(&self, ws: &WsClient) -> Result<Subscription<HeaderJson>> {
        ws.subscribe_finalized_heads()
            .await
            .map_err(|e| self.sub_error("chain_subscribeFinalizedHeads", e))
    }

    /// `alerts_subscribe` on `ws`.
    pub async fn subscribe_alerts(&self, ws: &WsClient) -> Result<Subscription<AlertJson>> {
        ws.subscribe_alerts()
            .await
            .map_err(|e| self.sub_error("alerts_subscribe", e))
    }

    fn sub_error(&self, method: &str, e: RpcError) -> ClientError {
        match e {
            RpcError::Call(e) => ClientError::Rpc {
                method: method.into(),
                code: e.code(),
                message: e.message().into(),
            },
            e if is_transport(&e) => ClientError::NodeDown {
                url: self.url.clone(),
                reason: e.to_string(),
                attempts: 1,
            },
            e => ClientError::BadResponse {
                method: method.into(),
                reason: e.to_string(),
            },
        }
    }
}

/// Reads the next item of a subscription; `what` names it in errors.
pub async fn next_item<T: DeserializeOwned>(sub: &mut Subscription<T>, what: &str) -> Result<T> {
    match sub.next().await {
        Some(Ok(item)) => Ok(item),
        Some(Err(e)) => Err(ClientError::BadResponse {
            method: what.into(),
            reason: e.to_string(),
        }),
        None => Err(ClientError::Other(format!(
            "the node closed the {what} subscription (it stopped or dropped the connection); run the command again"
        ))),
    }
}
