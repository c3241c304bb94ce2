//! A unit's records are attestations about `Subject::Equipment(number)`; this pallet is the attestation
//! pallet's [`AttestationWatch`] for them.
//!
//! **Check** (before the attestation is written), for the equipment schemas only — `SPECIAL_EQUIPMENT_*`,
//! `ELEVATOR_*`, `EQUIPMENT_INSURANCE`, `EQUIPMENT_ACCIDENT`; a calibration certificate of an instrument names no
//! registered unit and passes:
//! - the subject is the canonical number of a registered unit — [`Error::UnitNotRegistered`];
//! - elevator maintenance and inspection only for an elevator — [`Error::NotAnElevator`]; the special-equipment
//!   inspection for anything else — [`Error::UseElevatorInspection`];
//! - maintenance only by the firm the unit's user named — [`Error::NotUnitsMaintainer`];
//! - maintenance and inspections dated no later than now — [`Error::RecordInFuture`] — and not before the
//!   unit's latest of the same kind — [`Error::OlderThanLatest`].
//!
//! **Follow** (once written): maintenance and inspection become the unit's last record; their `valid_until`
//! (which the schemas require, at most 15 days and a year or six years) its next deadline, filed in the index;
//! an open lapse of that kind closes ([`Event::LapseCleared`]). Insurance becomes the cover in force; an
//! accident is counted and raised as an alert ([`Event::AccidentRecorded`]).
//!
//! **Revocation** of the unit's current maintenance or inspection record: the record no longer stands, so the
//! lapse opens at once; of its insurance: the unit has none on record.

use yima_attestation::schemas::{
    ELEVATOR_INSPECTION, ELEVATOR_MAINTENANCE, EQUIPMENT_ACCIDENT, EQUIPMENT_INSURANCE,
    SPECIAL_EQUIPMENT_INSPECTION, SPECIAL_EQUIPMENT_REGISTRATION,
};
use yima_attestation::{Attestation, AttestationId, AttestationWatch, SchemaId, Subject};
use yima_codes::{EquipmentKind, RegistrationNumber};
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::DispatchResult;

use crate::deadlines::{lapse_now, schedule};
use crate::types::{Lapse, Record};
use crate::{Config, Error, Event, Lapsed, Pallet, Units};

/// The schemas whose subject must be a registered unit.
pub const EQUIPMENT_SCHEMAS: [SchemaId; 6] = [
    SPECIAL_EQUIPMENT_REGISTRATION,
    SPECIAL_EQUIPMENT_INSPECTION,
    ELEVATOR_MAINTENANCE,
    ELEVATOR_INSPECTION,
    EQUIPMENT_INSURANCE,
    EQUIPMENT_ACCIDENT,
];

/// The deadline a schema's records reset, if any.
fn lapse_of(schema: SchemaId) -> Option<Lapse> {
    match schema {
        ELEVATOR_MAINTENANCE => Some(Lapse::MaintenanceOverdue),
        ELEVATOR_INSPECTION | SPECIAL_EQUIPMENT_INSPECTION => Some(Lapse::InspectionExpired),
        _ => None,
    }
}

/// The registered unit an equipment-schema attestation is about, if it is one.
fn unit_of(attestation: &Attestation) -> Option<RegistrationNumber> {
    if !EQUIPMENT_SCHEMAS.contains(&attestation.schema) {
        return None;
    }
    let Subject::Equipment(bytes) = &attestation.subject else {
        return None;
    };
    let text = std::str::from_utf8(bytes).ok()?;
    RegistrationNumber::parse(text)
        .ok()
        .filter(|n| n.as_str() == text)
}

impl<T: Config> AttestationWatch for Pallet<T> {
    fn check(_id: &AttestationId, attestation: &Attestation) -> DispatchResult {
        if !EQUIPMENT_SCHEMAS.contains(&attestation.schema) {
            return Ok(());
        }
        let number = unit_of(attestation).ok_or(Error::UnitNotRegistered)?;
        let unit = Units::get(&number).ok_or(Error::UnitNotRegistered)?;
        let elevator = unit.kind == EquipmentKind::Elevator;
        match attestation.schema {
            ELEVATOR_MAINTENANCE | ELEVATOR_INSPECTION if !elevator => {
                return Err(Error::NotAnElevator.into())
            }
            SPECIAL_EQUIPMENT_INSPECTION if elevator => {
                return Err(Error::UseElevatorInspection.into())
            }
            ELEVATOR_MAINTENANCE if unit.maintainer != Some(attestation.issuer_org) => {
                return Err(Error::NotUnitsMaintainer.into())
            }
            _ => {}
        }
        if let Some(lapse) = lapse_of(attestation.schema) {
            if attestation.valid_from > Self::now() {
                return Err(Error::RecordInFuture.into());
            }
            let latest = match lapse {
                Lapse::MaintenanceOverdue => unit.maintenance,
                Lapse::InspectionExpired => unit.inspection,
            };
            if latest.is_some_and(|r| attestation.valid_from < r.at) {
                return Err(Error::OlderThanLatest.into());
            }
        }
        Ok(())
    }

    fn attested(id: &AttestationId, attestation: &Attestation) {
        let Some(number) = unit_of(attestation) else {
            return;
        };
        let Some(mut unit) = Units::get(&number) else {
            return;
        };
        let record = Record {
            attestation: *id,
            by: attestation.issuer_org,
            at: attestation.valid_from,
            until: attestation.valid_until,
        };
        let mut cleared = None;
        match (attestation.schema, lapse_of(attestation.schema)) {
            (_, Some(lapse)) => {
                match lapse {
                    Lapse::MaintenanceOverdue => {
                        unit.maintenance = Some(record);
                        unit.maintenance_due = attestation.valid_until;
                    }
                    Lapse::InspectionExpired => {
                        unit.inspection = Some(record);
                        if let Some(until) = attestation.valid_until {
                            unit.inspection_due = until;
                        }
                    }
                }
                if let Some(due) = attestation.valid_until {
                    schedule::<T>(&number, lapse, due);
                }
                if unit.is_lapsed(lapse) {
                    unit.set_lapsed(lapse, false);
                    Lapsed::remove(&lapse, &number);
                    cleared = Some(lapse);
                }
            }
            (EQUIPMENT_INSURANCE, None) => unit.insurance = Some(record),
            (EQUIPMENT_ACCIDENT, None) => unit.accidents = unit.accidents.saturating_add(1),
            _ => return,
        }
        Units::insert(&number, &unit);
        if let Some(lapse) = cleared {
            Self::deposit_event(Event::LapseCleared {
                unit: number.clone(),
                lapse,
                attestation: *id,
            });
        }
        if attestation.schema == EQUIPMENT_ACCIDENT {
            Self::deposit_event(Event::AccidentRecorded {
                unit: number,
                attestation: *id,
                user: unit.user,
            });
        }
    }

    fn revoked(id: &AttestationId, attestation: &Attestation) {
        let Some(number) = unit_of(attestation) else {
            return;
        };
        let Some(mut unit) = Units::get(&number) else {
            return;
        };
        let is_current = |r: Option<Record>| r.is_some_and(|r| r.attestation == *id);
        if is_current(unit.insurance) {
            unit.insurance = None;
            Units::insert(&number, &unit);
            return;
        }
        let lapse = match lapse_of(attestation.schema) {
            Some(Lapse::MaintenanceOverdue) if is_current(unit.maintenance) => {
                Lapse::MaintenanceOverdue
            }
            Some(Lapse::InspectionExpired) if is_current(unit.inspection) => {
                Lapse::InspectionExpired
            }
            _ => return,
        };
        let at = attestation
            .revoked
            .as_ref()
            .map_or_else(Self::now, |r| r.time);
        lapse_now::<T>(&number, lapse, at);
    }
}
