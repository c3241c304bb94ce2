//! The gossip network's settings and the addressing rule.
//!
//! ## Addressing
//!
//! The gossip swarm listens on its own TCP port, next to Malachite's consensus port: by default the p2p port + 1
//! ([`GOSSIP_PORT_OFFSET`]), so a node started with `--p2p-port 30333` gossips on 30334, and nodes running on one
//! machine space their p2p ports by two (30333, 30335, …). A peer's gossip address is derived from its bootnode
//! multiaddr by the same rule ([`gossip_addr`]): `/ip4/10.0.0.2/tcp/30333/p2p/12D3Koo…` is dialled for gossip at
//! `/ip4/10.0.0.2/tcp/30334/p2p/12D3Koo…`. The peer id is the same on both networks (one key per node).

use std::time::Duration;

use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId};
use yima_frame::{AccountId, Hash};

use crate::batcher::BatchConfig;
use crate::NetworkError;

/// The default distance between a node's consensus (p2p) port and its gossip port.
pub const GOSSIP_PORT_OFFSET: u16 = 1;

/// Default [`NetworkConfig::max_message_bytes`]: 4 MiB, room for sixteen transactions at the default 256 KiB
/// transaction size limit.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

/// Default [`NetworkConfig::ingress_queue_bytes`]: 64 MiB, sixteen full messages waiting for the pool.
pub const DEFAULT_INGRESS_QUEUE_BYTES: usize = 64 * 1024 * 1024;
/// Default [`NetworkConfig::strike_decay`]: a minute per strike forgiven.
pub const DEFAULT_STRIKE_DECAY: Duration = Duration::from_secs(60);
/// Default [`NetworkConfig::max_connections_per_peer`]: one each way.
pub const DEFAULT_MAX_CONNECTIONS_PER_PEER: u32 = 2;
/// Default [`NetworkConfig::max_pending_incoming`]: connections still in their handshake (anyone can open one;
/// the allow-list only judges a connection once established).
pub const DEFAULT_MAX_PENDING_INCOMING: u32 = 32;
/// Default [`NetworkConfig::max_established`]: far above a permissioned network's peer count.
pub const DEFAULT_MAX_ESTABLISHED: u32 = 256;

/// What this node is, as it announces itself to peers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRole {
    /// Votes in consensus.
    Validator,
    /// Follows consensus without voting.
    FullNode,
}

impl NodeRole {
    /// The identify agent version announced: `yima-node/<version> (<role>)`.
    pub fn agent_version(self) -> String {
        let role = match self {
            Self::Validator => "validator",
            Self::FullNode => "full",
        };
        format!("yima-node/{} ({role})", env!("CARGO_PKG_VERSION"))
    }

    /// The role a peer announced in its agent version, if it is a Yima node.
    pub fn from_agent_version(agent: &str) -> Option<Self> {
        if !agent.starts_with("yima-node/") {
            return None;
        }
        if agent.ends_with("(validator)") {
            Some(Self::Validator)
        } else if agent.ends_with("(full)") {
            Some(Self::FullNode)
        } else {
            None
        }
    }
}

/// Everything the gossip network runs with.
#[derive(Clone)]
pub struct NetworkConfig {
    /// Where to listen, e.g. `/ip4/0.0.0.0/tcp/30334`.
    pub listen_addr: Multiaddr,
    /// Peers to dial (and keep dialling while disconnected), with their peer id: `/ip4/…/tcp/…/p2p/12D3Koo…`.
    pub bootnodes: Vec<Multiaddr>,
    /// The node's ed25519 secret: the validator key, or a full node's network key.
    pub secret: [u8; 32],
    /// The chain's genesis hash (in every protocol name).
    pub genesis: Hash,
    /// What this node announces itself as.
    pub role: NodeRole,
    /// The chain spec's `allowed_peers`.
    pub allowed_peers: Vec<PeerId>,
    /// The current validators (their peer ids are admitted); the node updates them on validator-set changes.
    pub validators: Vec<AccountId>,
    /// Outgoing batching.
    pub batch: BatchConfig,
    /// Largest gossip message sent or accepted.
    pub max_message_bytes: usize,
    /// Rejected messages after which a peer is disconnected and banned.
    pub strikes_before_ban: u32,
    /// How long a banned peer stays refused.
    pub ban_duration: Duration,
    /// How often disconnected bootnodes are dialled again.
    pub redial_interval: Duration,
    /// Time after which one strike is forgiven (see [`strikes`](crate::strikes)).
    pub strike_decay: Duration,
    /// Most bytes of received messages waiting for, or being judged by, the pool; past it messages are dropped
    /// unforwarded.
    pub ingress_queue_bytes: usize,
    /// Most established connections with one peer.
    pub max_connections_per_peer: u32,
    /// Most incoming connections still in their handshake.
    pub max_pending_incoming: u32,
    /// Most established connections in all.
    pub max_established: u32,
}

impl std::fmt::Debug for NetworkConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkConfig")
            .field("listen_addr", &self.listen_addr)
            .field("bootnodes", &self.bootnodes)
            .field("secret", &"<secret>")
            .field("genesis", &self.genesis)
            .field("role", &self.role)
            .field("allowed_peers", &self.allowed_peers)
            .field("validators", &self.validators.len())
            .field("batch", &self.batch)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("strikes_before_ban", &self.strikes_before_ban)
            .field("ban_duration", &self.ban_duration)
            .field("redial_interval", &self.redial_interval)
            .field("strike_decay", &self.strike_decay)
            .field("ingress_queue_bytes", &self.ingress_queue_bytes)
            .field("max_connections_per_peer", &self.max_connections_per_peer)
            .field("max_pending_incoming", &self.max_pending_incoming)
            .field("max_established", &self.max_established)
            .finish()
    }
}

impl NetworkConfig {
    /// A configuration with default limits.
    pub fn new(listen_addr: Multiaddr, secret: [u8; 32], genesis: Hash, role: NodeRole) -> Self {
        Self {
            listen_addr,
            bootnodes: Vec::new(),
            secret,
            genesis,
            role,
            allowed_peers: Vec::new(),
            validators: Vec::new(),
            batch: BatchConfig::default(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            strikes_before_ban: 3,
            ban_duration: Duration::from_secs(600),
            redial_interval: Duration::from_secs(5),
            strike_decay: DEFAULT_STRIKE_DECAY,
            ingress_queue_bytes: DEFAULT_INGRESS_QUEUE_BYTES,
            max_connections_per_peer: DEFAULT_MAX_CONNECTIONS_PER_PEER,
            max_pending_incoming: DEFAULT_MAX_PENDING_INCOMING,
            max_established: DEFAULT_MAX_ESTABLISHED,
        }
    }
}

/// The gossip address of a node whose consensus address is `p2p_addr`: the same address with its TCP port moved
/// by `offset` (the `/p2p/…` component kept). `None` when the address has no TCP port or the port overflows.
pub fn gossip_addr(p2p_addr: &Multiaddr, offset: u16) -> Option<Multiaddr> {
    let mut found = false;
    let mut out = Multiaddr::empty();
    for p in p2p_addr.iter() {
        match p {
            Protocol::Tcp(port) if !found => {
                found = true;
                out.push(Protocol::Tcp(port.checked_add(offset)?));
            }
            other => out.push(other),
        }
    }
    found.then_some(out)
}

/// Parses the chain spec's `allowed_peers` (base58 libp2p peer ids).
pub fn parse_peer_ids(ids: &[String]) -> Result<Vec<PeerId>, NetworkError> {
    ids.iter()
        .map(|s| {
            s.parse::<PeerId>().map_err(|e| NetworkError::PeerId {
                text: s.clone(),
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gossip_address_moves_the_tcp_port_and_keeps_the_peer_id() {
        let peer = PeerId::random();
        let p2p: Multiaddr = format!("/ip4/10.0.0.2/tcp/30333/p2p/{peer}")
            .parse()
            .unwrap();
        let gossip = gossip_addr(&p2p, GOSSIP_PORT_OFFSET).unwrap();
        assert_eq!(
            gossip.to_string(),
            format!("/ip4/10.0.0.2/tcp/30334/p2p/{peer}")
        );
        let dns: Multiaddr = "/dns4/node.example/tcp/65535".parse().unwrap();
        assert_eq!(gossip_addr(&dns, 1), None, "port overflow");
        let udp: Multiaddr = "/ip4/1.2.3.4/udp/9000/quic-v1".parse().unwrap();
        assert_eq!(gossip_addr(&udp, 1), None, "no TCP port");
    }

    #[test]
    fn roles_round_trip_through_the_agent_version_and_peer_ids_parse() {
        for role in [NodeRole::Validator, NodeRole::FullNode] {
            assert_eq!(
                NodeRole::from_agent_version(&role.agent_version()),
                Some(role)
            );
        }
        assert_eq!(NodeRole::from_agent_version("rust-libp2p/0.56"), None);
        let peer = PeerId::random();
        assert_eq!(parse_peer_ids(&[peer.to_string()]).unwrap(), vec![peer]);
        let err = parse_peer_ids(&["12D3Kooxyz".into()]).unwrap_err();
        assert!(err.to_string().contains("12D3Kooxyz"), "{err}");
    }
}
