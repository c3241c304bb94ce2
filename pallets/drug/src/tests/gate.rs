//! The capture gate: prescription drugs and controlled compound preparations leave a pharmacy only through the
//! drug pallet; ordinary goods and unlisted drugs are untouched.

use yima_frame::{assert_noop, assert_ok};
use yima_trace::epcis::{Action, BizStep};

use crate::mock::*;
use crate::Error;

#[test]
fn a_direct_dispensing_or_sale_of_a_prescription_drug_is_refused() {
    new_test_ext().execute_with(|| {
        stocked(4);
        for code in [RX, COMPOUND, RX_COMPOUND] {
            for step in [BizStep::Dispensing, BizStep::RetailSelling] {
                assert_noop!(
                    Trace::capture(
                        &origin("pharmacy"),
                        vec![object(Action::Observe, vec![unit(code, 0)], step)]
                    ),
                    Error::DispenseThroughDrugPallet
                );
            }
        }
    });
}

#[test]
fn an_unlisted_drug_is_sold_by_plain_capture() {
    new_test_ext().execute_with(|| {
        stocked(4);
        assert_ok!(Trace::capture(
            &origin("pharmacy"),
            vec![object(
                Action::Observe,
                vec![unit(OTC, 0)],
                BizStep::RetailSelling
            )]
        ));
        assert_ok!(Trace::capture(
            &origin("pharmacy"),
            vec![object(
                Action::Observe,
                vec![unit(OTC, 1)],
                BizStep::Dispensing
            )]
        ));
    });
}

#[test]
fn other_movements_of_prescription_drugs_are_untouched() {
    new_test_ext().execute_with(|| {
        stocked(4);
        // Storing, inspecting, returning to the distributor, destroying.
        assert_ok!(Trace::capture(
            &origin("pharmacy"),
            vec![object(
                Action::Observe,
                vec![unit(RX, 0)],
                BizStep::Inspecting
            )]
        ));
        assert_ok!(Trace::capture(
            &origin("pharmacy"),
            vec![shipping(vec![unit(RX, 0)], DISTRIBUTOR)]
        ));
        assert_ok!(Trace::capture(
            &origin("pharmacy"),
            vec![object(
                Action::Delete,
                vec![unit(RX, 1)],
                BizStep::Destroying
            )]
        ));
    });
}
