//! Batch release (批签发): a vaccine lot moves only while it holds a valid batch release — none before it, none
//! once it was revoked or has expired — whether the doses travel loose or packed in a container.

use yima_attestation::schemas;
use yima_frame::{assert_noop, assert_ok, sha256};
use yima_trace::epcis::{Action, BizStep};
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::Error;

#[test]
fn an_unreleased_batch_cannot_leave_the_manufacturer() {
    new_test_ext().execute_with(|| {
        commissioned_lot(2);
        assert!(!Vaccine::is_released(&lot_key("L1")));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![dose(0)], CDC)]),
            Error::BatchNotReleased
        );
        assert_eq!(custody(&dose(0)).status, CodeStatus::Active);
    });
}

#[test]
fn a_released_batch_ships_to_the_cdc() {
    new_test_ext().execute_with(|| {
        released_lot(2);
        assert!(Vaccine::is_released(&lot_key("L1")));
        let event = shipping(vec![dose(0), dose(1)], CDC);
        assert_ok!(Trace::capture(&origin("maker"), vec![event.clone()]));
        System::assert_last_event(yima_trace::Event::Captured {
            org: MAKER,
            index: 0,
            event,
        });
        assert_eq!(custody(&dose(0)).status, CodeStatus::InTransit { to: CDC });
    });
}

#[test]
fn the_release_of_another_lot_or_another_schema_does_not_count() {
    new_test_ext().execute_with(|| {
        commissioned_lot(1);
        release("L2");
        // A drug inspection report about the right lot is not a batch release.
        Attestation::attest(
            &origin("lab"),
            schemas::DRUG_INSPECTION,
            lot_subject("L1"),
            sha256(b"inspection report"),
            None,
            NOW,
            None,
        )
        .unwrap();
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![dose(0)], CDC)]),
            Error::BatchNotReleased
        );
    });
}

#[test]
fn a_revoked_batch_release_stops_the_batch_wherever_it_is() {
    new_test_ext().execute_with(|| {
        let id = released_lot(2);
        deliver(MAKER, vec![dose(0)], CDC);
        run("maker", vec![shipping(vec![dose(1)], CDC)]);
        assert_ok!(Attestation::revoke(
            &origin("regulator"),
            id,
            sha256(b"release withdrawn")
        ));
        assert!(!Vaccine::is_released(&lot_key("L1")));
        // The CDC may not pass it on to a site …
        assert_noop!(
            Trace::capture(&origin("cdc"), vec![shipping(vec![dose(0)], SITE)]),
            Error::BatchNotReleased
        );
        // … but receives the dose already on its way, so the chain knows who holds it.
        assert_ok!(Trace::capture(
            &origin("cdc"),
            vec![receiving(vec![dose(1)])]
        ));
        assert_eq!(custody(&dose(1)).custodian, CDC);
    });
}

#[test]
fn an_expired_batch_release_is_refused() {
    new_test_ext().execute_with(|| {
        commissioned_lot(1);
        release_until("L1", Some(NOW + 30 * DAY));
        advance_to(NOW + 30 * DAY);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![dose(0)], CDC)]),
            Error::BatchNotReleased
        );
    });
}

#[test]
fn a_release_not_yet_in_force_is_refused() {
    new_test_ext().execute_with(|| {
        commissioned_lot(1);
        Attestation::attest(
            &origin("lab"),
            schemas::BATCH_RELEASE,
            lot_subject("L1"),
            sha256(b"release effective next week"),
            None,
            NOW + 7 * DAY,
            None,
        )
        .unwrap();
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![dose(0)], CDC)]),
            Error::BatchNotReleased
        );
    });
}

#[test]
fn unreleased_doses_cannot_leave_packed_in_a_pallet() {
    new_test_ext().execute_with(|| {
        commissioned_lot(2);
        run(
            "maker",
            vec![
                commissioning_units(vec![sscc(0), sscc(1)]),
                packing(sscc(0), vec![dose(0), dose(1)]),
                packing(sscc(1), vec![sscc(0)]),
            ],
        );
        // The outer pallet has no lot; the doses two levels down do.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(1)], CDC)]),
            Error::BatchNotReleased
        );
        release("L1");
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![shipping(vec![sscc(1)], CDC)]
        ));
    });
}

#[test]
fn one_unreleased_lot_in_a_shipment_refuses_the_whole_shipment() {
    new_test_ext().execute_with(|| {
        released_lot(1);
        run("maker", vec![commissioning(vec![dose(10)], "L2")]);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![shipping(vec![dose(0), dose(10)], CDC)]
            ),
            Error::BatchNotReleased
        );
    });
}

#[test]
fn storing_and_inspecting_an_unreleased_batch_is_fine() {
    new_test_ext().execute_with(|| {
        commissioned_lot(1);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![object(Action::Observe, vec![dose(0)], BizStep::Storing)]
        ));
    });
}

/// Commissioning of logistic units (no lot).
fn commissioning_units(codes: Vec<yima_codes::TraceCode>) -> yima_trace::epcis::EpcisEvent {
    object(Action::Add, codes, BizStep::Commissioning)
}
