//! Untrusted proposal part streams → `PartStreams`, the reassembly the node runs on every part it receives: a
//! sequence of operations delivers honest streams of the four validators (signed `Init`s, their chunks, the end
//! marker) in any order, with duplicates, from the wrong publisher, with altered parts, or as raw wire bytes
//! decoded with `YimaCodec`, while the node's height and round move on. It must never panic, never hold more
//! than a publisher's quota, and every stream it hands out must be what its signed `Init` declares, for the
//! height asked.
#![no_main]

use arbitrary::Arbitrary;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamMessage};
use malachitebft_app_channel::app::types::codec::Codec;
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_core_types::Round;
use yima_consensus::context::{Address, PartData, ProposalPart, ValidatorSet};
use yima_consensus::parts::{
    block_digest, peer_of, signed_init, stream_id, stream_messages, CompleteStream, Gate,
    PartStreams, StreamLimits, PART_CHUNK_BYTES,
};
use yima_consensus::signing::ConsensusSigner;
use yima_consensus::{Height, YimaCodec};
use yima_frame::{AccountId, Hash};

const GENESIS: Hash = Hash([3; 32]);

#[derive(Arbitrary, Debug)]
enum Op {
    /// `signer` cuts a block of `len` bytes for height next + `dh`, round `round`, into a stream (kept aside).
    Cut {
        signer: u8,
        dh: u8,
        round: u8,
        valid_round: Option<u8>,
        nonce: u8,
        len: u32,
        fill: u8,
    },
    /// Delivers message `msg` of cut stream `stream`, published by `from`.
    Deliver { stream: u8, msg: u8, from: u8 },
    /// Delivers every message of cut stream `stream` from its signer, in order.
    DeliverAll { stream: u8 },
    /// A data part on cut stream `stream`'s id at any sequence, with any bytes.
    Forge {
        stream: u8,
        from: u8,
        sequence: u64,
        len: u16,
        fill: u8,
        end: bool,
    },
    /// Raw wire bytes of a stream message.
    Wire { from: u8, bytes: Vec<u8> },
    /// The node decides its height: `by` heights later.
    Advance { by: u8 },
    /// A new round at the next height.
    NewRound { round: u8 },
}

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
        let set = ValidatorSet::from_membership(&members).expect("four validators");
        Self { signers, set }
    }

    /// A publisher: one of the four validators, an outsider, or none.
    fn publisher(&self, from: u8) -> Option<PeerId> {
        match from % 6 {
            n @ 0..=3 => Some(peer_of(&self.signers[n as usize].public_key())),
            4 => Some(peer_of(
                &ConsensusSigner::new([9; 32], GENESIS).public_key(),
            )),
            _ => None,
        }
    }
}

/// A block length: mostly small, sometimes a few chunks.
fn block_len(len: u32) -> usize {
    if len & 3 != 0 {
        (len >> 2) as usize % 1024 + 1
    } else {
        (len >> 2) as usize % (2 * PART_CHUNK_BYTES + 1024) + 1
    }
}

fn check_complete(stream: &CompleteStream, height: Height) {
    assert_eq!(
        stream.init.height, height,
        "a stream is handed out for its own height"
    );
    assert_eq!(stream.block_bytes.len(), stream.init.block_bytes as usize);
    assert_eq!(block_digest(&stream.block_bytes), stream.init.digest);
}

fuzz_target!(|ops: Vec<Op>| {
    let net = Net::new();
    let limits = StreamLimits::default();
    let mut streams = PartStreams::new(limits);
    let mut cut: Vec<(usize, Vec<StreamMessage<ProposalPart>>)> = Vec::new();
    let (mut next, mut round) = (Height(1), Round::new(0));
    for op in ops.into_iter().take(64) {
        let gate = Gate {
            genesis: &GENESIS,
            next,
            round,
            validators: &net.set,
        };
        let mut insert = |from: Option<PeerId>, msg: StreamMessage<ProposalPart>| {
            if let Ok(Some(done)) = streams.insert(&gate, from, msg) {
                check_complete(&done, next);
            }
        };
        match op {
            Op::Cut {
                signer,
                dh,
                round,
                valid_round,
                nonce,
                len,
                fill,
            } => {
                let who = signer as usize % 4;
                let s = &net.signers[who];
                let height = Height(next.0 + u64::from(dh % 4));
                let bytes = vec![fill; block_len(len)];
                let init = signed_init(
                    height,
                    Round::new(u32::from(round % 8)),
                    valid_round.map_or(Round::Nil, |r| Round::new(u32::from(r % 8))),
                    Address::from(&s.public_key()),
                    &bytes,
                    |i| s.sign_init(i),
                );
                let id = stream_id(height, u32::from(round % 8), u64::from(nonce));
                if cut.len() < 16 {
                    cut.push((who, stream_messages(id, init, &bytes)));
                }
            }
            Op::Deliver { stream, msg, from } => {
                if let Some((_, msgs)) = cut.get(stream as usize % cut.len().max(1)) {
                    let m = msgs[msg as usize % msgs.len()].clone();
                    insert(net.publisher(from), m);
                }
            }
            Op::DeliverAll { stream } => {
                if let Some((who, msgs)) = cut.get(stream as usize % cut.len().max(1)) {
                    for m in msgs.clone() {
                        insert(net.publisher(*who as u8), m);
                    }
                }
            }
            Op::Forge {
                stream,
                from,
                sequence,
                len,
                fill,
                end,
            } => {
                if let Some((_, msgs)) = cut.get(stream as usize % cut.len().max(1)) {
                    let content = if end {
                        StreamContent::Fin
                    } else {
                        StreamContent::Data(ProposalPart::Data(PartData {
                            bytes: vec![fill; len as usize % (PART_CHUNK_BYTES + 2)],
                        }))
                    };
                    let m = StreamMessage::new(msgs[0].stream_id.clone(), sequence, content);
                    insert(net.publisher(from), m);
                }
            }
            Op::Wire { from, bytes } => {
                let decoded: Result<StreamMessage<ProposalPart>, _> =
                    YimaCodec.decode(Bytes::from(bytes));
                if let Ok(m) = decoded {
                    insert(net.publisher(from), m);
                }
            }
            Op::Advance { by } => {
                next = Height(next.0 + u64::from(by % 3) + 1);
                round = Round::new(0);
                streams.prune_below(next);
                for done in streams.take_ready(next) {
                    check_complete(&done, next);
                }
            }
            Op::NewRound { round: r } => round = Round::new(u32::from(r % 8)),
        }
        for s in &net.signers {
            let (bytes, messages) = streams.held_by(&peer_of(&s.public_key()));
            assert!(
                bytes <= limits.publisher_bytes(),
                "{bytes} bytes held for one publisher"
            );
            assert!(
                messages <= limits.publisher_messages(),
                "{messages} messages held for one publisher"
            );
        }
    }
});
