//! The swarm: TCP + noise + yamux, and the composed behaviour — connection limits, allow-list, identify,
//! gossipsub.
//!
//! Connection limits (`libp2p::connection_limits`, from [`NetworkConfig`]): per peer, in the handshake (anyone
//! may open a TCP connection and start noise before the allow-list can judge its peer id) and in all.
//!
//! Gossipsub settings: messages are signed by their author (`ValidationMode::Strict`, so every message id
//! — author and sequence number — is fresh, re-gossip included), validated by the application before they are
//! forwarded (`validate_messages`: only what the pool accepted travels on), at most
//! [`NetworkConfig::max_message_bytes`](crate::NetworkConfig) each, on the chain's protocol ids
//! ([`ChainProtocol::gossipsub_prefix`]). The permissioned peer set is small, so the mesh parameters stay at
//! gossipsub's defaults; `flood_publish` (the default) sends our own batches to every subscribed peer at once.

use std::time::Duration;

use libp2p::allow_block_list::{self, AllowedPeers};
use libp2p::connection_limits::{self, ConnectionLimits};
use libp2p::identity::Keypair;
use libp2p::swarm::NetworkBehaviour;
use libp2p::{gossipsub, identify, noise, tcp, yamux, Swarm, SwarmBuilder};

use crate::config::NetworkConfig;
use crate::protocol::ChainProtocol;
use crate::NetworkError;

/// The composed behaviour. The limits and the allow-list come first: they deny a connection before the others
/// see it.
#[derive(NetworkBehaviour)]
pub(crate) struct Behaviour {
    pub(crate) limits: connection_limits::Behaviour,
    pub(crate) allow: allow_block_list::Behaviour<AllowedPeers>,
    pub(crate) identify: identify::Behaviour,
    pub(crate) gossipsub: gossipsub::Behaviour,
}

/// How long a connection without traffic stays open (peers are few and long-lived).
const IDLE_CONNECTION_TIMEOUT: Duration = Duration::from_secs(3600);

fn gossipsub_config(
    config: &NetworkConfig,
    protocol: &ChainProtocol,
) -> Result<gossipsub::Config, NetworkError> {
    gossipsub::ConfigBuilder::default()
        .protocol_id_prefix(protocol.gossipsub_prefix())
        .max_transmit_size(config.max_message_bytes)
        .validation_mode(gossipsub::ValidationMode::Strict)
        .validate_messages()
        .heartbeat_interval(Duration::from_millis(700))
        .build()
        .map_err(|e| NetworkError::Config(format!("gossipsub: {e}")))
}

/// The connection limits of `config`.
fn connection_limits(config: &NetworkConfig) -> ConnectionLimits {
    ConnectionLimits::default()
        .with_max_established_per_peer(Some(config.max_connections_per_peer.max(1)))
        .with_max_pending_incoming(Some(config.max_pending_incoming.max(1)))
        .with_max_established(Some(config.max_established.max(1)))
}

/// Builds the swarm for `config` (not yet listening).
pub(crate) fn build(
    config: &NetworkConfig,
    keypair: Keypair,
) -> Result<Swarm<Behaviour>, NetworkError> {
    let protocol = ChainProtocol::new(config.genesis);
    let gossip_config = gossipsub_config(config, &protocol)?;
    let identify_config = identify::Config::new(protocol.identify_version(), keypair.public())
        .with_agent_version(config.role.agent_version());
    let swarm = SwarmBuilder::with_existing_identity(keypair)
        .with_tokio()
        .with_tcp(
            tcp::Config::default().nodelay(true),
            noise::Config::new,
            yamux::Config::default,
        )
        .map_err(|e| NetworkError::Config(format!("transport: {e}")))?
        .with_behaviour(|key| {
            let mut gossipsub = gossipsub::Behaviour::new(
                gossipsub::MessageAuthenticity::Signed(key.clone()),
                gossip_config,
            )?;
            gossipsub.subscribe(&protocol.transactions_topic())?;
            Ok(Behaviour {
                limits: connection_limits::Behaviour::new(connection_limits(config)),
                allow: allow_block_list::Behaviour::default(),
                identify: identify::Behaviour::new(identify_config),
                gossipsub,
            })
        })
        .map_err(|e| NetworkError::Config(format!("behaviour: {e}")))?
        .with_swarm_config(|c| c.with_idle_connection_timeout(IDLE_CONNECTION_TIMEOUT))
        .build();
    Ok(swarm)
}
