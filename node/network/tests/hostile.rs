//! Issue 12's gossip attacks between real swarms: transactions a pool would never admit — a non-member's, an
//! expired one, one over the chain's size limit — sent by a peer. First written asserting the attack worked
//! (commit "issue 12 attacks on the pool and gossip"); now asserting it is refused.

mod common;

use common::{config, encode, start, Chain};
use yima_chain_spec::presets;
use yima_membership::{Action, Call as MembershipCall, OrgKind, Uscc};
use yima_network::{NetworkEvent, Refusal};
use yima_runtime::RuntimeCall;

const ALL: [&str; 3] = ["alice", "bob", "charlie"];

/// Bob rejects the three messages, striking alice for each, and forwards none of them to charlie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unadmittable_gossip_is_not_forwarded_and_earns_strikes() {
    let chain = Chain::of(&presets::local());
    let mut bob_config = config(&chain, "bob", &ALL, &[]);
    bob_config.strikes_before_ban = 10;
    let mut bob = start(&chain, bob_config).await;
    let mut alice = start(&chain, config(&chain, "alice", &ALL, &[bob.addr()])).await;
    let mut charlie = start(&chain, config(&chain, "charlie", &ALL, &[bob.addr()])).await;
    alice.wait_subscribed(bob.id()).await;
    charlie.wait_connected(bob.id()).await;
    bob.wait_connected(charlie.id()).await;
    let (alice_id, bob_id) = (alice.id(), bob.id());

    let non_member = chain.tx_signed_by("eve");
    let expired = chain.sign(
        "alice",
        0,
        0,
        RuntimeCall::Membership(MembershipCall::Approve { id: 1 }),
    );
    let oversize = chain.sign(
        "alice",
        0,
        100,
        RuntimeCall::Membership(MembershipCall::Propose {
            action: Action::AdmitOrganisation {
                name: vec![b'x'; 300 * 1024],
                kind: OrgKind::Manufacturer,
                uscc: Uscc::parse("91330100MA2Y00303G").unwrap(),
                admin: yima_chain_spec::dev_keys::dev_account("eve"),
                prefixes: vec![],
            },
        }),
    );
    for tx in [&non_member, &expired, &oversize] {
        alice.net.handle().publish(encode(std::slice::from_ref(tx)));
        alice
            .wait("alice publishes", |e| {
                matches!(e, NetworkEvent::Published { .. })
            })
            .await;
    }
    // A good transaction last: once charlie has it, whatever bob forwarded before it has arrived too.
    let marker = chain.tx("bob", 0, 9);
    alice
        .net
        .handle()
        .publish(encode(std::slice::from_ref(&marker)));
    let seen_by_bob = bob
        .wait(
            "bob imports the marker",
            |e| matches!(e, NetworkEvent::Imported { from, admitted: 1 } if *from == alice_id),
        )
        .await;
    let seen = charlie
        .wait(
            "charlie imports the marker",
            |e| matches!(e, NetworkEvent::Imported { from, admitted: 1 } if *from == bob_id),
        )
        .await;
    let forwarded = seen
        .iter()
        .filter(|e| matches!(e, NetworkEvent::Imported { from, admitted: 0 } if *from == bob_id))
        .count();
    assert_eq!(forwarded, 0, "bob forwarded nothing of it: {seen:?}");
    let strikes = seen_by_bob
        .iter()
        .filter(|e| matches!(e, NetworkEvent::Rejected { from, .. } if *from == alice_id))
        .count();
    assert_eq!(strikes, 3, "one strike per message: {seen_by_bob:?}");
    for tx in [&non_member, &expired, &oversize] {
        assert!(!bob.sink.contains(tx) && !charlie.sink.contains(tx));
    }

    for node in [alice, bob, charlie] {
        node.net.stop().await;
    }
}

/// Past `max_established` connections, the next peer is refused however admitted it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_limit_are_refused() {
    let chain = Chain::of(&presets::local());
    let mut bob_config = config(&chain, "bob", &ALL, &[]);
    bob_config.max_established = 1;
    let mut bob = start(&chain, bob_config).await;
    let alice = start(&chain, config(&chain, "alice", &ALL, &[bob.addr()])).await;
    bob.wait_connected(alice.id()).await;
    let charlie = start(&chain, config(&chain, "charlie", &ALL, &[bob.addr()])).await;
    let charlie_id = charlie.id();
    bob.wait(
        "bob refuses charlie at the limit",
        |e| {
            matches!(e, NetworkEvent::PeerRefused { peer, reason: Refusal::ConnectionLimit } if *peer == charlie_id)
        },
    )
    .await;
    assert!(bob.net.handle().is_connected(&alice.id()));
    assert!(!bob.net.handle().is_connected(&charlie_id));

    for node in [alice, bob, charlie] {
        node.net.stop().await;
    }
}

/// A fault found outside transaction gossip (a hostile consensus proposal stream, reported by the node through
/// `NetworkHandle::strike`) counts like a rejected message: at the limit the peer is banned and disconnected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strikes_from_consensus_ban_the_peer_at_the_limit() {
    let chain = Chain::of(&presets::local());
    let mut bob_config = config(&chain, "bob", &ALL, &[]);
    bob_config.strikes_before_ban = 2;
    let mut bob = start(&chain, bob_config).await;
    let alice = start(&chain, config(&chain, "alice", &ALL, &[bob.addr()])).await;
    let alice_id = alice.id();
    bob.wait_connected(alice_id).await;
    bob.net.handle().strike(
        alice_id,
        "proposal stream: parts past the publisher's quota",
    );
    let seen = bob
        .wait(
            "bob counts the first strike",
            |e| matches!(e, NetworkEvent::Rejected { from, .. } if *from == alice_id),
        )
        .await;
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, NetworkEvent::PeerBanned { .. })),
        "one strike of two bans nobody: {seen:?}"
    );
    bob.net.handle().strike(
        alice_id,
        "proposal stream: an Init not signed by the proposer",
    );
    let seen = bob
        .wait(
            "bob bans alice at the second strike",
            |e| matches!(e, NetworkEvent::PeerBanned { peer } if *peer == alice_id),
        )
        .await;
    if !seen
        .iter()
        .any(|e| matches!(e, NetworkEvent::PeerDisconnected { peer, .. } if *peer == alice_id))
    {
        bob.wait(
            "alice is disconnected",
            |e| matches!(e, NetworkEvent::PeerDisconnected { peer, .. } if *peer == alice_id),
        )
        .await;
    }
    assert!(!bob.net.handle().is_connected(&alice_id));

    for node in [alice, bob] {
        node.net.stop().await;
    }
}
