//! `system_*`: the node's health and version (`system_peers` is in [`super::peers`]).

use jsonrpsee::types::ErrorObjectOwned;

use super::error::node_error;
use super::Rpc;

pub use yima_rpc_api::system::{Health, SystemApiServer};

impl SystemApiServer for Rpc {
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
}
