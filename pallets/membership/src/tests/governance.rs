//! Regulator governance: proposals, approvals, the threshold, expiry, and each action.

use parity_scale_codec::Encode;
use yima_frame::storage::StorageValue;
use yima_frame::{
    assert_noop, assert_ok, sha256, AccountId, DispatchError, Hooks, Origin, Role, Roles,
};

use crate::mock::*;
use crate::{
    validator_set_hash, Account, AccountStatus, Action, Error, Event, OrgKind, OrgStatus,
    Organisation, Proposal, Validator,
};

fn admit(name: &str, uscc_str: &str, admin: AccountId) -> Action {
    Action::AdmitOrganisation {
        name: name.as_bytes().to_vec(),
        kind: OrgKind::ColdWarehouse,
        uscc: uscc(uscc_str),
        admin,
        prefixes: vec![],
    }
}

fn admit_new() -> Action {
    admit("Ningbo Port Cold Store", NEW_USCC, acc("cold-admin"))
}

#[test]
fn a_proposal_reaching_the_threshold_admits_the_organisation_and_its_admin() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(&signed("reg1"), admit_new()));
        System::assert_last_event(Event::Proposed {
            id: 0,
            proposer: acc("reg1"),
            action: admit_new(),
            expires: 1 + LIFETIME,
        });
        assert_eq!(
            Membership::proposal(0),
            Some(Proposal {
                proposer: acc("reg1"),
                action: admit_new(),
                approvals: vec![acc("reg1")],
                created: 1,
                expires: 1 + LIFETIME,
            })
        );
        assert_eq!(Membership::organisation(2), None);

        run_to_block(3);
        assert_ok!(Membership::approve(&signed("reg2"), 0));
        System::assert_has_event(Event::Approved {
            id: 0,
            approver: acc("reg2"),
        });
        System::assert_has_event(Event::OrganisationAdmitted {
            org: 2,
            uscc: uscc(NEW_USCC),
            kind: OrgKind::ColdWarehouse,
        });
        let admin_roles = Roles::of(&[Role::Admin, Role::Operator]);
        System::assert_has_event(Event::AccountAdded {
            account: acc("cold-admin"),
            org: 2,
            roles: admin_roles,
        });
        System::assert_last_event(Event::ProposalExecuted { id: 0 });

        assert_eq!(Membership::proposal(0), None);
        assert_eq!(
            Membership::organisation(2),
            Some(Organisation {
                name: b"Ningbo Port Cold Store".to_vec(),
                kind: OrgKind::ColdWarehouse,
                uscc: uscc(NEW_USCC),
                status: OrgStatus::Active,
                admitted_at: 3,
            })
        );
        assert_eq!(Membership::org_by_uscc(&uscc(NEW_USCC)), Some(2));
        assert_eq!(
            Membership::account(&acc("cold-admin")),
            Some(Account {
                org: 2,
                roles: admin_roles,
                status: AccountStatus::Active
            })
        );
        // The new admin can work at once.
        assert_ok!(Membership::add_account(
            &signed("cold-admin"),
            acc("cold-op"),
            Roles::of(&[Role::Operator])
        ));
        // Ids keep counting.
        assert_ok!(Membership::propose(
            &signed("reg3"),
            admit("Wenzhou Cold Store", OTHER_USCC, acc("w"))
        ));
        assert!(Membership::proposal(1).is_some());
    });
}

#[test]
fn admission_is_checked_when_proposed() {
    new_test_ext().execute_with(|| {
        let reg = signed("reg1");
        assert_noop!(
            Membership::propose(&reg, admit("Copycat", MAKER_USCC, acc("c"))),
            Error::DuplicateOrganisation
        );
        for bad in [
            Vec::new(),
            vec![b'a'; 129],
            vec![0xff, 0xfe],
            b"   ".to_vec(),
            b"line\nbreak".to_vec(),
        ] {
            let action = Action::AdmitOrganisation {
                name: bad,
                kind: OrgKind::Retailer,
                uscc: uscc(NEW_USCC),
                admin: acc("c"),
                prefixes: vec![],
            };
            assert_noop!(Membership::propose(&reg, action), Error::InvalidName);
        }
        let longest = "冷".repeat(42) + "ab"; // 128 bytes
        assert_ok!(Membership::propose(
            &reg,
            admit(&longest, NEW_USCC, acc("c"))
        ));
        assert_noop!(
            Membership::propose(&reg, admit("Cold", OTHER_USCC, acc("maker-op"))),
            Error::AccountExists
        );
        assert_noop!(
            Membership::propose(&reg, admit("Cold", OTHER_USCC, invalid_key())),
            Error::InvalidKey
        );
    });
}

#[test]
fn only_regulator_governance_proposes_and_approves() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::propose(&signed("maker-admin"), admit_new()),
            DispatchError::MissingRole(Role::Governance)
        );
        assert_noop!(
            Membership::propose(&signed("reg-admin"), admit_new()),
            DispatchError::MissingRole(Role::Governance)
        );
        assert!(matches!(
            Membership::propose(&Origin::Root, admit_new()),
            Err(DispatchError::BadOrigin { .. })
        ));
        // Governance exists only in regulator organisations.
        assert_noop!(
            Membership::add_account(
                &signed("maker-admin"),
                acc("maker-gov"),
                Roles::of(&[Role::Governance])
            ),
            Error::RoleNotAllowedForKind
        );

        assert_ok!(Membership::propose(&signed("reg1"), admit_new()));
        assert_noop!(
            Membership::approve(&signed("maker-admin"), 0),
            DispatchError::MissingRole(Role::Governance)
        );
    });
}

#[test]
fn an_account_approves_once_and_unknown_proposals_are_refused() {
    new_test_ext().execute_with(|| {
        let set = Action::SetThreshold { threshold: 3 };
        assert_ok!(Membership::propose(&signed("reg1"), set));
        assert_noop!(
            Membership::approve(&signed("reg1"), 0),
            Error::AlreadyApproved
        );
        assert_noop!(
            Membership::approve(&signed("reg2"), 7),
            Error::UnknownProposal
        );
    });
}

#[test]
fn an_unapproved_proposal_expires() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(
            &signed("reg1"),
            Action::SetThreshold { threshold: 1 }
        ));
        run_to_block(1 + LIFETIME);
        assert!(Membership::proposal(0).is_some());

        // In the next block it is too late even before the hook runs…
        System::initialize(2 + LIFETIME, Default::default(), 0);
        assert_noop!(
            Membership::approve(&signed("reg2"), 0),
            Error::ProposalExpired
        );
        // …and the hook removes it.
        Membership::on_initialize(2 + LIFETIME);
        System::assert_last_event(Event::ProposalExpired { id: 0 });
        assert_eq!(Membership::proposal(0), None);
        assert_noop!(
            Membership::approve(&signed("reg2"), 0),
            Error::UnknownProposal
        );
        assert_eq!(Membership::threshold(), 2);
    });
}

#[test]
fn a_proposal_can_still_be_approved_in_its_last_block() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(&signed("reg1"), admit_new()));
        run_to_block(1 + LIFETIME);
        assert_ok!(Membership::approve(&signed("reg3"), 0));
        System::assert_last_event(Event::ProposalExecuted { id: 0 });
    });
}

#[test]
fn an_action_is_checked_again_when_it_executes() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(&signed("reg1"), admit_new()));
        let same_code = admit("Someone Else", NEW_USCC, acc("else"));
        assert_ok!(Membership::propose(&signed("reg2"), same_code));
        assert_ok!(Membership::approve(&signed("reg3"), 0));
        assert_noop!(
            Membership::approve(&signed("reg3"), 1),
            Error::DuplicateOrganisation
        );
        // The refused approval was not recorded; the proposal waits until it expires.
        assert_eq!(
            Membership::proposal(1).unwrap().approvals,
            vec![acc("reg2")]
        );
    });
}

fn pass(action: Action) {
    assert_ok!(Membership::propose(&signed("reg1"), action));
    let id = crate::NextProposalId::get().unwrap() - 1;
    assert_ok!(Membership::approve(&signed("reg2"), id));
    System::assert_last_event(Event::ProposalExecuted { id });
}

#[test]
fn set_validators_replaces_the_set_and_its_hash() {
    new_test_ext().execute_with(|| {
        let before = Membership::validators();
        assert_eq!(before, vec![validator("validator-1", 10)]);
        let new_set = vec![
            validator("v-a", 5),
            validator("v-b", 7),
            validator("v-c", 1),
        ];
        let mut sorted = new_set.clone();
        sorted.sort_by_key(|v| v.key);

        pass(Action::SetValidators {
            validators: new_set,
        });
        assert_eq!(Membership::validators(), sorted);
        let hash = validator_set_hash(&Membership::validators());
        assert_eq!(hash, sha256(&sorted.encode()));
        assert_ne!(hash, validator_set_hash(&before));
        System::assert_has_event(Event::ValidatorsChanged {
            validators: sorted,
            hash,
        });
    });
}

#[test]
fn invalid_validator_sets_are_refused() {
    new_test_ext().execute_with(|| {
        let reg = signed("reg1");
        let bad_sets: Vec<Vec<Validator>> = vec![
            vec![],
            vec![validator("v-a", 1), validator("v-b", 0)],
            vec![validator("v-a", 1), validator("v-a", 2)],
            vec![
                validator("v-a", 1),
                Validator {
                    key: invalid_key(),
                    power: 1,
                },
            ],
            vec![validator("v-a", u64::MAX), validator("v-b", 1)],
        ];
        for validators in bad_sets {
            assert_noop!(
                Membership::propose(&reg, Action::SetValidators { validators }),
                Error::InvalidValidatorSet
            );
        }
    });
}

#[test]
fn the_threshold_is_between_one_and_the_number_of_governors() {
    new_test_ext().execute_with(|| {
        let reg = signed("reg1");
        for threshold in [0, 4] {
            assert_noop!(
                Membership::propose(&reg, Action::SetThreshold { threshold }),
                Error::InvalidThreshold
            );
        }
        pass(Action::SetThreshold { threshold: 3 });
        System::assert_has_event(Event::ThresholdChanged { threshold: 3 });
        assert_eq!(Membership::threshold(), 3);

        // Three approvals now.
        assert_ok!(Membership::propose(
            &reg,
            Action::SetThreshold { threshold: 1 }
        ));
        assert_ok!(Membership::approve(&signed("reg2"), 1));
        assert_eq!(Membership::threshold(), 3);
        assert_ok!(Membership::approve(&signed("reg3"), 1));
        assert_eq!(Membership::threshold(), 1);

        // At threshold 1 a proposal executes when proposed.
        assert_ok!(Membership::propose(&reg, admit_new()));
        System::assert_last_event(Event::ProposalExecuted { id: 2 });
        assert_eq!(Membership::proposal(2), None);
        assert!(Membership::account(&acc("cold-admin")).is_some());
    });
}

#[test]
fn approvals_count_only_current_governors() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(&signed("reg1"), admit_new()));
        assert_ok!(Membership::suspend_account(&signed("reg2"), acc("reg1")));
        // reg1's approval no longer counts: reg3 alone is one of two.
        assert_ok!(Membership::approve(&signed("reg3"), 0));
        assert!(Membership::proposal(0).is_some());
        assert_eq!(
            Membership::proposal(0).unwrap().approvals.len(),
            2,
            "both approvals are kept"
        );
        assert_ok!(Membership::approve(&signed("reg2"), 0));
        System::assert_last_event(Event::ProposalExecuted { id: 0 });
    });
}

#[test]
fn a_rotating_governor_keeps_its_approvals() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(&signed("reg1"), admit_new()));
        assert_ok!(Membership::rotate_key(&signed("reg1"), acc("reg1-new")));
        assert_eq!(
            Membership::proposal(0).unwrap().approvals,
            vec![acc("reg1-new")]
        );
        assert_noop!(
            Membership::approve(&signed("reg1-new"), 0),
            Error::AlreadyApproved
        );
        assert_ok!(Membership::approve(&signed("reg2"), 0));
        System::assert_last_event(Event::ProposalExecuted { id: 0 });
    });
}

#[test]
fn force_rotation_replaces_a_compromised_key_and_drops_its_approvals() {
    new_test_ext().execute_with(|| {
        System::inc_account_nonce(&acc("maker-op"));
        pass(Action::ForceRotateKey {
            old: acc("maker-op"),
            new: acc("maker-op-new"),
        });
        System::assert_has_event(Event::KeyRotated {
            old: acc("maker-op"),
            new: acc("maker-op-new"),
        });
        assert_eq!(
            Membership::resolve_signer(&acc("maker-op")),
            Err(Error::KeyRotatedAway)
        );
        assert_eq!(
            Membership::resolve_signer(&acc("maker-op-new"))
                .unwrap()
                .org,
            MAKER
        );
        assert_eq!(System::account_nonce(&acc("maker-op-new")), 1);

        // A governor's key: its approval of an open proposal is not carried to the new key.
        assert_ok!(Membership::propose(&signed("reg3"), admit_new()));
        let open = crate::NextProposalId::get().unwrap() - 1;
        pass(Action::ForceRotateKey {
            old: acc("reg3"),
            new: acc("reg3-new"),
        });
        assert!(Membership::proposal(open).unwrap().approvals.is_empty());
        assert_ok!(Membership::approve(&signed("reg3-new"), open));
        assert!(Membership::proposal(open).is_some());
    });
}

#[test]
fn force_rotation_is_checked() {
    new_test_ext().execute_with(|| {
        let reg = signed("reg1");
        let force = |old: &str, new: AccountId| Action::ForceRotateKey { old: acc(old), new };
        assert_noop!(
            Membership::propose(&reg, force("maker-op", acc("maker-op"))),
            Error::SameKey
        );
        assert_noop!(
            Membership::propose(&reg, force("nobody", acc("x"))),
            Error::UnknownAccount
        );
        assert_noop!(
            Membership::propose(&reg, force("maker-op", acc("maker-admin"))),
            Error::AccountExists
        );
        assert_noop!(
            Membership::propose(&reg, force("maker-op", invalid_key())),
            Error::InvalidKey
        );
    });
}

#[test]
fn governance_roles_change_by_proposal_and_never_below_the_threshold() {
    new_test_ext().execute_with(|| {
        let gov = Roles::of(&[Role::Governance]);
        pass(Action::SetRoles {
            account: acc("reg-admin"),
            roles: gov,
        });
        System::assert_has_event(Event::RolesSet {
            account: acc("reg-admin"),
            roles: gov,
        });
        // Four governors now: a threshold of 4 is reachable.
        pass(Action::SetThreshold { threshold: 4 });
        assert_ok!(Membership::propose(
            &signed("reg1"),
            Action::SetThreshold { threshold: 2 }
        ));
        for name in ["reg2", "reg3", "reg-admin"] {
            assert_ok!(Membership::approve(&signed(name), 2));
        }
        assert_eq!(Membership::threshold(), 2);

        // Withdrawing Governance from three of four would leave one.
        pass(Action::SetRoles {
            account: acc("reg-admin"),
            roles: Roles::NONE,
        });
        pass(Action::SetRoles {
            account: acc("reg3"),
            roles: Roles::of(&[Role::Inspector]),
        });
        assert_noop!(
            Membership::propose(
                &signed("reg1"),
                Action::SetRoles {
                    account: acc("reg2"),
                    roles: Roles::NONE
                }
            ),
            Error::ThresholdUnreachable
        );
    });
}
