//! [`NetworkHandle`]: how the node talks to the running gossip network, and the [`NetworkEvent`]s it reports.

use std::sync::{Arc, RwLock};

use libp2p::{Multiaddr, PeerId};
use tokio::sync::{broadcast, mpsc};
use yima_frame::{AccountId, Hash};

use crate::peers::{PeerInfo, PeerRole, PeerTable};

/// Why a peer was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its peer id is not admitted (not in `allowed_peers`, not a bootnode, not a current validator).
    NotAllowed,
    /// It runs another chain (its genesis hash).
    OtherGenesis(Hash),
    /// It is not a Yima gossip node of our version (what it announced as identify `protocol_version`).
    Foreign(String),
    /// A connection limit was reached (`NetworkConfig::max_connections_per_peer`, `max_established`).
    ConnectionLimit,
}

/// What the network reports (for logs, tests and benchmarks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetworkEvent {
    /// The swarm listens on this address.
    Listening(Multiaddr),
    /// A peer was identified as one of our chain and admitted.
    PeerConnected {
        /// The peer.
        peer: PeerId,
        /// Its role.
        role: PeerRole,
    },
    /// A peer subscribed to our transaction topic: from now on it receives what this node publishes.
    PeerSubscribed {
        /// The peer.
        peer: PeerId,
    },
    /// An identified peer's last connection closed.
    PeerDisconnected {
        /// The peer.
        peer: PeerId,
    },
    /// A connection was refused or dropped by policy.
    PeerRefused {
        /// The peer.
        peer: PeerId,
        /// Why.
        reason: Refusal,
    },
    /// A gossip message's transactions went through the pool and the message was not rejected: forwarded when
    /// `admitted > 0`, ignored (not forwarded, no strike) when nothing in it was new.
    Imported {
        /// The peer that forwarded the message.
        from: PeerId,
        /// Transactions new to the pool.
        admitted: usize,
    },
    /// A gossip message was rejected (undecodable, or holding a transaction no honest pool admits: bad bytes or
    /// signature, non-member signer, expired, over the size limit) and its sender struck.
    Rejected {
        /// The peer that forwarded the message.
        from: PeerId,
        /// Why.
        reason: String,
    },
    /// A peer reached the strike limit: disconnected and refused for the ban duration.
    PeerBanned {
        /// The peer.
        peer: PeerId,
    },
    /// A batch of our transactions was published.
    Published {
        /// Transactions in the message.
        transactions: usize,
    },
}

/// Commands to the swarm task.
#[derive(Debug)]
pub(crate) enum Command {
    Publish(Vec<Vec<u8>>),
    SetValidators(Vec<AccountId>),
    Dial(Multiaddr),
    Strike(PeerId, String),
    Shutdown,
}

/// State the swarm task shares with handles.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) local_peer_id: PeerId,
    pub(crate) peers: PeerTable,
    pub(crate) listen_addrs: RwLock<Vec<Multiaddr>>,
    pub(crate) events: broadcast::Sender<NetworkEvent>,
}

/// A cheap, cloneable handle on the running network.
#[derive(Clone, Debug)]
pub struct NetworkHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) commands: mpsc::UnboundedSender<Command>,
}

impl NetworkHandle {
    /// Gossips encoded transactions this node's pool admitted (batched with others, see `batcher`). Call it
    /// with what RPC ingress admitted and with re-gossip; never with what came from gossip.
    pub fn publish(&self, txs: Vec<Vec<u8>>) {
        if !txs.is_empty() {
            let _ = self.commands.send(Command::Publish(txs));
        }
    }

    /// Replaces the validator set the allow-list admits (after a committed block changed it); peers no longer
    /// admitted are disconnected.
    pub fn set_validators(&self, validators: Vec<AccountId>) {
        let _ = self.commands.send(Command::SetValidators(validators));
    }

    /// Counts a fault found outside transaction gossip against `peer` (e.g. a consensus proposal stream only a
    /// faulty or hostile node sends): one strike, as for a rejected gossip message, with the same decay and
    /// ban (the peer is disconnected from transaction gossip and refused for the ban duration).
    pub fn strike(&self, peer: PeerId, reason: impl Into<String>) {
        let _ = self.commands.send(Command::Strike(peer, reason.into()));
    }

    /// Dials an address (with its `/p2p/` peer id) once.
    pub fn dial(&self, addr: Multiaddr) {
        let _ = self.commands.send(Command::Dial(addr));
    }

    /// Stops the swarm task.
    pub fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
    }

    /// This node's peer id.
    pub fn local_peer_id(&self) -> PeerId {
        self.shared.local_peer_id
    }

    /// The addresses the swarm listens on (known once [`NetworkEvent::Listening`] was reported).
    pub fn listen_addrs(&self) -> Vec<Multiaddr> {
        self.shared
            .listen_addrs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Connected, identified peers (`system_peers`).
    pub fn peers(&self) -> Vec<PeerInfo> {
        self.shared.peers.snapshot()
    }

    /// How many peers are connected and identified (the `yima_peers` gauge).
    pub fn peer_count(&self) -> usize {
        self.shared.peers.count()
    }

    /// Whether `peer` is connected and identified.
    pub fn is_connected(&self, peer: &PeerId) -> bool {
        self.shared.peers.contains(peer)
    }

    /// Subscribes to [`NetworkEvent`]s from now on.
    pub fn events(&self) -> broadcast::Receiver<NetworkEvent> {
        self.shared.events.subscribe()
    }
}
