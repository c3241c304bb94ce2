//! Account calls: adding accounts, roles, suspension, key rotation, and who may do each.

use parity_scale_codec::Decode;
use yima_frame::{assert_noop, assert_ok, DispatchError, Origin, Role, Roles};

use crate::mock::*;
use crate::{Account, AccountStatus, Error, Event, Suspender};

fn roles(r: &[Role]) -> Roles {
    Roles::of(r)
}

fn unknown_roles() -> Roles {
    Roles::decode(&mut &[0x80u8][..]).unwrap()
}

#[test]
fn an_admin_adds_an_account_to_its_own_organisation() {
    new_test_ext().execute_with(|| {
        let r = roles(&[Role::Admin, Role::Operator]);
        assert_ok!(Membership::add_account(
            &signed("maker-admin"),
            acc("maker-lab"),
            r
        ));
        System::assert_last_event(Event::AccountAdded {
            account: acc("maker-lab"),
            org: MAKER,
            roles: r,
        });
        assert_eq!(
            Membership::account(&acc("maker-lab")),
            Some(Account {
                org: MAKER,
                roles: r,
                status: AccountStatus::Active
            })
        );
        let signer = Membership::resolve_signer(&acc("maker-lab")).unwrap();
        assert_eq!((signer.org, signer.roles), (MAKER, r));
    });
}

#[test]
fn adding_an_account_needs_the_admin_role_and_a_signed_origin() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::add_account(&signed("maker-op"), acc("x"), roles(&[Role::Operator])),
            DispatchError::MissingRole(Role::Admin)
        );
        assert_noop!(
            Membership::add_account(&signed("reg1"), acc("x"), roles(&[Role::Operator])),
            DispatchError::MissingRole(Role::Admin)
        );
        assert!(matches!(
            Membership::add_account(&Origin::Root, acc("x"), roles(&[Role::Operator])),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn adding_refuses_taken_rotated_and_invalid_keys_and_unknown_roles() {
    new_test_ext().execute_with(|| {
        let admin = signed("maker-admin");
        let op = roles(&[Role::Operator]);
        assert_noop!(
            Membership::add_account(&admin, acc("maker-op"), op),
            Error::AccountExists
        );
        assert_noop!(
            Membership::add_account(&admin, acc("reg1"), op),
            Error::AccountExists
        );
        assert_noop!(
            Membership::add_account(&admin, invalid_key(), op),
            Error::InvalidKey
        );
        assert_noop!(
            Membership::add_account(&admin, acc("x"), unknown_roles()),
            Error::UnknownRoles
        );
        assert_ok!(Membership::rotate_key(
            &signed("maker-op"),
            acc("maker-op-2")
        ));
        assert_noop!(
            Membership::add_account(&admin, acc("maker-op"), op),
            Error::KeyRotatedAway
        );
    });
}

#[test]
fn the_governance_role_of_a_regulator_account_is_not_granted_or_withdrawn_by_one_account() {
    new_test_ext().execute_with(|| {
        let gov = roles(&[Role::Governance]);
        assert_noop!(
            Membership::add_account(&signed("reg-admin"), acc("reg4"), gov),
            Error::GovernanceRoleByProposal
        );
        assert_ok!(Membership::add_account(
            &signed("reg-admin"),
            acc("reg4"),
            roles(&[Role::Operator])
        ));
        assert_noop!(
            Membership::set_roles(&signed("reg-admin"), acc("reg4"), gov),
            Error::GovernanceRoleByProposal
        );
        assert_noop!(
            Membership::set_roles(&signed("reg1"), acc("reg4"), gov),
            Error::GovernanceRoleByProposal
        );
        assert_noop!(
            Membership::set_roles(&signed("reg1"), acc("reg2"), roles(&[Role::Admin])),
            Error::GovernanceRoleByProposal
        );
        // Other roles of a governor may change as long as Governance stays.
        let both = roles(&[Role::Governance, Role::Inspector]);
        assert_ok!(Membership::set_roles(&signed("reg1"), acc("reg2"), both));
        System::assert_last_event(Event::RolesSet {
            account: acc("reg2"),
            roles: both,
        });
        // Outside regulator organisations nobody holds it.
        assert_noop!(
            Membership::add_account(&signed("maker-admin"), acc("maker-gov"), gov),
            Error::RoleNotAllowedForKind
        );
    });
}

#[test]
fn roles_are_set_by_the_organisations_admin_or_a_regulator() {
    new_test_ext().execute_with(|| {
        let r = roles(&[Role::Admin, Role::Operator]);
        assert_ok!(Membership::set_roles(
            &signed("maker-admin"),
            acc("maker-op"),
            r
        ));
        System::assert_last_event(Event::RolesSet {
            account: acc("maker-op"),
            roles: r,
        });
        assert_eq!(Membership::account(&acc("maker-op")).unwrap().roles, r);

        let r = roles(&[Role::Operator]);
        assert_ok!(Membership::set_roles(&signed("reg3"), acc("maker-op"), r));
        assert_eq!(
            Membership::resolve_signer(&acc("maker-op")).unwrap().roles,
            r
        );
    });
}

#[test]
fn roles_are_not_set_by_strangers_non_admins_or_non_regulators() {
    new_test_ext().execute_with(|| {
        let r = roles(&[Role::Admin]);
        // An admin of another organisation that is no governor.
        assert_noop!(
            Membership::set_roles(&signed("reg-admin"), acc("maker-op"), r),
            Error::NotSameOrganisation
        );
        // A colleague without Admin.
        assert_noop!(
            Membership::set_roles(&signed("maker-op"), acc("maker-admin"), r),
            DispatchError::MissingRole(Role::Admin)
        );
        // A regulator's admin that is no governor has no authority over another organisation's accounts.
        assert_ok!(Membership::add_account(
            &signed("reg-admin"),
            acc("reg-op"),
            roles(&[Role::Inspector])
        ));
        assert_noop!(
            Membership::set_roles(&signed("reg-op"), acc("maker-op"), r),
            Error::NotSameOrganisation
        );
    });
}

#[test]
fn roles_of_unknown_or_rotated_accounts_and_unknown_role_bits_are_refused() {
    new_test_ext().execute_with(|| {
        let admin = signed("maker-admin");
        assert_noop!(
            Membership::set_roles(&admin, acc("nobody"), roles(&[Role::Operator])),
            Error::UnknownAccount
        );
        assert_noop!(
            Membership::set_roles(&admin, acc("maker-op"), unknown_roles()),
            Error::UnknownRoles
        );
        assert_ok!(Membership::rotate_key(
            &signed("maker-op"),
            acc("maker-op-2")
        ));
        assert_noop!(
            Membership::set_roles(&admin, acc("maker-op"), roles(&[Role::Operator])),
            Error::KeyRotatedAway
        );
        assert_noop!(
            Membership::suspend_account(&admin, acc("maker-op")),
            Error::KeyRotatedAway
        );
    });
}

#[test]
fn a_suspended_account_cannot_sign_until_reinstated() {
    new_test_ext().execute_with(|| {
        let admin = signed("maker-admin");
        assert_ok!(Membership::suspend_account(&admin, acc("maker-op")));
        System::assert_last_event(Event::AccountSuspended {
            account: acc("maker-op"),
            by: Suspender::OwnOrganisation,
        });
        assert_eq!(
            Membership::resolve_signer(&acc("maker-op")),
            Err(Error::AccountSuspended)
        );
        assert_noop!(
            Membership::suspend_account(&admin, acc("maker-op")),
            Error::AlreadySuspended
        );

        assert_ok!(Membership::reinstate_account(&admin, acc("maker-op")));
        System::assert_last_event(Event::AccountReinstated {
            account: acc("maker-op"),
        });
        assert!(Membership::resolve_signer(&acc("maker-op")).is_ok());
        assert_noop!(
            Membership::reinstate_account(&admin, acc("maker-op")),
            Error::NotSuspended
        );
    });
}

#[test]
fn suspension_follows_the_same_authority_as_roles() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::suspend_account(&signed("maker-op"), acc("maker-admin")),
            DispatchError::MissingRole(Role::Admin)
        );
        assert_noop!(
            Membership::suspend_account(&signed("reg-admin"), acc("maker-op")),
            Error::NotSameOrganisation
        );
        assert_ok!(Membership::suspend_account(
            &signed("reg1"),
            acc("maker-admin")
        ));
        assert_noop!(
            Membership::reinstate_account(&signed("maker-op"), acc("maker-admin")),
            DispatchError::MissingRole(Role::Admin)
        );
        assert_ok!(Membership::reinstate_account(
            &signed("reg2"),
            acc("maker-admin")
        ));
    });
}

#[test]
fn suspending_governors_stops_at_the_threshold() {
    new_test_ext().execute_with(|| {
        // Three governors, threshold 2: one may go, the second may not.
        assert_ok!(Membership::suspend_account(&signed("reg1"), acc("reg2")));
        assert_noop!(
            Membership::suspend_account(&signed("reg1"), acc("reg3")),
            Error::ThresholdUnreachable
        );
        assert_noop!(
            Membership::suspend_account(&signed("reg-admin"), acc("reg3")),
            Error::ThresholdUnreachable
        );
        // Suspending a non-governor of the regulator is not limited.
        assert_ok!(Membership::suspend_account(
            &signed("reg1"),
            acc("reg-admin")
        ));
    });
}

#[test]
fn a_rotated_key_moves_the_account_and_its_nonce_and_is_refused_for_good() {
    new_test_ext().execute_with(|| {
        let (old, new) = (acc("maker-op"), acc("maker-op-2"));
        for _ in 0..5 {
            System::inc_account_nonce(&old);
        }
        let before = Membership::account(&old).unwrap();
        assert_ok!(Membership::rotate_key(&signed("maker-op"), new));
        System::assert_last_event(Event::KeyRotated { old, new });

        assert_eq!(Membership::resolve_signer(&old), Err(Error::KeyRotatedAway));
        assert_eq!(Membership::account(&old), None);
        assert_eq!(Membership::account(&new), Some(before));
        assert_eq!(Membership::rotated_to(&old), Some(new));
        assert_eq!(System::account_nonce(&new), 5);
        let signer = Membership::resolve_signer(&new).unwrap();
        assert_eq!(
            (signer.org, signer.roles),
            (MAKER, roles(&[Role::Operator]))
        );

        // The new key can rotate again; the chain of old keys stays refused.
        assert_ok!(Membership::rotate_key(&signed_by(new), acc("maker-op-3")));
        assert_eq!(Membership::resolve_signer(&new), Err(Error::KeyRotatedAway));
        assert_eq!(System::account_nonce(&acc("maker-op-3")), 5);
    });
}

#[test]
fn rotation_refuses_the_same_a_taken_a_rotated_or_an_invalid_key() {
    new_test_ext().execute_with(|| {
        let op = signed("maker-op");
        assert_noop!(Membership::rotate_key(&op, acc("maker-op")), Error::SameKey);
        assert_noop!(
            Membership::rotate_key(&op, acc("maker-admin")),
            Error::AccountExists
        );
        assert_noop!(
            Membership::rotate_key(&op, invalid_key()),
            Error::InvalidKey
        );
        assert_ok!(Membership::rotate_key(
            &signed("reg-admin"),
            acc("reg-admin-2")
        ));
        assert_noop!(
            Membership::rotate_key(&op, acc("reg-admin")),
            Error::KeyRotatedAway
        );
        assert!(matches!(
            Membership::rotate_key(&Origin::Root, acc("x")),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn unknown_keys_are_refused_as_signers() {
    new_test_ext().execute_with(|| {
        assert_eq!(
            Membership::resolve_signer(&acc("nobody")),
            Err(Error::UnknownAccount)
        );
        let e: DispatchError = Error::UnknownAccount.into();
        assert_eq!(e, DispatchError::module("Membership", "UnknownAccount"));
        assert_eq!("KeyRotatedAway".parse::<Error>(), Ok(Error::KeyRotatedAway));
    });
}
