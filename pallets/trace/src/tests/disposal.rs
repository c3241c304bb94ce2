//! Lot disposal: one mark on the lot destroys every code of it, wherever it is, without a write per code; and a
//! recall ends only for the notice it was made with.

use yima_frame::{assert_noop, assert_ok, Hash};

use crate::mock::*;
use crate::types::CodeStatus;
use crate::{Error, Event};

fn disposal() -> Hash {
    Hash([9; 32])
}

#[test]
fn a_disposed_lots_codes_count_as_destroyed_wherever_they_are() {
    new_test_ext().execute_with(|| {
        commission_items(4, 1);
        deliver(MAKER, vec![item(0)], RETAILER);
        run("maker", vec![shipping(vec![item(1)], DISTRIBUTOR)]);
        run("maker", vec![packing(sscc(0), vec![item(2)])]);
        run("retailer", vec![selling(vec![item(0)])]);
        assert_ok!(Trace::dispose_lot(&lot_key("L1"), disposal()));
        System::assert_last_event(Event::LotDisposed {
            lot: lot_key("L1"),
            disposal: disposal(),
        });
        assert_eq!(
            Trace::lot(&lot_key("L1")).unwrap().disposed,
            Some(disposal())
        );
        // A sold code stays sold; every other code is destroyed, in transit, packed or at home.
        assert_eq!(custody(&item(0)).status, CodeStatus::Sold);
        for n in 1..4 {
            assert_eq!(custody(&item(n)).status, CodeStatus::Destroyed);
            // A mark on the lot, not a write per code.
            assert_ne!(Trace::code(&item(n)).unwrap().status, CodeStatus::Destroyed);
        }
        // Goods in transit may still be received (so the regulator knows where they are, as for a recall) and
        // stay destroyed; they never move again, nor does a container holding one, nor does the lot get new codes.
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![receiving(vec![item(1)])]
        ));
        assert_eq!(custody(&item(1)).status, CodeStatus::Destroyed);
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![item(1)], RETAILER)]
            ),
            Error::Finished
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(3)], RETAILER)]),
            Error::Finished
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(0)], RETAILER)]),
            Error::Finished
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![item(9)], "L1")]),
            Error::Finished
        );
    });
}

#[test]
fn a_lot_is_disposed_of_once_and_must_exist() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::dispose_lot(&lot_key("L2"), disposal()),
            Error::UnknownLot
        );
        assert_ok!(Trace::dispose_lot(&lot_key("L1"), disposal()));
        assert_noop!(
            Trace::dispose_lot(&lot_key("L1"), Hash([10; 32])),
            Error::AlreadyDisposed
        );
    });
}

#[test]
fn a_recall_is_lifted_only_for_its_own_notice() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let notice = Hash([7; 32]);
        assert_ok!(Trace::recall_lot(
            &origin("regulator"),
            lot_key("L1"),
            notice
        ));
        assert!(!Trace::lift_recall(&lot_key("L1"), Hash([8; 32])));
        assert_eq!(custody(&item(0)).status, CodeStatus::Recalled);
        assert!(Trace::lift_recall(&lot_key("L1"), notice));
        assert_eq!(Trace::lot(&lot_key("L1")).unwrap().recalled, None);
        assert_eq!(custody(&item(0)).status, CodeStatus::Active);
        assert!(!Trace::lift_recall(&lot_key("L1"), notice));
        assert!(!Trace::lift_recall(&lot_key("L2"), notice));
    });
}

#[test]
fn the_disposal_event_has_index_nine() {
    use parity_scale_codec::Encode;
    let event = Event::LotDisposed {
        lot: lot_key("L1"),
        disposal: disposal(),
    };
    // Indices 5–8 are reserved for other trace events; the disposal is 9.
    assert_eq!(event.encode()[0], 9);
    assert_eq!(
        yima_frame::DispatchError::from(Error::AlreadyDisposed),
        yima_frame::DispatchError::module("Trace", "AlreadyDisposed")
    );
}
