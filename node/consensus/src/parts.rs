//! Proposal part streams: cutting a block into a signed `Init` and `Data` parts ([`stream_messages`]), and
//! receiving others' streams under bounds ([`PartStreams`], in `parts/streams.rs`).
//!
//! Layout of one stream (sequence numbers are the `StreamMessage` sequences):
//! `0: Data(Init)`, `1..=k: Data(Data(chunk))`, `k+1: Fin` (the end marker).
//! The chunks are the SCALE encoding of the whole block cut into [`PART_CHUNK_BYTES`] pieces (the last may be
//! shorter, none is empty), so `k` = [`chunk_count`] of the size. The `Init` declares the height, round, valid
//! round, proposer, the block's size and its SHA-256 ([`block_digest`]), and carries the proposer's signature over
//! all of it (`signing::init_sign_bytes`). The `Fin` part of earlier versions is no longer sent; a stream holding
//! one is malformed.
//!
//! Receivers check every part before they buffer it; see [`PartStreams`].

mod streams;
#[cfg(test)]
mod tests;

pub use streams::{Gate, PartStreams, StreamError, StreamLimits};

use bytes::Bytes;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_core_types::Round;
use malachitebft_signing_ed25519::{PublicKey, Signature};
use parity_scale_codec::Encode;
use sha2::{Digest, Sha256};
use yima_frame::Hash;
use yima_runtime::Header;

use crate::context::{Address, Height, PartData, PartInit, ProposalPart};

/// Size of a `Data` part's chunk (part of the protocol: receivers expect exactly this cut).
pub const PART_CHUNK_BYTES: usize = 128 * 1024;

/// The chain's default `max_block_bytes` (the system pallet's `BlockLimits` default), used until the node reads
/// the chain's own limit.
pub const DEFAULT_MAX_BLOCK_BODY_BYTES: u32 = 16 * 1024 * 1024;

/// SHA-256 of the SCALE-encoded block a stream carries (what its `Init` declares and signs).
pub fn block_digest(block_bytes: &[u8]) -> Hash {
    Hash(Sha256::digest(block_bytes).into())
}

/// `Data` parts a block of `block_bytes` bytes is cut into.
pub fn chunk_count(block_bytes: u32) -> u64 {
    u64::from(block_bytes).div_ceil(PART_CHUNK_BYTES as u64)
}

/// Messages of a stream for a block of `block_bytes` bytes: `Init`, the chunks, the end marker.
pub fn stream_message_count(block_bytes: u32) -> u64 {
    chunk_count(block_bytes) + 2
}

/// Most bytes of an encoded block whose transactions take at most `max_block_bytes` (the chain's
/// `BlockLimits::max_block_bytes`, which counts transaction bytes): the header and the list's length prefix on top.
pub fn max_stream_bytes(max_block_bytes: u32) -> u32 {
    let header = Header {
        parent_hash: Hash::default(),
        number: 0,
        timestamp: 0,
        proposer: Default::default(),
        state_root: Hash::default(),
        extrinsics_root: Hash::default(),
        events_root: Hash::default(),
        validators_hash: Hash::default(),
        next_validators_hash: Hash::default(),
    };
    // A SCALE compact length prefix takes at most 5 bytes for a u32 count.
    let overhead = header.encoded_size() as u32 + 5;
    max_block_bytes.saturating_add(overhead)
}

/// The `Init` of a stream carrying `block_bytes`, signed by `sign` (a proposer signing afresh, or the original
/// signature when another validator restreams a proposal).
pub fn signed_init(
    height: Height,
    round: Round,
    valid_round: Round,
    proposer: Address,
    block_bytes: &[u8],
    sign: impl FnOnce(&PartInit) -> Signature,
) -> PartInit {
    let mut init = PartInit {
        height,
        round,
        valid_round,
        proposer,
        // A block beyond u32::MAX bytes cannot be proposed; saturating makes every receiver refuse it.
        block_bytes: u32::try_from(block_bytes.len()).unwrap_or(u32::MAX),
        digest: block_digest(block_bytes),
        signature: Signature::from_bytes([0; 64]),
    };
    init.signature = sign(&init);
    init
}

/// The stream for one proposal: `init`, the block in chunks, then the end marker.
pub fn stream_messages(
    stream_id: StreamId,
    init: PartInit,
    block_bytes: &[u8],
) -> Vec<StreamMessage<ProposalPart>> {
    let mut parts = Vec::with_capacity(block_bytes.len() / PART_CHUNK_BYTES + 3);
    parts.push(ProposalPart::Init(init));
    parts.extend(
        block_bytes
            .chunks(PART_CHUNK_BYTES)
            .map(|c| ProposalPart::Data(PartData { bytes: c.to_vec() })),
    );
    let mut messages: Vec<_> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| StreamMessage::new(stream_id.clone(), i as u64, StreamContent::Data(p)))
        .collect();
    let end = messages.len() as u64;
    messages.push(StreamMessage::new(stream_id, end, StreamContent::Fin));
    messages
}

/// A stream id unique to this proposer for `(height, round, nonce)`.
pub fn stream_id(height: Height, round: u32, nonce: u64) -> StreamId {
    StreamId::new(Bytes::from((height.0, round, nonce).encode()))
}

/// The libp2p peer id of the node whose consensus key is `key` (the engine derives the node's libp2p identity
/// from its ed25519 secret): an identity multihash of the protobuf-encoded ed25519 public key.
pub fn peer_of(key: &PublicKey) -> PeerId {
    let mut bytes = Vec::with_capacity(38);
    // multihash: identity code 0x00, length 36; protobuf PublicKey { Type = Ed25519 (1), Data = 32 bytes }.
    bytes.extend_from_slice(&[0x00, 0x24, 0x08, 0x01, 0x12, 0x20]);
    bytes.extend_from_slice(key.as_bytes());
    PeerId::from_bytes(&bytes).expect("an identity multihash of 36 bytes is a valid peer id")
}

/// A fully received stream whose `Init` was verified and whose bytes match the digest it signed.
#[derive(Clone, Debug)]
pub struct CompleteStream {
    /// The publisher declared by the transport.
    pub published_by: Option<PeerId>,
    /// What the stream proposes for, with the proposer's signature.
    pub init: PartInit,
    /// The concatenated chunks: the SCALE-encoded block.
    pub block_bytes: Vec<u8>,
}
