//! Commissioning vaccine doses is plain trace capture; the gate adds who may do it, that the product has its
//! band, and that vaccines are traced to the minimum package.

use yima_frame::{assert_noop, assert_ok};
use yima_trace::epcis::{Action, BizStep, EventBody, QuantityElement};
use yima_trace::types::{Category, CodeStatus, TemperatureRange};

use crate::mock::*;
use crate::Error;

#[test]
fn the_manufacturer_commissions_doses_in_a_lot_through_trace_capture() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        let event = commissioning(vec![dose(0), dose(1)], "L1");
        assert_ok!(Trace::capture(&origin("maker"), vec![event.clone()]));
        System::assert_last_event(yima_trace::Event::Captured {
            org: MAKER,
            index: 0,
            event,
        });
        let c = custody(&dose(1));
        assert_eq!((c.custodian, c.status), (MAKER, CodeStatus::Active));
        assert_eq!(Trace::lot(&lot_key("L1")).unwrap().commissioned, 2);
    });
}

/// The importer's vaccine: registered and approved for the maker, then owned by the importer — a state the
/// registration rules no longer produce (only manufacturers register vaccines, and a correction keeps that
/// rule), written directly to test the vaccine rule that stands behind them.
fn importer_owned_vaccine() {
    use yima_frame::storage::StorageMap;
    register(
        "maker",
        gtin(),
        Category::Vaccine,
        Some(TemperatureRange::VACCINE),
    );
    let id = yima_codes::ProductId::Gtin(gtin());
    yima_trace::Products::mutate(&id, |p| p.as_mut().unwrap().owner = 9);
}

#[test]
fn a_vaccine_is_registered_by_a_manufacturer_only() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Trace::register_product(
                &origin("importer"),
                yima_codes::ProductId::Gtin(gtin()),
                b"vaccine".to_vec(),
                Category::Vaccine,
                Some(TemperatureRange::VACCINE),
                365
            ),
            yima_trace::Error::CategoryNotAllowed
        );
    });
}

#[test]
fn a_vaccine_owned_by_a_non_manufacturer_cannot_be_commissioned() {
    new_test_ext().execute_with(|| {
        // The vaccine rules let only a manufacturer (the marketing-authorisation holder) bring doses into
        // being, whatever the registry says.
        importer_owned_vaccine();
        assert_noop!(
            Trace::capture(
                &origin("importer"),
                vec![commissioning(vec![dose(0)], "L1")]
            ),
            Error::NotManufacturer
        );
        assert_eq!(Trace::code(&dose(0)), None);
    });
}

#[test]
fn a_vaccine_without_a_temperature_band_cannot_be_registered_nor_commissioned() {
    new_test_ext().execute_with(|| {
        // The trace pallet refuses to register it.
        assert_noop!(
            Trace::register_product(
                &origin("maker"),
                yima_codes::ProductId::Gtin(gtin()),
                b"test product".to_vec(),
                Category::Vaccine,
                None,
                365,
            ),
            yima_trace::Error::TemperatureBandRequired
        );
        // A bandless vaccine already in state (registered before that rule) still commissions nothing.
        use yima_frame::storage::StorageMap as _;
        register_vaccine();
        yima_trace::Products::mutate(&yima_codes::ProductId::Gtin(gtin()), |p| {
            p.as_mut().unwrap().temperature = None
        });
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![dose(0)], "L1")]),
            Error::NoTemperatureBand
        );
    });
}

#[test]
fn vaccine_outputs_of_a_transformation_follow_the_same_rules() {
    new_test_ext().execute_with(|| {
        // Filling a bulk food lot into vaccine doses is a transformation; its outputs are new vaccine codes.
        register("importer", food_gtin(), Category::Food, None);
        importer_owned_vaccine();
        let bulk = yima_trace::types::LotKey {
            product: yima_codes::ProductId::Gtin(food_gtin()),
            lot: batch("BULK"),
        };
        run("importer", vec![commissioning_in(vec![food(0)], bulk)]);
        let mut filling = object(Action::Add, vec![], BizStep::Transforming);
        filling.body = EventBody::Transformation {
            inputs: vec![food(0)],
            outputs: vec![dose(0)],
        };
        filling.ilmd = commissioning(vec![], "L1").ilmd;
        assert_noop!(
            Trace::capture(&origin("importer"), vec![filling]),
            Error::NotManufacturer
        );
    });
}

#[test]
fn vaccines_are_traced_to_the_minimum_package_not_by_lot_quantity() {
    new_test_ext().execute_with(|| {
        commissioned_lot(2);
        let mut by_quantity = object(Action::Observe, vec![], BizStep::Storing);
        by_quantity.body = EventBody::Object {
            action: Action::Observe,
            epcs: vec![],
            quantities: vec![QuantityElement {
                lot: lot_key("L1"),
                quantity: 2,
                uom: None,
            }],
        };
        assert_noop!(
            Trace::capture(&origin("maker"), vec![by_quantity]),
            Error::MinimumPackageRequired
        );
    });
}

#[test]
fn goods_that_are_not_vaccines_are_untouched_by_the_vaccine_rules() {
    new_test_ext().execute_with(|| {
        // A food lot: commissioned by a distributor's supplier, shipped without batch release, sold.
        register("maker", food_gtin(), Category::Food, None);
        let lot = yima_trace::types::LotKey {
            product: yima_codes::ProductId::Gtin(food_gtin()),
            lot: batch("F1"),
        };
        run("maker", vec![commissioning_in(vec![food(0)], lot)]);
        deliver(MAKER, vec![food(0)], DISTRIBUTOR);
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![object(
                Action::Observe,
                vec![food(0)],
                BizStep::RetailSelling
            )]
        ));
        assert_eq!(custody(&food(0)).status, CodeStatus::Sold);
    });
}

/// Attack (worked on main, where a category was the registrant's word and final): a vaccine registered as `Other`
/// skipped batch release and the manufacturer → CDC → site path and could be sold at retail. A regulator corrects
/// its category; from then on every event on its doses — even those commissioned before — meets the vaccine rules.
#[test]
fn a_vaccine_registered_as_other_is_corrected_and_its_doses_meet_the_vaccine_rules() {
    new_test_ext().execute_with(|| {
        register(
            "maker",
            gtin(),
            Category::Other,
            Some(TemperatureRange::VACCINE),
        );
        run("maker", vec![commissioning(vec![dose(0), dose(1)], "L1")]);
        deliver(MAKER, vec![dose(0), dose(1)], DISTRIBUTOR);
        // As `Other`, the distributor may sell a dose at retail.
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![object(
                Action::Observe,
                vec![dose(0)],
                BizStep::RetailSelling
            )]
        ));

        assert_ok!(Trace::correct_product(
            &origin("regulator"),
            yima_trace::Correction {
                product: yima_codes::ProductId::Gtin(gtin()),
                category: Category::Vaccine,
                owner: MAKER,
                temperature: None,
            },
            yima_frame::sha256(b"correction decision"),
        ));
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![object(
                    Action::Observe,
                    vec![dose(1)],
                    BizStep::RetailSelling
                )]
            ),
            Error::NotAdministration
        );
        // And no new dose is commissioned until a regulator approves the vaccine.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![dose(2)], "L2")]),
            yima_trace::Error::ProductNotApproved
        );
    });
}
