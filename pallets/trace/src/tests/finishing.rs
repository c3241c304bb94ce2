//! The end of a code's life: sold, dispensed, administered, destroyed — once, by its custodian, loose and empty.

use yima_frame::{assert_noop, assert_ok, DispatchError, Role};

use crate::epcis::{Action, BizStep};
use crate::mock::*;
use crate::types::CodeStatus;
use crate::Error;

const ENDINGS: [(BizStep, CodeStatus); 4] = [
    (BizStep::RetailSelling, CodeStatus::Sold),
    (BizStep::Dispensing, CodeStatus::Dispensed),
    (BizStep::Administering, CodeStatus::Administered),
    (BizStep::Destroying, CodeStatus::Destroyed),
];

#[test]
fn each_finishing_step_ends_a_code_in_its_status() {
    new_test_ext().execute_with(|| {
        commission_items(8, 0);
        for (n, (step, status)) in ENDINGS.into_iter().enumerate() {
            let n = n as u32;
            // OBSERVE (selling) and DELETE (destroying) are both accepted.
            let observe = finishing(step, vec![item(2 * n)]);
            let delete = object(Action::Delete, vec![item(2 * n + 1)], step);
            assert_ok!(Trace::capture(
                &origin("maker"),
                vec![observe.clone(), delete.clone()]
            ));
            System::assert_has_event(captured(MAKER, 0, observe));
            System::assert_last_event(captured(MAKER, 1, delete));
            for code in [item(2 * n), item(2 * n + 1)] {
                assert_eq!(Trace::code(&code).unwrap().status, status);
                assert_eq!(custody(&code).status, status);
                assert!(status.is_finished());
            }
        }
    });
}

#[test]
fn a_finished_code_never_moves_again() {
    new_test_ext().execute_with(|| {
        commission_items(4, 1);
        for (n, (step, _)) in ENDINGS.into_iter().enumerate() {
            let code = item(n as u32);
            run("maker", vec![finishing(step, vec![code])]);
            let before = Trace::code(&code);
            for (again, _) in ENDINGS {
                assert_noop!(
                    Trace::capture(&origin("maker"), vec![finishing(again, vec![code])]),
                    Error::Finished
                );
            }
            assert_noop!(
                Trace::capture(&origin("maker"), vec![shipping(vec![code], DISTRIBUTOR)]),
                Error::Finished
            );
            assert_noop!(
                Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![code])]),
                Error::Finished
            );
            assert_noop!(
                Trace::capture(
                    &origin("maker"),
                    vec![transforming(
                        vec![code],
                        vec![item(20 + n as u32)],
                        Some("L2")
                    )]
                ),
                Error::Finished
            );
            assert_eq!(Trace::code(&code), before);
        }
        // A finished container holds nothing more either.
        run("maker", vec![finishing(BizStep::Destroying, vec![sscc(0)])]);
        run("maker", vec![commissioning(vec![item(9)], "L1")]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![item(9)])]),
            Error::Finished
        );
    });
}

#[test]
fn a_container_is_finished_only_when_empty() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        for (step, _) in ENDINGS {
            assert_noop!(
                Trace::capture(&origin("maker"), vec![finishing(step, vec![sscc(0)])]),
                Error::NotEmpty
            );
        }
        // Nor is anything finished inside it.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![selling(vec![item(0)])]),
            Error::InsideContainer
        );
        run("maker", vec![unpacking(sscc(0), vec![])]);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![
                finishing(BizStep::Destroying, vec![sscc(0)]),
                selling(vec![item(0)])
            ]
        ));
    });
}

#[test]
fn only_the_custodian_finishes_and_not_in_transit() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![item(0)])]),
            Error::NotCustodian
        );
        run("maker", vec![shipping(vec![item(0)], RETAILER)]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![selling(vec![item(0)])]),
            Error::InTransit
        );
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![item(0)])]),
            Error::NotCustodian
        );
        run("retailer", vec![receiving(vec![item(0)])]);
        assert_noop!(
            Trace::capture(&origin("viewer"), vec![selling(vec![item(0)])]),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![selling(vec![item(0)])]
        ));
        assert_eq!(custody(&item(0)).custodian, RETAILER);
    });
}

#[test]
fn finishing_needs_an_observe_or_delete_event() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![object(Action::Add, vec![item(0)], BizStep::RetailSelling)]
            ),
            Error::StepMismatch
        );
    });
}
