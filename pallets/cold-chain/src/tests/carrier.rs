//! Carrier hops: plate, GPS-track digest and temperature summary, recorded through the trace core so its
//! custody rules and excursion alerts apply.

use yima_frame::{assert_noop, assert_ok, Hash};
use yima_trace::epcis::{BizStep, BizTransactionKind, EventBody, Location, SensorKind};
use yima_trace::types::{CodeStatus, FLAG_EXCURSION};

use crate::mock::*;
use crate::types::TemperatureSummary;
use crate::{Error, Event};

const PLATE: &str = "浙B12345";

fn hop(
    who: &str,
    codes: Vec<yima_codes::TraceCode>,
    to: yima_frame::OrgId,
    temperature: TemperatureSummary,
) -> yima_frame::DispatchResult {
    ColdChain::carrier_hop(
        &origin(who),
        codes,
        to,
        PLATE.as_bytes().to_vec(),
        doc(500),
        temperature,
    )
}

/// Codes `cl(1..=3)` certified and handed to the carrier.
fn with_carrier() {
    certified("L1", 3);
    deliver("warehouse", vec![cl(1), cl(2), cl(3)], CARRIER, "carrier");
}

fn captured_tail(n: usize) -> Vec<yima_trace::epcis::EpcisEvent> {
    let all: Vec<_> = System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::Trace(yima_trace::Event::Captured { event, .. }) => Some(event),
            _ => None,
        })
        .collect();
    all[all.len() - n..].to_vec()
}

#[test]
fn a_hop_records_the_track_and_the_shipment_with_its_temperature() {
    new_test_ext().execute_with(|| {
        with_carrier();
        assert_ok!(hop(
            "carrier",
            vec![cl(1), cl(2)],
            DISTRIBUTOR,
            frozen_leg()
        ));
        System::assert_last_event(Event::CarrierHop {
            carrier: CARRIER,
            to: DISTRIBUTOR,
            codes: vec![cl(1), cl(2)],
            vehicle: PLATE.as_bytes().to_vec(),
            gps_track: doc(500),
            temperature: frozen_leg(),
        });
        let [track, ship] = <[_; 2]>::try_from(captured_tail(2)).unwrap();
        assert!(matches!(
            &track.body,
            EventBody::Transaction { biz_transactions, epcs, .. }
                if biz_transactions[0].kind == BizTransactionKind::Other
                    && biz_transactions[0].digest == doc(500)
                    && *epcs == vec![cl(1), cl(2)]
        ));
        assert_eq!(ship.biz_step, BizStep::Shipping);
        assert_eq!(ship.destination, Some(DISTRIBUTOR));
        assert_eq!(
            ship.read_point,
            Some(Location::Other(PLATE.as_bytes().to_vec()))
        );
        assert_eq!(ship.sensors[0].kind, SensorKind::Temperature);
        assert_eq!((ship.sensors[0].min, ship.sensors[0].max), (-2_100, -1_800));
        assert_eq!(
            Trace::code(&cl(1)).unwrap().status,
            CodeStatus::InTransit { to: DISTRIBUTOR }
        );
        assert_eq!(Trace::code(&cl(1)).unwrap().flags & FLAG_EXCURSION, 0);
    });
}

#[test]
fn a_warm_leg_raises_the_trace_cores_excursion_alert() {
    new_test_ext().execute_with(|| {
        with_carrier();
        let warm = TemperatureSummary {
            min: -1_900,
            max: -900,
            mean: -1_500,
            device: None,
        };
        assert_ok!(hop("carrier", vec![cl(3)], DISTRIBUTOR, warm));
        System::assert_has_event(yima_trace::Event::Alert(
            yima_trace::Alert::TemperatureExcursion {
                event: 1,
                codes: vec![cl(3)],
                band: FROZEN,
                observed_min: -1_900,
                observed_max: -900,
                measured_by: CARRIER,
            },
        ));
        assert_ne!(Trace::code(&cl(3)).unwrap().flags & FLAG_EXCURSION, 0);
    });
}

#[test]
fn only_a_carrier_operator_records_a_hop() {
    new_test_ext().execute_with(|| {
        with_carrier();
        for who in ["warehouse", "distributor", "importer"] {
            assert_noop!(
                hop(who, vec![cl(1)], RETAILER, frozen_leg()),
                Error::NotCarrier
            );
        }
    });
}

#[test]
fn malformed_hops_are_refused() {
    new_test_ext().execute_with(|| {
        with_carrier();
        assert_noop!(
            hop("carrier", vec![], DISTRIBUTOR, frozen_leg()),
            Error::NoCodes
        );
        for plate in ["浙B1234", "ZJB12345", "浙B 12345"] {
            assert_noop!(
                ColdChain::carrier_hop(
                    &origin("carrier"),
                    vec![cl(1)],
                    DISTRIBUTOR,
                    plate.as_bytes().to_vec(),
                    doc(500),
                    frozen_leg()
                ),
                Error::InvalidVehiclePlate
            );
        }
        assert_noop!(
            ColdChain::carrier_hop(
                &origin("carrier"),
                vec![cl(1)],
                DISTRIBUTOR,
                PLATE.as_bytes().to_vec(),
                Hash::default(),
                frozen_leg()
            ),
            Error::InvalidDigest
        );
        // Impossible readings are the trace core's to refuse.
        let impossible = TemperatureSummary {
            min: -1_000,
            max: -2_000,
            mean: -1_500,
            device: None,
        };
        assert_noop!(
            hop("carrier", vec![cl(1)], DISTRIBUTOR, impossible),
            yima_trace::Error::ImpossibleSensorReading
        );
    });
}

#[test]
fn the_carrier_must_hold_the_codes() {
    new_test_ext().execute_with(|| {
        certified("L1", 3);
        // Still at the warehouse: the trace core refuses the hop's GPS-track transaction event, the first of
        // the hop, on codes the carrier does not hold.
        assert_noop!(
            hop("carrier", vec![cl(1)], DISTRIBUTOR, frozen_leg()),
            yima_trace::Error::NotHolder
        );
    });
}
