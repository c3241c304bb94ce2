//! Verified once: the pool as `Preverified` for `build_block` and `execute_block`.

use std::cell::Cell;
use std::sync::Arc;

use yima_runtime::{BlockError, InvalidTransaction};

use super::*;
use crate::Entry;

/// Several accounts' transactions, some queued, in the pool.
fn filled(chain: &Chain) -> Pool {
    let mut pool = chain.pool();
    let txs: Vec<_> = (0..40)
        .map(|i| chain.tx(MEMBERS[i % 4], (i / 4) as u64, i as u32))
        .collect();
    all_ok(pool.submit(txs, chain.backend()));
    all_ok(pool.submit(vec![chain.tx("alice", 20, 1)], chain.backend()));
    pool
}

#[test]
fn a_block_of_pool_transactions_executes_with_the_pool_as_preverified_to_the_same_roots() {
    let mut proposer = Chain::local();
    let mut pool = filled(&proposer);
    let txs = pool.ready(usize::MAX, usize::MAX);
    assert_eq!(txs.len(), 40);
    let asked = Cell::new(0);
    let built = proposer.build(txs, &|tx| {
        asked.set(asked.get() + 1);
        pool.is_verified(tx)
    });
    assert!(built.rejected.is_empty());
    assert_eq!(
        asked.get(),
        40,
        "every transaction was offered to the pool's answer"
    );

    // Another node that verifies everything itself, and one that uses the pool's verified set.
    let plain = Chain::local();
    let checked = plain
        .exec
        .execute_block(plain.backend(), &plain.head, &built.block, &|_| false)
        .unwrap();
    let verified = pool.verified_set(&built.block.extrinsics);
    assert_eq!(verified.len(), 40);
    let pooled = Chain::local();
    let skipped = pooled
        .exec
        .execute_block(pooled.backend(), &pooled.head, &built.block, &|tx| {
            verified.contains(tx)
        })
        .unwrap();
    assert_eq!(checked.update.root, built.block.header.state_root);
    assert_eq!(skipped.update.root, checked.update.root);
    assert_eq!(skipped.events.len(), checked.events.len());

    proposer.commit(&built);
    let outcome = pool.on_block_committed(&built.block, proposer.backend());
    assert_eq!(outcome.included.len(), 40);
    assert_eq!(pool.len(), 1, "alice's queued nonce 20 is left");
    assert!(pool.verified_set(&built.block.extrinsics).is_empty());
}

#[test]
fn an_altered_copy_of_a_pooled_transaction_is_not_verified() {
    let chain = Chain::local();
    let pool = filled(&chain);
    let tx = chain.tx("alice", 0, 0);
    assert!(pool.is_verified(&tx));
    let mut other_call = tx.clone();
    other_call.call = RuntimeCall::Membership(MembershipCall::Approve { id: 99 });
    let mut later = tx.clone();
    later.valid_until += 1;
    for altered in [forged(&tx), other_call, later] {
        assert!(!pool.is_verified(&altered));
        let set = pool.verified_set(std::slice::from_ref(&altered));
        assert!(set.is_empty() && !set.contains(&altered));
    }
    assert!(!pool.is_verified(&chain.tx("eve", 0, 0)));
}

#[test]
fn the_pools_answer_is_what_decides_whether_a_signature_is_checked() {
    // Plant a transaction with a bad signature in the pool's books, as if it had been verified: the executive
    // takes the pool's word and does not check it, which shows that pooled transactions are not verified again.
    let chain = Chain::local();
    let mut pool = chain.pool();
    let planted = forged(&chain.tx("bob", 0, 1));
    let hash = planted.hash();
    let bytes = parity_scale_codec::Encode::encoded_size(&planted);
    let mut account = crate::Account::new(0, 0);
    account.txs.insert(
        0,
        Entry {
            tx: Arc::new(planted.clone()),
            hash,
            bytes,
            arrival: 0,
            gossiped_at: Some(0),
            admitted_at: 0,
        },
    );
    account.extend_ready();
    pool.accounts.insert(planted.signer, account);
    pool.by_hash.insert(hash, (planted.signer, 0));
    pool.bytes += bytes;
    pool.ready_len += 1;
    pool.per_org.insert(0, 1);
    assert_consistent(&pool);

    let built = chain.build(pool.ready(10, usize::MAX), &|tx| pool.is_verified(tx));
    assert_eq!(built.block.extrinsics, vec![planted.clone()]);
    let other = Chain::local();
    other
        .exec
        .execute_block(other.backend(), &other.head, &built.block, &|tx| {
            pool.is_verified(tx)
        })
        .unwrap();
    let err = other
        .exec
        .execute_block(other.backend(), &other.head, &built.block, &|_| false)
        .unwrap_err();
    assert!(matches!(
        err,
        BlockError::InvalidTransaction {
            index: 0,
            error: InvalidTransaction::BadSignature
        }
    ));
}
