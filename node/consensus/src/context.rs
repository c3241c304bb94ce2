//! Yima's Malachite [`Context`](malachitebft_core_types::Context): what a height, an address, a validator, a
//! value, a proposal, a vote and a proposal part are for this chain, and who proposes in each round.
//!
//! Choices, each one part of the protocol (every node must make the same):
//! - **Height** is the block number (`INITIAL` = 1; genesis is height 0 and is never decided).
//! - **Address** is the validator's 32-byte ed25519 consensus key itself ([`AccountId`]), not a hash of it: the
//!   membership pallet keys validators by that key, headers name the proposer by it, and an auditor can check a
//!   signature against the address without a lookup table.
//! - **Validator set** is built from `yima_membership::Validator`s in the order the runtime stores and hashes them
//!   (sorted by key, unique), so `Header::validators_hash` = [`ValidatorSet::hash`] and index `i` means the same
//!   validator everywhere.
//! - **Proposer** for `(height, round)` is validator `(height + round) mod n` of that set: plain round-robin, not
//!   weighted by power (power weighs votes, not turns). It is a pure function of the set, height and round.
//! - **Value** is the proposed block's [`Header`]; its id ([`BlockHash`]) is the block hash, SHA-256(SCALE(header)).
//!   The body travels only in the proposal parts (`ProposalAndParts`): the engine gossips the signed `Proposal`,
//!   which carries the value, on the consensus channel (4 MiB limit) while a block may be 16 MiB, so putting the
//!   body in the value would send every block twice and break on large blocks. The header commits to the body
//!   through `extrinsics_root`, so deciding the header decides the block.
//! - **Proposal parts** are `Init` (height, round, valid round, proposer, the block's size and SHA-256, signed by the
//!   proposer) and `Data` (a chunk of the SCALE-encoded block), see `parts.rs`; `Fin` is no longer sent.
//! - **Vote extensions** are not used (`Extension = ()`).

use std::fmt;
use std::sync::Arc;

use malachitebft_core_types::{
    self as mc, LinearTimeouts, NilOrVal, Round, SignedExtension, VoteType, VotingPower,
};
use malachitebft_signing_ed25519::{Ed25519, PublicKey, Signature};
use parity_scale_codec::{Decode, Encode};
use yima_frame::{AccountId, Hash};
use yima_membership::validator_set_hash;
use yima_runtime::Header;

/// A block height as consensus sees it: the number of the block being decided.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub struct Height(pub u64);

impl Height {
    /// The number as a `u64`.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Height {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl mc::Height for Height {
    const ZERO: Self = Height(0);
    const INITIAL: Self = Height(1);

    fn increment_by(&self, n: u64) -> Self {
        Height(self.0.saturating_add(n))
    }

    fn decrement_by(&self, n: u64) -> Option<Self> {
        self.0.checked_sub(n).map(Height)
    }

    fn as_u64(&self) -> u64 {
        self.0
    }
}

/// A validator's consensus address: its 32-byte ed25519 public key.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub struct Address(pub AccountId);

impl Address {
    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }
}

impl From<AccountId> for Address {
    fn from(key: AccountId) -> Self {
        Self(key)
    }
}

impl From<&PublicKey> for Address {
    fn from(key: &PublicKey) -> Self {
        Self(AccountId(*key.as_bytes()))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl mc::Address for Address {}

/// The id of a proposed value: the block hash.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub struct BlockHash(pub Hash);

impl fmt::Display for BlockHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for BlockHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<Hash> for BlockHash {
    fn from(hash: Hash) -> Self {
        Self(hash)
    }
}

/// The value consensus decides: a block header, identified by its hash (the block hash).
///
/// Equality and order are by hash, which is consistent with header equality (the hash is SHA-256 of the
/// header's SCALE encoding).
#[derive(Clone, Debug)]
pub struct BlockValue {
    header: Arc<Header>,
    hash: BlockHash,
}

impl BlockValue {
    /// The value for `header`.
    pub fn new(header: Header) -> Self {
        let hash = BlockHash(header.hash());
        Self {
            header: Arc::new(header),
            hash,
        }
    }

    /// The proposed block's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The block hash.
    pub fn hash(&self) -> BlockHash {
        self.hash
    }
}

impl PartialEq for BlockValue {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
    }
}

impl Eq for BlockValue {}

impl PartialOrd for BlockValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BlockValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.hash.cmp(&other.hash)
    }
}

impl mc::Value for BlockValue {
    type Id = BlockHash;

    fn id(&self) -> BlockHash {
        self.hash
    }
}

/// One validator as consensus sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// Its address (its key).
    pub address: Address,
    /// Its key, parsed.
    pub public_key: PublicKey,
    /// Its voting power.
    pub voting_power: VotingPower,
}

impl mc::Validator<YimaContext> for Validator {
    fn address(&self) -> &Address {
        &self.address
    }

    fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    fn voting_power(&self) -> VotingPower {
        self.voting_power
    }
}

/// The most total voting power a set may have: Malachite's threshold arithmetic multiplies the total by 3 in
/// `u64` and panics on overflow, so a larger total would crash every node.
pub const MAX_TOTAL_VOTING_POWER: u64 = u64::MAX / 3;

/// Why a list of membership validators cannot be a consensus validator set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidatorSetError {
    /// No validators.
    #[error("the validator set is empty; consensus needs at least one validator")]
    Empty,
    /// Not in the runtime's order, or a key appears twice.
    #[error("validators must be sorted by key with no duplicates (the runtime's order); {0} is out of place or repeated")]
    NotSortedByKey(AccountId),
    /// A key is not an ed25519 curve point.
    #[error("validator key {0} is not a valid ed25519 public key")]
    InvalidKey(AccountId),
    /// A validator without power.
    #[error("validator {0} has zero voting power")]
    ZeroPower(AccountId),
    /// Too much power in total.
    #[error("total voting power exceeds {MAX_TOTAL_VOTING_POWER}, which consensus arithmetic cannot handle")]
    PowerTooLarge,
}

/// The validators deciding one height, in the runtime's order (sorted by key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorSet {
    validators: Arc<Vec<Validator>>,
    total_power: VotingPower,
    hash: Hash,
}

impl ValidatorSet {
    /// Builds the set from the membership pallet's validators, which must already be in the runtime's order.
    pub fn from_membership(
        validators: &[yima_membership::Validator],
    ) -> Result<Self, ValidatorSetError> {
        if validators.is_empty() {
            return Err(ValidatorSetError::Empty);
        }
        let mut total: u64 = 0;
        let mut out = Vec::with_capacity(validators.len());
        for (i, v) in validators.iter().enumerate() {
            if i > 0 && validators[i - 1].key >= v.key {
                return Err(ValidatorSetError::NotSortedByKey(v.key));
            }
            if v.power == 0 {
                return Err(ValidatorSetError::ZeroPower(v.key));
            }
            let public_key =
                PublicKey::from_bytes(v.key.0).map_err(|_| ValidatorSetError::InvalidKey(v.key))?;
            total = total
                .checked_add(v.power)
                .filter(|t| *t <= MAX_TOTAL_VOTING_POWER)
                .ok_or(ValidatorSetError::PowerTooLarge)?;
            out.push(Validator {
                address: Address(v.key),
                public_key,
                voting_power: v.power,
            });
        }
        Ok(Self {
            validators: Arc::new(out),
            total_power: total,
            hash: validator_set_hash(validators),
        })
    }

    /// The validators, in order.
    pub fn validators(&self) -> &[Validator] {
        &self.validators
    }

    /// The set as the membership pallet stores it.
    pub fn to_membership(&self) -> Vec<yima_membership::Validator> {
        self.validators
            .iter()
            .map(|v| yima_membership::Validator {
                key: v.address.0,
                power: v.voting_power,
            })
            .collect()
    }

    /// The hash a header commits to (`validators_hash` / `next_validators_hash`).
    pub fn hash(&self) -> Hash {
        self.hash
    }
}

impl mc::ValidatorSet<YimaContext> for ValidatorSet {
    fn count(&self) -> usize {
        self.validators.len()
    }

    fn total_voting_power(&self) -> VotingPower {
        self.total_power
    }

    fn get_by_address(&self, address: &Address) -> Option<&Validator> {
        self.validators
            .binary_search_by(|v| v.address.cmp(address))
            .ok()
            .map(|i| &self.validators[i])
    }

    fn get_by_index(&self, index: usize) -> Option<&Validator> {
        self.validators.get(index)
    }
}

/// A proposal: the value a round's proposer puts forward (the engine signs it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The proposed block's header.
    pub value: BlockValue,
    /// The round in which this value got a polka, when it is re-proposed (else `Round::Nil`).
    pub pol_round: Round,
    /// The proposer.
    pub proposer: Address,
}

impl mc::Proposal<YimaContext> for Proposal {
    fn height(&self) -> Height {
        self.height
    }

    fn round(&self) -> Round {
        self.round
    }

    fn value(&self) -> &BlockValue {
        &self.value
    }

    fn take_value(self) -> BlockValue {
        self.value
    }

    fn pol_round(&self) -> Round {
        self.pol_round
    }

    fn validator_address(&self) -> &Address {
        &self.proposer
    }
}

/// A prevote or precommit.
///
/// Equality ignores the extension, as Malachite's WAL replay requires (the extension is not signed with the
/// vote either).
#[derive(Clone, Debug)]
pub struct Vote {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The block voted for, or nil.
    pub value: NilOrVal<BlockHash>,
    /// Prevote or precommit.
    pub vote_type: VoteType,
    /// The voter.
    pub validator: Address,
    /// A signed vote extension (unused on Yima: `Extension = ()`).
    pub extension: Option<SignedExtension<YimaContext>>,
}

impl PartialEq for Vote {
    fn eq(&self, other: &Self) -> bool {
        self.height == other.height
            && self.round == other.round
            && self.value == other.value
            && self.vote_type == other.vote_type
            && self.validator == other.validator
    }
}

impl Eq for Vote {}

impl mc::Vote<YimaContext> for Vote {
    fn height(&self) -> Height {
        self.height
    }

    fn round(&self) -> Round {
        self.round
    }

    fn value(&self) -> &NilOrVal<BlockHash> {
        &self.value
    }

    fn take_value(self) -> NilOrVal<BlockHash> {
        self.value
    }

    fn vote_type(&self) -> VoteType {
        self.vote_type
    }

    fn validator_address(&self) -> &Address {
        &self.validator
    }

    fn extension(&self) -> Option<&SignedExtension<YimaContext>> {
        self.extension.as_ref()
    }

    fn take_extension(&mut self) -> Option<SignedExtension<YimaContext>> {
        self.extension.take()
    }

    fn extend(self, extension: SignedExtension<YimaContext>) -> Self {
        Self {
            extension: Some(extension),
            ..self
        }
    }
}

/// The first part of a proposal stream: what the stream proposes for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInit {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The round the value got a polka in, when re-proposed (else `Round::Nil`).
    pub valid_round: Round,
    /// The proposer, who signs this `Init`.
    pub proposer: Address,
    /// Length of the SCALE-encoded block the stream carries: its `Data` parts add up to exactly this.
    pub block_bytes: u32,
    /// SHA-256 of those bytes (`parts::block_digest`).
    pub digest: Hash,
    /// The proposer's signature over all of the above (`signing::init_sign_bytes`).
    pub signature: Signature,
}

/// A chunk of the SCALE-encoded block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartData {
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The closing part of earlier versions (a signature over the parts); no longer sent, refused in a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartFin {
    /// ed25519 signature (see `signing::parts_sign_bytes`).
    pub signature: Signature,
}

/// A proposal part, streamed by the application (`Init`, `Data`…, `Fin`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalPart {
    /// What the stream is for.
    Init(PartInit),
    /// A chunk of the block.
    Data(PartData),
    /// No longer sent (the signature travels in `Init`); a stream holding one is malformed.
    Fin(PartFin),
}

impl mc::ProposalPart<YimaContext> for ProposalPart {
    fn is_first(&self) -> bool {
        matches!(self, Self::Init(_))
    }

    fn is_last(&self) -> bool {
        matches!(self, Self::Fin(_))
    }
}

/// Yima's consensus context. It carries no data: the chain's identity (genesis hash) lives in the signer and
/// verifier, which put it into every signed message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YimaContext;

impl YimaContext {
    /// The proposer of `(height, round)`: validator `(height + round) mod n`, unweighted round-robin.
    pub fn proposer_index(validator_count: usize, height: Height, round: Round) -> usize {
        let n = validator_count.max(1) as u64;
        let round = u64::from(round.as_u32().unwrap_or(0));
        (height.0.wrapping_add(round) % n) as usize
    }
}

impl mc::Context for YimaContext {
    type Address = Address;
    type Height = Height;
    type ProposalPart = ProposalPart;
    type Proposal = Proposal;
    type Validator = Validator;
    type ValidatorSet = ValidatorSet;
    type Timeouts = LinearTimeouts;
    type Value = BlockValue;
    type Vote = Vote;
    type Extension = ();
    type SigningScheme = Ed25519;

    fn select_proposer<'a>(
        &self,
        validator_set: &'a ValidatorSet,
        height: Height,
        round: Round,
    ) -> &'a Validator {
        // A ValidatorSet is never empty (checked at construction).
        &validator_set.validators
            [Self::proposer_index(validator_set.validators.len(), height, round)]
    }

    fn new_proposal(
        &self,
        height: Height,
        round: Round,
        value: BlockValue,
        pol_round: Round,
        address: Address,
    ) -> Proposal {
        Proposal {
            height,
            round,
            value,
            pol_round,
            proposer: address,
        }
    }

    fn new_prevote(
        &self,
        height: Height,
        round: Round,
        value_id: NilOrVal<BlockHash>,
        address: Address,
    ) -> Vote {
        Vote {
            height,
            round,
            value: value_id,
            vote_type: VoteType::Prevote,
            validator: address,
            extension: None,
        }
    }

    fn new_precommit(
        &self,
        height: Height,
        round: Round,
        value_id: NilOrVal<BlockHash>,
        address: Address,
    ) -> Vote {
        Vote {
            height,
            round,
            value: value_id,
            vote_type: VoteType::Precommit,
            validator: address,
            extension: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use malachitebft_core_types::{Context as _, Validator as _, ValidatorSet as _, Vote as _};

    use super::*;

    fn key(seed: u8) -> AccountId {
        let sk = malachitebft_signing_ed25519::PrivateKey::from([seed; 32]);
        AccountId(*sk.public_key().as_bytes())
    }

    fn set(n: u8) -> Vec<yima_membership::Validator> {
        let mut v: Vec<_> = (1..=n)
            .map(|i| yima_membership::Validator {
                key: key(i),
                power: u64::from(i),
            })
            .collect();
        v.sort_by_key(|v| v.key);
        v
    }

    #[test]
    fn select_proposer_is_round_robin_and_deterministic() {
        let vs = ValidatorSet::from_membership(&set(4)).unwrap();
        let ctx = YimaContext;
        for h in 1..20u64 {
            for r in 0..6u32 {
                let a = ctx.select_proposer(&vs, Height(h), Round::new(r));
                let b = ctx.select_proposer(&vs, Height(h), Round::new(r));
                assert_eq!(a, b);
                let expected = ((h + u64::from(r)) % 4) as usize;
                assert_eq!(a, vs.get_by_index(expected).unwrap());
            }
        }
        // Every validator gets a turn within n consecutive heights.
        let turns: std::collections::BTreeSet<_> = (1..=4)
            .map(|h| ctx.select_proposer(&vs, Height(h), Round::ZERO).address)
            .collect();
        assert_eq!(turns.len(), 4);
    }

    #[test]
    fn validator_set_keeps_runtime_order_and_hash() {
        let members = set(4);
        let vs = ValidatorSet::from_membership(&members).unwrap();
        assert_eq!(vs.hash(), validator_set_hash(&members));
        assert_eq!(vs.to_membership(), members);
        assert_eq!(vs.total_voting_power(), 1 + 2 + 3 + 4);
        for v in &members {
            let found = vs.get_by_address(&Address(v.key)).unwrap();
            assert_eq!(found.voting_power(), v.power);
        }
        assert!(vs.get_by_address(&Address(key(9))).is_none());
    }

    #[test]
    fn validator_set_refuses_bad_input() {
        assert_eq!(
            ValidatorSet::from_membership(&[]),
            Err(ValidatorSetError::Empty)
        );
        let mut unsorted = set(3);
        unsorted.swap(0, 2);
        assert!(matches!(
            ValidatorSet::from_membership(&unsorted),
            Err(ValidatorSetError::NotSortedByKey(_))
        ));
        let mut dup = set(2);
        dup[1].key = dup[0].key;
        assert!(matches!(
            ValidatorSet::from_membership(&dup),
            Err(ValidatorSetError::NotSortedByKey(_))
        ));
        let mut zero = set(2);
        zero[0].power = 0;
        assert!(matches!(
            ValidatorSet::from_membership(&zero),
            Err(ValidatorSetError::ZeroPower(_))
        ));
        let mut huge = set(2);
        huge[0].power = MAX_TOTAL_VOTING_POWER;
        assert_eq!(
            ValidatorSet::from_membership(&huge),
            Err(ValidatorSetError::PowerTooLarge)
        );
    }

    #[test]
    fn votes_compare_without_extensions() {
        let ctx = YimaContext;
        let a = ctx.new_precommit(
            Height(3),
            Round::new(1),
            NilOrVal::Val(BlockHash(Hash([7; 32]))),
            Address(key(1)),
        );
        let signed = mc::SignedMessage::new((), Signature::test());
        let b = a.clone().extend(signed);
        assert_eq!(a, b);
    }
}
