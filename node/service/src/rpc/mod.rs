//! JSON-RPC 2.0 over HTTP and WebSocket (jsonrpsee, one port). One module per family, each implementing the
//! generated `…Server` trait of its family in `yima-rpc-api`, where the methods and their JSON types are
//! defined once for node and client (only the operator method `system_peers` is declared here):
//!
//! | module | methods |
//! |--------|---------|
//! | [`author`] | `author_submitTransaction`, `author_submitBatch`; operator: `author_pendingTransactions` |
//! | [`chain`] | `chain_getHeader`, `chain_getBlock`, `chain_getFinalizedHead`, `chain_getCertificate`, `chain_subscribeFinalizedHeads` |
//! | [`evidence`] | `chain_getEvidence` (equivocations this node saw, each with both signed messages) |
//! | [`state`] | `state_get` (value + JMT proof at any height) |
//! | [`trace`] | `trace_history`, `trace_recall`, `trace_chain` (a code's events, what its history summary commits), `trace_orgEvents` (an organisation's custody events, paged; JSON shapes in [`trace_json`], pages in [`page`]) |
//! | [`proof`] | `proof_event` (the auditor proof of one event) |
//! | [`records`] | `records_recordCard`, `records_purchaseWindow`, `records_prescription`, `records_pharmacist`, `records_blackBox`, `records_customsEntry`, `records_attestations`, `records_equipment`, `records_organisation` (read-back with state proofs; personal records need a signed grant. Traits and types in `yima-rpc-api`) |
//! | [`alerts`] | `alerts_subscribe` |
//! | [`system`] | `system_health`, `system_version` |
//! | [`peers`] | operator: `system_peers` (the gossip network's connected peers) |
//!
//! Hashes, accounts and SCALE bytes are `0x`-prefixed hex. Error codes are in [`error`] (and 1040 busy,
//! 1050 rate limited, 1060 access denied beside their checks). JSON types live in `yima-rpc-api`, at the edge;
//! nothing below the RPC knows JSON.
//!
//! ## Limits ([`RpcConfig`])
//!
//! Request body [`MAX_REQUEST_BYTES`] (a full `author_submitBatch` fits), response body [`MAX_RESPONSE_BYTES`],
//! JSON-RPC batch [`MAX_BATCH`] calls, [`MAX_CONNECTIONS`] connections, [`MAX_SUBSCRIPTIONS`] subscriptions per
//! connection. `--rpc-max-connections` changes the connection limit. Per connection, at most
//! `--rpc-rate-limit` calls a second ([`rate_limit`]). Store readers — web pages, proofs, traces, alerts — run
//! at most `--rpc-readers` at a time on tokio's blocking pool ([`readers`]), so block execution, which
//! consensus runs on the same pool, never waits for a reader.
//!
//! ## Operator methods (`--rpc-methods auto|safe|unsafe`, as Substrate)
//!
//! Methods that show or change the node's own business (`author_pendingTransactions`, `system_peers`, which
//! would disclose the validators' addresses) answer only when [`RpcMethods::allows_caller`]: `auto` (the
//! default) allows them to a caller on this machine (a loopback peer address) that no proxy forwarded,
//! `safe` never, `unsafe` always. Refused calls get [`error::UNSAFE_METHOD`] with the reason.
//!
//! ## Who may call ([`access`])
//!
//! `Host` and `Origin` allow-lists (`--rpc-host`, `--rpc-cors`) against DNS rebinding and cross-site requests,
//! checked for the web pages and JSON-RPC alike. The server ([`serve`]) accepts connections itself so each
//! request knows its caller's address.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use jsonrpsee::server::ServerHandle;
use jsonrpsee::{Extensions, RpcModule};

use crate::host::NodeHost;

pub mod access;
pub mod alerts;
pub mod author;
pub mod chain;
pub mod error;
pub mod evidence;
pub mod page;
pub mod peers;
pub mod proof;
pub mod rate_limit;
pub mod readers;
pub mod records;
pub mod runtime;
pub mod serve;
pub mod state;
pub mod system;
pub mod trace;
pub use yima_rpc_api::trace_json;

pub use author::{PendingPool, SubmitOutcome, MAX_SUBMIT_BATCH};
pub use chain::{BlockJson, HeaderJson};
pub use error::{BAD_PARAMS, INVALID_TX, NODE_ERROR, NOT_ON_CHAIN, UNSAFE_METHOD};
pub use system::Health;

/// Largest request body accepted (a batch of transactions at the chain's size limit fits).
pub const MAX_REQUEST_BYTES: u32 = 16 * 1024 * 1024;
/// Largest response body sent (a full block, a long trace or recall).
pub const MAX_RESPONSE_BYTES: u32 = 32 * 1024 * 1024;
/// Largest JSON-RPC batch accepted.
pub const MAX_BATCH: u32 = 256;
/// Most concurrent connections.
pub const MAX_CONNECTIONS: u32 = 256;
/// Most subscriptions per connection.
pub const MAX_SUBSCRIPTIONS: u32 = 64;

/// Which methods the server exposes (`--rpc-methods`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RpcMethods {
    /// Operator methods only to a caller on this machine that no proxy forwarded.
    #[default]
    Auto,
    /// Never operator methods.
    Safe,
    /// Operator methods to every caller (put the RPC behind a trusted proxy).
    Unsafe,
}

impl RpcMethods {
    /// Whether operator methods answer a caller whose TCP peer address is `peer`; `forwarded`: the request
    /// carries a proxy's forwarding header, so the peer is a proxy and the caller someone else.
    pub fn allows_caller(self, peer: &SocketAddr, forwarded: bool) -> bool {
        match self {
            RpcMethods::Auto => access::is_loopback(peer.ip()) && !forwarded,
            RpcMethods::Safe => false,
            RpcMethods::Unsafe => true,
        }
    }
}

/// The server's limits and method policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcConfig {
    /// Largest request body, bytes.
    pub max_request_bytes: u32,
    /// Largest response body, bytes.
    pub max_response_bytes: u32,
    /// Largest JSON-RPC batch.
    pub max_batch: u32,
    /// Most concurrent connections.
    pub max_connections: u32,
    /// Most subscriptions per connection.
    pub max_subscriptions: u32,
    /// Operator-method policy.
    pub methods: RpcMethods,
    /// `--rpc-host`: host names answered besides loopback ones ([`access::ALL`]: any).
    pub hosts: Vec<String>,
    /// `--rpc-cors`: other sites' origins whose pages may call ([`access::ALL`]: any).
    pub cors: Vec<String>,
    /// `--rpc-rate-limit`: calls per second per connection (0: no limit).
    pub rate_limit: u32,
    /// `--rpc-readers`: store readers (web pages, proofs, traces) running at once.
    pub readers: usize,
}

impl Default for RpcConfig {
    fn default() -> Self {
        Self {
            max_request_bytes: MAX_REQUEST_BYTES,
            max_response_bytes: MAX_RESPONSE_BYTES,
            max_batch: MAX_BATCH,
            max_connections: MAX_CONNECTIONS,
            max_subscriptions: MAX_SUBSCRIPTIONS,
            methods: RpcMethods::Auto,
            hosts: Vec::new(),
            cors: Vec::new(),
            rate_limit: rate_limit::DEFAULT_CALLS_PER_SECOND,
            readers: readers::default_readers(),
        }
    }
}

/// The RPC methods over a node: every family's trait is implemented on it.
#[derive(Clone)]
pub struct Rpc {
    host: Arc<NodeHost>,
    unsafe_allowed: bool,
    readers: readers::Readers,
    alerts: Arc<OnceLock<alerts::AlertHub>>,
}

impl Rpc {
    /// The methods over `host`. Operator methods answer a request that carries a [`access::Caller`] (every
    /// request through the server) when the caller is the operator, and one without (an in-process
    /// `RpcModule::call`) if `unsafe_allowed`.
    pub fn new(host: Arc<NodeHost>, unsafe_allowed: bool) -> Self {
        Self::with_readers(host, unsafe_allowed, readers::Readers::default())
    }

    /// As [`Rpc::new`], its own store reads (alerts) through `readers`.
    pub fn with_readers(
        host: Arc<NodeHost>,
        unsafe_allowed: bool,
        readers: readers::Readers,
    ) -> Self {
        Self {
            host,
            unsafe_allowed,
            readers,
            alerts: Arc::new(OnceLock::new()),
        }
    }

    /// Whether the request with `ext` may use operator methods.
    pub fn operator(&self, ext: &Extensions) -> bool {
        ext.get::<access::Caller>()
            .map_or(self.unsafe_allowed, |caller| caller.operator)
    }

    /// Every method, in one module (also usable in-process: `RpcModule::call`).
    pub fn into_module(self) -> RpcModule<()> {
        use alerts::AlertsApiServer;
        use author::AuthorApiServer;
        use chain::ChainApiServer;
        use evidence::EvidenceApiServer;
        use peers::PeersApiServer;
        use proof::ProofApiServer;
        use state::StateApiServer;
        use system::SystemApiServer;
        use trace::TraceApiServer;
        use yima_rpc_api::RecordsApiServer;

        let mut module = RpcModule::new(());
        let parts: [jsonrpsee::Methods; 10] = [
            RecordsApiServer::into_rpc(self.clone()).into(),
            AuthorApiServer::into_rpc(self.clone()).into(),
            ChainApiServer::into_rpc(self.clone()).into(),
            EvidenceApiServer::into_rpc(self.clone()).into(),
            StateApiServer::into_rpc(self.clone()).into(),
            TraceApiServer::into_rpc(self.clone()).into(),
            ProofApiServer::into_rpc(self.clone()).into(),
            AlertsApiServer::into_rpc(self.clone()).into(),
            PeersApiServer::into_rpc(self.clone()).into(),
            SystemApiServer::into_rpc(self).into(),
        ];
        for part in parts {
            module
                .merge(part)
                .expect("method names are unique across the RPC families");
        }
        module
    }
}

/// Starts the RPC server on `addr` (HTTP and WebSocket on one port, web pages included): see [`serve::start`].
pub async fn start(
    addr: SocketAddr,
    host: Arc<NodeHost>,
    config: &RpcConfig,
) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    serve::start(addr, host, config).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_methods_follow_the_callers_address() {
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let v6: SocketAddr = "[::1]:50000".parse().unwrap();
        let stranger: SocketAddr = "203.0.113.7:50000".parse().unwrap();
        assert!(RpcMethods::Auto.allows_caller(&local, false));
        assert!(RpcMethods::Auto.allows_caller(&v6, false));
        assert!(!RpcMethods::Auto.allows_caller(&stranger, false));
        assert!(!RpcMethods::Auto.allows_caller(&local, true), "a proxy's");
        assert!(!RpcMethods::Safe.allows_caller(&local, false));
        assert!(RpcMethods::Unsafe.allows_caller(&stranger, true));
    }
}
