//! Ingress: every refusal, batching of signatures, bounds.

use parity_scale_codec::Encode;
use yima_membership::Error as MembershipError;
use yima_runtime::transaction::DecodeError;
use yima_runtime::InvalidTransaction;

use super::*;
use crate::PoolError;

#[test]
fn a_valid_transaction_is_admitted_ready() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let tx = chain.tx("alice", 0, 1);
    let results = pool.submit(vec![tx.clone()], chain.backend());
    assert_eq!(results, vec![Ok(tx.hash())]);
    assert_eq!(pool.len(), 1);
    assert_eq!(pool.ready_len(), 1);
    assert_eq!(pool.future_len(), 0);
    assert_eq!(pool.bytes(), tx.encoded_size());
    assert_eq!(pool.account_count(), 1);
    assert!(pool.contains(&tx.hash()));
    assert_eq!(pool.get(&tx.hash()), Some(&tx));
    assert_eq!(pool.ready(10, usize::MAX), vec![tx]);
    assert_consistent(&pool);
}

#[test]
fn a_transaction_already_pooled_is_already_known_and_not_new() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let tx = chain.tx("alice", 0, 1);
    all_ok(pool.submit(vec![tx.clone()], chain.backend()));
    // Again later, and twice in one batch: only the first ever is new (and gossiped).
    assert_eq!(
        pool.submit(vec![tx.clone()], chain.backend()),
        vec![Err(PoolError::AlreadyKnown)]
    );
    let other = chain.tx("bob", 0, 1);
    assert_eq!(
        pool.submit(vec![other.clone(), other.clone()], chain.backend()),
        vec![Ok(other.hash()), Err(PoolError::AlreadyKnown)]
    );
    assert_eq!(pool.len(), 2);
    assert_consistent(&pool);
}

#[test]
fn another_transaction_with_a_pooled_nonce_is_refused_not_replaced() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let first = chain.tx("alice", 0, 1);
    all_ok(pool.submit(vec![first.clone()], chain.backend()));
    let second = chain.tx("alice", 0, 2);
    assert_eq!(
        pool.submit(vec![second], chain.backend()),
        vec![Err(PoolError::NonceTaken { nonce: 0 })]
    );
    // Inside one batch: the first one wins.
    let a = chain.tx("bob", 3, 1);
    let b = chain.tx("bob", 3, 2);
    assert_eq!(
        pool.submit(vec![a.clone(), b], chain.backend()),
        vec![Ok(a.hash()), Err(PoolError::NonceTaken { nonce: 3 })]
    );
    assert_eq!(pool.ready(10, usize::MAX), vec![first]);
    assert_consistent(&pool);
}

#[test]
fn a_forged_copy_cannot_take_the_genuine_transactions_nonce() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let genuine = chain.tx("alice", 0, 1);
    let mut forgery = chain.tx("alice", 0, 666);
    forgery.signature = genuine.signature;
    let results = pool.submit(vec![forgery, genuine.clone()], chain.backend());
    assert_eq!(
        results,
        vec![
            Err(PoolError::Invalid(InvalidTransaction::BadSignature)),
            Ok(genuine.hash())
        ]
    );
    assert_consistent(&pool);
}

#[test]
fn bytes_that_are_not_a_transaction_are_refused_with_the_decode_error() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let good = chain.tx("alice", 0, 1);
    let mut trailing = chain.tx("bob", 0, 1).encode();
    trailing.push(0);
    let huge = vec![0u8; 256 * 1024 + 1];
    let results = pool.submit_bytes(
        vec![good.encode(), vec![1, 2, 3], trailing, huge],
        chain.backend(),
    );
    assert_eq!(results[0], Ok(good.hash()));
    assert!(matches!(
        results[1],
        Err(PoolError::Decode(DecodeError::Malformed(_)))
    ));
    assert!(matches!(
        results[2],
        Err(PoolError::Decode(DecodeError::Malformed(_)))
    ));
    assert_eq!(
        results[3],
        Err(PoolError::Decode(DecodeError::TooLarge {
            size: 256 * 1024 + 1,
            limit: 256 * 1024
        }))
    );
    let message = results[1].as_ref().unwrap_err().to_string();
    assert!(
        message.contains("cannot decode the transaction"),
        "{message}"
    );
    assert_eq!(pool.len(), 1);
    assert_consistent(&pool);
}

#[test]
fn invalid_transactions_are_refused_with_the_executives_reason() {
    let mut chain = Chain::local();
    chain.produce(vec![chain.tx("alice", 0, 1)]);
    let mut pool = chain.pool();
    let stale = chain.tx("alice", 0, 2);
    let expired = chain.tx_until("bob", 0, 1, chain.head.number);
    let stranger = chain.tx("eve", 0, 1);
    let results = pool.submit(vec![stale, expired, stranger], chain.backend());
    assert_eq!(
        results,
        vec![
            Err(PoolError::Invalid(InvalidTransaction::Stale {
                expected: 1,
                got: 0
            })),
            Err(PoolError::Invalid(InvalidTransaction::Expired {
                valid_until: 1,
                block: 2
            })),
            Err(PoolError::Invalid(InvalidTransaction::Signer(
                MembershipError::UnknownAccount
            ))),
        ]
    );
    assert!(pool.is_empty());
    assert_consistent(&pool);
}

#[test]
fn a_transaction_over_the_chains_size_limit_is_refused() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let big = chain.big_tx("alice", 0, 300_000);
    let size = big.encoded_size();
    assert_eq!(
        pool.submit(vec![big.clone()], chain.backend()),
        vec![Err(PoolError::Invalid(InvalidTransaction::TooLarge {
            size,
            limit: 256 * 1024
        }))]
    );
    assert!(matches!(
        pool.submit_bytes(vec![big.encode()], chain.backend())[0],
        Err(PoolError::Decode(DecodeError::TooLarge { .. }))
    ));
    assert!(pool.is_empty());
}

#[test]
fn a_suspended_members_transactions_are_refused() {
    let mut chain = Chain::local();
    let suspend = chain.sign(
        "alice",
        0,
        100,
        RuntimeCall::Membership(MembershipCall::SuspendAccount {
            account: account("dave"),
        }),
    );
    chain.produce(vec![suspend]);
    let mut pool = chain.pool();
    assert_eq!(
        pool.submit(vec![chain.tx("dave", 0, 1)], chain.backend()),
        vec![Err(PoolError::Invalid(InvalidTransaction::Signer(
            MembershipError::AccountSuspended
        )))]
    );
}

#[test]
fn a_future_nonce_within_the_gap_is_queued_not_ready() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_nonce_gap: 2,
        ..PoolConfig::default()
    });
    let f2 = chain.tx("alice", 2, 1);
    all_ok(pool.submit(vec![f2.clone()], chain.backend()));
    assert_eq!((pool.len(), pool.ready_len(), pool.future_len()), (1, 0, 1));
    assert!(pool.ready(10, usize::MAX).is_empty());
    // Nonce 3 lies 3 beyond the frontier (nonce 0: nothing is ready yet).
    assert_eq!(
        pool.submit(vec![chain.tx("alice", 3, 1)], chain.backend()),
        vec![Err(PoolError::NonceGapTooLarge {
            nonce: 3,
            next: 0,
            max_gap: 2
        })]
    );
    // Filling nonce 0 moves the frontier: 1 is missing now, and 3 is within 2 of it.
    let f0 = chain.tx("alice", 0, 1);
    all_ok(pool.submit(vec![f0.clone()], chain.backend()));
    assert_eq!(pool.ready(10, usize::MAX), vec![f0.clone()]);
    let f3 = chain.tx("alice", 3, 1);
    all_ok(pool.submit(vec![f3.clone()], chain.backend()));
    let f1 = chain.tx("alice", 1, 1);
    all_ok(pool.submit(vec![f1.clone()], chain.backend()));
    assert_eq!(pool.ready(10, usize::MAX), vec![f0, f1, f2, f3]);
    assert_eq!((pool.ready_len(), pool.future_len()), (4, 0));
    let message = PoolError::NonceGapTooLarge {
        nonce: 9,
        next: 4,
        max_gap: 2,
    }
    .to_string();
    assert!(
        message.contains("submit the missing nonces first"),
        "{message}"
    );
    assert_consistent(&pool);
}

#[test]
fn a_batch_in_any_nonce_order_is_admitted_in_nonce_order() {
    let chain = Chain::local();
    // No gap allowed at all: only the nonce order of admission lets this batch in.
    let mut pool = chain.pool_with(PoolConfig {
        max_nonce_gap: 0,
        ..PoolConfig::default()
    });
    let txs: Vec<_> = (0..8).rev().map(|n| chain.tx("bob", n, 1)).collect();
    all_ok(pool.submit(txs.clone(), chain.backend()));
    assert_eq!(pool.ready_len(), 8);
    let ready: Vec<u64> = pool
        .ready(100, usize::MAX)
        .iter()
        .map(|t| t.nonce)
        .collect();
    assert_eq!(ready, (0..8).collect::<Vec<_>>());
    assert_consistent(&pool);
}

#[test]
fn an_account_over_its_limit_is_refused() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_per_account: 3,
        ..PoolConfig::default()
    });
    let txs: Vec<_> = (0..5).map(|n| chain.tx("charlie", n, 1)).collect();
    let results = pool.submit(txs, chain.backend());
    assert!(results[..3].iter().all(Result::is_ok), "{results:?}");
    assert_eq!(results[3], Err(PoolError::AccountLimit { limit: 3 }));
    assert_eq!(results[4], Err(PoolError::AccountLimit { limit: 3 }));
    // Other accounts are unaffected.
    all_ok(pool.submit(vec![chain.tx("dave", 0, 1)], chain.backend()));
    assert!(results[3]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("wait until some are included"));
    assert_consistent(&pool);
}

#[test]
fn a_full_pool_refuses_new_transactions_with_a_clear_error() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_transactions: 5,
        ..PoolConfig::default()
    });
    let mut results = Vec::new();
    for name in MEMBERS {
        results.extend(pool.submit(
            (0..3).map(|n| chain.tx(name, n, 1)).collect(),
            chain.backend(),
        ));
        assert_consistent(&pool);
        assert!(pool.len() <= 5);
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 5);
    let bytes = pool.bytes();
    for r in &results[5..] {
        assert_eq!(
            r,
            &Err(PoolError::Full {
                transactions: 5,
                bytes
            })
        );
    }
    assert_eq!(
        results[5].as_ref().unwrap_err().to_string(),
        format!("the transaction pool is full (5 transactions / {bytes} bytes); retry later")
    );
    // A pooled transaction is still recognised as such, not reported as "full".
    assert_eq!(
        pool.submit(vec![chain.tx("alice", 0, 1)], chain.backend()),
        vec![Err(PoolError::AlreadyKnown)]
    );
}

#[test]
fn the_byte_bound_holds_too() {
    let chain = Chain::local();
    let size = chain.tx("alice", 0, 1).encoded_size();
    let mut pool = chain.pool_with(PoolConfig {
        max_bytes: size * 3 + size / 2,
        ..PoolConfig::default()
    });
    let results = pool.submit(
        (0..5).map(|n| chain.tx("alice", n, 1)).collect(),
        chain.backend(),
    );
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
    assert!(matches!(
        results[3],
        Err(PoolError::Full {
            transactions: 3,
            ..
        })
    ));
    assert!(pool.bytes() <= size * 3 + size / 2);
    assert_consistent(&pool);
}

#[test]
fn a_full_pool_stays_bounded_under_a_flood_and_takes_new_ones_after_a_block() {
    let mut chain = Chain::local();
    let config = PoolConfig {
        max_transactions: 40,
        max_per_account: 20,
        ..PoolConfig::default()
    };
    let mut pool = chain.pool_with(config);
    for round in 0..5u32 {
        for name in MEMBERS {
            let txs = (0..30).map(|n| chain.tx(name, n, round)).collect();
            pool.submit(txs, chain.backend());
            assert!(pool.len() <= 40);
            assert_consistent(&pool);
        }
    }
    assert_eq!(pool.len(), 40);
    let block = chain.produce(pool.ready(10, usize::MAX));
    let outcome = pool.on_block_committed(&block.block, chain.backend());
    assert_eq!(outcome.included.len(), 10);
    assert_eq!(pool.len(), 30);
    assert_consistent(&pool);
    // Room again: the next nonce of each account is taken unless the account is at its own limit.
    let next: Vec<_> = MEMBERS
        .iter()
        .map(|name| {
            let frontier = pool
                .accounts
                .get(&account(name))
                .map_or(0, |a| a.frontier());
            chain.tx(name, frontier, 9)
        })
        .collect();
    let results = pool.submit(next.clone(), chain.backend());
    assert_eq!(
        results,
        vec![
            Ok(next[0].hash()),
            Err(PoolError::AccountLimit { limit: 20 }),
            Ok(next[2].hash()),
            Ok(next[3].hash()),
        ]
    );
    assert_consistent(&pool);
}

#[test]
fn several_bad_signatures_in_a_batch_refuse_only_those() {
    let chain = Chain::local();
    let bad = [0usize, 5, 6, 31, 40, 63];
    // Up to the cap, every culprit is found and nothing else refused.
    let mut pool = chain.pool_with(PoolConfig {
        max_bad_signatures: bad.len(),
        ..PoolConfig::default()
    });
    let txs: Vec<_> = (0..64)
        .map(|i| {
            let tx = chain.tx(MEMBERS[i % 4], (i / 4) as u64, i as u32);
            if bad.contains(&i) {
                forged(&tx)
            } else {
                tx
            }
        })
        .collect();
    let results = pool.submit(txs.clone(), chain.backend());
    for (i, r) in results.iter().enumerate() {
        if bad.contains(&i) {
            assert_eq!(
                r,
                &Err(PoolError::Invalid(InvalidTransaction::BadSignature)),
                "{i}"
            );
        } else {
            assert_eq!(r, &Ok(txs[i].hash()), "{i}");
        }
    }
    assert_eq!(pool.len(), 64 - bad.len());
    assert_consistent(&pool);
}

#[test]
fn a_batch_of_only_bad_signatures_is_refused_entirely() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let txs: Vec<_> = (0..33)
        .map(|i| forged(&chain.tx(MEMBERS[i % 4], (i / 4) as u64, 1)))
        .collect();
    let results = pool.submit(txs, chain.backend());
    // The first ones found are bad signatures; past the cap the rest are refused unchecked.
    let cap = PoolConfig::default().max_bad_signatures;
    let bad = results
        .iter()
        .filter(|r| *r == &Err(PoolError::Invalid(InvalidTransaction::BadSignature)))
        .count();
    assert_eq!(bad, cap);
    assert!(results.iter().all(|r| {
        r == &Err(PoolError::Invalid(InvalidTransaction::BadSignature))
            || r == &Err(PoolError::Unverified { limit: cap })
    }));
    assert!(pool.is_empty());
}

#[test]
fn a_transaction_signed_for_another_chain_has_a_bad_signature() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let other = SignedTransaction::sign(
        &dev_key("alice"),
        &yima_frame::Hash([7; 32]),
        SPEC_VERSION,
        0,
        100,
        RuntimeCall::Membership(MembershipCall::Approve { id: 0 }),
    );
    assert_eq!(
        pool.submit(vec![other], chain.backend()),
        vec![Err(PoolError::Invalid(InvalidTransaction::BadSignature))]
    );
}

#[test]
fn an_empty_batch_does_nothing() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    assert!(pool.submit(Vec::new(), chain.backend()).is_empty());
    assert!(pool.submit_bytes(Vec::new(), chain.backend()).is_empty());
    assert!(pool.is_empty());
}

#[test]
fn every_error_tells_the_user_what_to_do() {
    let errors = [
        PoolError::AlreadyKnown,
        PoolError::NonceTaken { nonce: 1 },
        PoolError::NonceGapTooLarge {
            nonce: 9,
            next: 1,
            max_gap: 2,
        },
        PoolError::AccountLimit { limit: 3 },
        PoolError::Full {
            transactions: 1,
            bytes: 2,
        },
        PoolError::Invalid(InvalidTransaction::Future {
            expected: 1,
            got: 3,
        }),
        PoolError::Decode(DecodeError::Malformed("x".into())),
    ];
    let hints = [
        "nothing to do",
        "sign with the next free nonce",
        "submit the missing nonces first",
        "then resubmit",
        "retry later",
        "submit the missing nonces first",
        "SignedTransaction",
    ];
    for (e, hint) in errors.iter().zip(hints) {
        assert!(e.to_string().contains(hint), "{e}");
    }
}
