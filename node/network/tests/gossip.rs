//! Transaction gossip between real swarms on 127.0.0.1, each in front of a real pool: published transactions reach
//! other pools (also through a relaying node), bad gossip is rejected, not forwarded, and gets its sender banned.

mod common;

use common::{config, encode, start, Chain};
use yima_chain_spec::presets;
use yima_network::NetworkEvent;

const ALL: [&str; 3] = ["alice", "bob", "charlie"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_batch_reaches_a_peer_pool_and_is_relayed_to_the_next() {
    let chain = Chain::of(&presets::local());
    // A line: alice — bob — charlie. Charlie hears alice only through bob.
    let mut bob = start(&chain, config(&chain, "bob", &ALL, &[])).await;
    let mut alice = start(&chain, config(&chain, "alice", &ALL, &[bob.addr()])).await;
    let mut charlie = start(&chain, config(&chain, "charlie", &ALL, &[bob.addr()])).await;
    alice.wait_subscribed(bob.id()).await;
    charlie.wait_connected(bob.id()).await;
    bob.wait_connected(alice.id()).await;
    bob.wait_connected(charlie.id()).await;
    assert!(!alice.net.handle().is_connected(&charlie.id()));

    let txs: Vec<_> = (0..5).map(|n| chain.tx("alice", n, n as u32)).collect();
    alice.net.handle().publish(encode(&txs));
    let seen = alice
        .wait("alice publishes", |e| {
            matches!(e, NetworkEvent::Published { .. })
        })
        .await;
    assert!(
        seen.contains(&NetworkEvent::Published { transactions: 5 }),
        "one batch of five: {seen:?}"
    );

    let alice_id = alice.id();
    bob.wait(
        "bob imports alice's batch",
        |e| matches!(e, NetworkEvent::Imported { from, admitted: 5 } if *from == alice_id),
    )
    .await;
    assert!(txs.iter().all(|t| bob.sink.contains(t)));

    let bob_id = bob.id();
    charlie
        .wait(
            "charlie imports the batch bob forwarded",
            |e| matches!(e, NetworkEvent::Imported { from, admitted: 5 } if *from == bob_id),
        )
        .await;
    assert!(txs.iter().all(|t| charlie.sink.contains(t)));
    // Bob relays through gossipsub only: he published nothing of his own.
    assert_eq!(alice.sink.len(), 0, "alice's pool is the test's business");

    // Re-gossip of the same transactions is a fresh message, and known transactions cost no admission.
    alice.net.handle().publish(encode(&txs));
    bob.wait(
        "bob imports the re-gossip",
        |e| matches!(e, NetworkEvent::Imported { from, admitted: 0 } if *from == alice_id),
    )
    .await;
    assert_eq!(bob.sink.len(), 5);

    for node in [alice, bob, charlie] {
        node.net.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_gossip_is_rejected_not_forwarded_and_its_sender_banned() {
    let chain = Chain::of(&presets::local());
    let mut bob_config = config(&chain, "bob", &ALL, &[]);
    bob_config.strikes_before_ban = 2;
    let mut bob = start(&chain, bob_config).await;
    let mut alice = start(&chain, config(&chain, "alice", &ALL, &[bob.addr()])).await;
    let mut charlie = start(&chain, config(&chain, "charlie", &ALL, &[bob.addr()])).await;
    alice.wait_subscribed(bob.id()).await;
    charlie.wait_connected(bob.id()).await;
    bob.wait_connected(charlie.id()).await;
    let alice_id = alice.id();

    // A forged signature next to a good transaction: the whole message is rejected, nothing is admitted.
    let good = chain.tx("alice", 0, 1);
    let mut forged = chain.tx("alice", 1, 2);
    forged.signature[0] ^= 1;
    alice
        .net
        .handle()
        .publish(encode(&[good.clone(), forged.clone()]));
    let seen = bob
        .wait(
            "bob rejects the forged batch",
            |e| matches!(e, NetworkEvent::Rejected { from, .. } if *from == alice_id),
        )
        .await;
    let reason = seen
        .iter()
        .find_map(|e| match e {
            NetworkEvent::Rejected { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .unwrap();
    assert!(reason.contains("bad signature"), "{reason}");
    assert!(!bob.sink.contains(&forged));

    // Then a good message: charlie gets it through bob, and never saw the rejected one (same link, earlier).
    let next = chain.tx("bob", 0, 3);
    alice
        .net
        .handle()
        .publish(encode(std::slice::from_ref(&next)));
    let bob_id = bob.id();
    let seen = charlie
        .wait(
            "charlie imports the good batch",
            |e| matches!(e, NetworkEvent::Imported { from, admitted: 1 } if *from == bob_id),
        )
        .await;
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, NetworkEvent::Rejected { .. })),
        "bob forwarded a rejected message: {seen:?}"
    );
    assert!(charlie.sink.contains(&next) && !charlie.sink.contains(&forged));

    // Garbage that is not even a batch: the second strike bans alice.
    alice.net.handle().publish(vec![vec![0xff; 7]]);
    bob.wait(
        "bob bans alice",
        |e| matches!(e, NetworkEvent::PeerBanned { peer } if *peer == alice_id),
    )
    .await;
    alice
        .wait(
            "alice is disconnected",
            |e| matches!(e, NetworkEvent::PeerDisconnected { peer } if *peer == bob_id),
        )
        .await;
    // Alice keeps dialling bob (her bootnode); bob refuses her while the ban lasts.
    bob.wait(
        "bob refuses banned alice",
        |e| matches!(e, NetworkEvent::PeerRefused { peer, .. } if *peer == alice_id),
    )
    .await;
    assert!(!bob.net.handle().is_connected(&alice_id));

    for node in [alice, bob, charlie] {
        node.net.stop().await;
    }
}
