//! Dispensing against a reviewed prescription by scanning the units' codes: custody ends, the units are linked
//! to the prescription, and every refusal has its error.

use yima_frame::{assert_noop, assert_ok};
use yima_trace::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody,
};
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::types::Sale;
use crate::{Error, Event};

fn status(code: &yima_codes::TraceCode) -> CodeStatus {
    yima_trace::custody::custody(code, System::now())
        .unwrap()
        .status
}

#[test]
fn a_prescription_is_dispensed_by_scanning_its_units() {
    new_test_ext().execute_with(|| {
        stocked(4);
        approved(1, "patient Wang", vec![line(RX, 2)]);
        let codes = vec![unit(RX, 0), unit(RX, 1)];
        assert_ok!(dispense("pharmacy", 1, codes.clone()));
        let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
        let mut link = EpcisEvent::new(
            EventBody::Transaction {
                action: Action::Add,
                biz_transactions: vec![BizTransaction {
                    kind: BizTransactionKind::Prescription,
                    digest: rx_digest(1),
                }],
                epcs: codes.clone(),
            },
            NOW - 500,
            480,
            BizStep::Dispensing,
        );
        link.source = Some(HOSPITAL);
        let dispensing = EpcisEvent::new(
            EventBody::Object {
                action: Action::Observe,
                epcs: codes.clone(),
                quantities: vec![],
            },
            NOW - 500,
            480,
            BizStep::Dispensing,
        );
        assert_eq!(
            events[events.len() - 3..],
            [
                RuntimeEvent::Trace(yima_trace::Event::Captured {
                    org: PHARMACY,
                    index: 0,
                    event: link
                }),
                RuntimeEvent::Trace(yima_trace::Event::Captured {
                    org: PHARMACY,
                    index: 1,
                    event: dispensing
                }),
                RuntimeEvent::Drug(Event::Dispensed {
                    prescription: rx_digest(1),
                    sale: Sale {
                        pharmacy: PHARMACY,
                        codes: codes.clone(),
                        compound_packs: 0,
                        time: NOW
                    }
                }),
            ]
        );
        assert_eq!(status(&unit(RX, 0)), CodeStatus::Dispensed);
        assert_eq!(status(&unit(RX, 1)), CodeStatus::Dispensed);
        assert!(Drug::prescription(&rx_digest(1))
            .unwrap()
            .is_fully_dispensed());
    });
}

#[test]
fn a_prescription_may_be_dispensed_in_parts_but_never_beyond_its_quantity() {
    new_test_ext().execute_with(|| {
        stocked(6);
        approved(1, "patient Wang", vec![line(RX, 2)]);
        assert_ok!(dispense("pharmacy", 1, vec![unit(RX, 0)]));
        assert!(!Drug::prescription(&rx_digest(1))
            .unwrap()
            .is_fully_dispensed());
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 1), unit(RX, 2)]),
            Error::ExceedsPrescribedQuantity
        );
        assert_ok!(dispense("pharmacy", 1, vec![unit(RX, 1)]));
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 2)]),
            Error::ExceedsPrescribedQuantity
        );
    });
}

#[test]
fn codes_not_in_the_prescription_are_refused() {
    new_test_ext().execute_with(|| {
        stocked(4);
        approved(1, "patient Wang", vec![line(RX, 2)]);
        // An OTC unit and a compound unit, both held by the pharmacy, neither prescribed.
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 0), unit(OTC, 0)]),
            Error::NotInPrescription
        );
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(COMPOUND, 1)]),
            Error::NotInPrescription
        );
    });
}

#[test]
fn codes_not_held_by_the_pharmacy_are_refused() {
    new_test_ext().execute_with(|| {
        stocked(4);
        approved(1, "patient Wang", vec![line(RX, 2)]);
        // Units 2 and 3 went to the second pharmacy.
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 2)]),
            Error::NotHeldByPharmacy
        );
        // In transit back to the distributor.
        run("pharmacy", vec![shipping(vec![unit(RX, 1)], DISTRIBUTOR)]);
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 1)]),
            Error::NotHeldByPharmacy
        );
        // Already dispensed.
        assert_ok!(dispense("pharmacy", 1, vec![unit(RX, 0)]));
        approved(2, "patient Zhao", vec![line(RX, 1)]);
        assert_noop!(
            dispense("pharmacy", 2, vec![unit(RX, 0)]),
            Error::NotHeldByPharmacy
        );
    });
}

#[test]
fn scanning_refusals_each_have_their_error() {
    new_test_ext().execute_with(|| {
        stocked(4);
        approved(1, "patient Wang", vec![line(RX, 2)]);
        assert_noop!(dispense("pharmacy", 1, vec![]), Error::NothingScanned);
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 0), unit(RX, 0)]),
            Error::DuplicateCode
        );
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 99)]),
            Error::UnknownCode
        );
        // A case holding units.
        run("pharmacy", vec![commissioning_sscc(sscc(1))]);
        run("pharmacy", vec![packing(sscc(1), vec![unit(RX, 1)])]);
        assert_noop!(
            dispense("pharmacy", 1, vec![sscc(1)]),
            Error::NotMinimumPack
        );
    });
}

#[test]
fn prescription_state_refusals_each_have_their_error() {
    new_test_ext().execute_with(|| {
        stocked(4);
        assert_noop!(
            dispense("pharmacy", 9, vec![unit(RX, 0)]),
            Error::UnknownPrescription
        );
        upload(1, "patient Wang", vec![line(RX, 1)]);
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 0)]),
            Error::NotReviewed
        );
        Drug::review_prescription(&origin("pharmacy"), rx_digest(1), person("Li"), false).unwrap();
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 0)]),
            Error::PrescriptionRejected
        );
        approved(2, "patient Wang", vec![line(RX, 1)]);
        assert_noop!(
            dispense("pharmacy2", 2, vec![unit(RX, 2)]),
            Error::ReviewedElsewhere
        );
        assert_noop!(
            dispense("hospital", 2, vec![unit(RX, 0)]),
            Error::NotAPharmacy
        );
    });
}

#[test]
fn a_recalled_unit_is_refused_by_the_trace_core() {
    new_test_ext().execute_with(|| {
        stocked(4);
        approved(1, "patient Wang", vec![line(RX, 1)]);
        Trace::recall_lot(
            &origin("maker"),
            lot_key(RX, "L1"),
            yima_frame::sha256(b"recall notice"),
        )
        .unwrap();
        assert_noop!(
            dispense("pharmacy", 1, vec![unit(RX, 0)]),
            yima_trace::Error::Recalled
        );
    });
}

#[test]
fn compound_packs_on_a_prescription_count_in_the_patients_window_without_a_limit() {
    new_test_ext().execute_with(|| {
        stocked(20);
        approved(1, "patient Wang", vec![line(RX_COMPOUND, 8)]);
        let codes: Vec<_> = (0..8).map(|i| unit(RX_COMPOUND, i)).collect();
        assert_ok!(dispense("pharmacy", 1, codes));
        assert_eq!(Drug::packs_in_window(&person("patient Wang")), 8);
        // Over the limit now, so an over-the-counter compound sale to the same person is refused.
        assert_noop!(
            sell("pharmacy", "patient Wang", vec![unit(COMPOUND, 0)]),
            Error::PurchaseLimitExceeded
        );
    });
}

fn commissioning_sscc(code: yima_codes::TraceCode) -> EpcisEvent {
    object(Action::Add, vec![code], BizStep::Commissioning)
}

fn packing(parent: yima_codes::TraceCode, children: Vec<yima_codes::TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Aggregation {
            action: Action::Add,
            parent,
            children,
        },
        NOW - 1_000,
        480,
        BizStep::Packing,
    )
}
