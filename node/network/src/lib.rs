//! # yima-network
//!
//! Transaction gossip between Yima nodes, on its own libp2p swarm — libp2p 0.56, the version Malachite 0.8.2 runs
//! its consensus network on, so the node binary carries one libp2p. Malachite's network carries only consensus
//! traffic and value sync; it has no channel for application messages.
//!
//! - [`config`] — [`NetworkConfig`] and the addressing rule (gossip port = p2p port + 1, [`gossip_addr`]);
//! - [`protocol`] — the chain-bound protocol names (`/yima/<genesis hex>/…`) and the genesis check;
//! - [`policy`] — who may connect: the chain spec's `allowed_peers`, the bootnodes, the current validators;
//! - [`behaviour`] — TCP + noise + yamux with the allow-list, identify and gossipsub behaviours;
//! - [`wire`] — the gossip message (a SCALE batch of encoded transactions);
//! - [`batcher`] — batching outgoing transactions (flushed on size or after a short delay);
//! - [`ingress`] — received batches into the pool's batched ingress, and the verdict on each message;
//! - [`queue`] — the ingress queue, bounded in messages and bytes;
//! - [`strikes`] — strikes against peers sending what no honest pool admits, decaying over time;
//! - [`worker`] — the swarm task: admission, penalties, publishing, verdicts;
//! - [`peers`] — the connected peers (`system_peers`, the `yima_peers` gauge);
//! - [`handle`] — [`NetworkHandle`], what the node holds, and the [`NetworkEvent`]s.
//!
//! ## What the node does with it
//!
//! ```text
//! RPC author_submit* ─→ pool admits ─→ NetworkHandle::publish ─→ batcher ─→ gossipsub ─→ peers
//! gossipsub message ─→ queue ─→ ingress (pool's checks) ─→ accept (forwarded) | ignore | reject (strike)
//! block committed ─→ Pool::pending_for_gossip ─→ publish (re-gossip)   validator set changed ─→ set_validators
//! ```
//!
//! Transactions received by gossip are never re-published by this node: gossipsub forwards an accepted message
//! itself. Re-gossip of what stays pooled covers peers that missed a message.

pub mod batcher;
pub mod behaviour;
pub mod config;
pub mod handle;
pub mod ingress;
pub mod peers;
pub mod policy;
pub mod protocol;
pub mod queue;
pub mod strikes;
pub mod wire;
pub mod worker;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use futures::StreamExt;
use libp2p::identity::Keypair;
use libp2p::swarm::SwarmEvent;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

pub use batcher::BatchConfig;
pub use config::{gossip_addr, parse_peer_ids, NetworkConfig, NodeRole, GOSSIP_PORT_OFFSET};
pub use handle::{NetworkEvent, NetworkHandle, Refusal};
pub use ingress::{is_peer_fault, IngressError, TransactionSink};
pub use libp2p::{Multiaddr, PeerId};
pub use peers::{PeerInfo, PeerRole};
pub use policy::{validator_peer_id, PeerPolicy};
pub use protocol::ChainProtocol;

/// Capacity of the queue between the swarm task and the ingress task, in messages.
const INGRESS_QUEUE: usize = 1_024;

/// Why the network did not start.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// The node key is not an ed25519 secret.
    #[error("network key: {0}")]
    Key(String),
    /// A setting is invalid.
    #[error("gossip network configuration: {0}")]
    Config(String),
    /// The listen address cannot be used.
    #[error("cannot listen for gossip on {addr}: {reason} (is the port in use? choose another with --gossip-port; by default it is --p2p-port + 1)")]
    Listen {
        /// The address.
        addr: Multiaddr,
        /// What the OS said.
        reason: String,
    },
    /// A peer id in the chain spec or on the command line does not parse.
    #[error("'{text}' is not a libp2p peer id ({reason}); a peer id looks like 12D3KooW… (`yima-node key inspect` prints a key's)")]
    PeerId {
        /// The text.
        text: String,
        /// The parse error.
        reason: String,
    },
}

/// The running network: its handle and its task.
#[derive(Debug)]
pub struct Network {
    handle: NetworkHandle,
    task: JoinHandle<()>,
    first_events: Option<broadcast::Receiver<NetworkEvent>>,
}

impl Network {
    /// The handle (clone it freely).
    pub fn handle(&self) -> &NetworkHandle {
        &self.handle
    }

    /// Every event since the swarm task started (the first call; later calls subscribe from now on).
    pub fn take_events(&mut self) -> broadcast::Receiver<NetworkEvent> {
        self.first_events
            .take()
            .unwrap_or_else(|| self.handle.events())
    }

    /// Stops the swarm and waits for its task.
    pub async fn stop(self) {
        self.handle.shutdown();
        let _ = self.task.await;
    }
}

/// Starts the gossip network: builds the swarm, listens (returns once the first listen address is known, so a
/// port-0 listener's port can be read from [`NetworkHandle::listen_addrs`]), dials the bootnodes and spawns the
/// swarm and ingress tasks. Received transactions go to `sink`. Call inside a tokio runtime.
pub async fn start(
    config: NetworkConfig,
    sink: Arc<dyn TransactionSink>,
) -> Result<Network, NetworkError> {
    let mut secret = config.secret;
    let keypair =
        Keypair::ed25519_from_bytes(&mut secret).map_err(|e| NetworkError::Key(e.to_string()))?;
    let local_peer_id = keypair.public().to_peer_id();
    let mut swarm = behaviour::build(&config, keypair)?;
    swarm
        .listen_on(config.listen_addr.clone())
        .map_err(|e| NetworkError::Listen {
            addr: config.listen_addr.clone(),
            reason: e.to_string(),
        })?;
    let first_addr = loop {
        match swarm.select_next_some().await {
            SwarmEvent::NewListenAddr { address, .. } => break address,
            SwarmEvent::ListenerError { error, .. } => {
                return Err(NetworkError::Listen {
                    addr: config.listen_addr.clone(),
                    reason: error.to_string(),
                })
            }
            SwarmEvent::ListenerClosed { reason, .. } => {
                return Err(NetworkError::Listen {
                    addr: config.listen_addr.clone(),
                    reason: match reason {
                        Ok(()) => "the listener closed".into(),
                        Err(e) => e.to_string(),
                    },
                })
            }
            _ => {}
        }
    };
    tracing::info!(address = %first_addr, peer_id = %local_peer_id, "gossip listening");

    let (events, first_events) = broadcast::channel(4_096);
    let shared = Arc::new(handle::Shared {
        local_peer_id,
        peers: peers::PeerTable::default(),
        listen_addrs: RwLock::new(vec![first_addr]),
        events,
    });
    let (commands_tx, commands) = mpsc::unbounded_channel();
    let (to_ingress, ingress_rx) = queue::channel(INGRESS_QUEUE, config.ingress_queue_bytes);
    let (verdicts_tx, verdicts) = mpsc::unbounded_channel();
    tokio::spawn(ingress::run(sink, ingress_rx, verdicts_tx));

    let protocol = ChainProtocol::new(config.genesis);
    let policy = PeerPolicy::new(
        config.allowed_peers.iter().copied(),
        &config.bootnodes,
        &config.validators,
    );
    let worker = worker::Worker {
        topic: protocol.transactions_topic(),
        protocol,
        policy,
        bootnodes: worker::Worker::bootnodes(&config),
        batcher: batcher::Batcher::new(config.batch.clone()),
        shared: shared.clone(),
        commands,
        to_ingress,
        verdicts,
        ban_duration: config.ban_duration,
        redial_interval: config.redial_interval,
        strikes: strikes::Strikes::new(config.strikes_before_ban, config.strike_decay),
        banned: HashMap::new(),
        addresses: HashMap::new(),
        swarm,
    };
    let task = tokio::spawn(worker.run());
    Ok(Network {
        handle: NetworkHandle {
            shared,
            commands: commands_tx,
        },
        task,
        first_events: Some(first_events),
    })
}
