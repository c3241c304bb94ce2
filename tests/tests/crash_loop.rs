//! Crash loop under load (issue 14's fault campaign): four validators finalize a steady stream of signed custody
//! events while a validator chosen at random is killed with `kill -9` and restarted every
//! `YIMA_CRASH_LOOP_EVERY_SECS` (default 20), for `YIMA_CRASH_LOOP_SECS` (default 30 in CI; 300 by hand:
//! `YIMA_CRASH_LOOP_SECS=300 cargo test -p yima-tests --test crash_loop -- --nocapture`).
//!
//! A watcher follows finalized heads on whichever node is up and records every block it sees finalized (number,
//! hash, transactions); the client resubmits what is not finalized after a few seconds to another node, as a
//! real client would (a transaction in the pool of a killed node is gone; a finalized one must not be). After
//! the run: every block the watcher saw is in every node's store under the same hash (nothing reverted, nothing
//! lost), all stores agree block by block, and no transaction was finalized twice.
//!
//! Waits follow finalized heads or the client's pace; no sleeps stand in for a condition.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use yima_tests::testnet::{next_head, subscribe_finalized, NodeRpc, Testnet};
use yima_tests::workload::{capture, commission, item, register_product, Signer, MANUFACTURER};

fn env_secs(name: &str, default: u64) -> Duration {
    Duration::from_secs(
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
    )
}

/// What the watcher saw finalized: block number → (hash, transaction hashes).
type Seen = Arc<Mutex<BTreeMap<u64, (String, Vec<String>)>>>;

/// Follows finalized heads on any node that is up, from block `from`, recording every block until `stop`.
async fn watch(
    rpcs: Vec<NodeRpc>,
    from: u64,
    seen: Seen,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut next = from;
    let mut k = 0usize;
    while !*stop.borrow() {
        k += 1;
        let rpc = &rpcs[k % rpcs.len()];
        let Ok(ws) = rpc.ws().await else { continue };
        let Ok(mut heads) = subscribe_finalized(&ws).await else {
            continue;
        };
        loop {
            // Catch up to this node's head block by block, then wait for its next one.
            let Ok(head) = rpc.finalized_head().await else {
                break;
            };
            while next <= head.number {
                match rpc.block_within_rate_limit(next).await {
                    Ok(Some(b)) => {
                        seen.lock()
                            .unwrap()
                            .insert(next, (b.header.hash.clone(), b.transaction_hashes.clone()));
                        next += 1;
                    }
                    _ => break,
                }
            }
            if *stop.borrow() {
                return;
            }
            if next_head(&mut heads).await.is_err() {
                break; // the node went down: follow another
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validators_killed_again_and_again_under_load_lose_and_fork_nothing() {
    let duration = env_secs("YIMA_CRASH_LOOP_SECS", 30);
    let every = env_secs("YIMA_CRASH_LOOP_EVERY_SECS", 20);
    let mut net = Testnet::start(4).await.expect("4 validators start");
    let t = net.timeout();
    for i in 0..4 {
        net.wait_for_height(i, 2, t)
            .await
            .expect("every validator finalizes");
    }
    let rpcs: Vec<NodeRpc> = (0..4).map(|i| net.rpc(i).clone()).collect();
    let genesis = net.genesis_hash();

    let seen: Seen = Arc::default();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let watcher = tokio::spawn(watch(rpcs.clone(), 1, seen.clone(), stop_rx.clone()));

    // The client: 10 signed custody events a second, each resubmitted to another node until finalized.
    let client = {
        let (rpcs, seen, stop) = (rpcs.clone(), seen.clone(), stop_rx.clone());
        tokio::spawn(async move {
            let mut signer = Signer::dev(MANUFACTURER, 0);
            // Unfinalized transactions: hex, and when last submitted.
            let mut open: HashMap<String, (String, Option<Instant>)> = HashMap::new();
            let mut pace = tokio::time::interval(Duration::from_millis(100));
            let mut n = 0u64;
            let mut submitted = 0u64;
            while !*stop.borrow() {
                pace.tick().await;
                let call = if n == 0 {
                    register_product()
                } else {
                    capture(vec![commission(item(&format!("CL{n}")))])
                };
                let tx = signer.sign(&genesis, call);
                n += 1;
                let hex = yima_tests::testnet::tx_hex(&tx);
                let hash = tx.hash().to_string();
                open.insert(hash, (hex, None));
                // Forget what is finalized; (re)submit what is not, each time to another node.
                let finalized: HashSet<String> = seen
                    .lock()
                    .unwrap()
                    .values()
                    .flat_map(|(_, txs)| txs.iter().cloned())
                    .collect();
                open.retain(|h, _| !finalized.contains(h));
                for (hex, sent) in open.values_mut() {
                    if sent.is_none_or(|at| at.elapsed() >= Duration::from_secs(3)) {
                        let rpc = &rpcs[(submitted % rpcs.len() as u64) as usize];
                        submitted += 1;
                        let _ = rpc
                            .call::<String>(
                                "author_submitTransaction",
                                jsonrpsee::rpc_params![hex.clone()],
                            )
                            .await;
                        *sent = Some(Instant::now());
                    }
                }
            }
            n
        })
    };

    // The killer: a random validator, every `every`, from 5 s on.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        | 1;
    println!("crash loop: {duration:?}, a kill every {every:?}, seed {seed}");
    let mut rng = seed;
    let start = Instant::now();
    let mut kills = Vec::new();
    let mut next_kill = Duration::from_secs(5);
    while next_kill < duration {
        // Wait for the next kill on the chain's own clock: a finalized block on a node that is up.
        while start.elapsed() < next_kill {
            let up = (0..4)
                .find(|i| net.node(*i).is_started())
                .expect("a node is up");
            let h = net.rpc(up).finalized_head().await.expect("head").number;
            net.wait_for_height(up, h + 1, t)
                .await
                .expect("the chain goes on");
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let victim = (rng % 4) as usize;
        net.kill9(victim);
        kills.push(victim);
        net.restart(victim)
            .await
            .expect("the killed validator restarts");
        next_kill += every;
    }
    while start.elapsed() < duration {
        let h = net.rpc(0).finalized_head().await.expect("head").number;
        net.wait_for_height(0, h + 1, t)
            .await
            .expect("the chain goes on");
    }
    stop_tx.send(true).expect("the client and watcher listen");
    let sent = client.await.expect("the client ends");

    // Settle: every node reaches a common height, and the watcher has recorded up to it.
    let mut top = 0;
    for i in 0..4 {
        top = top.max(net.rpc(i).finalized_head().await.expect("head").number);
    }
    let target = top + 1;
    for i in 0..4 {
        net.wait_for_height(i, target, t)
            .await
            .expect("every node catches up");
    }
    let _ = watcher.await;
    let seen = seen.lock().unwrap().clone();
    let hashes = net
        .assert_same_chain(&[0, 1, 2, 3], target)
        .await
        .expect("all stores agree block by block");

    let mut finalized = HashSet::new();
    for (number, (hash, txs)) in &seen {
        if *number > target {
            continue;
        }
        assert_eq!(
            &hashes[*number as usize], hash,
            "block {number} the client saw finalized is another block now"
        );
        for tx in txs {
            assert!(
                finalized.insert(tx.clone()),
                "transaction {tx} finalized twice"
            );
        }
    }
    for i in 0..4 {
        for number in seen.keys().filter(|n| **n <= target) {
            let block = net
                .rpc(i)
                .block_within_rate_limit(*number)
                .await
                .expect("block")
                .expect("stored");
            assert_eq!(
                block.transaction_hashes, seen[number].1,
                "node {i}, block {number}"
            );
        }
    }
    println!(
        "crash loop: {} kills ({kills:?}), {sent} transactions signed, {} finalized in {} blocks",
        kills.len(),
        finalized.len(),
        target
    );
    assert!(
        !kills.is_empty(),
        "the run killed no validator: make it longer"
    );
    assert!(
        finalized.len() > 10,
        "too little was finalized to say anything"
    );
}
