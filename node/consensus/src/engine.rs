//! Starting and stopping Malachite for one node: keys, network identity, engine configuration, WAL path, and the
//! application loop.
//!
//! - The libp2p identity is derived from the node's ed25519 secret (`Keypair::ed25519_from_bytes`), so a
//!   validator's peer id is fixed by its consensus key, and a validator publishes a validator proof (ADR-006)
//!   binding that key to that peer id.
//! - The network is permissioned: `persistent_peers_only = true` (Malachite then drops, at identify time, any
//!   connection from a peer not in `persistent_peers`; list peers as `/ip4/…/tcp/…/p2p/<peer id>` to pin their
//!   identity), discovery is off, gossipsub carries consensus traffic. A peer that may connect but need not be
//!   dialled (an allowed full node, a validator whose address is unknown) is listed identity-only, `/p2p/<peer
//!   id>`: Malachite admits it and never dials it. The node admits the same set as its gossip network (the chain
//!   spec's `allowed_peers`, the bootnodes, the current validators) and follows validator-set changes at run time
//!   through [`PeerControl`] (from [`start_with_peer_control`]).
//! - Every protocol name carries the genesis hash ([`protocol_names`]): `/yima/<genesis hex>/consensus/1` is
//!   announced as identify `protocol_version`, and Malachite disconnects a peer announcing anything else
//!   ("Incompatible protocol version", with the peer's version — hence its genesis — in the log), so a node of
//!   another chain is refused before any consensus message (whose signatures are chain-bound anyway). The gossipsub
//!   channel names stay Malachite's defaults: they are capped at 64 bytes, too short for a genesis hash.
//! - Values are streamed as proposal parts (`ProposalAndParts`); value sync is on unless configured off.
//! - The WAL lives at `<home>/wal/consensus.wal`.
//!
//! Several engines may run in one process (tests): give each its own moniker, port and home.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytesize::ByteSize;
use malachitebft_app_channel::app::config::NodeConfig;
use malachitebft_app_channel::app::types::codec::Codec;
use malachitebft_app_channel::app::types::Keypair;
use malachitebft_app_channel::{
    start_engine, Channels, ConsensusContext, EngineHandle, NetworkContext, NetworkIdentity,
    NetworkRequest, RequestContext, Signer as _, SyncContext, WalContext,
};
use malachitebft_config::{
    ConsensusConfig as EngineConsensusConfig, P2pConfig, ProtocolNames, ValueSyncConfig,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tracing::Instrument;
use yima_frame::Hash;

pub use malachitebft_app_channel::app::net::{Multiaddr, PeerId as Libp2pPeerId};

use crate::app::{App, AppConfig, AppError};
use crate::codec::YimaCodec;
use crate::context::{Address, YimaContext};
use crate::host::Host;
use crate::signing::{ConsensusSigner, ConsensusVerifier};

/// The node's key and role.
#[derive(Clone)]
pub enum NodeKey {
    /// A validator: the ed25519 secret (seed) of its consensus key, also its network key.
    Validator([u8; 32]),
    /// A full node: the ed25519 secret of its network key; it follows consensus without voting.
    FullNode([u8; 32]),
}

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Validator(_) => f.write_str("Validator(<secret>)"),
            Self::FullNode(_) => f.write_str("FullNode(<secret>)"),
        }
    }
}

/// What one node's consensus needs.
#[derive(Clone, Debug)]
pub struct ConsensusConfig {
    /// Name in logs and metrics; unique per process.
    pub moniker: String,
    /// Where to listen for consensus peers, e.g. `/ip4/0.0.0.0/tcp/30333`.
    pub listen_addr: Multiaddr,
    /// The other nodes, e.g. `/ip4/10.0.0.2/tcp/30333/p2p/12D3Koo…`; only they may connect.
    pub persistent_peers: Vec<Multiaddr>,
    /// The node's base directory; the WAL goes to `<home>/wal/consensus.wal`.
    pub home: PathBuf,
    /// Validator key or full-node network key.
    pub key: NodeKey,
    /// The application loop's settings (round timeouts, block pacing, buffers).
    pub app: AppConfig,
    /// Whether to serve and use value sync (catching up from peers).
    pub value_sync: bool,
    /// Lie as this says (fault tests only: the field exists only with the `byzantine` cargo feature).
    #[cfg(feature = "byzantine")]
    pub byzantine: Option<crate::byzantine::ByzantineConfig>,
}

/// Why consensus did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The key bytes do not make an ed25519 key.
    #[error("node key: {0}")]
    Key(String),
    /// Signing or encoding the validator proof failed.
    #[error("validator proof: {0}")]
    ValidatorProof(String),
    /// Malachite refused to start (port in use, bad configuration, WAL unreadable …).
    #[error("consensus engine: {0}")]
    Engine(String),
}

/// The engine configuration Malachite reads.
pub(crate) struct EngineConfig {
    moniker: String,
    consensus: EngineConsensusConfig,
    value_sync: ValueSyncConfig,
}

impl NodeConfig for EngineConfig {
    fn moniker(&self) -> &str {
        &self.moniker
    }

    fn consensus(&self) -> &EngineConsensusConfig {
        &self.consensus
    }

    fn consensus_mut(&mut self) -> &mut EngineConsensusConfig {
        &mut self.consensus
    }

    fn value_sync(&self) -> &ValueSyncConfig {
        &self.value_sync
    }

    fn value_sync_mut(&mut self) -> &mut ValueSyncConfig {
        &mut self.value_sync
    }
}

/// How often a node tells its peers its tip (value sync): how long a node that fell behind may take to notice.
pub const STATUS_INTERVAL: Duration = Duration::from_secs(1);

// Above zero (zero is Malachite's eager mode, whose status traffic grows with the block rate) and at most a
// second (a node that fell behind must notice within a block or two).
const _: () = assert!(STATUS_INTERVAL.as_millis() > 0 && STATUS_INTERVAL.as_millis() <= 1000);

/// Malachite's protocol names for the chain with this genesis: `/yima/<genesis hex>/<protocol>/1`.
pub fn protocol_names(genesis: &Hash) -> ProtocolNames {
    let base = format!("/yima/{}", genesis.to_hex());
    ProtocolNames {
        consensus: format!("{base}/consensus/1"),
        discovery_kad: format!("{base}/discovery/kad/1"),
        discovery_regres: format!("{base}/discovery/reqres/1"),
        sync: format!("{base}/sync/1"),
        validator_proof: format!("{base}/validator-proof/1"),
    }
}

fn engine_config(config: &ConsensusConfig, genesis: &Hash) -> EngineConfig {
    let p2p = P2pConfig {
        listen_addr: config.listen_addr.clone(),
        persistent_peers: config.persistent_peers.clone(),
        persistent_peers_only: true,
        protocol_names: protocol_names(genesis),
        // A block may be 16 MiB (system limits): value sync must carry one whole.
        rpc_max_size: ByteSize::mib(24),
        ..P2pConfig::default()
    };
    let consensus = EngineConsensusConfig {
        p2p,
        ..EngineConsensusConfig::default()
    };
    let value_sync = ValueSyncConfig {
        enabled: config.value_sync,
        max_response_size: ByteSize::mib(24),
        // Every node tells its peers its tip each second. With the default 10 s a validator that missed a
        // decision (it connected a moment late, or was busy) sat at its old height until the next tick while
        // the others went on without it, and each height it was due to propose waited out the propose timeout.
        // Not Malachite's eager mode (a status at every decision): there the statuses, and the value-sync
        // requests they trigger, grow with the block rate and the number of peers; an interval bounds them at
        // one status per peer per second. Either way a status often reaches a peer a few milliseconds before
        // it decides the same height itself, and it then requests that one block by value sync for nothing:
        // measured in reader-flood runs, eager mode made ~130 such requests a node in 226 blocks, a 1 s
        // interval ~127 in 272 blocks (2 of them used), i.e. about one wasted single-block fetch a node every
        // two seconds.
        status_update_interval: STATUS_INTERVAL,
        ..ValueSyncConfig::default()
    };
    EngineConfig {
        moniker: config.moniker.clone(),
        consensus,
        value_sync,
    }
}

/// The libp2p peer id a node with this secret gets (what other nodes list in their persistent peers).
pub fn peer_id(secret: &[u8; 32]) -> Result<Libp2pPeerId, StartError> {
    let mut seed = *secret;
    Keypair::ed25519_from_bytes(&mut seed)
        .map(|k| k.public().to_peer_id())
        .map_err(|e| StartError::Key(e.to_string()))
}

/// Changes Malachite's persistent peers while it runs: the permissioned set follows validator-set changes.
#[derive(Clone, Debug)]
pub struct PeerControl {
    requests: mpsc::Sender<NetworkRequest>,
}

impl PeerControl {
    /// Admits (and, if the address has a transport part, dials) a peer: `/ip4/…/tcp/…/p2p/<id>` or `/p2p/<id>`.
    pub async fn add(&self, addr: Multiaddr) -> Result<(), String> {
        match NetworkRequest::add_persistent_peer(&self.requests, addr).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Stops admitting a peer added under exactly this address; Malachite disconnects it.
    pub async fn remove(&self, addr: Multiaddr) -> Result<(), String> {
        match NetworkRequest::remove_persistent_peer(&self.requests, addr).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Starts the engine and the application loop for `host`.
///
/// Returns Malachite's engine handle and the loop's task (which ends with the loop's fatal error, if any).
/// Call inside a tokio runtime.
pub async fn start<H: Host>(
    config: ConsensusConfig,
    host: Arc<H>,
) -> Result<(EngineHandle, JoinHandle<Result<(), AppError>>), StartError> {
    let (engine, _, app) = start_with_peer_control(config, host).await?;
    Ok((engine, app))
}

/// [`start`], also returning the [`PeerControl`] over Malachite's persistent peers.
pub async fn start_with_peer_control<H: Host>(
    config: ConsensusConfig,
    host: Arc<H>,
) -> Result<(EngineHandle, PeerControl, JoinHandle<Result<(), AppError>>), StartError> {
    let span = tracing::error_span!("node", moniker = %config.moniker);
    let genesis = host.genesis_hash();
    let (secret, validator) = match &config.key {
        NodeKey::Validator(s) => (*s, true),
        NodeKey::FullNode(s) => (*s, false),
    };
    let mut seed = secret;
    let keypair =
        Keypair::ed25519_from_bytes(&mut seed).map_err(|e| StartError::Key(e.to_string()))?;
    let peer_id = keypair.public().to_peer_id();
    let node_signer = ConsensusSigner::new(secret, genesis);
    let address = Address::from(&node_signer.public_key());
    let codec = YimaCodec;
    let verifier = Box::new(ConsensusVerifier::new(genesis));

    let (identity, consensus_ctx, signer) = if validator {
        let proof = node_signer
            .sign_validator_proof(
                node_signer.public_key().as_bytes().to_vec(),
                peer_id.to_bytes(),
            )
            .await
            .map_err(|e| StartError::ValidatorProof(e.to_string()))?;
        let proof_bytes = codec
            .encode(&proof)
            .map_err(|e| StartError::ValidatorProof(e.to_string()))?;
        let identity = NetworkIdentity::new_validator(
            config.moniker.clone(),
            keypair,
            address.to_string(),
            proof_bytes,
        );
        let ctx = ConsensusContext::new_validator(address, verifier, Box::new(node_signer.clone()));
        (identity, ctx, Some(node_signer))
    } else {
        let identity = NetworkIdentity::new(config.moniker.clone(), keypair, None);
        (
            identity,
            ConsensusContext::new_full_node(address, verifier),
            None,
        )
    };

    let wal = WalContext::new(config.home.join("wal").join("consensus.wal"), codec);
    let engine = engine_config(&config, &genesis);
    #[cfg(feature = "byzantine")]
    let (channels, handle) = match config.byzantine.clone().zip(signer.clone()) {
        Some((byzantine, lying)) => {
            tracing::warn!(
                ?byzantine,
                "this validator lies as configured (fault-test build)"
            );
            crate::byzantine::start_engine(
                engine,
                wal,
                identity,
                consensus_ctx,
                lying,
                address,
                byzantine,
            )
            .instrument(span.clone())
            .await?
        }
        None => {
            start_honest(engine, wal, identity, consensus_ctx)
                .instrument(span.clone())
                .await?
        }
    };
    #[cfg(not(feature = "byzantine"))]
    let (channels, handle) = start_honest(engine, wal, identity, consensus_ctx)
        .instrument(span.clone())
        .await?;

    let control = PeerControl {
        requests: channels.net_requests.clone(),
    };
    let app = App::new(host, signer, config.app);
    let task = tokio::spawn(app.run(channels).instrument(span));
    Ok((handle, control, task))
}

/// Malachite's engine with its default network, sync and request actors.
async fn start_honest(
    engine: EngineConfig,
    wal: WalContext<YimaCodec>,
    identity: NetworkIdentity,
    consensus: ConsensusContext<YimaContext>,
) -> Result<(Channels<YimaContext>, EngineHandle), StartError> {
    start_engine(
        YimaContext,
        engine,
        wal,
        NetworkContext::new(identity, YimaCodec),
        consensus,
        SyncContext::new(YimaCodec),
        RequestContext::new(100),
    )
    .await
    .map_err(|e| StartError::Engine(format!("{e:#}")))
}

/// Stops the engine's actors and the application loop.
pub async fn stop(engine: EngineHandle, app: JoinHandle<Result<(), AppError>>) {
    let _ = engine.actor.kill_and_wait(None).await;
    engine.handle.abort();
    app.abort();
    let _ = app.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A validator that missed a decision must hear of its peers' tips within about a second: with a 10 s tick
    /// it sat out whole heights and every height it was to propose waited out the propose timeout (issue 12's
    /// reader-flood runs).
    #[test]
    fn value_sync_announces_the_tip_every_second() {
        let config = ConsensusConfig {
            moniker: "test".into(),
            listen_addr: "/ip4/127.0.0.1/tcp/0".parse().expect("an address"),
            persistent_peers: Vec::new(),
            home: PathBuf::from("/nonexistent"),
            key: NodeKey::FullNode([7; 32]),
            app: AppConfig::default(),
            value_sync: true,
            #[cfg(feature = "byzantine")]
            byzantine: None,
        };
        let engine = engine_config(&config, &Hash([1; 32]));
        assert!(engine.value_sync.enabled);
        assert_eq!(engine.value_sync.status_update_interval, STATUS_INTERVAL);
    }
}
