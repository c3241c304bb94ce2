//! 合格证: a farm lot's goods leave the farm — and move on, and are sold — only with a valid origin certificate.

use yima_attestation::schemas;
use yima_frame::{assert_noop, assert_ok};
use yima_trace::types::{Category, CodeStatus};

use crate::mock::*;
use crate::{Error, FoodLot};

#[test]
fn a_producers_food_lot_is_a_farm_lot() {
    new_test_ext().execute_with(|| {
        let lot = harvested(1);
        assert_eq!(Trace::lot(&lot).unwrap().owner, PRODUCER);
        assert_eq!(
            Food::food_lot(&lot),
            Some(FoodLot {
                farm: true,
                ancestors: vec![],
            })
        );
        // A processor's own food lot is food but not a farm lot; a manufacturer's soap is not food at all.
        register("processor", packs(), Category::Food);
        capture(
            "processor",
            vec![commissioning(vec![pack(1)], lot_of(packs(), "OWN"))],
        );
        assert_eq!(
            Food::food_lot(&lot_of(packs(), "OWN")),
            Some(FoodLot {
                farm: false,
                ancestors: vec![],
            })
        );
        register("manufacturer", soap(), Category::Other);
        capture(
            "manufacturer",
            vec![commissioning(
                vec![sgtin(soap(), "S1")],
                lot_of(soap(), "S1"),
            )],
        );
        assert_eq!(Food::food_lot(&lot_of(soap(), "S1")), None);
    });
}

#[test]
fn a_farm_lot_does_not_leave_the_farm_without_its_origin_certificate() {
    new_test_ext().execute_with(|| {
        harvested(2);
        assert_noop!(
            Trace::capture(&origin("producer"), vec![shipping(vec![bag(1)], PROCESSOR)]),
            Error::MissingOriginCertificate
        );
        // Nor is it sold at the farm gate.
        assert_noop!(
            Trace::capture(&origin("producer"), vec![selling(vec![bag(1)])]),
            Error::MissingOriginCertificate
        );
        // Nor does it leave inside a logistic unit.
        capture(
            "producer",
            vec![
                object(
                    yima_trace::epcis::Action::Add,
                    vec![sscc(1)],
                    yima_trace::epcis::BizStep::Commissioning,
                ),
                packing(sscc(1), vec![bag(1), bag(2)]),
            ],
        );
        assert_noop!(
            Trace::capture(
                &origin("producer"),
                vec![shipping(vec![sscc(1)], DISTRIBUTOR)]
            ),
            Error::MissingOriginCertificate
        );
        // Storing and inspecting at the farm need none.
        assert_ok!(Trace::capture(
            &origin("producer"),
            vec![object(
                yima_trace::epcis::Action::Observe,
                vec![sscc(1)],
                yima_trace::epcis::BizStep::Storing,
            )]
        ));
    });
}

#[test]
fn with_its_origin_certificate_a_farm_lot_goes_to_market() {
    new_test_ext().execute_with(|| {
        let lot = certified(2);
        assert_ok!(Trace::capture(
            &origin("producer"),
            vec![shipping(vec![bag(1)], DISTRIBUTOR)]
        ));
        capture("distributor", vec![receiving(vec![bag(1)])]);
        deliver("distributor", vec![bag(1)], RETAILER, "retailer");
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![selling(vec![bag(1)])]
        ));
        assert_eq!(Trace::code(&bag(1)).unwrap().status, CodeStatus::Sold);
        // A farm-gate sale too.
        assert_ok!(Trace::capture(
            &origin("producer"),
            vec![selling(vec![bag(2)])]
        ));
        assert!(Food::food_lot(&lot).unwrap().farm);
    });
}

#[test]
fn a_revoked_or_expired_origin_certificate_stops_the_produce_wherever_it_is() {
    new_test_ext().execute_with(|| {
        let lot = harvested(2);
        let cert = origin_certificate(&lot);
        deliver("producer", vec![bag(1), bag(2)], DISTRIBUTOR, "distributor");
        ok(
            Attestation::revoke(&origin("producer"), cert, doc(99)),
            "revoke",
        );
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![bag(1)], RETAILER)]
            ),
            Error::MissingOriginCertificate
        );
        // A new certificate lets it move again — until that one expires (30 days).
        attest("producer", schemas::ORIGIN_CERTIFICATE, &lot, 16);
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![shipping(vec![bag(1)], RETAILER)]
        ));
        advance_to(NOW + 31 * DAY);
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![bag(2)], RETAILER)]
            ),
            Error::MissingOriginCertificate
        );
    });
}

#[test]
fn another_lots_certificate_or_another_schema_does_not_count() {
    new_test_ext().execute_with(|| {
        let lot = harvested(1);
        // A certificate on another lot of the same product, and a quick-test result on this one.
        capture(
            "producer",
            vec![commissioning(vec![bag(9)], lot_of(leaves(), "L2"))],
        );
        origin_certificate(&lot_of(leaves(), "L2"));
        attest("retailer", schemas::QUICK_TEST_RESULT, &lot, 40);
        assert_noop!(
            Trace::capture(&origin("producer"), vec![shipping(vec![bag(1)], PROCESSOR)]),
            Error::MissingOriginCertificate
        );
    });
}

#[test]
fn processed_lots_need_no_origin_certificate() {
    new_test_ext().execute_with(|| {
        processed(2, 3);
        assert_ok!(Trace::capture(
            &origin("processor"),
            vec![shipping(vec![pack(1)], RETAILER)]
        ));
    });
}
