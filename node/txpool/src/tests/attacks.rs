//! Issue 12's pool attacks, as run against the pool before its fix: each test asserts the attack WORKS.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use yima_runtime::InvalidTransaction;

use super::*;
use crate::PoolError;

/// Two member accounts fill a small pool with gapped nonces; a third account's ready transaction is refused.
#[test]
fn attack_gapped_nonce_flood_keeps_an_honest_ready_transaction_out() {
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
    let honest = chain.tx("dave", 0, 1);
    let results = pool.submit(vec![honest], chain.backend());
    assert!(
        matches!(results[0], Err(PoolError::Full { .. })),
        "{results:?}"
    );
}

/// A future-nonce transaction whose predecessor never comes stays pooled block after block.
#[test]
fn attack_futures_never_age_out() {
    let mut chain = Chain::local();
    let mut pool = chain.pool();
    let future = chain.tx_until("alice", 5, 1, 10_000);
    all_ok(pool.submit(vec![future.clone()], chain.backend()));
    for _ in 0..50 {
        let built = chain.produce(vec![]);
        pool.on_block_committed(&built.block, chain.backend());
    }
    assert!(
        pool.contains(&future.hash()),
        "still pooled after 50 blocks"
    );
}

/// Three accounts of one organisation take the whole pool; the other organisation's member is refused.
#[test]
fn attack_one_organisation_takes_the_whole_pool() {
    let chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        max_transactions: 12,
        max_per_account: 4,
        ..PoolConfig::default()
    });
    let regulator: Vec<_> = ["alice", "bob", "charlie"]
        .iter()
        .flat_map(|name| (0..4).map(|n| chain.tx(name, n, n as u32)))
        .collect();
    all_ok(pool.submit(regulator, chain.backend()));
    let results = pool.submit(vec![chain.tx("dave", 0, 1)], chain.backend());
    assert!(
        matches!(results[0], Err(PoolError::Full { .. })),
        "{results:?}"
    );
}

/// Forged signatures on real member keys: every one is verified (no cap), under the lock the node holds, so
/// another thread's `ready()` waits for the whole batch.
#[test]
fn attack_forged_batch_is_verified_in_full_under_the_lock() {
    let chain = Chain::local();
    let forged_txs: Vec<_> = (0..64)
        .map(|n| forged(&chain.tx(["alice", "bob"][n % 2], (n / 2) as u64, n as u32)))
        .collect();
    let (started_tx, started) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let mut pool = chain.pool();
    pool.verify_hook = VerifyHook::new(move || {
        let _ = started_tx.send(());
        // Pause the first batch until the test lets it go (or long enough to prove the point).
        let _ = released
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(10));
    });
    let pool = Arc::new(Mutex::new(pool));
    let backend = chain.backend();
    let submitter = {
        let pool = pool.clone();
        std::thread::spawn(move || pool.lock().unwrap().submit(forged_txs, backend))
    };
    started
        .recv_timeout(Duration::from_secs(10))
        .expect("verification started");
    let (done_tx, done) = mpsc::channel();
    let reader = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let ready = pool.lock().unwrap().ready(10, usize::MAX);
            let _ = done_tx.send(ready.len());
        })
    };
    // The attack: ready() cannot complete while the batch is being verified.
    assert!(
        done.recv_timeout(Duration::from_millis(500)).is_err(),
        "ready() completed during verification"
    );
    // Let every batch run.
    for _ in 0..1_000 {
        let _ = release.send(());
    }
    let results = submitter.join().unwrap();
    reader.join().unwrap();
    let bad = results
        .iter()
        .filter(|r| matches!(r, Err(PoolError::Invalid(InvalidTransaction::BadSignature))))
        .count();
    assert_eq!(bad, 64, "every forged signature was verified: {results:?}");
}
