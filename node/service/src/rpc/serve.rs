//! The RPC server: jsonrpsee's tower service behind this node's own accept loop, so each connection knows its
//! caller's address. Per connection, from the outside in:
//!
//! 1. [`super::access::GuardLayer`]: `Host` and `Origin` allow-lists; the [`super::access::Caller`] (operator
//!    or not) in the request's extensions;
//! 2. [`crate::web::WebLayer`]: web pages (GETs of web routes), read through the [`Readers`];
//! 3. jsonrpsee (HTTP and WebSocket), its RPC middleware [`RateLimit`] (one bucket per connection) then
//!    [`ReaderGate`] (store readers through the [`Readers`]).
//!
//! Connection, body, batch and subscription limits are jsonrpsee's ([`super::RpcConfig`]).

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::server::middleware::rpc::RpcServiceBuilder;
use jsonrpsee::server::{
    serve_with_graceful_shutdown, stop_channel, BatchRequestConfig, Server, ServerConfig,
    ServerHandle,
};
use jsonrpsee::Methods;

use super::access::{is_loopback, AccessPolicy, GuardLayer};
use super::rate_limit::{ConnectionLimit, RateLimit};
use super::readers::{ReaderGate, Readers};
use super::{Rpc, RpcConfig};
use crate::host::NodeHost;

/// Starts the RPC server on `addr` (HTTP and WebSocket on one port, web pages included); returns the address it
/// listens on and the handle that stops it.
pub async fn start(
    addr: SocketAddr,
    host: Arc<NodeHost>,
    config: &RpcConfig,
) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot serve RPC on {addr}: {e}"))?;
    let local = listener.local_addr()?;
    let policy = Arc::new(AccessPolicy::new(
        config.methods,
        &local,
        &config.hosts,
        &config.cors,
    ));
    if config.methods == super::RpcMethods::Unsafe && !is_loopback(local.ip()) {
        tracing::warn!(%local, "operator RPC methods are exposed to every caller (--rpc-methods unsafe)");
    }
    let busy = host.metrics().rpc_busy();
    let readers = Readers::new(config.readers).counting(busy.clone());
    // Block and state reads have their own lane, so that traces and recalls cannot starve them.
    let light_readers = Readers::new(config.readers).counting(busy);
    let rate_limited = host.metrics().rpc_rate_limited();
    let server_config = ServerConfig::builder()
        .max_request_body_size(config.max_request_bytes)
        .max_response_body_size(config.max_response_bytes)
        .max_connections(config.max_connections)
        .max_subscriptions_per_connection(config.max_subscriptions)
        .set_batch_request_config(BatchRequestConfig::Limit(config.max_batch))
        .build();
    let builder = Server::builder()
        .set_config(server_config)
        .to_service_builder();
    let methods: Methods = Rpc::with_readers(host.clone(), false, readers.clone())
        .into_module()
        .into();
    let (stop, handle) = stop_channel();
    let rate = config.rate_limit;
    tokio::spawn(async move {
        loop {
            let (socket, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::debug!(error = %e, "RPC accept failed");
                        continue;
                    }
                },
                _ = stop.clone().shutdown() => break,
            };
            let _ = socket.set_nodelay(true);
            let limit = ConnectionLimit::new(rate).map(|l| l.counting(rate_limited.clone()));
            let (heavy, light) = (readers.clone(), light_readers.clone());
            let rpc_middleware = RpcServiceBuilder::new()
                .layer_fn(move |service| RateLimit::new(service, limit.clone()))
                .layer_fn(move |service| ReaderGate::new(service, heavy.clone(), light.clone()));
            let http_middleware = tower::ServiceBuilder::new()
                .layer(GuardLayer::new(policy.clone(), peer))
                .layer(crate::web::WebLayer::new(host.clone(), readers.clone()));
            let service = builder
                .clone()
                .set_rpc_middleware(rpc_middleware)
                .set_http_middleware(http_middleware)
                .build(methods.clone(), stop.clone());
            tokio::spawn(serve_with_graceful_shutdown(
                socket,
                service,
                stop.clone().shutdown(),
            ));
        }
    });
    Ok((local, handle))
}
