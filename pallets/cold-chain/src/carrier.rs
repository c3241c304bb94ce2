//! Carrier hops: a logistics carrier hands codes over at the end of its leg.
//!
//! The carrier (custodian of the codes, having received them) records, through the trace core:
//!
//! 1. an EPCIS transaction event linking the codes to the GPS track of the leg by its SHA-256 (a business
//!    document of kind `Other`; the track itself stays off chain), read at the vehicle;
//! 2. the shipment to the consignee, read at the vehicle (its plate as the read point), with the leg's
//!    temperature summary as a sensor report — outside the goods' band, the trace core flags the codes and
//!    raises its excursion alert.
//!
//! The shipment passes the gates like any other: to a retailer or caterer, the four no's apply.

use yima_codes::TraceCode;
use yima_frame::{DispatchResult, Hash, OrgId, Origin, Role};
use yima_membership::OrgKind;
use yima_trace::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody, Location,
    SensorKind, SensorReport, Unit,
};

use crate::types::{is_valid_plate, TemperatureSummary};
use crate::{Config, Error, Event, Pallet, CST_MINUTES, PALLET};

impl<T: Config> Pallet<T> {
    /// Records a carrier's leg ending with the hand-over of `codes` to `to` (a carrier's Operator).
    pub fn carrier_hop(
        origin: &Origin,
        codes: Vec<TraceCode>,
        to: OrgId,
        vehicle: Vec<u8>,
        gps_track: Hash,
        temperature: TemperatureSummary,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        if Self::org_kind(signer.org) != Some(OrgKind::Carrier) {
            return Err(Error::NotCarrier.into());
        }
        signer.ensure_role(Role::Operator)?;
        if codes.is_empty() {
            return Err(Error::NoCodes.into());
        }
        if !is_valid_plate(&vehicle) {
            return Err(Error::InvalidVehiclePlate.into());
        }
        if gps_track == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }

        let now = Self::now();
        let plate = Location::Other(vehicle.clone());
        let mut track = EpcisEvent::new(
            EventBody::Transaction {
                action: Action::Observe,
                biz_transactions: vec![BizTransaction {
                    kind: BizTransactionKind::Other,
                    digest: gps_track,
                }],
                epcs: codes.clone(),
            },
            now,
            CST_MINUTES,
            BizStep::Other,
        );
        track.read_point = Some(plate.clone());
        let mut ship = EpcisEvent::new(
            EventBody::Object {
                action: Action::Observe,
                epcs: codes.clone(),
                quantities: vec![],
            },
            now,
            CST_MINUTES,
            BizStep::Shipping,
        );
        ship.read_point = Some(plate);
        ship.source = Some(signer.org);
        ship.destination = Some(to);
        ship.sensors = vec![SensorReport {
            kind: SensorKind::Temperature,
            unit: Unit::Celsius,
            min: temperature.min,
            max: temperature.max,
            mean: temperature.mean,
            device: temperature.device.clone(),
        }];
        yima_trace::Pallet::<T>::record(origin, vec![track, ship], PALLET)?;

        Self::deposit_event(Event::CarrierHop {
            carrier: signer.org,
            to,
            codes,
            vehicle,
            gps_track,
            temperature,
        });
        Ok(())
    }
}
