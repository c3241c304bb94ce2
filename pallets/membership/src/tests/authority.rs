//! Issue 13's authority rules in membership: which roles an organisation's kind may hold, and who may lift a
//! suspension. Each `attack_…` test was first written as the attack succeeding on main (commit b9ba756) and
//! now shows it refused.

use yima_frame::storage::StorageValue;
use yima_frame::{assert_noop, assert_ok, AccountId, Role, Roles};

use crate::mock::*;
use crate::testing::test_uscc;
use crate::{
    allowed_roles, AccountStatus, Action, Error, Event, GenesisAccount, GenesisConfig,
    GenesisOrganisation, OrgKind, OrgStatus, Suspender,
};

/// The city regulator (org 2; reg3 moves there), a distributor (org 3) and an inspection body (org 4).
pub(crate) const CITY: u32 = 2;
pub(crate) const DISTRIBUTOR: u32 = 3;
pub(crate) const LAB: u32 = 4;

fn org(name: &str, kind: OrgKind, n: usize) -> GenesisOrganisation {
    GenesisOrganisation {
        name: name.into(),
        kind,
        uscc: test_uscc(n),
        prefixes: vec![],
    }
}

fn member(name: &str, n: usize, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account: acc(name),
        uscc: test_uscc(n),
        roles: Roles::of(roles),
    }
}

/// [`genesis`] plus a city regulator holding reg3 and an admin, a distributor and an inspection body.
pub(crate) fn wider_genesis() -> GenesisConfig {
    let mut g = genesis();
    g.organisations.push(org(
        "Hangzhou Market Supervision Bureau",
        OrgKind::Regulator,
        2,
    ));
    g.organisations
        .push(org("Xihu Distribution Co.", OrgKind::Distributor, 3));
    g.organisations.push(org(
        "Zhejiang Testing Institute",
        OrgKind::InspectionBody,
        4,
    ));
    for a in &mut g.accounts {
        if a.account == acc("reg3") {
            a.uscc = test_uscc(2);
        }
    }
    g.accounts.push(member("city-admin", 2, &[Role::Admin]));
    g.accounts
        .push(member("dist-admin", 3, &[Role::Admin, Role::Operator]));
    g.accounts.push(member("lab-admin", 4, &[Role::Admin]));
    g
}

fn roles(r: &[Role]) -> Roles {
    Roles::of(r)
}

/// Opens `action` by reg1 and approves it by reg3 (of the city regulator), which reaches the threshold of 2.
fn pass_across_regulators(action: Action) {
    assert_ok!(Membership::propose(&signed("reg1"), action));
    let id = crate::NextProposalId::get_or_default() - 1;
    assert_ok!(Membership::approve(&signed("reg3"), id));
    System::assert_last_event(Event::ProposalExecuted { id });
}

// ---- roles by organisation kind ----

#[test]
fn attack_an_enterprise_admin_makes_its_own_account_an_inspector() {
    ext_with(wider_genesis()).execute_with(|| {
        for (admin, own) in [("dist-admin", "dist-admin"), ("maker-admin", "maker-admin")] {
            let inspector = roles(&[Role::Admin, Role::Inspector]);
            assert_noop!(
                Membership::set_roles(&signed(admin), acc(own), inspector),
                Error::RoleNotAllowedForKind
            );
            assert_noop!(
                Membership::add_account(
                    &signed(admin),
                    acc("lab-bench"),
                    roles(&[Role::Inspector])
                ),
                Error::RoleNotAllowedForKind
            );
        }
        assert!(!Membership::resolve_signer(&acc("dist-admin"))
            .unwrap()
            .roles
            .contains(Role::Inspector));
    });
}

#[test]
fn an_inspection_body_gives_its_accounts_the_inspector_role() {
    ext_with(wider_genesis()).execute_with(|| {
        let r = roles(&[Role::Inspector]);
        assert_ok!(Membership::add_account(
            &signed("lab-admin"),
            acc("lab-bench"),
            r
        ));
        System::assert_last_event(Event::AccountAdded {
            account: acc("lab-bench"),
            org: LAB,
            roles: r,
        });
        let both = roles(&[Role::Admin, Role::Inspector]);
        assert_ok!(Membership::set_roles(
            &signed("lab-admin"),
            acc("lab-admin"),
            both
        ));
        assert_eq!(Membership::account(&acc("lab-admin")).unwrap().roles, both);
    });
}

#[test]
fn a_regulator_cannot_grant_a_role_the_kind_may_not_hold_either() {
    ext_with(wider_genesis()).execute_with(|| {
        // Neither by the call …
        assert_noop!(
            Membership::set_roles(
                &signed("reg1"),
                acc("dist-admin"),
                roles(&[Role::Operator, Role::Inspector])
            ),
            Error::RoleNotAllowedForKind
        );
        // … nor by a proposal, for Inspector or Governance.
        for forbidden in [Role::Inspector, Role::Governance] {
            assert_noop!(
                Membership::propose(
                    &signed("reg1"),
                    Action::SetRoles {
                        account: acc("maker-op"),
                        roles: roles(&[Role::Operator, forbidden]),
                    }
                ),
                Error::RoleNotAllowedForKind
            );
        }
        // A proposal within the table passes.
        pass_across_regulators(Action::SetRoles {
            account: acc("lab-admin"),
            roles: roles(&[Role::Admin, Role::Inspector]),
        });
    });
}

#[test]
fn the_roles_table() {
    use OrgKind::*;
    let inspecting = [
        Regulator,
        Customs,
        Cdc,
        InspectionBody,
        CertificationBody,
        Producer,
        Retailer,
        Caterer,
        SupervisedWarehouse,
        Hospital,
        MaintenanceFirm,
        Insurer,
    ];
    let custody_only = [
        Manufacturer,
        Importer,
        Processor,
        ColdWarehouse,
        Carrier,
        Distributor,
        Pharmacy,
        VaccinationSite,
    ];
    for kind in inspecting.iter().chain(&custody_only) {
        let allowed = allowed_roles(*kind);
        assert!(
            allowed.contains(Role::Admin) && allowed.contains(Role::Operator),
            "{kind:?}"
        );
        assert_eq!(
            allowed.contains(Role::Governance),
            *kind == Regulator,
            "{kind:?}"
        );
        assert_eq!(
            allowed.contains(Role::Inspector),
            inspecting.contains(kind),
            "{kind:?}"
        );
    }
    assert_eq!(
        inspecting.len() + custody_only.len(),
        20,
        "every kind is listed"
    );
}

#[test]
fn genesis_refuses_a_role_the_kind_may_not_hold_and_names_it() {
    let mut g = wider_genesis();
    g.accounts
        .push(member("dist-lab", 3, &[Role::Operator, Role::Inspector]));
    let e = g.build_on_empty().expect_err("refused");
    for needle in [
        acc("dist-lab").to_string(),
        test_uscc(3).to_string(),
        "Distributor".to_string(),
        "Inspector".to_string(),
    ] {
        assert!(e.contains(&needle), "{e:?} does not name {needle:?}");
    }

    let mut g = genesis();
    g.accounts
        .push(member_of_maker("maker-gov", &[Role::Governance]));
    let e = g.build_on_empty().expect_err("refused");
    assert!(
        e.contains("Governance") && e.contains("Manufacturer"),
        "{e}"
    );
}

fn member_of_maker(name: &str, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account: acc(name),
        uscc: uscc(MAKER_USCC),
        roles: Roles::of(roles),
    }
}

trait BuildOnEmpty {
    fn build_on_empty(&self) -> Result<(), String>;
}

impl BuildOnEmpty for GenesisConfig {
    fn build_on_empty(&self) -> Result<(), String> {
        yima_frame::testing::TestExternalities::new_empty()
            .execute_with(|| yima_frame::GenesisBuild::build(self).map_err(|e| e.to_string()))
    }
}

// ---- who lifts a suspension ----

#[test]
fn attack_an_enterprise_admin_reinstates_what_a_regulator_suspended() {
    ext_with(wider_genesis()).execute_with(|| {
        assert_ok!(Membership::suspend_account(
            &signed("reg1"),
            acc("maker-op")
        ));
        let by = Suspender::Regulator(REGULATOR);
        System::assert_last_event(Event::AccountSuspended {
            account: acc("maker-op"),
            by,
        });
        assert_eq!(
            Membership::account(&acc("maker-op")).unwrap().status,
            AccountStatus::Suspended { by }
        );
        assert_noop!(
            Membership::reinstate_account(&signed("maker-admin"), acc("maker-op")),
            Error::SuspendedByRegulator
        );
        // Another regulator organisation's governor cannot either …
        assert_noop!(
            Membership::reinstate_account(&signed("reg3"), acc("maker-op")),
            Error::SuspendedByRegulator
        );
        assert_eq!(
            Membership::resolve_signer(&acc("maker-op")),
            Err(Error::AccountSuspended)
        );
        // … but a governor of the regulator that suspended it can.
        assert_ok!(Membership::reinstate_account(
            &signed("reg2"),
            acc("maker-op")
        ));
        System::assert_last_event(Event::AccountReinstated {
            account: acc("maker-op"),
        });
        assert!(Membership::resolve_signer(&acc("maker-op")).is_ok());
    });
}

#[test]
fn attack_an_enterprise_admin_pre_empts_a_regulator_suspension() {
    ext_with(wider_genesis()).execute_with(|| {
        assert_ok!(Membership::suspend_account(
            &signed("maker-admin"),
            acc("maker-op")
        ));
        System::assert_last_event(Event::AccountSuspended {
            account: acc("maker-op"),
            by: Suspender::OwnOrganisation,
        });
        // The regulator takes the suspension over …
        assert_ok!(Membership::suspend_account(
            &signed("reg1"),
            acc("maker-op")
        ));
        System::assert_last_event(Event::AccountSuspended {
            account: acc("maker-op"),
            by: Suspender::Regulator(REGULATOR),
        });
        // … and the admin can neither lift it nor overwrite it, nor can another regulator.
        assert_noop!(
            Membership::reinstate_account(&signed("maker-admin"), acc("maker-op")),
            Error::SuspendedByRegulator
        );
        assert_noop!(
            Membership::suspend_account(&signed("maker-admin"), acc("maker-op")),
            Error::AlreadySuspended
        );
        assert_noop!(
            Membership::suspend_account(&signed("reg3"), acc("maker-op")),
            Error::AlreadySuspended
        );
    });
}

#[test]
fn a_suspension_by_the_own_organisation_is_lifted_by_its_admin_or_any_regulator() {
    ext_with(wider_genesis()).execute_with(|| {
        assert_ok!(Membership::suspend_account(
            &signed("dist-admin"),
            acc("dist-admin")
        ));
        // (The admin suspended itself and cannot sign; any regulator may lift it.)
        assert_ok!(Membership::reinstate_account(
            &signed("reg3"),
            acc("dist-admin")
        ));
        assert_ok!(Membership::add_account(
            &signed("dist-admin"),
            acc("dist-op"),
            roles(&[Role::Operator])
        ));
        assert_ok!(Membership::suspend_account(
            &signed("dist-admin"),
            acc("dist-op")
        ));
        assert_ok!(Membership::reinstate_account(
            &signed("dist-admin"),
            acc("dist-op")
        ));
        assert!(Membership::resolve_signer(&acc("dist-op")).is_ok());
    });
}

#[test]
fn a_regulators_own_admin_cannot_lift_its_governors_suspension() {
    ext_with(wider_genesis()).execute_with(|| {
        assert_ok!(Membership::add_account(
            &signed("reg-admin"),
            acc("reg-op"),
            roles(&[Role::Operator])
        ));
        assert_ok!(Membership::suspend_account(&signed("reg1"), acc("reg-op")));
        assert_noop!(
            Membership::reinstate_account(&signed("reg-admin"), acc("reg-op")),
            Error::SuspendedByRegulator
        );
    });
}

#[test]
fn a_proposal_lifts_any_account_suspension() {
    ext_with(wider_genesis()).execute_with(|| {
        assert_ok!(Membership::suspend_account(
            &signed("reg3"),
            acc("maker-op")
        ));
        assert_noop!(
            Membership::propose(
                &signed("reg1"),
                Action::ReinstateAccount {
                    account: acc("maker-admin")
                }
            ),
            Error::NotSuspended
        );
        assert_noop!(
            Membership::propose(
                &signed("reg1"),
                Action::ReinstateAccount {
                    account: acc("nobody")
                }
            ),
            Error::UnknownAccount
        );
        pass_across_regulators(Action::ReinstateAccount {
            account: acc("maker-op"),
        });
        System::assert_has_event(Event::AccountReinstated {
            account: acc("maker-op"),
        });
        assert!(Membership::resolve_signer(&acc("maker-op")).is_ok());
    });
}

#[test]
fn only_the_suspending_regulator_or_a_proposal_reinstates_an_organisation() {
    ext_with(wider_genesis()).execute_with(|| {
        assert_ok!(Membership::suspend_organisation(
            &signed("reg3"),
            DISTRIBUTOR
        ));
        System::assert_last_event(Event::OrganisationSuspended {
            org: DISTRIBUTOR,
            by: CITY,
        });
        assert_eq!(
            Membership::organisation(DISTRIBUTOR).unwrap().status,
            OrgStatus::Suspended { by: CITY }
        );
        assert_noop!(
            Membership::reinstate_organisation(&signed("reg1"), DISTRIBUTOR),
            Error::SuspendedByRegulator
        );
        assert_noop!(
            Membership::propose(&signed("reg1"), Action::ReinstateOrganisation { org: LAB }),
            Error::NotSuspended
        );
        assert_noop!(
            Membership::propose(&signed("reg1"), Action::ReinstateOrganisation { org: 99 }),
            Error::UnknownOrganisation
        );
        pass_across_regulators(Action::ReinstateOrganisation { org: DISTRIBUTOR });
        System::assert_has_event(Event::OrganisationReinstated { org: DISTRIBUTOR });
        assert!(Membership::resolve_signer(&acc("dist-admin")).is_ok());

        // The suspending regulator itself may reinstate.
        assert_ok!(Membership::suspend_organisation(&signed("reg1"), LAB));
        assert_ok!(Membership::reinstate_organisation(&signed("reg2"), LAB));
        System::assert_last_event(Event::OrganisationReinstated { org: LAB });
    });
}

#[test]
fn a_regulator_suspended_by_another_is_reinstated_by_that_one_and_counted_again() {
    ext_with(wider_genesis()).execute_with(|| {
        let key: AccountId = acc("reg3");
        assert_eq!(Membership::eligible_governors(), 3);
        assert_ok!(Membership::suspend_organisation(&signed("reg1"), CITY));
        assert_eq!(Membership::eligible_governors(), 2);
        assert_eq!(Membership::governors_of(CITY), 1);
        assert_eq!(
            Membership::resolve_signer(&key),
            Err(Error::OrganisationSuspended)
        );
        assert_ok!(Membership::reinstate_organisation(&signed("reg2"), CITY));
        assert_eq!(Membership::eligible_governors(), 3);
    });
}
