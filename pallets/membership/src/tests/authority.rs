//! Issue 13's attacks on membership authority: roles an organisation's kind may not hold, and lifting a
//! regulator's suspension.

use yima_frame::{assert_ok, Role, Roles};

use crate::mock::*;

#[test]
fn attack_an_enterprise_admin_makes_its_own_account_an_inspector() {
    new_test_ext().execute_with(|| {
        let inspector = Roles::of(&[Role::Admin, Role::Inspector]);
        assert_ok!(Membership::set_roles(
            &signed("maker-admin"),
            acc("maker-admin"),
            inspector
        ));
        assert_ok!(Membership::add_account(
            &signed("maker-admin"),
            acc("maker-lab"),
            Roles::of(&[Role::Inspector])
        ));
    });
}

#[test]
fn attack_an_enterprise_admin_reinstates_what_a_regulator_suspended() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::suspend_account(
            &signed("reg1"),
            acc("maker-op")
        ));
        assert_ok!(Membership::reinstate_account(
            &signed("maker-admin"),
            acc("maker-op")
        ));
        assert!(Membership::resolve_signer(&acc("maker-op")).is_ok());
    });
}

#[test]
fn attack_an_enterprise_admin_pre_empts_a_regulator_suspension() {
    new_test_ext().execute_with(|| {
        // The admin suspends its own account first; the regulator's suspension then has nothing to do …
        assert_ok!(Membership::suspend_account(
            &signed("maker-admin"),
            acc("maker-op")
        ));
        assert!(Membership::suspend_account(&signed("reg1"), acc("maker-op")).is_err());
        // … and the admin lifts it whenever it likes.
        assert_ok!(Membership::reinstate_account(
            &signed("maker-admin"),
            acc("maker-op")
        ));
    });
}
