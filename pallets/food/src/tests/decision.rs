//! Closing the loop (闭环): a hold ends only by a regulator's decision — released citing a passing retest
//! recorded after the latest fail, or disposed citing an `UNQUALIFIED_PRODUCT_DISPOSAL` attestation (codes
//! destroyed).

use yima_attestation::{attestation_id, schemas, AttestationError, AttestationId};
use yima_frame::storage::StorageDoubleMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};
use yima_trace::types::{CodeStatus, LotKey};

use crate::mock::*;
use crate::{lot_subject, Disposal, Error, Event, Release, Retests, TestResult};

fn status(code: &yima_codes::TraceCode) -> CodeStatus {
    yima_trace::custody::custody(code, System::now())
        .unwrap()
        .status
}

/// The decision document of a release.
fn decision() -> Hash {
    doc(90)
}

/// `who` records `result` on `lot` citing its attestation with document `n`; returns the attestation.
fn tested(who: &str, lot: &LotKey, result: TestResult, n: u32) -> AttestationId {
    ok(record(who, lot, result, n), "record test");
    attestation_id(
        schemas::QUICK_TEST_RESULT,
        org_of(who),
        &lot_subject(lot),
        &doc(n),
    )
}

fn ship_pack(n: u32) -> yima_frame::DispatchResult {
    Trace::capture(
        &origin("processor"),
        vec![shipping(vec![pack(n)], RETAILER)],
    )
}

/// The regulator's disposal attestation on `lot`.
fn disposal_of(lot: &LotKey, n: u32) -> AttestationId {
    attest("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, lot, n)
}

#[test]
fn a_regulator_releases_a_hold_citing_a_passing_retest_and_the_lots_made_from_it_move_again() {
    new_test_ext().execute_with(|| {
        let packs_lot = processed(1, 2);
        let leaves_lot = lot_of(leaves(), "L1");
        let fail = tested("lab", &leaves_lot, TestResult::Fail, 60);
        assert_noop!(ship_pack(1), Error::LotOnHold);
        let retest = tested("other-lab", &leaves_lot, TestResult::Pass, 61);
        assert_eq!(Retests::get(&leaves_lot, &retest), Some(fail));
        assert_ok!(Food::release_hold(
            &origin("regulator"),
            leaves_lot.clone(),
            retest,
            decision()
        ));
        System::assert_last_event(Event::HoldReleased {
            lot: leaves_lot.clone(),
            by: REGULATOR,
            failure: fail,
            retest,
            decision: decision(),
            recall_lifted: false,
        });
        assert_eq!(Food::failure(&leaves_lot), None);
        assert_eq!(
            Food::release(&leaves_lot),
            Some(Release {
                by: REGULATOR,
                failure: fail,
                retest,
                decision: decision(),
                recall_lifted: false,
                at: 1,
            })
        );
        // The packs were held only through the leaves: they move again.
        assert_eq!(Food::failure(&packs_lot), None);
        assert_ok!(ship_pack(1));
    });
}

#[test]
fn a_release_ends_the_recall_a_regulators_fail_made_and_no_other() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let fail = tested("regulator", &lot, TestResult::Fail, 62);
        assert_eq!(Trace::lot(&lot).unwrap().recalled, Some(fail));
        let retest = tested("lab", &lot, TestResult::Pass, 63);
        assert_ok!(Food::release_hold(
            &origin("regulator"),
            lot.clone(),
            retest,
            decision()
        ));
        System::assert_last_event(Event::HoldReleased {
            lot: lot.clone(),
            by: REGULATOR,
            failure: fail,
            retest,
            decision: decision(),
            recall_lifted: true,
        });
        assert_eq!(Trace::lot(&lot).unwrap().recalled, None);
        assert_ok!(ship_pack(1));

        // The owner's own recall for another notice is not the hold's: it stands after a release.
        let other = lot_of(leaves(), "L1");
        ok(
            Trace::recall_lot(&origin("producer"), other.clone(), doc(64)),
            "recall",
        );
        tested("lab", &other, TestResult::Fail, 65);
        let retest = tested("lab", &other, TestResult::Pass, 66);
        assert_ok!(Food::release_hold(
            &origin("regulator"),
            other.clone(),
            retest,
            decision()
        ));
        assert!(!Food::release(&other).unwrap().recall_lifted);
        assert_eq!(Trace::lot(&other).unwrap().recalled, Some(doc(64)));
    });
}

#[test]
fn only_a_regulators_operator_or_governance_account_decides() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        tested("lab", &lot, TestResult::Fail, 67);
        let retest = tested("other-lab", &lot, TestResult::Pass, 68);
        let disposal = disposal_of(&lot, 69);
        for who in ["lab", "processor", "producer"] {
            assert_noop!(
                Food::release_hold(&origin(who), lot.clone(), retest, decision()),
                Error::NotRegulator
            );
            assert_noop!(
                Food::dispose_lot(&origin(who), lot.clone(), disposal),
                Error::NotRegulator
            );
        }
        assert_noop!(
            Food::release_hold(&origin("reg-inspector"), lot.clone(), retest, decision()),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            Food::dispose_lot(&origin("reg-inspector"), lot.clone(), disposal),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            Food::release_hold(&origin("regulator"), lot, retest, Hash::default()),
            Error::InvalidDecision
        );
    });
}

#[test]
fn a_release_cites_a_valid_passing_retest_recorded_after_the_latest_fail() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let early = tested("other-lab", &lot, TestResult::Pass, 70);
        let fail = tested("lab", &lot, TestResult::Fail, 71);
        let release =
            |retest| Food::release_hold(&origin("regulator"), lot.clone(), retest, decision());
        // A pass before the hold, the fail itself, a retest never recorded.
        assert_noop!(release(early), Error::RetestBeforeHold);
        assert_noop!(release(fail), Error::RetestNotPassing);
        let unrecorded = test_result("other-lab", &lot, 72);
        assert_noop!(release(unrecorded), Error::RetestNotRecorded);
        // A pass after the fail, then a regulator's fail after the pass: the pass no longer answers the hold.
        let retest = tested("other-lab", &lot, TestResult::Pass, 73);
        tested("regulator", &lot, TestResult::Fail, 74);
        assert_noop!(release(retest), Error::RetestBeforeHold);
        // A retest whose report was revoked does not count.
        let last = tested("other-lab", &lot, TestResult::Pass, 75);
        ok(
            Attestation::revoke(&origin("other-lab"), last, doc(76)),
            "revoke",
        );
        assert_noop!(release(last), AttestationError::Revoked);
        let good = tested("lab", &lot, TestResult::Pass, 77);
        assert_ok!(release(good));
    });
}

#[test]
fn there_is_nothing_to_decide_on_a_lot_that_is_not_held_and_a_derived_lot_follows_its_source() {
    new_test_ext().execute_with(|| {
        let packs_lot = processed(1, 2);
        let pass = tested("lab", &packs_lot, TestResult::Pass, 78);
        let disposal = disposal_of(&packs_lot, 79);
        assert_noop!(
            Food::release_hold(&origin("regulator"), packs_lot.clone(), pass, decision()),
            Error::NotHeld
        );
        assert_noop!(
            Food::dispose_lot(&origin("regulator"), packs_lot.clone(), disposal),
            Error::NotHeld
        );
        // Held through the leaves only: the leaves are the case to release.
        tested("lab", &lot_of(leaves(), "L1"), TestResult::Fail, 80);
        let retest = tested("lab", &packs_lot, TestResult::Pass, 81);
        assert_noop!(
            Food::release_hold(&origin("regulator"), packs_lot.clone(), retest, decision()),
            Error::HeldByAncestor
        );
        assert_noop!(
            Food::release_hold(
                &origin("regulator"),
                lot_of(soap(), "X"),
                retest,
                decision()
            ),
            Error::UnknownLot
        );
    });
}

/// The attack test before the change showed a disposal attestation destroying nothing; now the regulator's
/// disposal citing it destroys every code of the lot, without a write per code.
#[test]
fn a_regulator_disposes_of_a_held_lot_and_its_codes_count_as_destroyed() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 3);
        deliver("processor", vec![pack(3)], DISTRIBUTOR, "distributor");
        tested("lab", &lot, TestResult::Fail, 82);
        let disposal = disposal_of(&lot, 83);
        assert_ne!(status(&pack(1)), CodeStatus::Destroyed);
        assert_ok!(Food::dispose_lot(
            &origin("regulator"),
            lot.clone(),
            disposal
        ));
        System::assert_has_event(yima_trace::Event::LotDisposed {
            lot: lot.clone(),
            disposal,
        });
        System::assert_last_event(Event::LotDisposed {
            lot: lot.clone(),
            by: REGULATOR,
            disposal,
        });
        assert_eq!(
            Food::disposal(&lot),
            Some(Disposal {
                by: REGULATOR,
                disposal,
                at: 1,
            })
        );
        for n in 1..=3 {
            assert_eq!(status(&pack(n)), CodeStatus::Destroyed);
            assert_eq!(Trace::code(&pack(n)).unwrap().status, CodeStatus::Active);
        }
        // Final: nothing moves, nothing more is decided.
        assert!(ship_pack(1).is_err());
        assert!(Trace::capture(
            &origin("distributor"),
            vec![shipping(vec![pack(3)], RETAILER)]
        )
        .is_err());
        let retest = tested("other-lab", &lot, TestResult::Pass, 84);
        assert_noop!(
            Food::release_hold(&origin("regulator"), lot.clone(), retest, decision()),
            Error::LotDisposed
        );
        assert_noop!(
            Food::dispose_lot(&origin("regulator"), lot, disposal),
            Error::LotDisposed
        );
    });
}

#[test]
fn a_disposal_cites_a_valid_disposal_attestation_on_the_lot() {
    new_test_ext().execute_with(|| {
        let packs_lot = processed(1, 2);
        let leaves_lot = lot_of(leaves(), "L1");
        let fail = tested("lab", &packs_lot, TestResult::Fail, 85);
        let dispose = |id| Food::dispose_lot(&origin("regulator"), packs_lot.clone(), id);
        assert_noop!(dispose(fail), AttestationError::WrongSchema);
        let other_lots = disposal_of(&leaves_lot, 86);
        assert_noop!(dispose(other_lots), AttestationError::WrongSubject);
        assert_noop!(dispose(doc(87)), AttestationError::NotFound);
        let revoked = disposal_of(&packs_lot, 88);
        ok(
            Attestation::revoke(&origin("regulator"), revoked, doc(89)),
            "revoke",
        );
        assert_noop!(dispose(revoked), AttestationError::Revoked);
        let expiring = disposal_of(&packs_lot, 91);
        advance_to(NOW + 31 * DAY);
        assert_noop!(dispose(expiring), AttestationError::Expired);
    });
}

#[test]
fn disposing_of_the_source_keeps_the_lots_made_from_it_held_until_they_are_disposed_of_too() {
    new_test_ext().execute_with(|| {
        let packs_lot = processed(1, 2);
        let leaves_lot = lot_of(leaves(), "L1");
        tested("lab", &leaves_lot, TestResult::Fail, 92);
        assert_ok!(Food::dispose_lot(
            &origin("regulator"),
            leaves_lot.clone(),
            disposal_of(&leaves_lot, 93)
        ));
        assert_noop!(ship_pack(1), Error::LotOnHold);
        assert_ok!(Food::dispose_lot(
            &origin("regulator"),
            packs_lot.clone(),
            disposal_of(&packs_lot, 94)
        ));
        assert_eq!(status(&pack(2)), CodeStatus::Destroyed);
    });
}

#[test]
fn a_fail_after_a_release_holds_the_lot_again() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        tested("lab", &lot, TestResult::Fail, 95);
        let retest = tested("other-lab", &lot, TestResult::Pass, 96);
        assert_ok!(Food::release_hold(
            &origin("regulator"),
            lot.clone(),
            retest,
            decision()
        ));
        assert_ok!(ship_pack(1));
        let again = tested("lab", &lot, TestResult::Fail, 97);
        assert_eq!(Food::failure(&lot).unwrap().attestation, again);
        assert_noop!(ship_pack(2), Error::LotOnHold);
        // The old retest answered the old hold, not this one.
        assert_noop!(
            Food::release_hold(&origin("regulator"), lot.clone(), retest, decision()),
            Error::RetestBeforeHold
        );
    });
}
