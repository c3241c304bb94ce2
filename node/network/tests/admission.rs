//! Who may join the gossip network: only admitted peer ids (allowed peers, bootnodes, current validators — the
//! set follows validator-set changes), and only nodes of the same genesis.

mod common;

use common::{config, peer, start, Chain, TIMEOUT};
use yima_chain_spec::dev_keys::dev_account;
use yima_chain_spec::presets;
use yima_network::{NetworkEvent, Refusal};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_not_admitted_is_refused_and_validator_changes_refresh_the_list() {
    let chain = Chain::of(&presets::local());
    // Alice admits nobody by name: only the validator bob.
    let mut alice_config = config(&chain, "alice", &[], &[]);
    alice_config.validators = vec![dev_account("bob")];
    let mut alice = start(&chain, alice_config).await;
    let alice_id = alice.id();

    let bob = start(&chain, config(&chain, "bob", &["alice"], &[alice.addr()])).await;
    alice.wait_connected(bob.id()).await;
    let role = alice
        .net
        .handle()
        .peers()
        .into_iter()
        .find(|p| p.peer_id == bob.id().to_string())
        .map(|p| p.role);
    assert_eq!(role, Some(yima_network::PeerRole::Validator));
    assert_eq!(alice.net.handle().peer_count(), 1);

    // Charlie is neither allowed nor a validator: refused when the connection is established.
    let mut charlie = start(
        &chain,
        config(&chain, "charlie", &["alice"], &[alice.addr()]),
    )
    .await;
    let charlie_id = charlie.id();
    alice
        .wait("alice refuses charlie", |e| {
            matches!(e, NetworkEvent::PeerRefused { peer, reason: Refusal::NotAllowed } if *peer == charlie_id)
        })
        .await;
    assert!(!alice.net.handle().is_connected(&charlie_id));
    assert!(!charlie.net.handle().is_connected(&alice_id));

    // The validator set becomes {charlie}: bob is dropped, charlie (still dialling) gets in.
    alice
        .net
        .handle()
        .set_validators(vec![dev_account("charlie")]);
    let bob_id = bob.id();
    alice
        .wait(
            "alice drops bob",
            |e| matches!(e, NetworkEvent::PeerDisconnected { peer } if *peer == bob_id),
        )
        .await;
    alice.wait_connected(charlie_id).await;
    charlie.wait_connected(alice_id).await;
    assert!(!alice.net.handle().is_connected(&bob_id));
    assert_eq!(peer("charlie"), charlie_id);

    for node in [alice, bob, charlie] {
        node.net.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_of_another_genesis_is_refused_on_both_sides() {
    let local = Chain::of(&presets::local());
    let dev = Chain::of(&presets::dev());
    assert_ne!(local.genesis, dev.genesis);
    // Each admits the other's peer id: only the genesis tells them apart.
    let mut alice = start(&local, config(&local, "alice", &["bob"], &[])).await;
    let mut bob = start(&dev, config(&dev, "bob", &["alice"], &[alice.addr()])).await;
    let (alice_id, bob_id) = (alice.id(), bob.id());

    // Whichever side reads the other's identify first refuses it and closes the connection; the other may then
    // never learn the remote genesis, so the refusal is awaited on either side — and neither side may ever take
    // the other as a gossip peer.
    let (dev_genesis, local_genesis) = (dev.genesis, local.genesis);
    let refused = tokio::time::timeout(TIMEOUT, async {
        loop {
            tokio::select! {
                event = alice.events.recv() => match event.expect("alice's network runs") {
                    NetworkEvent::PeerRefused { peer, reason: Refusal::OtherGenesis(g) }
                        if peer == bob_id => return ("alice", g),
                    NetworkEvent::PeerConnected { peer, .. } if peer == bob_id => {
                        panic!("alice took bob, of another chain, as a peer")
                    }
                    _ => {}
                },
                event = bob.events.recv() => match event.expect("bob's network runs") {
                    NetworkEvent::PeerRefused { peer, reason: Refusal::OtherGenesis(g) }
                        if peer == alice_id => return ("bob", g),
                    NetworkEvent::PeerConnected { peer, .. } if peer == alice_id => {
                        panic!("bob took alice, of another chain, as a peer")
                    }
                    _ => {}
                },
            }
        }
    })
    .await
    .expect("neither node refused the other's genesis in time");
    match refused {
        ("alice", g) => assert_eq!(g, dev_genesis, "alice names bob's genesis"),
        (_, g) => assert_eq!(g, local_genesis, "bob names alice's genesis"),
    }
    // Neither ever identified the other as a peer of its chain.
    assert!(!alice.net.handle().is_connected(&bob_id));
    assert!(!bob.net.handle().is_connected(&alice_id));
    assert_eq!(alice.net.handle().peer_count(), 0);

    for node in [alice, bob] {
        node.net.stop().await;
    }
}
