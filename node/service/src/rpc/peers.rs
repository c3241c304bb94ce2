//! `system_peers`: the peers this node's gossip network is connected to (one key per node, so the same peer ids
//! as on the consensus network). An operator method: it would tell a stranger where the validators are.

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::Extensions;
use yima_network::PeerInfo;

use super::error::unsafe_method;
use super::Rpc;

/// The node's peers.
#[rpc(server)]
pub trait PeersApi {
    /// Connected peers: peer id, remote address, role (`validator`, `fullNode` or `unknown`) and connected since
    /// (milliseconds since the Unix epoch). Empty while the network is not started. Operator only.
    #[method(name = "system_peers", with_extensions)]
    fn peers(&self) -> Result<Vec<PeerInfo>, ErrorObjectOwned>;
}

impl PeersApiServer for Rpc {
    fn peers(&self, ext: &Extensions) -> Result<Vec<PeerInfo>, ErrorObjectOwned> {
        if !self.operator(ext) {
            return Err(unsafe_method("system_peers"));
        }
        Ok(self.host.network().map(|n| n.peers()).unwrap_or_default())
    }
}
