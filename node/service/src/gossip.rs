//! The node's side of transaction gossip ([`yima_network`]): the pool as the network's sink, the network's
//! settings from the CLI and chain spec, and the task that follows the chain — re-gossip of what stays pooled,
//! the admitted peer set on both networks when the validator set changes, and the `yima_peers` gauge.
//!
//! ## Who may connect (both networks, one rule)
//!
//! The chain spec's `allowed_peers`, the bootnodes' peer ids, and the current validators' peer ids (a validator's
//! network key is its consensus key). The gossip swarm enforces it with its allow-list; Malachite with
//! `persistent_peers_only` over the bootnodes plus identity-only entries `/p2p/<id>` for the others (admitted,
//! never dialled). When a committed block changes the next height's validator set, [`follow_chain`] updates both.

use std::collections::BTreeSet;
use std::sync::Arc;

use parity_scale_codec::Encode;
use tokio::sync::broadcast::error::RecvError;
use tokio::task::JoinHandle;
use yima_consensus::engine::PeerControl;
use yima_consensus::{Host, NodeKey};
use yima_frame::{AccountId, Hash};
use yima_network::policy::{identity_addr, peer_id_of};
use yima_network::{
    IngressError, Multiaddr, Network, NetworkConfig, NetworkEvent, NetworkHandle, NodeRole, PeerId,
    TransactionSink,
};
use yima_txpool::PoolError;

use crate::host::NodeHost;
use crate::service::NodeSettings;

/// Most pooled transactions re-gossiped after one block.
pub const MAX_REGOSSIP: usize = 4_096;

impl TransactionSink for NodeHost {
    /// Gossiped transactions go through the pool's batched ingress against the head's state — and are not
    /// published again (gossipsub forwards what the network accepts).
    fn import(
        &self,
        txs: Vec<Vec<u8>>,
        senders: &[usize],
    ) -> Result<Vec<Result<Hash, PoolError>>, IngressError> {
        let state = self.state().map_err(|e| IngressError(e.to_string()))?;
        let results = self.pool_ingress().submit_bytes_from(txs, senders, state);
        self.metrics().observe_ingress(&results);
        Ok(results)
    }

    fn ready(&self, admitted: &[Hash]) -> Vec<bool> {
        self.pool_ingress().ready_among(admitted)
    }
}

/// The validators of the next height, as accounts.
pub fn next_validators(host: &NodeHost) -> anyhow::Result<Vec<AccountId>> {
    let head = host.store().head_number()?.unwrap_or(0);
    Ok(host
        .validators_for(head + 1)
        .map_err(|e| anyhow::anyhow!("reading the validator set: {e}"))?
        .into_iter()
        .map(|v| v.key)
        .collect())
}

/// The gossip network started, and what consensus and the chain follower need from it.
#[derive(Debug)]
pub struct Gossip {
    /// The running network.
    pub network: Network,
    /// Malachite's persistent peers: the bootnodes, plus `/p2p/<id>` for every other admitted id.
    pub consensus_peers: Vec<Multiaddr>,
    /// Ids admitted whatever the validator set: `allowed_peers` and the bootnodes'.
    pub fixed: BTreeSet<PeerId>,
    /// The validators' ids Malachite admits identity-only (not fixed, not us).
    pub validator_peers: BTreeSet<PeerId>,
}

/// Starts the gossip network for the node and connects it to the host (so RPC ingress is gossiped).
pub async fn start(settings: &NodeSettings, host: &Arc<NodeHost>) -> anyhow::Result<Gossip> {
    let (secret, role) = match &settings.key {
        NodeKey::Validator(s) => (*s, NodeRole::Validator),
        NodeKey::FullNode(s) => (*s, NodeRole::FullNode),
    };
    let local = yima_consensus::peer_id(&secret)?;
    let allowed = yima_network::parse_peer_ids(&settings.spec.allowed_peers)
        .map_err(|e| anyhow::anyhow!("chain spec allowed_peers: {e}"))?;
    let validators = next_validators(host)?;

    let mut config = NetworkConfig::new(
        settings.gossip_listen_addr.clone(),
        secret,
        host.genesis_hash(),
        role,
    );
    config.bootnodes = settings.gossip_peers.clone();
    config.allowed_peers = allowed.clone();
    config.validators = validators.clone();
    let network = yima_network::start(config, host.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    host.set_network(network.handle().clone());

    let fixed: BTreeSet<PeerId> = allowed
        .iter()
        .copied()
        .chain(settings.peers.iter().filter_map(peer_id_of))
        .collect();
    let others = |ids: &mut dyn Iterator<Item = PeerId>| -> BTreeSet<PeerId> {
        ids.filter(|id| *id != local).collect()
    };
    let validator_peers: BTreeSet<PeerId> = others(
        &mut validators
            .iter()
            .filter_map(yima_network::validator_peer_id)
            .filter(|id| !fixed.contains(id)),
    );
    let listed: BTreeSet<PeerId> = settings.peers.iter().filter_map(peer_id_of).collect();
    let mut consensus_peers = settings.peers.clone();
    consensus_peers.extend(
        others(&mut allowed.iter().copied().filter(|id| !listed.contains(id)))
            .iter()
            .chain(&validator_peers)
            .map(identity_addr),
    );
    Ok(Gossip {
        network,
        consensus_peers,
        fixed,
        validator_peers,
    })
}

/// Follows committed blocks: re-gossips what stays pooled, refreshes the admitted validators on the gossip network
/// and in Malachite (`validator_peers` is what Malachite was started with for them), and keeps `yima_peers` current.
pub fn follow_chain(
    host: Arc<NodeHost>,
    network: NetworkHandle,
    consensus: PeerControl,
    fixed: BTreeSet<PeerId>,
    mut validator_peers: BTreeSet<PeerId>,
) -> JoinHandle<()> {
    let mut heads = host.subscribe_finalized();
    let mut events = network.events();
    let local = network.local_peer_id();
    tokio::spawn(async move {
        let mut next_validators_hash = None;
        loop {
            tokio::select! {
                head = heads.recv() => match head {
                    Ok(header) => {
                        regossip(&host, &network);
                        if next_validators_hash != Some(header.next_validators_hash) {
                            next_validators_hash = Some(header.next_validators_hash);
                            validator_peers = refresh_validators(&host, &network, &consensus, &fixed, validator_peers, local).await;
                        }
                    }
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                },
                event = events.recv() => match event {
                    Ok(NetworkEvent::PeerConnected { .. } | NetworkEvent::PeerDisconnected { .. }) | Err(RecvError::Lagged(_)) => {
                        host.metrics().set_peers(network.peer_count());
                    }
                    Ok(NetworkEvent::Rejected { .. }) => host.metrics().observe_strike(false),
                    Ok(NetworkEvent::PeerBanned { .. }) => host.metrics().observe_strike(true),
                    Ok(_) => {}
                    Err(RecvError::Closed) => return,
                },
            }
        }
    })
}

fn regossip(host: &NodeHost, network: &NetworkHandle) {
    let due: Vec<Vec<u8>> = host
        .pool()
        .pending_for_gossip(MAX_REGOSSIP)
        .iter()
        .map(Encode::encode)
        .collect();
    if !due.is_empty() {
        tracing::debug!(count = due.len(), "re-gossiping pooled transactions");
        network.publish(due);
    }
}

/// Applies the next height's validator set to both networks; returns the validator ids Malachite now admits
/// identity-only.
async fn refresh_validators(
    host: &Arc<NodeHost>,
    network: &NetworkHandle,
    consensus: &PeerControl,
    fixed: &BTreeSet<PeerId>,
    current: BTreeSet<PeerId>,
    local: PeerId,
) -> BTreeSet<PeerId> {
    let reader = host.clone();
    let validators = match tokio::task::spawn_blocking(move || next_validators(&reader)).await {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            tracing::warn!("cannot refresh the admitted peers: {e:#}");
            return current;
        }
        Err(e) => {
            tracing::warn!("cannot refresh the admitted peers: {e}");
            return current;
        }
    };
    let wanted: BTreeSet<PeerId> = validators
        .iter()
        .filter_map(yima_network::validator_peer_id)
        .filter(|id| *id != local && !fixed.contains(id))
        .collect();
    network.set_validators(validators);
    for id in wanted.difference(&current) {
        if let Err(e) = consensus.add(identity_addr(id)).await {
            tracing::warn!(peer = %id, "cannot admit the new validator to consensus: {e}");
        } else {
            tracing::info!(peer = %id, "new validator admitted to the consensus network");
        }
    }
    for id in current.difference(&wanted) {
        if let Err(e) = consensus.remove(identity_addr(id)).await {
            tracing::warn!(peer = %id, "cannot drop the former validator from consensus: {e}");
        } else {
            tracing::info!(peer = %id, "former validator dropped from the consensus network");
        }
    }
    wanted
}
