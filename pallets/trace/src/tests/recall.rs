//! Recall (一键排查) and expiry: who may recall, and which movements recalled or expired goods may still make.

use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};

use crate::epcis::BizStep;
use crate::mock::*;
use crate::types::{CodeStatus, FLAG_RECALLED};
use crate::{Error, Event};

fn notice() -> Hash {
    Hash([7; 32])
}

#[test]
fn the_lot_owner_recalls_a_lot() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        assert_ok!(Trace::recall_lot(&origin("maker"), lot_key("L1"), notice()));
        System::assert_last_event(Event::LotRecalled {
            lot: lot_key("L1"),
            by: MAKER,
            reason: notice(),
        });
        assert_eq!(Trace::lot(&lot_key("L1")).unwrap().recalled, Some(notice()));
        for n in 0..2 {
            assert_eq!(custody(&item(n)).status, CodeStatus::Recalled);
            // A flag on the lot, not a write per code.
            assert_eq!(Trace::code(&item(n)).unwrap().status, CodeStatus::Active);
        }
    });
}

#[test]
fn a_regulator_recalls_any_lot_or_code() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        assert_ok!(Trace::recall_lot(
            &origin("regulator"),
            lot_key("L1"),
            notice()
        ));
        System::assert_last_event(Event::LotRecalled {
            lot: lot_key("L1"),
            by: REGULATOR,
            reason: notice(),
        });
        assert_ok!(Trace::recall_code(&origin("regulator"), item(0), notice()));
        System::assert_last_event(Event::CodeRecalled {
            code: item(0),
            by: REGULATOR,
            reason: notice(),
        });
        assert_eq!(
            Trace::code(&item(0)).unwrap().flags & FLAG_RECALLED,
            FLAG_RECALLED
        );
    });
}

#[test]
fn the_lot_owner_recalls_a_code_wherever_it_is() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        deliver(MAKER, vec![item(0)], RETAILER);
        assert_ok!(Trace::recall_code(&origin("maker"), item(0), notice()));
        assert_eq!(custody(&item(0)).status, CodeStatus::Recalled);
        assert_eq!(custody(&item(1)).status, CodeStatus::Active);
    });
}

#[test]
fn others_may_not_recall() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        deliver(MAKER, vec![item(0)], RETAILER);
        // Not a rival, and not the holder either.
        for who in ["rival", "retailer", "distributor"] {
            assert_noop!(
                Trace::recall_lot(&origin(who), lot_key("L1"), notice()),
                Error::NotAllowedToRecall
            );
            assert_noop!(
                Trace::recall_code(&origin(who), item(0), notice()),
                Error::NotAllowedToRecall
            );
        }
        // The owner's Inspector lacks the Operator role.
        assert_noop!(
            Trace::recall_lot(&origin("viewer"), lot_key("L1"), notice()),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn a_recall_happens_once() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_ok!(Trace::recall_lot(&origin("maker"), lot_key("L1"), notice()));
        assert_noop!(
            Trace::recall_lot(&origin("maker"), lot_key("L1"), Hash([8; 32])),
            Error::AlreadyRecalled
        );
        assert_noop!(
            Trace::recall_lot(&origin("regulator"), lot_key("L1"), notice()),
            Error::AlreadyRecalled
        );
        assert_ok!(Trace::recall_code(&origin("maker"), item(0), notice()));
        assert_noop!(
            Trace::recall_code(&origin("regulator"), item(0), notice()),
            Error::AlreadyRecalled
        );
    });
}

#[test]
fn recalling_the_unknown_is_refused() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::recall_lot(&origin("maker"), lot_key("L9"), notice()),
            Error::UnknownLot
        );
        assert_noop!(
            Trace::recall_code(&origin("maker"), item(9), notice()),
            Error::UnknownCode
        );
    });
}

#[test]
fn a_logistic_unit_is_recalled_by_whoever_holds_it() {
    new_test_ext().execute_with(|| {
        commission_items(1, 2);
        // The case sscc(1) travels inside the pallet sscc(0) to the distributor.
        run(
            "maker",
            vec![
                packing(sscc(1), vec![item(0)]),
                packing(sscc(0), vec![sscc(1)]),
            ],
        );
        deliver(MAKER, vec![sscc(0)], DISTRIBUTOR);
        assert_noop!(
            Trace::recall_code(&origin("maker"), sscc(1), notice()),
            Error::NotAllowedToRecall
        );
        assert_ok!(Trace::recall_code(
            &origin("distributor"),
            sscc(1),
            notice()
        ));
        assert_eq!(custody(&item(0)).status, CodeStatus::Recalled);
        assert_eq!(custody(&sscc(0)).status, CodeStatus::Active);
    });
}

#[test]
fn recalled_codes_do_not_move() {
    new_test_ext().execute_with(|| {
        commission_items(3, 2);
        run("maker", vec![commissioning(vec![item(10)], "L2")]);
        assert_ok!(Trace::recall_code(&origin("maker"), item(0), notice()));
        assert_ok!(Trace::recall_lot(&origin("maker"), lot_key("L2"), notice()));
        // A recalled code, and a code of a recalled lot.
        for code in [item(0), item(10)] {
            assert_noop!(
                Trace::capture(&origin("maker"), vec![shipping(vec![code], DISTRIBUTOR)]),
                Error::Recalled
            );
            assert_noop!(
                Trace::capture(&origin("maker"), vec![selling(vec![code])]),
                Error::Recalled
            );
            assert_noop!(
                Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![code])]),
                Error::Recalled
            );
            assert_noop!(
                Trace::capture(
                    &origin("maker"),
                    vec![transforming(vec![code], vec![item(20)], Some("L3"))]
                ),
                Error::Recalled
            );
        }
        // Nothing is packed into a recalled container.
        assert_ok!(Trace::recall_code(&origin("maker"), sscc(1), notice()));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(1), vec![item(1)])]),
            Error::Recalled
        );
    });
}

#[test]
fn a_recalled_container_holds_its_contents_back() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run("maker", vec![packing(sscc(0), vec![item(0), item(1)])]);
        assert_ok!(Trace::recall_code(&origin("maker"), sscc(0), notice()));
        assert_eq!(custody(&item(0)).status, CodeStatus::Recalled);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(0)], DISTRIBUTOR)]),
            Error::Recalled
        );
        // Unpacking is allowed (to destroy the contents), and the recall goes with the items.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![unpacking(sscc(0), vec![])]
        ));
        assert_eq!(
            Trace::code(&item(0)).unwrap().flags & FLAG_RECALLED,
            FLAG_RECALLED
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], DISTRIBUTOR)]),
            Error::Recalled
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![selling(vec![item(1)])]),
            Error::Recalled
        );
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![finishing(BizStep::Destroying, vec![item(0), item(1)])]
        ));
    });
}

#[test]
fn a_container_holding_recalled_goods_does_not_move() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        run("maker", vec![commissioning(vec![item(10)], "L2")]);
        // pallet sscc(0) ⊃ case sscc(1) ⊃ item(0) (recalled on its own), and item(10) of a lot recalled later.
        run(
            "maker",
            vec![
                packing(sscc(1), vec![item(0)]),
                packing(sscc(0), vec![sscc(1)]),
            ],
        );
        assert_ok!(Trace::recall_code(&origin("maker"), item(0), notice()));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(0)], DISTRIBUTOR)]),
            Error::Recalled
        );
        run("maker", vec![unpacking(sscc(1), vec![])]);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![packing(sscc(1), vec![item(10)])]
        ));
        assert_ok!(Trace::recall_lot(&origin("maker"), lot_key("L2"), notice()));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(0)], DISTRIBUTOR)]),
            Error::Recalled
        );
        // Nor is a case holding recalled goods packed onto another pallet.
        run("maker", vec![unpacking(sscc(0), vec![])]);
        run("maker", vec![commissioning_units(vec![sscc(5)])]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(5), vec![sscc(1)])]),
            Error::Recalled
        );
    });
}

#[test]
fn recalled_goods_in_transit_are_received_then_destroyed_not_sold() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run(
            "maker",
            vec![
                packing(sscc(0), vec![item(0)]),
                shipping(vec![sscc(0), item(1)], RETAILER),
            ],
        );
        assert_ok!(Trace::recall_lot(
            &origin("regulator"),
            lot_key("L1"),
            notice()
        ));
        // Received, so the recall knows who holds it.
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![receiving(vec![sscc(0), item(1)])]
        ));
        assert_eq!(custody(&item(0)).custodian, RETAILER);
        assert_eq!(custody(&item(1)).status, CodeStatus::Recalled);
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![item(1)])]),
            Error::Recalled
        );
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![shipping(vec![item(1)], MAKER)]),
            Error::Recalled
        );
        run("retailer", vec![unpacking(sscc(0), vec![])]);
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![finishing(BizStep::Destroying, vec![item(0), item(1)])]
        ));
        assert_eq!(custody(&item(0)).status, CodeStatus::Destroyed);
    });
}

#[test]
fn expired_codes_do_not_move() {
    new_test_ext().execute_with(|| {
        commission_items(3, 2);
        run("maker", vec![packing(sscc(1), vec![item(2)])]);
        advance_to(NOW + 365 * DAY);
        assert!(custody(&item(0)).expired);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], DISTRIBUTOR)]),
            Error::Expired
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![selling(vec![item(0)])]),
            Error::Expired
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![item(0)])]),
            Error::Expired
        );
        // Not inside a container either.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(1)], DISTRIBUTOR)]),
            Error::Expired
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![sscc(1)])]),
            Error::Expired
        );
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![finishing(BizStep::Destroying, vec![item(0)])]
        ));
    });
}

#[test]
fn the_last_moment_before_expiry_still_counts_as_valid() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        advance_to(NOW + 365 * DAY - 1);
        assert!(!custody(&item(0)).expired);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![selling(vec![item(0)])]
        ));
    });
}

#[test]
fn expired_goods_in_transit_are_received_then_destroyed_not_sold() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        run("maker", vec![shipping(vec![item(0)], RETAILER)]);
        advance_to(NOW + 400 * DAY);
        let mut recv = receiving(vec![item(0)]);
        recv.event_time = NOW + 400 * DAY;
        assert_ok!(Trace::capture(&origin("retailer"), vec![recv]));
        assert_eq!(custody(&item(0)).custodian, RETAILER);
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![item(0)])]),
            Error::Expired
        );
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![finishing(BizStep::Destroying, vec![item(0)])]
        ));
    });
}
