//! Proposal parts and their stream messages on the wire: the signed `Init` (index 3; the unsigned `Init` of
//! earlier versions, index 0, decodes and is refused), `Data` and `Fin`.

use parity_scale_codec::{Decode, Encode};
use yima_frame::{AccountId, Hash};

use super::{round_from_wire, round_to_wire, sig_from_wire, sig_to_wire, CodecError};
use crate::context::{Address, Height, PartData, PartFin, PartInit, ProposalPart};

/// A proposal part on the wire.
#[derive(Encode, Decode)]
pub(super) enum WireProposalPart {
    /// The unsigned `Init` of earlier versions: decodes, and is refused.
    #[codec(index = 0)]
    UnsignedInit {
        height: u64,
        round: Option<u32>,
        valid_round: Option<u32>,
        proposer: AccountId,
    },
    #[codec(index = 1)]
    Data(Vec<u8>),
    #[codec(index = 2)]
    Fin([u8; 64]),
    /// The `Init`, declaring the block's size and digest, signed by the proposer.
    #[codec(index = 3)]
    Init {
        height: u64,
        round: Option<u32>,
        valid_round: Option<u32>,
        proposer: AccountId,
        block_bytes: u32,
        digest: Hash,
        signature: [u8; 64],
    },
}

impl From<&ProposalPart> for WireProposalPart {
    fn from(p: &ProposalPart) -> Self {
        match p {
            ProposalPart::Init(i) => Self::Init {
                height: i.height.0,
                round: round_to_wire(i.round),
                valid_round: round_to_wire(i.valid_round),
                proposer: i.proposer.0,
                block_bytes: i.block_bytes,
                digest: i.digest,
                signature: sig_to_wire(&i.signature),
            },
            ProposalPart::Data(d) => Self::Data(d.bytes.clone()),
            ProposalPart::Fin(f) => Self::Fin(sig_to_wire(&f.signature)),
        }
    }
}

impl TryFrom<WireProposalPart> for ProposalPart {
    type Error = CodecError;

    fn try_from(w: WireProposalPart) -> Result<Self, CodecError> {
        Ok(match w {
            WireProposalPart::UnsignedInit { .. } => {
                return Err(CodecError::Invalid {
                    what: "proposal part",
                    reason: "an unsigned Init of an earlier protocol version; the publishing node must be upgraded"
                        .into(),
                })
            }
            WireProposalPart::Init {
                height,
                round,
                valid_round,
                proposer,
                block_bytes,
                digest,
                signature,
            } => Self::Init(PartInit {
                height: Height(height),
                round: round_from_wire(round),
                valid_round: round_from_wire(valid_round),
                proposer: Address(proposer),
                block_bytes,
                digest,
                signature: sig_from_wire(signature),
            }),
            WireProposalPart::Data(bytes) => Self::Data(PartData { bytes }),
            WireProposalPart::Fin(s) => Self::Fin(PartFin {
                signature: sig_from_wire(s),
            }),
        })
    }
}

/// The SCALE bytes of a proposal part, as it travels.
pub fn encode_part(part: &ProposalPart) -> Vec<u8> {
    WireProposalPart::from(part).encode()
}

/// A stream message's content on the wire.
#[derive(Encode, Decode)]
pub(super) enum WireStreamContent {
    #[codec(index = 0)]
    Data(WireProposalPart),
    #[codec(index = 1)]
    Fin,
}

/// A stream message on the wire.
#[derive(Encode, Decode)]
pub(super) struct WireStreamMessage {
    pub(super) stream_id: Vec<u8>,
    pub(super) sequence: u64,
    pub(super) content: WireStreamContent,
}
