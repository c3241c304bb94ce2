//! The swarm task: drives the libp2p swarm, applies the admission rule, publishes batches, hands received
//! messages to the ingress task and reports its verdicts back to gossipsub.
//!
//! ## Refusals and penalties
//!
//! - **Not admitted** — the allow-list behaviour denies the connection as soon as it is established (inbound or
//!   outbound); a validator-set change that drops a connected peer closes its connections.
//! - **Another genesis, or not our protocol** — identify's `protocol_version` says so: the peer is disconnected, a
//!   warning names it and both genesis hashes, and it is refused for the ban duration (so two misconfigured nodes
//!   do not reconnect in a loop).
//! - **Bad gossip** — an undecodable message, or one holding a transaction no honest pool admits (see
//!   [`ingress`](crate::ingress)), is rejected (gossipsub does not forward it) and earns its forwarder a strike; at
//!   [`NetworkConfig::strikes_before_ban`](crate::NetworkConfig) strikes the peer is disconnected and refused for
//!   the ban duration. Strikes decay, one per [`NetworkConfig::strike_decay`](crate::NetworkConfig)
//!   ([`strikes`](crate::strikes)). Gossipsub's own peer scoring is off: the peer set is small and known, and a
//!   strike count is predictable where gossipsub's scores are not.
//! - **Too much at once** — a message that does not fit the ingress queue (bounded in messages and in bytes,
//!   [`queue`](crate::queue)) is dropped unforwarded; connections are bounded by `libp2p::connection_limits`
//!   (see [`behaviour`](crate::behaviour)).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use libp2p::allow_block_list::NotAllowed;
use libp2p::connection_limits;
use libp2p::gossipsub::{self, IdentTopic, MessageAcceptance, PublishError};
use libp2p::swarm::dial_opts::{DialOpts, PeerCondition};
use libp2p::swarm::{ConnectionDenied, DialError, ListenError, SwarmEvent};
use libp2p::{identify, Multiaddr, PeerId, Swarm};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::batcher::Batcher;
use crate::behaviour::{Behaviour, BehaviourEvent};
use crate::config::{NetworkConfig, NodeRole};
use crate::handle::{Command, NetworkEvent, Refusal, Shared};
use crate::ingress::{Received, Verdict};
use crate::peers::PeerRole;
use crate::policy::{peer_id_of, PeerPolicy};
use crate::protocol::{ChainProtocol, PeerProtocol};
use crate::queue::QueueSender;
use crate::strikes::Strikes;
use crate::wire::GossipMessage;

/// The swarm task's state.
pub(crate) struct Worker {
    pub(crate) swarm: Swarm<Behaviour>,
    pub(crate) protocol: ChainProtocol,
    pub(crate) topic: IdentTopic,
    pub(crate) policy: PeerPolicy,
    pub(crate) bootnodes: Vec<(PeerId, Multiaddr)>,
    pub(crate) batcher: Batcher,
    pub(crate) shared: Arc<Shared>,
    pub(crate) commands: mpsc::UnboundedReceiver<Command>,
    pub(crate) to_ingress: QueueSender,
    pub(crate) verdicts: mpsc::UnboundedReceiver<Verdict>,
    pub(crate) ban_duration: Duration,
    pub(crate) redial_interval: Duration,
    pub(crate) strikes: Strikes,
    pub(crate) banned: HashMap<PeerId, Instant>,
    /// Remote address of each connected peer's first connection (for the peer table).
    pub(crate) addresses: HashMap<PeerId, Multiaddr>,
}

impl Worker {
    /// The bootnodes of `config` with their peer ids (those without one are skipped with a warning).
    pub(crate) fn bootnodes(config: &NetworkConfig) -> Vec<(PeerId, Multiaddr)> {
        config
            .bootnodes
            .iter()
            .filter_map(|addr| match peer_id_of(addr) {
                Some(peer) => Some((peer, addr.clone())),
                None => {
                    tracing::warn!(%addr, "gossip bootnode without /p2p/<peer id>: skipped");
                    None
                }
            })
            .collect()
    }

    /// Runs until shutdown.
    pub(crate) async fn run(mut self) {
        self.apply_allow_list();
        let mut redial = tokio::time::interval(self.redial_interval);
        redial.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let deadline = self.batcher.deadline();
            let flush = async move {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => futures::future::pending().await,
                }
            };
            tokio::select! {
                event = self.swarm.select_next_some() => self.on_swarm_event(event),
                command = self.commands.recv() => match command {
                    None | Some(Command::Shutdown) => break,
                    Some(command) => self.on_command(command),
                },
                Some(verdict) = self.verdicts.recv() => self.on_verdict(verdict),
                _ = flush => {
                    if let Some(message) = self.batcher.take() {
                        self.publish(message);
                    }
                }
                _ = redial.tick() => {
                    self.strikes.forget_decayed(Instant::now());
                    self.lift_expired_bans();
                    self.redial();
                }
            }
        }
        tracing::debug!("gossip network stopped");
    }

    fn emit(&self, event: NetworkEvent) {
        let _ = self.shared.events.send(event);
    }

    fn on_command(&mut self, command: Command) {
        match command {
            Command::Publish(txs) => {
                for message in self.batcher.push(txs, Instant::now()) {
                    self.publish(message);
                }
            }
            Command::SetValidators(validators) => {
                if self.policy.set_validators(&validators) {
                    tracing::info!(
                        validators = self.policy.validators().len(),
                        "validator set changed; gossip allow-list refreshed"
                    );
                    self.apply_allow_list();
                }
            }
            Command::Dial(addr) => {
                if let Err(e) = self.swarm.dial(addr.clone()) {
                    tracing::debug!(%addr, "gossip dial failed: {e}");
                }
            }
            Command::Strike(peer, reason) => self.strike(peer, reason),
            Command::Shutdown => {}
        }
    }

    /// Makes the allow-list behaviour hold exactly the admitted peers minus the banned ones (dropping a peer
    /// closes its connections), and refreshes the peers' roles.
    fn apply_allow_list(&mut self) {
        let desired: BTreeSet<PeerId> = self
            .policy
            .admitted()
            .into_iter()
            .filter(|p| !self.banned.contains_key(p))
            .collect();
        let allow = &mut self.swarm.behaviour_mut().allow;
        let current: Vec<PeerId> = allow.allowed_peers().iter().copied().collect();
        for peer in current {
            if !desired.contains(&peer) {
                allow.disallow_peer(peer);
            }
        }
        for peer in desired {
            allow.allow_peer(peer);
        }
        let policy = &self.policy;
        self.shared
            .peers
            .refresh_roles(|peer, announced| role_of(policy, peer, announced));
    }

    fn lift_expired_bans(&mut self) {
        let now = Instant::now();
        let before = self.banned.len();
        self.banned.retain(|peer, until| {
            let keep = *until > now;
            if !keep {
                tracing::info!(%peer, "ban lifted; the peer may connect again");
            }
            keep
        });
        if self.banned.len() != before {
            self.apply_allow_list();
        }
    }

    fn redial(&mut self) {
        let local = *self.swarm.local_peer_id();
        for (peer, addr) in &self.bootnodes {
            if *peer == local || self.swarm.is_connected(peer) || self.banned.contains_key(peer) {
                continue;
            }
            let opts = DialOpts::peer_id(*peer)
                .addresses(vec![addr.clone()])
                .condition(PeerCondition::DisconnectedAndNotDialing)
                .build();
            if let Err(e) = self.swarm.dial(opts) {
                tracing::debug!(%peer, %addr, "gossip dial failed: {e}");
            }
        }
    }

    fn publish(&mut self, message: GossipMessage) {
        let GossipMessage::Transactions(txs) = message;
        let count = txs.len();
        let bytes = GossipMessage::Transactions(txs).to_bytes();
        match self
            .swarm
            .behaviour_mut()
            .gossipsub
            .publish(self.topic.clone(), bytes)
        {
            Ok(_) => self.emit(NetworkEvent::Published {
                transactions: count,
            }),
            Err(PublishError::NoPeersSubscribedToTopic) => tracing::debug!(
                count,
                "no gossip peer yet; the transactions stay pooled and are re-gossiped later"
            ),
            Err(PublishError::MessageTooLarge) => tracing::warn!(
                count,
                "a gossip batch exceeds the message limit (a transaction larger than the limit?); not gossiped"
            ),
            Err(e) => tracing::warn!(count, "gossip publish failed: {e}"),
        }
    }

    fn on_verdict(&mut self, verdict: Verdict) {
        let rejected = matches!(verdict.acceptance, MessageAcceptance::Reject);
        self.swarm
            .behaviour_mut()
            .gossipsub
            .report_message_validation_result(&verdict.id, &verdict.source, verdict.acceptance);
        if rejected {
            let reason = verdict
                .fault
                .unwrap_or_else(|| "invalid transactions".into());
            self.strike(verdict.source, reason);
        } else if verdict.judged {
            self.emit(NetworkEvent::Imported {
                from: verdict.source,
                admitted: verdict.admitted,
            });
        }
    }

    /// Counts a rejected message against `peer`; bans it at the limit.
    fn strike(&mut self, peer: PeerId, reason: String) {
        let strike = self.strikes.strike(peer, Instant::now());
        tracing::warn!(%peer, strikes = strike.count, "rejected gossip: {reason}");
        self.emit(NetworkEvent::Rejected { from: peer, reason });
        if strike.ban {
            self.ban(peer);
            tracing::warn!(%peer, ban = ?self.ban_duration, "peer sent too much invalid gossip: disconnected and banned");
            self.emit(NetworkEvent::PeerBanned { peer });
        }
    }

    fn ban(&mut self, peer: PeerId) {
        self.banned.insert(peer, Instant::now() + self.ban_duration);
        self.apply_allow_list();
        // A peer that is not on the allow-list at all (never admitted) is not closed by the list.
        let _ = self.swarm.disconnect_peer_id(peer);
    }

    fn on_message(
        &mut self,
        source: PeerId,
        id: gossipsub::MessageId,
        message: gossipsub::Message,
    ) {
        let gossipsub = &mut self.swarm.behaviour_mut().gossipsub;
        if message.topic != self.topic.hash() {
            gossipsub.report_message_validation_result(&id, &source, MessageAcceptance::Ignore);
            return;
        }
        let txs = match GossipMessage::from_bytes(&message.data) {
            Some(GossipMessage::Transactions(txs)) => txs,
            None => {
                gossipsub.report_message_validation_result(&id, &source, MessageAcceptance::Reject);
                self.strike(
                    source,
                    "the message is not a SCALE-encoded transaction batch".into(),
                );
                return;
            }
        };
        if txs.is_empty() {
            gossipsub.report_message_validation_result(&id, &source, MessageAcceptance::Ignore);
            return;
        }
        let received = Received {
            id: id.clone(),
            source,
            txs,
        };
        if let Err(e) = self.to_ingress.try_send(received) {
            // The pool is behind: drop the message unforwarded (re-gossip brings its transactions back).
            tracing::debug!(%source, "{e}");
            gossipsub.report_message_validation_result(&id, &source, MessageAcceptance::Ignore);
        }
    }

    fn on_identify(&mut self, peer: PeerId, info: identify::Info) {
        let reason = match self.protocol.check_peer(&info.protocol_version) {
            PeerProtocol::Same => {
                let announced = match NodeRole::from_agent_version(&info.agent_version) {
                    Some(NodeRole::FullNode) => PeerRole::FullNode,
                    _ => PeerRole::Unknown,
                };
                let role = role_of(&self.policy, &peer, announced);
                let address = self
                    .addresses
                    .get(&peer)
                    .cloned()
                    .unwrap_or_else(Multiaddr::empty);
                if self.shared.peers.insert(peer, &address, announced, role) {
                    tracing::info!(%peer, %address, ?role, "gossip peer connected");
                    self.emit(NetworkEvent::PeerConnected { peer, role });
                }
                return;
            }
            PeerProtocol::OtherGenesis(theirs) => {
                tracing::warn!(
                    %peer,
                    their_genesis = %theirs,
                    our_genesis = %self.protocol.genesis(),
                    "peer {peer} runs another chain (genesis {theirs}, ours {}): disconnected; check its --chain",
                    self.protocol.genesis()
                );
                Refusal::OtherGenesis(theirs)
            }
            PeerProtocol::Foreign(announced) => {
                tracing::warn!(
                    %peer,
                    protocol = %announced,
                    expected = %self.protocol.identify_version(),
                    "peer {peer} is not a Yima gossip node of this chain and version: disconnected"
                );
                Refusal::Foreign(announced)
            }
        };
        self.ban(peer);
        self.emit(NetworkEvent::PeerRefused { peer, reason });
    }

    fn on_denied(&mut self, peer: Option<PeerId>, cause: &ConnectionDenied) {
        if let Some(exceeded) = cause.downcast_ref::<connection_limits::Exceeded>() {
            tracing::info!(?peer, "connection refused: {exceeded}");
            if let Some(peer) = peer {
                self.emit(NetworkEvent::PeerRefused {
                    peer,
                    reason: Refusal::ConnectionLimit,
                });
            }
            return;
        }
        if let (Some(peer), Some(_)) = (peer, cause.downcast_ref::<NotAllowed>()) {
            if self.banned.contains_key(&peer) {
                tracing::debug!(%peer, "connection of a banned peer refused");
            } else {
                tracing::info!(%peer, "connection refused: peer not admitted (not in the chain spec's allowed_peers, not a bootnode, not a validator)");
            }
            self.emit(NetworkEvent::PeerRefused {
                peer,
                reason: Refusal::NotAllowed,
            });
        }
    }

    fn on_swarm_event(&mut self, event: SwarmEvent<BehaviourEvent>) {
        match event {
            SwarmEvent::NewListenAddr { address, .. } => {
                tracing::info!(%address, "gossip listening");
                self.shared
                    .listen_addrs
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(address.clone());
                self.emit(NetworkEvent::Listening(address));
            }
            SwarmEvent::ConnectionEstablished {
                peer_id, endpoint, ..
            } => {
                self.addresses
                    .entry(peer_id)
                    .or_insert_with(|| endpoint.get_remote_address().clone());
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                ..
            } => {
                self.addresses.remove(&peer_id);
                if self.shared.peers.remove(&peer_id) {
                    tracing::info!(peer = %peer_id, "gossip peer disconnected");
                    self.emit(NetworkEvent::PeerDisconnected { peer: peer_id });
                }
            }
            SwarmEvent::IncomingConnectionError {
                peer_id,
                error: ListenError::Denied { cause },
                ..
            } => self.on_denied(peer_id, &cause),
            SwarmEvent::OutgoingConnectionError {
                peer_id,
                error: DialError::Denied { cause },
                ..
            } => self.on_denied(peer_id, &cause),
            SwarmEvent::OutgoingConnectionError { peer_id, error, .. } => {
                tracing::debug!(?peer_id, "gossip dial failed: {error}");
            }
            SwarmEvent::Behaviour(BehaviourEvent::Identify(identify::Event::Received {
                peer_id,
                info,
                ..
            })) => self.on_identify(peer_id, info),
            SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Message {
                propagation_source,
                message_id,
                message,
            })) => self.on_message(propagation_source, message_id, message),
            SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Subscribed {
                peer_id,
                topic,
            })) if topic == self.topic.hash() => {
                self.emit(NetworkEvent::PeerSubscribed { peer: peer_id });
            }
            _ => {}
        }
    }
}

/// The role shown for `peer`: validator if it is one now, else what it announced.
fn role_of(policy: &PeerPolicy, peer: &PeerId, announced: PeerRole) -> PeerRole {
    if policy.is_validator(peer) {
        PeerRole::Validator
    } else {
        announced
    }
}
