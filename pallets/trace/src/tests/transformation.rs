//! Transformations: inputs are consumed, outputs are commissioned, all in one event.

use yima_frame::{assert_noop, assert_ok, DispatchError, Role};

use crate::epcis::{BizStep, Ilmd};
use crate::mock::*;
use crate::types::CodeStatus;
use crate::Error;

#[test]
fn a_transformation_consumes_inputs_and_commissions_outputs() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        let e = transforming(vec![item(0), item(1)], vec![item(10), item(11)], Some("L2"));
        assert_ok!(Trace::capture(&origin("maker"), vec![e.clone()]));
        System::assert_last_event(captured(MAKER, 0, e));
        for n in [0, 1] {
            assert_eq!(Trace::code(&item(n)).unwrap().status, CodeStatus::Consumed);
            assert_eq!(custody(&item(n)).status, CodeStatus::Consumed);
        }
        for n in [10, 11] {
            let state = Trace::code(&item(n)).unwrap();
            assert_eq!(
                (state.custodian, state.status, state.lot),
                (MAKER, CodeStatus::Active, Some(lot_key("L2")))
            );
        }
        assert_eq!(Trace::lot(&lot_key("L2")).unwrap().commissioned, 2);
    });
}

#[test]
fn a_processor_makes_its_own_product_from_received_goods() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        register_chilled();
        deliver(MAKER, vec![item(0), item(1)], PROCESSOR);
        let mut e = transforming(
            vec![item(0), item(1)],
            vec![item_of(chilled_gtin(), 0), sscc(3)],
            None,
        );
        e.ilmd = Some(Ilmd {
            lot: lot_of(chilled_gtin(), "Y1"),
            ..ilmd("Y1")
        });
        // CBV also calls the making of outputs "commissioning".
        e.biz_step = BizStep::Commissioning;
        assert_ok!(Trace::capture(&origin("processor"), vec![e]));
        assert_eq!(
            Trace::lot(&lot_of(chilled_gtin(), "Y1")).unwrap().owner,
            PROCESSOR
        );
        assert_eq!(custody(&item_of(chilled_gtin(), 0)).custodian, PROCESSOR);
        assert_eq!(Trace::code(&sscc(3)).unwrap().lot, None);
    });
}

#[test]
fn a_processor_may_not_open_a_lot_of_someone_elses_product() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        deliver(MAKER, vec![item(0)], PROCESSOR);
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![transforming(vec![item(0)], vec![item(10)], Some("L9"))]
            ),
            Error::NotOwner
        );
    });
}

#[test]
fn consumed_inputs_are_finished() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        run(
            "maker",
            vec![transforming(vec![item(0)], vec![item(10)], Some("L2"))],
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(0)], vec![item(11)], Some("L2"))]
            ),
            Error::Finished
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], DISTRIBUTOR)]),
            Error::Finished
        );
    });
}

#[test]
fn a_transformation_needs_inputs_and_outputs() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![], vec![item(10)], Some("L2"))]
            ),
            Error::EmptyTransformation
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(0)], vec![], Some("L2"))]
            ),
            Error::EmptyTransformation
        );
        // Naming no code at all is the generic "no code" refusal.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![], vec![], Some("L2"))]
            ),
            Error::TooManyCodes
        );
    });
}

#[test]
fn inputs_must_be_held_loose_and_empty() {
    new_test_ext().execute_with(|| {
        commission_items(3, 2);
        deliver(MAKER, vec![item(2)], DISTRIBUTOR);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(2)], vec![item(10)], Some("L2"))]
            ),
            Error::NotCustodian
        );
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(0)], vec![item(10)], Some("L2"))]
            ),
            Error::InsideContainer
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![sscc(0)], vec![sscc(9)], None)]
            ),
            Error::NotEmpty
        );
        // An empty container may be consumed.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![transforming(vec![sscc(1)], vec![sscc(9)], None)]
        ));
    });
}

#[test]
fn outputs_are_new_codes_with_lot_data() {
    new_test_ext().execute_with(|| {
        commission_items(3, 0);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(0)], vec![item(1)], Some("L1"))]
            ),
            Error::CodeExists
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(0)], vec![item(10)], None)]
            ),
            Error::MissingLotData
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(vec![item(0)], vec![item(0)], Some("L1"))]
            ),
            Error::DuplicateCode
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![
                    transforming(vec![item(0)], vec![item(10)], Some("L2")),
                    transforming(vec![item(1)], vec![item(10)], Some("L2"))
                ]
            ),
            Error::CodeExists
        );
    });
}

#[test]
fn transformation_steps_and_roles() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let mut e = transforming(vec![item(0)], vec![item(10)], Some("L2"));
        e.biz_step = BizStep::Shipping;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::StepMismatch
        );
        assert_noop!(
            Trace::capture(
                &origin("viewer"),
                vec![transforming(vec![item(0)], vec![item(10)], Some("L2"))]
            ),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}
