//! Revocation: by the issuing organisation or a regulator, once, with a reason, from its block's time on.

use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Origin, Role};

use crate::mock::*;
use crate::schemas::{BATCH_RELEASE, INSPECTION_QUARANTINE_CERTIFICATE};
use crate::{Attestations, Error, Event, Revocation};

#[test]
fn the_issuer_revokes_its_attestation() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        advance_to(NOW + DAY);
        // Another Inspector of the issuing organisation may revoke it.
        assert_ok!(Attestation::revoke(&origin("lab-b"), id, doc(90)));
        System::assert_last_event(Event::Revoked {
            id,
            by: LAB,
            reason: doc(90),
        });
        assert_eq!(
            Attestations::get(&id).unwrap().revoked,
            Some(Revocation {
                by: LAB,
                reason: doc(90),
                at: 2,
                time: NOW + DAY,
            })
        );
        // Nothing else about it changes, and it stays listed.
        assert_eq!(Attestations::get(&id).unwrap().issued_at, 1);
        assert_eq!(Attestation::by_subject(&lot("L1")).len(), 1);
    });
}

#[test]
fn any_regulator_revokes_any_attestation() {
    new_test_ext().execute_with(|| {
        let a = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        let b = attest(
            "customs",
            INSPECTION_QUARANTINE_CERTIFICATE,
            lot("L1"),
            doc(2),
        );
        // With the Inspector role, or as a Governance account.
        assert_ok!(Attestation::revoke(&origin("regulator"), a, doc(90)));
        System::assert_last_event(Event::Revoked {
            id: a,
            by: REGULATOR,
            reason: doc(90),
        });
        assert_ok!(Attestation::revoke(&origin("reg-gov"), b, doc(91)));
        assert_eq!(
            Attestations::get(&b).unwrap().revoked.unwrap().by,
            REGULATOR
        );
    });
}

#[test]
fn a_stranger_may_not_revoke() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        // Another lab of the same kind, the subject's owner, customs: none of them issued it.
        for who in ["lab2", "maker", "customs", "cdc"] {
            assert_noop!(
                Attestation::revoke(&origin(who), id, doc(90)),
                Error::NotAllowedToRevoke
            );
        }
    });
}

#[test]
fn revoking_needs_the_right_role() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_noop!(
            Attestation::revoke(&origin("lab-op"), id, doc(90)),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert_noop!(
            Attestation::revoke(&origin("reg-op"), id, doc(90)),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert!(matches!(
            Attestation::revoke(&Origin::Root, id, doc(90)),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn an_attestation_is_revoked_once() {
    new_test_ext().execute_with(|| {
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_ok!(Attestation::revoke(&origin("lab"), id, doc(90)));
        assert_noop!(
            Attestation::revoke(&origin("lab"), id, doc(91)),
            Error::AlreadyRevoked
        );
        assert_noop!(
            Attestation::revoke(&origin("regulator"), id, doc(91)),
            Error::AlreadyRevoked
        );
    });
}

#[test]
fn an_unknown_attestation_cannot_be_revoked() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Attestation::revoke(&origin("regulator"), Hash([7; 32]), doc(90)),
            Error::UnknownAttestation
        );
    });
}

#[test]
fn revoke_goes_through_dispatch() {
    new_test_ext().execute_with(|| {
        use yima_frame::pallet::Pallet as _;
        let id = attest("lab", BATCH_RELEASE, lot("L1"), doc(1));
        assert_ok!(Attestation::dispatch(
            &origin("lab"),
            crate::Call::Revoke {
                id,
                reason: doc(90)
            }
        ));
        assert!(Attestations::get(&id).unwrap().revoked.is_some());
    });
}
