//! Events on codes the signer's organisation does not hold, readings by those who do not hold the goods, and a
//! regulator clearing an excursion flag (issue 13, "writing on others' codes").
//!
//! The three `a_…_may_not_…` tests began as the attacks that worked: a rival's transaction event, a role-less
//! account's aggregation observation and an enterprise Inspector's inspection each flagged the maker's codes
//! and raised a public excursion alert.

use yima_codes::TraceCode;
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};

use crate::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody, SensorReport, Unit,
};
use crate::mock::*;
use crate::types::{TemperatureRange, FLAG_EXCURSION};
use crate::{Alert, Call, Error, Event};

/// The trace alerts deposited so far in this block.
fn alerts() -> Vec<Alert> {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::Trace(Event::Alert(a)) => Some(a),
            _ => None,
        })
        .collect()
}

/// 15 °C: outside the vaccine's 2–8 °C.
fn hot() -> SensorReport {
    temperature(Unit::Celsius, 1_500, 1_500)
}

fn own_flags(code: &TraceCode) -> u8 {
    Trace::code(code).unwrap().flags
}

/// A transaction event linking `epcs` to an invoice.
fn invoice(epcs: Vec<TraceCode>) -> EpcisEvent {
    event(
        EventBody::Transaction {
            action: Action::Add,
            biz_transactions: vec![BizTransaction {
                kind: BizTransactionKind::Invoice,
                digest: Hash([7; 32]),
            }],
            epcs,
        },
        BizStep::Other,
    )
}

/// An aggregation OBSERVE of `parent` with `children` at `step`.
fn seen_in(parent: TraceCode, children: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action: Action::Observe,
            parent,
            children,
        },
        step,
    )
}

fn decision() -> Hash {
    Hash([9; 32])
}

#[test]
fn a_transaction_event_may_not_name_codes_of_others_unless_it_names_the_signer_as_party() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        // The attack: the rival links the maker's vial to an invoice, with a hot reading.
        assert_noop!(
            Trace::capture(
                &origin("rival"),
                vec![with_sensor(invoice(vec![item(0)]), hot())]
            ),
            Error::NotHolder
        );
        // Naming another organisation as the party does not help.
        let mut other = with_sensor(invoice(vec![item(0)]), hot());
        other.source = Some(MAKER);
        other.destination = Some(DISTRIBUTOR);
        assert_noop!(
            Trace::capture(&origin("rival"), vec![other]),
            Error::NotHolder
        );
        // The holder links its own codes.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![invoice(vec![item(0)])]
        ));
        assert!(alerts().is_empty());
    });
}

#[test]
fn a_party_to_a_transaction_records_it_and_its_reading_is_no_excursion_of_the_holder() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        // The buyer records its purchase order of goods the maker still holds, with the temperature it saw.
        let mut po = with_sensor(invoice(vec![item(0), item(1)]), hot());
        po.source = Some(MAKER);
        po.destination = Some(DISTRIBUTOR);
        assert_ok!(Trace::capture(&origin("distributor"), vec![po.clone()]));
        System::assert_last_event(captured(DISTRIBUTOR, 0, po));
        assert_eq!(
            alerts(),
            vec![Alert::ReadingOutOfBand {
                event: 0,
                measured_by: DISTRIBUTOR,
                codes: vec![item(0), item(1)],
                band: TemperatureRange::VACCINE,
                observed_min: 1_500,
                observed_max: 1_500,
            }]
        );
        assert_eq!(own_flags(&item(0)), 0);
        assert!(!custody(&item(1)).excursion);
        // The seller as source party, the same.
        let mut sold = with_sensor(invoice(vec![item(0)]), hot());
        sold.source = Some(RETAILER);
        assert_ok!(Trace::capture(&origin("retailer"), vec![sold]));
        assert_eq!(own_flags(&item(0)), 0);
    });
}

#[test]
fn an_aggregation_observation_may_not_be_recorded_by_an_account_without_a_role_or_a_non_holder() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        let seen = |step| with_sensor(seen_in(sscc(0), vec![item(0)], step), hot());
        // The attack: an account of the rival without any role.
        assert_noop!(
            Trace::capture(&origin("rival-nobody"), vec![seen(BizStep::Other)]),
            DispatchError::MissingRole(Role::Operator)
        );
        // The rival's Operator does not hold the pallet either.
        assert_noop!(
            Trace::capture(&origin("rival"), vec![seen(BizStep::Other)]),
            Error::NotHolder
        );
        // Nor does an enterprise Inspector (the retailer's quick-test account) inspecting it.
        assert_noop!(
            Trace::capture(&origin("viewer"), vec![seen(BizStep::Inspecting)]),
            DispatchError::MissingRole(Role::Operator)
        );
        // A child the signer does not hold, in a container it holds, is refused too.
        run("rival", vec![commissioning_units(vec![sscc(5)])]);
        assert_noop!(
            Trace::capture(
                &origin("rival"),
                vec![seen_in(sscc(5), vec![item(0)], BizStep::Other)]
            ),
            Error::NotHolder
        );
        assert!(!custody(&item(0)).excursion);
    });
}

#[test]
fn the_custodian_and_an_official_inspector_observe_an_aggregation_and_their_readings_flag() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        run(
            "maker",
            vec![
                packing(sscc(0), vec![item(0)]),
                packing(sscc(1), vec![item(1)]),
            ],
        );
        // The holder, after it shipped the pallet (still its custodian until receipt).
        run("maker", vec![shipping(vec![sscc(0)], DISTRIBUTOR)]);
        let e = with_sensor(seen_in(sscc(0), vec![item(0)], BizStep::Other), hot());
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        assert_eq!(own_flags(&sscc(0)), FLAG_EXCURSION);
        // An inspection body inspects a pallet it does not hold, and its reading flags it.
        let inspect = with_sensor(seen_in(sscc(1), vec![item(1)], BizStep::Inspecting), hot());
        assert_ok!(Trace::capture(&origin("lab"), vec![inspect.clone()]));
        assert!(matches!(
            alerts().last(),
            Some(Alert::TemperatureExcursion {
                measured_by: LAB,
                ..
            })
        ));
        assert_eq!(own_flags(&sscc(1)), FLAG_EXCURSION);
        // So does a regulator's Operator.
        assert_ok!(Trace::capture(&origin("regulator"), vec![inspect]));
        // Outside an inspection even the regulator only observes what it holds.
        assert_noop!(
            Trace::capture(
                &origin("regulator"),
                vec![seen_in(sscc(1), vec![], BizStep::Other)]
            ),
            Error::NotHolder
        );
    });
}

#[test]
fn an_enterprise_inspector_may_not_inspect_codes_its_organisation_does_not_hold() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        // The attack: the retailer's own Inspector "inspects" the maker's vial at 15 °C.
        assert_noop!(
            Trace::capture(
                &origin("viewer"),
                vec![with_sensor(
                    observing(BizStep::Inspecting, vec![item(0)]),
                    hot()
                )]
            ),
            Error::NotHolder
        );
        assert_eq!(own_flags(&item(0)), 0);
        // Once the retailer holds the vial, its Inspector inspects it, and its reading is the holder's.
        run("maker", vec![shipping(vec![item(0)], RETAILER)]);
        run("retailer", vec![receiving(vec![item(0)])]);
        assert_ok!(Trace::capture(
            &origin("viewer"),
            vec![with_sensor(
                observing(BizStep::Inspecting, vec![item(0)]),
                hot()
            )]
        ));
        assert_eq!(
            alerts(),
            vec![Alert::TemperatureExcursion {
                event: 0,
                codes: vec![item(0)],
                band: TemperatureRange::VACCINE,
                observed_min: 1_500,
                observed_max: 1_500,
                measured_by: RETAILER,
            }]
        );
    });
}

#[test]
fn the_receivers_reading_on_receipt_is_the_new_holders() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        run("maker", vec![shipping(vec![item(0)], DISTRIBUTOR)]);
        let e = with_sensor(receiving(vec![item(0)]), hot());
        assert_ok!(Trace::capture(&origin("distributor"), vec![e]));
        assert_eq!(own_flags(&item(0)), FLAG_EXCURSION);
        assert!(matches!(
            alerts().as_slice(),
            [Alert::TemperatureExcursion {
                measured_by: DISTRIBUTOR,
                ..
            }]
        ));
    });
}

/// The maker's vial 0 flagged by its own hot storage reading.
fn flagged_item() {
    commission_items(2, 1);
    run(
        "maker",
        vec![with_sensor(
            observing(BizStep::Storing, vec![item(0)]),
            hot(),
        )],
    );
    assert_eq!(own_flags(&item(0)), FLAG_EXCURSION);
}

#[test]
fn a_regulator_clears_an_excursion_flag_citing_its_decision() {
    new_test_ext().execute_with(|| {
        flagged_item();
        assert_ok!(Trace::clear_excursion(
            &origin("regulator"),
            item(0),
            decision()
        ));
        System::assert_last_event(Event::ExcursionCleared {
            code: item(0),
            by: REGULATOR,
            reason: decision(),
        });
        assert_eq!(own_flags(&item(0)), 0);
        assert!(!custody(&item(0)).excursion);
        // Through the call, as a transaction would dispatch it.
        run(
            "maker",
            vec![with_sensor(
                observing(BizStep::Storing, vec![item(1)]),
                hot(),
            )],
        );
        assert_ok!(<Trace as yima_frame::pallet::Pallet>::dispatch(
            &origin("regulator"),
            Call::ClearExcursion {
                code: item(1),
                reason: decision(),
            }
        ));
        assert_eq!(own_flags(&item(1)), 0);
    });
}

#[test]
fn only_a_regulator_clears_and_only_a_flag_there_is() {
    new_test_ext().execute_with(|| {
        flagged_item();
        for who in ["maker", "lab", "distributor"] {
            assert_noop!(
                Trace::clear_excursion(&origin(who), item(0), decision()),
                Error::NotRegulator
            );
        }
        assert_noop!(
            Trace::clear_excursion(&origin("regulator"), item(0), Hash::default()),
            Error::NoReason
        );
        assert_noop!(
            Trace::clear_excursion(&origin("regulator"), item(1), decision()),
            Error::NoExcursion
        );
        assert_noop!(
            Trace::clear_excursion(&origin("regulator"), item(9), decision()),
            Error::UnknownCode
        );
        assert_ok!(Trace::clear_excursion(
            &origin("regulator"),
            item(0),
            decision()
        ));
        assert_noop!(
            Trace::clear_excursion(&origin("regulator"), item(0), decision()),
            Error::NoExcursion
        );
    });
}

#[test]
fn a_flag_from_a_container_is_cleared_on_the_container() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run("maker", vec![packing(sscc(0), vec![item(0), item(1)])]);
        run(
            "maker",
            vec![with_sensor(
                observing(BizStep::Storing, vec![sscc(0)]),
                hot(),
            )],
        );
        assert!(custody(&item(0)).excursion);
        assert_noop!(
            Trace::clear_excursion(&origin("regulator"), item(0), decision()),
            Error::ExcursionOnContainer
        );
        // Clearing the container clears what is still inside it.
        run("maker", vec![unpacking(sscc(0), vec![item(1)])]);
        assert_ok!(Trace::clear_excursion(
            &origin("regulator"),
            sscc(0),
            decision()
        ));
        assert!(!custody(&item(0)).excursion);
        // What left before carries its own copy of the flag, cleared on its own.
        assert!(custody(&item(1)).excursion);
        assert_ok!(Trace::clear_excursion(
            &origin("regulator"),
            item(1),
            decision()
        ));
        assert!(!custody(&item(1)).excursion);
    });
}

#[test]
fn the_new_call_event_and_alert_keep_their_assigned_codec_indices() {
    use parity_scale_codec::Encode;
    let call = Call::ClearExcursion {
        code: item(0),
        reason: decision(),
    };
    assert_eq!(call.encode()[0], 6);
    let cleared = Event::ExcursionCleared {
        code: item(0),
        by: REGULATOR,
        reason: decision(),
    };
    assert_eq!(cleared.encode()[0], 7);
    let reading = Alert::ReadingOutOfBand {
        event: 0,
        measured_by: DISTRIBUTOR,
        codes: vec![],
        band: TemperatureRange::VACCINE,
        observed_min: 0,
        observed_max: 0,
    };
    assert_eq!(Event::Alert(reading).encode()[..2], [4, 1]);
}
