//! Real network partitions of a 4-validator Testnet (issue 14's fault campaign).
//!
//! Every node runs in its own Linux network namespace, joined to the others by a veth pair into a bridge the test
//! makes ([`yima_tests::testnet::Netns`]; needs root — without it each test fails naming what is missing). The
//! nodes see the faults only through their sockets:
//!
//! - **Splits** (2/2 and 3/1) replace each side's ARP entry for the other with a hardware address no port has.
//!   Frames still leave the node and cross the bridge, and the kernels they reach discard them: a dial's SYN goes
//!   unanswered and times out, an established TCP connection loses its segments and stalls, retransmitting with
//!   back-off, until the heal. That is a partition as a switch or a cut cable makes it, not an error the node is
//!   told about (a `blackhole` route, the other candidate, makes the kernel refuse a local send at once with
//!   EINVAL, which spares the node the stalls). The test process still reaches every node's RPC.
//! - **Flapping** pulls one node's cable: the bridge end of its veth goes down and up again every 2.5 s for 20 s.
//!
//! Asserted: while split 2/2 neither half finalizes (no quorum of 3 on either side) and no fork appears; after the
//! heal every node finalizes its next height within 10 s (the figure is printed); cut off alone, one validator
//! stalls while the other three go on, and catches up after the heal; through a flapping link the chain keeps one
//! history and the flapping node ends level. "One history": all four nodes agree block by block
//! ([`Testnet::assert_one_chain`]) up to the lowest of their heads.
//!
//! Waits follow finalized heads under a deadline; the only sleeps are the flapping schedule's. The tests take turns
//! (one 4-node network at a time on a 2-core machine).

use std::time::{Duration, Instant};

use yima_tests::testnet::{next_head, subscribe_finalized, Netns, Testnet};

/// One Testnet at a time within this binary.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long a split is held.
const SPLIT: Duration = Duration::from_secs(10);

/// The longest a healed network may take to finalize again (issue 14's goal).
const RESUME: Duration = Duration::from_secs(10);

const ALL: [usize; 4] = [0, 1, 2, 3];

/// Four validators, each in its own namespace, all past height 2.
async fn four_in_namespaces() -> Testnet {
    let net = Testnet::builder(4)
        .network_namespaces()
        .start()
        .await
        .expect(
            "4 validators start in network namespaces (the partition tests need root and iproute2)",
        );
    for i in ALL {
        net.wait_for_height(i, 2, net.timeout())
            .await
            .expect("the network finalizes before the fault");
    }
    net
}

fn netns(net: &Testnet) -> &Netns {
    net.netns().expect("built with network_namespaces")
}

/// Each node's finalized head.
async fn heads(net: &Testnet, nodes: &[usize]) -> Vec<u64> {
    let mut out = Vec::new();
    for &i in nodes {
        out.push(
            net.rpc(i)
                .finalized_head()
                .await
                .expect("finalized head")
                .number,
        );
    }
    out
}

/// Follows the finalized heads of `nodes` for `window`; returns the highest each reached.
async fn highest_during(net: &Testnet, nodes: &[usize], window: Duration) -> Vec<u64> {
    let mut tasks = tokio::task::JoinSet::new();
    for (k, &i) in nodes.iter().enumerate() {
        let rpc = net.rpc(i).clone();
        tasks.spawn(async move {
            let ws = rpc.ws().await.expect("WebSocket");
            let mut sub = subscribe_finalized(&ws).await.expect("subscribed");
            let mut highest = rpc.finalized_head().await.expect("head").number;
            let end = tokio::time::Instant::now() + window;
            while let Ok(head) = tokio::time::timeout_at(end, next_head(&mut sub)).await {
                highest = highest.max(head.expect("the subscription stays open").number);
            }
            (k, highest)
        });
    }
    let mut out = vec![0; nodes.len()];
    while let Some(done) = tasks.join_next().await {
        let (k, highest) = done.expect("watcher");
        out[k] = highest;
    }
    out
}

/// Subscribes to every node's finalized heads, runs `heal`, and returns how long after it each node finalized
/// a height above the one it held when healed (`None`: not within `bound`).
async fn resume_after(
    net: &Testnet,
    nodes: &[usize],
    bound: Duration,
    heal: impl FnOnce(),
) -> Vec<Option<Duration>> {
    let mut subs = Vec::new();
    for &i in nodes {
        let ws = net.rpc(i).ws().await.expect("WebSocket");
        let sub = subscribe_finalized(&ws).await.expect("subscribed");
        subs.push((ws, sub));
    }
    let before = heads(net, nodes).await;
    heal();
    let healed = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (k, ((ws, mut sub), held)) in subs.into_iter().zip(before).enumerate() {
        tasks.spawn(async move {
            let _ws = ws;
            let next = async {
                loop {
                    if next_head(&mut sub).await.expect("subscription").number > held {
                        return healed.elapsed();
                    }
                }
            };
            (k, tokio::time::timeout(bound, next).await.ok())
        });
    }
    let mut out = vec![None; nodes.len()];
    while let Some(done) = tasks.join_next().await {
        let (k, took) = done.expect("watcher");
        out[k] = took;
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2_2_split_finalizes_nothing_forks_nothing_and_resumes_within_10_s_of_the_heal() {
    let _turn = TURN.lock().await;
    let net = four_in_namespaces().await;
    let ns = netns(&net);

    ns.split(&[&[0, 1], &[2, 3]]).expect("split 2/2");
    let at_cut = *heads(&net, &ALL).await.iter().max().expect("4 heads");
    let highest = highest_during(&net, &ALL, SPLIT).await;
    // A height whose votes were already on the wire may still complete; nothing after it can.
    for (i, h) in highest.iter().enumerate() {
        assert!(
            *h <= at_cut + 1,
            "node {i} finalized height {h} while split 2/2 (heads were at most {at_cut} at the cut)"
        );
    }

    let took = resume_after(&net, &ALL, net.timeout(), || ns.heal().expect("heal")).await;
    println!("2/2 split for {SPLIT:?}: next height finalized after the heal in {took:?}");
    for (i, t) in took.iter().enumerate() {
        let t = t.unwrap_or_else(|| panic!("node {i} finalized nothing after the heal"));
        assert!(
            t <= RESUME,
            "node {i} took {t:?} after the heal to finalize again (goal: {RESUME:?})"
        );
    }

    // No fork: the four agree on every height, those finalized before, during and after the split.
    let common = net.assert_one_chain(&ALL).await.expect("one chain");
    assert!(
        common > at_cut,
        "all four are past the split ({common} > {at_cut})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_cut_off_alone_stalls_while_the_three_go_on_and_catches_up_after_the_heal() {
    let _turn = TURN.lock().await;
    let net = four_in_namespaces().await;
    let ns = netns(&net);
    let t = net.timeout();
    const THREE: [usize; 3] = [0, 1, 2];
    const ALONE: usize = 3;

    ns.split(&[&THREE, &[ALONE]]).expect("split 3/1");
    let alone_at_cut = heads(&net, &[ALONE]).await[0];
    let three_at_cut = net.lowest_head(&THREE).await.expect("heads");
    // The three keep finalizing: five more heights each.
    for i in THREE {
        net.wait_for_height(i, three_at_cut + 5, t)
            .await
            .expect("the three finalize without the fourth");
    }
    let alone = heads(&net, &[ALONE]).await[0];
    assert!(
        alone <= alone_at_cut + 1,
        "the validator cut off alone finalized {alone} (it was at {alone_at_cut} at the cut)"
    );

    ns.heal().expect("heal");
    let healed = Instant::now();
    let target = *heads(&net, &THREE).await.iter().max().expect("3 heads");
    net.wait_for_height(ALONE, target, t)
        .await
        .expect("the validator cut off catches up after the heal");
    println!(
        "3/1 split: the lone validator was {} heights behind and caught up {:?} after the heal",
        target - alone,
        healed.elapsed()
    );
    // And goes on with the others, on one chain.
    for i in ALL {
        net.wait_for_height(i, target + 2, t)
            .await
            .expect("all four finalize after the heal");
    }
    net.assert_one_chain(&ALL).await.expect("one chain");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_link_leaves_one_history_and_the_flapping_node_level() {
    let _turn = TURN.lock().await;
    let net = four_in_namespaces().await;
    let ns = netns(&net);
    let t = net.timeout();
    const STEADY: [usize; 3] = [0, 1, 2];
    const FLAPPING: usize = 3;

    let before = net.lowest_head(&STEADY).await.expect("heads");
    // Down 2.5 s, up 2.5 s, four times: the flapping schedule is the one place the test sleeps.
    let half = Duration::from_millis(2_500);
    for _ in 0..4 {
        ns.link_down(FLAPPING).expect("link down");
        tokio::time::sleep(half).await;
        ns.link_up(FLAPPING).expect("link up");
        tokio::time::sleep(half).await;
    }
    let after = net.lowest_head(&STEADY).await.expect("heads");
    assert!(
        after >= before + 5,
        "the three steady validators finalized only {} heights in 20 s of flapping",
        after - before
    );

    let target = *heads(&net, &STEADY).await.iter().max().expect("3 heads");
    let level = Instant::now();
    net.wait_for_height(FLAPPING, target, t)
        .await
        .expect("the flapping node ends level with the others");
    println!(
        "flapping link: the steady three finalized {} heights in 20 s; the flapping node was level {:?} after the \
         last flap",
        after - before,
        level.elapsed()
    );
    for i in ALL {
        net.wait_for_height(i, target + 2, t)
            .await
            .expect("all four go on");
    }
    net.assert_one_chain(&ALL).await.expect("one history");
}
