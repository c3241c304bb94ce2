//! The penalties for transactions that ran out of weight (`penalties.rs`), and the screen that refuses a flood
//! of gapped nonces before its signatures.

use std::sync::{Arc, Mutex};

use super::*;
use crate::{PoolError, SharedPool};

/// alice's transaction ran out of weight: she is refused for the cooldown, her pooled transactions are gone,
/// and her organisation's other accounts (bob) wait while another organisation's (dave) are ready.
#[test]
fn an_account_whose_transaction_ran_out_of_weight_cools_down_and_its_organisation_waits() {
    let mut chain = Chain::local();
    let mut pool = chain.pool_with(PoolConfig {
        exhaustion_cooldown_blocks: 3,
        ..PoolConfig::default()
    });
    let alice_next = chain.tx("alice", 1, 1);
    let bob = chain.tx("bob", 0, 1);
    let dave = chain.tx("dave", 0, 1);
    all_ok(pool.submit(
        vec![
            chain.tx("alice", 0, 1),
            alice_next.clone(),
            bob.clone(),
            dave.clone(),
        ],
        chain.backend(),
    ));
    // alice's nonce-0 transaction is included and runs out of weight.
    let block = chain.produce(vec![chain.tx("alice", 0, 1)]);
    pool.on_block_committed(&block.block, chain.backend());
    let at = block.block.header.number;
    assert_eq!(
        pool.on_weight_exhausted(&[account("alice")], chain.backend()),
        vec![alice_next.hash()]
    );
    assert_eq!(pool.cooling_down(&account("alice")), Some((at, at + 3)));
    let again = chain.tx("alice", 1, 2);
    assert_eq!(
        pool.submit(vec![again.clone()], chain.backend()),
        vec![Err(PoolError::CoolingDown { at, until: at + 3 })]
    );
    assert_eq!(pool.ready(10, usize::MAX), vec![dave.clone()], "bob waits");
    // dave's is included: nothing else is ready, so bob's goes in, one a block.
    let block = chain.produce(vec![dave]);
    pool.on_block_committed(&block.block, chain.backend());
    let bob_next = chain.tx("bob", 1, 2);
    all_ok(pool.submit(vec![bob_next], chain.backend()));
    assert_eq!(pool.ready(10, usize::MAX), vec![bob]);
    // The cooldown ends: alice is taken again and her organisation no longer waits.
    for _ in 0..2 {
        let block = chain.produce(vec![]);
        pool.on_block_committed(&block.block, chain.backend());
    }
    assert_eq!(pool.cooling_down(&account("alice")), None);
    assert_eq!(
        pool.submit(vec![again.clone()], chain.backend()),
        vec![Ok(again.hash())]
    );
    let dave_next = chain.tx("dave", 1, 2);
    all_ok(pool.submit(vec![dave_next.clone()], chain.backend()));
    assert_eq!(
        pool.ready(10, usize::MAX).len(),
        4,
        "bob's two, alice's, dave's"
    );
    assert_consistent(&pool);
}

/// Once an organisation's futures reach their bound, more gapped nonces are refused after a state read and
/// before any signature is verified; a ready transaction of the same organisation still gets in.
#[test]
fn gapped_nonces_past_the_organisations_future_bound_cost_no_signature_check() {
    let chain = Chain::local();
    let mut pool = SharedPool::new(
        PoolConfig {
            max_futures_per_organisation: 4,
            ..PoolConfig::default()
        },
        chain.exec,
    );
    let batches = Arc::new(Mutex::new(0usize));
    let counted = batches.clone();
    pool.set_verify_hook(VerifyHook::new(move || *counted.lock().unwrap() += 1));
    let futures: Vec<_> = (2..6).map(|n| chain.tx("alice", n, n as u32)).collect();
    all_ok(pool.submit(futures, chain.backend()));
    let verified_before = *batches.lock().unwrap();
    let flood: Vec<_> = ["alice", "bob", "charlie"]
        .iter()
        .flat_map(|name| (10..40).map(|n| chain.tx(name, n, n as u32)))
        .collect();
    let results = pool.submit(flood, chain.backend());
    assert!(results
        .iter()
        .all(|r| *r == Err(PoolError::FutureLimit { limit: 4 })));
    assert_eq!(
        *batches.lock().unwrap(),
        verified_before,
        "refused before their signatures"
    );
    let ready = chain.tx("bob", 0, 1);
    assert_eq!(
        pool.submit(vec![ready.clone()], chain.backend()),
        vec![Ok(ready.hash())]
    );
    // A batch's own chain of nonces is ready, not a future: the bound does not refuse it.
    let chained: Vec<_> = (1..8).map(|n| chain.tx("bob", n, n as u32)).collect();
    all_ok(pool.submit(chained, chain.backend()));
    assert_consistent(&pool.lock());
}
