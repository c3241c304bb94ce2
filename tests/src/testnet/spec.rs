//! The Testnet's node identities (keys, peer ids, loopback ports) and the chain spec that lists them: the
//! validators in genesis, every allowed node's peer id in `allowed_peers`, the validators' addresses in
//! `boot_nodes`.

use std::net::{Ipv4Addr, TcpListener};

use yima_chain_spec::{dev_keys, ChainSpec};
use yima_frame::AccountId;
use yima_membership::Validator;

/// What a node is on the Testnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// In the genesis validator set; runs with `--validator-key`.
    Validator,
    /// Follows the chain without voting.
    FullNode,
}

/// One node's identity: its key, peer id and ports.
#[derive(Clone, Debug)]
pub struct NodeIdentity {
    /// Dev key name the node's key derives from (`alice`, `full-0`, …).
    pub name: String,
    /// Validator or full node.
    pub role: Role,
    /// The ed25519 secret of its consensus / network key.
    pub secret: [u8; 32],
    /// Its libp2p peer id (derived from the secret).
    pub peer_id: String,
    /// The address it listens on: 127.0.0.1, or its own in a network namespace ([`super::Netns`]).
    pub host: Ipv4Addr,
    /// Consensus (libp2p) port.
    pub p2p_port: u16,
    /// JSON-RPC port.
    pub rpc_port: u16,
}

impl NodeIdentity {
    /// An identity for dev key `name` with the given ports on 127.0.0.1.
    pub fn new(name: &str, role: Role, p2p_port: u16, rpc_port: u16) -> Self {
        let secret = dev_keys::dev_key(name).to_bytes();
        let peer_id = yima_consensus::peer_id(&secret)
            .expect("a dev key is a valid ed25519 key")
            .to_string();
        Self {
            name: name.to_string(),
            role,
            secret,
            peer_id,
            host: Ipv4Addr::LOCALHOST,
            p2p_port,
            rpc_port,
        }
    }

    /// The same identity listening on `host`.
    pub fn on_host(mut self, host: Ipv4Addr) -> Self {
        self.host = host;
        self
    }

    /// The account of its key.
    pub fn account(&self) -> AccountId {
        dev_keys::dev_account(&self.name)
    }

    /// `/ip4/<host>/tcp/<p2p port>/p2p/<peer id>`, what other nodes dial.
    pub fn multiaddr(&self) -> String {
        format!(
            "/ip4/{}/tcp/{}/p2p/{}",
            self.host, self.p2p_port, self.peer_id
        )
    }
}

/// The dev key name of validator `i`: `alice`, `bob`, `charlie`, `dave` (the `local` preset's four), then
/// `validator-4`, `validator-5`, ….
pub fn validator_name(i: usize) -> String {
    match i {
        0..4 => dev_keys::DEV_NAMES[i].to_string(),
        _ => format!("validator-{i}"),
    }
}

/// Free loopback ports for `nodes` nodes: `(p2p, rpc)` each, where `p2p + 1` is free too (the node's gossip
/// swarm listens there). Every listener is held until all are picked, so the OS hands out no port twice; another
/// process may still take one before the node binds it (rare on loopback).
pub fn free_ports(nodes: usize) -> Vec<(u16, u16)> {
    let mut held: Vec<TcpListener> = Vec::new();
    let bind = |port: u16| TcpListener::bind(("127.0.0.1", port)).ok();
    let mut out = Vec::new();
    while out.len() < nodes {
        let p2p = bind(0).expect("bind an ephemeral port on 127.0.0.1");
        let port = p2p.local_addr().expect("a bound address").port();
        let Some(next) = port.checked_add(1).and_then(bind) else {
            held.push(p2p);
            continue;
        };
        let rpc = bind(0).expect("bind an ephemeral port on 127.0.0.1");
        out.push((port, rpc.local_addr().expect("a bound address").port()));
        held.extend([p2p, next, rpc]);
    }
    out
}

/// `template` with `validators` as the genesis validator set (power 1 each), `allowed` as the allow-list and
/// the validators' addresses as boot nodes.
pub fn testnet_spec(
    template: &ChainSpec,
    validators: &[&NodeIdentity],
    allowed: &[&NodeIdentity],
) -> ChainSpec {
    let mut spec = template.clone();
    spec.genesis.membership.validators = validators
        .iter()
        .map(|v| Validator {
            key: v.account(),
            power: 1,
        })
        .collect();
    spec.allowed_peers = allowed.iter().map(|n| n.peer_id.clone()).collect();
    spec.boot_nodes = validators.iter().map(|v| v.multiaddr()).collect();
    spec
}
