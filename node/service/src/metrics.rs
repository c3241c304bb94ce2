//! Prometheus metrics (`prometheus-client`, the crate and version Malachite already uses) and the `/metrics`
//! HTTP endpoint (hyper 1, the HTTP stack jsonrpsee already brings).
//!
//! | metric | type | set |
//! |--------|------|-----|
//! | `yima_block_height` | gauge | the head's number, at each commit and each scrape |
//! | `yima_finalized_height` | gauge | the latest finalized number (Tendermint: every committed block is final, so equal to the height) |
//! | `yima_peers` | gauge | connected peers, set by the network through [`Metrics::set_peers`] |
//! | `yima_txpool_ready` | gauge | transactions ready for the next block, at each scrape |
//! | `yima_txpool_transactions` | gauge | transactions in the pool, at each scrape |
//! | `yima_txpool_futures` | gauge | transactions queued behind a missing nonce, at each scrape |
//! | `yima_weight_exhausted_total` | counter | committed transactions stopped at the per-transaction weight limit (their accounts cool down) |
//! | `yima_txpool_refused_total{reason}` | counter | transactions the pool refused at ingress (RPC and gossip), by `PoolError::reason` |
//! | `yima_gossip_strikes_total` | counter | strikes against gossip peers (rejected messages, hostile proposal streams) |
//! | `yima_gossip_bans_total` | counter | peers banned at their strike limit |
//! | `yima_rpc_rate_limited_total` | counter | RPC calls refused by a connection's rate limit (`--rpc-rate-limit`) |
//! | `yima_equivocations_total{kind}` | counter | conflicting signed messages of one validator the engine reported (`prevote`, `precommit`, `proposal`); each is kept in the store and served by `chain_evidence` |
//! | `yima_rpc_busy_total` | counter | RPC and web readers refused because every reader was busy and too many waited |
//! | `yima_transactions_total` | counter | transactions committed in blocks since start; tx/s = `rate(yima_transactions_total[1m])` |
//! | `yima_block_execution_seconds` | histogram | building (proposer) or executing (others) one block |
//! | `yima_block_commit_seconds` | histogram | writing one decided block's batch (block, state, events, indexes) |
//!
//! The text is OpenMetrics 1.0 (Prometheus reads it).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::host::NodeHost;

/// The `Content-Type` of the metrics text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The node's metrics. Cheap to update from any thread (atomics); one per [`NodeHost`].
pub struct Metrics {
    registry: Registry,
    block_height: Gauge,
    finalized_height: Gauge,
    peers: Gauge,
    txpool_ready: Gauge,
    txpool_transactions: Gauge,
    txpool_futures: Gauge,
    transactions: Counter,
    weight_exhausted: Counter,
    refused: Family<Vec<(String, String)>, Counter>,
    equivocations: Family<Vec<(String, String)>, Counter>,
    gossip_strikes: Counter,
    gossip_bans: Counter,
    rpc_rate_limited: Counter,
    rpc_busy: Counter,
    block_execution: Histogram,
    block_commit: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// 1 ms to ~33 s, doubling: a block takes milliseconds when idle and seconds when full.
fn seconds_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.001, 2.0, 16)
}

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl Metrics {
    /// Every metric registered at zero.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let block_height = Gauge::default();
        let finalized_height = Gauge::default();
        let peers = Gauge::default();
        let txpool_ready = Gauge::default();
        let txpool_transactions = Gauge::default();
        let txpool_futures = Gauge::default();
        let transactions = Counter::default();
        let weight_exhausted = Counter::default();
        let refused = Family::<Vec<(String, String)>, Counter>::default();
        let equivocations = Family::<Vec<(String, String)>, Counter>::default();
        let gossip_strikes = Counter::default();
        let gossip_bans = Counter::default();
        let rpc_rate_limited = Counter::default();
        let rpc_busy = Counter::default();
        let block_execution = Histogram::new(seconds_buckets());
        let block_commit = Histogram::new(seconds_buckets());
        registry.register(
            "yima_block_height",
            "Number of the latest block",
            block_height.clone(),
        );
        registry.register(
            "yima_finalized_height",
            "Number of the latest finalized block",
            finalized_height.clone(),
        );
        registry.register("yima_peers", "Connected peers", peers.clone());
        registry.register(
            "yima_txpool_ready",
            "Transactions ready for the next block",
            txpool_ready.clone(),
        );
        registry.register(
            "yima_txpool_transactions",
            "Transactions in the pool",
            txpool_transactions.clone(),
        );
        registry.register(
            "yima_txpool_futures",
            "Transactions in the pool queued behind a missing nonce",
            txpool_futures.clone(),
        );
        // prometheus-client appends `_total` to a counter's name.
        registry.register(
            "yima_weight_exhausted",
            "Committed transactions stopped at the per-transaction weight limit",
            weight_exhausted.clone(),
        );
        registry.register(
            "yima_txpool_refused",
            "Transactions the pool refused at ingress, by reason",
            refused.clone(),
        );
        registry.register(
            "yima_equivocations",
            "Conflicting signed messages of one validator, by kind (kept as evidence)",
            equivocations.clone(),
        );
        registry.register(
            "yima_gossip_strikes",
            "Strikes against gossip peers",
            gossip_strikes.clone(),
        );
        registry.register(
            "yima_gossip_bans",
            "Gossip peers banned at their strike limit",
            gossip_bans.clone(),
        );
        registry.register(
            "yima_rpc_rate_limited",
            "RPC calls refused by their connection's rate limit",
            rpc_rate_limited.clone(),
        );
        registry.register(
            "yima_rpc_busy",
            "RPC and web readers refused while every reader was busy",
            rpc_busy.clone(),
        );
        registry.register(
            "yima_transactions",
            "Transactions committed in blocks since the node started",
            transactions.clone(),
        );
        registry.register(
            "yima_block_execution_seconds",
            "Time to build (as proposer) or execute (as validator or full node) one block",
            block_execution.clone(),
        );
        registry.register(
            "yima_block_commit_seconds",
            "Time to write one decided block, its state, events and indexes",
            block_commit.clone(),
        );
        Self {
            registry,
            block_height,
            finalized_height,
            peers,
            txpool_ready,
            txpool_transactions,
            txpool_futures,
            transactions,
            weight_exhausted,
            refused,
            equivocations,
            gossip_strikes,
            gossip_bans,
            rpc_rate_limited,
            rpc_busy,
            block_execution,
            block_commit,
        }
    }

    /// Sets the number of connected peers (the network calls this when a peer comes or goes).
    pub fn set_peers(&self, peers: usize) {
        self.peers.set(i64::try_from(peers).unwrap_or(i64::MAX));
    }

    /// Records one block built or executed in `took`.
    pub fn observe_execution(&self, took: Duration) {
        self.block_execution.observe(seconds(took));
    }

    /// Records `n` transactions of a committed block stopped at the per-transaction weight limit.
    pub fn observe_weight_exhausted(&self, n: usize) {
        self.weight_exhausted.inc_by(n as u64);
    }

    /// Records the pool's refusals among ingress `results` (RPC or gossip), by reason.
    pub fn observe_ingress<T>(&self, results: &[Result<T, yima_txpool::PoolError>]) {
        for e in results.iter().filter_map(|r| r.as_ref().err()) {
            self.refused
                .get_or_create(&vec![("reason".to_string(), e.reason().to_string())])
                .inc();
        }
    }

    /// Records one equivocation of `kind` (`prevote`, `precommit`, `proposal`).
    pub fn observe_equivocation(&self, kind: &str) {
        self.equivocations
            .get_or_create(&vec![("kind".to_string(), kind.to_string())])
            .inc();
    }

    /// Records a strike against a gossip peer, and whether it was banned.
    pub fn observe_strike(&self, banned: bool) {
        if banned {
            self.gossip_bans.inc();
        } else {
            self.gossip_strikes.inc();
        }
    }

    /// The counter of calls refused by a connection's rate limit, for the RPC server.
    pub fn rpc_rate_limited(&self) -> Counter {
        self.rpc_rate_limited.clone()
    }

    /// The counter of readers refused as busy, for the RPC server.
    pub fn rpc_busy(&self) -> Counter {
        self.rpc_busy.clone()
    }

    /// Records one committed block: its number, its transactions and how long writing it took.
    pub fn observe_commit(&self, number: u64, transactions: usize, took: Duration) {
        self.block_commit.observe(seconds(took));
        self.transactions.inc_by(transactions as u64);
        self.set_height(number);
    }

    fn set_height(&self, number: u64) {
        let n = i64::try_from(number).unwrap_or(i64::MAX);
        self.block_height.set(n);
        self.finalized_height.set(n);
    }

    /// The metrics text, with the height and pool gauges read from `host` now.
    pub fn render(&self, host: &NodeHost) -> String {
        if let Ok(Some(head)) = host.store().head_number() {
            self.set_height(head);
        }
        let (ready, total, futures) = {
            let pool = host.pool();
            (pool.ready_len(), pool.len(), pool.future_len())
        };
        self.txpool_ready.set(ready as i64);
        self.txpool_transactions.set(total as i64);
        self.txpool_futures.set(futures as i64);
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

async fn answer(
    request: Request<Incoming>,
    host: Arc<NodeHost>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let response = if request.method() == Method::GET && request.uri().path() == "/metrics" {
        Response::builder()
            .header(hyper::header::CONTENT_TYPE, CONTENT_TYPE)
            .body(Full::new(Bytes::from(host.metrics().render(&host))))
    } else {
        Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Full::new(Bytes::from_static(
                b"only GET /metrics is served here\n",
            )))
    };
    Ok(response.unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))))
}

/// Serves `GET /metrics` on `addr` until the returned task is aborted; returns the bound address too.
pub async fn serve(
    addr: SocketAddr,
    host: Arc<NodeHost>,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        anyhow::anyhow!("cannot serve /metrics on {addr}: {e} (--prometheus-port 0 turns it off)")
    })?;
    let local = listener.local_addr()?;
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let host = host.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| answer(req, host.clone()));
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(5))
                    .serve_connection(TokioIo::new(stream), service);
                if let Err(e) = conn.await {
                    tracing::debug!(error = %e, "metrics connection");
                }
            });
        }
    });
    Ok((local, task))
}
