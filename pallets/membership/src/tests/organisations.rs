//! Organisation calls: suspension and reinstatement by a single regulator, and the inspect trait.

use yima_frame::{assert_noop, assert_ok, DispatchError, Origin, Role, Roles};

use crate::mock::*;
use crate::{
    Error, Event, GenesisAccount, GenesisOrganisation, MembershipInspect, OrgKind, OrgStatus,
};

#[test]
fn a_regulator_suspends_an_organisation_and_its_accounts_stop_signing() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::suspend_organisation(&signed("reg1"), MAKER));
        System::assert_last_event(Event::OrganisationSuspended {
            org: MAKER,
            by: REGULATOR,
        });
        assert_eq!(
            Membership::organisation(MAKER).unwrap().status,
            OrgStatus::Suspended { by: REGULATOR }
        );
        assert!(!Membership::org_is_active(MAKER));
        for name in ["maker-admin", "maker-op"] {
            assert_eq!(
                Membership::resolve_signer(&acc(name)),
                Err(Error::OrganisationSuspended)
            );
        }
        assert_noop!(
            Membership::suspend_organisation(&signed("reg2"), MAKER),
            Error::AlreadySuspended
        );

        assert_ok!(Membership::reinstate_organisation(&signed("reg2"), MAKER));
        System::assert_last_event(Event::OrganisationReinstated { org: MAKER });
        assert!(Membership::org_is_active(MAKER));
        assert!(Membership::resolve_signer(&acc("maker-admin")).is_ok());
        assert_noop!(
            Membership::reinstate_organisation(&signed("reg2"), MAKER),
            Error::NotSuspended
        );
    });
}

#[test]
fn a_regulator_cannot_suspend_its_own_organisation() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::suspend_organisation(&signed("reg1"), REGULATOR),
            Error::CannotSuspendOwnOrganisation
        );
    });
}

#[test]
fn only_regulator_governance_suspends_organisations() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::suspend_organisation(&signed("reg-admin"), MAKER),
            DispatchError::MissingRole(Role::Governance)
        );
        assert_noop!(
            Membership::reinstate_organisation(&signed("maker-admin"), MAKER),
            DispatchError::MissingRole(Role::Governance)
        );
        assert_ok!(Membership::add_account(
            &signed("maker-admin"),
            acc("maker-admin-2"),
            Roles::of(&[Role::Admin])
        ));
        assert_noop!(
            Membership::suspend_organisation(&signed("maker-admin-2"), REGULATOR),
            DispatchError::MissingRole(Role::Governance)
        );
        assert!(matches!(
            Membership::suspend_organisation(&Origin::Root, MAKER),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn unknown_organisations_are_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::suspend_organisation(&signed("reg1"), 99),
            Error::UnknownOrganisation
        );
        assert_noop!(
            Membership::reinstate_organisation(&signed("reg1"), 99),
            Error::UnknownOrganisation
        );
    });
}

/// Two regulator organisations: the provincial one (reg1, reg2) and a city one (reg3).
fn two_regulators(threshold: u32) -> crate::GenesisConfig {
    let mut g = genesis();
    g.organisations.push(GenesisOrganisation {
        name: "Hangzhou Market Supervision Bureau".into(),
        kind: OrgKind::Regulator,
        uscc: uscc(NEW_USCC),
        prefixes: vec![],
    });
    for a in &mut g.accounts {
        if a.account == acc("reg3") {
            a.uscc = uscc(NEW_USCC);
        }
    }
    g.accounts.push(GenesisAccount {
        account: acc("city-admin"),
        uscc: uscc(NEW_USCC),
        roles: Roles::of(&[Role::Admin]),
    });
    g.regulator_threshold = threshold;
    g
}

#[test]
fn suspending_a_regulator_organisation_must_leave_enough_governors() {
    ext_with(two_regulators(3)).execute_with(|| {
        assert_noop!(
            Membership::suspend_organisation(&signed("reg1"), 2),
            Error::ThresholdUnreachable
        );
    });
    ext_with(two_regulators(2)).execute_with(|| {
        assert_ok!(Membership::suspend_organisation(&signed("reg1"), 2));
        // reg3's organisation is suspended: it cannot sign, and it is no longer counted.
        assert_eq!(
            Membership::resolve_signer(&acc("reg3")),
            Err(Error::OrganisationSuspended)
        );
        assert_noop!(
            Membership::suspend_account(&signed("reg1"), acc("reg2")),
            Error::ThresholdUnreachable
        );
        // Reinstated, the city regulator cannot suspend the provincial one: one governor would remain.
        assert_ok!(Membership::reinstate_organisation(&signed("reg2"), 2));
        assert_noop!(
            Membership::suspend_organisation(&signed("reg3"), REGULATOR),
            Error::ThresholdUnreachable
        );
    });
}

#[test]
fn other_pallets_see_kind_and_activity() {
    new_test_ext().execute_with(|| {
        assert_eq!(Membership::org_kind(REGULATOR), Some(OrgKind::Regulator));
        assert_eq!(Membership::org_kind(MAKER), Some(OrgKind::Manufacturer));
        assert_eq!(Membership::org_kind(99), None);
        assert!(Membership::org_is_active(MAKER));
        assert!(!Membership::org_is_active(99));
        let org = Membership::organisation(MAKER).unwrap();
        assert_eq!(org.uscc, uscc(MAKER_USCC));
        assert_eq!(org.name, b"Hangzhou Vaccine Manufacturing Co.".to_vec());
        assert_eq!(org.admitted_at, 0);
        assert_eq!(Membership::org_by_uscc(&uscc(MAKER_USCC)), Some(MAKER));
    });
}
