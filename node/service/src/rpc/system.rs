//! `system_*`: the node's health and version (`system_peers` is in [`super::peers`]).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

use super::error::node_error;
use super::Rpc;

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

/// The node itself.
#[rpc(server)]
pub trait SystemApi {
    /// Height and pool size.
    #[method(name = "system_health")]
    fn health(&self) -> Result<Health, ErrorObjectOwned>;

    /// The node's version.
    #[method(name = "system_version")]
    fn version(&self) -> Result<String, ErrorObjectOwned>;
}

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
