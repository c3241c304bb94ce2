//! Receiving proposal streams: admitting, bounding and reassembling what other validators publish.
//!
//! Receivers key streams by `(published_by, stream_id)` — never by the relaying peer — and check before they
//! buffer ([`PartStreams::insert`], against a [`Gate`]):
//! - the publisher is a validator of the next height's set (its libp2p id is derived from its consensus key);
//! - the `Init` is for a height in `next ..= next + heights_ahead` and a round at most `rounds_ahead` above the
//!   current one, names that (height, round)'s proposer, declares at most [`StreamLimits::max_stream_bytes`] and
//!   carries that proposer's valid signature — checked when the `Init` arrives, before any other part of the
//!   stream is admitted;
//! - every later part is exactly what the `Init` declared: a chunk of the expected size at a sequence in
//!   `1..=k`, the end marker at `k + 1`; nothing else (no zero-byte parts, no sequence arithmetic on untrusted
//!   numbers);
//! - each publisher has a quota of buffered bytes and messages (partial streams and complete streams waiting for
//!   their height, counted at what their `Init` declared), and only [`StreamLimits::max_unverified_messages`]
//!   messages may arrive ahead of their stream's `Init`. A new stream that does not fit evicts only that
//!   publisher's own least recently touched streams; one publisher never displaces another.
//!
//! The rest of a refused stream is ignored (the publisher's latest refused stream ids are remembered until the next
//! height). A refusal that only a faulty or hostile publisher causes is a strike ([`StreamError::is_strike`]); after
//! [`StreamLimits::strikes_before_ignore`] strikes a publisher's parts are ignored, without a signature check, until
//! the next height.

use std::collections::{BTreeMap, VecDeque};

use bytes::Bytes;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_core_types::{Context as _, Round, ValidatorSet as _};
use yima_frame::Hash;

use super::{
    block_digest, chunk_count, max_stream_bytes, peer_of, stream_message_count, CompleteStream,
    DEFAULT_MAX_BLOCK_BODY_BYTES, PART_CHUNK_BYTES,
};
use crate::context::{Address, Height, PartInit, ProposalPart, ValidatorSet, YimaContext};
use crate::signing::verify_init;

/// Why a message or a stream was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The stream's parts are not what its `Init` declared.
    #[error("proposal stream {0} is malformed: {1}; the publisher's node is faulty or hostile")]
    Malformed(String, &'static str),
    /// The stream declares more bytes than a block may have.
    #[error("proposal stream {0} declares a block larger than {1} bytes, the chain's limit")]
    TooLarge(String, u32),
    /// The transport named no publisher.
    #[error("proposal part without a publisher; gossipsub must run in signed mode (Malachite's default)")]
    NoPublisher,
    /// The publisher is no validator of the next height.
    #[error("proposal part published by {0}, which is no validator of the next height's set")]
    NotAValidator(PeerId),
    /// The publisher earned too many strikes this height.
    #[error("proposal part from {0} ignored: it sent too many refused streams this height")]
    Ignored(PeerId),
    /// For a height already decided.
    #[error("proposal stream for height {0}, which is already decided")]
    Stale(u64),
    /// For a height or round too far ahead.
    #[error(
        "proposal stream for height {0} round {1} is too far ahead of this node (next height {2})"
    )]
    TooFarAhead(u64, String, u64),
    /// Its `Init` names someone who does not propose that (height, round).
    #[error(
        "proposal stream for height {0} round {1} names {2}, who is not that round's proposer"
    )]
    NotTheProposer(u64, String, Address),
    /// Its `Init` signature does not verify.
    #[error("proposal stream {0} has an Init whose signature is not its proposer's")]
    BadSignature(String),
    /// The publisher's quota is full.
    #[error("proposal part from {0} refused: its quota of buffered bytes or messages is full")]
    OverQuota(PeerId),
}

impl StreamError {
    /// Whether only a faulty or hostile publisher causes this (the publisher earns a strike).
    pub fn is_strike(&self) -> bool {
        matches!(
            self,
            Self::Malformed(..)
                | Self::TooLarge(..)
                | Self::NotAValidator(_)
                | Self::NotTheProposer(..)
                | Self::BadSignature(_)
        )
    }
}

/// Bounds on what is buffered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    /// Most bytes a stream may declare: [`max_stream_bytes`] of the chain's `max_block_bytes` (the application
    /// loop sets it from the chain).
    pub max_stream_bytes: u32,
    /// Heights above the next one whose streams are admitted.
    pub heights_ahead: u64,
    /// Rounds above the current round of the next height (above round 0 for later heights) whose streams are
    /// admitted.
    pub rounds_ahead: u32,
    /// Full-size streams one publisher may have buffered (partial, or complete and waiting for their height): its
    /// byte quota is this many times `max_stream_bytes`, its message quota this many full streams' messages, plus
    /// its unverified allowance.
    pub streams_per_publisher: u32,
    /// Messages one publisher may have buffered ahead of their stream's `Init` (parts reordered in transit).
    pub max_unverified_messages: usize,
    /// Strikes after which a publisher's parts are ignored until the next height.
    pub strikes_before_ignore: u32,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self {
            max_stream_bytes: max_stream_bytes(DEFAULT_MAX_BLOCK_BODY_BYTES),
            heights_ahead: 2,
            rounds_ahead: 4,
            streams_per_publisher: 2,
            max_unverified_messages: 8,
            strikes_before_ignore: 4,
        }
    }
}

impl StreamLimits {
    /// Bytes one publisher may have buffered.
    pub fn publisher_bytes(&self) -> u64 {
        u64::from(self.streams_per_publisher) * u64::from(self.max_stream_bytes)
            + (self.max_unverified_messages * PART_CHUNK_BYTES) as u64
    }

    /// Messages one publisher may have buffered.
    pub fn publisher_messages(&self) -> u64 {
        u64::from(self.streams_per_publisher) * stream_message_count(self.max_stream_bytes)
            + self.max_unverified_messages as u64
    }
}

/// What a received part is checked against: the chain as this node knows it.
#[derive(Clone, Copy, Debug)]
pub struct Gate<'a> {
    /// The chain's genesis hash (signed into every `Init`).
    pub genesis: &'a Hash,
    /// The next height (latest committed + 1).
    pub next: Height,
    /// The current round at `next` (`Round::Nil` before the first).
    pub round: Round,
    /// The validators deciding `next`; also the best guess for the heights above it.
    pub validators: &'a ValidatorSet,
}

impl Gate<'_> {
    fn is_validator(&self, peer: &PeerId) -> bool {
        (0..self.validators.count())
            .filter_map(|i| self.validators.get_by_index(i))
            .any(|v| peer_of(&v.public_key) == *peer)
    }

    /// Checks an `Init` before anything of its stream is buffered.
    fn admit(
        &self,
        id: &StreamId,
        init: &PartInit,
        limits: &StreamLimits,
    ) -> Result<(), StreamError> {
        let (h, next) = (init.height.0, self.next.0);
        let round_str = init.round.to_string();
        if h < next {
            return Err(StreamError::Stale(h));
        }
        let current = match self.round.as_u32() {
            Some(r) if h == next => r,
            _ => 0,
        };
        let far_round = match init.round.as_u32() {
            Some(r) => r > current.saturating_add(limits.rounds_ahead),
            None => true,
        };
        if h > next.saturating_add(limits.heights_ahead) || far_round {
            return Err(StreamError::TooFarAhead(h, round_str, next));
        }
        if let (Some(vr), Some(r)) = (init.valid_round.as_u32(), init.round.as_u32()) {
            if vr >= r {
                return Err(StreamError::Malformed(
                    id.to_string(),
                    "valid round not below the round",
                ));
            }
        }
        if init.block_bytes == 0 {
            return Err(StreamError::Malformed(
                id.to_string(),
                "declares an empty block",
            ));
        }
        if init.block_bytes > limits.max_stream_bytes {
            return Err(StreamError::TooLarge(
                id.to_string(),
                limits.max_stream_bytes,
            ));
        }
        // For heights above the next one the set may still change; the loop checks the proposer again against
        // the height's own set before it uses the stream.
        let proposer = YimaContext.select_proposer(self.validators, init.height, init.round);
        if proposer.address != init.proposer {
            return Err(StreamError::NotTheProposer(h, round_str, init.proposer));
        }
        if !verify_init(self.genesis, init, &proposer.public_key) {
            return Err(StreamError::BadSignature(id.to_string()));
        }
        Ok(())
    }
}

/// A stream being received.
enum Entry {
    /// Its `Init` has not arrived: messages held within the publisher's unverified allowance.
    Unverified {
        messages: BTreeMap<u64, StreamContent<ProposalPart>>,
        bytes: usize,
    },
    /// Its `Init` was verified: every part is checked against it.
    Admitted {
        init: PartInit,
        chunks: BTreeMap<u64, Vec<u8>>,
        ended: bool,
    },
    /// Complete, for a height above the next one: kept (and charged) until its height starts.
    Ready(CompleteStream),
}

struct Held {
    entry: Entry,
    touched: u64,
}

impl Held {
    /// (bytes, messages) charged to the publisher: what the `Init` declared once verified, what is held before.
    fn charge(&self) -> (u64, u64) {
        match &self.entry {
            Entry::Unverified { messages, bytes } => (*bytes as u64, messages.len() as u64),
            Entry::Admitted { init, .. } => (
                u64::from(init.block_bytes),
                stream_message_count(init.block_bytes),
            ),
            Entry::Ready(s) => (
                u64::from(s.init.block_bytes),
                stream_message_count(s.init.block_bytes),
            ),
        }
    }

    /// (bytes, messages) actually held in memory.
    fn held(&self) -> (u64, u64) {
        match &self.entry {
            Entry::Unverified { messages, bytes } => (*bytes as u64, messages.len() as u64),
            Entry::Admitted { chunks, .. } => (
                chunks.values().map(|c| c.len() as u64).sum(),
                chunks.len() as u64 + 1,
            ),
            Entry::Ready(s) => (s.block_bytes.len() as u64, 1),
        }
    }

    fn height(&self) -> Option<Height> {
        match &self.entry {
            Entry::Unverified { .. } => None,
            Entry::Admitted { init, .. } => Some(init.height),
            Entry::Ready(s) => Some(s.init.height),
        }
    }
}

type StreamKey = (PeerId, StreamId);

/// What outcome one accepted part has.
enum Step {
    /// Nothing more to do (buffered, or a duplicate).
    Held,
    /// The stream is complete.
    Complete,
}

/// Streams being received, bounded per publisher.
pub struct PartStreams {
    limits: StreamLimits,
    streams: BTreeMap<StreamKey, Held>,
    strikes: BTreeMap<PeerId, u32>,
    /// Per publisher, its latest refused streams (at most `max_unverified_messages`): their later parts are
    /// ignored instead of being held as parts ahead of an `Init`.
    refused: BTreeMap<PeerId, VecDeque<StreamId>>,
    clock: u64,
    /// The height of the last [`PartStreams::prune_below`].
    floor: Height,
}

impl PartStreams {
    /// An empty buffer with `limits`.
    pub fn new(limits: StreamLimits) -> Self {
        Self {
            limits,
            streams: BTreeMap::new(),
            strikes: BTreeMap::new(),
            refused: BTreeMap::new(),
            clock: 0,
            floor: Height(0),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> StreamLimits {
        self.limits
    }

    /// Sets the largest stream admitted from now on (from the chain's block limit); streams already admitted stay.
    pub fn set_max_stream_bytes(&mut self, max_stream_bytes: u32) {
        self.limits.max_stream_bytes = max_stream_bytes;
    }

    /// Streams held (partial or waiting for their height).
    pub fn len(&self) -> usize {
        self.streams.len()
    }

    /// Whether no stream is held.
    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    /// Bytes and messages held in memory for `publisher`'s streams.
    pub fn held_by(&self, publisher: &PeerId) -> (u64, u64) {
        self.of(publisher)
            .map(|(_, h)| h.held())
            .fold((0, 0), |(b, m), (hb, hm)| (b + hb, m + hm))
    }

    /// Bytes held in memory across all streams.
    pub fn held_bytes(&self) -> u64 {
        self.streams.values().map(|h| h.held().0).sum()
    }

    /// Strikes `publisher` earned this height.
    pub fn strikes(&self, publisher: &PeerId) -> u32 {
        self.strikes.get(publisher).copied().unwrap_or(0)
    }

    fn of<'a>(
        &'a self,
        publisher: &'a PeerId,
    ) -> impl Iterator<Item = (&'a StreamKey, &'a Held)> + 'a {
        self.streams
            .range((*publisher, StreamId::new(Bytes::new()))..)
            .take_while(move |(k, _)| k.0 == *publisher)
    }

    /// Adds a message. Returns a stream for `gate.next` once complete (streams for later heights are kept until
    /// [`PartStreams::take_ready`]); an error when the message is refused — the stream it belongs to is then
    /// dropped, except for a duplicate-free refusal of the message alone ([`StreamError::OverQuota`],
    /// [`StreamError::Ignored`], [`StreamError::NotAValidator`], [`StreamError::NoPublisher`]).
    pub fn insert(
        &mut self,
        gate: &Gate<'_>,
        published_by: Option<PeerId>,
        msg: StreamMessage<ProposalPart>,
    ) -> Result<Option<CompleteStream>, StreamError> {
        let publisher = published_by.ok_or(StreamError::NoPublisher)?;
        if self.strikes(&publisher) >= self.limits.strikes_before_ignore {
            return Err(StreamError::Ignored(publisher));
        }
        let result = self.insert_from(gate, publisher, msg);
        if let Err(e) = &result {
            // Strikes are kept for validators only: anyone can sign gossip under a fresh peer id, and a map of
            // those would grow without bound (a non-validator's parts are refused before any work anyway).
            if e.is_strike() && !matches!(e, StreamError::NotAValidator(_)) {
                *self.strikes.entry(publisher).or_insert(0) += 1;
            }
        }
        result
    }

    fn insert_from(
        &mut self,
        gate: &Gate<'_>,
        publisher: PeerId,
        msg: StreamMessage<ProposalPart>,
    ) -> Result<Option<CompleteStream>, StreamError> {
        if !gate.is_validator(&publisher) {
            return Err(StreamError::NotAValidator(publisher));
        }
        if self
            .refused
            .get(&publisher)
            .is_some_and(|ids| ids.contains(&msg.stream_id))
        {
            return Ok(None); // the rest of a stream refused before
        }
        self.clock += 1;
        let key = (publisher, msg.stream_id.clone());
        let sequence = msg.sequence;
        let mut content = Some(msg.content);
        let admitted = match self.streams.get_mut(&key) {
            Some(held) => {
                held.touched = self.clock;
                match &mut held.entry {
                    Entry::Ready(_) => return Ok(None), // a late duplicate
                    Entry::Unverified { messages, .. } if messages.contains_key(&sequence) => {
                        return Ok(None); // a duplicate
                    }
                    Entry::Unverified { .. } => None,
                    Entry::Admitted {
                        init,
                        chunks,
                        ended,
                    } => content
                        .take()
                        .map(|c| add_part(&key.1, init, chunks, ended, sequence, c)),
                }
            }
            None => None,
        };
        let step = match admitted {
            Some(Ok(step)) => step,
            Some(Err(e)) => return self.drop_with(&key, e),
            None => match content {
                Some(content) => self.first_or_early(gate, &key, sequence, content)?,
                None => return Ok(None),
            },
        };
        match step {
            Step::Held => Ok(None),
            Step::Complete => self.complete(gate, &key),
        }
    }

    /// A message for a stream whose `Init` has not been verified yet.
    fn first_or_early(
        &mut self,
        gate: &Gate<'_>,
        key: &StreamKey,
        sequence: u64,
        content: StreamContent<ProposalPart>,
    ) -> Result<Step, StreamError> {
        let id = &key.1;
        match content {
            StreamContent::Data(ProposalPart::Init(init)) => {
                if sequence != 0 {
                    return self.drop_with(
                        key,
                        StreamError::Malformed(id.to_string(), "Init not first"),
                    );
                }
                if let Err(e) = gate.admit(id, &init, &self.limits) {
                    return self.drop_with(key, e);
                }
                // Room for what the Init declares: the publisher's own oldest streams make way, nobody else's.
                let early = self.streams.remove(key);
                let need = (
                    u64::from(init.block_bytes),
                    stream_message_count(init.block_bytes),
                );
                if let Err(e) = self.make_room(&key.0, need) {
                    return self.drop_with(key, e);
                }
                let mut chunks = BTreeMap::new();
                let mut ended = false;
                let mut step = Step::Held;
                if let Some(Held {
                    entry: Entry::Unverified { messages, .. },
                    ..
                }) = early
                {
                    for (seq, content) in messages {
                        match add_part(id, &init, &mut chunks, &mut ended, seq, content) {
                            Ok(s) => step = s,
                            Err(e) => return self.drop_with(key, e),
                        }
                    }
                }
                self.streams.insert(
                    key.clone(),
                    Held {
                        entry: Entry::Admitted {
                            init,
                            chunks,
                            ended,
                        },
                        touched: self.clock,
                    },
                );
                Ok(step)
            }
            content => {
                let size = match &content {
                    StreamContent::Data(ProposalPart::Data(d)) => d.bytes.len(),
                    _ => 0,
                };
                if size > PART_CHUNK_BYTES {
                    return self.drop_with(
                        key,
                        StreamError::Malformed(id.to_string(), "a chunk larger than a chunk"),
                    );
                }
                let early: usize = self
                    .of(&key.0)
                    .map(|(_, h)| match &h.entry {
                        Entry::Unverified { messages, .. } => messages.len(),
                        _ => 0,
                    })
                    .sum();
                if early >= self.limits.max_unverified_messages {
                    return Err(StreamError::OverQuota(key.0));
                }
                let held = self.streams.entry(key.clone()).or_insert(Held {
                    entry: Entry::Unverified {
                        messages: BTreeMap::new(),
                        bytes: 0,
                    },
                    touched: self.clock,
                });
                held.touched = self.clock;
                if let Entry::Unverified { messages, bytes } = &mut held.entry {
                    messages.insert(sequence, content);
                    *bytes += size;
                }
                Ok(Step::Held)
            }
        }
    }

    /// Evicts `publisher`'s least recently touched streams until `need` more fits its quota.
    fn make_room(&mut self, publisher: &PeerId, need: (u64, u64)) -> Result<(), StreamError> {
        let (max_bytes, max_messages) = (
            self.limits.publisher_bytes(),
            self.limits.publisher_messages(),
        );
        loop {
            let (bytes, messages) = self
                .of(publisher)
                .map(|(_, h)| h.charge())
                .fold((0, 0), |(b, m), (hb, hm)| (b + hb, m + hm));
            if bytes + need.0 <= max_bytes && messages + need.1 <= max_messages {
                return Ok(());
            }
            let oldest = self
                .of(publisher)
                .min_by_key(|(_, h)| h.touched)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    self.streams.remove(&k);
                }
                None => return Err(StreamError::OverQuota(*publisher)),
            }
        }
    }

    /// Assembles a complete stream: returned for the next height, kept for a later one.
    fn complete(
        &mut self,
        gate: &Gate<'_>,
        key: &StreamKey,
    ) -> Result<Option<CompleteStream>, StreamError> {
        let Some(Held {
            entry: Entry::Admitted { init, chunks, .. },
            touched,
        }) = self.streams.remove(key)
        else {
            return Ok(None);
        };
        let mut block_bytes = Vec::with_capacity(init.block_bytes as usize);
        for chunk in chunks.into_values() {
            block_bytes.extend_from_slice(&chunk);
        }
        if block_digest(&block_bytes) != init.digest {
            let e = StreamError::Malformed(
                key.1.to_string(),
                "its bytes do not match the digest its Init signed",
            );
            return self.drop_with(key, e);
        }
        let stream = CompleteStream {
            published_by: Some(key.0),
            init,
            block_bytes,
        };
        if stream.init.height == gate.next {
            return Ok(Some(stream));
        }
        self.streams.insert(
            key.clone(),
            Held {
                entry: Entry::Ready(stream),
                touched,
            },
        );
        Ok(None)
    }

    /// Drops the stream `key` and ignores the rest of it.
    fn drop_with<T>(&mut self, key: &StreamKey, e: StreamError) -> Result<T, StreamError> {
        self.streams.remove(key);
        let ids = self.refused.entry(key.0).or_default();
        ids.push_back(key.1.clone());
        while ids.len() > self.limits.max_unverified_messages.max(1) {
            ids.pop_front();
        }
        Err(e)
    }

    /// Takes the complete streams kept for `height`.
    pub fn take_ready(&mut self, height: Height) -> Vec<CompleteStream> {
        let keys: Vec<StreamKey> = self
            .streams
            .iter()
            .filter(|(_, h)| matches!(&h.entry, Entry::Ready(s) if s.init.height == height))
            .map(|(k, _)| k.clone())
            .collect();
        keys.into_iter()
            .filter_map(|k| match self.streams.remove(&k) {
                Some(Held {
                    entry: Entry::Ready(s),
                    ..
                }) => Some(s),
                _ => None,
            })
            .collect()
    }

    /// Height `height` started: drops every stream below it and every stream whose `Init` has not arrived, and
    /// forgets the strikes of the height before. Nothing happens for a height already pruned to (a new round).
    pub fn prune_below(&mut self, height: Height) {
        if height <= self.floor {
            return;
        }
        self.floor = height;
        self.streams
            .retain(|_, h| h.height().is_some_and(|hh| hh >= height));
        self.strikes.clear();
        self.refused.clear();
    }
}

/// Adds one part to an admitted stream, checked against its `Init`.
fn add_part(
    id: &StreamId,
    init: &PartInit,
    chunks: &mut BTreeMap<u64, Vec<u8>>,
    ended: &mut bool,
    sequence: u64,
    content: StreamContent<ProposalPart>,
) -> Result<Step, StreamError> {
    let malformed = |why| Err(StreamError::Malformed(id.to_string(), why));
    let count = chunk_count(init.block_bytes);
    match content {
        StreamContent::Data(ProposalPart::Init(again)) => {
            if sequence != 0 || again != *init {
                return malformed("a second, different Init");
            }
            return Ok(Step::Held);
        }
        StreamContent::Data(ProposalPart::Data(d)) => {
            if sequence == 0 || sequence > count {
                return malformed("a chunk outside the declared size");
            }
            // Every chunk is full except the last, which holds the rest (never empty).
            let before = (sequence - 1) * PART_CHUNK_BYTES as u64;
            let expected = (u64::from(init.block_bytes) - before).min(PART_CHUNK_BYTES as u64);
            if d.bytes.len() as u64 != expected {
                return malformed("a chunk of the wrong size");
            }
            if chunks.contains_key(&sequence) {
                return Ok(Step::Held); // a duplicate
            }
            chunks.insert(sequence, d.bytes);
        }
        StreamContent::Data(ProposalPart::Fin(_)) => {
            return malformed("a Fin part (the signature travels in Init)")
        }
        StreamContent::Fin => {
            if sequence != count + 1 {
                return malformed("the end marker out of place");
            }
            *ended = true;
        }
    }
    if *ended && chunks.len() as u64 == count {
        Ok(Step::Complete)
    } else {
        Ok(Step::Held)
    }
}
