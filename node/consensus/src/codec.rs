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
    Address, BlockHash, BlockValue, Height, Proposal, ProposalPart, Vote, YimaContext,
};

mod parts;

pub use parts::encode_part;
use parts::{WireProposalPart, WireStreamContent, WireStreamMessage};

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
    |w: WireProposalPart| w.try_into()
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
            WireStreamContent::Data(p) => StreamContent::Data(p.try_into()?),
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
mod tests;
