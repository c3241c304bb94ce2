//! Every public type SCALE-round-trips, the codec indices that transactions, events and storage keys depend on
//! are fixed, a lot subject encodes like trace's `LotKey`, and the attestation id is the documented hash.

use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;
use yima_codes::{Gtin, LotNumber, ProductId, SerialNumber, TraceCode};
use yima_frame::{sha256, AccountId, Hash};
use yima_membership::{OrgKind, Uscc};

use crate::mock::uscc_of;
use crate::{
    attestation_id, Attestation, AttestationError, Call, Event, GenesisSchema, LotRef,
    PseudonymousId, Revocation, Schema, Subject, SubjectKind, ATTESTATION_ID_TAG,
};

const KINDS: [OrgKind; 6] = [
    OrgKind::Regulator,
    OrgKind::Customs,
    OrgKind::Cdc,
    OrgKind::InspectionBody,
    OrgKind::Hospital,
    OrgKind::SupervisedWarehouse,
];

const ERRORS: [AttestationError; 6] = [
    AttestationError::NotFound,
    AttestationError::WrongSubject,
    AttestationError::WrongSchema,
    AttestationError::Revoked,
    AttestationError::Expired,
    AttestationError::NotYetValid,
];

fn hash() -> impl Strategy<Value = Hash> {
    any::<[u8; 32]>().prop_map(Hash)
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn gtin() -> impl Strategy<Value = Gtin> {
    (1u64..10_000_000_000_000).prop_map(|body| {
        let body = format!("{body:013}");
        let check = yima_codes::gs1_check_digit(body.as_bytes());
        Gtin::parse(&format!("{body}{check}")).unwrap()
    })
}

fn cset82() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,20}"
}

fn lot_ref() -> impl Strategy<Value = LotRef> {
    (gtin(), cset82()).prop_map(|(gtin, lot)| LotRef {
        product: ProductId::Gtin(gtin),
        lot: LotNumber::parse(&lot).unwrap(),
    })
}

fn kind() -> impl Strategy<Value = SubjectKind> {
    proptest::sample::select(SubjectKind::ALL.to_vec())
}

fn subject() -> impl Strategy<Value = Subject> {
    prop_oneof![
        (gtin(), cset82()).prop_map(|(gtin, serial)| Subject::Code(TraceCode::Sgtin {
            gtin,
            serial: SerialNumber::parse(&serial).unwrap()
        })),
        lot_ref().prop_map(Subject::Lot),
        (0u32..10_000).prop_map(|n| Subject::Organisation(uscc_of(n))),
        bytes(80).prop_map(Subject::Equipment),
        bytes(80).prop_map(Subject::Location),
        any::<[u8; 32]>().prop_map(|b| Subject::Person(PseudonymousId(b))),
    ]
}

fn issuers() -> impl Strategy<Value = Vec<OrgKind>> {
    proptest::sample::subsequence(KINDS.to_vec(), 0..=KINDS.len())
}

fn schema() -> impl Strategy<Value = Schema> {
    (
        bytes(40),
        any::<u16>(),
        issuers(),
        kind(),
        any::<Option<u32>>(),
        any::<bool>(),
    )
        .prop_map(
            |(name, version, issuers, subject, max_validity_days, active)| Schema {
                name,
                version,
                issuers,
                subject,
                max_validity_days,
                active,
            },
        )
}

fn revocation() -> impl Strategy<Value = Revocation> {
    (any::<u32>(), hash(), any::<u64>(), any::<u64>()).prop_map(|(by, reason, at, time)| {
        Revocation {
            by,
            reason,
            at,
            time,
        }
    })
}

fn attestation() -> impl Strategy<Value = Attestation> {
    (
        (
            any::<u32>(),
            any::<u32>(),
            any::<[u8; 32]>(),
            subject(),
            hash(),
        ),
        (
            proptest::option::of(bytes(300)),
            any::<u64>(),
            any::<Option<u64>>(),
            any::<u64>(),
            proptest::option::of(revocation()),
        ),
    )
        .prop_map(
            |(
                (schema, issuer_org, issuer, subject, digest),
                (uri, valid_from, valid_until, issued_at, revoked),
            )| Attestation {
                schema,
                issuer_org,
                issuer: AccountId(issuer),
                subject,
                digest,
                uri,
                valid_from,
                valid_until,
                issued_at,
                revoked,
            },
        )
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (
            bytes(40),
            any::<u16>(),
            issuers(),
            kind(),
            any::<Option<u32>>()
        )
            .prop_map(|(name, version, issuers, subject, max_validity_days)| {
                Call::RegisterSchema {
                    name,
                    version,
                    issuers,
                    subject,
                    max_validity_days,
                }
            }),
        any::<u32>().prop_map(|id| Call::DeactivateSchema { id }),
        (
            any::<u32>(),
            subject(),
            hash(),
            proptest::option::of(bytes(300)),
            any::<u64>(),
            any::<Option<u64>>()
        )
            .prop_map(|(schema, subject, digest, uri, valid_from, valid_until)| {
                Call::Attest {
                    schema,
                    subject,
                    digest,
                    uri,
                    valid_from,
                    valid_until,
                }
            }),
        (hash(), hash()).prop_map(|(id, reason)| Call::Revoke { id, reason }),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (any::<u32>(), bytes(40), any::<u16>())
            .prop_map(|(id, name, version)| Event::SchemaRegistered { id, name, version }),
        any::<u32>().prop_map(|id| Event::SchemaDeactivated { id }),
        (hash(), any::<u32>(), subject(), any::<u32>()).prop_map(
            |(id, schema, subject, issuer_org)| Event::Attested {
                id,
                schema,
                subject,
                issuer_org,
            }
        ),
        (hash(), any::<u32>(), hash()).prop_map(|(id, by, reason)| Event::Revoked {
            id,
            by,
            reason
        }),
    ]
}

fn genesis_schema() -> impl Strategy<Value = GenesisSchema> {
    (
        any::<u32>(),
        "\\PC{0,20}",
        any::<u16>(),
        issuers(),
        kind(),
        any::<Option<u32>>(),
    )
        .prop_map(
            |(id, name, version, issuers, subject, max_validity_days)| GenesisSchema {
                id,
                name,
                version,
                issuers,
                subject,
                max_validity_days,
            },
        )
}

fn round_trips<T: Encode + Decode + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = value.encode();
    let mut input = &bytes[..];
    assert_eq!(&T::decode(&mut input).unwrap(), value);
    assert!(input.is_empty(), "trailing bytes after decoding {value:?}");
}

proptest! {
    #[test]
    fn subject_kinds_round_trip(v in kind()) { round_trips(&v) }

    #[test]
    fn subjects_round_trip(v in subject()) {
        round_trips(&v);
        prop_assert_eq!(v.kind().encode()[0], v.encode()[0], "a subject's index is its kind's");
    }

    #[test]
    fn lot_refs_round_trip_and_encode_like_trace_lot_keys(v in lot_ref()) {
        round_trips(&v);
        let key = yima_trace::types::LotKey { product: v.product, lot: v.lot };
        prop_assert_eq!(v.encode(), key.encode());
    }

    #[test]
    fn schemas_round_trip(v in schema()) { round_trips(&v) }

    #[test]
    fn revocations_round_trip(v in revocation()) { round_trips(&v) }

    #[test]
    fn attestations_round_trip(v in attestation()) { round_trips(&v) }

    #[test]
    fn calls_round_trip(v in call()) { round_trips(&v) }

    #[test]
    fn events_round_trip(v in event()) { round_trips(&v) }

    #[test]
    fn errors_round_trip(v in proptest::sample::select(ERRORS.to_vec())) { round_trips(&v) }

    #[test]
    fn genesis_schemas_round_trip_through_json(v in genesis_schema()) {
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<GenesisSchema>(&json).unwrap(), v);
    }

    #[test]
    fn ids_differ_when_any_input_differs(
        schema in any::<u32>(), org in any::<u32>(), s in subject(), d in hash(), other in subject(),
    ) {
        let id = attestation_id(schema, org, &s, &d);
        prop_assert_eq!(id, attestation_id(schema, org, &s.clone(), &d));
        prop_assert_ne!(id, attestation_id(schema.wrapping_add(1), org, &s, &d));
        prop_assert_ne!(id, attestation_id(schema, org.wrapping_add(1), &s, &d));
        if other != s {
            prop_assert_ne!(id, attestation_id(schema, org, &other, &d));
        }
    }
}

#[test]
fn codec_indices_are_stable() {
    for (i, kind) in SubjectKind::ALL.iter().enumerate() {
        assert_eq!(kind.encode(), vec![i as u8], "{kind:?}");
    }
    for (i, e) in ERRORS.iter().enumerate() {
        assert_eq!(e.encode(), vec![i as u8], "{e:?}");
    }
    assert_eq!(
        Call::DeactivateSchema { id: 7 }.encode(),
        vec![1, 7, 0, 0, 0]
    );
    assert_eq!(
        Call::Revoke {
            id: Hash([1; 32]),
            reason: Hash([2; 32])
        }
        .encode()[0],
        3
    );
    assert_eq!(
        Event::SchemaDeactivated { id: 7 }.encode(),
        vec![1, 7, 0, 0, 0]
    );
    assert_eq!(
        Subject::Person(PseudonymousId([9; 32])).encode(),
        [&[5u8][..], &[9; 32]].concat()
    );
    assert_eq!(
        Subject::Equipment(b"E1".to_vec()).encode(),
        vec![3, 2 << 2, b'E', b'1']
    );
    let uscc = Uscc::parse("91350100M000100Y43").unwrap();
    assert_eq!(
        Subject::Organisation(uscc).encode(),
        [&[2u8][..], b"91350100M000100Y43"].concat()
    );
}

#[test]
fn the_attestation_id_is_the_documented_hash() {
    let subject = Subject::Equipment(b"E1".to_vec());
    let digest = Hash([0xab; 32]);
    let mut preimage = Vec::new();
    preimage.push((ATTESTATION_ID_TAG.len() as u8) << 2); // compact length (< 64)
    preimage.extend_from_slice(ATTESTATION_ID_TAG);
    preimage.extend_from_slice(&11u32.to_le_bytes());
    preimage.extend_from_slice(&3u32.to_le_bytes());
    preimage.extend_from_slice(&[3, 2 << 2, b'E', b'1']);
    preimage.extend_from_slice(&[0xab; 32]);
    assert_eq!(attestation_id(11, 3, &subject, &digest), sha256(&preimage));
    assert_eq!(ATTESTATION_ID_TAG, b"yima/attestation/v1");
}

#[test]
fn a_persons_debug_output_shows_only_a_prefix() {
    let p = PseudonymousId([0xab; 32]);
    assert_eq!(format!("{p:?}"), "PseudonymousId(0xabababababab…)");
}
