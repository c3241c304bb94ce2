//! Packing and unpacking: containers, nesting, cycles and custody handed down.

use yima_codes::TraceCode;
use yima_frame::storage::StorageDoubleMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Role};

use crate::custody::MAX_NESTING;
use crate::epcis::{Action, BizStep, EventBody, Location};
use crate::mock::*;
use crate::types::CodeStatus;
use crate::{Contents, Error};

fn contents(parent: &TraceCode) -> Vec<TraceCode> {
    Contents::iter_prefix(parent)
        .into_iter()
        .map(|(c, ())| c)
        .collect()
}

#[test]
fn packing_puts_children_in_a_container() {
    new_test_ext().execute_with(|| {
        commission_items(3, 1);
        let e = packing(sscc(0), vec![item(0), item(1)]);
        assert_ok!(Trace::capture(&origin("maker"), vec![e.clone()]));
        System::assert_last_event(captured(MAKER, 0, e));
        assert_eq!(Trace::code(&item(0)).unwrap().parent, Some(sscc(0)));
        assert_eq!(Trace::code(&sscc(0)).unwrap().children, 2);
        let mut inside = contents(&sscc(0));
        inside.sort();
        let mut expected = vec![item(0), item(1)];
        expected.sort();
        assert_eq!(inside, expected);
        // More children join later.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![packing(sscc(0), vec![item(2)])]
        ));
        assert_eq!(Trace::code(&sscc(0)).unwrap().children, 3);
        assert_eq!(custody(&item(2)).root, sscc(0));
    });
}

#[test]
fn unpacking_some_or_all_children() {
    new_test_ext().execute_with(|| {
        commission_items(3, 1);
        run(
            "maker",
            vec![packing(sscc(0), vec![item(0), item(1), item(2)])],
        );
        let e = unpacking(sscc(0), vec![item(1)]);
        assert_ok!(Trace::capture(&origin("maker"), vec![e.clone()]));
        System::assert_last_event(captured(MAKER, 0, e));
        assert_eq!(Trace::code(&item(1)).unwrap().parent, None);
        assert_eq!(Trace::code(&sscc(0)).unwrap().children, 2);
        assert!(!Contents::contains_key(&sscc(0), &item(1)));
        // No children named: everything inside.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![unpacking(sscc(0), vec![])]
        ));
        assert_eq!(Trace::code(&sscc(0)).unwrap().children, 0);
        assert!(contents(&sscc(0)).is_empty());
        for n in 0..3 {
            assert_eq!(Trace::code(&item(n)).unwrap().parent, None);
        }
    });
}

#[test]
fn a_code_cannot_be_packed_into_itself() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![sscc(0)])]),
            Error::PackIntoItself
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![packing(sscc(0), vec![item(0), sscc(0)])]
            ),
            Error::PackIntoItself
        );
    });
}

#[test]
fn a_container_cannot_be_packed_into_its_own_contents() {
    new_test_ext().execute_with(|| {
        commission_items(0, 3);
        // sscc(0) ⊃ sscc(1) ⊃ sscc(2).
        run(
            "maker",
            vec![
                packing(sscc(1), vec![sscc(2)]),
                packing(sscc(0), vec![sscc(1)]),
            ],
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(1), vec![sscc(0)])]),
            Error::PackIntoDescendant
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(2), vec![sscc(0)])]),
            Error::PackIntoDescendant
        );
        // A middle level is caught as well (it is packed, but the cycle is the real problem).
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(2), vec![sscc(1)])]),
            Error::PackIntoDescendant
        );
    });
}

#[test]
fn a_packed_code_is_not_packed_again() {
    new_test_ext().execute_with(|| {
        commission_items(1, 2);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(1), vec![item(0)])]),
            Error::AlreadyPacked
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![item(0)])]),
            Error::AlreadyPacked
        );
    });
}

#[test]
fn unpacking_what_is_not_inside_is_refused() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![unpacking(sscc(0), vec![item(1)])]),
            Error::NotInside
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![unpacking(sscc(1), vec![item(0)])]),
            Error::NotInside
        );
        // One stranger among real children spoils the event.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![unpacking(sscc(0), vec![item(0), item(1)])]
            ),
            Error::NotInside
        );
    });
}

#[test]
fn only_the_custodian_packs_and_unpacks() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run("distributor", vec![commissioning_units(vec![sscc(5)])]);
        // The distributor's container, the maker's item.
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![packing(sscc(5), vec![item(0)])]
            ),
            Error::NotCustodian
        );
        // The maker's container, the distributor's…
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![sscc(5)])]),
            Error::NotCustodian
        );
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        assert_noop!(
            Trace::capture(&origin("distributor"), vec![unpacking(sscc(0), vec![])]),
            Error::NotCustodian
        );
        assert_noop!(
            Trace::capture(&origin("viewer"), vec![packing(sscc(0), vec![item(1)])]),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn nothing_is_packed_or_unpacked_in_transit() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        run(
            "maker",
            vec![
                packing(sscc(0), vec![item(0)]),
                shipping(vec![sscc(0), item(1)], DISTRIBUTOR),
            ],
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(0), vec![sscc(1)])]),
            Error::InTransit
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(1), vec![item(1)])]),
            Error::InTransit
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![unpacking(sscc(0), vec![])]),
            Error::InTransit
        );
    });
}

#[test]
fn unpacking_hands_custody_and_location_down() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        run(
            "maker",
            vec![
                packing(sscc(1), vec![item(0), item(1)]),
                packing(sscc(0), vec![sscc(1)]),
            ],
        );
        run("maker", vec![shipping(vec![sscc(0)], DISTRIBUTOR)]);
        let mut recv = receiving(vec![sscc(0)]);
        recv.biz_location = Some(Location::Other(b"dc-1".to_vec()));
        run("distributor", vec![recv]);
        // Unpacking the inner case while the pallet is still around it: the item leaves both.
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![unpacking(sscc(1), vec![item(0)])]
        ));
        let state = Trace::code(&item(0)).unwrap();
        assert_eq!(
            (state.custodian, state.location, state.parent, state.status),
            (
                DISTRIBUTOR,
                Some(Location::Other(b"dc-1".to_vec())),
                None,
                CodeStatus::Active
            )
        );
        // It is on its own now: shipping the pallet leaves it behind.
        run("distributor", vec![shipping(vec![sscc(0)], RETAILER)]);
        assert_eq!(custody(&item(0)).status, CodeStatus::Active);
        assert_eq!(
            custody(&item(1)).status,
            CodeStatus::InTransit { to: RETAILER }
        );
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![shipping(vec![item(0)], RETAILER)]
        ));
    });
}

#[test]
fn an_aggregation_observation_changes_nothing_but_needs_known_codes() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        let before = (custody_record(&sscc(0)), custody_record(&item(0)));
        let seen = event(
            EventBody::Aggregation {
                action: Action::Observe,
                parent: sscc(0),
                children: vec![item(0)],
            },
            BizStep::Other,
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![seen.clone()]));
        System::assert_last_event(captured(MAKER, 0, seen));
        assert_eq!(before, (custody_record(&sscc(0)), custody_record(&item(0))));
        let unknown = event(
            EventBody::Aggregation {
                action: Action::Observe,
                parent: sscc(0),
                children: vec![item(9)],
            },
            BizStep::Other,
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![unknown]),
            Error::UnknownCode
        );
    });
}

/// A chain `sscc(base) ⊃ sscc(base + 1) ⊃ … ⊃ sscc(base + levels - 1)`, built inside out.
fn tower(base: u32, levels: u32) {
    run(
        "maker",
        vec![commissioning_units(
            (base..base + levels).map(sscc).collect(),
        )],
    );
    let events = (base..base + levels - 1)
        .rev()
        .map(|n| packing(sscc(n), vec![sscc(n + 1)]))
        .collect();
    run("maker", events);
}

#[test]
fn nesting_is_limited() {
    new_test_ext().execute_with(|| {
        let levels = MAX_NESTING as u32;
        tower(0, levels);
        let deepest = sscc(levels - 1);
        assert_eq!(
            crate::custody::chain(&deepest).unwrap().1.len(),
            MAX_NESTING - 1
        );
        assert_eq!(custody(&deepest).root, sscc(0));
        run("maker", vec![commissioning_units(vec![sscc(100)])]);
        // One more level inside the deepest container is one too many…
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(deepest, vec![sscc(100)])]),
            Error::NestingTooDeep
        );
        // …and so is one more level around the outermost.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(100), vec![sscc(0)])]),
            Error::NestingTooDeep
        );
    });
}

#[test]
fn nesting_counts_the_levels_inside_the_packed_child() {
    new_test_ext().execute_with(|| {
        // Two towers of 9; packing one into the innermost of the other would make 18 levels.
        tower(0, 9);
        tower(20, 9);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![packing(sscc(8), vec![sscc(20)])]),
            Error::NestingTooDeep
        );
        // Up to the limit it is fine, and the root is found from the deepest code.
        tower(40, 7);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![packing(sscc(8), vec![sscc(40)])]
        ));
        assert_eq!(custody(&sscc(46)).root, sscc(0));
        run("maker", vec![shipping(vec![sscc(0)], DISTRIBUTOR)]);
        assert_eq!(
            custody(&sscc(46)).status,
            CodeStatus::InTransit { to: DISTRIBUTOR }
        );
    });
}

#[test]
fn aggregation_steps_must_fit_the_action() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        let mut e = packing(sscc(0), vec![item(0)]);
        e.biz_step = BizStep::Unpacking;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::StepMismatch
        );
        let mut e = unpacking(sscc(0), vec![]);
        e.biz_step = BizStep::Packing;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::StepMismatch
        );
        let mut e = packing(sscc(0), vec![item(0)]);
        e.biz_step = BizStep::Shipping;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::StepMismatch
        );
    });
}
