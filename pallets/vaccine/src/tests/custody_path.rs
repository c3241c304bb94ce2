//! Custody manufacturer → CDC → vaccination site, 2–8 °C on the way, and the ways a dose may not end.

use yima_frame::{assert_noop, assert_ok, DispatchError, OrgId};
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, EventBody};
use yima_trace::types::{CodeStatus, TemperatureRange};

use crate::gate::shipment_allowed;
use crate::mock::*;
use crate::Error;

#[test]
fn doses_travel_manufacturer_to_cdc_to_county_cdc_to_site_and_back() {
    new_test_ext().execute_with(|| {
        released_lot(1);
        deliver(MAKER, vec![dose(0)], CDC);
        deliver(CDC, vec![dose(0)], COUNTY_CDC);
        deliver(COUNTY_CDC, vec![dose(0)], SITE);
        assert_eq!(custody(&dose(0)).custodian, SITE);
        // A site returns surplus doses to its CDC.
        deliver(SITE, vec![dose(0)], COUNTY_CDC);
        assert_eq!(custody(&dose(0)).custodian, COUNTY_CDC);
    });
}

fn refused_shipment(from: OrgId, to: OrgId) {
    assert_noop!(
        Trace::capture(&origin(name_of(from)), vec![shipping(vec![dose(0)], to)]),
        Error::ShipmentPathNotAllowed
    );
}

#[test]
fn the_manufacturer_ships_only_to_a_cdc() {
    new_test_ext().execute_with(|| {
        released_lot(1);
        for to in [SITE, HOSPITAL, DISTRIBUTOR, REGULATOR] {
            refused_shipment(MAKER, to);
        }
    });
}

#[test]
fn a_cdc_ships_to_a_cdc_or_a_site_only_and_a_site_only_back_to_a_cdc() {
    new_test_ext().execute_with(|| {
        released_lot(1);
        deliver(MAKER, vec![dose(0)], CDC);
        for to in [MAKER, HOSPITAL, DISTRIBUTOR] {
            refused_shipment(CDC, to);
        }
        deliver(CDC, vec![dose(0)], SITE);
        for to in [SITE2, MAKER, HOSPITAL, DISTRIBUTOR] {
            refused_shipment(SITE, to);
        }
    });
}

#[test]
fn the_path_table() {
    use OrgKind::*;
    let allowed = [
        (Manufacturer, Cdc),
        (Cdc, Cdc),
        (Cdc, VaccinationSite),
        (VaccinationSite, Cdc),
    ];
    let kinds = [
        Regulator,
        Customs,
        Cdc,
        Manufacturer,
        Importer,
        Producer,
        Processor,
        ColdWarehouse,
        SupervisedWarehouse,
        Carrier,
        Distributor,
        Retailer,
        Caterer,
        Pharmacy,
        Hospital,
        VaccinationSite,
        InspectionBody,
        CertificationBody,
    ];
    for from in kinds {
        for to in kinds {
            assert_eq!(
                shipment_allowed(from, to),
                allowed.contains(&(from, to)),
                "{from:?} → {to:?}"
            );
        }
    }
}

#[test]
fn a_shipment_outside_the_band_raises_the_trace_alert_and_flags_the_dose() {
    new_test_ext().execute_with(|| {
        released_lot(2);
        let hot = at_temperature(shipping(vec![dose(0)], CDC), 350, 1_150);
        assert_ok!(Trace::capture(&origin("maker"), vec![hot]));
        // The alert comes just before the shipment's `Captured` event.
        System::assert_has_event(yima_trace::Event::Alert(
            yima_trace::Alert::TemperatureExcursion {
                event: 0,
                codes: vec![dose(0)],
                band: TemperatureRange::VACCINE,
                observed_min: 350,
                observed_max: 1_150,
                measured_by: MAKER,
            },
        ));
        assert!(custody(&dose(0)).excursion);
        // In band: no alert, no flag.
        let cold = at_temperature(shipping(vec![dose(1)], CDC), 300, 700);
        assert_ok!(Trace::capture(&origin("maker"), vec![cold]));
        assert!(!custody(&dose(1)).excursion);
        // A flagged dose may still move (back for quarantine or destruction).
        assert_ok!(Trace::capture(
            &origin("cdc"),
            vec![receiving(vec![dose(0)])]
        ));
    });
}

#[test]
fn an_excursion_of_a_pallet_flags_the_doses_inside() {
    new_test_ext().execute_with(|| {
        released_lot(2);
        run(
            "maker",
            vec![
                object(Action::Add, vec![sscc(0)], BizStep::Commissioning),
                packing(sscc(0), vec![dose(0), dose(1)]),
            ],
        );
        let frozen = at_temperature(shipping(vec![sscc(0)], CDC), -150, 500);
        assert_ok!(Trace::capture(&origin("maker"), vec![frozen]));
        run("cdc", vec![receiving(vec![sscc(0)]), unpacking(sscc(0))]);
        assert!(custody(&dose(0)).excursion && custody(&dose(1)).excursion);
    });
}

#[test]
fn a_dose_cannot_be_sold_dispensed_or_transformed() {
    new_test_ext().execute_with(|| {
        released_lot(2);
        deliver(MAKER, vec![dose(0), dose(1)], CDC);
        for step in [BizStep::RetailSelling, BizStep::Dispensing] {
            assert_noop!(
                Trace::capture(
                    &origin("cdc"),
                    vec![object(Action::Observe, vec![dose(0)], step)]
                ),
                Error::NotAdministration
            );
        }
        let mut transform = object(Action::Observe, vec![], BizStep::Transforming);
        transform.body = EventBody::Transformation {
            inputs: vec![dose(0)],
            outputs: vec![food(0)],
        };
        assert_noop!(
            Trace::capture(&origin("cdc"), vec![transform]),
            Error::NotAdministration
        );
        // Destruction is how an unusable dose ends.
        assert_ok!(Trace::capture(
            &origin("cdc"),
            vec![object(Action::Observe, vec![dose(1)], BizStep::Destroying)]
        ));
        assert_eq!(custody(&dose(1)).status, CodeStatus::Destroyed);
    });
}

#[test]
fn administering_by_direct_capture_is_refused_even_at_a_site() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        let administering = object(Action::Observe, vec![dose(0)], BizStep::Administering);
        assert_noop!(
            Trace::capture(&origin("site"), vec![administering.clone()]),
            Error::AdministerThroughVaccinePallet
        );
        // Nor may another pallet record it on the site's behalf.
        assert_noop!(
            Trace::record(&origin("site"), vec![administering], "ColdChain"),
            Error::AdministerThroughVaccinePallet
        );
        assert_eq!(custody(&dose(0)).status, CodeStatus::Active);
    });
}

#[test]
fn the_trace_core_still_refuses_what_it_refuses() {
    new_test_ext().execute_with(|| {
        released_lot(1);
        // The path is fine, but the shipper does not hold the dose.
        assert_noop!(
            Trace::capture(&origin("cdc"), vec![shipping(vec![dose(0)], SITE)]),
            DispatchError::from(yima_trace::Error::NotCustodian)
        );
    });
}
