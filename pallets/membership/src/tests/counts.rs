//! The governance counts kept in storage equal a full recount after genesis and after any sequence of calls,
//! and the approval threshold stays reachable.

use proptest::prelude::*;
use yima_frame::{AccountId, Origin, Role, Roles};

use super::authority::wider_genesis;
use crate::counts::{recount, stored};
use crate::mock::*;
use crate::{Action, OrgKind, OrgStatus, Suspender};

/// Accounts that sign or are acted on; `n*` are fresh keys.
const NAMES: [&str; 13] = [
    "reg1",
    "reg2",
    "reg3",
    "reg-admin",
    "city-admin",
    "maker-admin",
    "maker-op",
    "dist-admin",
    "lab-admin",
    "n0",
    "n1",
    "n2",
    "n3",
];

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize, Roles),
    SetRoles(usize, usize, Roles),
    Suspend(usize, usize),
    Reinstate(usize, usize),
    Rotate(usize, usize),
    SuspendOrg(usize, u32),
    ReinstateOrg(usize, u32),
    Propose(usize, Action),
    Approve(usize, u32),
    NextBlock,
}

fn name() -> impl Strategy<Value = usize> {
    0..NAMES.len()
}

fn some_roles() -> impl Strategy<Value = Roles> {
    proptest::sample::subsequence(Role::ALL.to_vec(), 0..=4).prop_map(|r| Roles::of(&r))
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (name(), some_roles()).prop_map(|(a, roles)| Action::SetRoles {
            account: acc(NAMES[a]),
            roles
        }),
        name().prop_map(|a| Action::ReinstateAccount {
            account: acc(NAMES[a])
        }),
        (0u32..6).prop_map(|org| Action::ReinstateOrganisation { org }),
        (name(), name()).prop_map(|(old, new)| Action::ForceRotateKey {
            old: acc(NAMES[old]),
            new: acc(NAMES[new])
        }),
        (1u32..5).prop_map(|threshold| Action::SetThreshold { threshold }),
        name().prop_map(|a| Action::AdmitOrganisation {
            name: b"Another Regulator".to_vec(),
            kind: OrgKind::Regulator,
            uscc: uscc(OTHER_USCC),
            admin: acc(NAMES[a]),
            prefixes: vec![],
        }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (name(), name(), some_roles()).prop_map(|(s, t, r)| Op::Add(s, t, r)),
        (name(), name(), some_roles()).prop_map(|(s, t, r)| Op::SetRoles(s, t, r)),
        (name(), name()).prop_map(|(s, t)| Op::Suspend(s, t)),
        (name(), name()).prop_map(|(s, t)| Op::Reinstate(s, t)),
        (name(), name()).prop_map(|(s, t)| Op::Rotate(s, t)),
        (name(), 0u32..6).prop_map(|(s, o)| Op::SuspendOrg(s, o)),
        (name(), 0u32..6).prop_map(|(s, o)| Op::ReinstateOrg(s, o)),
        (name(), action()).prop_map(|(s, a)| Op::Propose(s, a)),
        (name(), 0u32..8).prop_map(|(s, id)| Op::Approve(s, id)),
        Just(Op::NextBlock),
    ]
}

/// Runs `op`; an op whose signer cannot sign is skipped, as the runtime would refuse the transaction.
/// Returns whether the call succeeded.
fn run(op: &Op) -> bool {
    let origin = |i: usize| -> Option<Origin> {
        let key: AccountId = acc(NAMES[i]);
        crate::Pallet::<Test>::resolve_signer(&key)
            .ok()
            .map(Origin::Signed)
    };
    let result = match op {
        Op::NextBlock => {
            run_to_block(System::block_number() + 1);
            return true;
        }
        Op::Add(s, t, r) => origin(*s).map(|o| Membership::add_account(&o, acc(NAMES[*t]), *r)),
        Op::SetRoles(s, t, r) => origin(*s).map(|o| Membership::set_roles(&o, acc(NAMES[*t]), *r)),
        Op::Suspend(s, t) => origin(*s).map(|o| Membership::suspend_account(&o, acc(NAMES[*t]))),
        Op::Reinstate(s, t) => {
            origin(*s).map(|o| Membership::reinstate_account(&o, acc(NAMES[*t])))
        }
        Op::Rotate(s, t) => origin(*s).map(|o| Membership::rotate_key(&o, acc(NAMES[*t]))),
        Op::SuspendOrg(s, org) => origin(*s).map(|o| Membership::suspend_organisation(&o, *org)),
        Op::ReinstateOrg(s, org) => {
            origin(*s).map(|o| Membership::reinstate_organisation(&o, *org))
        }
        Op::Propose(s, a) => origin(*s).map(|o| Membership::propose(&o, a.clone())),
        Op::Approve(s, id) => origin(*s).map(|o| Membership::approve(&o, *id)),
    };
    matches!(result, Some(Ok(())))
}

fn assert_counts_match(after: &str) {
    let (by_org, eligible) = recount();
    assert_eq!(stored(), (by_org, eligible), "stored counts after {after}");
    assert_eq!(Membership::eligible_governors(), eligible);
    assert!(
        eligible >= Membership::threshold(),
        "after {after}: {eligible} governors for a threshold of {}",
        Membership::threshold()
    );
}

#[test]
fn genesis_counts_equal_the_recount() {
    for config in [genesis(), wider_genesis()] {
        ext_with(config).execute_with(|| assert_counts_match("genesis"));
    }
    ext_with(wider_genesis()).execute_with(|| {
        assert_eq!(Membership::eligible_governors(), 3);
        assert_eq!(Membership::governors_of(REGULATOR), 2);
        assert_eq!(Membership::governors_of(super::authority::CITY), 1);
        assert_eq!(Membership::governors_of(MAKER), 0);
    });
}

#[test]
fn each_path_that_changes_the_counts_keeps_them() {
    ext_with(wider_genesis()).execute_with(|| {
        let reg = |n: &str| signed(n);
        // Suspend and reinstate a governor account.
        assert!(Membership::suspend_account(&reg("reg1"), acc("reg2")).is_ok());
        assert_eq!(Membership::eligible_governors(), 2);
        assert_eq!(Membership::governors_of(REGULATOR), 1);
        assert_counts_match("suspending a governor");
        assert!(Membership::reinstate_account(&reg("reg1"), acc("reg2")).is_ok());
        assert_eq!(Membership::eligible_governors(), 3);
        assert_counts_match("reinstating a governor");
        // Grant Governance by proposal.
        assert!(Membership::propose(
            &reg("reg1"),
            Action::SetRoles {
                account: acc("reg-admin"),
                roles: Roles::of(&[Role::Governance])
            }
        )
        .is_ok());
        assert!(Membership::approve(&reg("reg2"), 0).is_ok());
        assert_eq!(Membership::eligible_governors(), 4);
        assert_counts_match("granting Governance");
        // Force-rotate a governor's key: still four.
        assert!(Membership::propose(
            &reg("reg1"),
            Action::ForceRotateKey {
                old: acc("reg-admin"),
                new: acc("reg-admin-2")
            }
        )
        .is_ok());
        assert!(Membership::approve(&reg("reg3"), 1).is_ok());
        assert_eq!(Membership::eligible_governors(), 4);
        assert_counts_match("force-rotating");
        // Suspend and reinstate a regulator organisation.
        assert!(Membership::suspend_organisation(&reg("reg1"), super::authority::CITY).is_ok());
        assert_eq!(Membership::eligible_governors(), 3);
        assert_eq!(
            Membership::organisation(super::authority::CITY)
                .unwrap()
                .status,
            OrgStatus::Suspended { by: REGULATOR }
        );
        assert_counts_match("suspending a regulator");
        assert!(Membership::reinstate_organisation(&reg("reg2"), super::authority::CITY).is_ok());
        assert_eq!(Membership::eligible_governors(), 4);
        assert_counts_match("reinstating a regulator");
        // An account suspended by a regulator and then lifted by a proposal.
        assert!(Membership::suspend_account(&reg("reg3"), acc("reg2")).is_ok());
        assert_eq!(
            Membership::account(&acc("reg2")).unwrap().status,
            crate::AccountStatus::Suspended {
                by: Suspender::Regulator(super::authority::CITY)
            }
        );
        assert_eq!(Membership::eligible_governors(), 3);
        assert!(Membership::propose(
            &reg("reg1"),
            Action::ReinstateAccount {
                account: acc("reg2")
            }
        )
        .is_ok());
        assert!(Membership::approve(&reg("reg3"), 2).is_ok());
        assert_eq!(Membership::eligible_governors(), 4);
        assert_counts_match("reinstating by proposal");
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn stored_counts_equal_the_recount_after_any_calls(ops in proptest::collection::vec(op(), 1..60)) {
        ext_with(wider_genesis()).execute_with(|| {
            for (i, op) in ops.iter().enumerate() {
                run(op);
                assert_counts_match(&format!("op {i}: {op:?}"));
            }
        });
    }
}
