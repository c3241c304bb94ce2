//! Proposal part streams: cutting a block into `Init`, `Data`… and `Fin` parts, and putting received streams back
//! together.
//!
//! Layout of one stream (sequence numbers are the `StreamMessage` sequences):
//! `0: Data(Init)`, `1..=k: Data(Data(chunk))`, `k+1: Data(Fin(signature))`, `k+2: Fin`.
//! The chunks are the SCALE encoding of the whole block cut into [`PART_CHUNK_BYTES`] pieces (the last may be
//! shorter). The `Fin` signature is the proposer's, over `signing::parts_sign_bytes(genesis, digest)` where
//! `digest` = SHA-256 of the concatenated SCALE encodings of every part before `Fin` ([`parts_digest`]).
//!
//! Receivers key streams by `(published_by, stream_id)` — never by the relaying peer — and bound what they hold:
//! at most [`StreamLimits::max_streams`] partial streams and [`StreamLimits::max_total_bytes`] buffered bytes
//! (least recently touched streams are dropped first), each stream at most [`StreamLimits::max_stream_bytes`].

use std::collections::BTreeMap;

use bytes::Bytes;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_signing_ed25519::Signature;
use parity_scale_codec::Encode;
use sha2::{Digest, Sha256};
use yima_frame::Hash;

use crate::codec::encode_part;
use crate::context::{Height, PartData, PartFin, PartInit, ProposalPart};

/// Size of a `Data` part's chunk (part of the protocol: a re-streamed proposal must hash the same).
pub const PART_CHUNK_BYTES: usize = 128 * 1024;

/// SHA-256 over the SCALE encodings of `init` and of a `Data` part for each chunk of `block_bytes`.
pub fn parts_digest(init: &PartInit, block_bytes: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(encode_part(&ProposalPart::Init(init.clone())));
    for chunk in block_bytes.chunks(PART_CHUNK_BYTES) {
        // Same bytes as encode_part(&ProposalPart::Data(..)) without copying the chunk: variant index 1, then
        // the chunk as a SCALE Vec<u8>.
        hasher.update([1u8]);
        hasher.update(parity_scale_codec::Compact(chunk.len() as u32).encode());
        hasher.update(chunk);
    }
    Hash(hasher.finalize().into())
}

/// The stream for one proposal: `Init`, the block in chunks, `Fin` with `signature`, then the end marker.
pub fn stream_messages(
    stream_id: StreamId,
    init: PartInit,
    block_bytes: &[u8],
    signature: Signature,
) -> Vec<StreamMessage<ProposalPart>> {
    let mut parts = Vec::with_capacity(block_bytes.len() / PART_CHUNK_BYTES + 4);
    parts.push(ProposalPart::Init(init));
    parts.extend(
        block_bytes
            .chunks(PART_CHUNK_BYTES)
            .map(|c| ProposalPart::Data(PartData { bytes: c.to_vec() })),
    );
    parts.push(ProposalPart::Fin(PartFin { signature }));
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

/// A fully received, well-formed stream (its signature not yet checked).
#[derive(Clone, Debug)]
pub struct CompleteStream {
    /// The publisher declared by the transport.
    pub published_by: Option<PeerId>,
    /// What the stream proposes for.
    pub init: PartInit,
    /// The concatenated chunks: the SCALE-encoded block.
    pub block_bytes: Vec<u8>,
    /// The `Fin` signature.
    pub signature: Signature,
}

impl CompleteStream {
    /// The digest the `Fin` signature must cover.
    pub fn digest(&self) -> Hash {
        parts_digest(&self.init, &self.block_bytes)
    }
}

/// Why a stream was dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The stream's parts are not `Init`, `Data`…, `Fin`, end.
    #[error("proposal stream {0} is malformed: {1}")]
    Malformed(String, &'static str),
    /// The stream holds more bytes than a block may have.
    #[error("proposal stream {0} exceeds {1} bytes")]
    TooLarge(String, usize),
}

/// Bounds on what is buffered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    /// Partial streams held at once.
    pub max_streams: usize,
    /// Data bytes one stream may carry.
    pub max_stream_bytes: usize,
    /// Data bytes held across all partial streams.
    pub max_total_bytes: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        // A block is at most 16 MiB by default (system limits) plus its header and length prefixes.
        Self {
            max_streams: 64,
            max_stream_bytes: 17 * 1024 * 1024,
            max_total_bytes: 72 * 1024 * 1024,
        }
    }
}

#[derive(Default)]
struct Partial {
    messages: BTreeMap<u64, StreamContent<ProposalPart>>,
    end: Option<u64>,
    bytes: usize,
    touched: u64,
    height: Option<Height>,
}

type StreamKey = (Option<PeerId>, StreamId);

/// Partial streams being received.
pub struct PartStreams {
    limits: StreamLimits,
    streams: BTreeMap<StreamKey, Partial>,
    total_bytes: usize,
    clock: u64,
}

impl PartStreams {
    /// An empty buffer with `limits`.
    pub fn new(limits: StreamLimits) -> Self {
        Self {
            limits,
            streams: BTreeMap::new(),
            total_bytes: 0,
            clock: 0,
        }
    }

    /// Partial streams held.
    pub fn len(&self) -> usize {
        self.streams.len()
    }

    /// Whether no partial stream is held.
    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    /// Adds a message; returns the stream once all of it has arrived.
    pub fn insert(
        &mut self,
        published_by: Option<PeerId>,
        msg: StreamMessage<ProposalPart>,
    ) -> Result<Option<CompleteStream>, StreamError> {
        self.clock += 1;
        let key = (published_by, msg.stream_id.clone());
        let size = match &msg.content {
            StreamContent::Data(ProposalPart::Data(d)) => d.bytes.len(),
            _ => 0,
        };
        let entry = self.streams.entry(key.clone()).or_default();
        entry.touched = self.clock;
        if entry.messages.contains_key(&msg.sequence) {
            return Ok(None); // a duplicate (re-gossiped) message
        }
        if let StreamContent::Data(ProposalPart::Init(init)) = &msg.content {
            entry.height = Some(init.height);
        }
        if msg.content.is_fin() {
            if entry.end.is_some() {
                return self.fail(&key, "two end markers");
            }
            entry.end = Some(msg.sequence);
        }
        if entry.end.is_some_and(|end| msg.sequence > end)
            || entry
                .end
                .is_some_and(|end| entry.messages.keys().any(|s| *s > end))
        {
            return self.fail(&key, "a part after the end marker");
        }
        if entry.bytes + size > self.limits.max_stream_bytes {
            let id = msg.stream_id.to_string();
            self.remove(&key);
            return Err(StreamError::TooLarge(id, self.limits.max_stream_bytes));
        }
        entry.bytes += size;
        self.total_bytes += size;
        entry.messages.insert(msg.sequence, msg.content);

        let complete = entry
            .end
            .is_some_and(|end| entry.messages.len() as u64 == end + 1);
        if complete {
            let partial = self.remove(&key).expect("present");
            return Self::assemble(key, partial).map(Some);
        }
        self.evict(&key);
        Ok(None)
    }

    /// Drops every stream known to be for a height below `height`.
    pub fn prune_below(&mut self, height: Height) {
        let stale: Vec<StreamKey> = self
            .streams
            .iter()
            .filter(|(_, p)| p.height.is_some_and(|h| h < height))
            .map(|(k, _)| k.clone())
            .collect();
        for key in stale {
            self.remove(&key);
        }
    }

    fn remove(&mut self, key: &StreamKey) -> Option<Partial> {
        let partial = self.streams.remove(key)?;
        self.total_bytes -= partial.bytes;
        Some(partial)
    }

    fn fail<T>(&mut self, key: &StreamKey, why: &'static str) -> Result<T, StreamError> {
        self.remove(key);
        Err(StreamError::Malformed(key.1.to_string(), why))
    }

    /// Drops least recently touched streams (never `keep`) until within limits.
    fn evict(&mut self, keep: &StreamKey) {
        while self.streams.len() > self.limits.max_streams
            || self.total_bytes > self.limits.max_total_bytes
        {
            let oldest = self
                .streams
                .iter()
                .filter(|(k, _)| *k != keep)
                .min_by_key(|(_, p)| p.touched)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    self.remove(&k);
                }
                None => break,
            }
        }
    }

    fn assemble(key: StreamKey, partial: Partial) -> Result<CompleteStream, StreamError> {
        let id = || key.1.to_string();
        let mut messages = partial.messages.into_values();
        let Some(StreamContent::Data(ProposalPart::Init(init))) = messages.next() else {
            return Err(StreamError::Malformed(id(), "does not start with Init"));
        };
        let mut block_bytes = Vec::with_capacity(partial.bytes);
        let mut signature = None;
        for content in messages {
            match (content, signature.is_some()) {
                (StreamContent::Data(ProposalPart::Data(d)), false) => {
                    block_bytes.extend_from_slice(&d.bytes)
                }
                (StreamContent::Data(ProposalPart::Fin(f)), false) => signature = Some(f.signature),
                (StreamContent::Fin, true) => {}
                _ => return Err(StreamError::Malformed(id(), "parts out of order")),
            }
        }
        let Some(signature) = signature else {
            return Err(StreamError::Malformed(id(), "no Fin part"));
        };
        Ok(CompleteStream {
            published_by: key.0,
            init,
            block_bytes,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    use malachitebft_core_types::Round;
    use yima_frame::AccountId;

    use super::*;
    use crate::context::Address;

    fn init() -> PartInit {
        PartInit {
            height: Height(4),
            round: Round::new(1),
            valid_round: Round::Nil,
            proposer: Address(AccountId([9; 32])),
        }
    }

    fn test_peer(n: u8) -> PeerId {
        let mut seed = [n; 32];
        let key =
            malachitebft_app_channel::app::types::Keypair::ed25519_from_bytes(&mut seed).unwrap();
        PeerId::from_bytes(&key.public().to_peer_id().to_bytes()).unwrap()
    }

    fn sig() -> Signature {
        Signature::from_bytes([5; 64])
    }

    #[test]
    fn digest_matches_the_encoded_parts() {
        let bytes: Vec<u8> = (0..(PART_CHUNK_BYTES * 2 + 17)).map(|i| i as u8).collect();
        let msgs = stream_messages(stream_id(Height(4), 1, 0), init(), &bytes, sig());
        let mut hasher = Sha256::new();
        for m in &msgs {
            if let StreamContent::Data(p) = &m.content {
                if !matches!(p, ProposalPart::Fin(_)) {
                    hasher.update(encode_part(p));
                }
            }
        }
        assert_eq!(
            Hash(hasher.finalize().into()),
            parts_digest(&init(), &bytes)
        );
        assert_eq!(msgs.len(), 1 + 3 + 1 + 1);
    }

    #[test]
    fn reassembles_in_any_order_and_ignores_duplicates() {
        let bytes: Vec<u8> = (0..(PART_CHUNK_BYTES * 3)).map(|i| (i * 7) as u8).collect();
        let mut msgs = stream_messages(stream_id(Height(4), 1, 0), init(), &bytes, sig());
        msgs.reverse();
        let dup = msgs[2].clone();
        msgs.insert(3, dup);
        let peer = Some(test_peer(1));
        let mut streams = PartStreams::new(StreamLimits::default());
        let mut done = None;
        for m in msgs {
            if let Some(c) = streams.insert(peer, m).unwrap() {
                assert!(done.is_none());
                done = Some(c);
            }
        }
        let done = done.unwrap();
        assert_eq!(done.block_bytes, bytes);
        assert_eq!(done.init, init());
        assert_eq!(done.signature, sig());
        assert_eq!(done.published_by, peer);
        assert!(streams.is_empty());
    }

    #[test]
    fn streams_from_two_publishers_with_one_id_stay_apart() {
        let a: Vec<u8> = vec![1; 10];
        let b: Vec<u8> = vec![2; 10];
        let id = stream_id(Height(4), 1, 0);
        let ma = stream_messages(id.clone(), init(), &a, sig());
        let mb = stream_messages(id, init(), &b, sig());
        let (pa, pb) = (Some(test_peer(1)), Some(test_peer(2)));
        let mut streams = PartStreams::new(StreamLimits::default());
        let mut got = Vec::new();
        for (x, y) in ma.into_iter().zip(mb) {
            got.extend(streams.insert(pa, x).unwrap());
            got.extend(streams.insert(pb, y).unwrap());
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].block_bytes, a);
        assert_eq!(got[1].block_bytes, b);
    }

    #[test]
    fn malformed_and_oversized_streams_are_dropped() {
        let id = stream_id(Height(4), 1, 0);
        let mut streams = PartStreams::new(StreamLimits {
            max_streams: 4,
            max_stream_bytes: 100,
            max_total_bytes: 150,
        });
        // No Init.
        let r = streams.insert(None, StreamMessage::new(id.clone(), 0, StreamContent::Fin));
        assert!(matches!(r, Err(StreamError::Malformed(..))));
        assert!(streams.is_empty());
        // Too large.
        let big = StreamMessage::new(
            id.clone(),
            1,
            StreamContent::Data(ProposalPart::Data(PartData {
                bytes: vec![0; 101],
            })),
        );
        assert!(matches!(
            streams.insert(None, big),
            Err(StreamError::TooLarge(..))
        ));
        assert!(streams.is_empty());
        // Part after the end marker.
        streams
            .insert(None, StreamMessage::new(id.clone(), 2, StreamContent::Fin))
            .unwrap();
        let late = StreamMessage::new(
            id.clone(),
            3,
            StreamContent::Data(ProposalPart::Data(PartData { bytes: vec![0] })),
        );
        assert!(matches!(
            streams.insert(None, late),
            Err(StreamError::Malformed(..))
        ));
    }

    #[test]
    fn limits_evict_the_oldest_partial_streams() {
        let mut streams = PartStreams::new(StreamLimits {
            max_streams: 3,
            max_stream_bytes: 100,
            max_total_bytes: 1000,
        });
        for n in 0..10u64 {
            let m = StreamMessage::new(
                stream_id(Height(4), 0, n),
                1,
                StreamContent::Data(ProposalPart::Data(PartData { bytes: vec![0; 50] })),
            );
            assert!(streams.insert(None, m).unwrap().is_none());
            assert!(streams.len() <= 3);
        }
        let mut streams = PartStreams::new(StreamLimits {
            max_streams: 100,
            max_stream_bytes: 100,
            max_total_bytes: 120,
        });
        for n in 0..10u64 {
            let m = StreamMessage::new(
                stream_id(Height(4), 0, n),
                1,
                StreamContent::Data(ProposalPart::Data(PartData { bytes: vec![0; 50] })),
            );
            streams.insert(None, m).unwrap();
            assert!(streams.total_bytes <= 120);
        }
    }

    // ---- Attacks of issue 12 ("Consensus parts"), written against the buffer as it is: each passes while the
    // attack works.

    fn data(id: &StreamId, seq: u64, len: usize) -> StreamMessage<ProposalPart> {
        StreamMessage::new(
            id.clone(),
            seq,
            StreamContent::Data(ProposalPart::Data(PartData {
                bytes: vec![0xab; len],
            })),
        )
    }

    fn init_at(id: &StreamId, height: u64) -> StreamMessage<ProposalPart> {
        StreamMessage::new(
            id.clone(),
            0,
            StreamContent::Data(ProposalPart::Init(PartInit {
                height: Height(height),
                ..init()
            })),
        )
    }

    #[test]
    fn attack_a_non_proposers_stream_is_buffered() {
        // A peer that is no validator names a proposer that is not the round's and streams 8 MiB: all buffered.
        let mut streams = PartStreams::new(StreamLimits::default());
        let id = stream_id(Height(4), 1, 0);
        let stranger = Some(test_peer(66));
        streams.insert(stranger, init_at(&id, 4)).unwrap();
        for seq in 1..=64 {
            streams
                .insert(stranger, data(&id, seq, PART_CHUNK_BYTES))
                .unwrap();
        }
        assert_eq!(streams.total_bytes, 64 * PART_CHUNK_BYTES);
    }

    #[test]
    fn attack_one_publisher_evicts_everyone_elses_streams() {
        let mut streams = PartStreams::new(StreamLimits::default());
        let honest = Some(test_peer(1));
        let attacker = Some(test_peer(2));
        let bytes = vec![7u8; PART_CHUNK_BYTES * 2];
        let mut honest_msgs = stream_messages(stream_id(Height(4), 1, 0), init(), &bytes, sig());
        let last = honest_msgs.pop().unwrap();
        for m in honest_msgs {
            assert!(streams.insert(honest, m).unwrap().is_none());
        }
        // The attacker opens many partial streams of 17 MiB minus a chunk.
        for n in 0..8u64 {
            let id = stream_id(Height(4), 1, 1000 + n);
            for seq in 1..(17 * 8) {
                streams
                    .insert(attacker, data(&id, seq, PART_CHUNK_BYTES))
                    .unwrap();
            }
        }
        // The honest stream's last message no longer completes it: it was evicted.
        assert!(streams.insert(honest, last).unwrap().is_none());
    }

    #[test]
    fn attack_streams_for_far_future_heights_are_buffered() {
        let mut streams = PartStreams::new(StreamLimits::default());
        let id = stream_id(Height(1_000_000), 0, 0);
        let peer = Some(test_peer(3));
        streams.insert(peer, init_at(&id, 1_000_000)).unwrap();
        for seq in 1..=32 {
            streams
                .insert(peer, data(&id, seq, PART_CHUNK_BYTES))
                .unwrap();
        }
        assert_eq!(streams.len(), 1);
        assert_eq!(streams.total_bytes, 32 * PART_CHUNK_BYTES);
    }

    #[test]
    fn attack_zero_byte_parts_are_not_counted() {
        let mut streams = PartStreams::new(StreamLimits::default());
        let id = stream_id(Height(4), 1, 0);
        let peer = Some(test_peer(4));
        for seq in 1..=200_000u64 {
            streams.insert(peer, data(&id, seq, 0)).unwrap();
        }
        // 200,000 messages held, none of them counted against any limit.
        assert_eq!(streams.total_bytes, 0);
        assert_eq!(
            streams.streams.values().next().unwrap().messages.len(),
            200_000
        );
    }

    #[test]
    #[should_panic(expected = "overflow")]
    fn attack_an_end_marker_at_u64_max_overflows() {
        let mut streams = PartStreams::new(StreamLimits::default());
        let id = stream_id(Height(4), 1, 0);
        let _ = streams.insert(None, StreamMessage::new(id, u64::MAX, StreamContent::Fin));
    }

    #[test]
    fn attack_a_stream_larger_than_the_chains_block_limit_is_buffered_in_full() {
        // The chain's limit may be far below the 17 MiB the buffer allows; the buffer does not know it.
        let chain_limit = 1024 * 1024;
        let mut streams = PartStreams::new(StreamLimits::default());
        let id = stream_id(Height(4), 1, 0);
        let peer = Some(test_peer(5));
        streams.insert(peer, init_at(&id, 4)).unwrap();
        for seq in 1..=(17 * 8 - 1) {
            streams
                .insert(peer, data(&id, seq, PART_CHUNK_BYTES))
                .unwrap();
        }
        assert!(streams.total_bytes > 16 * chain_limit);
    }

    #[test]
    fn prune_drops_streams_of_past_heights() {
        let mut streams = PartStreams::new(StreamLimits::default());
        let m = StreamMessage::new(
            stream_id(Height(4), 0, 0),
            0,
            StreamContent::Data(ProposalPart::Init(init())),
        );
        streams.insert(None, m).unwrap();
        streams.prune_below(Height(4));
        assert_eq!(streams.len(), 1);
        streams.prune_below(Height(5));
        assert!(streams.is_empty());
    }
}
