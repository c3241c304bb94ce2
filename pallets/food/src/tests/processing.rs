//! Processing: a transformation records which food lots the new lot is made from, at any depth.

use yima_frame::assert_noop;
use yima_trace::types::Category;

use crate::mock::*;
use crate::{Error, Event, FoodLot};

#[test]
fn a_processed_lot_records_its_farm_lot_and_says_so() {
    new_test_ext().execute_with(|| {
        let packs_lot = processed(2, 3);
        let farm = lot_of(leaves(), "L1");
        System::assert_has_event(Event::LotDerived {
            lot: packs_lot.clone(),
            ancestors: vec![farm.clone()],
        });
        assert_eq!(
            Food::food_lot(&packs_lot),
            Some(FoodLot {
                farm: false,
                ancestors: vec![farm],
            })
        );
    });
}

#[test]
fn ancestors_are_kept_at_every_depth_and_merged_across_transformations() {
    new_test_ext().execute_with(|| {
        let packs_lot = processed(2, 4);
        let farm = lot_of(leaves(), "L1");
        // A second farm lot of another producer goes into the same pack lot.
        register("other-producer", other_leaves(), Category::Food);
        let other = lot_of(other_leaves(), "X1");
        let bag7 = sgtin(other_leaves(), "B7");
        capture(
            "other-producer",
            vec![commissioning(vec![bag7], other.clone())],
        );
        let err = Trace::capture(
            &origin("other-producer"),
            vec![shipping(vec![bag7], PROCESSOR)],
        );
        assert_eq!(err, Err(Error::MissingOriginCertificate.into()));
        attest(
            "other-producer",
            yima_attestation::schemas::ORIGIN_CERTIFICATE,
            &other,
            17,
        );
        deliver("other-producer", vec![bag7], PROCESSOR, "processor");
        capture(
            "processor",
            vec![transforming(vec![bag7], vec![pack(9)], packs_lot.clone())],
        );
        let mut both = vec![farm.clone(), other.clone()];
        both.sort();
        assert_eq!(Food::food_lot(&packs_lot).unwrap().ancestors, both);
        // Gift boxes made from packs inherit the packs' lot and, through it, both farm lots.
        register("processor", boxes(), Category::Food);
        let box_lot = lot_of(boxes(), "G1");
        capture(
            "processor",
            vec![transforming(
                vec![pack(1), pack(2)],
                vec![sgtin(boxes(), "G1")],
                box_lot.clone(),
            )],
        );
        let mut all = vec![farm, other, packs_lot];
        all.sort();
        assert_eq!(
            Food::food_lot(&box_lot),
            Some(FoodLot {
                farm: false,
                ancestors: all,
            })
        );
    });
}

#[test]
fn a_non_food_output_of_food_inputs_is_tracked_too() {
    new_test_ext().execute_with(|| {
        processed(1, 2);
        register("processor", soap(), Category::Other);
        let soap_lot = lot_of(soap(), "TS1");
        capture(
            "processor",
            vec![transforming(
                vec![pack(1)],
                vec![sgtin(soap(), "TS1")],
                soap_lot.clone(),
            )],
        );
        let food = Food::food_lot(&soap_lot).expect("made from food");
        assert!(!food.farm);
        assert!(food.ancestors.contains(&lot_of(packs(), "P1")));
    });
}

#[test]
fn a_farm_lot_processed_at_the_farm_is_a_farm_lot_again() {
    new_test_ext().execute_with(|| {
        let farm = certified(1);
        register("producer", packs(), Category::Food);
        let dried = lot_of(packs(), "DRY1");
        capture(
            "producer",
            vec![transforming(vec![bag(1)], vec![pack(1)], dried.clone())],
        );
        assert_eq!(
            Food::food_lot(&dried),
            Some(FoodLot {
                farm: true,
                ancestors: vec![farm],
            })
        );
        // Its own certificate is needed to leave the farm.
        assert_noop!(
            Trace::capture(
                &origin("producer"),
                vec![shipping(vec![pack(1)], DISTRIBUTOR)]
            ),
            Error::MissingOriginCertificate
        );
    });
}
