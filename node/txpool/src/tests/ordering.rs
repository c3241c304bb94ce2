//! Ordering: nonce order per account, first come first served across accounts, limits of `ready`.

use std::collections::HashMap;
use std::sync::LazyLock;

use parity_scale_codec::Encode;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use yima_frame::Hash;

use super::*;

/// Checks `ready` against the specification, given each admitted transaction's arrival rank: per account exactly
/// the contiguous nonces from `first_nonce`, in nonce order; at each step the transaction taken is the earliest
/// arrival among the accounts' next ready transactions.
fn assert_ready_order(
    ready: &[SignedTransaction],
    pooled: &HashMap<(AccountId, u64), u64>,
    first_nonce: &HashMap<AccountId, u64>,
) {
    // The ready chain of each account, by the specification.
    let mut heads: HashMap<AccountId, u64> = HashMap::new();
    let mut expected_len = 0;
    for &(id, _) in pooled.keys() {
        let start = first_nonce.get(&id).copied().unwrap_or(0);
        heads.insert(id, start);
    }
    let chain_end = |id: AccountId, start: u64| {
        let mut n = start;
        while pooled.contains_key(&(id, n)) {
            n += 1;
        }
        n
    };
    let ends: HashMap<AccountId, u64> = heads
        .iter()
        .map(|(&id, &start)| (id, chain_end(id, start)))
        .collect();
    for (id, start) in &heads {
        expected_len += ends[id] - start;
    }
    assert_eq!(
        ready.len() as u64,
        expected_len,
        "every ready transaction, once"
    );
    for tx in ready {
        let head = heads[&tx.signer];
        assert_eq!(tx.nonce, head, "nonce order within the account");
        let arrival = pooled[&(tx.signer, tx.nonce)];
        for (&other, &n) in &heads {
            if other != tx.signer && n < ends[&other] {
                assert!(
                    arrival < pooled[&(other, n)],
                    "an earlier arrival of another account was ready"
                );
            }
        }
        *heads.get_mut(&tx.signer).unwrap() += 1;
    }
}

#[test]
fn ready_interleaves_accounts_by_arrival_and_keeps_nonce_order() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let alice1 = chain.tx("alice", 1, 1);
    let bob0 = chain.tx("bob", 0, 1);
    let alice0 = chain.tx("alice", 0, 1);
    let charlie0 = chain.tx("charlie", 0, 1);
    for tx in [&alice1, &bob0, &alice0, &charlie0] {
        all_ok(pool.submit(vec![tx.clone()], chain.backend()));
    }
    // bob0 came before alice's chain could start (alice0); alice1 came first of all, so it follows alice0 at once.
    assert_eq!(
        pool.ready(10, usize::MAX),
        vec![bob0, alice0, alice1, charlie0]
    );
}

#[test]
fn random_submission_order_gives_nonce_order_and_fifo_across_accounts() {
    let chain = Chain::local();
    let mut rng = StdRng::seed_from_u64(7);
    let mut all: Vec<(usize, u64)> = (0..4).flat_map(|a| (0..10).map(move |n| (a, n))).collect();
    all.shuffle(&mut rng);
    let mut pool = chain.pool();
    let mut pooled = HashMap::new();
    for (rank, &(a, n)) in all.iter().enumerate() {
        let tx = chain.tx(MEMBERS[a], n, 0);
        all_ok(pool.submit(vec![tx.clone()], chain.backend()));
        pooled.insert((tx.signer, n), rank as u64);
        assert_consistent(&pool);
    }
    assert_eq!(pool.ready_len(), 40);
    let ready = pool.ready(usize::MAX, usize::MAX);
    assert_ready_order(&ready, &pooled, &HashMap::new());
    // The same through one batch per account-shuffled chunk.
    let mut pool = chain.pool();
    for chunk in all.chunks(7) {
        let txs = chunk
            .iter()
            .map(|&(a, n)| chain.tx(MEMBERS[a], n, 0))
            .collect();
        all_ok(pool.submit(txs, chain.backend()));
    }
    assert_ready_order(
        &pool.ready(usize::MAX, usize::MAX),
        &pooled,
        &HashMap::new(),
    );
}

#[test]
fn ready_stops_at_the_count_and_skips_what_does_not_fit() {
    let chain = Chain::local();
    let mut pool = chain.pool();
    let small = |name: &str, n| chain.tx(name, n, 1);
    let big = chain.big_tx("alice", 0, 1_000);
    let alice1 = small("alice", 1);
    let bob0 = small("bob", 0);
    let bob1 = small("bob", 1);
    all_ok(pool.submit(
        vec![big.clone(), alice1.clone(), bob0.clone(), bob1.clone()],
        chain.backend(),
    ));
    assert!(big.encoded_size() > bob0.encoded_size() + bob1.encoded_size());
    assert_eq!(pool.ready(2, usize::MAX), vec![big.clone(), alice1.clone()]);
    // Room for two small ones but not the big one: alice's chain is skipped whole, bob's fits.
    let room = bob0.encoded_size() + bob1.encoded_size();
    assert_eq!(pool.ready(10, room), vec![bob0.clone(), bob1.clone()]);
    assert_eq!(pool.ready(0, usize::MAX), vec![]);
    assert_eq!(pool.ready(10, usize::MAX), vec![big, alice1, bob0, bob1]);
}

/// Transactions signed once for all proptest cases: `SIGNED[account][nonce]`.
static LOCAL: LazyLock<Chain> = LazyLock::new(Chain::local);
static SIGNED: LazyLock<Vec<Vec<SignedTransaction>>> = LazyLock::new(|| {
    MEMBERS
        .iter()
        .map(|name| (0..8).map(|n| LOCAL.tx(name, n, 0)).collect())
        .collect()
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever subset of nonces of four accounts arrives, in whatever order and batches, `ready` holds exactly
    /// each account's contiguous chain from its state nonce, in nonce order, accounts interleaved by arrival;
    /// committing a block of a ready prefix keeps that true for what is left.
    #[test]
    fn ready_order_invariant(
        picks in proptest::collection::vec((0usize..4, 0u64..8), 0..40),
        batch in 1usize..9,
        take in 0usize..12,
    ) {
        let chain = &*LOCAL;
        let mut pool = chain.pool();
        let mut pooled: HashMap<(AccountId, u64), u64> = HashMap::new();
        let mut rank = 0u64;
        for chunk in picks.chunks(batch) {
            let txs: Vec<SignedTransaction> =
                chunk.iter().map(|&(a, n)| SIGNED[a][n as usize].clone()).collect();
            let results = pool.submit(txs.clone(), chain.backend());
            for (tx, result) in txs.iter().zip(&results) {
                match result {
                    Ok(hash) => {
                        prop_assert_eq!(*hash, tx.hash());
                        pooled.insert((tx.signer, tx.nonce), rank);
                    }
                    Err(crate::PoolError::AlreadyKnown) => {
                        prop_assert!(pooled.contains_key(&(tx.signer, tx.nonce)));
                    }
                    Err(e) => prop_assert!(false, "unexpected refusal {e}"),
                }
                rank += 1;
            }
            assert_consistent(&pool);
        }
        let ready = pool.ready(usize::MAX, usize::MAX);
        prop_assert_eq!(ready.len(), pool.ready_len());
        assert_ready_order(&ready, &pooled, &HashMap::new());

        // A block of the first `take` ready transactions, executed on a copy of the chain.
        let mut node = Chain::local();
        let included: Vec<SignedTransaction> = ready.into_iter().take(take).collect();
        let built = node.build(included.clone(), &|tx| pool.is_verified(tx));
        prop_assert!(built.rejected.is_empty());
        node.commit(&built);
        let outcome = pool.on_block_committed(&built.block, node.backend());
        prop_assert_eq!(outcome.included.len(), included.len());
        prop_assert!(outcome.dropped.is_empty());
        assert_consistent(&pool);
        let mut first_nonce: HashMap<AccountId, u64> = HashMap::new();
        for tx in &included {
            pooled.remove(&(tx.signer, tx.nonce));
            first_nonce.insert(tx.signer, tx.nonce + 1);
        }
        assert_ready_order(&pool.ready(usize::MAX, usize::MAX), &pooled, &first_nonce);
        let left: Vec<Hash> = pooled.keys().map(|&(id, n)| {
            let a = MEMBERS.iter().position(|m| account(m) == id).unwrap();
            SIGNED[a][n as usize].hash()
        }).collect();
        prop_assert_eq!(pool.len(), left.len());
        prop_assert!(left.iter().all(|h| pool.contains(h)));
    }
}
