//! Executive tests: every way a transaction or a block can be bad is refused with its own error and changes
//! nothing it must not; good blocks replay to identical roots on another node.

mod common;

use common::*;
use parity_scale_codec::Encode;
use yima_frame::{DispatchError, Role, Roles};
use yima_membership::{Action, Call as MembershipCall, Error as MembershipError, OrgKind, Uscc};
use yima_runtime::executive::BuiltBlock;
use yima_runtime::transaction::DecodeError;
use yima_runtime::{
    BlockError, InvalidTransaction, RuntimeCall, RuntimeEvent, SignedTransaction, SPEC_VERSION,
};

fn set_roles(who: &str, roles: &[Role]) -> RuntimeCall {
    RuntimeCall::Membership(MembershipCall::SetRoles {
        account: account(who),
        roles: Roles::of(roles),
    })
}

fn add_account(who: &str) -> RuntimeCall {
    RuntimeCall::Membership(MembershipCall::AddAccount {
        account: account(who),
        roles: Roles::of(&[Role::Operator]),
    })
}

fn events(built: &BuiltBlock) -> Vec<RuntimeEvent> {
    built
        .events
        .iter()
        .map(|e| e.decode::<RuntimeEvent>().unwrap().event)
        .collect()
}

fn failed_with(built: &BuiltBlock) -> Vec<DispatchError> {
    events(built)
        .into_iter()
        .filter_map(|e| match e {
            RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => Some(error),
            _ => None,
        })
        .collect()
}

fn succeeded(built: &BuiltBlock) -> usize {
    events(built)
        .iter()
        .filter(|e| {
            matches!(
                e,
                RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess)
            )
        })
        .count()
}

/// The storage keys a block changed, as readable strings (prefix up to the second ':').
fn changed_items(built: &BuiltBlock) -> Vec<String> {
    let mut items: Vec<String> = built
        .update
        .changes
        .iter()
        .map(|(k, _)| {
            let text: String = k.iter().map(|&b| b as char).collect();
            text.splitn(3, ':').take(2).collect::<Vec<_>>().join(":")
        })
        .collect();
    items.dedup();
    items
}

/// Asserts that `tx` cannot enter a block: validation, building and executing all refuse it with `expected`.
fn assert_refused(chain: &Chain, tx: SignedTransaction, expected: InvalidTransaction) {
    assert_eq!(
        chain
            .exec
            .validate_transaction(chain.backend(), &tx)
            .unwrap_err(),
        expected
    );
    let built = chain.build(vec![tx.clone()]);
    assert!(built.block.extrinsics.is_empty());
    assert_eq!(built.rejected.len(), 1);
    assert_eq!(built.rejected[0].1, expected);
    // Nothing but the block bookkeeping changed.
    assert_eq!(
        changed_items(&built),
        vec!["System:Now", "System:Number", "System:ParentHash"]
    );

    // A proposer that includes it anyway produces an invalid block.
    let mut forged = built.block.clone();
    forged.extrinsics.push(tx);
    match chain
        .exec
        .execute_block(chain.backend(), &chain.head, &forged, &|_| false)
    {
        Err(BlockError::InvalidTransaction { index: 0, error }) => assert_eq!(error, expected),
        other => panic!("expected InvalidTransaction, got {other:?}"),
    }
}

#[test]
fn a_good_transaction_is_applied_and_replays_identically_elsewhere() {
    let mut a = Chain::new();
    let b = Chain::new();
    assert_eq!(a.genesis, b.genesis);
    let tx = a.sign("maker", add_account("newbie"));
    a.exec.validate_transaction(a.backend(), &tx).unwrap();
    let built = a.produce(vec![tx]);
    assert_eq!(succeeded(&built), 1);
    assert_eq!(a.nonce(&account("maker")), 1);

    let executed = b
        .exec
        .execute_block(b.backend(), &b.head, &built.block, &|_| false)
        .unwrap();
    assert_eq!(executed.update.root, built.block.header.state_root);
    assert_eq!(executed.events, built.events);
}

#[test]
fn bad_signature_is_refused() {
    let chain = Chain::new();
    let mut tx = chain.sign("maker", add_account("x"));
    tx.signature[10] ^= 1;
    assert_refused(&chain, tx, InvalidTransaction::BadSignature);
}

#[test]
fn altered_call_is_refused_as_a_bad_signature() {
    let chain = Chain::new();
    let mut tx = chain.sign("maker", add_account("x"));
    tx.call = add_account("y");
    assert_refused(&chain, tx, InvalidTransaction::BadSignature);
}

#[test]
fn signature_for_another_chain_or_spec_version_is_refused() {
    let chain = Chain::new();
    let other_chain = SignedTransaction::sign(
        &key("maker"),
        &yima_frame::sha256(b"another genesis"),
        SPEC_VERSION,
        0,
        10,
        add_account("x"),
    );
    assert_refused(&chain, other_chain, InvalidTransaction::BadSignature);
    let other_version = SignedTransaction::sign(
        &key("maker"),
        &chain.ctx().genesis_hash,
        SPEC_VERSION + 1,
        0,
        10,
        add_account("x"),
    );
    assert_refused(&chain, other_version, InvalidTransaction::BadSignature);
}

#[test]
fn replayed_and_future_nonces_are_refused() {
    let mut chain = Chain::new();
    let tx = chain.sign("maker", add_account("x"));
    chain.produce(vec![tx.clone()]);
    assert_refused(
        &chain,
        tx,
        InvalidTransaction::Stale {
            expected: 1,
            got: 0,
        },
    );
    let future = chain.sign_with("maker", 5, add_account("y"));
    assert_refused(
        &chain,
        future,
        InvalidTransaction::Future {
            expected: 1,
            got: 5,
        },
    );
}

#[test]
fn expired_transactions_are_refused() {
    let mut chain = Chain::new();
    chain.produce(vec![]);
    chain.produce(vec![]);
    let tx = SignedTransaction::sign(
        &key("maker"),
        &chain.ctx().genesis_hash,
        SPEC_VERSION,
        0,
        2,
        add_account("x"),
    );
    assert_refused(
        &chain,
        tx,
        InvalidTransaction::Expired {
            valid_until: 2,
            block: 3,
        },
    );
}

#[test]
fn unknown_signer_is_refused() {
    let chain = Chain::new();
    let tx = chain.sign("stranger", add_account("x"));
    assert_refused(
        &chain,
        tx,
        InvalidTransaction::Signer(MembershipError::UnknownAccount),
    );
}

#[test]
fn suspended_signer_is_refused() {
    let mut chain = Chain::new();
    let suspend = chain.sign(
        "maker",
        RuntimeCall::Membership(MembershipCall::SuspendAccount {
            account: account("worker"),
        }),
    );
    let built = chain.produce(vec![suspend]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));
    let tx = chain.sign("worker", add_account("x"));
    assert_refused(
        &chain,
        tx,
        InvalidTransaction::Signer(MembershipError::AccountSuspended),
    );
}

#[test]
fn a_regulators_suspension_is_lifted_by_that_regulator_or_a_proposal_not_by_the_admin() {
    let mut chain = Chain::new();
    let membership = |call| RuntimeCall::Membership(call);
    let suspend = chain.sign(
        "reg1",
        membership(MembershipCall::SuspendAccount {
            account: account("worker"),
        }),
    );
    let built = chain.produce(vec![suspend]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));

    // The manufacturer's admin may not lift it, nor give its own account the Inspector role.
    let reinstate = chain.sign(
        "maker",
        membership(MembershipCall::ReinstateAccount {
            account: account("worker"),
        }),
    );
    let inspector = chain.sign_with(
        "maker",
        chain.nonce(&account("maker")) + 1,
        membership(MembershipCall::SetRoles {
            account: account("maker"),
            roles: Roles::of(&[Role::Admin, Role::Inspector]),
        }),
    );
    let built = chain.produce(vec![reinstate, inspector]);
    assert_eq!(
        failed_with(&built),
        vec![
            DispatchError::module("Membership", "SuspendedByRegulator"),
            DispatchError::module("Membership", "RoleNotAllowedForKind"),
        ]
    );

    // Two regulators' approval lifts it.
    let propose = chain.sign(
        "reg2",
        membership(MembershipCall::Propose {
            action: Action::ReinstateAccount {
                account: account("worker"),
            },
        }),
    );
    let built = chain.produce(vec![propose]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));
    let approve = chain.sign("reg3", membership(MembershipCall::Approve { id: 0 }));
    let built = chain.produce(vec![approve]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));
    let tx = chain.sign("worker", add_account("x"));
    let built = chain.produce(vec![tx]);
    // The worker signs again (its call fails for want of Admin, but it is no longer refused as a signer).
    assert_eq!(
        failed_with(&built),
        vec![DispatchError::MissingRole(Role::Admin)]
    );
}

#[test]
fn rotated_away_key_is_refused_and_the_new_key_continues_the_nonce() {
    let mut chain = Chain::new();
    let rotate = chain.sign(
        "worker",
        RuntimeCall::Membership(MembershipCall::RotateKey {
            new: account("worker2"),
        }),
    );
    let built = chain.produce(vec![rotate]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));
    let old = chain.sign_with("worker", 1, add_account("x"));
    assert_refused(
        &chain,
        old,
        InvalidTransaction::Signer(MembershipError::KeyRotatedAway),
    );
    // The new key carries on from the old nonce, so nothing the old key signed can be replayed by it.
    assert_eq!(chain.nonce(&account("worker2")), 1);
    let replay = chain.sign_with("worker2", 0, set_roles("worker", &[]));
    assert_refused(
        &chain,
        replay,
        InvalidTransaction::Stale {
            expected: 1,
            got: 0,
        },
    );
}

/// A call the pallet refuses is still included: nonce consumed, `ExtrinsicFailed`, nothing else written.
fn assert_call_fails(chain: &mut Chain, who: &str, call: RuntimeCall, expected: DispatchError) {
    let nonce = chain.nonce(&account(who));
    let built = chain.produce(vec![chain.sign(who, call)]);
    assert_eq!(built.block.extrinsics.len(), 1);
    assert_eq!(failed_with(&built), vec![expected]);
    assert_eq!(chain.nonce(&account(who)), nonce + 1);
    assert_eq!(
        changed_items(&built),
        vec![
            "System:Nonces",
            "System:Now",
            "System:Number",
            "System:ParentHash"
        ],
        "a failed call must leave only the nonce and block bookkeeping behind"
    );
}

#[test]
fn wrong_role_fails_the_call_but_consumes_the_nonce() {
    let mut chain = Chain::new();
    assert_call_fails(
        &mut chain,
        "worker",
        add_account("x"),
        DispatchError::MissingRole(Role::Admin),
    );
}

fn admit(name: &str, uscc: Uscc) -> RuntimeCall {
    RuntimeCall::Membership(MembershipCall::Propose {
        action: Action::AdmitOrganisation {
            name: name.as_bytes().to_vec(),
            kind: OrgKind::Retailer,
            uscc,
            admin: account("shopkeeper"),
            prefixes: vec![],
        },
    })
}

#[test]
fn malformed_uscc_in_a_call_is_refused_at_decoding() {
    let chain = Chain::new();
    let good = Uscc::parse(RETAILER).unwrap();
    let bytes = chain.sign("reg1", admit("Shop", good)).encode();
    let at = bytes
        .windows(18)
        .position(|w| w == RETAILER.as_bytes())
        .expect("the USCC travels as its 18 characters");
    let limit = 256 * 1024;
    // Wrong check character, a letter outside the alphabet, lower case: each is not a USCC, so not a transaction.
    for (offset, byte) in [(17, b'0'), (4, b'I'), (8, b'm')] {
        let mut bad = bytes.clone();
        bad[at + offset] = byte;
        assert!(
            matches!(
                SignedTransaction::decode_checked(&bad, limit),
                Err(DecodeError::Malformed(_))
            ),
            "USCC byte {offset} = {} must not decode",
            byte as char
        );
    }
    assert!(SignedTransaction::decode_checked(&bytes, limit).is_ok());
}

#[test]
fn duplicate_organisation_is_refused() {
    let mut chain = Chain::new();
    assert_call_fails(
        &mut chain,
        "reg1",
        admit("Maker again", Uscc::parse(MANUFACTURER).unwrap()),
        MembershipError::DuplicateOrganisation.into(),
    );
}

#[test]
fn approval_by_a_non_regulator_and_double_approval_are_refused() {
    let mut chain = Chain::new();
    let built = chain.produce(vec![
        chain.sign("reg1", admit("Shop", Uscc::parse(RETAILER).unwrap()))
    ]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));
    let approve = || RuntimeCall::Membership(MembershipCall::Approve { id: 0 });
    assert_call_fails(
        &mut chain,
        "maker",
        approve(),
        DispatchError::MissingRole(Role::Governance),
    );
    assert_call_fails(
        &mut chain,
        "reg1",
        approve(),
        MembershipError::AlreadyApproved.into(),
    );
    // The second regulator reaches the threshold of two: the organisation and its admin exist.
    let built = chain.produce(vec![chain.sign("reg2", approve())]);
    assert_eq!(succeeded(&built), 1, "{:?}", failed_with(&built));
    let admitted = chain.read(|| yima_runtime::Membership::account(&account("shopkeeper")));
    assert!(admitted.is_some());
}

#[test]
fn undecodable_bytes_are_refused() {
    let chain = Chain::new();
    let bytes = chain.sign("maker", add_account("x")).encode();
    let limit = 256 * 1024;
    assert!(SignedTransaction::decode_checked(&bytes, limit).is_ok());
    for cut in [0, 1, 31, 32, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            matches!(
                SignedTransaction::decode_checked(&bytes[..cut], limit),
                Err(DecodeError::Malformed(_))
            ),
            "truncated at {cut} must not decode"
        );
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(
        SignedTransaction::decode_checked(&trailing, limit),
        Err(DecodeError::Malformed(_))
    ));
    assert!(matches!(
        SignedTransaction::decode_checked(&bytes, bytes.len() - 1),
        Err(DecodeError::TooLarge { .. })
    ));
    let mut unknown_call = bytes.clone();
    unknown_call[32 + 8 + 8] = 0xEE; // the RuntimeCall index byte
    assert!(matches!(
        SignedTransaction::decode_checked(&unknown_call, limit),
        Err(DecodeError::Malformed(_))
    ));
    // A length prefix claiming gigabytes must fail cleanly, not allocate.
    let huge = [0u8; 32]
        .iter()
        .copied()
        .chain([0xFF; 16])
        .collect::<Vec<_>>();
    assert!(SignedTransaction::decode_checked(&huge, limit).is_err());
    assert!(yima_runtime::transaction::decode_block(&[0xFF; 300]).is_err());
}

#[test]
fn tampered_headers_are_refused_naming_the_field() {
    let chain = Chain::new();
    let built = chain.build(vec![chain.sign("maker", add_account("x"))]);
    let run = |f: &dyn Fn(&mut yima_runtime::Block)| {
        let mut block = built.block.clone();
        f(&mut block);
        chain
            .exec
            .execute_block(chain.backend(), &chain.head, &block, &|_| false)
    };
    let flip = |h: &mut yima_frame::Hash| h.0[0] ^= 1;
    for field in [
        "state_root",
        "extrinsics_root",
        "events_root",
        "validators_hash",
        "next_validators_hash",
    ] {
        let err = run(&|b| match field {
            "state_root" => flip(&mut b.header.state_root),
            "extrinsics_root" => flip(&mut b.header.extrinsics_root),
            "events_root" => flip(&mut b.header.events_root),
            "validators_hash" => flip(&mut b.header.validators_hash),
            _ => flip(&mut b.header.next_validators_hash),
        })
        .unwrap_err();
        match err {
            BlockError::RootMismatch { field: f, .. } => assert_eq!(f, field),
            other => panic!("{field}: expected RootMismatch, got {other:?}"),
        }
    }
    assert!(matches!(
        run(&|b| flip(&mut b.header.parent_hash)),
        Err(BlockError::ParentMismatch { .. })
    ));
    assert!(matches!(
        run(&|b| b.header.number += 1),
        Err(BlockError::NumberMismatch { .. })
    ));
    assert!(matches!(
        run(&|b| b.header.timestamp = chain.head.timestamp),
        Err(BlockError::TimestampNotAfterParent { .. })
    ));
    assert!(matches!(
        run(&|b| b.header.proposer = account("maker")),
        Err(BlockError::ProposerNotValidator(_))
    ));
    // A transaction removed from the body changes what execution produces.
    assert!(run(&|b| b.extrinsics.clear()).is_err());
    // Untouched, it executes.
    assert!(run(&|_| {}).is_ok());
}

#[test]
fn preverified_signatures_are_not_checked_again() {
    let chain = Chain::new();
    let tx = chain.sign("maker", add_account("x"));
    let built = chain.build(vec![tx.clone()]);
    let mut block = built.block.clone();
    // Corrupt the signature but keep every root: only a node that trusts its own ingress check accepts it.
    block.extrinsics[0].signature[0] ^= 1;
    let corrupted = block.extrinsics[0].clone();
    let forged_root = yima_runtime::executive::extrinsics_root(&block.extrinsics);
    block.header.extrinsics_root = forged_root;
    assert!(chain
        .exec
        .execute_block(chain.backend(), &chain.head, &block, &|_| false)
        .is_err());
    let trusted = chain
        .exec
        .execute_block(chain.backend(), &chain.head, &block, &|t| *t == corrupted)
        .unwrap();
    assert_eq!(trusted.update.root, built.update.root);
}

#[test]
fn block_limits_defer_in_building_and_refuse_in_execution() {
    let mut config = genesis_config(&[]);
    config.system.limits.max_transactions = 2;
    let chain = Chain::with_config(&config);
    let txs: Vec<_> = (0..3)
        .map(|n| chain.sign_with("maker", n, add_account(&format!("x{n}"))))
        .collect();
    let built = chain.build(txs.clone());
    assert_eq!(built.block.extrinsics.len(), 2);
    assert_eq!(built.deferred, vec![txs[2].clone()]);
    let mut block = built.block.clone();
    block.extrinsics = txs;
    assert!(matches!(
        chain
            .exec
            .execute_block(chain.backend(), &chain.head, &block, &|_| false),
        Err(BlockError::TooManyTransactions { count: 3, limit: 2 })
    ));
}

#[test]
fn a_bad_transaction_among_good_ones_is_the_one_left_out() {
    let chain = Chain::new();
    let good0 = chain.sign_with("maker", 0, add_account("a"));
    let mut bad = chain.sign_with("reg1", 0, set_roles("worker", &[Role::Operator]));
    bad.signature[5] ^= 1;
    let good1 = chain.sign_with("maker", 1, add_account("b"));
    let built = chain.build(vec![good0.clone(), bad.clone(), good1.clone()]);
    assert_eq!(built.block.extrinsics, vec![good0, good1]);
    assert_eq!(
        built.rejected,
        vec![(bad, InvalidTransaction::BadSignature)]
    );
}

#[test]
fn the_pool_check_skips_signatures_and_reports_early_nonces_last() {
    let chain = Chain::new();
    let now = chain.sign_with("maker", 0, add_account("a"));
    let early = chain.sign_with("maker", 3, add_account("b"));
    let stranger = chain.sign_with("stranger", 3, add_account("c"));
    let mut unsigned = chain.sign_with("worker", 0, set_roles("worker", &[]));
    unsigned.signature = [0; 64];
    let results = chain
        .exec
        .check_transactions(chain.backend(), &[&now, &early, &stranger, &unsigned]);
    assert_eq!(results[0].as_ref().unwrap().account, account("maker"));
    assert_eq!(
        results[1],
        Err(InvalidTransaction::Future {
            expected: 0,
            got: 3
        })
    );
    assert_eq!(
        results[2],
        Err(InvalidTransaction::Signer(MembershipError::UnknownAccount)),
        "membership is checked before the nonce, so Future always means a member's early transaction"
    );
    assert!(
        results[3].is_ok(),
        "signatures are the pool's to verify, in a batch"
    );
}

#[test]
fn several_bad_signatures_are_all_found() {
    let chain = Chain::new();
    let mut txs: Vec<_> = ["maker", "worker", "reg1", "reg2", "reg3"]
        .iter()
        .map(|who| chain.sign_with(who, 0, set_roles("nobody", &[])))
        .collect();
    txs[1].signature[3] ^= 1;
    txs[3].signature[9] ^= 1;
    let built = chain.build(txs.clone());
    let rejected: Vec<_> = built
        .rejected
        .iter()
        .map(|(tx, e)| (tx.clone(), e.clone()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (txs[1].clone(), InvalidTransaction::BadSignature),
            (txs[3].clone(), InvalidTransaction::BadSignature)
        ]
    );
    assert_eq!(
        built.block.extrinsics,
        vec![txs[0].clone(), txs[2].clone(), txs[4].clone()]
    );
}
