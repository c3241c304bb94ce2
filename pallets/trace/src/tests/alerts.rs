//! Temperature excursions: an alert with the band and the observed range, and a flag on the codes that goes
//! with them through containers and down again when they are unpacked.

use yima_codes::TraceCode;

use yima_frame::assert_ok;

use crate::epcis::{BizStep, SensorKind, Unit};
use crate::mock::*;
use crate::types::{TemperatureRange, FLAG_EXCURSION};
use crate::{Alert, Event};

/// The alerts deposited so far in this block.
fn alerts() -> Vec<Alert> {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::Trace(Event::Alert(a)) => Some(a),
            _ => None,
        })
        .collect()
}

fn excursion(
    event: u32,
    codes: Vec<TraceCode>,
    band: TemperatureRange,
    observed_min: i32,
    observed_max: i32,
) -> Event {
    Event::Alert(Alert::TemperatureExcursion {
        event,
        codes,
        band,
        observed_min,
        observed_max,
        measured_by: MAKER,
    })
}

fn own_flags(code: &TraceCode) -> u8 {
    Trace::code(code).unwrap().flags
}

fn band(min: i32, max: i32) -> TemperatureRange {
    TemperatureRange {
        min_centi_celsius: min,
        max_centi_celsius: max,
    }
}

/// The maker holds vaccine items 0.. and frozen items 0.. (lot F1) and SSCCs 0..
fn stock(vaccines: u32, frozen: u32, units: u32) {
    commission_items(vaccines, units);
    register_frozen();
    run(
        "maker",
        vec![commissioning_of(
            frozen_gtin(),
            (0..frozen).map(|n| item_of(frozen_gtin(), n)).collect(),
            "F1",
        )],
    );
}

#[test]
fn a_reading_outside_the_band_raises_an_alert_and_flags_the_code() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        let ship = with_sensor(
            shipping(vec![item(0)], DISTRIBUTOR),
            temperature(Unit::Celsius, 150, 600),
        );
        // An excursion is recorded, not refused.
        assert_ok!(Trace::capture(&origin("maker"), vec![ship.clone()]));
        System::assert_has_event(excursion(
            0,
            vec![item(0)],
            TemperatureRange::VACCINE,
            150,
            600,
        ));
        System::assert_last_event(captured(MAKER, 0, ship));
        assert_eq!(own_flags(&item(0)), FLAG_EXCURSION);
        assert!(custody(&item(0)).excursion);
        assert!(!custody(&item(1)).excursion);
    });
}

#[test]
fn a_reading_inside_the_band_is_quiet_and_the_band_is_inclusive() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let e = with_sensor(
            observing(BizStep::Storing, vec![item(0)]),
            temperature(Unit::Celsius, 200, 800),
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        assert!(alerts().is_empty());
        assert_eq!(own_flags(&item(0)), 0);
    });
}

#[test]
fn the_alert_names_its_event_and_the_range_of_all_reports() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        let quiet = observing(BizStep::Storing, vec![item(1)]);
        let mut hot = observing(BizStep::Storing, vec![item(0)]);
        hot.sensors = vec![
            temperature(Unit::Celsius, 300, 500),
            temperature(Unit::Celsius, 400, 950),
            // Humidity is no temperature.
            crate::mock::sensor(SensorKind::Humidity, Unit::Percent, 0, 10_000),
        ];
        assert_ok!(Trace::capture(&origin("maker"), vec![quiet, hot]));
        assert_eq!(
            alerts(),
            vec![Alert::TemperatureExcursion {
                event: 1,
                codes: vec![item(0)],
                band: TemperatureRange::VACCINE,
                observed_min: 300,
                observed_max: 950,
                measured_by: MAKER,
            }]
        );
    });
}

#[test]
fn fahrenheit_and_kelvin_readings_are_converted() {
    new_test_ext().execute_with(|| {
        commission_items(4, 0);
        let store = |code, report| with_sensor(observing(BizStep::Storing, vec![code]), report);
        // 35.6 °F … 46.4 °F and 275.15 K … 281.15 K are exactly 2 … 8 °C.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![
                store(item(0), temperature(Unit::Fahrenheit, 3_560, 4_640)),
                store(item(1), temperature(Unit::Kelvin, 27_515, 28_115)),
            ]
        ));
        assert!(alerts().is_empty());
        // 48.2 °F is 9 °C; 284.15 K is 11 °C.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![
                store(item(2), temperature(Unit::Fahrenheit, 3_560, 4_820)),
                store(item(3), temperature(Unit::Kelvin, 27_315, 28_415)),
            ]
        ));
        assert_eq!(
            alerts(),
            vec![
                Alert::TemperatureExcursion {
                    event: 0,
                    codes: vec![item(2)],
                    band: TemperatureRange::VACCINE,
                    observed_min: 200,
                    observed_max: 900,
                    measured_by: MAKER,
                },
                Alert::TemperatureExcursion {
                    event: 1,
                    codes: vec![item(3)],
                    band: TemperatureRange::VACCINE,
                    observed_min: 0,
                    observed_max: 1_100,
                    measured_by: MAKER,
                },
            ]
        );
        // Just past the band by less than a hundredth of a degree (46.41 °F ≈ 8.006 °C) is still outside.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![store(item(0), temperature(Unit::Fahrenheit, 3_560, 4_641))]
        ));
        assert_eq!(own_flags(&item(0)), FLAG_EXCURSION);
    });
}

#[test]
fn a_container_carries_its_contents_band_and_its_flag_reaches_them() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run("maker", vec![packing(sscc(0), vec![item(0), item(1)])]);
        assert_eq!(
            Trace::code(&sscc(0)).unwrap().band,
            Some(TemperatureRange::VACCINE)
        );
        let ship = with_sensor(
            shipping(vec![sscc(0)], DISTRIBUTOR),
            temperature(Unit::Celsius, 500, 1_200),
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![ship]));
        System::assert_has_event(excursion(
            0,
            vec![sscc(0)],
            TemperatureRange::VACCINE,
            500,
            1_200,
        ));
        // The items are in excursion through the container; their own records are untouched.
        for n in 0..2 {
            assert!(custody(&item(n)).excursion);
            assert_eq!(own_flags(&item(n)), 0);
        }
        // Unpacking hands the flag down for good.
        run(
            "distributor",
            vec![receiving(vec![sscc(0)]), unpacking(sscc(0), vec![item(0)])],
        );
        assert_eq!(own_flags(&item(0)), FLAG_EXCURSION);
        assert!(custody(&item(0)).excursion);
        assert!(custody(&item(1)).excursion);
    });
}

#[test]
fn a_container_band_is_the_intersection_of_its_contents_bands() {
    new_test_ext().execute_with(|| {
        commission_items(1, 2);
        register_chilled();
        let chilled = item_of(chilled_gtin(), 0);
        run(
            "processor",
            vec![commissioning_of(chilled_gtin(), vec![chilled], "Y1")],
        );
        deliver(PROCESSOR, vec![chilled], MAKER);
        // Vaccine 2–8 °C and chilled 0–4 °C: 2–4 °C.
        run("maker", vec![packing(sscc(1), vec![item(0), chilled])]);
        assert_eq!(Trace::code(&sscc(1)).unwrap().band, Some(band(200, 400)));
        // Nesting keeps it: the pallet around the case has the same band.
        run("maker", vec![packing(sscc(0), vec![sscc(1)])]);
        assert_eq!(Trace::code(&sscc(0)).unwrap().band, Some(band(200, 400)));
        let store = |report| with_sensor(observing(BizStep::Storing, vec![sscc(0)]), report);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![store(temperature(Unit::Celsius, 250, 350))]
        ));
        assert!(alerts().is_empty());
        // 4.5 °C is fine for the vaccine, not for the chilled item that shares the case.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![store(temperature(Unit::Celsius, 300, 450))]
        ));
        System::assert_has_event(excursion(0, vec![sscc(0)], band(200, 400), 300, 450));
        assert!(custody(&item(0)).excursion && custody(&chilled).excursion);
    });
}

#[test]
fn incompatible_bands_in_one_container_are_always_an_excursion() {
    new_test_ext().execute_with(|| {
        stock(1, 1, 1);
        run(
            "maker",
            vec![packing(sscc(0), vec![item(0), item_of(frozen_gtin(), 0)])],
        );
        let empty = band(200, -1_500);
        assert_eq!(Trace::code(&sscc(0)).unwrap().band, Some(empty));
        for t in [-2_000, 500] {
            let e = with_sensor(
                observing(BizStep::Storing, vec![sscc(0)]),
                temperature(Unit::Celsius, t, t),
            );
            assert_ok!(Trace::capture(&origin("maker"), vec![e]));
            System::assert_has_event(excursion(0, vec![sscc(0)], empty, t, t));
        }
    });
}

#[test]
fn packing_into_a_case_already_on_a_pallet_narrows_the_pallets_band() {
    new_test_ext().execute_with(|| {
        commission_items(1, 2);
        // The empty case goes on the pallet first, the vaccine into the case afterwards.
        run(
            "maker",
            vec![
                packing(sscc(0), vec![sscc(1)]),
                packing(sscc(1), vec![item(0)]),
            ],
        );
        assert_eq!(
            Trace::code(&sscc(1)).unwrap().band,
            Some(TemperatureRange::VACCINE)
        );
        assert_eq!(
            Trace::code(&sscc(0)).unwrap().band,
            Some(TemperatureRange::VACCINE)
        );
        let e = with_sensor(
            shipping(vec![sscc(0)], DISTRIBUTOR),
            temperature(Unit::Celsius, 2_000, 2_500),
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        System::assert_has_event(excursion(
            0,
            vec![sscc(0)],
            TemperatureRange::VACCINE,
            2_000,
            2_500,
        ));
        assert!(custody(&item(0)).excursion);
    });
}

#[test]
fn separate_codes_are_judged_each_by_its_own_band() {
    new_test_ext().execute_with(|| {
        stock(1, 2, 0);
        let frozen = [item_of(frozen_gtin(), 0), item_of(frozen_gtin(), 1)];
        // One truck at 5 °C: right for the vaccine, wrong for the frozen food.
        let e = with_sensor(
            shipping(vec![frozen[0], item(0), frozen[1]], DISTRIBUTOR),
            temperature(Unit::Celsius, 500, 500),
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        assert_eq!(
            alerts(),
            vec![Alert::TemperatureExcursion {
                event: 0,
                codes: frozen.to_vec(),
                band: FROZEN,
                observed_min: 500,
                observed_max: 500,
                measured_by: MAKER,
            }]
        );
        assert_eq!(own_flags(&item(0)), 0);
        assert_eq!(own_flags(&frozen[0]), FLAG_EXCURSION);
    });
}

#[test]
fn codes_without_a_band_never_alert() {
    new_test_ext().execute_with(|| {
        register_rival_product();
        let code = item_of(rival_gtin(), 0);
        let mut e = commissioning_of(rival_gtin(), vec![code], "R1");
        e.sensors = vec![temperature(Unit::Celsius, 9_000, 9_000)];
        assert_ok!(Trace::capture(&origin("rival"), vec![e]));
        assert!(alerts().is_empty());
        // Nor does an empty container.
        run("rival", vec![commissioning_units(vec![sscc(0)])]);
        let e = with_sensor(
            observing(BizStep::Storing, vec![sscc(0)]),
            temperature(Unit::Celsius, 9_000, 9_000),
        );
        assert_ok!(Trace::capture(&origin("rival"), vec![e]));
        assert!(alerts().is_empty());
    });
}

#[test]
fn commissioned_and_transformed_outputs_are_checked_at_once() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        let mut e = commissioning(vec![item(0), item(1)], "L1");
        e.sensors = vec![temperature(Unit::Celsius, 1_000, 1_000)];
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        System::assert_has_event(excursion(
            0,
            vec![item(0), item(1)],
            TemperatureRange::VACCINE,
            1_000,
            1_000,
        ));
        let mut t = transforming(vec![item(0)], vec![item(5)], Some("L2"));
        t.sensors = vec![temperature(Unit::Celsius, 100, 100)];
        assert_ok!(Trace::capture(&origin("maker"), vec![t]));
        System::assert_has_event(excursion(
            0,
            vec![item(5)],
            TemperatureRange::VACCINE,
            100,
            100,
        ));
        assert_eq!(own_flags(&item(5)), FLAG_EXCURSION);
    });
}

#[test]
fn a_reading_over_a_finished_code_changes_nothing() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        run("maker", vec![selling(vec![item(0)])]);
        let before = custody_record(&item(0));
        let count = history_count(&item(0));
        let mut e = with_sensor(
            observing(BizStep::Storing, vec![item(0)]),
            temperature(Unit::Celsius, 3_000, 3_000),
        );
        e.biz_location = Some(crate::epcis::Location::Other(b"elsewhere".to_vec()));
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        assert!(alerts().is_empty());
        assert_eq!(custody_record(&item(0)), before);
        assert_eq!(
            history_count(&item(0)),
            count + 1,
            "the reading is in its history"
        );
    });
}

#[test]
fn an_official_inspectors_reading_flags_codes_it_does_not_hold() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let e = with_sensor(
            observing(BizStep::Inspecting, vec![item(0)]),
            temperature(Unit::Celsius, 1_500, 1_500),
        );
        assert_ok!(Trace::capture(&origin("lab"), vec![e.clone()]));
        System::assert_has_event(Event::Alert(Alert::TemperatureExcursion {
            event: 0,
            codes: vec![item(0)],
            band: TemperatureRange::VACCINE,
            observed_min: 1_500,
            observed_max: 1_500,
            measured_by: LAB,
        }));
        System::assert_last_event(captured(LAB, 0, e));
        assert_eq!(own_flags(&item(0)), FLAG_EXCURSION);
        assert_eq!(custody(&item(0)).custodian, MAKER);
    });
}

#[test]
fn unpacking_widens_the_bands_back_so_a_container_can_be_reused() {
    new_test_ext().execute_with(|| {
        commission_items(2, 2);
        register_frozen();
        let frozen = item_of(frozen_gtin(), 0);
        run(
            "maker",
            vec![commissioning_of(frozen_gtin(), vec![frozen], "F1")],
        );
        // A frozen item and a vaccine in one case on a pallet: no temperature suits both.
        run(
            "maker",
            vec![
                packing(sscc(1), vec![frozen, item(0)]),
                packing(sscc(0), vec![sscc(1)]),
            ],
        );
        assert!(Trace::code(&sscc(0)).unwrap().band.is_some());
        // The frozen item leaves: case and pallet fall back to the vaccine's 2–8 °C.
        run("maker", vec![unpacking(sscc(1), vec![frozen])]);
        assert_eq!(Trace::code(&sscc(1)).unwrap().band, Some(band(200, 800)));
        assert_eq!(Trace::code(&sscc(0)).unwrap().band, Some(band(200, 800)));
        let store = |report| with_sensor(observing(BizStep::Storing, vec![sscc(0)]), report);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![store(temperature(Unit::Celsius, 400, 500))]
        ));
        assert!(alerts().is_empty());
        // Emptied completely, the case has no band at all and takes its next load's.
        run("maker", vec![unpacking(sscc(1), vec![])]);
        assert_eq!(Trace::code(&sscc(1)).unwrap().band, None);
        run("maker", vec![packing(sscc(1), vec![item(1)])]);
        assert_eq!(Trace::code(&sscc(1)).unwrap().band, Some(band(200, 800)));
    });
}
