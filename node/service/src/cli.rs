//! The command line: `yima-node [RUN FLAGS]`, `yima-node build-spec`, `yima-node key generate|inspect`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ed25519_dalek::SigningKey;
use yima_chain_spec::dev_keys;
use yima_frame::AccountId;

/// A Yima node: a permissioned traceability chain (Tendermint through Malachite, RocksDB, JSON-RPC).
#[derive(Debug, Parser)]
#[command(name = "yima-node", version, about, long_about = None)]
pub struct Cli {
    /// A subcommand; without one the node runs.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// How to run the node.
    #[command(flatten)]
    pub run: RunArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prints a chain spec as JSON (to edit and pass back with `--chain PATH`).
    BuildSpec {
        /// The chain: `dev`, `local`, `demo` or the path of a chain spec JSON file.
        #[arg(long, default_value = "local")]
        chain: String,
    },
    /// Key management.
    #[command(subcommand)]
    Key(KeyCommand),
}

/// `yima-node key …`.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Generates a new ed25519 key and prints its secret, account and libp2p peer id.
    Generate {
        /// Also write the secret (hex) to this file, readable by its owner only.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Prints the account and libp2p peer id of a key.
    Inspect {
        /// The key: a file holding the hex secret, `//name` for a dev key, or `0x…` (64 hex digits).
        key: String,
    },
}

/// Flags for running the node.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Development chain: `--chain demo`, validator key `//alice`, and a temporary base path unless
    /// `--base-path` is given.
    #[arg(long)]
    pub dev: bool,

    /// Submit the demo histories when the chain is the `demo` chain and still at genesis (`--dev` does this);
    /// for demo chains run with their own spec, keys and ports, e.g. a test network.
    #[arg(long)]
    pub seed_demo: bool,

    /// The chain: `dev`, `local`, `demo` or the path of a chain spec JSON file [default: demo with --dev,
    /// local otherwise].
    #[arg(long)]
    pub chain: Option<String>,

    /// Where the node keeps its database and consensus WAL [default: a temporary directory with --dev].
    #[arg(long, short = 'd')]
    pub base_path: Option<PathBuf>,

    /// The validator key: a file holding the hex ed25519 secret, or `//name` for a dev key (`//alice` …).
    /// Without one the node follows consensus as a full node with its network key (`--node-key`).
    #[arg(long)]
    pub validator_key: Option<String>,

    /// TCP port for consensus peers.
    #[arg(long, default_value_t = 30333)]
    pub p2p_port: u16,

    /// Address to listen on for peers.
    #[arg(long, default_value = "0.0.0.0")]
    pub p2p_host: String,

    /// TCP port for transaction gossip [default: --p2p-port + 1]. Peers' gossip addresses are derived from
    /// their bootnode addresses by the same rule, so nodes on one machine space their p2p ports by two.
    #[arg(long)]
    pub gossip_port: Option<u16>,

    /// A full node's network key (a file holding the hex ed25519 secret, or `0x…`); its peer id is what the
    /// chain spec's `allowed_peers` lists. Default: generated once and kept in `<base path>/network/secret_ed25519`.
    /// Validators use their validator key.
    #[arg(long)]
    pub node_key: Option<String>,

    /// TCP port of the JSON-RPC server (HTTP and WebSocket).
    #[arg(long, default_value_t = 9944)]
    pub rpc_port: u16,

    /// Serve RPC on every interface instead of 127.0.0.1 only.
    #[arg(long)]
    pub rpc_external: bool,

    /// Operator RPC methods (`author_pendingTransactions`, `system_peers`): `auto` answers them to a caller on
    /// this machine that no proxy forwarded, `safe` never, `unsafe` to everyone.
    #[arg(long, value_enum, default_value_t = crate::rpc::RpcMethods::Auto)]
    pub rpc_methods: crate::rpc::RpcMethods,

    /// Most concurrent RPC connections.
    #[arg(long, default_value_t = crate::rpc::MAX_CONNECTIONS)]
    pub rpc_max_connections: u32,

    /// Host names the RPC port answers to besides loopback ones (against DNS rebinding), comma-separated or
    /// repeated; `all` for any. Default: loopback names only while RPC listens on 127.0.0.1, any name with
    /// --rpc-external.
    #[arg(long, value_delimiter = ',')]
    pub rpc_host: Vec<String>,

    /// Other sites' origins (`https://app.example`) whose web pages may call RPC, comma-separated or repeated;
    /// `all` for any. The node's own pages and loopback pages always may.
    #[arg(long, value_delimiter = ',')]
    pub rpc_cors: Vec<String>,

    /// Most RPC calls per second on one connection (a batch counts each call); 0 for no limit.
    #[arg(long, default_value_t = crate::rpc::rate_limit::DEFAULT_CALLS_PER_SECOND)]
    pub rpc_rate_limit: u32,

    /// Store readers (web pages, proofs, traces, alerts) running at once; the rest wait their turn, so block
    /// execution always has threads [default: the machine's cores].
    #[arg(long)]
    pub rpc_readers: Option<usize>,

    /// Most transactions the pool holds, ready and waiting together; one organisation may hold three quarters of
    /// them and one account a tenth.
    #[arg(long, default_value_t = yima_txpool::DEFAULT_MAX_TRANSACTIONS)]
    pub pool_limit: usize,

    /// Fault tests only (a build with the `byzantine` cargo feature): lie as this JSON file says (Malachite's
    /// `ByzantineConfig`: equivocate votes or proposals, drop them, precommit nil).
    #[cfg(feature = "byzantine")]
    #[arg(long)]
    pub byzantine: Option<PathBuf>,

    /// Fault tests only (a build with the `byzantine` cargo feature): this node's clock runs this many
    /// milliseconds ahead (negative: behind) — its block timestamps and its drift check on others' proposals.
    #[cfg(feature = "byzantine")]
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub clock_offset_ms: i64,

    /// TCP port of the Prometheus `/metrics` endpoint (127.0.0.1); 0 turns it off.
    #[arg(long, default_value_t = 9615)]
    pub prometheus_port: u16,

    /// Peers to connect to, as multiaddrs with their peer id: `/ip4/10.0.0.2/tcp/30333/p2p/12D3Koo…`
    /// (comma-separated or repeated; their gossip port is their p2p port + 1). Only these peers, the chain
    /// spec's `allowed_peers` and the current validators may connect.
    #[arg(long, value_delimiter = ',')]
    pub bootnodes: Vec<String>,

    /// Seconds between empty blocks when there are no transactions (a block starts at once when there are).
    #[arg(long, default_value_t = 10)]
    pub idle_block_secs: u64,

    /// Node name in logs and metrics.
    #[arg(long)]
    pub name: Option<String>,
}

/// A key as the CLI takes it.
#[derive(Debug)]
pub struct LoadedKey {
    /// The ed25519 secret (seed).
    pub secret: [u8; 32],
}

impl LoadedKey {
    /// The signing key.
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.secret)
    }

    /// The account (public key).
    pub fn account(&self) -> AccountId {
        AccountId::from(self.signing_key().verifying_key())
    }
}

fn parse_hex_secret(text: &str) -> anyhow::Result<[u8; 32]> {
    let text = text.trim();
    let text = text.strip_prefix("0x").unwrap_or(text);
    let mut secret = [0u8; 32];
    hex::decode_to_slice(text, &mut secret)
        .map_err(|e| anyhow::anyhow!("a key is 64 hex digits (32 bytes): {e}"))?;
    Ok(secret)
}

/// Reads a key: `//name` (dev key), `0x…` (hex secret) or a file holding the hex secret.
pub fn load_key(spec: &str) -> anyhow::Result<LoadedKey> {
    if let Some(name) = spec.strip_prefix("//") {
        anyhow::ensure!(!name.is_empty(), "a dev key is `//name`, e.g. `//alice`");
        return Ok(LoadedKey {
            secret: dev_keys::dev_key(name).to_bytes(),
        });
    }
    if spec.starts_with("0x") && spec.len() == 66 {
        return Ok(LoadedKey {
            secret: parse_hex_secret(spec)?,
        });
    }
    let text = std::fs::read_to_string(spec)
        .map_err(|e| anyhow::anyhow!("cannot read the key file {spec}: {e}"))?;
    Ok(LoadedKey {
        secret: parse_hex_secret(&text).map_err(|e| anyhow::anyhow!("key file {spec}: {e}"))?,
    })
}

/// The lines `key generate` / `key inspect` print.
pub fn describe_key(key: &LoadedKey, with_secret: bool) -> anyhow::Result<String> {
    let peer = yima_consensus::peer_id(&key.secret)?;
    let mut out = String::new();
    if with_secret {
        out.push_str(&format!("Secret:  0x{}\n", hex::encode(key.secret)));
    }
    out.push_str(&format!("Account: {}\n", key.account()));
    out.push_str(&format!("Peer id: {peer}\n"));
    Ok(out)
}

/// Runs `key generate`.
pub fn key_generate(output: Option<&std::path::Path>) -> anyhow::Result<String> {
    let key = LoadedKey {
        secret: rand::random(),
    };
    if let Some(path) = output {
        write_secret(path, &key.secret)?;
    }
    describe_key(&key, true)
}

/// A full node's network key: `--node-key` if given, else the one kept in `<base_path>/network/secret_ed25519`,
/// generated on first start (so the node keeps its peer id across restarts).
pub fn node_key(spec: Option<&str>, base_path: &std::path::Path) -> anyhow::Result<[u8; 32]> {
    if let Some(spec) = spec {
        return Ok(load_key(spec)?.secret);
    }
    let dir = base_path.join("network");
    let path = dir.join("secret_ed25519");
    if path.exists() {
        return Ok(load_key(&path.to_string_lossy())?.secret);
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let secret = rand::random();
    write_secret(&path, &secret)?;
    Ok(secret)
}

fn write_secret(path: &std::path::Path, secret: &[u8; 32]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    writeln!(file, "0x{}", hex::encode(secret))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_flag_has_help_and_the_cli_is_consistent() {
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        fn check(cmd: &clap::Command) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                assert!(
                    arg.get_help().is_some(),
                    "{} --{id} has no help",
                    cmd.get_name()
                );
            }
            for sub in cmd.get_subcommands() {
                check(sub);
            }
        }
        check(&cmd);
    }

    #[test]
    fn a_full_node_keeps_its_generated_network_key() {
        let dir = tempfile::tempdir().unwrap();
        let first = node_key(None, dir.path()).unwrap();
        assert_eq!(
            node_key(None, dir.path()).unwrap(),
            first,
            "kept across starts"
        );
        assert!(dir.path().join("network/secret_ed25519").exists());
        let given = format!("0x{}", hex::encode([7u8; 32]));
        assert_eq!(node_key(Some(&given), dir.path()).unwrap(), [7u8; 32]);
    }

    #[test]
    fn dev_keys_and_hex_keys_load() {
        let alice = load_key("//alice").unwrap();
        assert_eq!(alice.account(), dev_keys::dev_account("alice"));
        let hex = format!("0x{}", hex::encode(alice.secret));
        assert_eq!(load_key(&hex).unwrap().secret, alice.secret);
        assert!(load_key("/nonexistent/key").is_err());
        let described = describe_key(&alice, false).unwrap();
        assert!(described.contains("Peer id: 12D3Koo"), "{described}");
    }
}
