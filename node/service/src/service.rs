//! Running the node: open the store (genesis from the chain spec on first start; a different genesis is refused),
//! start the gossip network, RPC, `/metrics`, and consensus over the [`NodeHost`]; stop on Ctrl-C or SIGTERM.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use yima_chain_spec::ChainSpec;
use yima_consensus::{AppConfig, ConsensusConfig, Multiaddr, NodeKey};
use yima_frame::state::MemoryState;
use yima_storage::{GenesisInit, Store, StoreOptions};
use yima_txpool::PoolConfig;

use crate::cli::{load_key, node_key, RunArgs};
use crate::host::NodeHost;

/// Everything the node runs with, resolved from the CLI.
#[derive(Debug)]
pub struct NodeSettings {
    /// The chain.
    pub spec: ChainSpec,
    /// Base directory (the store in `db/`, the consensus WAL in `wal/`).
    pub base_path: PathBuf,
    /// Validator or full-node key.
    pub key: NodeKey,
    /// Consensus listen address.
    pub listen_addr: Multiaddr,
    /// Persistent peers.
    pub peers: Vec<Multiaddr>,
    /// Gossip listen address (`--gossip-port`, default p2p port + 1).
    pub gossip_listen_addr: Multiaddr,
    /// The bootnodes' gossip addresses (their p2p port + 1).
    pub gossip_peers: Vec<Multiaddr>,
    /// RPC address.
    pub rpc_addr: SocketAddr,
    /// RPC limits and operator-method policy.
    pub rpc: crate::rpc::RpcConfig,
    /// `/metrics` address, if any.
    pub prometheus_addr: Option<SocketAddr>,
    /// Empty-block interval of an idle chain.
    pub idle_block_interval: Duration,
    /// Moniker.
    pub name: String,
    /// Record the demo histories in the first blocks of a fresh `demo` chain (`--dev`).
    pub seed_demo: bool,
    /// Keeps a `--dev` temporary base path alive for the node's lifetime.
    pub temp_dir: Option<tempfile::TempDir>,
    /// The transaction pool's bounds (`--pool-limit`).
    pub pool: PoolConfig,
    /// How this validator lies (`--byzantine FILE`; fault-test builds only).
    #[cfg(feature = "byzantine")]
    pub byzantine: Option<yima_consensus::byzantine::Lies>,
    /// How far this node's clock is skewed, ms (`--clock-offset-ms`; fault-test builds only).
    #[cfg(feature = "byzantine")]
    pub clock_offset_ms: i64,
}

impl NodeSettings {
    /// Resolves the CLI flags (`--dev` defaults, chain spec, key, addresses).
    pub fn from_args(args: &RunArgs) -> anyhow::Result<Self> {
        let chain = args
            .chain
            .clone()
            .unwrap_or_else(|| if args.dev { "demo" } else { "local" }.to_string());
        let spec = ChainSpec::load(&chain)?;
        let (base_path, temp_dir) = match (&args.base_path, args.dev) {
            (Some(p), _) => (p.clone(), None),
            (None, true) => {
                let dir = tempfile::Builder::new().prefix("yima-dev-").tempdir()?;
                (dir.path().to_path_buf(), Some(dir))
            }
            (None, false) => {
                let home = std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .ok_or_else(|| anyhow::anyhow!("no HOME: pass --base-path"))?;
                (home.join(".local/share/yima-node"), None)
            }
        };
        let base_path = base_path.join("chains").join(&spec.id);
        let key_spec = args
            .validator_key
            .clone()
            .or_else(|| args.dev.then(|| "//alice".to_string()));
        let key = match key_spec {
            Some(k) => NodeKey::Validator(load_key(&k)?.secret),
            None => NodeKey::FullNode(node_key(args.node_key.as_deref(), &base_path)?),
        };
        let listen_addr: Multiaddr = format!("/ip4/{}/tcp/{}", args.p2p_host, args.p2p_port)
            .parse()
            .map_err(|e| anyhow::anyhow!("--p2p-host/--p2p-port: {e}"))?;
        let mut peers = Vec::new();
        for b in args.bootnodes.iter().chain(&spec.boot_nodes) {
            let addr: Multiaddr = b
                .parse()
                .map_err(|e| anyhow::anyhow!("bootnode {b}: {e}"))?;
            anyhow::ensure!(
                b.contains("/p2p/"),
                "bootnode {b}: add the peer id (`/p2p/12D3Koo…`): the network admits only known peers"
            );
            peers.push(addr);
        }
        let gossip_port = match (args.gossip_port, args.p2p_port) {
            (Some(port), _) => port,
            (None, 0) => 0,
            (None, p2p) => p2p
                .checked_add(yima_network::GOSSIP_PORT_OFFSET)
                .ok_or_else(|| anyhow::anyhow!("--p2p-port {p2p} leaves no room for the gossip port (p2p port + 1): pass --gossip-port"))?,
        };
        let gossip_listen_addr: Multiaddr = format!("/ip4/{}/tcp/{gossip_port}", args.p2p_host)
            .parse()
            .map_err(|e| anyhow::anyhow!("--p2p-host/--gossip-port: {e}"))?;
        let gossip_peers = peers
            .iter()
            .filter_map(|addr| {
                let gossip = yima_network::gossip_addr(addr, yima_network::GOSSIP_PORT_OFFSET);
                if gossip.is_none() {
                    tracing::warn!(%addr, "bootnode without a TCP port: not used for gossip");
                }
                gossip
            })
            .collect();
        let rpc_ip = if args.rpc_external {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        };
        Ok(Self {
            spec,
            base_path,
            key,
            listen_addr,
            peers,
            gossip_listen_addr,
            gossip_peers,
            rpc_addr: SocketAddr::new(rpc_ip, args.rpc_port),
            rpc: crate::rpc::RpcConfig {
                methods: args.rpc_methods,
                max_connections: args.rpc_max_connections,
                hosts: args.rpc_host.clone(),
                cors: args.rpc_cors.clone(),
                rate_limit: args.rpc_rate_limit,
                readers: args
                    .rpc_readers
                    .unwrap_or_else(crate::rpc::readers::default_readers),
                ..Default::default()
            },
            prometheus_addr: (args.prometheus_port != 0)
                .then(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), args.prometheus_port)),
            idle_block_interval: Duration::from_secs(args.idle_block_secs.max(1)),
            name: args.name.clone().unwrap_or_else(|| "yima".to_string()),
            seed_demo: args.dev || args.seed_demo,
            temp_dir,
            pool: PoolConfig::with_limit(args.pool_limit),
            #[cfg(feature = "byzantine")]
            byzantine: args.byzantine.as_deref().map(read_byzantine).transpose()?,
            #[cfg(feature = "byzantine")]
            clock_offset_ms: args.clock_offset_ms,
        })
    }
}

/// Reads `--byzantine FILE` (`yima_consensus::byzantine::Lies` as JSON), e.g.
/// `{"equivocate_votes": {"mode": "always"}, "equivocate_proposals": {"mode": "always"}}` or
/// `{"block": "bad_state_root"}`.
#[cfg(feature = "byzantine")]
fn read_byzantine(path: &std::path::Path) -> anyhow::Result<yima_consensus::byzantine::Lies> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("--byzantine {}: {e}", path.display()))?;
    let lies: yima_consensus::byzantine::Lies = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "--byzantine {}: not a Byzantine configuration: {e}",
            path.display()
        )
    })?;
    lies.engine
        .validate()
        .map_err(|e| anyhow::anyhow!("--byzantine {}: {e:#}", path.display()))?;
    Ok(lies)
}

/// Opens the store in `base_path/db` and writes genesis on first start; refuses a store of another chain, and
/// one whose last block does not hold together (`Store::check_head`).
pub fn open_store(spec: &ChainSpec, base_path: &std::path::Path) -> anyhow::Result<Store> {
    std::fs::create_dir_all(base_path)?;
    let store = Store::open(base_path.join("db"), StoreOptions::default())?;
    let genesis = spec.build_genesis(Arc::new(MemoryState::new()))?;
    match store.init_genesis(&genesis)? {
        GenesisInit::Written => {
            tracing::info!(genesis = %genesis.header.hash(), chain = %spec.id, "genesis written")
        }
        GenesisInit::AlreadyThere => {}
    }
    // A damaged last block (a lost or mangled write, a hand edit) stops the node here, named, instead of being
    // served to auditors or built on.
    store.check_head()?;
    Ok(store)
}

/// Runs the node until Ctrl-C / SIGTERM or a fatal consensus error.
pub async fn run(settings: NodeSettings) -> anyhow::Result<()> {
    #[cfg(feature = "byzantine")]
    if settings.clock_offset_ms != 0 {
        tracing::warn!(
            offset_ms = settings.clock_offset_ms,
            "this node's clock is skewed (fault-test build)"
        );
        yima_consensus::clock::skew(settings.clock_offset_ms);
    }
    let store = open_store(&settings.spec, &settings.base_path)?;
    let host = NodeHost::new(store, settings.pool.clone())?;
    let head = host.store().head()?.map(|h| h.number).unwrap_or(0);
    tracing::info!(
        chain = %settings.spec.id,
        genesis = %host.store().genesis_hash()?.unwrap_or_default(),
        head,
        base_path = %settings.base_path.display(),
        "store open"
    );

    if settings.seed_demo {
        crate::demo::seed(&host, &settings.spec)?;
    }
    let gossip = crate::gossip::start(&settings, &host).await?;
    // RPC and web callers get their own, lower-priority threads (see `rpc::runtime`).
    let rpc_runtime = crate::rpc::runtime::RpcRuntime::new()?;
    let (rpc_addr, rpc) = {
        let (addr, host, config) = (settings.rpc_addr, host.clone(), settings.rpc.clone());
        rpc_runtime
            .handle()
            .spawn(async move { crate::rpc::start(addr, host, &config).await })
            .await??
    };
    tracing::info!(%rpc_addr, "RPC listening (HTTP and WebSocket)");
    let metrics = match settings.prometheus_addr {
        Some(addr) => {
            let (addr, task) = crate::metrics::serve(addr, host.clone()).await?;
            tracing::info!(%addr, "Prometheus metrics at /metrics");
            Some(task)
        }
        None => None,
    };

    let (key_secret, role) = match &settings.key {
        NodeKey::Validator(s) => (*s, "validator"),
        NodeKey::FullNode(s) => (*s, "full node"),
    };
    tracing::info!(
        peer_id = %yima_consensus::peer_id(&key_secret)?,
        listen = %settings.listen_addr,
        role,
        "starting consensus"
    );
    let config = ConsensusConfig {
        moniker: settings.name.clone(),
        listen_addr: settings.listen_addr.clone(),
        persistent_peers: gossip.consensus_peers.clone(),
        home: settings.base_path.clone(),
        key: settings.key.clone(),
        app: AppConfig {
            idle_block_interval: Some(settings.idle_block_interval),
            #[cfg(feature = "byzantine")]
            block_lie: settings.byzantine.as_ref().and_then(|l| l.block),
            ..AppConfig::default()
        },
        value_sync: true,
        #[cfg(feature = "byzantine")]
        byzantine: settings
            .byzantine
            .as_ref()
            .map(|l| l.engine.clone())
            .filter(|e| e.is_active()),
    };
    let (engine, peer_control, mut app) =
        yima_consensus::engine::start_with_peer_control(config, host.clone()).await?;
    let follower = crate::gossip::follow_chain(
        host.clone(),
        gossip.network.handle().clone(),
        peer_control,
        gossip.fixed.clone(),
        gossip.validator_peers.clone(),
    );

    let outcome = tokio::select! {
        _ = shutdown_signal() => {
            tracing::info!("shutting down");
            yima_consensus::stop(engine, app).await;
            Ok(())
        }
        ended = &mut app => {
            let _ = engine.actor.kill_and_wait(None).await;
            engine.handle.abort();
            match ended {
                Ok(Ok(())) => Err(anyhow::anyhow!("consensus stopped")),
                Ok(Err(e)) => Err(anyhow::anyhow!("consensus failed: {e}")),
                Err(e) => Err(anyhow::anyhow!("consensus task: {e}")),
            }
        }
    };
    let _ = rpc.stop();
    rpc.stopped().await;
    follower.abort();
    gossip.network.stop().await;
    if let Some(m) = metrics {
        m.abort();
    }
    host.store().flush()?;
    outcome
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_whose_head_is_damaged_is_refused_at_start_naming_the_damage() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let spec = yima_chain_spec::presets::dev();
        let store = open_store(&spec, dir.path()).expect("a new store opens");
        let genesis = store.head().expect("reads").expect("genesis");
        drop(store);
        {
            // The genesis header's entry in the hash index is lost.
            let path = dir.path().join("db");
            let names = rocksdb::DB::list_cf(&rocksdb::Options::default(), &path).expect("lists");
            let db =
                rocksdb::DB::open_cf(&rocksdb::Options::default(), &path, &names).expect("opens");
            let hashes = db.cf_handle("hashes").expect("the column");
            db.delete_cf(hashes, genesis.hash().0).expect("deleted");
        }
        let err = open_store(&spec, dir.path()).expect_err("a damaged head is refused");
        let text = format!("{err:#}");
        assert!(text.contains("last block 0 is damaged"), "{text}");
        assert!(
            text.contains("restore the database from a backup"),
            "{text}"
        );
    }
}
