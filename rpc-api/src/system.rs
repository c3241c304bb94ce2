//! `system_*`: the node's health and version (`system_peers`, an operator method whose answer is the network's
//! own type, stays in the node).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

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
#[rpc(server, client)]
pub trait SystemApi {
    /// Height and pool size.
    #[method(name = "system_health")]
    fn health(&self) -> Result<Health, ErrorObjectOwned>;

    /// The node's version.
    #[method(name = "system_version")]
    fn version(&self) -> Result<String, ErrorObjectOwned>;
}
