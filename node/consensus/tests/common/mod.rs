//! An in-memory [`Host`] for consensus tests (a `MemoryState`, the runtime's `Executive`, a `Vec` of committed
//! blocks) and helpers to run validators in one process.

#![allow(dead_code, unreachable_pub)]

use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use malachitebft_app_channel::app::types::PeerId;
use tokio::sync::watch;
use yima_chain_spec::{dev_keys, ChainSpec};
use yima_consensus::evidence::Equivocation;
use yima_consensus::{
    verify_header_certificate, AppConfig, ConsensusConfig, Host, HostError, LinearTimeouts,
    Multiaddr, NodeKey, UndecidedBlock,
};
use yima_frame::externalities::Externalities;
use yima_frame::state::{MemoryState, StateBackend, StateUpdate};
use yima_frame::{AccountId, BlockNumber, Hash};
use yima_membership::Validator;
use yima_runtime::{
    Block, BlockError, ChainContext, Executive, Header, Membership, SignedTransaction, System,
    SPEC_VERSION,
};

struct Inner {
    state: Arc<MemoryState>,
    /// Committed headers; index = height (0 = genesis).
    headers: Vec<Header>,
    /// Committed blocks with their certificates; index = height - 1.
    blocks: Vec<(Block, Vec<u8>)>,
    /// The validator set deciding each height up to latest + 1.
    validators: BTreeMap<BlockNumber, Vec<Validator>>,
    /// Executed (or built) blocks awaiting commit, by hash.
    executed: HashMap<Hash, StateUpdate>,
    undecided: BTreeMap<(BlockNumber, u32, Hash), UndecidedBlock>,
    pool: Vec<SignedTransaction>,
    executions: u64,
    /// Strikes the loop reported against proposal-part publishers.
    strikes: Vec<(PeerId, String)>,
    /// Equivocations the loop handed over, each once.
    evidence: Vec<Equivocation>,
    /// While set, every commit and stored proposal fails with this (a full or failing disk).
    write_failure: Option<String>,
}

/// A node's chain in memory.
pub struct MemoryHost {
    genesis: Hash,
    executive: Executive,
    inner: Mutex<Inner>,
    committed: watch::Sender<BlockNumber>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as u64
}

fn validators_in(state: &Arc<MemoryState>) -> Vec<Validator> {
    let backend: Arc<dyn StateBackend> = state.clone();
    Externalities::new(backend).execute_with(Membership::validators)
}

impl MemoryHost {
    /// A host at genesis of `spec`.
    pub fn new(spec: &ChainSpec) -> Arc<Self> {
        let (genesis, state) = spec.genesis_in_memory().expect("preset genesis builds");
        let hash = genesis.header.hash();
        let mut validators = BTreeMap::new();
        validators.insert(1, genesis.validators.clone());
        let (committed, _) = watch::channel(0);
        Arc::new(Self {
            genesis: hash,
            executive: Executive::new(ChainContext {
                genesis_hash: hash,
                spec_version: SPEC_VERSION,
            }),
            inner: Mutex::new(Inner {
                state,
                headers: vec![genesis.header],
                blocks: Vec::new(),
                validators,
                executed: HashMap::new(),
                undecided: BTreeMap::new(),
                pool: Vec::new(),
                executions: 0,
                strikes: Vec::new(),
                evidence: Vec::new(),
                write_failure: None,
            }),
            committed,
        })
    }

    /// Notifications of the latest committed height.
    pub fn subscribe(&self) -> watch::Receiver<BlockNumber> {
        self.committed.subscribe()
    }

    /// Offers a transaction to this node's pool.
    pub fn submit(&self, tx: SignedTransaction) {
        self.inner.lock().unwrap().pool.push(tx);
    }

    /// The committed block and certificate at `height`.
    pub fn block(&self, height: BlockNumber) -> Option<(Block, Vec<u8>)> {
        let inner = self.inner.lock().unwrap();
        inner.blocks.get(height.checked_sub(1)? as usize).cloned()
    }

    /// The validators that decided `height`.
    pub fn validators(&self, height: BlockNumber) -> Vec<Validator> {
        self.inner.lock().unwrap().validators[&height].clone()
    }

    /// The latest committed height.
    pub fn height(&self) -> BlockNumber {
        self.inner.lock().unwrap().blocks.len() as u64
    }

    /// The current state root.
    pub fn state_root(&self) -> Hash {
        self.inner.lock().unwrap().state.root()
    }

    /// How many blocks this host executed or built.
    pub fn executions(&self) -> u64 {
        self.inner.lock().unwrap().executions
    }

    /// The strikes the loop reported, in order.
    pub fn strikes(&self) -> Vec<(PeerId, String)> {
        self.inner.lock().unwrap().strikes.clone()
    }

    /// Makes every commit and stored proposal fail with `why` from now on, writing nothing (as a full disk
    /// does).
    pub fn fail_writes(&self, why: &str) {
        self.inner.lock().unwrap().write_failure = Some(why.to_string());
    }

    /// The equivocations the loop handed over, in order, each once.
    pub fn evidence(&self) -> Vec<Equivocation> {
        self.inner.lock().unwrap().evidence.clone()
    }

    /// The chain's genesis hash.
    pub fn genesis(&self) -> Hash {
        self.genesis
    }

    /// Checks every committed block: parent links, state root of the latest block, and each certificate
    /// verified offline against the set that decided it.
    pub fn audit(&self) {
        let inner = self.inner.lock().unwrap();
        for (i, (block, cert)) in inner.blocks.iter().enumerate() {
            let height = i as u64 + 1;
            assert_eq!(block.header.number, height);
            assert_eq!(block.header.parent_hash, inner.headers[i].hash());
            verify_header_certificate(
                &block.header,
                cert,
                &self.genesis,
                &inner.validators[&height],
            )
            .unwrap_or_else(|e| panic!("certificate of block {height}: {e}"));
        }
        if let Some((last, _)) = inner.blocks.last() {
            assert_eq!(last.header.state_root, inner.state.root());
        }
    }
}

impl Host for MemoryHost {
    fn genesis_hash(&self) -> Hash {
        self.genesis
    }

    fn latest(&self) -> Result<(BlockNumber, Header), HostError> {
        let inner = self.inner.lock().unwrap();
        let header = inner.headers.last().expect("genesis").clone();
        Ok((header.number, header))
    }

    fn validators_for(&self, height: BlockNumber) -> Result<Vec<Validator>, HostError> {
        self.inner
            .lock()
            .unwrap()
            .validators
            .get(&height)
            .cloned()
            .ok_or_else(|| HostError::Local(format!("no validator set known for height {height}")))
    }

    fn proposal_part_strike(&self, publisher: &PeerId, reason: &str) {
        self.inner
            .lock()
            .unwrap()
            .strikes
            .push((*publisher, reason.to_string()));
    }

    fn max_block_bytes(&self) -> Result<u32, HostError> {
        let backend: Arc<dyn StateBackend> = self.inner.lock().unwrap().state.clone();
        Ok(Externalities::new(backend).execute_with(|| System::limits().max_block_bytes))
    }

    fn build_block(
        &self,
        height: BlockNumber,
        _round: u32,
        proposer: AccountId,
        _budget: Duration,
    ) -> Result<Block, HostError> {
        let mut inner = self.inner.lock().unwrap();
        let parent = inner.headers.last().expect("genesis").clone();
        if parent.number + 1 != height {
            return Err(HostError::Local(format!(
                "asked to build {height} on {}",
                parent.number
            )));
        }
        let timestamp = now_ms().max(parent.timestamp + 1);
        let txs = inner.pool.clone();
        let built = self
            .executive
            .build_block(
                inner.state.clone(),
                &parent,
                proposer,
                timestamp,
                txs,
                &|_| false,
            )
            .map_err(|e| HostError::Local(e.to_string()))?;
        inner.executions += 1;
        let hash = built.block.hash();
        inner.executed.insert(hash, built.update);
        Ok(built.block)
    }

    fn execute(&self, block: &Block) -> Result<(), HostError> {
        let mut inner = self.inner.lock().unwrap();
        if inner.executed.contains_key(&block.hash()) {
            return Ok(());
        }
        let parent = inner.headers.last().expect("genesis").clone();
        match self
            .executive
            .execute_block(inner.state.clone(), &parent, block, &|_| false)
        {
            Ok(executed) => {
                inner.executions += 1;
                inner.executed.insert(block.hash(), executed.update);
                Ok(())
            }
            Err(BlockError::State(e)) => Err(HostError::Local(e.to_string())),
            Err(e) => Err(HostError::InvalidBlock(e.to_string())),
        }
    }

    fn commit(&self, block: &Block, certificate: &[u8]) -> Result<(), HostError> {
        let mut inner = self.inner.lock().unwrap();
        if let Some(why) = &inner.write_failure {
            return Err(HostError::Local(why.clone()));
        }
        let hash = block.hash();
        let update = inner
            .executed
            .remove(&hash)
            .ok_or_else(|| HostError::Local(format!("block {hash} was never executed")))?;
        inner
            .state
            .commit(update)
            .map_err(|e| HostError::Local(e.to_string()))?;
        let height = block.header.number;
        inner.headers.push(block.header.clone());
        inner.blocks.push((block.clone(), certificate.to_vec()));
        let next = validators_in(&inner.state);
        inner.validators.insert(height + 1, next);
        inner.executed.clear();
        inner.undecided = inner.undecided.split_off(&(height + 1, 0, Hash::default()));
        let included: Vec<Hash> = block.extrinsics.iter().map(|t| t.hash()).collect();
        inner.pool.retain(|t| !included.contains(&t.hash()));
        drop(inner);
        self.committed.send_replace(height);
        Ok(())
    }

    fn store_undecided(&self, proposal: &UndecidedBlock) -> Result<(), HostError> {
        if let Some(why) = &self.inner.lock().unwrap().write_failure {
            return Err(HostError::Local(why.clone()));
        }
        let key = (proposal.height, proposal.round, proposal.block.hash());
        self.inner
            .lock()
            .unwrap()
            .undecided
            .insert(key, proposal.clone());
        Ok(())
    }

    fn undecided(&self, height: BlockNumber, round: u32) -> Result<Vec<UndecidedBlock>, HostError> {
        let inner = self.inner.lock().unwrap();
        Ok(inner
            .undecided
            .range((height, round, Hash::default())..=(height, round, Hash([0xff; 32])))
            .map(|(_, u)| u.clone())
            .collect())
    }

    fn undecided_by_hash(
        &self,
        height: BlockNumber,
        hash: &Hash,
    ) -> Result<Option<UndecidedBlock>, HostError> {
        let inner = self.inner.lock().unwrap();
        Ok(inner
            .undecided
            .range((height, 0, Hash::default())..=(height, u32::MAX, Hash([0xff; 32])))
            .map(|(_, u)| u)
            .find(|u| u.block.hash() == *hash)
            .cloned())
    }

    fn decided(
        &self,
        range: RangeInclusive<BlockNumber>,
    ) -> Result<Vec<(Block, Vec<u8>)>, HostError> {
        let inner = self.inner.lock().unwrap();
        Ok(range
            .filter_map(|h| inner.blocks.get(h.checked_sub(1)? as usize).cloned())
            .collect())
    }

    fn history_min_height(&self) -> Result<BlockNumber, HostError> {
        Ok(1)
    }

    fn record_evidence(&self, evidence: &[Equivocation]) -> Result<(), HostError> {
        let mut inner = self.inner.lock().unwrap();
        for e in evidence {
            if !inner.evidence.contains(e) {
                inner.evidence.push(e.clone());
            }
        }
        Ok(())
    }

    fn has_pending_work(&self) -> bool {
        !self.inner.lock().unwrap().pool.is_empty()
    }
}

/// A free TCP port on 127.0.0.1 (bound once, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1:0")
        .local_addr()
        .expect("local addr")
        .port()
}

/// Round timeouts short enough for tests, long enough for a loaded 2-core machine.
pub fn test_timeouts() -> LinearTimeouts {
    LinearTimeouts {
        propose: Duration::from_millis(1500),
        propose_delta: Duration::from_millis(250),
        prevote: Duration::from_millis(500),
        prevote_delta: Duration::from_millis(250),
        precommit: Duration::from_millis(500),
        precommit_delta: Duration::from_millis(250),
        rebroadcast: Duration::from_millis(2500),
        max_timeout: Duration::from_secs(10),
    }
}

/// A validator of a test network.
pub struct TestNode {
    pub name: &'static str,
    pub host: Arc<MemoryHost>,
    pub config: ConsensusConfig,
    pub home: tempfile::TempDir,
}

/// Consensus configurations for `names` (dev validators of `spec`) listening on free 127.0.0.1 ports, each with
/// every other one as a persistent peer (pinned by peer id).
pub fn test_network(test: &str, spec: &ChainSpec, names: &[&'static str]) -> Vec<TestNode> {
    let ports: Vec<u16> = names.iter().map(|_| free_port()).collect();
    let secrets: Vec<[u8; 32]> = names
        .iter()
        .map(|n| dev_keys::dev_key(n).to_bytes())
        .collect();
    let addrs: Vec<Multiaddr> = ports
        .iter()
        .zip(&secrets)
        .map(|(port, secret)| {
            let peer = yima_consensus::peer_id(secret).expect("dev key");
            format!("/ip4/127.0.0.1/tcp/{port}/p2p/{peer}")
                .parse()
                .expect("multiaddr")
        })
        .collect();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let home = tempfile::tempdir().expect("temp dir");
            let config = ConsensusConfig {
                moniker: format!("{test}-{name}"),
                listen_addr: format!("/ip4/127.0.0.1/tcp/{}", ports[i])
                    .parse()
                    .expect("multiaddr"),
                persistent_peers: addrs
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, a)| a.clone())
                    .collect(),
                home: home.path().to_path_buf(),
                key: NodeKey::Validator(secrets[i]),
                app: AppConfig {
                    timeouts: test_timeouts(),
                    ..AppConfig::default()
                },
                value_sync: true,
                #[cfg(feature = "byzantine")]
                byzantine: None,
            };
            TestNode {
                name,
                host: MemoryHost::new(spec),
                config,
                home,
            }
        })
        .collect()
}

/// Waits until `host` has committed `height`, or panics after `timeout`.
pub async fn wait_for_height(host: &MemoryHost, height: BlockNumber, timeout: Duration) {
    let mut rx = host.subscribe();
    let reached = tokio::time::timeout(timeout, rx.wait_for(|h| *h >= height)).await;
    match reached {
        Ok(Ok(_)) => {}
        Ok(Err(_)) => panic!("commit notifications closed"),
        Err(_) => panic!(
            "height {height} not reached within {timeout:?} (at {})",
            host.height()
        ),
    }
}

/// Installs a log subscriber once when `RUST_LOG` is set.
pub fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// `bob` (admin of the manufacturer in the presets) adds `eve` to his organisation: a transaction that changes state.
pub fn sample_transaction(genesis: &Hash) -> SignedTransaction {
    use yima_frame::{Role, Roles};
    SignedTransaction::sign(
        &dev_keys::dev_key("bob"),
        genesis,
        SPEC_VERSION,
        0,
        1_000,
        yima_runtime::RuntimeCall::Membership(yima_membership::Call::AddAccount {
            account: dev_keys::dev_account("eve"),
            roles: Roles::of(&[Role::Operator]),
        }),
    )
}
