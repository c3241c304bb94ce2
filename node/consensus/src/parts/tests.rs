//! Tests of proposal streams: the format, honest streams, and the attacks of issue 12.

use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_core_types::{Context as _, Round};
use yima_frame::{AccountId, Hash};

use super::*;
use crate::context::{Address, Height, PartData, ProposalPart, ValidatorSet, YimaContext};
use crate::signing::ConsensusSigner;

const GENESIS: Hash = Hash([3; 32]);

/// Four validators with secrets `[1; 32]` … `[4; 32]`, in the runtime's order.
struct Net {
    signers: Vec<ConsensusSigner>,
    set: ValidatorSet,
}

impl Net {
    fn new() -> Self {
        let mut signers: Vec<_> = (1..=4u8)
            .map(|n| ConsensusSigner::new([n; 32], GENESIS))
            .collect();
        signers.sort_by_key(|s| *s.public_key().as_bytes());
        let members: Vec<_> = signers
            .iter()
            .map(|s| yima_membership::Validator {
                key: AccountId(*s.public_key().as_bytes()),
                power: 1,
            })
            .collect();
        Self {
            set: ValidatorSet::from_membership(&members).unwrap(),
            signers,
        }
    }

    fn gate(&self, next: u64, round: u32) -> Gate<'_> {
        Gate {
            genesis: &GENESIS,
            next: Height(next),
            round: Round::new(round),
            validators: &self.set,
        }
    }

    /// The signer proposing `(height, round)`.
    fn proposer(&self, height: u64, round: u32) -> &ConsensusSigner {
        let who = YimaContext
            .select_proposer(&self.set, Height(height), Round::new(round))
            .address;
        self.signers
            .iter()
            .find(|s| Address::from(&s.public_key()) == who)
            .unwrap()
    }

    /// A validator that does not propose `(height, round)`.
    fn other(&self, height: u64, round: u32) -> &ConsensusSigner {
        let p = self.proposer(height, round).public_key();
        self.signers.iter().find(|s| s.public_key() != p).unwrap()
    }

    /// `signer`'s stream of `bytes` for `(height, round)`, claiming `signer` proposes.
    fn stream(
        &self,
        signer: &ConsensusSigner,
        height: u64,
        round: u32,
        nonce: u64,
        bytes: &[u8],
    ) -> Vec<StreamMessage<ProposalPart>> {
        let init = signed_init(
            Height(height),
            Round::new(round),
            Round::Nil,
            Address::from(&signer.public_key()),
            bytes,
            |i| signer.sign_init(i),
        );
        stream_messages(stream_id(Height(height), round, nonce), init, bytes)
    }
}

fn peer(s: &ConsensusSigner) -> Option<PeerId> {
    Some(peer_of(&s.public_key()))
}

fn block(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7) as u8).collect()
}

fn data(id: &StreamId, seq: u64, len: usize) -> StreamMessage<ProposalPart> {
    StreamMessage::new(
        id.clone(),
        seq,
        StreamContent::Data(ProposalPart::Data(PartData {
            bytes: vec![0xab; len],
        })),
    )
}

/// Feeds `msgs`; the complete streams and the errors.
fn feed(
    streams: &mut PartStreams,
    gate: &Gate<'_>,
    from: Option<PeerId>,
    msgs: Vec<StreamMessage<ProposalPart>>,
) -> (Vec<CompleteStream>, Vec<StreamError>) {
    let (mut done, mut errors) = (Vec::new(), Vec::new());
    for m in msgs {
        match streams.insert(gate, from, m) {
            Ok(c) => done.extend(c),
            Err(e) => errors.push(e),
        }
    }
    (done, errors)
}

#[test]
fn a_libp2p_identity_from_the_consensus_secret_has_the_derived_peer_id() {
    let mut seed = [9u8; 32];
    let key = malachitebft_app_channel::app::types::Keypair::ed25519_from_bytes(&mut seed).unwrap();
    let expected = PeerId::from_bytes(&key.public().to_peer_id().to_bytes()).unwrap();
    let signer = ConsensusSigner::new([9; 32], GENESIS);
    assert_eq!(peer_of(&signer.public_key()), expected);
}

#[test]
fn a_full_size_block_streams_and_reassembles_in_any_order_ignoring_duplicates() {
    let net = Net::new();
    let gate = net.gate(4, 1);
    let proposer = net.proposer(4, 1);
    let limits = StreamLimits::default();
    // The largest block the chain allows.
    let bytes = block(limits.max_stream_bytes as usize);
    let mut msgs = net.stream(proposer, 4, 1, 0, &bytes);
    assert_eq!(
        msgs.len() as u64,
        stream_message_count(limits.max_stream_bytes)
    );
    // Init first (it is published first); the rest reversed, with a duplicate.
    let init = msgs.remove(0);
    msgs.reverse();
    let dup = msgs[2].clone();
    msgs.insert(3, dup);
    msgs.insert(0, init);
    let mut streams = PartStreams::new(limits);
    let (done, errors) = feed(&mut streams, &gate, peer(proposer), msgs);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].block_bytes, bytes);
    assert!(streams.is_empty());
}

#[test]
fn a_few_parts_ahead_of_their_init_are_held_until_it_arrives() {
    let net = Net::new();
    let gate = net.gate(4, 0);
    let proposer = net.proposer(4, 0);
    let bytes = block(PART_CHUNK_BYTES * 3 + 5);
    let mut msgs = net.stream(proposer, 4, 0, 0, &bytes);
    msgs.reverse(); // end marker, 4 chunks, then Init
    let mut streams = PartStreams::new(StreamLimits::default());
    let (done, errors) = feed(&mut streams, &gate, peer(proposer), msgs);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].block_bytes, bytes);
}

#[test]
fn a_restream_by_another_validator_with_the_original_signature_is_admitted() {
    let net = Net::new();
    let gate = net.gate(4, 0);
    let proposer = net.proposer(4, 0);
    let relay = net.other(4, 0);
    let bytes = block(1000);
    let msgs = net.stream(proposer, 4, 0, 7, &bytes);
    let mut streams = PartStreams::new(StreamLimits::default());
    let (done, errors) = feed(&mut streams, &gate, peer(relay), msgs);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].published_by, peer(relay));
}

// ---- Attacks of issue 12 ("Consensus parts"): each passed against the earlier buffer (the attack worked).

#[test]
fn attack_a_non_proposers_stream_is_not_buffered() {
    let net = Net::new();
    let gate = net.gate(4, 1);
    let mut streams = PartStreams::new(StreamLimits::default());
    let bytes = block(PART_CHUNK_BYTES * 64);

    // A validator whose turn it is not, signing its own Init: refused at the Init, nothing buffered.
    let intruder = net.other(4, 1);
    let (done, errors) = feed(
        &mut streams,
        &gate,
        peer(intruder),
        net.stream(intruder, 4, 1, 0, &bytes),
    );
    assert!(done.is_empty());
    assert!(matches!(errors[0], StreamError::NotTheProposer(..)));
    assert!(streams.held_bytes() <= (PART_CHUNK_BYTES * 8) as u64);
    assert!(streams.strikes(&peer(intruder).unwrap()) >= 1);

    // The proposer's name with a signature that is not the proposer's.
    let proposer = net.proposer(4, 1);
    let mut msgs = net.stream(proposer, 4, 1, 1, &bytes);
    if let StreamContent::Data(ProposalPart::Init(init)) = &mut msgs[0].content {
        init.signature = intruder.sign_init(init);
    }
    let mut streams = PartStreams::new(StreamLimits::default());
    let (done, errors) = feed(&mut streams, &gate, peer(intruder), msgs);
    assert!(done.is_empty());
    assert!(matches!(errors[0], StreamError::BadSignature(_)));
    assert!(streams.held_bytes() <= (PART_CHUNK_BYTES * 8) as u64);

    // A stranger (no validator) publishing the real proposer's stream: refused from the first message.
    let stranger = ConsensusSigner::new([66; 32], GENESIS);
    let mut streams = PartStreams::new(StreamLimits::default());
    let (done, errors) = feed(
        &mut streams,
        &gate,
        peer(&stranger),
        net.stream(proposer, 4, 1, 2, &bytes),
    );
    assert!(done.is_empty());
    assert_eq!(errors.len(), 1 + 64 + 1);
    assert!(errors
        .iter()
        .all(|e| matches!(e, StreamError::NotAValidator(_))));
    assert!(streams.is_empty());
    assert_eq!(
        streams.strikes(&peer(&stranger).unwrap()),
        0,
        "no state kept for strangers"
    );

    // Parts whose Init never comes: only the unverified allowance is held.
    let mut streams = PartStreams::new(StreamLimits::default());
    let id = stream_id(Height(4), 1, 3);
    let msgs = (1..=64).map(|s| data(&id, s, PART_CHUNK_BYTES)).collect();
    let (_, errors) = feed(&mut streams, &gate, peer(intruder), msgs);
    assert_eq!(errors.len(), 64 - 8);
    assert_eq!(
        streams.held_by(&peer(intruder).unwrap()),
        ((8 * PART_CHUNK_BYTES) as u64, 8)
    );
}

#[test]
fn attack_one_publisher_cannot_exceed_its_quota_and_others_streams_complete() {
    let net = Net::new();
    let gate = net.gate(4, 0);
    let limits = StreamLimits {
        max_stream_bytes: (PART_CHUNK_BYTES * 16) as u32,
        ..StreamLimits::default()
    };
    let mut streams = PartStreams::new(limits);
    let honest = net.proposer(4, 0);
    let honest_bytes = block(PART_CHUNK_BYTES * 2);
    let mut honest_msgs = net.stream(honest, 4, 0, 0, &honest_bytes);
    let last = honest_msgs.pop().unwrap();
    let (_, errors) = feed(&mut streams, &gate, peer(honest), honest_msgs);
    assert!(errors.is_empty());

    // A hostile validator replays properly signed Inits (its own rounds, every round it may) with partial
    // data, over and over.
    let attacker = net.other(4, 0);
    let attacker_peer = peer(attacker).unwrap();
    let big = block(limits.max_stream_bytes as usize);
    for n in 0..40u64 {
        let round = (0..=limits.rounds_ahead)
            .find(|r| net.proposer(4, *r).public_key() == attacker.public_key())
            .unwrap();
        let mut msgs = net.stream(attacker, 4, round, 100 + n, &big);
        msgs.truncate(msgs.len() - 2);
        feed(&mut streams, &gate, Some(attacker_peer), msgs);
        let (bytes, messages) = streams.held_by(&attacker_peer);
        assert!(bytes <= limits.publisher_bytes(), "{bytes}");
        assert!(messages <= limits.publisher_messages(), "{messages}");
    }
    // The honest proposer's stream was never displaced.
    let (done, errors) = feed(&mut streams, &gate, peer(honest), vec![last]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].block_bytes, honest_bytes);
}

#[test]
fn attack_streams_for_far_future_heights_or_rounds_are_refused() {
    let net = Net::new();
    let gate = net.gate(4, 0);
    let limits = StreamLimits::default();
    let mut streams = PartStreams::new(limits);
    let bytes = block(PART_CHUNK_BYTES * 32);
    let far = 4 + limits.heights_ahead + 1;
    let p = net.proposer(far, 0);
    let (done, errors) = feed(
        &mut streams,
        &gate,
        peer(p),
        net.stream(p, far, 0, 0, &bytes),
    );
    assert!(done.is_empty());
    assert!(matches!(errors[0], StreamError::TooFarAhead(..)));
    assert!(streams.held_bytes() <= (PART_CHUNK_BYTES * 8) as u64);

    let far_round = limits.rounds_ahead + 1;
    let p = net.proposer(4, far_round);
    let mut streams = PartStreams::new(limits);
    let (_, errors) = feed(
        &mut streams,
        &gate,
        peer(p),
        net.stream(p, 4, far_round, 0, &bytes),
    );
    assert!(matches!(errors[0], StreamError::TooFarAhead(..)));

    // The next height but one is kept, complete, until its height starts.
    let p = net.proposer(5, 0);
    let small = block(1000);
    let (done, errors) = feed(&mut streams, &gate, peer(p), net.stream(p, 5, 0, 1, &small));
    assert!(errors.is_empty() && done.is_empty());
    assert!(streams.take_ready(Height(4)).is_empty());
    let ready = streams.take_ready(Height(5));
    assert_eq!(ready.len(), 1);
    assert_eq!(ready[0].block_bytes, small);
}

#[test]
fn attack_a_zero_byte_part_flood_is_bounded() {
    let net = Net::new();
    let gate = net.gate(4, 1);
    let p = net.proposer(4, 1);
    let mut streams = PartStreams::new(StreamLimits::default());
    // Ahead of an Init: only the unverified allowance.
    let id = stream_id(Height(4), 1, 0);
    let flood = (1..=200_000u64).map(|s| data(&id, s, 0)).collect();
    feed(&mut streams, &gate, peer(p), flood);
    assert_eq!(streams.held_by(&peer(p).unwrap()).1, 8);

    // After a valid Init: a zero-byte part is malformed, drops the stream and earns a strike.
    let mut streams = PartStreams::new(StreamLimits::default());
    let mut msgs = net.stream(p, 4, 1, 1, &block(1000));
    msgs.truncate(1);
    let id = msgs[0].stream_id.clone();
    msgs.extend((1..=1000u64).map(|s| data(&id, s, 0)));
    let (done, errors) = feed(&mut streams, &gate, peer(p), msgs);
    assert!(done.is_empty());
    assert!(
        matches!(errors[..], [StreamError::Malformed(..)]),
        "{errors:?}"
    );
    assert_eq!(streams.held_by(&peer(p).unwrap()), (0, 0));
    assert_eq!(streams.strikes(&peer(p).unwrap()), 1);

    // Streams of zero-byte parts, one after another: every one refused, the publisher soon ignored.
    let mut errors = Vec::new();
    for n in 2..20u64 {
        let mut msgs = net.stream(p, 4, 1, n, &block(1000));
        msgs[1] = data(&msgs[1].stream_id, 1, 0);
        errors.extend(feed(&mut streams, &gate, peer(p), msgs).1);
    }
    let strikes = StreamLimits::default().strikes_before_ignore as usize;
    assert!(errors
        .iter()
        .skip(strikes)
        .all(|e| matches!(e, StreamError::Ignored(_))));
    assert_eq!(streams.held_by(&peer(p).unwrap()), (0, 0));
}

#[test]
fn attack_an_end_marker_at_u64_max_is_refused_without_panic() {
    let net = Net::new();
    let gate = net.gate(4, 1);
    let p = net.proposer(4, 1);
    let mut streams = PartStreams::new(StreamLimits::default());
    let mut msgs = net.stream(p, 4, 1, 0, &block(1000));
    let id = msgs[0].stream_id.clone();
    // Ahead of its Init, then with it.
    let r = streams.insert(
        &gate,
        peer(p),
        StreamMessage::new(id.clone(), u64::MAX, StreamContent::Fin),
    );
    assert!(r.unwrap().is_none());
    let init = msgs.remove(0);
    assert!(matches!(
        streams.insert(&gate, peer(p), init.clone()),
        Err(StreamError::Malformed(..))
    ));
    // The rest of that stream is ignored.
    assert!(streams.insert(&gate, peer(p), init).unwrap().is_none());
    assert!(streams.is_empty());
    // After its Init.
    let mut msgs = net.stream(p, 4, 1, 1, &block(1000));
    let id = msgs[0].stream_id.clone();
    assert!(streams
        .insert(&gate, peer(p), msgs.remove(0))
        .unwrap()
        .is_none());
    assert!(matches!(
        streams.insert(
            &gate,
            peer(p),
            StreamMessage::new(id, u64::MAX, StreamContent::Fin)
        ),
        Err(StreamError::Malformed(..))
    ));
    assert!(streams.is_empty());
}

#[test]
fn attack_a_stream_beyond_the_chains_byte_limit_is_refused_at_its_init() {
    let net = Net::new();
    let gate = net.gate(4, 1);
    let p = net.proposer(4, 1);
    // The chain allows 1 MiB of transactions per block.
    let mut streams = PartStreams::new(StreamLimits {
        max_stream_bytes: max_stream_bytes(1024 * 1024),
        ..StreamLimits::default()
    });
    let bytes = block(17 * 1024 * 1024);
    let (done, errors) = feed(&mut streams, &gate, peer(p), net.stream(p, 4, 1, 0, &bytes));
    assert!(done.is_empty());
    assert!(matches!(errors[0], StreamError::TooLarge(..)));
    assert!(streams.held_bytes() <= (PART_CHUNK_BYTES * 8) as u64);

    // An Init that understates the size cannot smuggle more: a chunk past it is malformed.
    let small = signed_init(
        Height(4),
        Round::new(1),
        Round::Nil,
        Address::from(&p.public_key()),
        &bytes[..1000],
        |i| p.sign_init(i),
    );
    let mut msgs = stream_messages(stream_id(Height(4), 1, 1), small, &bytes);
    msgs.truncate(3);
    let mut streams = PartStreams::new(StreamLimits::default());
    let (_, errors) = feed(&mut streams, &gate, peer(p), msgs);
    assert!(matches!(errors[0], StreamError::Malformed(..)));
    assert!(streams.is_empty());
}

#[test]
fn data_that_does_not_match_the_signed_digest_is_refused() {
    let net = Net::new();
    let gate = net.gate(4, 1);
    let p = net.proposer(4, 1);
    let mut msgs = net.stream(p, 4, 1, 0, &block(1000));
    if let StreamContent::Data(ProposalPart::Data(d)) = &mut msgs[1].content {
        d.bytes[0] ^= 1;
    }
    let mut streams = PartStreams::new(StreamLimits::default());
    let (done, errors) = feed(&mut streams, &gate, peer(p), msgs);
    assert!(done.is_empty());
    assert!(matches!(errors[..], [StreamError::Malformed(..)]));
}

#[test]
fn a_new_height_drops_older_streams_and_strikes() {
    let net = Net::new();
    let gate = net.gate(4, 0);
    let p = net.proposer(4, 0);
    let mut streams = PartStreams::new(StreamLimits::default());
    let mut msgs = net.stream(p, 4, 0, 0, &block(PART_CHUNK_BYTES * 2));
    msgs.truncate(2);
    feed(&mut streams, &gate, peer(p), msgs);
    let intruder = net.other(4, 0);
    feed(
        &mut streams,
        &gate,
        peer(intruder),
        net.stream(intruder, 4, 0, 1, &block(10)),
    );
    assert_eq!(streams.len(), 1);
    assert_eq!(streams.strikes(&peer(intruder).unwrap()), 1);
    streams.prune_below(Height(4));
    assert_eq!(streams.len(), 1);
    streams.prune_below(Height(5));
    assert!(streams.is_empty());
    assert_eq!(streams.strikes(&peer(intruder).unwrap()), 0);
}
