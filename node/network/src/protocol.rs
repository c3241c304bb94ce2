//! Names that bind the gossip network to one chain.
//!
//! Every name carries the genesis hash, so nodes of two chains cannot exchange a single message by accident:
//!
//! - identify `protocol_version`: `/yima/<genesis hex>/gossip/1` — checked on every new connection; a peer that
//!   announces another genesis is disconnected with a warning naming both hashes;
//! - gossipsub protocol ids: `/yima/<genesis hex>/meshsub/1.1.0` and `/1.0.0` — streams of another chain do not
//!   even negotiate;
//! - the transaction topic: `/yima/<genesis hex>/transactions/1`.
//!
//! Malachite's consensus network uses the same scheme (`yima_consensus::engine`), with its own suffixes.

use libp2p::gossipsub::IdentTopic;
use yima_frame::Hash;

/// Every protocol name starts with this.
pub const PREFIX: &str = "/yima/";

/// The protocol names of one chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainProtocol {
    genesis: Hash,
}

impl ChainProtocol {
    /// The names of the chain with this genesis hash.
    pub fn new(genesis: Hash) -> Self {
        Self { genesis }
    }

    /// The chain's genesis hash.
    pub fn genesis(&self) -> Hash {
        self.genesis
    }

    fn base(&self) -> String {
        format!("{PREFIX}{}", self.genesis.to_hex())
    }

    /// What this node announces as identify `protocol_version`.
    pub fn identify_version(&self) -> String {
        format!("{}/gossip/1", self.base())
    }

    /// The gossipsub protocol id prefix (gossipsub appends `/1.1.0` and `/1.0.0`).
    pub fn gossipsub_prefix(&self) -> String {
        format!("{}/meshsub", self.base())
    }

    /// The gossipsub topic transactions travel on.
    pub fn transactions_topic(&self) -> IdentTopic {
        IdentTopic::new(format!("{}/transactions/1", self.base()))
    }

    /// Checks a peer's identify `protocol_version`.
    pub fn check_peer(&self, protocol_version: &str) -> PeerProtocol {
        if protocol_version == self.identify_version() {
            return PeerProtocol::Same;
        }
        match genesis_of(protocol_version) {
            Some(genesis) if genesis != self.genesis => PeerProtocol::OtherGenesis(genesis),
            _ => PeerProtocol::Foreign(protocol_version.to_string()),
        }
    }
}

/// What a peer's identify `protocol_version` says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerProtocol {
    /// Our chain, our gossip protocol.
    Same,
    /// A Yima node of another chain (its genesis hash).
    OtherGenesis(Hash),
    /// Not a Yima gossip node of a known version (what it announced).
    Foreign(String),
}

/// The genesis hash in a `/yima/<genesis hex>/…` protocol name.
pub fn genesis_of(protocol: &str) -> Option<Hash> {
    let rest = protocol.strip_prefix(PREFIX)?;
    let hex = rest.split('/').next()?;
    if hex.len() != 64 {
        return None;
    }
    Hash::from_hex(hex).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_genesis_and_peers_are_told_apart() {
        let ours = ChainProtocol::new(Hash::from([1; 32]));
        let theirs = ChainProtocol::new(Hash::from([2; 32]));
        assert_eq!(genesis_of(&ours.identify_version()), Some(ours.genesis()));
        assert_eq!(
            ours.check_peer(&ours.identify_version()),
            PeerProtocol::Same
        );
        assert_eq!(
            ours.check_peer(&theirs.identify_version()),
            PeerProtocol::OtherGenesis(theirs.genesis())
        );
        assert_eq!(
            ours.check_peer("/ipfs/0.1.0"),
            PeerProtocol::Foreign("/ipfs/0.1.0".into())
        );
        assert_eq!(
            ours.check_peer(&format!("{}/gossip/2", ours.base())),
            PeerProtocol::Foreign(format!("{}/gossip/2", ours.base()))
        );
        assert_ne!(
            ours.transactions_topic().hash(),
            theirs.transactions_topic().hash()
        );
        assert!(ours.gossipsub_prefix().starts_with("/yima/0101"));
    }
}
