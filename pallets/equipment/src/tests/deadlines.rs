//! Lapse alerts: raised at the first block whose time reaches a deadline, cleared by the next valid record, read
//! from an index whose cost per block does not grow with the number of units.

use yima_frame::storage::{StorageDoubleMap, StorageMap, StorageValue};
use yima_frame::{assert_ok, Moment};

use crate::mock::*;
use crate::{
    Due, DueCount, DueCursor, DueMarks, Event, Lapse, Lapsed, UnitStatus, Units,
    FIRST_MAINTENANCE_WITHIN, MAX_DUE_STEPS,
};

/// The `Lapsed` events so far, as (unit text, lapse, due).
fn lapses() -> Vec<(String, Lapse, Moment)> {
    equipment_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Lapsed {
                unit, lapse, due, ..
            } => Some((unit.to_string(), lapse, due)),
            _ => None,
        })
        .collect()
}

#[test]
fn an_overdue_maintenance_is_raised_at_the_block_that_reaches_its_deadline() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        let due = NOW + FIRST_MAINTENANCE_WITHIN;
        // One block a second before: nothing.
        advance_to(due - 1_000);
        assert_eq!(lapses(), vec![]);
        // The block at the deadline raises it.
        advance_to(due);
        assert_eq!(
            lapses(),
            vec![(lift().to_string(), Lapse::MaintenanceOverdue, due)]
        );
        let unit = Units::get(&lift()).unwrap();
        assert!(unit.is_lapsed(Lapse::MaintenanceOverdue));
        assert_eq!(Lapsed::get(&Lapse::MaintenanceOverdue, &lift()), Some(due));
        // Later blocks do not raise it again.
        advance_to(due + 60_000);
        assert_eq!(lapses().len(), 1);
        // The firm's next record clears it and sets the next deadline.
        let id = maintain("lift-co", &lift(), 1, due + 60_000).unwrap();
        System::assert_last_event(RuntimeEvent::Equipment(Event::LapseCleared {
            unit: lift(),
            lapse: Lapse::MaintenanceOverdue,
            attestation: id,
        }));
        assert!(!Units::get(&lift())
            .unwrap()
            .is_lapsed(Lapse::MaintenanceOverdue));
        // ... which lapses again 15 days on if nobody comes.
        advance_to(due + 60_000 + 15 * DAY);
        assert_eq!(lapses().len(), 2);
    });
}

#[test]
fn a_deadline_between_seconds_is_raised_once_its_second_is_reached() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        // Maintenance valid until 0.5 s past a whole second.
        let until = NOW + 5 * DAY + 500;
        assert_ok!(record(
            "lift-co",
            yima_attestation::schemas::ELEVATOR_MAINTENANCE,
            &lift(),
            1,
            NOW,
            Some(until)
        ));
        advance_to(until - 1);
        assert_eq!(lapses(), vec![]);
        advance_to(until + 500);
        assert_eq!(
            lapses(),
            vec![(lift().to_string(), Lapse::MaintenanceOverdue, until)]
        );
    });
}

#[test]
fn a_record_before_the_deadline_leaves_the_old_entry_stale() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        advance_to(NOW + 10 * DAY);
        assert_ok!(maintain("lift-co", &lift(), 1, NOW + 10 * DAY));
        // The registration's first deadline passes: stale, nothing raised.
        advance_to(NOW + FIRST_MAINTENANCE_WITHIN + 1_000);
        assert_eq!(lapses(), vec![]);
        // The record's own deadline raises it.
        advance_to(NOW + 25 * DAY);
        assert_eq!(
            lapses(),
            vec![(
                lift().to_string(),
                Lapse::MaintenanceOverdue,
                NOW + 25 * DAY
            )]
        );
    });
}

#[test]
fn an_expired_inspection_is_raised_and_a_new_one_clears_it() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&boiler()));
        let due = NOW + 365 * DAY;
        advance_to(due);
        assert_eq!(
            lapses(),
            vec![(boiler().to_string(), Lapse::InspectionExpired, due)]
        );
        let id = inspect(&boiler(), 1, due, due + 2 * 365 * DAY).unwrap();
        System::assert_last_event(RuntimeEvent::Equipment(Event::LapseCleared {
            unit: boiler(),
            lapse: Lapse::InspectionExpired,
            attestation: id,
        }));
        assert_eq!(
            Units::get(&boiler()).unwrap().inspection_due,
            due + 2 * 365 * DAY
        );
        assert!(!Lapsed::contains_key(&Lapse::InspectionExpired, &boiler()));
    });
}

#[test]
fn a_stopped_unit_raises_nothing_and_closes_its_open_lapses() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        advance_to(NOW + FIRST_MAINTENANCE_WITHIN);
        assert_eq!(lapses().len(), 1);
        assert_ok!(set_status(&lift(), UnitStatus::Stopped));
        assert!(!Lapsed::contains_key(&Lapse::MaintenanceOverdue, &lift()));
        assert!(!Units::get(&lift())
            .unwrap()
            .is_lapsed(Lapse::MaintenanceOverdue));
        // Back in service with its maintenance still overdue: the lapse opens at once.
        advance_to(NOW + 20 * DAY);
        assert_ok!(set_status(&lift(), UnitStatus::InService));
        System::assert_last_event(RuntimeEvent::Equipment(Event::Lapsed {
            unit: lift(),
            lapse: Lapse::MaintenanceOverdue,
            due: NOW + 20 * DAY,
            user: PROPERTY,
            maintainer: None,
        }));
    });
}

#[test]
fn the_index_is_deleted_as_it_is_read() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        let second = (NOW + FIRST_MAINTENANCE_WITHIN) / 1000;
        assert_eq!(DueCount::get(&second), Some(1));
        for (level, span) in [(0, 86_400), (1, 3_600), (2, 60)] {
            assert!(DueMarks::contains_key(&level, &(second / span)));
        }
        advance_to(NOW + 400 * DAY);
        assert_eq!(DueCount::get(&second), None);
        assert!(Due::iter_prefix(&second).is_empty());
        for (level, span) in [(0, 86_400), (1, 3_600), (2, 60)] {
            assert!(!DueMarks::contains_key(&level, &(second / span)));
        }
        assert_eq!(
            DueCursor::get().unwrap().second,
            (NOW + 400 * DAY) / 1000 + 1
        );
        assert_eq!(lapses().len(), 2);
    });
}

/// The cost of a block: the state reads and writes of the hook, counted by the externalities' meter.
fn hook_cost(now: Moment) -> (u64, u64) {
    let before = yima_frame::externalities::meter().usage;
    advance_to(now);
    let after = yima_frame::externalities::meter().usage;
    (after.reads - before.reads, after.writes - before.writes)
}

#[test]
fn a_blocks_cost_does_not_grow_with_the_number_of_units() {
    let cost_with = |units: u32| {
        new_test_ext().execute_with(|| {
            for n in 0..units {
                assert_ok!(register(&number(&format!("锅3A浙A{n:05}(20)"))));
            }
            // A quiet block one second on: every unit's deadline is a year away.
            hook_cost(NOW + 1_000)
        })
    };
    let few = cost_with(1);
    let many = cost_with(300);
    assert_eq!(
        few, many,
        "a quiet block reads the same with 1 or 300 units"
    );
}

#[test]
fn a_backlog_is_bounded_per_block_and_carried_to_the_next() {
    new_test_ext().execute_with(|| {
        // More deadlines in one second than a block may read.
        let count = MAX_DUE_STEPS + 10;
        for n in 0..count {
            assert_ok!(register(&number(&format!("锅3A浙A{n:05}(20)"))));
        }
        let due = NOW + 365 * DAY;
        advance_to(due);
        let first = lapses().len() as u32;
        assert!(
            first > 0 && first < count,
            "{first} of {count} in the first block"
        );
        advance_to(due + 1_000);
        assert_eq!(lapses().len() as u32, count);
    });
}
