//! Registering a unit, naming its maintenance firm, stopping it and returning it to service.

use yima_codes::{EquipmentKind, Giai};
use yima_frame::storage::{StorageDoubleMap, StorageMap, StorageValue};
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};

use crate::mock::*;
use crate::{
    ByArea, ByGiai, ByMaintainer, ByUser, Call, Error, Event, Lapse, UnitCount, UnitStatus, Units,
    FIRST_MAINTENANCE_WITHIN,
};

fn register_call(unit: &yima_codes::RegistrationNumber) -> Call {
    Call::Register {
        unit: unit.clone(),
        giai: Some(Giai::parse("0614141LIFT7").unwrap()),
        area: XIHU,
        address: "文三路 1 号".as_bytes().to_vec(),
        user: PROPERTY,
        rescue: b"96333".to_vec(),
        inspection_due: NOW + 300 * DAY,
    }
}

#[test]
fn a_regulator_registers_an_elevator_with_its_deadlines() {
    new_test_ext().execute_with(|| {
        assert_ok!(dispatch("regulator", register_call(&lift())));
        let unit = Units::get(&lift()).unwrap();
        assert_eq!(unit.kind, EquipmentKind::Elevator);
        assert_eq!(unit.user, PROPERTY);
        assert_eq!(unit.registered_by, REGULATOR);
        assert_eq!(unit.status, UnitStatus::InService);
        assert_eq!(unit.inspection_due, NOW + 300 * DAY);
        assert_eq!(unit.maintenance_due, Some(NOW + FIRST_MAINTENANCE_WITHIN));
        assert_eq!(unit.lapsed, [false; 2]);
        let giai = Giai::parse("0614141LIFT7").unwrap();
        assert_eq!(ByGiai::get(&giai), Some(lift()));
        assert_eq!(Equipment::by_giai(&giai), Some(lift()));
        assert!(ByUser::contains_key(&PROPERTY, &lift()));
        assert!(ByArea::contains_key(&XIHU, &lift()));
        assert_eq!(UnitCount::get(), Some(1));
        System::assert_last_event(RuntimeEvent::Equipment(Event::Registered {
            unit: lift(),
            kind: EquipmentKind::Elevator,
            user: PROPERTY,
            area: XIHU,
            by: REGULATOR,
        }));
    });
}

#[test]
fn a_boiler_has_no_maintenance_deadline() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&boiler()));
        let unit = Units::get(&boiler()).unwrap();
        assert_eq!(unit.kind, EquipmentKind::Boiler);
        assert_eq!(unit.maintenance_due, None);
        assert_eq!(unit.due(Lapse::MaintenanceOverdue), None);
    });
}

#[test]
fn only_a_regulator_registers() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            dispatch("property", register_call(&lift())),
            Error::NotRegulator
        );
        assert_noop!(dispatch("lab", register_call(&lift())), Error::NotRegulator);
    });
}

/// The regulator registers `梯11浙A00124(19)` without a GIAI, with these facts.
fn attempt(
    area: u32,
    address: &[u8],
    rescue: &[u8],
    user: u32,
    due: u64,
) -> yima_frame::DispatchResult {
    dispatch(
        "regulator",
        Call::Register {
            unit: number("梯11浙A00124(19)"),
            giai: None,
            area,
            address: address.to_vec(),
            user,
            rescue: rescue.to_vec(),
            inspection_due: due,
        },
    )
}

#[test]
fn each_fact_of_a_registration_is_checked() {
    new_test_ext().execute_with(|| {
        let (address, rescue, due) = ("文三路 1 号".as_bytes(), &b"96333"[..], NOW + DAY);
        assert_ok!(register(&lift()));
        // The number is taken.
        assert_noop!(register(&lift()), Error::AlreadyRegistered);
        // The GIAI labels another unit.
        assert_ok!(dispatch(
            "regulator",
            register_call(&number("梯11浙A00200(19)"))
        ));
        assert_noop!(
            dispatch("regulator", register_call(&number("梯11浙A00124(19)"))),
            Error::GiaiTaken
        );
        // An area outside the number's province (浙 = 33), or no 6-digit code.
        for area in [110_105, 33, 3_301_060] {
            assert_noop!(
                attempt(area, address, rescue, PROPERTY, due),
                Error::AreaOutsideProvince
            );
        }
        // An address empty, too long, or with control characters.
        for bad in [&b""[..], &[b'a'; 129][..], &b"line\nbreak"[..]] {
            assert_noop!(
                attempt(XIHU, bad, rescue, PROPERTY, due),
                Error::InvalidAddress
            );
        }
        // A rescue contact that is no number.
        for bad in [&b"12"[..], &b"call the manager"[..], &[b'9'; 33][..]] {
            assert_noop!(
                attempt(XIHU, address, bad, PROPERTY, due),
                Error::InvalidRescue
            );
        }
        // A user that is no member.
        assert_noop!(attempt(XIHU, address, rescue, 99, due), Error::UnknownUser);
        // An inspection already due.
        assert_noop!(
            attempt(XIHU, address, rescue, PROPERTY, NOW),
            Error::InspectionDueInPast
        );
        assert_ok!(attempt(XIHU, address, rescue, PROPERTY, due));
    });
}

#[test]
fn the_user_names_its_maintenance_firm_and_the_index_follows() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        assert!(ByMaintainer::contains_key(&LIFT_CO, &lift()));
        System::assert_last_event(RuntimeEvent::Equipment(Event::MaintainerSet {
            unit: lift(),
            maintainer: Some(LIFT_CO),
            by: PROPERTY,
        }));
        // A regulator may change it too; the old firm's index entry goes.
        assert_ok!(dispatch(
            "regulator",
            Call::SetMaintainer {
                unit: lift(),
                maintainer: Some(OTHER_LIFT_CO)
            }
        ));
        assert!(!ByMaintainer::contains_key(&LIFT_CO, &lift()));
        assert!(ByMaintainer::contains_key(&OTHER_LIFT_CO, &lift()));
        assert_eq!(Units::get(&lift()).unwrap().maintainer, Some(OTHER_LIFT_CO));
    });
}

#[test]
fn a_maintenance_firm_is_named_only_by_the_user_or_a_regulator_and_must_be_one() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        // A firm cannot name itself.
        assert_noop!(
            dispatch(
                "lift-co",
                Call::SetMaintainer {
                    unit: lift(),
                    maintainer: Some(LIFT_CO)
                }
            ),
            Error::NotUserOrRegulator
        );
        // An inspection body is no maintenance firm.
        assert_noop!(
            name_maintainer(&lift(), Some(LAB)),
            Error::NotMaintenanceFirm
        );
        assert_noop!(
            name_maintainer(&lift(), Some(99)),
            Error::NotMaintenanceFirm
        );
        // An unknown unit.
        assert_noop!(
            name_maintainer(&number("梯11浙A09999(19)"), Some(LIFT_CO)),
            Error::UnitNotRegistered
        );
    });
}

#[test]
fn naming_a_firm_needs_the_users_admin() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        // The stranger's Admin is no Admin of the user.
        assert_noop!(
            dispatch(
                "stranger",
                Call::SetMaintainer {
                    unit: lift(),
                    maintainer: Some(LIFT_CO)
                }
            ),
            Error::NotUserOrRegulator
        );
        // A signer of the user without the Admin role: the lab's Inspector is not of the user, so build one.
        let op = crate::mock::origin("property");
        let yima_frame::Origin::Signed(mut signer) = op else {
            unreachable!()
        };
        signer.roles = yima_frame::Roles::of(&[Role::Operator]);
        assert_noop!(
            crate::Pallet::<Test>::set_maintainer(
                &yima_frame::Origin::Signed(signer),
                lift(),
                Some(LIFT_CO)
            ),
            DispatchError::MissingRole(Role::Admin)
        );
    });
}

#[test]
fn a_regulator_stops_a_unit_and_returns_it_only_with_its_inspection_in_date() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&boiler()));
        assert_noop!(
            set_status(&boiler(), UnitStatus::InService),
            Error::SameStatus
        );
        assert_noop!(
            dispatch(
                "regulator",
                Call::SetStatus {
                    unit: boiler(),
                    status: UnitStatus::Stopped,
                    reason: Hash::default()
                }
            ),
            Error::InvalidReason
        );
        assert_noop!(
            dispatch(
                "property",
                Call::SetStatus {
                    unit: boiler(),
                    status: UnitStatus::Stopped,
                    reason: doc(1)
                }
            ),
            Error::NotRegulator
        );
        assert_ok!(set_status(&boiler(), UnitStatus::Stopped));
        System::assert_last_event(RuntimeEvent::Equipment(Event::StatusChanged {
            unit: boiler(),
            status: UnitStatus::Stopped,
            by: REGULATOR,
            reason: doc(99),
        }));
        // Its inspection expires while it stands still: no alert, and it cannot return until inspected.
        advance_to(NOW + 366 * DAY);
        assert!(!Units::get(&boiler())
            .unwrap()
            .is_lapsed(Lapse::InspectionExpired));
        assert_noop!(
            set_status(&boiler(), UnitStatus::InService),
            Error::InspectionExpired
        );
        assert_ok!(inspect(&boiler(), 1, NOW + 366 * DAY, NOW + 700 * DAY));
        assert_ok!(set_status(&boiler(), UnitStatus::InService));
        assert_eq!(Units::get(&boiler()).unwrap().status, UnitStatus::InService);
    });
}

#[test]
fn a_regulator_amends_a_registration_and_the_indexes_follow() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(&lift()));
        assert_ok!(name_maintainer(&lift(), Some(LIFT_CO)));
        let amend = |who: &str, user: u32, area: u32, address: &[u8]| {
            dispatch(
                who,
                Call::Amend {
                    unit: lift(),
                    user,
                    area,
                    address: address.to_vec(),
                },
            )
        };
        assert_noop!(amend("property", LAB, XIHU, b"x"), Error::NotRegulator);
        assert_noop!(
            amend("regulator", LAB, 110_105, b"x"),
            Error::AreaOutsideProvince
        );
        assert_noop!(amend("regulator", LAB, XIHU, b""), Error::InvalidAddress);
        assert_noop!(amend("regulator", 99, XIHU, b"x"), Error::UnknownUser);
        assert_noop!(
            dispatch(
                "regulator",
                Call::Amend {
                    unit: number("梯11浙A09999(19)"),
                    user: LAB,
                    area: XIHU,
                    address: b"x".to_vec()
                }
            ),
            Error::UnitNotRegistered
        );
        // A new user in 上城区: the old user's and area's index entries go, and so does the old user's firm.
        assert_ok!(amend("regulator", LAB, 330_102, "新址".as_bytes()));
        let unit = Units::get(&lift()).unwrap();
        assert_eq!(
            (unit.user, unit.area, unit.maintainer),
            (LAB, 330_102, None)
        );
        assert_eq!(unit.address, "新址".as_bytes().to_vec());
        assert!(!ByUser::contains_key(&PROPERTY, &lift()));
        assert!(ByUser::contains_key(&LAB, &lift()));
        assert!(!ByArea::contains_key(&XIHU, &lift()));
        assert!(ByArea::contains_key(&330_102, &lift()));
        assert!(!ByMaintainer::contains_key(&LIFT_CO, &lift()));
        System::assert_last_event(RuntimeEvent::Equipment(Event::Amended {
            unit: lift(),
            user: LAB,
            area: 330_102,
            by: REGULATOR,
        }));
        // The same user at a new address keeps its firm.
        assert_ok!(dispatch(
            "regulator",
            Call::SetMaintainer {
                unit: lift(),
                maintainer: Some(LIFT_CO)
            }
        ));
        assert_ok!(amend("regulator", LAB, 330_102, "新址 2 号".as_bytes()));
        assert_eq!(Units::get(&lift()).unwrap().maintainer, Some(LIFT_CO));
    });
}
