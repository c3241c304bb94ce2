//! Equivocation evidence: two messages one validator signed for the same height and round that cannot both be
//! honest — two votes of one type for different blocks, or two different proposals.
//!
//! Malachite hands the application what it saw at each finalization ([`MisbehaviorEvidence`]); the loop turns it
//! into [`Equivocation`]s and the host persists them, so a regulator can act on a lying validator after the fact
//! and anyone can check the claim: each record carries both messages exactly as signed (the wire encoding of
//! [`YimaCodec`]), and [`Equivocation::verify`] re-checks both signatures against the validator's key and the
//! chain's genesis, and that the two really conflict. A node's word is not needed.

use malachitebft_app_channel::app::consensus::MisbehaviorEvidence;
use malachitebft_app_channel::app::types::codec::Codec;
use malachitebft_app_channel::app::types::SignedConsensusMsg;
use malachitebft_core_types::{Round, SignedMessage, VoteType};
use malachitebft_signing_ed25519::PublicKey;
use parity_scale_codec::{Decode, Encode};
use yima_frame::{AccountId, BlockNumber, Hash};

use crate::codec::YimaCodec;
use crate::context::{Proposal, Vote, YimaContext};
use crate::signing::{verify_proposal, verify_vote};

/// What the validator signed twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum EquivocationKind {
    /// Two prevotes for different blocks (or a block and nil).
    #[codec(index = 0)]
    Prevote,
    /// Two precommits for different blocks (or a block and nil).
    #[codec(index = 1)]
    Precommit,
    /// Two different proposals.
    #[codec(index = 2)]
    Proposal,
}

impl EquivocationKind {
    /// Its name in RPC answers and metric labels.
    pub fn name(self) -> &'static str {
        match self {
            Self::Prevote => "prevote",
            Self::Precommit => "precommit",
            Self::Proposal => "proposal",
        }
    }
}

/// One validator's two conflicting signed messages, as persisted and served.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Equivocation {
    /// The height both messages are for.
    pub height: BlockNumber,
    /// The round both messages are for.
    pub round: u32,
    /// What was signed twice.
    pub kind: EquivocationKind,
    /// The validator's consensus key.
    pub validator: AccountId,
    /// The first message, in the consensus wire encoding (a signed vote or proposal).
    pub first: Vec<u8>,
    /// The conflicting message, in the same encoding.
    pub second: Vec<u8>,
}

/// Why a record does not prove an equivocation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    /// A message does not decode.
    #[error("the {which} message does not decode as a signed consensus message: {reason}")]
    Undecodable {
        /// `first` or `second`.
        which: &'static str,
        /// The codec's complaint.
        reason: String,
    },
    /// The validator field is not an ed25519 key.
    #[error("validator {0} is not an ed25519 public key")]
    BadKey(AccountId),
    /// A signature does not verify.
    #[error("the {0} message's signature is not the validator's on this chain (wrong genesis or forged)")]
    BadSignature(&'static str),
    /// The two messages do not conflict (different signer, height, round or kind, or the same content).
    #[error("the two messages do not conflict: {0}")]
    NoConflict(String),
}

/// One record per double vote and double proposal in `evidence`, in the engine's order (by validator).
pub fn from_misbehavior(evidence: &MisbehaviorEvidence<YimaContext>) -> Vec<Equivocation> {
    let votes = evidence.votes.iter().flat_map(|(_, pairs)| pairs);
    let proposals = evidence.proposals.iter().flat_map(|(_, pairs)| pairs);
    votes
        .map(|(a, b)| Equivocation::of_votes(a, b))
        .chain(proposals.map(|(a, b)| Equivocation::of_proposals(a, b)))
        .collect()
}

impl Equivocation {
    /// The record of two signed votes (as the engine reports them: one validator, one height, round and type).
    /// Whether they really conflict is [`Self::verify`]'s to say.
    pub fn of_votes(
        a: &SignedMessage<YimaContext, Vote>,
        b: &SignedMessage<YimaContext, Vote>,
    ) -> Self {
        Self {
            height: a.message.height.0,
            round: round_number(a.message.round),
            kind: vote_kind(a.message.vote_type),
            validator: a.message.validator.0,
            first: encode(SignedConsensusMsg::Vote(a.clone())),
            second: encode(SignedConsensusMsg::Vote(b.clone())),
        }
    }

    /// The record of two signed proposals (one proposer, one height and round).
    pub fn of_proposals(
        a: &SignedMessage<YimaContext, Proposal>,
        b: &SignedMessage<YimaContext, Proposal>,
    ) -> Self {
        Self {
            height: a.message.height.0,
            round: round_number(a.message.round),
            kind: EquivocationKind::Proposal,
            validator: a.message.proposer.0,
            first: encode(SignedConsensusMsg::Proposal(a.clone())),
            second: encode(SignedConsensusMsg::Proposal(b.clone())),
        }
    }

    /// The record's id: a digest of its content with the two messages in byte order, so the same pair reported
    /// in either order is one record.
    pub fn id(&self) -> Hash {
        let (a, b) = if self.first <= self.second {
            (&self.first, &self.second)
        } else {
            (&self.second, &self.first)
        };
        yima_frame::sha256(&(self.height, self.round, self.kind, self.validator, a, b).encode())
    }

    /// Checks that the record proves what it says on the chain `genesis`: both messages decode, both are
    /// signed by [`Self::validator`], both are for [`Self::height`] and [`Self::round`] and of [`Self::kind`],
    /// and they differ.
    pub fn verify(&self, genesis: &Hash) -> Result<(), EvidenceError> {
        let key = PublicKey::from_bytes(self.validator.0)
            .map_err(|_| EvidenceError::BadKey(self.validator))?;
        let first = decode(&self.first, "first")?;
        let second = decode(&self.second, "second")?;
        match (first, second) {
            (SignedConsensusMsg::Vote(a), SignedConsensusMsg::Vote(b)) => {
                self.check_vote(&a, "first")?;
                self.check_vote(&b, "second")?;
                if a.message.value == b.message.value {
                    return Err(EvidenceError::NoConflict(
                        "both votes are for the same value".into(),
                    ));
                }
                for (v, which) in [(&a, "first"), (&b, "second")] {
                    if !verify_vote(genesis, &v.message, &v.signature, &key) {
                        return Err(EvidenceError::BadSignature(which));
                    }
                }
            }
            (SignedConsensusMsg::Proposal(a), SignedConsensusMsg::Proposal(b)) => {
                self.check_proposal(&a, "first")?;
                self.check_proposal(&b, "second")?;
                if a.message == b.message {
                    return Err(EvidenceError::NoConflict(
                        "both proposals are the same".into(),
                    ));
                }
                for (p, which) in [(&a, "first"), (&b, "second")] {
                    if !verify_proposal(genesis, &p.message, &p.signature, &key) {
                        return Err(EvidenceError::BadSignature(which));
                    }
                }
            }
            _ => {
                return Err(EvidenceError::NoConflict(
                    "one message is a vote, the other a proposal".into(),
                ))
            }
        }
        Ok(())
    }

    fn check_vote(
        &self,
        v: &SignedMessage<YimaContext, Vote>,
        which: &str,
    ) -> Result<(), EvidenceError> {
        let m = &v.message;
        let kind = vote_kind(m.vote_type);
        self.check_scope(which, kind, m.validator.0, m.height.0, m.round)
    }

    fn check_proposal(
        &self,
        p: &SignedMessage<YimaContext, Proposal>,
        which: &str,
    ) -> Result<(), EvidenceError> {
        let m = &p.message;
        let kind = EquivocationKind::Proposal;
        self.check_scope(which, kind, m.proposer.0, m.height.0, m.round)
    }

    /// That message `which` is of the record's kind, signer, height and round.
    fn check_scope(
        &self,
        which: &str,
        kind: EquivocationKind,
        signer: AccountId,
        height: BlockNumber,
        round: Round,
    ) -> Result<(), EvidenceError> {
        let round = round_number(round);
        if (kind, signer, height, round) == (self.kind, self.validator, self.height, self.round) {
            return Ok(());
        }
        Err(EvidenceError::NoConflict(format!(
            "the {which} message is a {} by {signer} at height {height} round {round}, the record says a {} by {} \
             at height {} round {}",
            kind.name(),
            self.kind.name(),
            self.validator,
            self.height,
            self.round
        )))
    }
}

fn vote_kind(t: VoteType) -> EquivocationKind {
    match t {
        VoteType::Prevote => EquivocationKind::Prevote,
        VoteType::Precommit => EquivocationKind::Precommit,
    }
}

/// A round as stored: rounds of signed messages are never nil, but a forged one may be (`u32::MAX` then).
fn round_number(r: Round) -> u32 {
    r.as_u32().unwrap_or(u32::MAX)
}

fn encode(msg: SignedConsensusMsg<YimaContext>) -> Vec<u8> {
    // Encoding a well-formed message cannot fail (the codec's encoders are infallible SCALE).
    Codec::<SignedConsensusMsg<YimaContext>>::encode(&YimaCodec, &msg)
        .map(|b| b.to_vec())
        .unwrap_or_default()
}

fn decode(
    bytes: &[u8],
    which: &'static str,
) -> Result<SignedConsensusMsg<YimaContext>, EvidenceError> {
    Codec::<SignedConsensusMsg<YimaContext>>::decode(
        &YimaCodec,
        bytes::Bytes::copy_from_slice(bytes),
    )
    .map_err(|e| EvidenceError::Undecodable {
        which,
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use malachitebft_core_types::{Context as _, NilOrVal};
    use yima_runtime::Header;

    use super::*;
    use crate::context::{Address, BlockHash, BlockValue, Height};
    use crate::signing::ConsensusSigner;

    const GENESIS: Hash = Hash([3; 32]);

    fn signer(seed: u8) -> ConsensusSigner {
        ConsensusSigner::new([seed; 32], GENESIS)
    }

    fn address(s: &ConsensusSigner) -> Address {
        Address::from(&s.public_key())
    }

    fn prevote(
        s: &ConsensusSigner,
        value: NilOrVal<BlockHash>,
    ) -> SignedMessage<YimaContext, Vote> {
        let vote = YimaContext.new_prevote(Height(5), Round::new(1), value, address(s));
        SignedMessage::new(vote.clone(), s.sign_vote_now(&vote))
    }

    fn proposal(s: &ConsensusSigner, number: u64) -> SignedMessage<YimaContext, Proposal> {
        let header = Header {
            parent_hash: Hash([0; 32]),
            number,
            timestamp: 0,
            proposer: address(s).0,
            state_root: Hash([0; 32]),
            extrinsics_root: Hash([0; 32]),
            events_root: Hash([0; 32]),
            validators_hash: Hash([0; 32]),
            next_validators_hash: Hash([0; 32]),
        };
        let p = Proposal {
            height: Height(5),
            round: Round::new(1),
            value: BlockValue::new(header),
            pol_round: Round::Nil,
            proposer: address(s),
        };
        SignedMessage::new(p.clone(), s.sign_proposal_now(&p))
    }

    fn double_vote(s: &ConsensusSigner) -> Equivocation {
        let mut evidence = MisbehaviorEvidence {
            proposals: Default::default(),
            votes: Default::default(),
        };
        evidence.votes.add(
            prevote(s, NilOrVal::Val(BlockHash(Hash([1; 32])))),
            prevote(s, NilOrVal::Val(BlockHash(Hash([2; 32])))),
        );
        let mut records = from_misbehavior(&evidence);
        assert_eq!(records.len(), 1);
        records.remove(0)
    }

    #[test]
    fn a_double_vote_is_recorded_and_verifies() {
        let s = signer(1);
        let e = double_vote(&s);
        assert_eq!(
            (e.height, e.round, e.kind),
            (5, 1, EquivocationKind::Prevote)
        );
        assert_eq!(e.validator, address(&s).0);
        assert_eq!(e.verify(&GENESIS), Ok(()));
        // The record round-trips through its stored encoding; its id does not depend on the pair's order.
        assert_eq!(Equivocation::decode(&mut &e.encode()[..]), Ok(e.clone()));
        let swapped = Equivocation {
            first: e.second.clone(),
            second: e.first.clone(),
            ..e.clone()
        };
        assert_eq!(swapped.id(), e.id());
        assert_eq!(swapped.verify(&GENESIS), Ok(()));
    }

    #[test]
    fn a_double_proposal_is_recorded_and_verifies() {
        let s = signer(2);
        let mut evidence = MisbehaviorEvidence {
            proposals: Default::default(),
            votes: Default::default(),
        };
        assert!(evidence.proposals.add(proposal(&s, 5), proposal(&s, 6)));
        let records = from_misbehavior(&evidence);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].kind, EquivocationKind::Proposal);
        assert_eq!(records[0].verify(&GENESIS), Ok(()));
    }

    #[test]
    fn records_that_prove_nothing_are_refused_naming_why() {
        let s = signer(1);
        let good = double_vote(&s);

        let mut forged = good.clone();
        let last = forged.second.len() - 1;
        forged.second[last] ^= 1; // a signature byte
        assert_eq!(
            forged.verify(&GENESIS),
            Err(EvidenceError::BadSignature("second"))
        );

        let mut same = good.clone();
        same.second = same.first.clone();
        assert!(matches!(
            same.verify(&GENESIS),
            Err(EvidenceError::NoConflict(_))
        ));

        // Two honest validators' different votes are no equivocation of either.
        let mut two_signers = good.clone();
        two_signers.second = encode(SignedConsensusMsg::Vote(prevote(
            &signer(9),
            NilOrVal::Val(BlockHash(Hash([2; 32]))),
        )));
        assert!(matches!(
            two_signers.verify(&GENESIS),
            Err(EvidenceError::NoConflict(_))
        ));

        let mut relabelled = good.clone();
        relabelled.kind = EquivocationKind::Precommit;
        assert!(matches!(
            relabelled.verify(&GENESIS),
            Err(EvidenceError::NoConflict(_))
        ));

        let mut mixed = good.clone();
        mixed.second = encode(SignedConsensusMsg::Proposal(proposal(&s, 5)));
        assert!(matches!(
            mixed.verify(&GENESIS),
            Err(EvidenceError::NoConflict(_))
        ));

        let mut garbage = good.clone();
        garbage.first = vec![0xff; 7];
        assert!(matches!(
            garbage.verify(&GENESIS),
            Err(EvidenceError::Undecodable { which: "first", .. })
        ));

        assert_eq!(
            good.verify(&Hash([4; 32])),
            Err(EvidenceError::BadSignature("first"))
        );
    }
}
