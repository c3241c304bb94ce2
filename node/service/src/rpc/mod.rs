//! JSON-RPC 2.0 over HTTP and WebSocket (jsonrpsee, one port). One module per family:
//!
//! | module | methods |
//! |--------|---------|
//! | [`author`] | `author_submitTransaction`, `author_submitBatch`; operator: `author_pendingTransactions` |
//! | [`chain`] | `chain_getHeader`, `chain_getBlock`, `chain_getFinalizedHead`, `chain_getCertificate`, `chain_subscribeFinalizedHeads` |
//! | [`state`] | `state_get` (value + JMT proof at any height) |
//! | [`trace`] | `trace_history`, `trace_recall` (JSON shapes in [`trace_json`]) |
//! | [`proof`] | `proof_event` (the auditor proof of one event) |
//! | [`alerts`] | `alerts_subscribe` |
//! | [`system`] | `system_health`, `system_version` |
//! | [`peers`] | `system_peers` (the gossip network's connected peers) |
//!
//! Hashes, accounts and SCALE bytes are `0x`-prefixed hex. Error codes are in [`error`]. JSON types live here,
//! at the edge; nothing below the RPC knows JSON.
//!
//! ## Limits ([`RpcConfig`])
//!
//! Request body [`MAX_REQUEST_BYTES`] (a full `author_submitBatch` fits), response body [`MAX_RESPONSE_BYTES`],
//! JSON-RPC batch [`MAX_BATCH`] calls, [`MAX_CONNECTIONS`] connections, [`MAX_SUBSCRIPTIONS`] subscriptions per
//! connection. `--rpc-max-connections` changes the connection limit.
//!
//! ## Operator methods (`--rpc-methods auto|safe|unsafe`, as Substrate)
//!
//! Methods that show or change the node's own business (today `author_pendingTransactions`) answer only when
//! [`RpcMethods::allows_unsafe`]: `auto` (the default) allows them when the server listens on a loopback
//! address, `safe` never, `unsafe` always. Refused calls get [`error::UNSAFE_METHOD`] with the reason.

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::server::{BatchRequestConfig, Server, ServerConfig, ServerHandle};
use jsonrpsee::RpcModule;

use crate::host::NodeHost;

pub mod alerts;
pub mod author;
pub mod chain;
pub mod error;
pub mod peers;
pub mod proof;
pub mod state;
pub mod system;
pub mod trace;
pub mod trace_json;

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
    /// Operator methods only when listening on a loopback address.
    #[default]
    Auto,
    /// Never operator methods.
    Safe,
    /// Operator methods on any address (put the RPC behind a trusted proxy).
    Unsafe,
}

impl RpcMethods {
    /// Whether operator methods answer on a server listening on `addr`.
    pub fn allows_unsafe(self, addr: &SocketAddr) -> bool {
        match self {
            RpcMethods::Auto => addr.ip().is_loopback(),
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
        }
    }
}

/// The RPC methods over a node: every family's trait is implemented on it.
#[derive(Clone)]
pub struct Rpc {
    host: Arc<NodeHost>,
    unsafe_allowed: bool,
}

impl Rpc {
    /// The methods over `host`; operator methods answer only if `unsafe_allowed`.
    pub fn new(host: Arc<NodeHost>, unsafe_allowed: bool) -> Self {
        Self {
            host,
            unsafe_allowed,
        }
    }

    /// Every method, in one module (also usable in-process: `RpcModule::call`).
    pub fn into_module(self) -> RpcModule<()> {
        use alerts::AlertsApiServer;
        use author::AuthorApiServer;
        use chain::ChainApiServer;
        use peers::PeersApiServer;
        use proof::ProofApiServer;
        use state::StateApiServer;
        use system::SystemApiServer;
        use trace::TraceApiServer;

        let mut module = RpcModule::new(());
        let parts: [jsonrpsee::Methods; 8] = [
            AuthorApiServer::into_rpc(self.clone()).into(),
            ChainApiServer::into_rpc(self.clone()).into(),
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

/// Starts the RPC server on `addr` (HTTP and WebSocket on one port).
pub async fn start(
    addr: SocketAddr,
    host: Arc<NodeHost>,
    config: &RpcConfig,
) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    let server_config = ServerConfig::builder()
        .max_request_body_size(config.max_request_bytes)
        .max_response_body_size(config.max_response_bytes)
        .max_connections(config.max_connections)
        .max_subscriptions_per_connection(config.max_subscriptions)
        .set_batch_request_config(BatchRequestConfig::Limit(config.max_batch))
        .build();
    // Web pages (Digital Link resolver, scan page, QR, dashboard) answer GETs on the same port.
    let web = tower::ServiceBuilder::new().layer(crate::web::WebLayer::new(host.clone()));
    let server = Server::builder()
        .set_config(server_config)
        .set_http_middleware(web)
        .build(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot serve RPC on {addr}: {e}"))?;
    let local = server.local_addr()?;
    let unsafe_allowed = config.methods.allows_unsafe(&local);
    if unsafe_allowed && !local.ip().is_loopback() {
        tracing::warn!(%local, "operator RPC methods are exposed on a public address (--rpc-methods unsafe)");
    }
    let handle = server.start(Rpc::new(host, unsafe_allowed).into_module());
    Ok((local, handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_methods_follow_the_listen_address() {
        let local: SocketAddr = "127.0.0.1:9944".parse().unwrap();
        let public: SocketAddr = "0.0.0.0:9944".parse().unwrap();
        let v6: SocketAddr = "[::1]:9944".parse().unwrap();
        assert!(RpcMethods::Auto.allows_unsafe(&local));
        assert!(RpcMethods::Auto.allows_unsafe(&v6));
        assert!(!RpcMethods::Auto.allows_unsafe(&public));
        assert!(!RpcMethods::Safe.allows_unsafe(&local));
        assert!(RpcMethods::Unsafe.allows_unsafe(&public));
    }
}
