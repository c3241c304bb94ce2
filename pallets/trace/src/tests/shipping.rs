//! Shipping and receiving: only the custodian ships, only the destination receives, and the contents of a
//! container travel with it.

use yima_frame::{assert_noop, assert_ok, DispatchError, Role};

use crate::epcis::Location;
use crate::mock::*;
use crate::types::CodeStatus;
use crate::Error;

#[test]
fn a_code_is_shipped_and_received() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let ship = shipping(vec![item(0)], DISTRIBUTOR);
        assert_ok!(Trace::capture(&origin("maker"), vec![ship.clone()]));
        System::assert_last_event(captured(MAKER, 0, ship));
        let c = custody(&item(0));
        assert_eq!(
            (c.custodian, c.status),
            (MAKER, CodeStatus::InTransit { to: DISTRIBUTOR })
        );

        let mut recv = receiving(vec![item(0)]);
        recv.biz_location = Some(Location::Other(b"dc-hangzhou".to_vec()));
        recv.source = Some(MAKER);
        assert_ok!(Trace::capture(&origin("distributor"), vec![recv.clone()]));
        System::assert_last_event(captured(DISTRIBUTOR, 0, recv));
        let state = Trace::code(&item(0)).unwrap();
        assert_eq!(
            (state.custodian, state.status, state.location),
            (
                DISTRIBUTOR,
                CodeStatus::Active,
                Some(Location::Other(b"dc-hangzhou".to_vec()))
            )
        );

        // And on to the retailer.
        deliver(DISTRIBUTOR, vec![item(0)], RETAILER);
        assert_eq!(custody(&item(0)).custodian, RETAILER);
    });
}

#[test]
fn only_the_custodian_ships() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![item(0)], RETAILER)]
            ),
            Error::NotCustodian
        );
        // One foreign code spoils the whole event.
        deliver(MAKER, vec![item(1)], DISTRIBUTOR);
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![item(1), item(0)], RETAILER)]
            ),
            Error::NotCustodian
        );
        // The destination cannot ship before it received.
        run("maker", vec![shipping(vec![item(0)], DISTRIBUTOR)]);
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![item(0)], RETAILER)]
            ),
            Error::NotCustodian
        );
    });
}

#[test]
fn a_code_in_transit_is_not_shipped_again() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        run("maker", vec![shipping(vec![item(0)], DISTRIBUTOR)]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], RETAILER)]),
            Error::InTransit
        );
    });
}

#[test]
fn a_packed_code_travels_with_its_container_only() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], DISTRIBUTOR)]),
            Error::InsideContainer
        );
        run("maker", vec![shipping(vec![sscc(0)], DISTRIBUTOR)]);
        assert_noop!(
            Trace::capture(&origin("distributor"), vec![receiving(vec![item(0)])]),
            Error::InsideContainer
        );
    });
}

#[test]
fn shipping_needs_an_active_destination_other_than_oneself() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let mut no_destination = shipping(vec![item(0)], DISTRIBUTOR);
        no_destination.destination = None;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![no_destination]),
            Error::InvalidDestination
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], MAKER)]),
            Error::InvalidDestination
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], 99)]),
            Error::InvalidDestination
        );
        assert_ok!(Membership::suspend_organisation(
            &origin("regulator"),
            DISTRIBUTOR
        ));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![item(0)], DISTRIBUTOR)]),
            Error::InvalidDestination
        );
    });
}

#[test]
fn only_the_destination_receives() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        run("maker", vec![shipping(vec![item(0)], DISTRIBUTOR)]);
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![receiving(vec![item(0)])]),
            Error::NotDestination
        );
        // Not even the shipper takes it back by "receiving" it.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![receiving(vec![item(0)])]),
            Error::NotDestination
        );
    });
}

#[test]
fn receiving_without_a_shipment_is_refused() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        assert_noop!(
            Trace::capture(&origin("distributor"), vec![receiving(vec![item(0)])]),
            Error::ReceiveWithoutShipment
        );
        // The custodian "receiving" what it holds is no shipment either.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![receiving(vec![item(0)])]),
            Error::ReceiveWithoutShipment
        );
        // A code received once is not received twice.
        deliver(MAKER, vec![item(1)], DISTRIBUTOR);
        assert_noop!(
            Trace::capture(&origin("distributor"), vec![receiving(vec![item(1)])]),
            Error::ReceiveWithoutShipment
        );
    });
}

#[test]
fn shipping_and_receiving_need_an_operator() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::capture(
                &origin("viewer"),
                vec![shipping(vec![item(0)], DISTRIBUTOR)]
            ),
            DispatchError::MissingRole(Role::Operator)
        );
        run("maker", vec![shipping(vec![item(0)], LAB)]);
        // The lab's account is an Inspector only.
        assert_noop!(
            Trace::capture(&origin("lab"), vec![receiving(vec![item(0)])]),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn shipping_a_pallet_moves_its_cases_and_items() {
    new_test_ext().execute_with(|| {
        commission_items(4, 3);
        // Pallet sscc(0) ⊃ cases sscc(1) ⊃ items 0, 1 and sscc(2) ⊃ items 2, 3.
        run(
            "maker",
            vec![
                packing(sscc(1), vec![item(0), item(1)]),
                packing(sscc(2), vec![item(2), item(3)]),
                packing(sscc(0), vec![sscc(1), sscc(2)]),
            ],
        );
        let inside = [sscc(1), sscc(2), item(0), item(1), item(2), item(3)];
        let own_before: Vec<_> = inside.iter().map(|c| Trace::code(c).unwrap()).collect();

        run("maker", vec![shipping(vec![sscc(0)], DISTRIBUTOR)]);
        for code in &inside {
            let c = custody(code);
            assert_eq!(
                (c.custodian, c.status, c.root),
                (MAKER, CodeStatus::InTransit { to: DISTRIBUTOR }, sscc(0))
            );
        }
        let mut recv = receiving(vec![sscc(0)]);
        recv.biz_location = Some(Location::Other(b"dc-1".to_vec()));
        run("distributor", vec![recv]);
        for code in &inside {
            let c = custody(code);
            assert_eq!(
                (c.custodian, c.status, c.location),
                (
                    DISTRIBUTOR,
                    CodeStatus::Active,
                    Some(Location::Other(b"dc-1".to_vec()))
                )
            );
        }
        // One record changed, not one per code inside.
        let own_after: Vec<_> = inside.iter().map(|c| Trace::code(c).unwrap()).collect();
        assert_eq!(own_before, own_after);
        assert_eq!(Trace::code(&item(0)).unwrap().custodian, MAKER);

        // The new custodian ships the pallet on; the old one can no longer touch anything inside.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![unpacking(sscc(1), vec![])]),
            Error::NotCustodian
        );
        deliver(DISTRIBUTOR, vec![sscc(0)], RETAILER);
        assert_eq!(custody(&item(3)).custodian, RETAILER);
    });
}
