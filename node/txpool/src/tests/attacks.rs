//! Issue 12's pool attacks. Each was first written asserting the attack worked (commit "issue 12 attacks on the
//! pool and gossip"); these are the same attacks asserting they are now refused.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parity_scale_codec::Encode;
use yima_runtime::InvalidTransaction;

use super::*;
use crate::{PoolError, SharedPool};

/// How long any awaited event may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Two member accounts fill a small pool with gapped nonces; a third account's ready transaction evicts one of
/// them, while another future is still refused.
#[test]
fn a_gapped_nonce_flood_cannot_keep_an_honest_ready_transaction_out() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_transactions: 16,
        ..PoolConfig::default()
    });
    let flood: Vec<_> = ["alice", "bob"]
        .iter()
        .flat_map(|name| (1..=8).map(|n| chain.tx(name, n * 2, n as u32)))
        .collect();
    all_ok(pool.submit(flood, chain.backend()));
    assert_eq!(pool.future_len(), 16);

    let more_futures = chain.tx("dave", 5, 1);
    let results = pool.submit(vec![more_futures], chain.backend());
    assert!(
        matches!(results[0], Err(PoolError::Full { .. })),
        "a future evicts nothing: {results:?}"
    );
    let honest = chain.tx("dave", 0, 1);
    assert_eq!(
        pool.submit(vec![honest.clone()], chain.backend()),
        vec![Ok(honest.hash())]
    );
    assert_eq!(pool.ready(10, usize::MAX), vec![honest]);
    assert_eq!((pool.len(), pool.future_len(), pool.evicted()), (16, 15, 1));
    assert_consistent(&pool);
}

/// A future-nonce transaction whose predecessor never comes is dropped after its lifetime; one whose predecessor
/// comes in time is not.
#[test]
fn futures_age_out() {
    let mut chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        future_lifetime_blocks: 10,
        ..PoolConfig::default()
    });
    let orphan = chain.tx_until("alice", 5, 1, 10_000);
    let waiting = chain.tx_until("bob", 1, 1, 10_000);
    all_ok(pool.submit(vec![orphan.clone(), waiting.clone()], chain.backend()));
    for block in 1..=9 {
        let txs = if block == 5 {
            vec![chain.tx("bob", 0, 2)]
        } else {
            vec![]
        };
        let built = chain.produce(txs);
        let outcome = pool.on_block_committed(&built.block, chain.backend());
        assert!(outcome.aged_out.is_empty(), "block {block}: {outcome:?}");
    }
    assert!(pool.contains(&orphan.hash()) && pool.contains(&waiting.hash()));
    let built = chain.produce(vec![]);
    let outcome = pool.on_block_committed(&built.block, chain.backend());
    assert_eq!(outcome.aged_out, vec![orphan.hash()]);
    assert!(pool.contains(&waiting.hash()), "ready now: it does not age");
    assert_consistent(&pool);
}

/// Three accounts of one organisation stop at the organisation's quota; the other organisation's member gets in.
#[test]
fn one_organisation_cannot_take_more_than_its_quota() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_transactions: 12,
        max_per_account: 4,
        max_per_organisation: 8,
        ..PoolConfig::default()
    });
    let regulator: Vec<_> = ["alice", "bob", "charlie"]
        .iter()
        .flat_map(|name| (0..4).map(|n| chain.tx(name, n, n as u32)))
        .collect();
    let results = pool.submit(regulator, chain.backend());
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 8);
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| *e == PoolError::OrganisationLimit { limit: 8 }));
    let too_many = pool.submit(vec![chain.tx("alice", 4, 9)], chain.backend());
    assert!(
        matches!(
            too_many[0],
            Err(PoolError::AccountLimit { limit: 4 } | PoolError::OrganisationLimit { limit: 8 })
        ),
        "{too_many:?}"
    );
    let dave = chain.tx("dave", 0, 1);
    assert_eq!(
        pool.submit(vec![dave.clone()], chain.backend()),
        vec![Ok(dave.hash())]
    );
    let dave_org = pool.accounts[&account("dave")].org;
    assert_ne!(dave_org, pool.accounts[&account("alice")].org);
    assert_eq!(pool.organisation_len(dave_org), 1);
    assert_consistent(&pool);
}

/// An account's futures give way to its own ready transaction at the account quota.
#[test]
fn a_ready_transaction_evicts_its_own_accounts_futures_at_the_quota() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_per_account: 3,
        ..PoolConfig::default()
    });
    all_ok(pool.submit(
        (3..6).map(|n| chain.tx("alice", n, n as u32)).collect(),
        chain.backend(),
    ));
    let ready = chain.tx("alice", 0, 1);
    assert_eq!(
        pool.submit(vec![ready.clone()], chain.backend()),
        vec![Ok(ready.hash())]
    );
    assert!(
        !pool.contains(&chain.tx("alice", 5, 5).hash()),
        "the highest future went"
    );
    assert_eq!((pool.len(), pool.ready_len(), pool.evicted()), (3, 1, 1));
    assert_consistent(&pool);
}

/// Forged signatures on real member keys: verification stops at the cap for that sender (the rest is refused
/// unchecked), another sender's transactions in the same call are verified, and the lock is free meanwhile:
/// another thread's `ready()` completes while the first signature batch is paused.
#[test]
fn a_forged_batch_stops_at_the_cap_and_does_not_hold_the_lock() {
    let chain = Chain::local();
    let forged_txs: Vec<_> = (0..64)
        .map(|n| forged(&chain.tx(["alice", "bob"][n % 2], (n / 2) as u64, n as u32)))
        .collect();
    let honest = chain.tx("dave", 0, 1);
    let mut bytes: Vec<Vec<u8>> = forged_txs.iter().map(Encode::encode).collect();
    bytes.push(honest.encode());
    let mut senders = vec![7; 64];
    senders.push(8);

    let (started_tx, started) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let mut pool = SharedPool::new(PoolConfig::default(), chain.exec);
    let ready_before = chain.tx("charlie", 0, 1);
    all_ok(pool.submit(vec![ready_before.clone()], chain.backend()));
    let batches = Arc::new(Mutex::new(0usize));
    let counted = batches.clone();
    pool.set_verify_hook(VerifyHook::new(move || {
        let mut n = counted.lock().unwrap();
        *n += 1;
        if *n == 1 {
            let _ = started_tx.send(());
            let _ = released.lock().unwrap().recv_timeout(TIMEOUT);
        }
    }));
    let pool = Arc::new(pool);

    let backend = chain.backend();
    let submitter = {
        let pool = pool.clone();
        std::thread::spawn(move || pool.submit_bytes_from(bytes, &senders, backend))
    };
    started.recv_timeout(TIMEOUT).expect("verification started");
    let (done_tx, done) = mpsc::channel();
    let reader = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let ready = pool.lock().ready(10, usize::MAX);
            let _ = done_tx.send(ready);
        })
    };
    let ready = done
        .recv_timeout(TIMEOUT)
        .expect("ready() completes while the batch is being verified");
    assert_eq!(ready, vec![ready_before]);
    release.send(()).unwrap();
    let results = submitter.join().unwrap();
    reader.join().unwrap();

    let cap = PoolConfig::default().max_bad_signatures;
    let bad = results
        .iter()
        .filter(|r| matches!(r, Err(PoolError::Invalid(InvalidTransaction::BadSignature))))
        .count();
    let unchecked = results
        .iter()
        .filter(|r| **r == Err(PoolError::Unverified { limit: cap }))
        .count();
    assert_eq!((bad, unchecked), (cap, 64 - cap), "{results:?}");
    assert_eq!(
        results[64],
        Ok(honest.hash()),
        "the other sender is verified"
    );
    assert!(
        *batches.lock().unwrap() <= 2 * cap + 2,
        "{} batches",
        batches.lock().unwrap()
    );
    assert_consistent(&pool.lock());
}

mod bounded {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;

    static LOCAL: LazyLock<Chain> = LazyLock::new(Chain::local);

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever arrives, one transaction at a time between empty blocks, a small pool keeps its bounds and
        /// quotas and its books right, and a ready transaction is refused for room only when no future in the
        /// bound's scope was left to evict.
        #[test]
        fn bounds_quotas_eviction_and_ageing_hold(
            steps in proptest::collection::vec((0usize..4, 0u64..10, any::<bool>()), 1..60),
        ) {
            let chain = &*LOCAL;
            let mut node = Chain::local();
            let mut pool = chain.pool_with(PoolConfig {
                max_transactions: 6,
                max_per_account: 3,
                max_per_organisation: 5,
                future_lifetime_blocks: 3,
                ..PoolConfig::default()
            });
            for (who, nonce, block) in steps {
                if block {
                    let built = node.produce(vec![]);
                    let outcome = pool.on_block_committed(&built.block, node.backend());
                    prop_assert!(outcome.dropped.is_empty());
                    for account in pool.accounts.values() {
                        for entry in account.txs.range(account.frontier()..).map(|(_, e)| e) {
                            prop_assert!(pool.height - entry.admitted_at < 3, "a future outlived its lifetime");
                        }
                    }
                } else {
                    let tx = chain.tx_until(MEMBERS[who], nonce, 0, 10_000);
                    let frontier = pool.accounts.get(&tx.signer).map_or(0, |a| a.frontier());
                    let futures_before = pool.future_len();
                    let result = pool.submit(vec![tx.clone()], node.backend()).remove(0);
                    match result {
                        Ok(_) => prop_assert!(pool.contains(&tx.hash())),
                        Err(PoolError::Full { .. }) if nonce == frontier => {
                            prop_assert_eq!(futures_before, 0, "a ready transaction met a full pool with futures");
                        }
                        Err(
                            PoolError::Full { .. }
                            | PoolError::AccountLimit { .. }
                            | PoolError::OrganisationLimit { .. }
                            | PoolError::AlreadyKnown
                            | PoolError::NonceTaken { .. },
                        ) => {}
                        Err(e) => prop_assert!(false, "unexpected refusal {e}"),
                    }
                }
                assert_consistent(&pool);
            }
        }
    }
}

#[test]
fn a_smaller_pool_keeps_the_defaults_proportions() {
    let d = PoolConfig::default();
    let small = PoolConfig::with_limit(4_000);
    assert_eq!(small.max_transactions, 4_000);
    assert_eq!(small.max_per_organisation, d.max_per_organisation / 10);
    assert_eq!(small.max_per_account, d.max_per_account / 10);
    assert_eq!(small.max_bytes, d.max_bytes / 10);
    assert_eq!(small.max_nonce_gap, d.max_nonce_gap);
    assert_eq!(PoolConfig::with_limit(d.max_transactions), d);
    assert_eq!(PoolConfig::with_limit(0).max_per_account, 1);
}
