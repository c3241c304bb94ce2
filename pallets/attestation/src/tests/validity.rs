//! What other pallets see through [`AttestationInspect`]: a revoked, expired or not-yet-valid certificate, or one
//! of another subject or schema, is refused with its own error.

use yima_frame::{assert_ok, DispatchError, Origin};

use crate::mock::*;
use crate::schemas::{
    BATCH_RELEASE, COLD_CHAIN_CERTIFICATES, DISINFECTION_CERTIFICATE,
    INSPECTION_QUARANTINE_CERTIFICATE, NUCLEIC_ACID_REPORT, STAFF_HEALTH_CERTIFICATE,
};
use crate::{AttestationError, AttestationInspect, Error};

#[test]
fn a_valid_certificate_holds_for_its_subject_and_schema() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert!(Attestation::has_valid(&lot("L1"), BATCH_RELEASE, NOW));
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW),
            Ok(())
        );
        assert_eq!(
            Attestation::attestation(&id).map(|a| a.issuer_org),
            Some(LAB)
        );
        // Not for another lot, not a codes's own, not of another schema.
        assert!(!Attestation::has_valid(&lot("L2"), BATCH_RELEASE, NOW));
        assert!(!Attestation::has_valid(&code(1), BATCH_RELEASE, NOW));
        assert!(!Attestation::has_valid(
            &lot("L1"),
            DISINFECTION_CERTIFICATE,
            NOW
        ));
    });
}

#[test]
fn each_reason_a_cited_certificate_fails_has_its_own_error() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_eq!(
            Attestation::is_valid(&doc(42), &lot("L1"), BATCH_RELEASE, NOW),
            Err(AttestationError::NotFound)
        );
        assert_eq!(
            Attestation::is_valid(&id, &lot("L2"), BATCH_RELEASE, NOW),
            Err(AttestationError::WrongSubject)
        );
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), DISINFECTION_CERTIFICATE, NOW),
            Err(AttestationError::WrongSchema)
        );
        // attest() makes it valid for 30 days from NOW.
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW - 1),
            Err(AttestationError::NotYetValid)
        );
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW + 30 * DAY),
            Err(AttestationError::Expired)
        );
        assert_ok!(Attestation::revoke(&origin("lab"), id, doc(90)));
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW),
            Err(AttestationError::Revoked)
        );
    });
}

#[test]
fn the_window_includes_its_start_and_excludes_its_end() {
    new_test_ext().execute_with(|| {
        let id = attest_window(
            "hospital",
            STAFF_HEALTH_CERTIFICATE,
            person("cook-7"),
            doc(1),
            NOW + DAY,
            Some(NOW + 2 * DAY),
        );
        let check = |t| Attestation::is_valid(&id, &person("cook-7"), STAFF_HEALTH_CERTIFICATE, t);
        assert_eq!(check(NOW + DAY - 1), Err(AttestationError::NotYetValid));
        assert_eq!(check(NOW + DAY), Ok(()));
        assert_eq!(check(NOW + 2 * DAY - 1), Ok(()));
        assert_eq!(check(NOW + 2 * DAY), Err(AttestationError::Expired));
        assert!(!Attestation::has_valid(
            &person("cook-7"),
            STAFF_HEALTH_CERTIFICATE,
            NOW
        ));
        assert!(Attestation::has_valid(
            &person("cook-7"),
            STAFF_HEALTH_CERTIFICATE,
            NOW + DAY
        ));
    });
}

#[test]
fn an_open_ended_certificate_holds_until_revoked() {
    new_test_ext().execute_with(|| {
        let id = attest_window("lab", BATCH_RELEASE, lot("L1"), doc(1), NOW, None);
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, u64::MAX),
            Ok(())
        );
    });
}

#[test]
fn a_revocation_counts_from_its_block_time_not_before() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        advance_to(NOW + 5 * DAY);
        assert_ok!(Attestation::revoke(&origin("regulator"), id, doc(90)));
        // Shipped on day 2 with a valid release: that stays true.
        assert!(Attestation::valid_at(&id, NOW + 2 * DAY));
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW + 2 * DAY),
            Ok(())
        );
        // From the revocation on, it is revoked (before its window would have ended).
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW + 5 * DAY),
            Err(AttestationError::Revoked)
        );
        assert!(!Attestation::has_valid(
            &lot("L1"),
            BATCH_RELEASE,
            NOW + 5 * DAY
        ));
    });
}

#[test]
fn one_valid_certificate_among_dead_ones_is_enough() {
    new_test_ext().execute_with(|| {
        let revoked = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_ok!(Attestation::revoke(&origin("lab"), revoked, doc(90)));
        assert!(!Attestation::has_valid(&lot("L1"), BATCH_RELEASE, NOW));
        attest_window(
            "lab2",
            BATCH_RELEASE,
            lot("L1"),
            doc(2),
            NOW,
            Some(NOW + DAY),
        );
        assert!(Attestation::has_valid(&lot("L1"), BATCH_RELEASE, NOW));
        assert!(!Attestation::has_valid(
            &lot("L1"),
            BATCH_RELEASE,
            NOW + DAY
        ));
    });
}

#[test]
fn the_four_nos_are_three_certificates_on_the_lot() {
    new_test_ext().execute_with(|| {
        let holds_all = || {
            COLD_CHAIN_CERTIFICATES
                .iter()
                .all(|s| Attestation::has_valid(&lot("BEEF-1"), *s, NOW))
        };
        attest(
            "customs",
            INSPECTION_QUARANTINE_CERTIFICATE,
            lot("BEEF-1"),
            doc(1),
        );
        attest("cdc", NUCLEIC_ACID_REPORT, lot("BEEF-1"), doc(2));
        assert!(!holds_all());
        let disinfection = attest("warehouse", DISINFECTION_CERTIFICATE, lot("BEEF-1"), doc(3));
        assert!(holds_all());
        assert_ok!(Attestation::revoke(
            &origin("warehouse"),
            disinfection,
            doc(90)
        ));
        assert!(!holds_all());
    });
}

#[test]
fn a_deactivated_schema_keeps_its_certificates_valid() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_ok!(Attestation::deactivate_schema(&Origin::Root, BATCH_RELEASE));
        assert_eq!(
            Attestation::is_valid(&id, &lot("L1"), BATCH_RELEASE, NOW),
            Ok(())
        );
    });
}

#[test]
fn a_refusal_for_a_cited_certificate_reads_as_a_pallet_error() {
    let cases = [
        (AttestationError::NotFound, "UnknownAttestation"),
        (AttestationError::WrongSubject, "WrongSubject"),
        (AttestationError::WrongSchema, "WrongSchema"),
        (AttestationError::Revoked, "AttestationRevoked"),
        (AttestationError::Expired, "AttestationExpired"),
        (AttestationError::NotYetValid, "AttestationNotYetValid"),
    ];
    for (e, name) in cases {
        assert_eq!(
            DispatchError::from(e),
            DispatchError::module(crate::PALLET, name)
        );
        let pallet_error: Error = e.into();
        let words = pallet_error.to_string();
        assert_eq!(words, e.to_string(), "{name}: the same words either way");
        assert_eq!(name.parse::<Error>(), Ok(pallet_error));
    }
}
