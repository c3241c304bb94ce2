//! Records about units are attestations the register checks and follows.

use yima_attestation::schemas::{
    ELEVATOR_INSPECTION, ELEVATOR_MAINTENANCE, METROLOGY_CALIBRATION, SPECIAL_EQUIPMENT_INSPECTION,
};
use yima_attestation::Subject;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{assert_noop, assert_ok};

use crate::mock::*;
use crate::{Error, Event, Lapse, Lapsed, Record, Units};

#[test]
fn the_named_firm_records_maintenance_and_moves_the_deadline() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        advance_to(NOW + 3 * DAY);
        let id = maintain("lift-co", &lift(), 1, NOW + 3 * DAY).unwrap();
        let unit = Units::get(&lift()).unwrap();
        assert_eq!(
            unit.maintenance,
            Some(Record {
                attestation: id,
                by: LIFT_CO,
                at: NOW + 3 * DAY,
                until: Some(NOW + 18 * DAY)
            })
        );
        assert_eq!(unit.maintenance_due, Some(NOW + 18 * DAY));
    });
}

#[test]
fn maintenance_by_any_other_firm_is_refused() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        // No firm named yet.
        assert_noop!(
            maintain("lift-co", &lift(), 1, NOW),
            Error::NotUnitsMaintainer
        );
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        assert_noop!(
            maintain("other-lift-co", &lift(), 1, NOW),
            Error::NotUnitsMaintainer
        );
        assert_ok!(maintain("lift-co", &lift(), 1, NOW));
    });
}

#[test]
fn records_about_an_unregistered_unit_are_refused() {
    new_test_ext().execute_with(|| {
        let unknown = number("梯11浙A07777(19)");
        assert_noop!(
            inspect(&unknown, 1, NOW, NOW + DAY),
            Error::UnitNotRegistered
        );
        assert_noop!(insure(&unknown, 1, NOW), Error::UnitNotRegistered);
        assert_noop!(accident(&unknown, 1), Error::UnitNotRegistered);
        // A number written in another form than the register's canonical one names no unit.
        assert_ok!(register(&lift()));
        let full_width = Subject::Equipment("梯11浙A00123（19）".as_bytes().to_vec());
        assert_noop!(
            Attestation::attest(
                &origin("lab"),
                ELEVATOR_INSPECTION,
                full_width,
                doc(1),
                None,
                NOW,
                Some(NOW + DAY)
            ),
            Error::UnitNotRegistered
        );
        // A calibration certificate of an instrument names no registered unit, and passes.
        assert_ok!(Attestation::attest(
            &origin("lab"),
            METROLOGY_CALIBRATION,
            Subject::Equipment(b"SCALE-17".to_vec()),
            doc(2),
            None,
            NOW,
            Some(NOW + DAY)
        ));
    });
}

#[test]
fn each_schema_fits_its_kind_of_equipment() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(register(&boiler()));
        assert_noop!(
            record(
                "lab",
                ELEVATOR_INSPECTION,
                &boiler(),
                1,
                NOW,
                Some(NOW + DAY)
            ),
            Error::NotAnElevator
        );
        assert_noop!(
            record(
                "lift-co",
                ELEVATOR_MAINTENANCE,
                &boiler(),
                1,
                NOW,
                Some(NOW + DAY)
            ),
            Error::NotAnElevator
        );
        assert_noop!(
            record(
                "lab",
                SPECIAL_EQUIPMENT_INSPECTION,
                &lift(),
                1,
                NOW,
                Some(NOW + DAY)
            ),
            Error::UseElevatorInspection
        );
    });
}

#[test]
fn a_record_is_dated_when_the_work_was_done_and_in_order() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        assert_noop!(
            maintain("lift-co", &lift(), 1, NOW + 1),
            Error::RecordInFuture
        );
        advance_to(NOW + 10 * DAY);
        assert_ok!(maintain("lift-co", &lift(), 1, NOW + 9 * DAY));
        assert_noop!(
            maintain("lift-co", &lift(), 2, NOW + 8 * DAY),
            Error::OlderThanLatest
        );
    });
}

#[test]
fn insurance_and_accidents_are_followed() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        let cover = insure(&lift(), 1, NOW).unwrap();
        assert_eq!(
            Units::get(&lift())
                .unwrap()
                .insurance
                .map(|r| (r.attestation, r.by)),
            Some((cover, INSURER))
        );
        let id = accident(&lift(), 2).unwrap();
        assert_eq!(Units::get(&lift()).unwrap().accidents, 1);
        System::assert_last_event(RuntimeEvent::Equipment(Event::AccidentRecorded {
            unit: lift(),
            attestation: id,
            user: PROPERTY,
        }));
        // Revoking the cover leaves the unit uninsured on record.
        assert_ok!(Attestation::revoke(&origin("insurer"), cover, doc(3)));
        assert_eq!(Units::get(&lift()).unwrap().insurance, None);
    });
}

#[test]
fn revoking_the_current_maintenance_opens_the_lapse_at_once() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        let id = maintain("lift-co", &lift(), 1, NOW).unwrap();
        advance_to(NOW + DAY);
        assert_ok!(Attestation::revoke(&origin("regulator"), id, doc(9)));
        System::assert_last_event(RuntimeEvent::Equipment(Event::Lapsed {
            unit: lift(),
            lapse: Lapse::MaintenanceOverdue,
            due: NOW + DAY,
            user: PROPERTY,
            maintainer: Some(LIFT_CO),
        }));
        assert_eq!(
            Lapsed::get(&Lapse::MaintenanceOverdue, &lift()),
            Some(NOW + DAY)
        );
        // The next valid record closes it.
        let next = maintain("lift-co", &lift(), 2, NOW + DAY).unwrap();
        System::assert_last_event(RuntimeEvent::Equipment(Event::LapseCleared {
            unit: lift(),
            lapse: Lapse::MaintenanceOverdue,
            attestation: next,
        }));
        assert!(!Lapsed::contains_key(&Lapse::MaintenanceOverdue, &lift()));
    });
}
