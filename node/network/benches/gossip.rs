//! Gossip throughput on loopback: node A publishes N signed transactions (four `local` accounts, nonces in order),
//! node B receives them. Two sinks on B:
//!
//! - `network`: a sink that admits everything without looking — the swarm, batching, signing/verifying gossipsub
//!   messages, decoding and the ingress task;
//! - `pool`: B's real pool (decode, state checks, one ed25519 batch per ingress call).
//!
//! Prints transactions per second for each. `cargo bench -p yima-network --bench gossip` (N = 16,000; set
//! `GOSSIP_BENCH_TXS` to change it).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parity_scale_codec::Encode;
use yima_chain_spec::dev_keys::dev_key;
use yima_chain_spec::presets;
use yima_frame::state::MemoryState;
use yima_frame::Hash;
use yima_membership::Call as MembershipCall;
use yima_network::{IngressError, NetworkConfig, NetworkEvent, NodeRole, PeerId, TransactionSink};
use yima_runtime::{ChainContext, Executive, RuntimeCall, SignedTransaction, SPEC_VERSION};
use yima_txpool::{PoolConfig, PoolError, SharedPool};

const SIGNERS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// Admits everything (measures the network alone).
struct Count(AtomicUsize);

impl TransactionSink for Count {
    fn import(
        &self,
        txs: Vec<Vec<u8>>,
        _senders: &[usize],
    ) -> Result<Vec<Result<Hash, PoolError>>, IngressError> {
        self.0.fetch_add(txs.len(), Ordering::Relaxed);
        Ok(txs.iter().map(|_| Ok(Hash::default())).collect())
    }

    fn ready(&self, admitted: &[Hash]) -> Vec<bool> {
        vec![true; admitted.len()]
    }
}

/// A real pool over the genesis state.
struct PoolSink(SharedPool, Arc<MemoryState>);

impl TransactionSink for PoolSink {
    fn import(
        &self,
        txs: Vec<Vec<u8>>,
        senders: &[usize],
    ) -> Result<Vec<Result<Hash, PoolError>>, IngressError> {
        Ok(self.0.submit_bytes_from(txs, senders, self.1.clone()))
    }

    fn ready(&self, admitted: &[Hash]) -> Vec<bool> {
        self.0.ready_among(admitted)
    }
}

fn peer(name: &str) -> PeerId {
    let mut s = dev_key(name).to_bytes();
    libp2p::identity::Keypair::ed25519_from_bytes(&mut s)
        .unwrap()
        .public()
        .to_peer_id()
}

fn config(name: &str, genesis: Hash) -> NetworkConfig {
    let mut c = NetworkConfig::new(
        "/ip4/127.0.0.1/tcp/0".parse().unwrap(),
        dev_key(name).to_bytes(),
        genesis,
        NodeRole::Validator,
    );
    c.allowed_peers = vec![peer("alice"), peer("bob")];
    c.redial_interval = Duration::from_millis(100);
    c
}

async fn run(label: &str, txs: &[Vec<u8>], genesis: Hash, sink_b: Arc<dyn TransactionSink>) {
    let idle: Arc<dyn TransactionSink> = Arc::new(Count(AtomicUsize::new(0)));
    let mut b = yima_network::start(config("bob", genesis), sink_b)
        .await
        .unwrap();
    let b_addr = format!(
        "{}/p2p/{}",
        b.handle().listen_addrs()[0],
        b.handle().local_peer_id()
    );
    let mut a_config = config("alice", genesis);
    a_config.bootnodes = vec![b_addr.parse().unwrap()];
    let mut a = yima_network::start(a_config, idle).await.unwrap();
    let mut a_events = a.take_events();
    let mut b_events = b.take_events();
    let b_id = b.handle().local_peer_id();
    loop {
        if let NetworkEvent::PeerSubscribed { peer } = a_events.recv().await.unwrap() {
            if peer == b_id {
                break;
            }
        }
    }

    let started = Instant::now();
    // Published as RPC ingress would: in chunks of a few hundred.
    for chunk in txs.chunks(256) {
        a.handle().publish(chunk.to_vec());
    }
    let mut admitted = 0;
    tokio::time::timeout(Duration::from_secs(300), async {
        while admitted < txs.len() {
            match b_events.recv().await {
                Ok(NetworkEvent::Imported { admitted: n, .. }) => admitted += n,
                Ok(NetworkEvent::Rejected { reason, .. }) => panic!("rejected: {reason}"),
                Ok(_) => {}
                Err(e) => panic!("events: {e}"),
            }
        }
    })
    .await
    .expect("all transactions arrive");
    let took = started.elapsed();
    println!(
        "{label:>8}: {} transactions in {:.3} s = {:.0} tx/s",
        txs.len(),
        took.as_secs_f64(),
        txs.len() as f64 / took.as_secs_f64()
    );
    a.stop().await;
    b.stop().await;
}

fn main() {
    let n: usize = std::env::var("GOSSIP_BENCH_TXS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16_000);
    let (genesis, state) = presets::local().genesis_in_memory().unwrap();
    let genesis_hash = genesis.header.hash();
    let executive = Executive::new(ChainContext {
        genesis_hash,
        spec_version: SPEC_VERSION,
    });
    let per_signer = n.div_ceil(SIGNERS.len());
    let txs: Vec<Vec<u8>> = (0..per_signer as u64)
        .flat_map(|nonce| {
            SIGNERS.iter().map(move |s| {
                SignedTransaction::sign(
                    &dev_key(s),
                    &genesis_hash,
                    SPEC_VERSION,
                    nonce,
                    1_000,
                    RuntimeCall::Membership(MembershipCall::Approve { id: nonce as u32 }),
                )
                .encode()
            })
        })
        .take(n)
        .collect();
    let bytes: usize = txs.iter().map(Vec::len).sum();
    println!(
        "gossip bench: {n} transactions of {} bytes on average, loopback, two nodes",
        bytes / n.max(1)
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        run(
            "network",
            &txs,
            genesis_hash,
            Arc::new(Count(AtomicUsize::new(0))),
        )
        .await;
        let config = PoolConfig {
            max_per_account: per_signer + 1,
            max_nonce_gap: per_signer as u64,
            ..PoolConfig::default()
        };
        let pool = PoolSink(SharedPool::new(config, executive), state);
        run("pool", &txs, genesis_hash, Arc::new(pool)).await;
    });
}
