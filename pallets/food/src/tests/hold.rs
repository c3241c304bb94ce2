//! A failed lot — and every lot made from it — is held: no sale or catering use, no onward movement; it may
//! still be received, stored, inspected, unpacked and destroyed.

use yima_frame::{assert_noop, assert_ok};
use yima_trace::epcis::{Action, BizStep};
use yima_trace::types::{Category, CodeStatus};

use crate::mock::*;
use crate::{Error, TestResult};

#[test]
fn goods_of_a_failed_lot_are_not_sold() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 3);
        deliver("processor", vec![pack(1), pack(2)], RETAILER, "retailer");
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![selling(vec![pack(1)])]
        ));
        assert_ok!(record("lab", &lot, TestResult::Fail, 60));
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![pack(2)])]),
            Error::FailedTestNoSale
        );
        // The sale before the test stands.
        assert_eq!(Trace::code(&pack(1)).unwrap().status, CodeStatus::Sold);
    });
}

#[test]
fn goods_made_from_a_failed_lot_are_not_sold_even_when_the_fail_comes_later() {
    new_test_ext().execute_with(|| {
        processed(2, 2);
        deliver("processor", vec![pack(1)], RETAILER, "retailer");
        // The farm lot's leaves fail after they were processed: the packs made of them are held.
        assert_ok!(record("lab", &lot_of(leaves(), "L1"), TestResult::Fail, 61));
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![pack(1)])]),
            Error::FailedTestNoSale
        );
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![shipping(vec![pack(2)], RETAILER)]
            ),
            Error::LotOnHold
        );
        // Gift boxes may not be made of them either.
        register("processor", boxes(), Category::Food);
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![transforming(
                    vec![pack(2)],
                    vec![sgtin(boxes(), "G1")],
                    lot_of(boxes(), "G1"),
                )]
            ),
            Error::LotOnHold
        );
    });
}

#[test]
fn a_failed_lot_gets_no_new_codes_and_is_not_packed() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        assert_ok!(record("lab", &lot, TestResult::Fail, 62));
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![commissioning(vec![pack(8)], lot.clone())]
            ),
            Error::LotOnHold
        );
        capture(
            "processor",
            vec![object(Action::Add, vec![sscc(1)], BizStep::Commissioning)],
        );
        assert_noop!(
            Trace::capture(&origin("processor"), vec![packing(sscc(1), vec![pack(1)])]),
            Error::LotOnHold
        );
    });
}

#[test]
fn held_goods_in_transit_are_received_and_may_be_destroyed() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        capture("processor", vec![shipping(vec![pack(1)], DISTRIBUTOR)]);
        assert_ok!(record("lab", &lot, TestResult::Fail, 63));
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![receiving(vec![pack(1)])]
        ));
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![object(Action::Observe, vec![pack(1)], BizStep::Storing)]
        ));
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![object(Action::Observe, vec![pack(1)], BizStep::Destroying)]
        ));
        assert_eq!(Trace::code(&pack(1)).unwrap().status, CodeStatus::Destroyed);
    });
}

#[test]
fn a_mixed_pallet_carries_the_hold_of_the_failed_lot_inside() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        capture(
            "processor",
            vec![
                object(Action::Add, vec![sscc(2)], BizStep::Commissioning),
                packing(sscc(2), vec![pack(1), pack(2)]),
            ],
        );
        assert_ok!(record("lab", &lot, TestResult::Fail, 64));
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![shipping(vec![sscc(2)], DISTRIBUTOR)]
            ),
            Error::LotOnHold
        );
        // Unpacking is allowed: the goods can be sorted out.
        assert_ok!(Trace::capture(
            &origin("processor"),
            vec![yima_trace::epcis::EpcisEvent::new(
                yima_trace::epcis::EventBody::Aggregation {
                    action: Action::Delete,
                    parent: sscc(2),
                    children: vec![],
                },
                System::now(),
                480,
                BizStep::Unpacking,
            )]
        ));
    });
}

#[test]
fn other_lots_are_not_held() {
    new_test_ext().execute_with(|| {
        processed(1, 2);
        // A second farm lot, certified and failed, does not touch the packs of the first.
        capture(
            "producer",
            vec![commissioning(vec![bag(5)], lot_of(leaves(), "L2"))],
        );
        assert_ok!(record("lab", &lot_of(leaves(), "L2"), TestResult::Fail, 65));
        assert_ok!(Trace::capture(
            &origin("processor"),
            vec![shipping(vec![pack(1)], RETAILER)]
        ));
    });
}
