//! Who may connect: the permissioned network's admission rule.
//!
//! A peer is admitted when its libp2p peer id is
//!
//! - in the chain spec's `allowed_peers`,
//! - the id of a configured bootnode, or
//! - the id of a current validator: a validator's network key IS its consensus key, so its peer id follows from
//!   the ed25519 public key in the validator set ([`validator_peer_id`]).
//!
//! The first two are fixed at start; the validators are replaced whenever a committed block changes the set
//! ([`PeerPolicy::set_validators`]). The same rule governs both networks: this crate's gossip swarm applies it
//! with libp2p's allow-list behaviour (connections of anyone else are denied when established), and the node passes
//! the same ids to Malachite as identity-only persistent peers (`/p2p/<id>`) with `persistent_peers_only`.

use std::collections::BTreeSet;

use libp2p::identity::{ed25519, PublicKey};
use libp2p::{Multiaddr, PeerId};
use yima_frame::AccountId;

/// The peer id of the node whose network key is this ed25519 public key (a validator's consensus key).
/// `None` if the bytes are not a valid ed25519 point.
pub fn validator_peer_id(account: &AccountId) -> Option<PeerId> {
    let key = ed25519::PublicKey::try_from_bytes(account.as_bytes()).ok()?;
    Some(PublicKey::from(key).to_peer_id())
}

/// The peer id in a multiaddr's `/p2p/…` component.
pub fn peer_id_of(addr: &Multiaddr) -> Option<PeerId> {
    addr.iter().find_map(|p| match p {
        libp2p::multiaddr::Protocol::P2p(id) => Some(id),
        _ => None,
    })
}

/// The identity-only address `/p2p/<id>`: a peer to admit without an address to dial (Malachite's persistent
/// peers accept it).
pub fn identity_addr(id: &PeerId) -> Multiaddr {
    Multiaddr::empty().with(libp2p::multiaddr::Protocol::P2p(*id))
}

/// The admission rule's inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerPolicy {
    fixed: BTreeSet<PeerId>,
    validators: BTreeSet<PeerId>,
}

impl PeerPolicy {
    /// The rule for `allowed_peers` (chain spec), the bootnodes' ids and the current `validators`.
    pub fn new(
        allowed_peers: impl IntoIterator<Item = PeerId>,
        bootnodes: &[Multiaddr],
        validators: &[AccountId],
    ) -> Self {
        let mut fixed: BTreeSet<PeerId> = allowed_peers.into_iter().collect();
        fixed.extend(bootnodes.iter().filter_map(peer_id_of));
        let mut policy = Self {
            fixed,
            validators: BTreeSet::new(),
        };
        policy.set_validators(validators);
        policy
    }

    /// Replaces the validator set; returns whether the admitted set changed.
    pub fn set_validators(&mut self, validators: &[AccountId]) -> bool {
        let ids: BTreeSet<PeerId> = validators.iter().filter_map(validator_peer_id).collect();
        if ids == self.validators {
            return false;
        }
        self.validators = ids;
        true
    }

    /// Whether `peer` may connect.
    pub fn admits(&self, peer: &PeerId) -> bool {
        self.fixed.contains(peer) || self.validators.contains(peer)
    }

    /// Whether `peer` is a current validator.
    pub fn is_validator(&self, peer: &PeerId) -> bool {
        self.validators.contains(peer)
    }

    /// Every admitted peer id.
    pub fn admitted(&self) -> BTreeSet<PeerId> {
        self.fixed.union(&self.validators).copied().collect()
    }

    /// The current validators' peer ids.
    pub fn validators(&self) -> &BTreeSet<PeerId> {
        &self.validators
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(seed: u8) -> (AccountId, PeerId) {
        let mut secret = [seed; 32];
        let keypair = libp2p::identity::Keypair::ed25519_from_bytes(&mut secret).unwrap();
        let public = keypair.public().try_into_ed25519().unwrap().to_bytes();
        (AccountId::from(public), keypair.public().to_peer_id())
    }

    #[test]
    fn admits_allowed_bootnodes_and_current_validators_only() {
        let (v1, p1) = account(1);
        let (v2, p2) = account(2);
        let (_, allowed) = account(3);
        let (_, boot) = account(4);
        let (_, stranger) = account(5);
        assert_eq!(validator_peer_id(&v1), Some(p1));
        let boot_addr: Multiaddr = format!("/ip4/127.0.0.1/tcp/1/p2p/{boot}").parse().unwrap();
        assert_eq!(peer_id_of(&boot_addr), Some(boot));
        assert_eq!(identity_addr(&boot).to_string(), format!("/p2p/{boot}"));
        assert_eq!(peer_id_of(&identity_addr(&boot)), Some(boot));
        let mut policy = PeerPolicy::new([allowed], &[boot_addr], &[v1]);
        assert!(policy.admits(&p1) && policy.admits(&allowed) && policy.admits(&boot));
        assert!(!policy.admits(&p2) && !policy.admits(&stranger));
        assert!(policy.is_validator(&p1) && !policy.is_validator(&allowed));

        assert!(policy.set_validators(&[v2]));
        assert!(!policy.set_validators(&[v2]), "same set: no change");
        assert!(policy.admits(&p2) && !policy.admits(&p1));
        assert_eq!(policy.admitted().len(), 3);
    }
}
