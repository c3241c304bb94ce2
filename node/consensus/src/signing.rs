//! Signing and verifying consensus messages: ed25519 through `arc-malachitebft-signing-ed25519`, whose verifier is
//! `ed25519-consensus` (ZIP-215), so every node accepts exactly the same signatures.
//!
//! Sign-bytes are SCALE tuples that start with a purpose tag and the chain's genesis hash:
//!
//! | purpose | bytes |
//! |---|---|
//! | vote | `("yima/consensus/vote/v1", genesis, height, round, vote type, Option<block hash>, voter)` |
//! | proposal | `("yima/consensus/proposal/v1", genesis, height, round, block hash, pol round, proposer)` |
//! | proposal stream (`Init`) | `("yima/consensus/proposal-init/v1", genesis, height, round, valid round, proposer, block size, SHA-256 of the block)` |
//! | vote extension | `("yima/consensus/vote-extension/v1", genesis, height, round, block hash, validator)` |
//!
//! Rounds are encoded as `Option<u32>` (`None` = nil), vote types as 0 (prevote) / 1 (precommit). The tag keeps
//! one purpose's signature from being valid for another; the genesis hash keeps a signature from one chain from
//! being valid on any other. A vote's extension is not signed with the vote (Malachite requires this).
//!
//! The validator proof (ADR-006, binding a consensus key to a libp2p peer id) is the exception: Malachite's
//! `Signer`/`Verifier` contract requires it over `ValidatorProof::signing_bytes` with no prefix, and that preimage
//! starts with `"PoV"`, which no SCALE tuple above can (they start with a compact length 0x58/0x68/0x7c/0x80).

use async_trait::async_trait;
use malachitebft_core_types::{
    NilOrVal, Round, SignedMessage, ValidatorProof, VoteExtensionScope, VoteType,
};
use malachitebft_signing::{Error, Signer, VerificationResult, Verifier};
use malachitebft_signing_ed25519::{PrivateKey, PublicKey, Signature};
use parity_scale_codec::Encode;
use yima_frame::Hash;

use crate::context::{PartInit, Proposal, Vote, YimaContext};

/// Purpose tag of a vote's sign-bytes.
pub const VOTE_TAG: &[u8] = b"yima/consensus/vote/v1";
/// Purpose tag of a proposal's sign-bytes.
pub const PROPOSAL_TAG: &[u8] = b"yima/consensus/proposal/v1";
/// Purpose tag of a proposal stream's `Init` signature.
pub const PROPOSAL_INIT_TAG: &[u8] = b"yima/consensus/proposal-init/v1";
/// Purpose tag of a vote extension's sign-bytes.
pub const VOTE_EXTENSION_TAG: &[u8] = b"yima/consensus/vote-extension/v1";

fn round_bytes(round: Round) -> Option<u32> {
    round.as_u32()
}

fn vote_type_byte(vote_type: VoteType) -> u8 {
    match vote_type {
        VoteType::Prevote => 0,
        VoteType::Precommit => 1,
    }
}

/// The bytes a vote's signature covers (its extension excluded).
pub fn vote_sign_bytes(genesis: &Hash, vote: &Vote) -> Vec<u8> {
    let value = match &vote.value {
        NilOrVal::Nil => None,
        NilOrVal::Val(hash) => Some(hash.0),
    };
    (
        VOTE_TAG,
        genesis,
        vote.height.0,
        round_bytes(vote.round),
        vote_type_byte(vote.vote_type),
        value,
        vote.validator.0,
    )
        .encode()
}

/// The bytes a proposal's signature covers.
pub fn proposal_sign_bytes(genesis: &Hash, proposal: &Proposal) -> Vec<u8> {
    (
        PROPOSAL_TAG,
        genesis,
        proposal.height.0,
        round_bytes(proposal.round),
        proposal.value.hash().0,
        round_bytes(proposal.pol_round),
        proposal.proposer.0,
    )
        .encode()
}

/// The bytes a proposal stream's `Init` signature covers: everything the `Init` declares except the signature.
pub fn init_sign_bytes(genesis: &Hash, init: &PartInit) -> Vec<u8> {
    (
        PROPOSAL_INIT_TAG,
        genesis,
        init.height.0,
        round_bytes(init.round),
        round_bytes(init.valid_round),
        init.proposer.0,
        init.block_bytes,
        init.digest,
    )
        .encode()
}

/// The bytes a vote extension's signature covers (the extension itself is `()` on Yima).
pub fn vote_extension_sign_bytes(
    genesis: &Hash,
    scope: &VoteExtensionScope<YimaContext>,
) -> Vec<u8> {
    (
        VOTE_EXTENSION_TAG,
        genesis,
        scope.height.0,
        round_bytes(scope.round),
        scope.value_id.0,
        scope.validator_address.0,
    )
        .encode()
}

/// Whether `signature` by `key` covers `bytes` (ed25519-consensus, ZIP-215 rules).
pub fn verify_bytes(key: &PublicKey, bytes: &[u8], signature: &Signature) -> bool {
    key.verify(bytes, signature).is_ok()
}

/// Whether `signature` is `key`'s signature of `vote` on the chain `genesis`.
pub fn verify_vote(genesis: &Hash, vote: &Vote, signature: &Signature, key: &PublicKey) -> bool {
    verify_bytes(key, &vote_sign_bytes(genesis, vote), signature)
}

/// Whether `signature` is `key`'s signature of `proposal` on the chain `genesis`.
pub fn verify_proposal(
    genesis: &Hash,
    proposal: &Proposal,
    signature: &Signature,
    key: &PublicKey,
) -> bool {
    verify_bytes(key, &proposal_sign_bytes(genesis, proposal), signature)
}

/// Whether `init` carries `key`'s signature of it on the chain `genesis`.
pub fn verify_init(genesis: &Hash, init: &PartInit, key: &PublicKey) -> bool {
    verify_bytes(key, &init_sign_bytes(genesis, init), &init.signature)
}

/// A validator's signing key for one chain: implements Malachite's [`Signer`].
#[derive(Clone)]
pub struct ConsensusSigner {
    key: PrivateKey,
    genesis: Hash,
}

impl std::fmt::Debug for ConsensusSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsensusSigner")
            .field("public_key", &hex_key(&self.key.public_key()))
            .field("genesis", &self.genesis)
            .finish_non_exhaustive()
    }
}

fn hex_key(key: &PublicKey) -> yima_frame::AccountId {
    yima_frame::AccountId(*key.as_bytes())
}

impl ConsensusSigner {
    /// A signer with the ed25519 secret `seed` for the chain `genesis`.
    pub fn new(seed: [u8; 32], genesis: Hash) -> Self {
        Self {
            key: PrivateKey::from(seed),
            genesis,
        }
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    /// The chain this signer signs for.
    pub fn genesis(&self) -> Hash {
        self.genesis
    }

    /// Signs a vote (synchronously).
    pub fn sign_vote_now(&self, vote: &Vote) -> Signature {
        self.key.sign(&vote_sign_bytes(&self.genesis, vote))
    }

    /// Signs a proposal (synchronously).
    pub fn sign_proposal_now(&self, proposal: &Proposal) -> Signature {
        self.key.sign(&proposal_sign_bytes(&self.genesis, proposal))
    }

    /// Signs a proposal stream's `Init` (its own `signature` field is not covered).
    pub fn sign_init(&self, init: &PartInit) -> Signature {
        self.key.sign(&init_sign_bytes(&self.genesis, init))
    }
}

#[async_trait]
impl Signer<YimaContext> for ConsensusSigner {
    async fn sign_vote(&self, vote: Vote) -> Result<SignedMessage<YimaContext, Vote>, Error> {
        let signature = self.sign_vote_now(&vote);
        Ok(SignedMessage::new(vote, signature))
    }

    async fn sign_proposal(
        &self,
        proposal: Proposal,
    ) -> Result<SignedMessage<YimaContext, Proposal>, Error> {
        let signature = self.sign_proposal_now(&proposal);
        Ok(SignedMessage::new(proposal, signature))
    }

    async fn sign_vote_extension(
        &self,
        scope: VoteExtensionScope<YimaContext>,
        extension: (),
    ) -> Result<SignedMessage<YimaContext, ()>, Error> {
        let signature = self
            .key
            .sign(&vote_extension_sign_bytes(&self.genesis, &scope));
        Ok(SignedMessage::new(extension, signature))
    }

    async fn sign_validator_proof(
        &self,
        public_key: Vec<u8>,
        peer_id: Vec<u8>,
    ) -> Result<ValidatorProof<YimaContext>, Error> {
        let signature = self.key.sign(&ValidatorProof::<YimaContext>::signing_bytes(
            &public_key,
            &peer_id,
        ));
        Ok(ValidatorProof::new(public_key, peer_id, signature))
    }
}

/// Verification for one chain: implements Malachite's [`Verifier`] (and so `VerifierExt`).
#[derive(Clone, Copy, Debug)]
pub struct ConsensusVerifier {
    genesis: Hash,
}

impl ConsensusVerifier {
    /// A verifier for the chain `genesis`.
    pub fn new(genesis: Hash) -> Self {
        Self { genesis }
    }
}

#[async_trait]
impl Verifier<YimaContext> for ConsensusVerifier {
    async fn verify_signed_vote(
        &self,
        vote: &Vote,
        signature: &Signature,
        public_key: &PublicKey,
    ) -> Result<VerificationResult, Error> {
        Ok(VerificationResult::from_bool(verify_vote(
            &self.genesis,
            vote,
            signature,
            public_key,
        )))
    }

    async fn verify_signed_proposal(
        &self,
        proposal: &Proposal,
        signature: &Signature,
        public_key: &PublicKey,
    ) -> Result<VerificationResult, Error> {
        Ok(VerificationResult::from_bool(verify_proposal(
            &self.genesis,
            proposal,
            signature,
            public_key,
        )))
    }

    async fn verify_signed_vote_extension(
        &self,
        scope: &VoteExtensionScope<YimaContext>,
        _extension: &(),
        signature: &Signature,
        public_key: &PublicKey,
    ) -> Result<VerificationResult, Error> {
        Ok(VerificationResult::from_bool(verify_bytes(
            public_key,
            &vote_extension_sign_bytes(&self.genesis, scope),
            signature,
        )))
    }

    async fn verify_validator_proof(
        &self,
        proof: &ValidatorProof<YimaContext>,
    ) -> Result<VerificationResult, Error> {
        let Ok(key) = proof.decoded_public_key() else {
            return Ok(VerificationResult::Invalid);
        };
        Ok(VerificationResult::from_bool(verify_bytes(
            &key,
            &proof.preimage(),
            &proof.signature,
        )))
    }
}

#[cfg(test)]
mod tests {
    use malachitebft_core_types::Context as _;

    use super::*;
    use crate::context::{Address, BlockHash, BlockValue, Height};

    const CHAIN_A: Hash = Hash([0xaa; 32]);
    const CHAIN_B: Hash = Hash([0xbb; 32]);

    fn signer(chain: Hash) -> ConsensusSigner {
        ConsensusSigner::new([7; 32], chain)
    }

    fn address(s: &ConsensusSigner) -> Address {
        Address::from(&s.public_key())
    }

    fn block_hash(b: u8) -> BlockHash {
        BlockHash(Hash([b; 32]))
    }

    fn header() -> yima_runtime::Header {
        yima_runtime::Header {
            parent_hash: Hash([1; 32]),
            number: 5,
            timestamp: 10,
            proposer: yima_frame::AccountId([2; 32]),
            state_root: Hash([3; 32]),
            extrinsics_root: Hash([4; 32]),
            events_root: Hash([5; 32]),
            validators_hash: Hash([6; 32]),
            next_validators_hash: Hash([6; 32]),
        }
    }

    #[tokio::test]
    async fn vote_signatures_verify_and_refuse_tampering_and_other_chains() {
        let s = signer(CHAIN_A);
        let pk = s.public_key();
        let ctx = YimaContext;
        let vote = ctx.new_precommit(
            Height(5),
            Round::new(2),
            NilOrVal::Val(block_hash(9)),
            address(&s),
        );
        let signed = s.sign_vote(vote.clone()).await.unwrap();
        let v = ConsensusVerifier::new(CHAIN_A);
        assert!(v
            .verify_signed_vote(&vote, &signed.signature, &pk)
            .await
            .unwrap()
            .is_valid());

        // Another chain.
        let other = ConsensusVerifier::new(CHAIN_B);
        assert!(other
            .verify_signed_vote(&vote, &signed.signature, &pk)
            .await
            .unwrap()
            .is_invalid());

        // Tampered fields.
        let tampered = [
            Vote {
                height: Height(6),
                ..vote.clone()
            },
            Vote {
                round: Round::new(3),
                ..vote.clone()
            },
            Vote {
                value: NilOrVal::Val(block_hash(8)),
                ..vote.clone()
            },
            Vote {
                value: NilOrVal::Nil,
                ..vote.clone()
            },
            Vote {
                vote_type: VoteType::Prevote,
                ..vote.clone()
            },
            Vote {
                validator: Address(yima_frame::AccountId([1; 32])),
                ..vote.clone()
            },
        ];
        for t in &tampered {
            assert!(!verify_vote(&CHAIN_A, t, &signed.signature, &pk), "{t:?}");
        }

        // Another key.
        let stranger = ConsensusSigner::new([8; 32], CHAIN_A).public_key();
        assert!(!verify_vote(&CHAIN_A, &vote, &signed.signature, &stranger));

        // A flipped signature bit.
        let mut bytes = signed.signature.to_bytes();
        bytes[10] ^= 1;
        assert!(!verify_vote(
            &CHAIN_A,
            &vote,
            &Signature::from_bytes(bytes),
            &pk
        ));
    }

    #[tokio::test]
    async fn proposal_signatures_are_domain_separated_from_votes() {
        let s = signer(CHAIN_A);
        let pk = s.public_key();
        let value = BlockValue::new(header());
        let proposal = YimaContext.new_proposal(
            Height(5),
            Round::new(0),
            value.clone(),
            Round::Nil,
            address(&s),
        );
        let signed = s.sign_proposal(proposal.clone()).await.unwrap();
        let v = ConsensusVerifier::new(CHAIN_A);
        assert!(v
            .verify_signed_proposal(&proposal, &signed.signature, &pk)
            .await
            .unwrap()
            .is_valid());
        assert!(!verify_proposal(
            &CHAIN_B,
            &proposal,
            &signed.signature,
            &pk
        ));
        let repro = Proposal {
            pol_round: Round::new(0),
            ..proposal.clone()
        };
        assert!(!verify_proposal(&CHAIN_A, &repro, &signed.signature, &pk));

        // A precommit for the same block does not verify with the proposal's signature, nor vice versa.
        let vote = YimaContext.new_precommit(
            Height(5),
            Round::new(0),
            NilOrVal::Val(value.hash()),
            address(&s),
        );
        assert!(!verify_vote(&CHAIN_A, &vote, &signed.signature, &pk));
        let vote_sig = s.sign_vote_now(&vote);
        assert!(!verify_proposal(&CHAIN_A, &proposal, &vote_sig, &pk));
    }

    #[test]
    fn init_signatures_bind_every_declared_field_and_the_chain() {
        let s = signer(CHAIN_A);
        let pk = s.public_key();
        let init = crate::parts::signed_init(
            Height(5),
            Round::new(1),
            Round::Nil,
            address(&s),
            b"a block",
            |i| s.sign_init(i),
        );
        assert!(verify_init(&CHAIN_A, &init, &pk));
        assert!(!verify_init(&CHAIN_B, &init, &pk));
        let changed = [
            PartInit {
                height: Height(6),
                ..init.clone()
            },
            PartInit {
                round: Round::new(2),
                ..init.clone()
            },
            PartInit {
                valid_round: Round::new(0),
                ..init.clone()
            },
            PartInit {
                block_bytes: init.block_bytes + 1,
                ..init.clone()
            },
            PartInit {
                digest: Hash([4; 32]),
                ..init.clone()
            },
        ];
        for c in changed {
            assert!(!verify_init(&CHAIN_A, &c, &pk), "{c:?}");
        }
    }

    #[tokio::test]
    async fn validator_proof_round_trip_and_refusals() {
        let s = signer(CHAIN_A);
        let pk = s.public_key().as_bytes().to_vec();
        let proof = s
            .sign_validator_proof(pk.clone(), b"peer-id".to_vec())
            .await
            .unwrap();
        let v = ConsensusVerifier::new(CHAIN_B);
        assert!(v.verify_validator_proof(&proof).await.unwrap().is_valid());
        let mut other_peer = proof.clone();
        other_peer.peer_id = b"other-peer".to_vec();
        assert!(v
            .verify_validator_proof(&other_peer)
            .await
            .unwrap()
            .is_invalid());
        let mut bad_key = proof.clone();
        bad_key.public_key = vec![1, 2, 3];
        assert!(v
            .verify_validator_proof(&bad_key)
            .await
            .unwrap()
            .is_invalid());
    }

    #[tokio::test]
    async fn vote_extension_signatures_bind_scope() {
        let s = signer(CHAIN_A);
        let pk = s.public_key();
        let scope = VoteExtensionScope::new(Height(1), Round::new(0), block_hash(1), address(&s));
        let signed = s.sign_vote_extension(scope.clone(), ()).await.unwrap();
        let v = ConsensusVerifier::new(CHAIN_A);
        assert!(v
            .verify_signed_vote_extension(&scope, &(), &signed.signature, &pk)
            .await
            .unwrap()
            .is_valid());
        let other = VoteExtensionScope::new(Height(2), Round::new(0), block_hash(1), address(&s));
        assert!(v
            .verify_signed_vote_extension(&other, &(), &signed.signature, &pk)
            .await
            .unwrap()
            .is_invalid());
    }

    #[test]
    fn sign_bytes_never_start_like_a_validator_proof() {
        let pov = ValidatorProof::<YimaContext>::signing_bytes(&[1; 32], &[2; 38]);
        for tag in [
            VOTE_TAG,
            PROPOSAL_TAG,
            PROPOSAL_INIT_TAG,
            VOTE_EXTENSION_TAG,
        ] {
            let bytes = (tag, CHAIN_A).encode();
            assert_ne!(&bytes[..3], &pov[..3]);
        }
    }
}
