//! Queries by subject, issuer and schema, and validity at a moment.

use yima_frame::{assert_ok, Hash};

use crate::mock::*;
use crate::schemas::{BATCH_RELEASE, DRUG_INSPECTION, ELEVATOR_INSPECTION, NUCLEIC_ACID_REPORT};
use crate::AttestationError;

fn ids(list: Vec<(Hash, crate::Attestation)>) -> Vec<Hash> {
    list.into_iter().map(|(id, _)| id).collect()
}

/// Three attestations over two blocks: the lab's release of L1 and L2 (block 1) and lab2's drug inspection of
/// L1 (block 2).
fn three() -> (Hash, Hash, Hash) {
    let a = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
    let b = attest("lab", BATCH_RELEASE, lot("L2"), doc(2));
    advance_to(NOW + 1_000);
    let c = attest("lab2", DRUG_INSPECTION, lot("L1"), doc(3));
    (a, b, c)
}

#[test]
fn by_subject_lists_every_attestation_about_it_in_issuing_order() {
    new_test_ext().execute_with(|| {
        let (a, b, c) = three();
        assert_eq!(ids(Attestation::by_subject(&lot("L1"))), vec![a, c]);
        assert_eq!(ids(Attestation::by_subject(&lot("L2"))), vec![b]);
        assert!(Attestation::by_subject(&lot("L3")).is_empty());
        // Revoked ones stay listed, with their revocation.
        assert_ok!(Attestation::revoke(&origin("lab"), a, doc(90)));
        let listed = Attestation::by_subject(&lot("L1"));
        assert_eq!(listed.len(), 2);
        assert!(listed[0].1.revoked.is_some());
    });
}

#[test]
fn by_issuer_lists_what_an_organisation_issued() {
    new_test_ext().execute_with(|| {
        let (a, b, c) = three();
        let mut lab = vec![a, b];
        lab.sort();
        assert_eq!(ids(Attestation::by_issuer(LAB)), lab, "same block: by id");
        assert_eq!(ids(Attestation::by_issuer(LAB2)), vec![c]);
        assert!(Attestation::by_issuer(CUSTOMS).is_empty());
    });
}

#[test]
fn by_schema_lists_every_attestation_of_a_schema() {
    new_test_ext().execute_with(|| {
        let (a, b, c) = three();
        let mut releases = vec![a, b];
        releases.sort();
        assert_eq!(ids(Attestation::by_schema(BATCH_RELEASE)), releases);
        assert_eq!(ids(Attestation::by_schema(DRUG_INSPECTION)), vec![c]);
        assert!(Attestation::by_schema(NUCLEIC_ACID_REPORT).is_empty());
    });
}

#[test]
fn subjects_that_share_a_prefix_do_not_mix() {
    new_test_ext().execute_with(|| {
        // `E1` and `E12` encode as length-prefixed bytes, so one subject's key is never a prefix of another's.
        let short = attest("lab", ELEVATOR_INSPECTION, elevator("E1"), doc(1));
        let long = attest("lab", ELEVATOR_INSPECTION, elevator("E12"), doc(2));
        assert_eq!(ids(Attestation::by_subject(&elevator("E1"))), vec![short]);
        assert_eq!(ids(Attestation::by_subject(&elevator("E12"))), vec![long]);
    });
}

#[test]
fn valid_at_answers_for_any_moment() {
    new_test_ext().execute_with(|| {
        let id = attest_window(
            "lab",
            ELEVATOR_INSPECTION,
            elevator("E1"),
            doc(1),
            NOW,
            Some(NOW + 365 * DAY),
        );
        assert!(!Attestation::valid_at(&id, NOW - 1));
        assert!(Attestation::valid_at(&id, NOW));
        assert!(Attestation::valid_at(&id, NOW + 364 * DAY));
        assert!(!Attestation::valid_at(&id, NOW + 365 * DAY));
        assert!(!Attestation::valid_at(&Hash([1; 32]), NOW));
        assert_eq!(
            Attestation::status_at(&id, NOW + 365 * DAY),
            Err(AttestationError::Expired)
        );
        assert_eq!(
            Attestation::status_at(&Hash([1; 32]), NOW),
            Err(AttestationError::NotFound)
        );
    });
}

#[test]
fn valid_for_lists_the_certificates_a_subject_holds_at_a_moment() {
    new_test_ext().execute_with(|| {
        let release = attest_window("lab", BATCH_RELEASE, lot("L1"), doc(1), NOW, None);
        let inspection = attest_window(
            "lab",
            DRUG_INSPECTION,
            lot("L1"),
            doc(2),
            NOW,
            Some(NOW + DAY),
        );
        let valid = |t| ids(Attestation::valid_for(&lot("L1"), t));
        let mut both = vec![release, inspection];
        both.sort();
        assert_eq!(valid(NOW), both);
        assert_eq!(valid(NOW + DAY), vec![release]);
        assert!(valid(NOW - 1).is_empty());
    });
}
