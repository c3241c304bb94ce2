//! Test nodes: a real gossip network on 127.0.0.1 in front of a real pool over a chain spec's genesis state, and
//! event-driven waits with timeouts.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use parity_scale_codec::Encode;
use tokio::sync::broadcast;
use yima_chain_spec::dev_keys::dev_key;
use yima_chain_spec::ChainSpec;
use yima_frame::state::MemoryState;
use yima_frame::Hash;
use yima_membership::Call as MembershipCall;
use yima_network::{
    IngressError, Multiaddr, Network, NetworkConfig, NetworkEvent, NodeRole, PeerId,
    TransactionSink,
};
use yima_runtime::{ChainContext, Executive, RuntimeCall, SignedTransaction, SPEC_VERSION};
use yima_txpool::{PoolConfig, PoolError, SharedPool};

/// How long any awaited event may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// One chain's genesis in memory.
pub struct Chain {
    pub genesis: Hash,
    pub state: Arc<MemoryState>,
    pub executive: Executive,
}

impl Chain {
    pub fn of(spec: &ChainSpec) -> Self {
        let (genesis, state) = spec.genesis_in_memory().expect("genesis");
        let genesis = genesis.header.hash();
        Self {
            genesis,
            state,
            executive: Executive::new(ChainContext {
                genesis_hash: genesis,
                spec_version: SPEC_VERSION,
            }),
        }
    }

    /// `signer` (a dev key) approves proposal `tag`: a transaction the `local` chain admits.
    pub fn tx(&self, signer: &str, nonce: u64, tag: u32) -> SignedTransaction {
        self.sign(
            signer,
            nonce,
            100,
            RuntimeCall::Membership(MembershipCall::Approve { id: tag }),
        )
    }

    /// An approval signed by `signer`, member or not.
    pub fn tx_signed_by(&self, signer: &str) -> SignedTransaction {
        self.tx(signer, 0, 1)
    }

    /// `signer` (a dev key, member or not) signs `call`.
    pub fn sign(
        &self,
        signer: &str,
        nonce: u64,
        valid_until: u64,
        call: RuntimeCall,
    ) -> SignedTransaction {
        SignedTransaction::sign(
            &dev_key(signer),
            &self.genesis,
            SPEC_VERSION,
            nonce,
            valid_until,
            call,
        )
    }
}

/// The node's pool as the network's sink: the pool's batched ingress against the genesis state.
pub struct PoolSink {
    pub pool: SharedPool,
    pub state: Arc<MemoryState>,
}

impl PoolSink {
    pub fn new(chain: &Chain) -> Arc<Self> {
        Arc::new(Self {
            pool: SharedPool::new(PoolConfig::default(), chain.executive),
            state: chain.state.clone(),
        })
    }

    pub fn contains(&self, tx: &SignedTransaction) -> bool {
        self.pool.lock().contains(&tx.hash())
    }

    pub fn len(&self) -> usize {
        self.pool.lock().len()
    }
}

impl TransactionSink for PoolSink {
    fn import(
        &self,
        txs: Vec<Vec<u8>>,
        senders: &[usize],
    ) -> Result<Vec<Result<Hash, PoolError>>, IngressError> {
        Ok(self
            .pool
            .submit_bytes_from(txs, senders, self.state.clone()))
    }

    fn ready(&self, admitted: &[Hash]) -> Vec<bool> {
        self.pool.ready_among(admitted)
    }
}

/// The ed25519 secret of a dev key.
pub fn secret(name: &str) -> [u8; 32] {
    dev_key(name).to_bytes()
}

/// The peer id of a dev key.
pub fn peer(name: &str) -> PeerId {
    let mut s = secret(name);
    libp2p::identity::Keypair::ed25519_from_bytes(&mut s)
        .unwrap()
        .public()
        .to_peer_id()
}

/// A running test node.
pub struct Node {
    pub net: Network,
    pub sink: Arc<PoolSink>,
    pub events: broadcast::Receiver<NetworkEvent>,
}

impl Node {
    /// Its dialable address, `/ip4/127.0.0.1/tcp/<port>/p2p/<id>`.
    pub fn addr(&self) -> Multiaddr {
        let listen = self.net.handle().listen_addrs()[0].clone();
        format!("{listen}/p2p/{}", self.net.handle().local_peer_id())
            .parse()
            .unwrap()
    }

    pub fn id(&self) -> PeerId {
        self.net.handle().local_peer_id()
    }

    /// Waits for the first event matching `pred` (events before it are returned too, in order).
    pub async fn wait(
        &mut self,
        what: &str,
        pred: impl Fn(&NetworkEvent) -> bool,
    ) -> Vec<NetworkEvent> {
        let mut seen = Vec::new();
        let found = tokio::time::timeout(TIMEOUT, async {
            loop {
                match self.events.recv().await {
                    Ok(event) => {
                        let done = pred(&event);
                        seen.push(event);
                        if done {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        panic!("{what}: lagged {n} events")
                    }
                    Err(broadcast::error::RecvError::Closed) => panic!("{what}: network stopped"),
                }
            }
        })
        .await;
        assert!(found.is_ok(), "timed out waiting for {what}; saw {seen:?}");
        seen
    }

    pub async fn wait_connected(&mut self, peer: PeerId) {
        if self.net.handle().is_connected(&peer) {
            return;
        }
        self.wait(
            &format!("{peer} connected"),
            |e| matches!(e, NetworkEvent::PeerConnected { peer: p, .. } if *p == peer),
        )
        .await;
    }

    pub async fn wait_subscribed(&mut self, peer: PeerId) {
        self.wait(
            &format!("{peer} subscribed"),
            |e| matches!(e, NetworkEvent::PeerSubscribed { peer: p } if *p == peer),
        )
        .await;
    }
}

/// Settings for a test node: the `name` dev key, listening on a free 127.0.0.1 port, admitting `allowed`.
pub fn config(
    chain: &Chain,
    name: &str,
    allowed: &[&str],
    bootnodes: &[Multiaddr],
) -> NetworkConfig {
    let mut config = NetworkConfig::new(
        "/ip4/127.0.0.1/tcp/0".parse().unwrap(),
        secret(name),
        chain.genesis,
        NodeRole::Validator,
    );
    config.allowed_peers = allowed.iter().map(|n| peer(n)).collect();
    config.bootnodes = bootnodes.to_vec();
    config.redial_interval = Duration::from_millis(200);
    config
}

/// Starts a node.
pub async fn start(chain: &Chain, config: NetworkConfig) -> Node {
    let sink = PoolSink::new(chain);
    let mut net = yima_network::start(config, sink.clone())
        .await
        .expect("network starts");
    let events = net.take_events();
    Node { net, sink, events }
}

/// Encoded bytes of transactions.
pub fn encode(txs: &[SignedTransaction]) -> Vec<Vec<u8>> {
    txs.iter().map(Encode::encode).collect()
}
