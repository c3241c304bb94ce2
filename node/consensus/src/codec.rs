//! [`YimaCodec`]: the one SCALE codec for everything the engine puts on the wire (network, value sync) or in the
//! write-ahead log.
//!
//! Each Malachite type is mapped onto a private "wire" struct that derives SCALE, so the byte layout is spelled out
//! here and nowhere else; enums carry explicit `#[codec(index)]`es. Decoding never panics: input is bounded by the
//! engine's message size limits, nesting is bounded ([`MAX_DECODE_DEPTH`]), trailing bytes are refused, and every
//! failure is a [`CodecError`].

use bytes::Bytes;
use malachitebft_app_channel::app::consensus::LivenessMsg;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::codec::{Codec, HasEncodedLen};
use malachitebft_app_channel::app::types::sync::{self, RawDecidedValue};
use malachitebft_app_channel::app::types::{PeerId, ProposedValue, SignedConsensusMsg};
use malachitebft_core_types::{
    CommitSignature, ExtendedCommitCertificate, ExtendedCommitSignature, NilOrVal,
    PolkaCertificate, PolkaSignature, Round, RoundCertificate, RoundCertificateType,
    RoundSignature, SignedMessage, ValidatorProof, Validity, VoteType,
};
use malachitebft_signing_ed25519::Signature;
use parity_scale_codec::{Decode, DecodeLimit, Encode};
use yima_frame::{AccountId, Hash};
use yima_runtime::Header;

use crate::context::{
    Address, BlockHash, BlockValue, Height, PartData, PartFin, PartInit, Proposal, ProposalPart,
    Vote, YimaContext,
};

/// Nesting depth SCALE decoding of untrusted consensus bytes may reach.
pub const MAX_DECODE_DEPTH: u32 = 32;

/// Why bytes could not be decoded (or, rarely, a value encoded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// Not the SCALE encoding of the expected type (truncated, trailing bytes, unknown variant …).
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The type being decoded.
        what: &'static str,
        /// What SCALE reported.
        reason: String,
    },
    /// Decoded, but a field holds an impossible value.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// The type being decoded.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// Decodes a whole SCALE value with bounded nesting and nothing left over.
pub(crate) fn decode_scale<T: Decode>(what: &'static str, bytes: &[u8]) -> Result<T, CodecError> {
    T::decode_all_with_depth_limit(MAX_DECODE_DEPTH, &mut &bytes[..]).map_err(|e| {
        CodecError::Malformed {
            what,
            reason: e.to_string(),
        }
    })
}

// ---- Small mappings shared by the wire types. ----

pub(crate) fn round_to_wire(round: Round) -> Option<u32> {
    round.as_u32()
}

pub(crate) fn round_from_wire(round: Option<u32>) -> Round {
    Round::from(round)
}

pub(crate) fn sig_to_wire(signature: &Signature) -> [u8; 64] {
    signature.to_bytes()
}

pub(crate) fn sig_from_wire(bytes: [u8; 64]) -> Signature {
    Signature::from_bytes(bytes)
}

fn nil_or_val_to_wire(value: &NilOrVal<BlockHash>) -> Option<Hash> {
    match value {
        NilOrVal::Nil => None,
        NilOrVal::Val(h) => Some(h.0),
    }
}

fn nil_or_val_from_wire(value: Option<Hash>) -> NilOrVal<BlockHash> {
    match value {
        None => NilOrVal::Nil,
        Some(h) => NilOrVal::Val(BlockHash(h)),
    }
}

#[derive(Clone, Copy, Encode, Decode)]
enum WireVoteType {
    #[codec(index = 0)]
    Prevote,
    #[codec(index = 1)]
    Precommit,
}

impl From<VoteType> for WireVoteType {
    fn from(t: VoteType) -> Self {
        match t {
            VoteType::Prevote => Self::Prevote,
            VoteType::Precommit => Self::Precommit,
        }
    }
}

impl From<WireVoteType> for VoteType {
    fn from(t: WireVoteType) -> Self {
        match t {
            WireVoteType::Prevote => Self::Prevote,
            WireVoteType::Precommit => Self::Precommit,
        }
    }
}

// ---- Votes and proposals. ----

#[derive(Encode, Decode)]
struct WireVote {
    height: u64,
    round: Option<u32>,
    value: Option<Hash>,
    vote_type: WireVoteType,
    validator: AccountId,
    /// Signature of the vote extension (`()` on Yima), when there is one.
    extension: Option<[u8; 64]>,
}

impl From<&Vote> for WireVote {
    fn from(v: &Vote) -> Self {
        Self {
            height: v.height.0,
            round: round_to_wire(v.round),
            value: nil_or_val_to_wire(&v.value),
            vote_type: v.vote_type.into(),
            validator: v.validator.0,
            extension: v.extension.as_ref().map(|e| sig_to_wire(&e.signature)),
        }
    }
}

impl From<WireVote> for Vote {
    fn from(w: WireVote) -> Self {
        Self {
            height: Height(w.height),
            round: round_from_wire(w.round),
            value: nil_or_val_from_wire(w.value),
            vote_type: w.vote_type.into(),
            validator: Address(w.validator),
            extension: w
                .extension
                .map(|s| SignedMessage::new((), sig_from_wire(s))),
        }
    }
}

#[derive(Encode, Decode)]
struct WireSignedVote {
    vote: WireVote,
    signature: [u8; 64],
}

type SignedVote = SignedMessage<YimaContext, Vote>;
type SignedProposal = SignedMessage<YimaContext, Proposal>;

impl From<&SignedVote> for WireSignedVote {
    fn from(v: &SignedVote) -> Self {
        Self {
            vote: WireVote::from(&v.message),
            signature: sig_to_wire(&v.signature),
        }
    }
}

impl From<WireSignedVote> for SignedVote {
    fn from(w: WireSignedVote) -> Self {
        SignedMessage::new(w.vote.into(), sig_from_wire(w.signature))
    }
}

#[derive(Encode, Decode)]
struct WireProposal {
    height: u64,
    round: Option<u32>,
    header: Header,
    pol_round: Option<u32>,
    proposer: AccountId,
}

impl From<&Proposal> for WireProposal {
    fn from(p: &Proposal) -> Self {
        Self {
            height: p.height.0,
            round: round_to_wire(p.round),
            header: p.value.header().clone(),
            pol_round: round_to_wire(p.pol_round),
            proposer: p.proposer.0,
        }
    }
}

impl From<WireProposal> for Proposal {
    fn from(w: WireProposal) -> Self {
        Self {
            height: Height(w.height),
            round: round_from_wire(w.round),
            value: BlockValue::new(w.header),
            pol_round: round_from_wire(w.pol_round),
            proposer: Address(w.proposer),
        }
    }
}

#[derive(Encode, Decode)]
struct WireSignedProposal {
    proposal: WireProposal,
    signature: [u8; 64],
}

#[derive(Encode, Decode)]
enum WireConsensusMsg {
    #[codec(index = 0)]
    Vote(WireSignedVote),
    #[codec(index = 1)]
    Proposal(WireSignedProposal),
}

impl From<&SignedConsensusMsg<YimaContext>> for WireConsensusMsg {
    fn from(m: &SignedConsensusMsg<YimaContext>) -> Self {
        match m {
            SignedConsensusMsg::Vote(v) => Self::Vote(v.into()),
            SignedConsensusMsg::Proposal(p) => Self::Proposal(WireSignedProposal {
                proposal: WireProposal::from(&p.message),
                signature: sig_to_wire(&p.signature),
            }),
        }
    }
}

impl From<WireConsensusMsg> for SignedConsensusMsg<YimaContext> {
    fn from(w: WireConsensusMsg) -> Self {
        match w {
            WireConsensusMsg::Vote(v) => Self::Vote(v.into()),
            WireConsensusMsg::Proposal(p) => Self::Proposal(SignedProposal::new(
                p.proposal.into(),
                sig_from_wire(p.signature),
            )),
        }
    }
}

// ---- Certificates. ----

#[derive(Encode, Decode)]
struct WirePolkaCertificate {
    height: u64,
    round: Option<u32>,
    value_id: Hash,
    signatures: Vec<(AccountId, [u8; 64])>,
}

impl From<&PolkaCertificate<YimaContext>> for WirePolkaCertificate {
    fn from(c: &PolkaCertificate<YimaContext>) -> Self {
        Self {
            height: c.height.0,
            round: round_to_wire(c.round),
            value_id: c.value_id.0,
            signatures: c
                .polka_signatures
                .iter()
                .map(|s| (s.address.0, sig_to_wire(&s.signature)))
                .collect(),
        }
    }
}

impl From<WirePolkaCertificate> for PolkaCertificate<YimaContext> {
    fn from(w: WirePolkaCertificate) -> Self {
        Self {
            height: Height(w.height),
            round: round_from_wire(w.round),
            value_id: BlockHash(w.value_id),
            polka_signatures: w
                .signatures
                .into_iter()
                .map(|(a, s)| PolkaSignature::new(Address(a), sig_from_wire(s)))
                .collect(),
        }
    }
}

#[derive(Encode, Decode)]
enum WireRoundCertificateType {
    #[codec(index = 0)]
    Skip,
    #[codec(index = 1)]
    Precommit,
}

#[derive(Encode, Decode)]
struct WireRoundSignature {
    vote_type: WireVoteType,
    value_id: Option<Hash>,
    address: AccountId,
    signature: [u8; 64],
}

#[derive(Encode, Decode)]
struct WireRoundCertificate {
    height: u64,
    round: Option<u32>,
    cert_type: WireRoundCertificateType,
    signatures: Vec<WireRoundSignature>,
}

impl From<&RoundCertificate<YimaContext>> for WireRoundCertificate {
    fn from(c: &RoundCertificate<YimaContext>) -> Self {
        Self {
            height: c.height.0,
            round: round_to_wire(c.round),
            cert_type: match c.cert_type {
                RoundCertificateType::Skip => WireRoundCertificateType::Skip,
                RoundCertificateType::Precommit => WireRoundCertificateType::Precommit,
            },
            signatures: c
                .round_signatures
                .iter()
                .map(|s| WireRoundSignature {
                    vote_type: s.vote_type.into(),
                    value_id: nil_or_val_to_wire(&s.value_id),
                    address: s.address.0,
                    signature: sig_to_wire(&s.signature),
                })
                .collect(),
        }
    }
}

impl From<WireRoundCertificate> for RoundCertificate<YimaContext> {
    fn from(w: WireRoundCertificate) -> Self {
        Self {
            height: Height(w.height),
            round: round_from_wire(w.round),
            cert_type: match w.cert_type {
                WireRoundCertificateType::Skip => RoundCertificateType::Skip,
                WireRoundCertificateType::Precommit => RoundCertificateType::Precommit,
            },
            round_signatures: w
                .signatures
                .into_iter()
                .map(|s| {
                    RoundSignature::new(
                        s.vote_type.into(),
                        nil_or_val_from_wire(s.value_id),
                        Address(s.address),
                        sig_from_wire(s.signature),
                    )
                })
                .collect(),
        }
    }
}

#[derive(Encode, Decode)]
enum WireLivenessMsg {
    #[codec(index = 0)]
    Vote(WireSignedVote),
    #[codec(index = 1)]
    PolkaCertificate(WirePolkaCertificate),
    #[codec(index = 2)]
    SkipRoundCertificate(WireRoundCertificate),
}

/// A commit signature as stored and synced: `(validator key, ed25519 signature, extension signature)`.
#[derive(Encode, Decode)]
pub(crate) struct WireCommitSignature {
    pub(crate) address: AccountId,
    pub(crate) signature: [u8; 64],
    pub(crate) extension: Option<[u8; 64]>,
}

#[derive(Encode, Decode)]
struct WireExtendedCommitCertificate {
    height: u64,
    round: Option<u32>,
    value_id: Hash,
    signatures: Vec<WireCommitSignature>,
}

impl From<&ExtendedCommitCertificate<YimaContext>> for WireExtendedCommitCertificate {
    fn from(c: &ExtendedCommitCertificate<YimaContext>) -> Self {
        Self {
            height: c.height.0,
            round: round_to_wire(c.round),
            value_id: c.value_id.0,
            signatures: c
                .commit_signatures
                .iter()
                .map(|s| WireCommitSignature {
                    address: s.address.0,
                    signature: sig_to_wire(&s.signature),
                    extension: s.extension.as_ref().map(|e| sig_to_wire(&e.signature)),
                })
                .collect(),
        }
    }
}

impl From<WireExtendedCommitCertificate> for ExtendedCommitCertificate<YimaContext> {
    fn from(w: WireExtendedCommitCertificate) -> Self {
        Self {
            height: Height(w.height),
            round: round_from_wire(w.round),
            value_id: BlockHash(w.value_id),
            commit_signatures: w
                .signatures
                .into_iter()
                .map(|s| {
                    ExtendedCommitSignature::new(
                        Address(s.address),
                        sig_from_wire(s.signature),
                        s.extension
                            .map(|e| SignedMessage::new((), sig_from_wire(e))),
                    )
                })
                .collect(),
        }
    }
}

/// Turns a commit certificate's signatures into their wire form (shared with `certificate.rs`).
pub(crate) fn commit_signatures_to_wire(
    signatures: &[CommitSignature<YimaContext>],
) -> Vec<(AccountId, [u8; 64])> {
    signatures
        .iter()
        .map(|s| (s.address.0, sig_to_wire(&s.signature)))
        .collect()
}

// ---- Proposal parts and streams. ----

#[derive(Encode, Decode)]
enum WireProposalPart {
    #[codec(index = 0)]
    Init {
        height: u64,
        round: Option<u32>,
        valid_round: Option<u32>,
        proposer: AccountId,
    },
    #[codec(index = 1)]
    Data(Vec<u8>),
    #[codec(index = 2)]
    Fin([u8; 64]),
}

impl From<&ProposalPart> for WireProposalPart {
    fn from(p: &ProposalPart) -> Self {
        match p {
            ProposalPart::Init(i) => Self::Init {
                height: i.height.0,
                round: round_to_wire(i.round),
                valid_round: round_to_wire(i.valid_round),
                proposer: i.proposer.0,
            },
            ProposalPart::Data(d) => Self::Data(d.bytes.clone()),
            ProposalPart::Fin(f) => Self::Fin(sig_to_wire(&f.signature)),
        }
    }
}

impl From<WireProposalPart> for ProposalPart {
    fn from(w: WireProposalPart) -> Self {
        match w {
            WireProposalPart::Init {
                height,
                round,
                valid_round,
                proposer,
            } => Self::Init(PartInit {
                height: Height(height),
                round: round_from_wire(round),
                valid_round: round_from_wire(valid_round),
                proposer: Address(proposer),
            }),
            WireProposalPart::Data(bytes) => Self::Data(PartData { bytes }),
            WireProposalPart::Fin(s) => Self::Fin(PartFin {
                signature: sig_from_wire(s),
            }),
        }
    }
}

/// The SCALE bytes of a proposal part: what the stream's `Fin` signature hashes.
pub fn encode_part(part: &ProposalPart) -> Vec<u8> {
    WireProposalPart::from(part).encode()
}

#[derive(Encode, Decode)]
enum WireStreamContent {
    #[codec(index = 0)]
    Data(WireProposalPart),
    #[codec(index = 1)]
    Fin,
}

#[derive(Encode, Decode)]
struct WireStreamMessage {
    stream_id: Vec<u8>,
    sequence: u64,
    content: WireStreamContent,
}

// ---- Write-ahead log: proposed values. ----

#[derive(Encode, Decode)]
struct WireProposedValue {
    height: u64,
    round: Option<u32>,
    valid_round: Option<u32>,
    proposer: AccountId,
    header: Header,
    valid: bool,
}

// ---- Validator proofs. ----

#[derive(Encode, Decode)]
struct WireValidatorProof {
    public_key: Vec<u8>,
    peer_id: Vec<u8>,
    signature: [u8; 64],
}

// ---- Value sync. ----

#[derive(Encode, Decode)]
struct WireStatus {
    peer_id: Vec<u8>,
    tip_height: u64,
    history_min_height: u64,
}

#[derive(Encode, Decode)]
enum WireRequest {
    #[codec(index = 0)]
    ValueRequest { start: u64, end: u64 },
}

#[derive(Encode, Decode)]
struct WireRawDecidedValue {
    value_bytes: Vec<u8>,
    certificate: WireExtendedCommitCertificate,
}

#[derive(Encode, Decode)]
enum WireResponse {
    #[codec(index = 0)]
    ValueResponse {
        start_height: u64,
        values: Vec<WireRawDecidedValue>,
    },
}

fn response_to_wire(r: &sync::Response<YimaContext>) -> WireResponse {
    let sync::Response::ValueResponse(v) = r;
    WireResponse::ValueResponse {
        start_height: v.start_height.0,
        values: v
            .values
            .iter()
            .map(|d| WireRawDecidedValue {
                value_bytes: d.value_bytes.to_vec(),
                certificate: (&d.certificate).into(),
            })
            .collect(),
    }
}

/// The single codec for network, value sync and the WAL.
#[derive(Clone, Copy, Debug, Default)]
pub struct YimaCodec;

macro_rules! scale_codec {
    ($ty:ty, $what:literal, |$enc:ident| $to:expr, |$dec:ident: $wire:ty| $from:expr) => {
        impl Codec<$ty> for YimaCodec {
            type Error = CodecError;

            fn decode(&self, bytes: Bytes) -> Result<$ty, CodecError> {
                let $dec: $wire = decode_scale($what, &bytes)?;
                $from
            }

            fn encode(&self, $enc: &$ty) -> Result<Bytes, CodecError> {
                let wire: $wire = $to;
                Ok(Bytes::from(wire.encode()))
            }
        }
    };
}

scale_codec!(
    ProposalPart,
    "proposal part",
    |p| WireProposalPart::from(p),
    |w: WireProposalPart| Ok(w.into())
);

scale_codec!(
    SignedConsensusMsg<YimaContext>,
    "consensus message",
    |m| WireConsensusMsg::from(m),
    |w: WireConsensusMsg| Ok(w.into())
);

scale_codec!(
    LivenessMsg<YimaContext>,
    "liveness message",
    |m| match m {
        LivenessMsg::Vote(v) => WireLivenessMsg::Vote(v.into()),
        LivenessMsg::PolkaCertificate(c) => WireLivenessMsg::PolkaCertificate(c.into()),
        LivenessMsg::SkipRoundCertificate(c) => WireLivenessMsg::SkipRoundCertificate(c.into()),
    },
    |w: WireLivenessMsg| Ok(match w {
        WireLivenessMsg::Vote(v) => LivenessMsg::Vote(v.into()),
        WireLivenessMsg::PolkaCertificate(c) => LivenessMsg::PolkaCertificate(c.into()),
        WireLivenessMsg::SkipRoundCertificate(c) => LivenessMsg::SkipRoundCertificate(c.into()),
    })
);

scale_codec!(
    StreamMessage<ProposalPart>,
    "proposal stream message",
    |m| WireStreamMessage {
        stream_id: m.stream_id.to_bytes().to_vec(),
        sequence: m.sequence,
        content: match &m.content {
            StreamContent::Data(p) => WireStreamContent::Data(p.into()),
            StreamContent::Fin => WireStreamContent::Fin,
        },
    },
    |w: WireStreamMessage| Ok(StreamMessage::new(
        StreamId::new(Bytes::from(w.stream_id)),
        w.sequence,
        match w.content {
            WireStreamContent::Data(p) => StreamContent::Data(p.into()),
            WireStreamContent::Fin => StreamContent::Fin,
        },
    ))
);

scale_codec!(
    ValidatorProof<YimaContext>,
    "validator proof",
    |p| WireValidatorProof {
        public_key: p.public_key.clone(),
        peer_id: p.peer_id.clone(),
        signature: sig_to_wire(&p.signature),
    },
    |w: WireValidatorProof| Ok(ValidatorProof::new(
        w.public_key,
        w.peer_id,
        sig_from_wire(w.signature)
    ))
);

scale_codec!(
    ProposedValue<YimaContext>,
    "proposed value",
    |v| WireProposedValue {
        height: v.height.0,
        round: round_to_wire(v.round),
        valid_round: round_to_wire(v.valid_round),
        proposer: v.proposer.0,
        header: v.value.header().clone(),
        valid: v.validity.is_valid(),
    },
    |w: WireProposedValue| Ok(ProposedValue {
        height: Height(w.height),
        round: round_from_wire(w.round),
        valid_round: round_from_wire(w.valid_round),
        proposer: Address(w.proposer),
        value: BlockValue::new(w.header),
        validity: Validity::from_bool(w.valid),
    })
);

scale_codec!(
    PolkaCertificate<YimaContext>,
    "polka certificate",
    |c| WirePolkaCertificate::from(c),
    |w: WirePolkaCertificate| Ok(w.into())
);

scale_codec!(
    sync::Status<YimaContext>,
    "sync status",
    |s| WireStatus {
        peer_id: s.peer_id.to_bytes(),
        tip_height: s.tip_height.0,
        history_min_height: s.history_min_height.0,
    },
    |w: WireStatus| Ok(sync::Status {
        peer_id: PeerId::from_bytes(&w.peer_id).map_err(|e| CodecError::Invalid {
            what: "sync status",
            reason: format!("peer id: {e}"),
        })?,
        tip_height: Height(w.tip_height),
        history_min_height: Height(w.history_min_height),
    })
);

scale_codec!(
    sync::Request<YimaContext>,
    "sync request",
    |r| {
        let sync::Request::ValueRequest(v) = r;
        WireRequest::ValueRequest {
            start: v.range.start().0,
            end: v.range.end().0,
        }
    },
    |w: WireRequest| Ok(match w {
        WireRequest::ValueRequest { start, end } => {
            sync::Request::ValueRequest(malachitebft_sync::ValueRequest::new(
                Height(start)..=Height(end),
            ))
        }
    })
);

scale_codec!(
    sync::Response<YimaContext>,
    "sync response",
    |r| response_to_wire(r),
    |w: WireResponse| Ok(match w {
        WireResponse::ValueResponse {
            start_height,
            values,
        } => sync::Response::ValueResponse(malachitebft_sync::ValueResponse::new(
            Height(start_height),
            values
                .into_iter()
                .map(|v| RawDecidedValue::new(Bytes::from(v.value_bytes), v.certificate.into()))
                .collect(),
        )),
    })
);

impl HasEncodedLen<sync::Response<YimaContext>> for YimaCodec {
    fn encoded_len(&self, response: &sync::Response<YimaContext>) -> Result<usize, CodecError> {
        let sync::Response::ValueResponse(v) = response;
        // Size without copying the (possibly large) value bytes.
        let values: usize = v
            .values
            .iter()
            .map(|d| {
                parity_scale_codec::Compact(d.value_bytes.len() as u64).encoded_size()
                    + d.value_bytes.len()
                    + WireExtendedCommitCertificate::from(&d.certificate).encoded_size()
            })
            .sum();
        Ok(1 + v.start_height.0.encoded_size()
            + parity_scale_codec::Compact(v.values.len() as u64).encoded_size()
            + values)
    }
}

#[cfg(test)]
mod tests {
    use malachitebft_app_channel::app::consensus::LivenessMsg;
    use proptest::prelude::*;

    use super::*;

    fn test_peer(n: u8) -> PeerId {
        let mut seed = [n; 32];
        let key =
            malachitebft_app_channel::app::types::Keypair::ed25519_from_bytes(&mut seed).unwrap();
        PeerId::from_bytes(&key.public().to_peer_id().to_bytes()).unwrap()
    }

    fn arb_round() -> impl Strategy<Value = Round> {
        prop_oneof![Just(Round::Nil), any::<u32>().prop_map(Round::new)]
    }

    fn arb_hash() -> impl Strategy<Value = Hash> {
        any::<[u8; 32]>().prop_map(Hash)
    }

    fn arb_sig() -> impl Strategy<Value = Signature> {
        any::<[u8; 32]>().prop_map(|a| {
            let mut b = [0u8; 64];
            b[..32].copy_from_slice(&a);
            b[32..].copy_from_slice(&a);
            Signature::from_bytes(b)
        })
    }

    fn arb_address() -> impl Strategy<Value = Address> {
        any::<[u8; 32]>().prop_map(|b| Address(AccountId(b)))
    }

    fn arb_nil_or_val() -> impl Strategy<Value = NilOrVal<BlockHash>> {
        prop::option::of(arb_hash()).prop_map(nil_or_val_from_wire)
    }

    fn arb_vote_type() -> impl Strategy<Value = VoteType> {
        prop_oneof![Just(VoteType::Prevote), Just(VoteType::Precommit)]
    }

    fn arb_header() -> impl Strategy<Value = Header> {
        (
            arb_hash(),
            any::<u64>(),
            any::<u64>(),
            arb_address(),
            arb_hash(),
            arb_hash(),
            arb_hash(),
            arb_hash(),
        )
            .prop_map(|(p, n, t, who, s, x, e, v)| Header {
                parent_hash: p,
                number: n,
                timestamp: t,
                proposer: who.0,
                state_root: s,
                extrinsics_root: x,
                events_root: e,
                validators_hash: v,
                next_validators_hash: v,
            })
    }

    fn arb_vote() -> impl Strategy<Value = Vote> {
        (
            any::<u64>(),
            arb_round(),
            arb_nil_or_val(),
            arb_vote_type(),
            arb_address(),
            prop::option::of(arb_sig()),
        )
            .prop_map(|(h, r, v, t, a, ext)| Vote {
                height: Height(h),
                round: r,
                value: v,
                vote_type: t,
                validator: a,
                extension: ext.map(|s| SignedMessage::new((), s)),
            })
    }

    fn arb_signed_vote() -> impl Strategy<Value = SignedVote> {
        (arb_vote(), arb_sig()).prop_map(|(v, s)| SignedMessage::new(v, s))
    }

    fn arb_proposal() -> impl Strategy<Value = Proposal> {
        (
            any::<u64>(),
            arb_round(),
            arb_header(),
            arb_round(),
            arb_address(),
        )
            .prop_map(|(h, r, header, pol, a)| Proposal {
                height: Height(h),
                round: r,
                value: BlockValue::new(header),
                pol_round: pol,
                proposer: a,
            })
    }

    fn arb_part() -> impl Strategy<Value = ProposalPart> {
        prop_oneof![
            (any::<u64>(), arb_round(), arb_round(), arb_address()).prop_map(|(h, r, vr, a)| {
                ProposalPart::Init(PartInit {
                    height: Height(h),
                    round: r,
                    valid_round: vr,
                    proposer: a,
                })
            }),
            prop::collection::vec(any::<u8>(), 0..512)
                .prop_map(|bytes| ProposalPart::Data(PartData { bytes })),
            arb_sig().prop_map(|signature| ProposalPart::Fin(PartFin { signature })),
        ]
    }

    fn arb_extended_cert() -> impl Strategy<Value = ExtendedCommitCertificate<YimaContext>> {
        (
            any::<u64>(),
            arb_round(),
            arb_hash(),
            prop::collection::vec(
                (arb_address(), arb_sig(), prop::option::of(arb_sig())),
                0..6,
            ),
        )
            .prop_map(|(h, r, id, sigs)| ExtendedCommitCertificate {
                height: Height(h),
                round: r,
                value_id: BlockHash(id),
                commit_signatures: sigs
                    .into_iter()
                    .map(|(a, s, e)| {
                        ExtendedCommitSignature::new(a, s, e.map(|e| SignedMessage::new((), e)))
                    })
                    .collect(),
            })
    }

    fn arb_polka() -> impl Strategy<Value = PolkaCertificate<YimaContext>> {
        (
            any::<u64>(),
            arb_round(),
            arb_hash(),
            prop::collection::vec((arb_address(), arb_sig()), 0..6),
        )
            .prop_map(|(h, r, id, sigs)| PolkaCertificate {
                height: Height(h),
                round: r,
                value_id: BlockHash(id),
                polka_signatures: sigs
                    .into_iter()
                    .map(|(a, s)| PolkaSignature::new(a, s))
                    .collect(),
            })
    }

    fn arb_round_cert() -> impl Strategy<Value = RoundCertificate<YimaContext>> {
        (
            any::<u64>(),
            arb_round(),
            any::<bool>(),
            prop::collection::vec(
                (arb_vote_type(), arb_nil_or_val(), arb_address(), arb_sig()),
                0..6,
            ),
        )
            .prop_map(|(h, r, skip, sigs)| RoundCertificate {
                height: Height(h),
                round: r,
                cert_type: if skip {
                    RoundCertificateType::Skip
                } else {
                    RoundCertificateType::Precommit
                },
                round_signatures: sigs
                    .into_iter()
                    .map(|(t, v, a, s)| RoundSignature::new(t, v, a, s))
                    .collect(),
            })
    }

    fn round_trip<T>(value: &T) -> T
    where
        YimaCodec: Codec<T>,
        <YimaCodec as Codec<T>>::Error: std::fmt::Debug,
    {
        let bytes = YimaCodec.encode(value).unwrap();
        YimaCodec.decode(bytes).unwrap()
    }

    fn assert_vote_eq(a: &SignedVote, b: &SignedVote) {
        assert_eq!(a, b);
        assert_eq!(
            a.message.extension.as_ref().map(|e| e.signature),
            b.message.extension.as_ref().map(|e| e.signature)
        );
    }

    proptest! {
        #[test]
        fn proposal_parts_round_trip(part in arb_part()) {
            prop_assert_eq!(round_trip(&part), part);
        }

        #[test]
        fn consensus_messages_round_trip(vote in arb_signed_vote(), proposal in arb_proposal(), sig in arb_sig()) {
            let m = SignedConsensusMsg::<YimaContext>::Vote(vote.clone());
            match round_trip(&m) {
                SignedConsensusMsg::Vote(v) => assert_vote_eq(&v, &vote),
                other => prop_assert!(false, "{other:?}"),
            }
            let m = SignedConsensusMsg::<YimaContext>::Proposal(SignedMessage::new(proposal.clone(), sig));
            let back = round_trip(&m);
            prop_assert_eq!(&back, &m);
            if let SignedConsensusMsg::Proposal(p) = back {
                prop_assert_eq!(p.message.value.header(), proposal.value.header());
            }
        }

        #[test]
        fn liveness_messages_round_trip(vote in arb_signed_vote(), polka in arb_polka(), rc in arb_round_cert()) {
            let m = LivenessMsg::<YimaContext>::Vote(vote);
            prop_assert_eq!(round_trip(&m), m);
            let m = LivenessMsg::<YimaContext>::PolkaCertificate(polka.clone());
            prop_assert_eq!(round_trip(&m), m);
            prop_assert_eq!(round_trip(&polka), polka);
            let m = LivenessMsg::<YimaContext>::SkipRoundCertificate(rc);
            prop_assert_eq!(round_trip(&m), m);
        }

        #[test]
        fn stream_messages_round_trip(id in prop::collection::vec(any::<u8>(), 0..40), seq in any::<u64>(), part in prop::option::of(arb_part())) {
            let content = match part {
                Some(p) => StreamContent::Data(p),
                None => StreamContent::Fin,
            };
            let m = StreamMessage::new(StreamId::new(Bytes::from(id)), seq, content);
            prop_assert_eq!(round_trip(&m), m);
        }

        #[test]
        fn validator_proofs_round_trip(pk in prop::collection::vec(any::<u8>(), 0..40), peer in prop::collection::vec(any::<u8>(), 0..40), sig in arb_sig()) {
            let p = ValidatorProof::<YimaContext>::new(pk, peer, sig);
            prop_assert_eq!(round_trip(&p), p);
        }

        #[test]
        fn proposed_values_round_trip(h in any::<u64>(), r in arb_round(), vr in arb_round(), a in arb_address(), header in arb_header(), valid in any::<bool>()) {
            let v = ProposedValue::<YimaContext> {
                height: Height(h),
                round: r,
                valid_round: vr,
                proposer: a,
                value: BlockValue::new(header.clone()),
                validity: Validity::from_bool(valid),
            };
            let back = round_trip(&v);
            prop_assert_eq!(back.value.header(), &header);
            prop_assert_eq!(back, v);
        }

        #[test]
        fn sync_messages_round_trip(tip in any::<u64>(), min in any::<u64>(), a in any::<u64>(), b in any::<u64>(),
                                    values in prop::collection::vec((prop::collection::vec(any::<u8>(), 0..300), arb_extended_cert()), 0..4)) {
            let status = sync::Status::<YimaContext> {
                peer_id: test_peer(tip as u8),
                tip_height: Height(tip),
                history_min_height: Height(min),
            };
            prop_assert_eq!(round_trip(&status), status);
            let req = sync::Request::<YimaContext>::ValueRequest(malachitebft_sync::ValueRequest::new(Height(a)..=Height(b)));
            prop_assert_eq!(round_trip(&req), req);
            let resp = sync::Response::<YimaContext>::ValueResponse(malachitebft_sync::ValueResponse::new(
                Height(a),
                values.into_iter().map(|(v, c)| RawDecidedValue::new(Bytes::from(v), c)).collect(),
            ));
            let bytes = YimaCodec.encode(&resp).unwrap();
            prop_assert_eq!(YimaCodec.encoded_len(&resp).unwrap(), bytes.len());
            let back: sync::Response<YimaContext> = YimaCodec.decode(bytes).unwrap();
            prop_assert_eq!(back, resp);
        }

        #[test]
        fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            let b = Bytes::from(bytes);
            let _ = Codec::<ProposalPart>::decode(&YimaCodec, b.clone());
            let _ = Codec::<SignedConsensusMsg<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<LivenessMsg<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<StreamMessage<ProposalPart>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<ValidatorProof<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<ProposedValue<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<PolkaCertificate<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<sync::Status<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<sync::Request<YimaContext>>::decode(&YimaCodec, b.clone());
            let _ = Codec::<sync::Response<YimaContext>>::decode(&YimaCodec, b);
        }

        #[test]
        fn truncated_and_extended_encodings_are_refused(vote in arb_signed_vote(), cut in 1usize..40) {
            let m = SignedConsensusMsg::<YimaContext>::Vote(vote);
            let bytes = YimaCodec.encode(&m).unwrap().to_vec();
            let cut = cut.min(bytes.len());
            let short = Bytes::from(bytes[..bytes.len() - cut].to_vec());
            prop_assert!(Codec::<SignedConsensusMsg<YimaContext>>::decode(&YimaCodec, short).is_err());
            let mut long = bytes.clone();
            long.push(0);
            prop_assert!(Codec::<SignedConsensusMsg<YimaContext>>::decode(&YimaCodec, Bytes::from(long)).is_err());
        }
    }

    #[test]
    fn huge_length_prefixes_are_errors_not_allocations() {
        // Data part claiming 2^30 bytes with almost nothing behind it.
        let mut bytes = vec![1u8];
        bytes.extend(parity_scale_codec::Compact(1u32 << 30).encode());
        bytes.extend([0u8; 8]);
        assert!(Codec::<ProposalPart>::decode(&YimaCodec, Bytes::from(bytes)).is_err());
        // Sync response claiming 2^31 values.
        let mut bytes = vec![0u8];
        bytes.extend(5u64.encode());
        bytes.extend(parity_scale_codec::Compact(1u32 << 31).encode());
        assert!(
            Codec::<sync::Response<YimaContext>>::decode(&YimaCodec, Bytes::from(bytes)).is_err()
        );
    }
}
