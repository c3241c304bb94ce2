//! [`Testnet`]: real `yima-node` processes on 127.0.0.1, each with its own temporary base path, log files and
//! loopback ports, started from a chain spec the harness writes (the validators in genesis, every allowed node's
//! peer id in `allowed_peers`, the validators' addresses as boot nodes).
//!
//! With [`TestnetBuilder::network_namespaces`] every node runs instead in its own Linux network namespace on a
//! bridge ([`Netns`]), at its own address, so a test can partition the network for real ([`Testnet::netns`]).
//!
//! Waits are driven by the `chain_subscribeFinalizedHeads` subscription and bounded by a timeout; the only poll
//! is the start-up check that a node's RPC port answers. `kill9` / `restart` exercise crash recovery. When a test
//! panics with a Testnet alive, the tail of every node's log is printed and the directory is kept.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let net = yima_tests::testnet::Testnet::start(4).await?;
//! net.wait_for_height(0, 3, net.timeout()).await?;
//! # Ok(()) }
//! ```

mod binary;
mod netns;
mod process;
mod rpc;
mod spec;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use yima_chain_spec::{presets, ChainSpec};
use yima_frame::Hash;
use yima_node::rpc::HeaderJson;

pub use binary::{node_binary, node_has_flag, NODE_BIN_ENV};
pub use netns::{Netns, NetnsError, BLACK_HOLE_MAC};
pub use process::{cpu_seconds_of, dir_bytes, NodeConfig, NodeProcess};
pub use rpc::{is_rate_limited, next_head, subscribe_finalized, tx_hex, NodeRpc};
pub use spec::{free_ports, testnet_spec, validator_name, NodeIdentity, Role};

/// Default bound on every wait: generous for a debug build on a busy 2-core machine.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// A node beyond the validators: a full node, or a node that should not be able to join.
#[derive(Clone, Debug)]
pub struct ExtraNode {
    /// Dev key name its key derives from.
    pub name: String,
    /// Validator (`--validator-key`, even if the key is not in the set) or full node.
    pub role: Role,
    /// Whether its peer id goes into the spec's `allowed_peers`.
    pub allowed: bool,
    /// Run it with this spec instead of the Testnet's (e.g. another genesis); the Testnet's allow-list and boot
    /// nodes are written into it.
    pub spec: Option<ChainSpec>,
    /// Start it with the others; otherwise [`Testnet::start_node`] starts it later.
    pub start: bool,
}

impl ExtraNode {
    /// An allowed full node on the Testnet's chain, started with the others.
    pub fn full_node(name: &str) -> Self {
        Self {
            name: name.to_string(),
            role: Role::FullNode,
            allowed: true,
            spec: None,
            start: true,
        }
    }

    /// Started only by [`Testnet::start_node`].
    pub fn deferred(mut self) -> Self {
        self.start = false;
        self
    }
}

/// How to build a [`Testnet`].
#[derive(Clone, Debug)]
pub struct TestnetBuilder {
    validators: usize,
    extra: Vec<ExtraNode>,
    template: ChainSpec,
    idle_block_secs: u64,
    log_filter: String,
    node_args: Vec<String>,
    /// Arguments of single nodes, after `node_args`, by node index.
    own_args: Vec<(usize, Vec<String>)>,
    timeout: Duration,
    network_namespaces: bool,
}

impl TestnetBuilder {
    /// `validators` validators on the `local` preset's genesis (organisations and accounts), 1-second idle
    /// blocks, `RUST_LOG` from `YIMA_TESTNET_LOG` (default `info`).
    pub fn new(validators: usize) -> Self {
        Self {
            validators: validators.max(1),
            extra: Vec::new(),
            template: presets::local(),
            idle_block_secs: 1,
            log_filter: std::env::var("YIMA_TESTNET_LOG").unwrap_or_else(|_| "info".into()),
            node_args: Vec::new(),
            own_args: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            network_namespaces: false,
        }
    }

    /// `count` allowed full nodes (`full-0`, `full-1`, …), started with the validators.
    pub fn full_nodes(mut self, count: usize) -> Self {
        let first = self
            .extra
            .iter()
            .filter(|n| n.name.starts_with("full-"))
            .count();
        for i in first..first + count {
            self.extra.push(ExtraNode::full_node(&format!("full-{i}")));
        }
        self
    }

    /// Adds a node beyond the validators.
    pub fn extra_node(mut self, node: ExtraNode) -> Self {
        self.extra.push(node);
        self
    }

    /// Genesis (organisations, accounts, limits) from `spec`; its validator set, allow-list and boot nodes are
    /// replaced by the Testnet's.
    pub fn chain_spec(mut self, spec: ChainSpec) -> Self {
        self.template = spec;
        self
    }

    /// `--idle-block-secs` of every node.
    pub fn idle_block_secs(mut self, secs: u64) -> Self {
        self.idle_block_secs = secs;
        self
    }

    /// `RUST_LOG` of every node.
    pub fn log_filter(mut self, filter: &str) -> Self {
        self.log_filter = filter.to_string();
        self
    }

    /// Extra command-line arguments of every node (e.g. `["--pool-limit", "4000"]`).
    pub fn node_args(mut self, args: &[String]) -> Self {
        self.node_args = args.to_vec();
        self
    }

    /// Extra command-line arguments of node `i` alone (e.g. a lying validator's `--byzantine FILE`).
    pub fn own_args(mut self, i: usize, args: &[String]) -> Self {
        self.own_args.push((i, args.to_vec()));
        self
    }

    /// The bound of [`Testnet::timeout`] (start-up waits use it too).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Every node in its own network namespace on a bridge, at its own address ([`Netns`]; needs root): the
    /// network can then be cut through [`Testnet::netns`]. Nodes serve RPC on their address (`--rpc-external`).
    pub fn network_namespaces(mut self) -> Self {
        self.network_namespaces = true;
        self
    }

    /// Writes the spec, starts the nodes and waits until each started node's RPC answers.
    pub async fn start(self) -> anyhow::Result<Testnet> {
        let dir = tempfile::Builder::new().prefix("yima-testnet-").tempdir()?;
        let count = self.validators + self.extra.len();
        let netns = if self.network_namespaces {
            Some(Netns::create(count)?)
        } else {
            None
        };
        let ports = free_ports(count);
        let roles = (0..self.validators)
            .map(|i| (validator_name(i), Role::Validator))
            .chain(self.extra.iter().map(|e| (e.name.clone(), e.role)));
        let identities: Vec<NodeIdentity> = roles
            .zip(&ports)
            .enumerate()
            .map(|(i, ((name, role), &(p2p, rpc)))| {
                let id = NodeIdentity::new(&name, role, p2p, rpc);
                match &netns {
                    Some(n) => id.on_host(n.ip(i)),
                    None => id,
                }
            })
            .collect();
        let validators: Vec<&NodeIdentity> = identities[..self.validators].iter().collect();
        let allowed: Vec<&NodeIdentity> = identities
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < self.validators || self.extra[i - self.validators].allowed)
            .map(|(_, id)| id)
            .collect();
        let spec = testnet_spec(&self.template, &validators, &allowed);
        let spec_path = dir.path().join("chain-spec.json");
        spec.write_json_file(&spec_path)?;

        let mut nodes = Vec::new();
        let mut start = Vec::new();
        for (i, identity) in identities.iter().enumerate() {
            let extra = i.checked_sub(self.validators).map(|k| &self.extra[k]);
            let chain = match extra.and_then(|e| e.spec.as_ref()) {
                Some(other) => {
                    let mut other = other.clone();
                    other.allowed_peers = spec.allowed_peers.clone();
                    other.boot_nodes = spec.boot_nodes.clone();
                    let path = dir
                        .path()
                        .join(format!("chain-spec-{}.json", identity.name));
                    other.write_json_file(&path)?;
                    path
                }
                None => spec_path.clone(),
            };
            nodes.push(NodeProcess::new(NodeConfig {
                identity: identity.clone(),
                chain,
                base_path: dir.path().join(&identity.name),
                bootnodes: Vec::new(),
                idle_block_secs: self.idle_block_secs,
                log_filter: self.log_filter.clone(),
                extra_args: self
                    .node_args
                    .iter()
                    .chain(
                        self.own_args
                            .iter()
                            .filter(|(k, _)| *k == i)
                            .flat_map(|(_, a)| a),
                    )
                    .cloned()
                    .collect(),
                netns: netns.as_ref().map(|n| n.namespace(i).to_string()),
            }));
            start.push(extra.is_none_or(|e| e.start));
        }
        let rpcs = identities
            .iter()
            .map(|id| NodeRpc::at(SocketAddr::from((id.host, id.rpc_port))))
            .collect();
        let mut net = Testnet {
            dir: Some(dir),
            spec,
            spec_path,
            nodes,
            rpcs,
            timeout: self.timeout,
            netns,
        };
        for (i, &s) in start.iter().enumerate() {
            if s {
                net.nodes[i].start()?;
            }
        }
        for (i, &s) in start.iter().enumerate() {
            if s {
                net.wait_ready(i).await?;
            }
        }
        Ok(net)
    }
}

/// Running nodes, on loopback or each in its network namespace. Dropping it kills every node (then removes the
/// namespaces).
pub struct Testnet {
    dir: Option<TempDir>,
    spec: ChainSpec,
    spec_path: PathBuf,
    nodes: Vec<NodeProcess>,
    rpcs: Vec<NodeRpc>,
    timeout: Duration,
    /// Dropped after the nodes are killed (a namespace lives on while a process is in it).
    netns: Option<Netns>,
}

impl Testnet {
    /// `validators` validators on the `local` preset's genesis, all started and answering RPC.
    pub async fn start(validators: usize) -> anyhow::Result<Self> {
        TestnetBuilder::new(validators).start().await
    }

    /// A builder for anything else.
    pub fn builder(validators: usize) -> TestnetBuilder {
        TestnetBuilder::new(validators)
    }

    /// How many nodes (validators first, then extra nodes in the order added).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no nodes (never: a Testnet has at least one validator).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The bound for waits.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The chain spec the validators run.
    pub fn spec(&self) -> &ChainSpec {
        &self.spec
    }

    /// Its file.
    pub fn spec_path(&self) -> &Path {
        &self.spec_path
    }

    /// The genesis hash of the Testnet's chain.
    pub fn genesis_hash(&self) -> Hash {
        self.spec
            .genesis_hash()
            .expect("the Testnet's spec built its genesis")
    }

    /// Node `i`'s process.
    pub fn node(&self, i: usize) -> &NodeProcess {
        &self.nodes[i]
    }

    /// Node `i`'s identity.
    pub fn identity(&self, i: usize) -> &NodeIdentity {
        &self.nodes[i].config.identity
    }

    /// Node `i`'s RPC.
    pub fn rpc(&self, i: usize) -> &NodeRpc {
        &self.rpcs[i]
    }

    /// The network namespaces, to cut and mend links (a Testnet built with
    /// [`TestnetBuilder::network_namespaces`]; `None` on loopback).
    pub fn netns(&self) -> Option<&Netns> {
        self.netns.as_ref()
    }

    /// The Testnet's directory (spec files and every node's base path).
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("kept until drop").path()
    }

    /// Node `i`'s store directory (open it only once the node has stopped).
    pub fn store_path(&self, i: usize) -> PathBuf {
        self.node(i)
            .config
            .base_path
            .join("chains")
            .join(&self.spec().id)
            .join("db")
    }

    /// An error about node `i` with the tail of its logs.
    fn fail(&self, i: usize, what: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!(
            "node {i} ({}): {what}\n{}",
            self.nodes[i].name(),
            self.nodes[i].log_tail(40)
        )
    }

    /// Waits until node `i`'s RPC answers (it exited: an error with its log).
    pub async fn wait_ready(&mut self, i: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Err(e) = self.nodes[i].check_alive() {
                return Err(self.fail(i, e));
            }
            match self.rpcs[i].health().await {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() >= deadline => {
                    return Err(self.fail(i, format!("RPC not ready in {:?}: {e}", self.timeout)))
                }
                // Start-up poll: the node is still opening its store or binding its port.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Waits until node `i` has finalized height `h` and returns that height's header.
    pub async fn wait_for_height(
        &self,
        i: usize,
        h: u64,
        timeout: Duration,
    ) -> anyhow::Result<HeaderJson> {
        let rpc = &self.rpcs[i];
        let result = tokio::time::timeout(timeout, async {
            let ws = rpc.ws().await?;
            let mut heads = subscribe_finalized(&ws).await?;
            let mut number = rpc.finalized_head().await?.number;
            while number < h {
                number = next_head(&mut heads).await?.number;
            }
            rpc.header(h)
                .await?
                .ok_or_else(|| anyhow::anyhow!("finalized {number} but has no header {h}"))
                as anyhow::Result<HeaderJson>
        })
        .await;
        match result {
            Ok(Ok(header)) => Ok(header),
            Ok(Err(e)) => Err(self.fail(i, format!("waiting for height {h}: {e}"))),
            Err(_) => Err(self.fail(
                i,
                format!(
                    "height {h} not finalized within {timeout:?} (head {:?})",
                    rpc.finalized_head().await.map(|h| h.number).ok()
                ),
            )),
        }
    }

    /// Waits until node `i` finalizes the transaction `tx_hash` in a block above `after`; returns the block.
    pub async fn wait_finalized(
        &self,
        i: usize,
        tx_hash: &str,
        after: u64,
        timeout: Duration,
    ) -> anyhow::Result<u64> {
        let rpc = &self.rpcs[i];
        let result = tokio::time::timeout(timeout, async {
            let ws = rpc.ws().await?;
            let mut heads = subscribe_finalized(&ws).await?;
            let mut checked = after;
            let mut head = rpc.finalized_head().await?.number;
            loop {
                while checked < head {
                    checked += 1;
                    let block = rpc
                        .block(checked)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("finalized but no block {checked}"))?;
                    if block.transaction_hashes.iter().any(|h| h == tx_hash) {
                        return Ok::<u64, anyhow::Error>(checked);
                    }
                }
                head = next_head(&mut heads).await?.number;
            }
        })
        .await;
        match result {
            Ok(Ok(n)) => Ok(n),
            Ok(Err(e)) => Err(self.fail(i, format!("waiting for transaction {tx_hash}: {e}"))),
            Err(_) => Err(self.fail(
                i,
                format!("transaction {tx_hash} not finalized within {timeout:?}"),
            )),
        }
    }

    /// Checks that every node in `nodes` holds the same block hashes for heights `0..=up_to`; returns them.
    pub async fn assert_same_chain(
        &self,
        nodes: &[usize],
        up_to: u64,
    ) -> anyhow::Result<Vec<String>> {
        let reference = self.rpcs[nodes[0]].block_hashes(up_to).await?;
        for &i in &nodes[1..] {
            let hashes = self.rpcs[i].block_hashes(up_to).await?;
            if let Some(n) = (0..reference.len()).find(|&n| hashes[n] != reference[n]) {
                anyhow::bail!(
                    "node {i} has block {n} = {} but node {} has {}",
                    hashes[n],
                    nodes[0],
                    reference[n]
                );
            }
        }
        Ok(reference)
    }

    /// Checks that `nodes` agree block by block up to the lowest of their finalized heads; returns that height.
    pub async fn assert_one_chain(&self, nodes: &[usize]) -> anyhow::Result<u64> {
        let lowest = self.lowest_head(nodes).await?;
        self.assert_same_chain(nodes, lowest).await?;
        Ok(lowest)
    }

    /// The lowest finalized head among `nodes`.
    pub async fn lowest_head(&self, nodes: &[usize]) -> anyhow::Result<u64> {
        let mut lowest = u64::MAX;
        for &i in nodes {
            lowest = lowest.min(self.rpcs[i].finalized_head().await?.number);
        }
        Ok(lowest)
    }

    /// `kill -9` node `i`.
    pub fn kill9(&mut self, i: usize) {
        self.nodes[i].kill9();
    }

    /// Waits until node `i` exits on its own (within the Testnet's timeout); returns how it exited.
    pub async fn wait_exit(&mut self, i: usize) -> anyhow::Result<String> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Err(exited) = self.nodes[i].check_alive() {
                return Ok(exited.to_string());
            }
            if Instant::now() >= deadline {
                return Err(self.fail(i, format!("still running after {:?}", self.timeout)));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Starts node `i` again on its base path and ports and waits for its RPC.
    pub async fn restart(&mut self, i: usize) -> anyhow::Result<()> {
        self.nodes[i].kill9();
        self.start_node(i).await
    }

    /// Starts a stopped (or deferred) node `i` and waits for its RPC.
    pub async fn start_node(&mut self, i: usize) -> anyhow::Result<()> {
        self.nodes[i].start()?;
        self.wait_ready(i).await
    }

    /// SIGTERM every node and wait for clean exits (stores flushed).
    pub fn terminate_all(&mut self) -> anyhow::Result<()> {
        for node in &mut self.nodes {
            node.terminate()?;
        }
        Ok(())
    }

    /// The last `lines` of every node's logs.
    pub fn log_tails(&self, lines: usize) -> String {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| format!("==== node {i} ({}) ====\n{}", n.name(), n.log_tail(lines)))
            .collect::<String>()
    }

    /// Keeps the directory (logs, stores) after the Testnet is dropped; returns its path.
    pub fn keep(&mut self) -> PathBuf {
        match self.dir.take() {
            Some(dir) => dir.keep(),
            None => PathBuf::new(),
        }
    }
}

impl Drop for Testnet {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            node.kill9();
        }
        if std::thread::panicking() || std::env::var_os("YIMA_TESTNET_KEEP").is_some() {
            if std::thread::panicking() {
                eprintln!("{}", self.log_tails(60));
            }
            let kept = self.keep();
            eprintln!("Testnet directory kept: {}", kept.display());
        }
    }
}
