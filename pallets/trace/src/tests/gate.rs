//! Capture gates: another pallet's rule sees every event before it applies — with the lots of the codes and of
//! everything packed inside them — and its refusal leaves nothing behind, whether the event was captured
//! directly or recorded by a pallet.

use yima_frame::{assert_noop, assert_ok, DispatchError, ModuleError};

use crate::epcis::BizStep;
use crate::mock::*;

fn lot_blocked() -> DispatchError {
    DispatchError::Module(ModuleError {
        pallet: "TestGate".into(),
        error: "LotBlocked".into(),
    })
}

#[test]
fn the_gate_sees_every_event_of_a_capture_with_its_position() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![
                commissioning(vec![item(0), item(1)], "L1"),
                shipping(vec![item(0)], DISTRIBUTOR),
            ]
        ));
        assert_eq!(gate_calls(), vec![(0, None), (1, None)]);
    });
}

#[test]
fn a_gate_refusal_undoes_the_whole_capture() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        block_lot(lot_key("L1"));
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![observing(BizStep::Storing, vec![item(1)])]
            ),
            lot_blocked()
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], DISTRIBUTOR)]),
            lot_blocked()
        );
    });
}

#[test]
fn the_gate_sees_the_lots_packed_inside_a_container() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        run("maker", vec![packing(sscc(1), vec![sscc(0)])]);
        block_lot(lot_key("L1"));
        // The outer pallet has no lot of its own; the item two levels down does.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(1)], DISTRIBUTOR)]),
            lot_blocked()
        );
    });
}

#[test]
fn a_pallet_recording_for_an_organisation_passes_the_same_gate() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_ok!(Trace::record(
            &origin("maker"),
            vec![shipping(vec![item(0)], DISTRIBUTOR)],
            "Vaccine"
        ));
        assert_eq!(gate_calls().last(), Some(&(0, Some("Vaccine"))));
        block_lot(lot_key("L1"));
        assert_noop!(
            Trace::record(
                &origin("distributor"),
                vec![receiving(vec![item(0)])],
                "Vaccine"
            ),
            lot_blocked()
        );
    });
}
