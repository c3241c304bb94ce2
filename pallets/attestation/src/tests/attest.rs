//! Issuing: who may attest what about which subject, with which digest, URI and validity window.

use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Moment, Origin, Role};
use yima_membership::OrgKind;

use crate::mock::*;
use crate::mock::{Unwatched, Watched};
use crate::schemas::{
    builtin, BATCH_RELEASE, DISINFECTION_CERTIFICATE, ELEVATOR_INSPECTION, ELEVATOR_MAINTENANCE,
    ORIGIN_CERTIFICATE, STAFF_HEALTH_CERTIFICATE, SUNSHINE_KITCHEN,
};
use crate::{
    attestation_id, Attestations, ByIssuer, BySchema, BySubject, Error, Event, PseudonymousId,
    Schema, Subject, SubjectAt, SubjectCount, SubjectKind, MAX_ID_BYTES, MAX_URI_BYTES,
};

/// `who` attests with every optional field given.
fn attest_full(
    who: &str,
    schema: u32,
    subject: Subject,
    digest: Hash,
    uri: Option<&[u8]>,
    valid_from: Moment,
    valid_until: Option<Moment>,
) -> Result<(), DispatchError> {
    Attestation::attest(
        &origin(who),
        schema,
        subject,
        digest,
        uri.map(<[u8]>::to_vec),
        valid_from,
        valid_until,
    )
}

/// The lab attests a batch release of lot `L1` with `window`.
fn release(window: (Moment, Option<Moment>)) -> Result<(), DispatchError> {
    attest_full(
        "lab",
        BATCH_RELEASE,
        lot("L1"),
        doc(1),
        None,
        window.0,
        window.1,
    )
}

/// The lab attests an elevator inspection (at most 366 days) with `window`.
fn inspect_elevator(window: (Moment, Option<Moment>)) -> Result<(), DispatchError> {
    attest_full(
        "lab",
        ELEVATOR_INSPECTION,
        elevator("31103301002014080001"),
        doc(1),
        None,
        window.0,
        window.1,
    )
}

#[test]
fn an_inspection_body_releases_a_batch() {
    new_test_ext().execute_with(|| {
        let uri = b"https://nifdc.example.cn/release/L1.pdf";
        assert_ok!(attest_full(
            "lab",
            BATCH_RELEASE,
            lot("L1"),
            doc(1),
            Some(uri),
            NOW,
            None
        ));
        let id = attestation_id(BATCH_RELEASE, LAB, &lot("L1"), &doc(1));
        System::assert_last_event(Event::Attested {
            id,
            schema: BATCH_RELEASE,
            subject: lot("L1"),
            issuer_org: LAB,
        });
        assert_eq!(
            Attestations::get(&id),
            Some(crate::Attestation {
                schema: BATCH_RELEASE,
                issuer_org: LAB,
                issuer: account("lab"),
                subject: lot("L1"),
                digest: doc(1),
                uri: Some(uri.to_vec()),
                valid_from: NOW,
                valid_until: None,
                issued_at: 1,
                revoked: None,
            })
        );
        assert!(BySubject::contains_key(&lot("L1"), &id));
        assert!(ByIssuer::contains_key(&LAB, &id));
        assert!(BySchema::contains_key(&BATCH_RELEASE, &id));
        assert_eq!(SubjectCount::get(&lot("L1")), Some(1));
        assert_eq!(SubjectAt::get(&lot("L1"), &0), Some(id));
    });
}

#[test]
fn a_subjects_attestations_are_counted_in_issuing_order() {
    new_test_ext().execute_with(|| {
        for n in 1..=3 {
            assert_ok!(attest_full(
                "lab",
                BATCH_RELEASE,
                lot("L1"),
                doc(n),
                None,
                NOW,
                None
            ));
        }
        assert_ok!(attest_full(
            "lab",
            BATCH_RELEASE,
            lot("L2"),
            doc(9),
            None,
            NOW,
            None
        ));
        assert_eq!(SubjectCount::get(&lot("L1")), Some(3));
        for n in 1..=3u32 {
            assert_eq!(
                SubjectAt::get(&lot("L1"), &(n - 1)),
                Some(attestation_id(BATCH_RELEASE, LAB, &lot("L1"), &doc(n)))
            );
        }
        assert_eq!(SubjectAt::get(&lot("L1"), &3), None);
        assert_eq!(SubjectCount::get(&lot("L2")), Some(1));
        // A refused attestation is not counted.
        assert!(attest_full("lab", BATCH_RELEASE, lot("L1"), doc(1), None, NOW, None).is_err());
        assert_eq!(SubjectCount::get(&lot("L1")), Some(3));
    });
}

#[test]
fn attest_goes_through_dispatch() {
    new_test_ext().execute_with(|| {
        use yima_frame::pallet::Pallet as _;
        assert_ok!(Attestation::dispatch(
            &origin("customs"),
            crate::Call::Attest {
                schema: crate::schemas::INSPECTION_QUARANTINE_CERTIFICATE,
                subject: lot("L1"),
                digest: doc(1),
                uri: None,
                valid_from: NOW,
                valid_until: None,
            }
        ));
        assert_eq!(Attestation::by_subject(&lot("L1")).len(), 1);
    });
}

#[test]
fn every_kind_a_shipped_schema_names_may_hold_the_inspector_role() {
    // Membership's roles table (issue 13) must let every issuer the shipped schemas name issue them.
    for s in builtin() {
        for kind in &s.issuers {
            assert!(
                yima_membership::allowed_roles(*kind).contains(Role::Inspector),
                "schema {} names {kind:?}, which may not hold the Inspector role",
                s.name
            );
        }
    }
}

#[test]
fn every_shipped_schema_is_issued_by_exactly_its_kinds() {
    new_test_ext().execute_with(|| {
        for s in builtin() {
            let subject = match s.subject {
                SubjectKind::Code => code(1),
                SubjectKind::Lot => lot("L1"),
                SubjectKind::Organisation => org(PRODUCER),
                SubjectKind::Equipment => elevator("31103301002014080001"),
                SubjectKind::Location => kitchen("canteen-3F"),
                SubjectKind::Person => person("staff-1"),
            };
            let until = s.max_validity_days.map(|d| NOW + Moment::from(d) * DAY);
            for (i, (who, kind)) in ORGS.iter().enumerate() {
                let result =
                    attest_full(who, s.id, subject.clone(), doc(i as u32), None, NOW, until);
                if s.issuers.contains(kind) {
                    assert_ok!(result);
                } else if !yima_membership::allowed_roles(*kind).contains(Role::Inspector) {
                    // A kind that may not hold the Inspector role has no account that could try.
                    assert_eq!(result, Err(DispatchError::MissingRole(Role::Inspector)));
                } else {
                    assert_eq!(
                        result,
                        Err(Error::IssuerKindNotAllowed.into()),
                        "{kind:?} issued schema {} ({})",
                        s.id,
                        s.name
                    );
                }
            }
            assert_eq!(
                Attestation::by_schema(s.id).len(),
                ORGS.iter().filter(|(_, k)| s.issuers.contains(k)).count(),
                "{}",
                s.name
            );
        }
    });
}

#[test]
fn an_organisation_kind_the_schema_does_not_name_is_refused() {
    new_test_ext().execute_with(|| {
        // A manufacturer may not release its own batch (it cannot even hold the Inspector role); a producer may
        // not issue a disinfection certificate.
        assert_noop!(
            attest_full("maker", BATCH_RELEASE, lot("L1"), doc(1), None, NOW, None),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert_noop!(
            attest_full(
                "producer",
                DISINFECTION_CERTIFICATE,
                lot("L1"),
                doc(1),
                None,
                NOW,
                None
            ),
            Error::IssuerKindNotAllowed
        );
    });
}

#[test]
fn the_signer_needs_the_inspector_role() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            attest_full("lab-op", BATCH_RELEASE, lot("L1"), doc(1), None, NOW, None),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert_noop!(
            attest_full("reg-gov", BATCH_RELEASE, lot("L1"), doc(1), None, NOW, None),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert!(matches!(
            Attestation::attest(
                &Origin::Root,
                BATCH_RELEASE,
                lot("L1"),
                doc(1),
                None,
                NOW,
                None
            ),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn an_unknown_schema_is_refused() {
    new_test_ext().execute_with(|| {
        for schema in [0, 23, 999, 1000] {
            assert_noop!(
                attest_full("lab", schema, lot("L1"), doc(1), None, NOW, None),
                Error::UnknownSchema
            );
        }
    });
}

#[test]
fn a_deactivated_schema_takes_no_new_attestations() {
    new_test_ext().execute_with(|| {
        let before = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_ok!(Attestation::deactivate_schema(&Origin::Root, BATCH_RELEASE));
        assert_noop!(
            attest_full("lab", BATCH_RELEASE, lot("L2"), doc(2), None, NOW, None),
            Error::SchemaInactive
        );
        // What was issued before stays valid.
        assert!(Attestation::valid_at(&before, NOW));
    });
}

#[test]
fn the_subject_must_be_of_the_schemas_kind() {
    new_test_ext().execute_with(|| {
        for (schema, wrong) in [
            (BATCH_RELEASE, code(1)),
            (BATCH_RELEASE, org(MAKER)),
            (STAFF_HEALTH_CERTIFICATE, org(HOSPITAL)),
            (SUNSHINE_KITCHEN, org(REGULATOR)),
        ] {
            let who = if schema == STAFF_HEALTH_CERTIFICATE {
                "hospital"
            } else if schema == BATCH_RELEASE {
                "lab"
            } else {
                "regulator"
            };
            assert_noop!(
                attest_full(who, schema, wrong, doc(1), None, NOW, Some(NOW + DAY)),
                Error::SubjectKindMismatch
            );
        }
    });
}

#[test]
fn malformed_subjects_are_refused() {
    new_test_ext().execute_with(|| {
        let long = "E".repeat(MAX_ID_BYTES + 1);
        for bad in [
            Subject::Equipment(vec![]),
            Subject::Equipment(long.clone().into_bytes()),
            Subject::Equipment(b" 3110330100".to_vec()),
            Subject::Equipment(b"3110330100\n".to_vec()),
            Subject::Equipment(b"31103\x0001".to_vec()),
            Subject::Equipment(vec![0xc3, 0x28]),
        ] {
            assert_noop!(
                attest_full(
                    "lab",
                    ELEVATOR_INSPECTION,
                    bad,
                    doc(1),
                    None,
                    NOW,
                    Some(NOW + DAY)
                ),
                Error::InvalidSubject
            );
        }
        assert_noop!(
            attest_full(
                "regulator",
                SUNSHINE_KITCHEN,
                Subject::Location(long.into_bytes()),
                doc(1),
                None,
                NOW,
                None
            ),
            Error::InvalidSubject
        );
        assert_noop!(
            attest_full(
                "hospital",
                STAFF_HEALTH_CERTIFICATE,
                Subject::Person(PseudonymousId([0; 32])),
                doc(1),
                None,
                NOW,
                Some(NOW + DAY)
            ),
            Error::InvalidSubject
        );
        // Exactly 64 bytes, and a vehicle plate with Chinese characters, are fine.
        assert_ok!(attest_full(
            "lab",
            ELEVATOR_INSPECTION,
            elevator(&"E".repeat(MAX_ID_BYTES)),
            doc(1),
            None,
            NOW,
            Some(NOW + DAY)
        ));
        assert_ok!(attest_full(
            "regulator",
            SUNSHINE_KITCHEN,
            kitchen("浙A·12345 厨房"),
            doc(1),
            None,
            NOW,
            None
        ));
    });
}

#[test]
fn a_subject_unknown_on_chain_is_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            attest_full(
                "lab",
                ELEVATOR_INSPECTION,
                elevator("UNREGISTERED-1"),
                doc(1),
                None,
                NOW,
                Some(NOW + DAY)
            ),
            Error::UnknownSubject
        );
    });
}

#[test]
fn an_all_zero_digest_is_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            attest_full(
                "lab",
                BATCH_RELEASE,
                lot("L1"),
                Hash::default(),
                None,
                NOW,
                None
            ),
            Error::InvalidDigest
        );
    });
}

#[test]
fn uris_are_bounded_https_or_ipfs_addresses() {
    new_test_ext().execute_with(|| {
        let prefix = b"https://example.cn/";
        let mut longest = prefix.to_vec();
        longest.resize(MAX_URI_BYTES, b'a');
        let mut too_long = longest.clone();
        too_long.push(b'a');
        assert_noop!(
            attest_full(
                "lab",
                BATCH_RELEASE,
                lot("L1"),
                doc(1),
                Some(&too_long),
                NOW,
                None
            ),
            Error::UriTooLong
        );
        for bad in [
            &b"http://example.cn/cert.pdf"[..],
            b"ftp://example.cn/cert.pdf",
            b"https://",
            b"ipfs://",
            b"https://example.cn/a cert.pdf",
            "https://例子.cn/cert".as_bytes(),
            b"",
        ] {
            assert_noop!(
                attest_full(
                    "lab",
                    BATCH_RELEASE,
                    lot("L1"),
                    doc(1),
                    Some(bad),
                    NOW,
                    None
                ),
                Error::InvalidUri
            );
        }
        assert_ok!(attest_full(
            "lab",
            BATCH_RELEASE,
            lot("L1"),
            doc(1),
            Some(&longest),
            NOW,
            None
        ));
        assert_ok!(attest_full(
            "lab",
            BATCH_RELEASE,
            lot("L2"),
            doc(2),
            Some(b"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"),
            NOW,
            None
        ));
    });
}

#[test]
fn the_validity_window_must_end_after_it_starts() {
    new_test_ext().execute_with(|| {
        assert_noop!(release((NOW, Some(NOW))), Error::InvalidValidity);
        assert_noop!(release((NOW, Some(NOW - 1))), Error::InvalidValidity);
        assert_ok!(release((NOW, Some(NOW + 1))));
    });
}

#[test]
fn a_schema_with_a_longest_validity_needs_an_end_within_it() {
    new_test_ext().execute_with(|| {
        assert_noop!(inspect_elevator((NOW, None)), Error::ValidityRequired);
        assert_noop!(
            inspect_elevator((NOW, Some(NOW + 366 * DAY + 1))),
            Error::ValidityTooLong
        );
        // A window starting in the past counts from its start, not from now.
        assert_noop!(
            inspect_elevator((NOW - 10 * DAY, Some(NOW + 357 * DAY))),
            Error::ValidityTooLong
        );
        assert_ok!(inspect_elevator((NOW, Some(NOW + 366 * DAY))));
    });
}

#[test]
fn elevator_maintenance_lasts_at_most_15_days() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            attest_full(
                "maintainer",
                ELEVATOR_MAINTENANCE,
                elevator("31103301002014080001"),
                doc(1),
                None,
                NOW,
                Some(NOW + 16 * DAY)
            ),
            Error::ValidityTooLong
        );
    });
}

#[test]
fn an_attestation_already_expired_on_arrival_is_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(release((NOW - 10 * DAY, Some(NOW))), Error::AlreadyExpired);
        assert_noop!(
            release((NOW - 10 * DAY, Some(NOW - DAY))),
            Error::AlreadyExpired
        );
        // Still valid for one more millisecond, or starting in the future: fine.
        assert_ok!(release((NOW - 10 * DAY, Some(NOW + 1))));
        assert_ok!(attest_full(
            "lab",
            BATCH_RELEASE,
            lot("L2"),
            doc(2),
            None,
            NOW + 30 * DAY,
            Some(NOW + 60 * DAY)
        ));
    });
}

#[test]
fn one_organisation_attests_a_document_once() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        // Again, by another Inspector of the same lab, with another window: the same certificate.
        assert_noop!(
            attest_full("lab-b", BATCH_RELEASE, lot("L1"), doc(1), None, NOW, None),
            Error::AlreadyAttested
        );
        // Even once revoked: a corrected certificate is a new document.
        assert_ok!(Attestation::revoke(&origin("lab"), id, doc(99)));
        assert_noop!(
            attest_full("lab", BATCH_RELEASE, lot("L1"), doc(1), None, NOW, None),
            Error::AlreadyAttested
        );
        // Another lab, another lot, another document or another schema: another attestation.
        let other_lab = attest("lab2", BATCH_RELEASE, lot("L1"), doc(1));
        let other_lot = attest("lab", BATCH_RELEASE, lot("L2"), doc(1));
        let other_doc = attest("lab", BATCH_RELEASE, lot("L1"), doc(2));
        let other_schema = attest("lab", crate::schemas::DRUG_INSPECTION, lot("L1"), doc(1));
        let mut ids = vec![id, other_lab, other_lot, other_doc, other_schema];
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 5);
    });
}

#[test]
fn the_id_is_the_content_address_clients_compute() {
    new_test_ext().execute_with(|| {
        let id = attest("producer", ORIGIN_CERTIFICATE, lot("EGG-0601"), doc(7));
        assert_eq!(
            id,
            attestation_id(ORIGIN_CERTIFICATE, PRODUCER, &lot("EGG-0601"), &doc(7))
        );
        assert!(Attestations::contains_key(&id));
        // It does not depend on the block, the signing account or the window.
        assert_ne!(
            id,
            attestation_id(ORIGIN_CERTIFICATE, CDC, &lot("EGG-0601"), &doc(7))
        );
    });
}

#[test]
fn a_registered_schema_works_like_a_shipped_one() {
    new_test_ext().execute_with(|| {
        assert_ok!(Attestation::register_schema(
            &Origin::Root,
            b"pharmacy GSP certificate".to_vec(),
            1,
            vec![OrgKind::Regulator, OrgKind::CertificationBody],
            SubjectKind::Organisation,
            Some(5 * 366),
        ));
        let gsp = crate::schemas::FIRST_REGISTERED_ID;
        assert_eq!(
            Attestation::schema(gsp).map(|s: Schema| s.subject),
            Some(SubjectKind::Organisation)
        );
        attest_window(
            "certifier",
            gsp,
            org(MAKER),
            doc(1),
            NOW,
            Some(NOW + 365 * DAY),
        );
        assert_noop!(
            attest_full("lab", gsp, org(MAKER), doc(2), None, NOW, Some(NOW + DAY)),
            Error::IssuerKindNotAllowed
        );
        assert_eq!(Attestation::by_subject(&org(MAKER)).len(), 1);
    });
}

#[test]
fn the_watch_refuses_before_any_write_and_follows_what_is_written() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            attest_full(
                "lab",
                ELEVATOR_INSPECTION,
                elevator("WATCHED-1"),
                doc(1),
                None,
                NOW,
                Some(NOW + DAY)
            ),
            Error::UnknownSubject
        );
        let id = attest_window(
            "lab",
            ELEVATOR_INSPECTION,
            elevator("E1"),
            doc(1),
            NOW,
            Some(NOW + DAY),
        );
        assert!(Watched::contains_key(&id));
        assert!(!Unwatched::contains_key(&id));
        assert_ok!(Attestation::revoke(&origin("lab"), id, doc(9)));
        assert!(Unwatched::contains_key(&id));
    });
}
