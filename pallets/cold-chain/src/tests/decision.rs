//! Closing the loop (闭环): a positive lot's hold ends only by a regulator's decision — released citing a
//! negative retest reported after the positive one, or disposed citing an `UNQUALIFIED_PRODUCT_DISPOSAL`
//! attestation (codes destroyed). Before this change the lot was held forever (a second report refused, a
//! disposal attestation destroying nothing).

use yima_attestation::{schemas, AttestationError};
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};
use yima_trace::types::{Category, CodeStatus};

use crate::mock::*;
use crate::{Disposal, Error, Event, NegativeReport, Release};

fn status(code: &yima_codes::TraceCode) -> CodeStatus {
    yima_trace::custody::custody(code, System::now())
        .unwrap()
        .status
}

fn ship(code: yima_codes::TraceCode) -> yima_frame::DispatchResult {
    Trace::capture(
        &origin("warehouse"),
        vec![shipping(vec![code], DISTRIBUTOR)],
    )
}

fn decision() -> Hash {
    doc(90)
}

#[test]
fn a_negative_retest_after_the_positive_one_lets_a_regulator_release_the_hold() {
    new_test_ext().execute_with(|| {
        certified("L1", 2);
        // A routine negative before the positive: recorded, retests nothing.
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            lot("L1"),
            doc(70)
        ));
        System::assert_last_event(Event::NegativeTest {
            lot: lot("L1"),
            by: LAB,
            report: doc(70),
            retests: None,
        });
        assert_ok!(ColdChain::report_positive(
            &origin("regulator"),
            lot("L1"),
            doc(71)
        ));
        assert_eq!(Trace::lot(&lot("L1")).unwrap().recalled, Some(doc(71)));
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            lot("L1"),
            doc(72)
        ));
        assert_eq!(
            ColdChain::negative(&lot("L1"), &doc(72)),
            Some(NegativeReport {
                by: LAB,
                at: 1,
                retests: Some(doc(71)),
            })
        );
        let release =
            |retest| ColdChain::release_hold(&origin("regulator"), lot("L1"), retest, decision());
        assert_noop!(release(doc(70)), Error::RetestBeforeHold);
        assert_noop!(release(doc(71)), Error::RetestNotRecorded);
        assert_noop!(release(doc(73)), Error::RetestNotRecorded);
        assert_noop!(ship(cl(1)), Error::LotOnHold);
        assert_ok!(release(doc(72)));
        System::assert_last_event(Event::HoldReleased {
            lot: lot("L1"),
            by: REGULATOR,
            positive: doc(71),
            retest: doc(72),
            decision: decision(),
            recall_lifted: true,
        });
        assert_eq!(
            ColdChain::release(&lot("L1")),
            Some(Release {
                by: REGULATOR,
                positive: doc(71),
                retest: doc(72),
                decision: decision(),
                recall_lifted: true,
                at: 1,
            })
        );
        assert_eq!(ColdChain::positive(&lot("L1")), None);
        assert_eq!(Trace::lot(&lot("L1")).unwrap().recalled, None);
        assert_ok!(ship(cl(1)));
        // A new positive opens a new hold, which the old retest does not answer.
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(74)
        ));
        assert_noop!(ship(cl(2)), Error::LotOnHold);
        assert_noop!(release(doc(72)), Error::RetestBeforeHold);
    });
}

#[test]
fn a_negative_report_is_a_testers_on_a_known_cold_lot_once() {
    new_test_ext().execute_with(|| {
        certified("L1", 1);
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_noop!(
            ColdChain::report_negative(&origin("distributor"), lot("L1"), doc(75)),
            Error::NotTester
        );
        assert_noop!(
            ColdChain::report_negative(&origin("lab"), lot("L1"), Hash::default()),
            Error::InvalidDigest
        );
        assert_noop!(
            ColdChain::report_negative(&origin("lab"), lot("NOPE"), doc(75)),
            Error::UnknownLot
        );
        register("processor", domestic(), Category::Food);
        capture(
            "processor",
            vec![commissioning(
                vec![sgtin(domestic(), "D1")],
                lot_of(domestic(), "D1"),
            )],
        );
        assert_noop!(
            ColdChain::report_negative(&origin("lab"), lot_of(domestic(), "D1"), doc(75)),
            Error::NotColdChainLot
        );
        // The positive report is not also a negative one, and a report is recorded once.
        assert_noop!(
            ColdChain::report_negative(&origin("lab"), lot("L1"), doc(66)),
            Error::ReportReused
        );
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            lot("L1"),
            doc(75)
        ));
        assert_noop!(
            ColdChain::report_negative(&origin("regulator"), lot("L1"), doc(75)),
            Error::ReportReused
        );
    });
}

#[test]
fn only_a_regulators_operator_or_governance_account_decides_and_only_on_a_held_lot() {
    new_test_ext().execute_with(|| {
        certified("L1", 1);
        let disposal = certify("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, "L1", 76);
        assert_noop!(
            ColdChain::release_hold(&origin("regulator"), lot("L1"), doc(77), decision()),
            Error::NotHeld
        );
        assert_noop!(
            ColdChain::dispose_lot(&origin("regulator"), lot("L1"), disposal),
            Error::NotHeld
        );
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            lot("L1"),
            doc(77)
        ));
        for who in ["lab", "customs", "importer", "warehouse"] {
            assert_noop!(
                ColdChain::release_hold(&origin(who), lot("L1"), doc(77), decision()),
                Error::NotRegulator
            );
            assert_noop!(
                ColdChain::dispose_lot(&origin(who), lot("L1"), disposal),
                Error::NotRegulator
            );
        }
        assert_noop!(
            ColdChain::release_hold(&origin("reg-inspector"), lot("L1"), doc(77), decision()),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            ColdChain::dispose_lot(&origin("reg-inspector"), lot("L1"), disposal),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            ColdChain::release_hold(&origin("regulator"), lot("L1"), doc(77), Hash::default()),
            Error::InvalidDigest
        );
        assert_noop!(
            ColdChain::release_hold(&origin("regulator"), lot("NOPE"), doc(77), decision()),
            Error::UnknownLot
        );
        // A lab's positive made no recall: none is lifted.
        assert_ok!(ColdChain::release_hold(
            &origin("regulator"),
            lot("L1"),
            doc(77),
            decision()
        ));
        assert!(!ColdChain::release(&lot("L1")).unwrap().recall_lifted);
    });
}

#[test]
fn a_lot_made_from_a_positive_lot_follows_its_sources_release() {
    new_test_ext().execute_with(|| {
        certified("L1", 2);
        register("processor", patties(), Category::Food);
        deliver("warehouse", vec![cl(1)], PROCESSOR, "processor");
        let pack = sgtin(patties(), "P1");
        let patties_lot = lot_of(patties(), "PL1");
        capture(
            "processor",
            vec![transforming(vec![cl(1)], vec![pack], patties_lot.clone())],
        );
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            patties_lot.clone(),
            doc(78)
        ));
        assert_noop!(
            ColdChain::release_hold(&origin("regulator"), patties_lot, doc(78), decision()),
            Error::HeldBySource
        );
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            lot("L1"),
            doc(79)
        ));
        assert_ok!(ColdChain::release_hold(
            &origin("regulator"),
            lot("L1"),
            doc(79),
            decision()
        ));
        assert_ok!(Trace::capture(
            &origin("processor"),
            vec![shipping(vec![pack], DISTRIBUTOR)]
        ));
    });
}

/// The attack test before this change showed a disposal attestation destroying nothing; now the regulator's
/// disposal citing it destroys every code of the lot, without a write per code.
#[test]
fn a_regulator_disposes_of_a_positive_lot_citing_a_valid_disposal_attestation() {
    new_test_ext().execute_with(|| {
        let report = certified("L1", 3);
        deliver("warehouse", vec![cl(3)], DISTRIBUTOR, "distributor");
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        let dispose = |id| ColdChain::dispose_lot(&origin("regulator"), lot("L1"), id);
        assert_noop!(dispose(report), AttestationError::WrongSchema);
        assert_noop!(dispose(doc(80)), AttestationError::NotFound);
        let other = certify("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, "L2", 81);
        assert_noop!(dispose(other), AttestationError::WrongSubject);
        let revoked = certify("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, "L1", 82);
        ok(
            Attestation::revoke(&origin("regulator"), revoked, doc(83)),
            "revoke",
        );
        assert_noop!(dispose(revoked), AttestationError::Revoked);
        let expiring = certify_until(
            "regulator",
            schemas::UNQUALIFIED_PRODUCT_DISPOSAL,
            "L1",
            84,
            Some(NOW + DAY),
        );
        advance_to(NOW + 2 * DAY);
        assert_noop!(dispose(expiring), AttestationError::Expired);
        let disposal = certify("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, "L1", 85);
        assert_ok!(dispose(disposal));
        System::assert_has_event(yima_trace::Event::LotDisposed {
            lot: lot("L1"),
            disposal,
        });
        System::assert_last_event(Event::LotDisposed {
            lot: lot("L1"),
            by: REGULATOR,
            disposal,
        });
        assert_eq!(
            ColdChain::disposal(&lot("L1")),
            Some(Disposal {
                by: REGULATOR,
                disposal,
                at: System::block_number(),
            })
        );
        for n in 1..=3 {
            assert_eq!(status(&cl(n)), CodeStatus::Destroyed);
        }
        assert!(ship(cl(1)).is_err());
        assert_noop!(dispose(disposal), Error::LotDisposed);
        assert_ok!(ColdChain::report_negative(
            &origin("lab"),
            lot("L1"),
            doc(86)
        ));
        assert_noop!(
            ColdChain::release_hold(&origin("regulator"), lot("L1"), doc(86), decision()),
            Error::LotDisposed
        );
    });
}
