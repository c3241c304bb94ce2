//! Codec tests: round trips of every encoded type and robustness against malformed bytes.

use malachitebft_app_channel::app::consensus::LivenessMsg;
use proptest::prelude::*;

use super::*;
use crate::context::{PartData, PartFin, PartInit};

fn test_peer(n: u8) -> PeerId {
    let mut seed = [n; 32];
    let key = malachitebft_app_channel::app::types::Keypair::ed25519_from_bytes(&mut seed).unwrap();
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
        (
            (any::<u64>(), arb_round(), arb_round(), arb_address()),
            (any::<u32>(), arb_hash(), arb_sig())
        )
            .prop_map(|((h, r, vr, a), (len, digest, signature))| {
                ProposalPart::Init(PartInit {
                    height: Height(h),
                    round: r,
                    valid_round: vr,
                    proposer: a,
                    block_bytes: len,
                    digest,
                    signature,
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
    assert!(Codec::<sync::Response<YimaContext>>::decode(&YimaCodec, Bytes::from(bytes)).is_err());
}
