//! After a block: removal on inclusion, promotion, pruning; the proposer's build results; re-gossip.

use yima_membership::Error as MembershipError;
use yima_runtime::InvalidTransaction;

use super::*;

#[test]
fn inclusion_removes_the_block_and_promotes_queued_successors() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    let a0 = chain.tx("alice", 0, 1);
    let a2 = chain.tx("alice", 2, 1);
    let a3 = chain.tx("alice", 3, 1);
    let b0 = chain.tx("bob", 0, 1);
    all_ok(pool.submit(
        vec![a0.clone(), a2.clone(), a3.clone(), b0.clone()],
        chain.backend(),
    ));
    assert_eq!((pool.ready_len(), pool.future_len()), (2, 2));
    // The block holds alice 0 and alice 1 (which this pool never saw) and bob 0.
    let a1 = chain.tx("alice", 1, 1);
    let block = chain.produce(vec![a0.clone(), a1, b0.clone()]);
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    assert_eq!(outcome.included, vec![a0.hash(), b0.hash()]);
    assert!(outcome.dropped.is_empty());
    assert_eq!(outcome.promoted, 2);
    assert_eq!((pool.len(), pool.ready_len(), pool.future_len()), (2, 2, 0));
    assert_eq!(pool.ready(10, usize::MAX), vec![a2, a3]);
    assert!(!pool.contains(&a0.hash()));
    assert_consistent(&pool);
}

#[test]
fn a_pooled_transaction_whose_nonce_another_used_is_dropped_as_stale() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    let ours = chain.tx("alice", 0, 1);
    all_ok(pool.submit(vec![ours.clone()], chain.backend()));
    let theirs = chain.tx("alice", 0, 2);
    let block = chain.produce(vec![theirs]);
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    assert!(outcome.included.is_empty());
    assert_eq!(
        outcome.dropped,
        vec![(
            ours.hash(),
            InvalidTransaction::Stale {
                expected: 1,
                got: 0
            }
        )]
    );
    assert!(pool.is_empty());
    assert_consistent(&pool);
}

#[test]
fn expired_transactions_are_dropped() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    // Valid until block 1: queued behind nonce 0, which does not come in block 1.
    let late = chain.tx_until("alice", 1, 1, 1);
    let keeps = chain.tx_until("bob", 1, 1, 2);
    all_ok(pool.submit(vec![late.clone(), keeps.clone()], chain.backend()));
    let block = chain.produce(vec![]);
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    assert_eq!(
        outcome.dropped,
        vec![(
            late.hash(),
            InvalidTransaction::Expired {
                valid_until: 1,
                block: 2
            }
        )]
    );
    assert!(pool.contains(&keeps.hash()));
    let block = chain.produce(vec![]);
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    assert_eq!(outcome.dropped.len(), 1);
    assert!(pool.is_empty());
    assert_consistent(&pool);
}

#[test]
fn a_suspended_members_transactions_are_dropped_whole() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    let dave: Vec<_> = [0, 1, 4].iter().map(|&n| chain.tx("dave", n, 1)).collect();
    let bob0 = chain.tx("bob", 0, 1);
    let mut txs = dave.clone();
    txs.push(bob0.clone());
    all_ok(pool.submit(txs, chain.backend()));
    let suspend = chain.sign(
        "alice",
        0,
        100,
        RuntimeCall::Membership(MembershipCall::SuspendAccount {
            account: account("dave"),
        }),
    );
    let block = chain.produce(vec![suspend]);
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    let mut dropped = outcome.dropped.clone();
    dropped.sort_by_key(|(h, _)| *h);
    let mut expected: Vec<_> = dave
        .iter()
        .map(|t| {
            (
                t.hash(),
                InvalidTransaction::Signer(MembershipError::AccountSuspended),
            )
        })
        .collect();
    expected.sort_by_key(|(h, _)| *h);
    assert_eq!(dropped, expected);
    assert_eq!(pool.ready(10, usize::MAX), vec![bob0]);
    assert_consistent(&pool);
}

#[test]
fn build_results_drop_only_what_no_block_at_this_height_could_include() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    // alice suspends dave; dave's two transactions come after it in the same block.
    let suspend = chain.sign(
        "alice",
        0,
        100,
        RuntimeCall::Membership(MembershipCall::SuspendAccount {
            account: account("dave"),
        }),
    );
    let d0 = chain.tx("dave", 0, 1);
    let d1 = chain.tx("dave", 1, 1);
    all_ok(pool.submit(
        vec![suspend.clone(), d0.clone(), d1.clone()],
        chain.backend(),
    ));
    let built = chain.build(pool.ready(10, usize::MAX), &|tx| pool.is_verified(tx));
    assert_eq!(built.block.extrinsics, vec![suspend]);
    assert_eq!(built.rejected.len(), 2);
    // Refused for their signer by this very block, which may not be decided: kept.
    assert!(pool
        .on_block_built(&built.rejected, &built.deferred)
        .is_empty());
    assert_eq!(pool.len(), 3);
    // Once it is decided, the commit settles them.
    chain.commit(&built);
    let outcome = pool.on_block_committed(&built.block, chain.backend());
    assert_eq!(outcome.included.len(), 1);
    assert_eq!(outcome.dropped.len(), 2);
    assert!(pool.is_empty());

    // Stale, expired, too large, bad signature: dropped at once; future: kept; deferred: kept.
    let b0 = chain.tx("bob", 0, 1);
    let b1 = chain.tx("bob", 1, 1);
    let c0 = chain.tx("charlie", 0, 1);
    let c1 = chain.tx("charlie", 1, 1);
    let a1 = chain.tx("alice", 1, 1);
    all_ok(pool.submit(
        vec![b0.clone(), b1.clone(), c0.clone(), c1.clone(), a1.clone()],
        chain.backend(),
    ));
    let rejected = vec![
        (
            b0.clone(),
            InvalidTransaction::Stale {
                expected: 1,
                got: 0,
            },
        ),
        (
            b1.clone(),
            InvalidTransaction::Future {
                expected: 1,
                got: 2,
            },
        ),
        (
            c0.clone(),
            InvalidTransaction::Expired {
                valid_until: 0,
                block: 1,
            },
        ),
        (forged(&c1), InvalidTransaction::BadSignature),
    ];
    let dropped = pool.on_block_built(&rejected, std::slice::from_ref(&a1));
    assert_eq!(
        dropped.iter().map(|(h, _)| *h).collect::<Vec<_>>(),
        vec![b0.hash(), c0.hash()]
    );
    // The forged copy is not the pooled transaction: the pooled c1 stays.
    assert!(pool.contains(&c1.hash()));
    assert!(pool.contains(&b1.hash()));
    assert!(pool.contains(&a1.hash()));
    assert_eq!(pool.ready(10, usize::MAX), vec![a1]);
    assert_consistent(&pool);
}

#[test]
fn old_transactions_are_handed_out_again_for_gossip() {
    let mut chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        regossip_after_blocks: 2,
        ..PoolConfig::default()
    });
    let a0 = chain.tx("alice", 0, 1);
    let b0 = chain.tx("bob", 0, 1);
    all_ok(pool.submit(vec![a0.clone(), b0.clone()], chain.backend()));
    assert!(
        pool.pending_for_gossip(10).is_empty(),
        "new ones were just gossiped"
    );
    let block = chain.produce(vec![]);
    pool.on_block_committed(&block.block, chain.backend());
    assert!(pool.pending_for_gossip(10).is_empty());
    let block = chain.produce(vec![]);
    pool.on_block_committed(&block.block, chain.backend());
    // Two blocks old: due, oldest first, and at most as many as asked.
    assert_eq!(pool.pending_for_gossip(1), vec![a0.clone()]);
    assert_eq!(pool.pending_for_gossip(10), vec![b0]);
    assert!(pool.pending_for_gossip(10).is_empty());
    for _ in 0..2 {
        let block = chain.produce(vec![]);
        pool.on_block_committed(&block.block, chain.backend());
    }
    assert_eq!(pool.pending_for_gossip(10).len(), 2);
    assert_eq!(pool.pending_for_gossip(10).len(), 0);
    assert_consistent(&pool);
}

#[test]
fn a_submission_against_a_state_ahead_of_the_pool_is_consistent_after_the_commit() {
    // The node committed a block to its database but has not told the pool yet when a submission arrives.
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    let a0 = chain.tx("alice", 0, 1);
    let a1 = chain.tx("alice", 1, 1);
    all_ok(pool.submit(vec![a0.clone()], chain.backend()));
    let block = chain.produce(vec![a0.clone()]);
    // Against the new state a1 is the next nonce; the pool still holds a0 before it.
    all_ok(pool.submit(vec![a1.clone()], chain.backend()));
    // A stale one, by the pool's own record too.
    assert!(pool
        .submit(vec![chain.tx("alice", 0, 9)], chain.backend())
        .iter()
        .all(Result::is_err));
    assert_consistent(&pool);
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    assert_eq!(outcome.included, vec![a0.hash()]);
    assert_eq!(pool.ready(10, usize::MAX), vec![a1]);
    assert_consistent(&pool);
}

#[test]
fn futures_are_gossiped_only_once_they_are_ready() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    let a1 = chain.tx("alice", 1, 1);
    all_ok(pool.submit(vec![a1.clone()], chain.backend()));
    assert!(!pool.is_ready(&a1.hash()));
    assert!(
        pool.pending_for_gossip(10).is_empty(),
        "a queued future costs no peer a signature check"
    );
    let block = chain.produce(vec![]);
    pool.on_block_committed(&block.block, chain.backend());
    assert!(pool.pending_for_gossip(10).is_empty());
    // Its predecessor arrives: the predecessor is gossiped by the caller, the promoted one by re-gossip at once.
    let a0 = chain.tx("alice", 0, 2);
    all_ok(pool.submit(vec![a0.clone()], chain.backend()));
    assert!(pool.is_ready(&a0.hash()) && pool.is_ready(&a1.hash()));
    assert_eq!(pool.pending_for_gossip(10), vec![a1]);
    assert!(pool.pending_for_gossip(10).is_empty());
    assert_consistent(&pool);
}
