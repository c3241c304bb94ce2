//! Test results on lots: who records them, what they cite, and what a fail does (hold, recall, alert).

use yima_attestation::{schemas, AttestationError};
use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Role};
use yima_trace::epcis::BizStep;
use yima_trace::types::Category;

use crate::mock::*;
use crate::{Error, Event, Failure, Failures, TestKind, TestRecord, TestResult};

#[test]
fn a_pass_is_recorded_and_holds_nothing() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let id = test_result("lab", &lot, 40);
        assert_ok!(Food::record_test(
            &origin("lab"),
            lot.clone(),
            TestKind::Inspection,
            TestResult::Pass,
            id,
            None
        ));
        System::assert_last_event(Event::TestRecorded {
            lot: lot.clone(),
            kind: TestKind::Inspection,
            result: TestResult::Pass,
            by: LAB,
            attestation: id,
            sample: None,
            recalled: false,
        });
        assert_eq!(
            Food::test(&lot, &id),
            Some(TestRecord {
                kind: TestKind::Inspection,
                result: TestResult::Pass,
                by: LAB,
                sample: None,
                at: 1,
            })
        );
        assert_eq!(Food::failure(&lot), None);
        assert_ok!(Trace::capture(
            &origin("processor"),
            vec![shipping(vec![pack(1)], RETAILER)]
        ));
    });
}

#[test]
fn a_labs_fail_holds_the_lot_and_raises_the_alert_without_recalling() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let id = test_result("lab", &lot, 41);
        assert_ok!(Food::record_test(
            &origin("lab"),
            lot.clone(),
            TestKind::QuickTest,
            TestResult::Fail,
            id,
            Some(pack(1))
        ));
        System::assert_last_event(Event::TestRecorded {
            lot: lot.clone(),
            kind: TestKind::QuickTest,
            result: TestResult::Fail,
            by: LAB,
            attestation: id,
            sample: Some(pack(1)),
            recalled: false,
        });
        assert_eq!(
            Failures::get(&lot),
            Some(Failure {
                kind: TestKind::QuickTest,
                by: LAB,
                attestation: id,
                at: 1,
                recalled: false,
                latest: id,
            })
        );
        assert_eq!(Trace::lot(&lot).unwrap().recalled, None);
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![shipping(vec![pack(2)], RETAILER)]
            ),
            Error::LotOnHold
        );
    });
}

#[test]
fn a_sampled_code_shows_the_test_in_its_trace() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let id = test_result("lab", &lot, 42);
        assert_ok!(Food::record_test(
            &origin("lab"),
            lot,
            TestKind::QuickTest,
            TestResult::Pass,
            id,
            Some(pack(2))
        ));
        let inspected = System::events().into_iter().any(|e| {
            matches!(
                e.event,
                RuntimeEvent::Trace(yima_trace::Event::Captured { org: LAB, ref event, .. })
                    if event.biz_step == BizStep::Inspecting
                        && event.codes() == vec![&pack(2)]
                        && event.certifications == vec![id]
            )
        });
        assert!(inspected, "the inspection is in the sample's trace");
    });
}

#[test]
fn a_regulators_fail_also_recalls_the_lot_in_the_trace_core() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let id = test_result("regulator", &lot, 43);
        assert_ok!(Food::record_test(
            &origin("regulator"),
            lot.clone(),
            TestKind::Inspection,
            TestResult::Fail,
            id,
            None
        ));
        System::assert_has_event(yima_trace::Event::LotRecalled {
            lot: lot.clone(),
            by: REGULATOR,
            reason: id,
        });
        System::assert_last_event(Event::TestRecorded {
            lot: lot.clone(),
            kind: TestKind::Inspection,
            result: TestResult::Fail,
            by: REGULATOR,
            attestation: id,
            sample: None,
            recalled: true,
        });
        assert_eq!(Trace::lot(&lot).unwrap().recalled, Some(id));
        assert!(Food::failure(&lot).unwrap().recalled);
    });
}

#[test]
fn a_regulators_later_fail_recalls_a_lot_a_lab_failed_and_keeps_the_first_failure() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let first = test_result("lab", &lot, 44);
        assert_ok!(Food::record_test(
            &origin("lab"),
            lot.clone(),
            TestKind::QuickTest,
            TestResult::Fail,
            first,
            None
        ));
        let confirm = test_result("regulator", &lot, 45);
        assert_ok!(Food::record_test(
            &origin("regulator"),
            lot.clone(),
            TestKind::Inspection,
            TestResult::Fail,
            confirm,
            None
        ));
        let failure = Food::failure(&lot).unwrap();
        assert_eq!((failure.by, failure.attestation), (LAB, first));
        assert_eq!(failure.latest, confirm);
        assert!(failure.recalled);
        assert_eq!(Trace::lot(&lot).unwrap().recalled, Some(confirm));
    });
}

#[test]
fn a_pass_after_a_fail_does_not_lift_the_hold() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        assert_ok!(record("lab", &lot, TestResult::Fail, 46));
        assert_ok!(record("other-lab", &lot, TestResult::Pass, 47));
        assert_eq!(Food::failure(&lot).unwrap().by, LAB);
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![shipping(vec![pack(1)], RETAILER)]
            ),
            Error::LotOnHold
        );
    });
}

#[test]
fn only_an_inspection_body_or_a_regulator_records_a_result() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        // The retailer's own quick test is an attestation it may issue, but not a recorded result.
        let own = test_result("retailer", &lot, 48);
        for who in [
            "retailer",
            "producer",
            "processor",
            "caterer",
            "distributor",
        ] {
            assert_noop!(
                Food::record_test(
                    &origin(who),
                    lot.clone(),
                    TestKind::QuickTest,
                    TestResult::Fail,
                    own,
                    None
                ),
                Error::NotTester
            );
        }
        assert_noop!(
            Food::record_test(
                &origin("lab-op"),
                lot.clone(),
                TestKind::QuickTest,
                TestResult::Fail,
                own,
                None
            ),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert_noop!(
            Food::record_test(
                &origin("reg-inspector"),
                lot,
                TestKind::QuickTest,
                TestResult::Fail,
                own,
                None
            ),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn the_cited_attestation_is_the_testers_own_valid_test_result_on_this_lot() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let call = |who: &str, id| {
            Food::record_test(
                &origin(who),
                lot.clone(),
                TestKind::QuickTest,
                TestResult::Fail,
                id,
                None,
            )
        };
        assert_noop!(call("lab", doc(1)), AttestationError::NotFound);
        // Another lot's result, and this lot's origin certificate.
        let farm_result = test_result("lab", &lot_of(leaves(), "L1"), 49);
        assert_noop!(call("lab", farm_result), AttestationError::WrongSubject);
        let disposal = attest("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, &lot, 50);
        assert_noop!(call("regulator", disposal), AttestationError::WrongSchema);
        // Another lab's result.
        let theirs = test_result("other-lab", &lot, 51);
        assert_noop!(call("lab", theirs), Error::NotOwnAttestation);
        // Revoked, then expired.
        let mine = test_result("lab", &lot, 52);
        ok(Attestation::revoke(&origin("lab"), mine, doc(98)), "revoke");
        assert_noop!(call("lab", mine), AttestationError::Revoked);
        let later = test_result("lab", &lot, 53);
        advance_to(NOW + 31 * DAY);
        assert_noop!(call("lab", later), AttestationError::Expired);
    });
}

#[test]
fn a_result_names_a_known_food_lot_once_and_a_sample_of_it() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        let id = test_result("lab", &lot, 54);
        let call = |lot: yima_trace::types::LotKey, sample| {
            Food::record_test(
                &origin("lab"),
                lot,
                TestKind::QuickTest,
                TestResult::Pass,
                id,
                sample,
            )
        };
        assert_noop!(call(lot_of(packs(), "NOPE"), None), Error::UnknownLot);
        register("manufacturer", soap(), Category::Other);
        let soap_lot = lot_of(soap(), "S1");
        capture(
            "manufacturer",
            vec![commissioning(vec![sgtin(soap(), "S1")], soap_lot.clone())],
        );
        assert_noop!(call(soap_lot, None), Error::NotFoodLot);
        // A bag of the farm lot is not a sample of the packs; an unknown code neither.
        assert_noop!(call(lot.clone(), Some(bag(1))), Error::SampleNotInLot);
        assert_noop!(call(lot.clone(), Some(pack(99))), Error::SampleNotInLot);
        assert_ok!(call(lot.clone(), Some(pack(1))));
        assert_noop!(call(lot, None), Error::AlreadyRecorded);
    });
}
