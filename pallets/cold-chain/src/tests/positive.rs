//! 一键排查: a positive test holds the lot (and lots made from it), a regulator's also recalls it in the trace
//! core, and the report is an alert.

use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};
use yima_trace::epcis::{Action, BizStep};
use yima_trace::types::{Category, CodeStatus};

use crate::mock::*;
use crate::types::PositiveReport;
use crate::{Error, Event, Positives};

#[test]
fn a_labs_positive_test_holds_the_lot_and_raises_an_alert() {
    new_test_ext().execute_with(|| {
        certified("L1", 3);
        deliver("warehouse", vec![cl(1)], DISTRIBUTOR, "distributor");
        capture("warehouse", vec![shipping(vec![cl(2)], RETAILER)]);
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        System::assert_last_event(Event::PositiveTest {
            lot: lot("L1"),
            by: LAB,
            report: doc(66),
            recalled: false,
        });
        assert_eq!(
            Positives::get(&lot("L1")),
            Some(PositiveReport {
                by: LAB,
                report: doc(66),
                at: 1,
                recalled: false,
            })
        );
        // Held: no shipment, even to a distributor, no sale, no packing.
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![cl(1)], RETAILER)]
            ),
            Error::LotOnHold
        );
        assert_noop!(
            Trace::capture(
                &origin("warehouse"),
                vec![shipping(vec![cl(3)], DISTRIBUTOR)]
            ),
            Error::LotOnHold
        );
        // Goods in transit may still be received, and held goods destroyed.
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![receiving(vec![cl(2)])]
        ));
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![cl(2)])]),
            Error::LotOnHold
        );
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![object(Action::Observe, vec![cl(1)], BizStep::Destroying)]
        ));
        assert_eq!(Trace::code(&cl(1)).unwrap().status, CodeStatus::Destroyed);
        // The trace core itself did not recall it: an inspection body may not.
        assert_eq!(Trace::lot(&lot("L1")).unwrap().recalled, None);
    });
}

#[test]
fn a_regulators_positive_test_also_recalls_the_lot_in_the_trace_core() {
    new_test_ext().execute_with(|| {
        certified("L1", 2);
        assert_ok!(ColdChain::report_positive(
            &origin("regulator"),
            lot("L1"),
            doc(66)
        ));
        System::assert_has_event(yima_trace::Event::LotRecalled {
            lot: lot("L1"),
            by: REGULATOR,
            reason: doc(66),
        });
        System::assert_last_event(Event::PositiveTest {
            lot: lot("L1"),
            by: REGULATOR,
            report: doc(66),
            recalled: true,
        });
        assert_eq!(Trace::lot(&lot("L1")).unwrap().recalled, Some(doc(66)));
    });
}

#[test]
fn a_lot_made_from_a_positive_lot_is_held_too() {
    new_test_ext().execute_with(|| {
        certified("L1", 2);
        register("processor", patties(), Category::Food);
        deliver("warehouse", vec![cl(1)], PROCESSOR, "processor");
        let pack = sgtin(patties(), "P1");
        capture(
            "processor",
            vec![transforming(
                vec![cl(1)],
                vec![pack],
                lot_of(patties(), "PL1"),
            )],
        );
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![shipping(vec![pack], DISTRIBUTOR)]
            ),
            Error::LotOnHold
        );
        // And the derived lot may be reported on its own.
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot_of(patties(), "PL1"),
            doc(67)
        ));
    });
}

#[test]
fn a_held_lot_gets_no_new_codes() {
    new_test_ext().execute_with(|| {
        let disinfection = issued("L1", 1);
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_noop!(
            ColdChain::issue_codes(&origin("warehouse"), lot("L1"), 1, disinfection),
            Error::LotOnHold
        );
    });
}

#[test]
fn only_an_inspection_body_or_a_regulator_reports() {
    new_test_ext().execute_with(|| {
        certified("L1", 1);
        for who in ["retailer", "customs", "importer", "warehouse", "cdc"] {
            assert_noop!(
                ColdChain::report_positive(&origin(who), lot("L1"), doc(66)),
                Error::NotTester
            );
        }
        assert_noop!(
            ColdChain::report_positive(&origin("lab-op"), lot("L1"), doc(66)),
            DispatchError::MissingRole(Role::Inspector)
        );
        assert_noop!(
            ColdChain::report_positive(&origin("reg-inspector"), lot("L1"), doc(66)),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn a_report_names_a_known_cold_chain_lot_once_with_a_digest() {
    new_test_ext().execute_with(|| {
        certified("L1", 1);
        assert_noop!(
            ColdChain::report_positive(&origin("lab"), lot("L1"), Hash::default()),
            Error::InvalidDigest
        );
        assert_noop!(
            ColdChain::report_positive(&origin("lab"), lot("NOPE"), doc(66)),
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
            ColdChain::report_positive(&origin("lab"), lot_of(domestic(), "D1"), doc(66)),
            Error::NotColdChainLot
        );
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_noop!(
            ColdChain::report_positive(&origin("regulator"), lot("L1"), doc(67)),
            Error::AlreadyReported
        );
    });
}
