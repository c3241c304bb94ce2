//! `system_peers`: the peers this node's gossip network is connected to (one key per node, so the same peer ids
//! as on the consensus network).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use yima_network::PeerInfo;

use super::Rpc;

/// The node's peers.
#[rpc(server)]
pub trait PeersApi {
    /// Connected peers: peer id, remote address, role (`validator`, `fullNode` or `unknown`) and connected since
    /// (milliseconds since the Unix epoch). Empty while the network is not started.
    #[method(name = "system_peers")]
    fn peers(&self) -> Result<Vec<PeerInfo>, ErrorObjectOwned>;
}

impl PeersApiServer for Rpc {
    fn peers(&self) -> Result<Vec<PeerInfo>, ErrorObjectOwned> {
        Ok(self.host.network().map(|n| n.peers()).unwrap_or_default())
    }
}
