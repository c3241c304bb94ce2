//! The peers this node is connected to, as RPC (`system_peers`) and metrics (`yima_peers`) see them.
//!
//! A peer enters the table once identify confirmed it runs our chain's gossip protocol, and leaves with its last
//! connection. The swarm task writes; readers take a snapshot under a short read lock or read the count from an
//! atomic.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLock;
use std::time::{SystemTime, UNIX_EPOCH};

use libp2p::{Multiaddr, PeerId};
use serde::{Deserialize, Serialize};

/// What a peer is to this node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PeerRole {
    /// In the current validator set (by its peer id).
    Validator,
    /// Says it is a full node (identify agent) and is not a validator.
    FullNode,
    /// Admitted, role not announced.
    Unknown,
}

/// One connected peer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerInfo {
    /// Its libp2p peer id.
    pub peer_id: String,
    /// The remote address of its first connection.
    pub address: String,
    /// What it is, as far as this node knows.
    pub role: PeerRole,
    /// Milliseconds since the Unix epoch (UTC) when it connected.
    pub connected_since: u64,
}

/// The table shared between the swarm task and its readers.
#[derive(Debug, Default)]
pub struct PeerTable {
    peers: RwLock<BTreeMap<PeerId, Entry>>,
    count: AtomicUsize,
}

#[derive(Debug)]
struct Entry {
    info: PeerInfo,
    /// What the peer announced (identify agent), whatever the validator set says.
    announced: PeerRole,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl PeerTable {
    /// Records an identified peer with the role it `announced` and the role this node gives it; returns `false`
    /// if it was already there (its roles are refreshed).
    pub(crate) fn insert(
        &self,
        peer: PeerId,
        address: &Multiaddr,
        announced: PeerRole,
        role: PeerRole,
    ) -> bool {
        let mut peers = self.peers.write().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = peers.get_mut(&peer) {
            known.info.role = role;
            known.announced = announced;
            return false;
        }
        peers.insert(
            peer,
            Entry {
                info: PeerInfo {
                    peer_id: peer.to_string(),
                    address: address.to_string(),
                    role,
                    connected_since: now_ms(),
                },
                announced,
            },
        );
        self.count.store(peers.len(), Ordering::Relaxed);
        true
    }

    /// Forgets a peer; returns whether it was there.
    pub(crate) fn remove(&self, peer: &PeerId) -> bool {
        let mut peers = self.peers.write().unwrap_or_else(|e| e.into_inner());
        let removed = peers.remove(peer).is_some();
        self.count.store(peers.len(), Ordering::Relaxed);
        removed
    }

    /// Sets the role of every peer from `role_of(peer, announced role)`.
    pub(crate) fn refresh_roles(&self, role_of: impl Fn(&PeerId, PeerRole) -> PeerRole) {
        let mut peers = self.peers.write().unwrap_or_else(|e| e.into_inner());
        for (id, entry) in peers.iter_mut() {
            entry.info.role = role_of(id, entry.announced);
        }
    }

    /// Connected, identified peers, by peer id.
    pub fn snapshot(&self) -> Vec<PeerInfo> {
        self.peers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .map(|e| e.info.clone())
            .collect()
    }

    /// How many peers are connected and identified (the `yima_peers` gauge).
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Whether `peer` is in the table.
    pub fn contains(&self, peer: &PeerId) -> bool {
        self.peers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(peer)
    }
}
