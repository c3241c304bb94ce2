//! What every captured event must look like before any rule applies (time, zone, ids, sensors, sizes,
//! duplicates, steps, roles, known codes), what observations may do, and that a list is all or nothing.

use yima_codes::Gln;
use yima_frame::testing::TestExternalities;
use yima_frame::{assert_noop, assert_ok, DispatchError, GenesisBuild, Hash, Origin, Role};

use crate::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody, Location,
    QuantityElement, SensorKind, SensorReport, Unit, MAX_ID_BYTES,
};
use crate::mock::*;
use crate::types::{CaptureLimits, CodeStatus};
use crate::Error;

/// Storing `item(0)` with `report` attached (the maker holds it).
fn stored_with(report: SensorReport) -> Vec<EpcisEvent> {
    vec![with_sensor(
        observing(BizStep::Storing, vec![item(0)]),
        report,
    )]
}

fn reading(kind: SensorKind, unit: Unit, min: i32, mean: i32, max: i32) -> SensorReport {
    SensorReport {
        mean,
        ..sensor(kind, unit, min, max)
    }
}

#[test]
fn temperatures_below_absolute_zero_are_impossible() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        for (unit, below, zero) in [
            (Unit::Celsius, -27_316, -27_315),
            (Unit::Kelvin, -1, 0),
            // −459.67 °F is absolute zero; −459.68 °F is below it even though it rounds to −273.15 °C.
            (Unit::Fahrenheit, -45_968, -45_967),
            (Unit::Fahrenheit, -46_000, -45_967),
        ] {
            assert_noop!(
                Trace::capture(&origin("maker"), stored_with(temperature(unit, below, 500))),
                Error::ImpossibleSensorReading
            );
            assert_ok!(Trace::capture(
                &origin("maker"),
                stored_with(temperature(unit, zero, zero))
            ));
        }
    });
}

#[test]
fn temperatures_above_1000_celsius_are_impossible() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        for (unit, above, limit) in [
            (Unit::Celsius, 100_001, 100_000),
            (Unit::Kelvin, 127_316, 127_315),
            // 1832 °F is 1000 °C; 1832.01 °F is above it even though it rounds to 1000.00 °C.
            (Unit::Fahrenheit, 183_201, 183_200),
        ] {
            assert_noop!(
                Trace::capture(&origin("maker"), stored_with(temperature(unit, 0, above))),
                Error::ImpossibleSensorReading
            );
            assert_ok!(Trace::capture(
                &origin("maker"),
                stored_with(temperature(unit, limit, limit))
            ));
        }
    });
}

#[test]
fn the_mean_lies_between_min_and_max() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        for (min, mean, max) in [(300, 299, 500), (300, 501, 500), (600, 550, 500)] {
            assert_noop!(
                Trace::capture(
                    &origin("maker"),
                    stored_with(reading(
                        SensorKind::Temperature,
                        Unit::Celsius,
                        min,
                        mean,
                        max
                    ))
                ),
                Error::ImpossibleSensorReading
            );
        }
        assert_ok!(Trace::capture(
            &origin("maker"),
            stored_with(reading(
                SensorKind::Temperature,
                Unit::Celsius,
                300,
                300,
                300
            ))
        ));
    });
}

#[test]
fn humidity_is_a_percentage() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        for (min, max) in [(5_000, 10_001), (-1, 5_000)] {
            assert_noop!(
                Trace::capture(
                    &origin("maker"),
                    stored_with(sensor(SensorKind::Humidity, Unit::Percent, min, max))
                ),
                Error::ImpossibleSensorReading
            );
        }
        assert_ok!(Trace::capture(
            &origin("maker"),
            stored_with(sensor(SensorKind::Humidity, Unit::Percent, 0, 10_000))
        ));
    });
}

#[test]
fn a_sensor_unit_must_fit_its_kind() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let mut wrong = vec![(SensorKind::Temperature, Unit::Percent)];
        for unit in [Unit::Celsius, Unit::Fahrenheit, Unit::Kelvin] {
            wrong.push((SensorKind::Humidity, unit));
        }
        for (kind, unit) in wrong {
            assert_noop!(
                Trace::capture(&origin("maker"), stored_with(sensor(kind, unit, 500, 500))),
                Error::SensorUnitMismatch
            );
        }
    });
}

#[test]
fn device_and_location_ids_are_1_to_64_bytes() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let long = vec![b'x'; MAX_ID_BYTES + 1];
        let fits = vec![b'x'; MAX_ID_BYTES];
        for bad in [long.clone(), vec![]] {
            let mut report = temperature(Unit::Celsius, 500, 500);
            report.device = Some(bad.clone());
            assert_noop!(
                Trace::capture(&origin("maker"), stored_with(report)),
                Error::IdTooLong
            );
            let mut e = observing(BizStep::Storing, vec![item(0)]);
            e.read_point = Some(Location::Other(bad.clone()));
            assert_noop!(Trace::capture(&origin("maker"), vec![e]), Error::IdTooLong);
            let mut e = observing(BizStep::Storing, vec![item(0)]);
            e.biz_location = Some(Location::Other(bad));
            assert_noop!(Trace::capture(&origin("maker"), vec![e]), Error::IdTooLong);
        }
        let mut report = temperature(Unit::Celsius, 500, 500);
        report.device = Some(fits.clone());
        let mut e = with_sensor(observing(BizStep::Storing, vec![item(0)]), report);
        e.read_point = Some(Location::Gln(Gln::parse("0614141000005").unwrap()));
        e.biz_location = Some(Location::Other(fits.clone()));
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
        assert_eq!(
            Trace::code(&item(0)).unwrap().location,
            Some(Location::Other(fits))
        );
    });
}

#[test]
fn events_may_not_come_from_the_future_beyond_the_clock_skew() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let skew = CaptureLimits::default().max_clock_skew_ms;
        let at = |t| {
            let mut e = observing(BizStep::Storing, vec![item(0)]);
            e.event_time = t;
            vec![e]
        };
        assert_noop!(
            Trace::capture(&origin("maker"), at(NOW + skew + 1)),
            Error::EventInFuture
        );
        assert_ok!(Trace::capture(&origin("maker"), at(NOW + skew)));
        // The past is fine.
        assert_ok!(Trace::capture(&origin("maker"), at(0)));
    });
}

#[test]
fn the_clock_skew_is_a_genesis_parameter() {
    ext_with_limits(CaptureLimits {
        max_clock_skew_ms: 0,
        ..CaptureLimits::default()
    })
    .execute_with(|| {
        commission_items(1, 0);
        let mut e = observing(BizStep::Storing, vec![item(0)]);
        e.event_time = NOW + 1;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e.clone()]),
            Error::EventInFuture
        );
        e.event_time = NOW;
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
    });
}

#[test]
fn the_time_zone_offset_is_between_minus_12_and_plus_14_hours() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let zoned = |tz| {
            let mut e = observing(BizStep::Storing, vec![item(0)]);
            e.time_zone_offset_minutes = tz;
            vec![e]
        };
        for bad in [-721, 841, i16::MIN, i16::MAX] {
            assert_noop!(
                Trace::capture(&origin("maker"), zoned(bad)),
                Error::InvalidTimeZone
            );
        }
        for good in [-720, 0, 840] {
            assert_ok!(Trace::capture(&origin("maker"), zoned(good)));
        }
    });
}

#[test]
fn an_event_list_is_neither_empty_nor_over_the_limit() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![]),
            Error::EventListTooLarge
        );
        let limit = CaptureLimits::default().max_events_per_call as usize;
        let many = vec![observing(BizStep::Storing, vec![item(0)]); limit + 1];
        assert_noop!(
            Trace::capture(&origin("maker"), many),
            Error::EventListTooLarge
        );
    });
    ext_with_limits(CaptureLimits {
        max_events_per_call: 2,
        ..CaptureLimits::default()
    })
    .execute_with(|| {
        commission_items(1, 0);
        let store = observing(BizStep::Storing, vec![item(0)]);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![store.clone(); 3]),
            Error::EventListTooLarge
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![store; 2]));
    });
}

#[test]
fn an_event_names_at_least_one_and_at_most_the_limit_of_codes() {
    ext_with_limits(CaptureLimits {
        max_codes_per_event: 2,
        ..CaptureLimits::default()
    })
    .execute_with(|| {
        register_vaccine();
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![commissioning(vec![item(0), item(1), item(2)], "L1")]
            ),
            Error::TooManyCodes
        );
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![commissioning(vec![item(0), item(1)], "L1")]
        ));
        run(
            "maker",
            vec![
                commissioning(vec![item(2)], "L1"),
                commissioning_units(vec![sscc(0)]),
            ],
        );
        // The parent counts, and so do inputs plus outputs, and lot quantities.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![packing(sscc(0), vec![item(0), item(1)])]
            ),
            Error::TooManyCodes
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(
                    vec![item(0), item(1)],
                    vec![item(9)],
                    Some("L2")
                )]
            ),
            Error::TooManyCodes
        );
        let mut e = observing(BizStep::Storing, vec![item(0), item(1)]);
        if let EventBody::Object { quantities, .. } = &mut e.body {
            quantities.push(QuantityElement {
                lot: lot_key("L1"),
                quantity: 5,
                uom: None,
            });
        }
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::TooManyCodes
        );
        // Nothing at all is not an event either.
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![], DISTRIBUTOR)]),
            Error::TooManyCodes
        );
    });
}

#[test]
fn a_code_appears_once_per_event() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![shipping(vec![item(0), item(1), item(0)], DISTRIBUTOR)]
            ),
            Error::DuplicateCode
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![packing(sscc(0), vec![item(0), item(0)])]
            ),
            Error::DuplicateCode
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![transforming(
                    vec![item(0), item(0)],
                    vec![item(5)],
                    Some("L2")
                )]
            ),
            Error::DuplicateCode
        );
    });
}

#[test]
fn events_on_unknown_codes_are_refused() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        let ghost = item(99);
        let document = BizTransaction {
            kind: BizTransactionKind::Invoice,
            digest: Hash([1; 32]),
        };
        let cases: Vec<(&str, EpcisEvent)> = vec![
            ("maker", shipping(vec![ghost], DISTRIBUTOR)),
            ("distributor", receiving(vec![ghost])),
            ("maker", selling(vec![ghost])),
            ("maker", observing(BizStep::Storing, vec![ghost])),
            ("lab", observing(BizStep::Inspecting, vec![ghost])),
            ("maker", packing(sscc(0), vec![ghost])),
            ("maker", packing(sscc(7), vec![item(0)])),
            ("maker", unpacking(sscc(7), vec![])),
            (
                "maker",
                transforming(vec![ghost], vec![item(5)], Some("L1")),
            ),
            (
                "maker",
                event(
                    EventBody::Transaction {
                        action: Action::Add,
                        biz_transactions: vec![document],
                        epcs: vec![item(0), ghost],
                    },
                    BizStep::Other,
                ),
            ),
        ];
        for (who, e) in cases {
            assert_noop!(Trace::capture(&origin(who), vec![e]), Error::UnknownCode);
        }
    });
}

#[test]
fn lot_quantities_must_name_known_lots() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let quantity = |lot| {
            event(
                EventBody::Object {
                    action: Action::Observe,
                    epcs: vec![],
                    quantities: vec![QuantityElement {
                        lot: lot_key(lot),
                        quantity: 120,
                        uom: Some(*b"KGM"),
                    }],
                },
                BizStep::Storing,
            )
        };
        assert_noop!(
            Trace::capture(&origin("maker"), vec![quantity("L9")]),
            Error::UnknownLot
        );
        assert_ok!(Trace::capture(&origin("maker"), vec![quantity("L1")]));
    });
}

#[test]
fn a_transaction_event_links_codes_to_documents() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let linked = |documents| {
            event(
                EventBody::Transaction {
                    action: Action::Add,
                    biz_transactions: documents,
                    epcs: vec![item(0)],
                },
                BizStep::Other,
            )
        };
        assert_noop!(
            Trace::capture(&origin("maker"), vec![linked(vec![])]),
            Error::NoBizTransaction
        );
        let before = custody_record(&item(0));
        let e = linked(vec![BizTransaction {
            kind: BizTransactionKind::CustomsDeclaration,
            digest: Hash([2; 32]),
        }]);
        assert_ok!(Trace::capture(&origin("maker"), vec![e.clone()]));
        System::assert_last_event(captured(MAKER, 0, e));
        assert_eq!(custody_record(&item(0)), before);
    });
}

#[test]
fn the_business_step_must_fit_the_event() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        let mismatches = vec![
            object(Action::Observe, vec![item(0)], BizStep::Commissioning),
            object(Action::Add, vec![item(0)], BizStep::Shipping),
            object(Action::Delete, vec![item(0)], BizStep::Receiving),
            object(Action::Observe, vec![item(0)], BizStep::Packing),
            object(Action::Observe, vec![item(0)], BizStep::Transforming),
            object(Action::Add, vec![item(0)], BizStep::Storing),
            object(Action::Delete, vec![item(0)], BizStep::Inspecting),
        ];
        for mut e in mismatches {
            e.destination = Some(DISTRIBUTOR);
            assert_noop!(
                Trace::capture(&origin("maker"), vec![e]),
                Error::StepMismatch
            );
        }
    });
}

#[test]
fn an_inspector_inspects_what_it_does_not_hold_but_moves_nothing() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let before = custody_record(&item(0));
        let mut inspect = observing(BizStep::Inspecting, vec![item(0)]);
        inspect.biz_location = Some(Location::Other(b"lab-bench".to_vec()));
        assert_ok!(Trace::capture(&origin("lab"), vec![inspect.clone()]));
        System::assert_last_event(captured(LAB, 0, inspect));
        assert_eq!(custody_record(&item(0)), before);
        // A regulator inspects too; a retailer's Inspector (its quick tests) only what the retailer holds.
        assert_ok!(Trace::capture(
            &origin("regulator"),
            vec![observing(BizStep::Inspecting, vec![item(0)])]
        ));
        assert_noop!(
            Trace::capture(
                &origin("viewer"),
                vec![observing(BizStep::Inspecting, vec![item(0)])]
            ),
            Error::NotHolder
        );
        // But the lab may not ship, store or commission.
        assert_noop!(
            Trace::capture(&origin("lab"), vec![shipping(vec![item(0)], LAB)]),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            Trace::capture(
                &origin("lab"),
                vec![observing(BizStep::Storing, vec![item(0)])]
            ),
            DispatchError::MissingRole(Role::Operator)
        );
        // An Operator of an ordinary organisation inspects only what it holds.
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![observing(BizStep::Inspecting, vec![item(0)])]
            ),
            Error::NotHolder
        );
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![observing(BizStep::Storing, vec![item(0)])]
            ),
            Error::NotCustodian
        );
    });
}

#[test]
fn storing_by_the_custodian_records_the_location() {
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        let mut store = observing(BizStep::Storing, vec![item(0)]);
        store.biz_location = Some(Location::Other(b"cold-room-2".to_vec()));
        assert_ok!(Trace::capture(&origin("maker"), vec![store.clone()]));
        assert_eq!(
            custody(&item(0)).location,
            Some(Location::Other(b"cold-room-2".to_vec()))
        );
        // Packed codes are where their container is.
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        let mut store = observing(BizStep::Other, vec![sscc(0)]);
        store.biz_location = Some(Location::Other(b"dock-1".to_vec()));
        run("maker", vec![store]);
        assert_eq!(
            custody(&item(0)).location,
            Some(Location::Other(b"dock-1".to_vec()))
        );
    });
}

#[test]
fn a_list_is_all_or_nothing() {
    new_test_ext().execute_with(|| {
        commission_items(3, 1);
        // The third event fails: the pack and the shipment before it are not kept.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![
                    packing(sscc(0), vec![item(0), item(1)]),
                    shipping(vec![sscc(0)], DISTRIBUTOR),
                    shipping(vec![item(0)], RETAILER),
                ]
            ),
            Error::InsideContainer
        );
        assert_eq!(Trace::code(&item(0)).unwrap().parent, None);
        assert_eq!(Trace::code(&sscc(0)).unwrap().status, CodeStatus::Active);
    });
}

#[test]
fn every_accepted_event_is_captured_with_its_org_and_index() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        let events = vec![
            packing(sscc(0), vec![item(0)]),
            observing(BizStep::Storing, vec![item(1)]),
            shipping(vec![sscc(0), item(1)], DISTRIBUTOR),
        ];
        let count = System::events().len();
        assert_ok!(Trace::capture(&origin("maker"), events.clone()));
        let expected: Vec<RuntimeEvent> = events
            .into_iter()
            .enumerate()
            .map(|(i, e)| RuntimeEvent::Trace(captured(MAKER, i as u32, e)))
            .collect();
        let got: Vec<RuntimeEvent> = System::events()[count..]
            .iter()
            .map(|r| r.event.clone())
            .collect();
        assert_eq!(got, expected);
    });
}

#[test]
fn capturing_needs_a_signed_origin() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert!(matches!(
            Trace::capture(
                &Origin::Root,
                vec![observing(BizStep::Storing, vec![item(0)])]
            ),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn genesis_refuses_limits_that_admit_nothing() {
    for limits in [
        CaptureLimits {
            max_events_per_call: 0,
            ..CaptureLimits::default()
        },
        CaptureLimits {
            max_codes_per_event: 0,
            ..CaptureLimits::default()
        },
    ] {
        TestExternalities::new_empty().execute_with(|| {
            assert!(crate::GenesisConfig { limits }.build().is_err());
            assert_eq!(Trace::limits(), CaptureLimits::default());
        });
    }
}
