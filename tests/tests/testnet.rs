//! Real `yima-node` processes on 127.0.0.1 (debug build, child processes, temporary base paths): four validators
//! finalize and agree on every block; a transaction sent to any node is finalized; a validator killed with
//! `kill -9` and restarted catches up, loses nothing and votes again, while the other three keep finalizing; a
//! fifth, non-validator full node syncs from genesis; a node of another genesis and a node not on the allow-list
//! cannot join.
//!
//! Every wait follows the `chain_subscribeFinalizedHeads` subscription under a timeout. The tests take turns
//! (one network at a time on a 2-core machine); a failing test prints every node's log tail and keeps the
//! Testnet's directory.

use jsonrpsee::rpc_params;
use yima_chain_spec::{dev_keys, presets};
use yima_frame::{Role as AccountRole, Roles};
use yima_runtime::RuntimeCall;
use yima_tests::testnet::{ExtraNode, Role, Testnet};
use yima_tests::workload::Signer;

/// One Testnet at a time within this binary (each test has its own runtime; tokio's mutex works across them).
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `admin` (an Admin of its organisation in the `local` preset) adds `new_member` as an Operator.
fn add_member(
    net: &Testnet,
    admin: &str,
    nonce: u64,
    new_member: &str,
) -> yima_runtime::SignedTransaction {
    Signer::dev(admin, nonce).sign(
        &net.genesis_hash(),
        RuntimeCall::Membership(yima_membership::Call::AddAccount {
            account: dev_keys::dev_account(new_member),
            roles: Roles::of(&[AccountRole::Operator]),
        }),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_validators_agree_on_every_block_and_finalize_a_transaction_sent_to_any_node() {
    let _turn = TURN.lock().await;
    let net = Testnet::start(4).await.expect("4 validators start");
    let t = net.timeout();
    for i in 0..4 {
        net.wait_for_height(i, 2, t)
            .await
            .expect("every validator finalizes");
    }

    // One transaction to each node, each signed by a different admin of the `local` preset.
    let admins = ["alice", "bob", "charlie", "dave"];
    let mut sent = Vec::new();
    for (i, admin) in admins.iter().enumerate() {
        let before = net.rpc(i).finalized_head().await.expect("head").number;
        let tx = add_member(&net, admin, 0, &format!("member-{i}"));
        let hash = net.rpc(i).submit(&tx).await.expect("the pool admits it");
        assert_eq!(hash, tx.hash().to_string());
        sent.push((i, hash, before));
    }
    let mut included = Vec::new();
    for (i, hash, before) in &sent {
        // Seen finalized by another node than the one it was sent to.
        let other = (i + 1) % 4;
        let block = net
            .wait_finalized(other, hash, *before, t)
            .await
            .expect("a transaction sent to any node is finalized");
        included.push(block);
    }

    let top = included.iter().max().copied().unwrap_or(0) + 1;
    for i in 0..4 {
        net.wait_for_height(i, top, t).await.expect("reach the top");
    }
    let hashes = net
        .assert_same_chain(&[0, 1, 2, 3], top)
        .await
        .expect("every validator holds the same blocks");
    assert_eq!(hashes[0], net.genesis_hash().to_string());
    // Blocks link up: each header's parent is the block before.
    for n in 1..=top {
        let header = net.rpc(2).header(n).await.expect("header").expect("stored");
        assert_eq!(header.parent_hash, hashes[n as usize - 1], "block {n}");
        let cert: Option<String> = net
            .rpc(3)
            .call("chain_getCertificate", rpc_params![n])
            .await
            .expect("certificate");
        assert!(
            cert.is_some_and(|c| c.len() > 2),
            "block {n} has a certificate"
        );
    }
    for ((i, hash, _), block) in sent.iter().zip(&included) {
        for node in 0..4 {
            let b = net
                .rpc(node)
                .block(*block)
                .await
                .expect("block")
                .expect("stored");
            assert!(
                b.transaction_hashes.contains(hash),
                "node {node}: the transaction sent to node {i} is in block {block}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_killed_with_sigkill_catches_up_loses_nothing_and_votes_again() {
    let _turn = TURN.lock().await;
    let mut net = Testnet::start(4).await.expect("4 validators start");
    let t = net.timeout();
    for i in 0..4 {
        net.wait_for_height(i, 3, t)
            .await
            .expect("every validator finalizes");
    }

    // Kill dave (node 3) mid-flight and remember what it had finalized.
    let old_head = net.rpc(3).finalized_head().await.expect("head");
    let old_hashes = net
        .rpc(3)
        .block_hashes(old_head.number)
        .await
        .expect("hashes");
    net.kill9(3);

    // One of four down: the other three still finalize, including a transaction.
    let h = net.lowest_head(&[0, 1, 2]).await.expect("finalized heads");
    for i in 0..3 {
        net.wait_for_height(i, h + 3, t)
            .await
            .expect("three of four validators keep finalizing");
    }
    let tx = add_member(&net, "alice", 0, "member-during-outage");
    let before = net.rpc(0).finalized_head().await.expect("head").number;
    let hash = net.rpc(0).submit(&tx).await.expect("admitted");
    let included = net
        .wait_finalized(1, &hash, before, t)
        .await
        .expect("finalized with one validator down");

    // Restarted on the same base path: it keeps what it had and catches up past the outage.
    net.restart(3).await.expect("restart");
    let resumed = net.rpc(3).finalized_head().await.expect("head");
    assert!(
        resumed.number >= old_head.number,
        "restarted at {} below its head {} before kill -9",
        resumed.number,
        old_head.number
    );
    let target = net.lowest_head(&[0, 1, 2]).await.expect("finalized heads") + 1;
    net.wait_for_height(3, target, t)
        .await
        .expect("the restarted validator catches up");
    let hashes = net
        .assert_same_chain(&[0, 1, 2, 3], target)
        .await
        .expect("one chain");
    assert_eq!(
        &hashes[..old_hashes.len()],
        &old_hashes[..],
        "kill -9 lost or changed finalized blocks"
    );
    let block = net
        .rpc(3)
        .block(included)
        .await
        .expect("block")
        .expect("synced");
    assert!(block.transaction_hashes.contains(&hash));

    // It votes again: with another validator down, three including it must still finalize.
    net.kill9(1);
    let h = net.lowest_head(&[0, 2, 3]).await.expect("finalized heads");
    for i in [0, 2, 3] {
        net.wait_for_height(i, h + 2, t)
            .await
            .expect("the restarted validator is one of the three that finalize");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fifth_non_validator_full_node_syncs_from_genesis() {
    let _turn = TURN.lock().await;
    let mut net = Testnet::builder(4)
        .extra_node(ExtraNode::full_node("full-0").deferred())
        .start()
        .await
        .expect("4 validators start");
    let t = net.timeout();
    net.wait_for_height(0, 5, t)
        .await
        .expect("the validators finalize");

    net.start_node(4).await.expect("the full node starts");
    let target = net
        .lowest_head(&[0, 1, 2, 3])
        .await
        .expect("finalized heads")
        + 1;
    net.wait_for_height(4, target, t)
        .await
        .expect("the full node syncs to the validators' head");
    net.assert_same_chain(&[0, 4], target)
        .await
        .expect("the same blocks as the validators");
    // It keeps following.
    net.wait_for_height(4, target + 2, t)
        .await
        .expect("the full node follows new blocks");
}

/// The peer ids in a node's `system_peers` answer (whatever its shape: every string that is a peer id).
async fn peers_of(net: &Testnet, i: usize) -> String {
    let peers: serde_json::Value = net
        .rpc(i)
        .call("system_peers", rpc_params![])
        .await
        .expect("system_peers");
    peers.to_string()
}

/// Starts 4 validators and `outsider`, lets the validators finalize 4 blocks after the outsider is up, and
/// checks the outsider joined nothing: no block finalized, no validator lists it as a peer (while they list
/// each other).
async fn assert_cannot_join(outsider: ExtraNode) {
    let net = Testnet::builder(4)
        .extra_node(outsider)
        .start()
        .await
        .expect("the network and the outsider start");
    let t = net.timeout();
    let h = net.rpc(0).finalized_head().await.expect("head").number;
    net.wait_for_height(0, h + 4, t)
        .await
        .expect("the validators finalize regardless of the outsider");
    let outsider_head = net.rpc(4).finalized_head().await.expect("outsider head");
    assert_eq!(
        outsider_head.number, 0,
        "the outsider finalized block {} of the network",
        outsider_head.number
    );
    let outsider_id = &net.identity(4).peer_id;
    for i in 0..4 {
        let peers = peers_of(&net, i).await;
        let neighbour = &net.identity((i + 1) % 4).peer_id;
        assert!(
            peers.contains(neighbour.as_str()),
            "node {i} lists its allowed neighbour: {peers}"
        );
        assert!(
            !peers.contains(outsider_id.as_str()),
            "node {i} admitted the outsider {outsider_id}: {peers}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_another_genesis_is_refused() {
    let _turn = TURN.lock().await;
    // On the allow-list, same validators, but genesis one millisecond later: another chain.
    let mut other = presets::local();
    other.genesis.timestamp += 1;
    assert_ne!(
        other.genesis_hash().unwrap(),
        presets::local().genesis_hash().unwrap()
    );
    assert_cannot_join(ExtraNode {
        name: "eve".into(),
        role: Role::Validator,
        allowed: true,
        spec: Some(other),
        start: true,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_not_on_the_allow_list_cannot_join() {
    let _turn = TURN.lock().await;
    // The right chain spec and the validators as boot nodes, but its peer id is not on the allow-list.
    assert_cannot_join(ExtraNode {
        name: "mallory".into(),
        role: Role::Validator,
        allowed: false,
        spec: None,
        start: true,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proof_event_verifies_against_the_certificate_and_the_validator_set() {
    use yima_consensus::proof::{EventProof, TrustAnchor};
    use yima_node::rpc::proof::EventProofJson;
    use yima_runtime::RuntimeEvent;

    let _turn = TURN.lock().await;
    let net = Testnet::start(4).await.expect("4 validators start");
    let t = net.timeout();
    let tx = add_member(&net, "dave", 0, "audited-member");
    let hash = net.rpc(1).submit(&tx).await.expect("admitted");
    let block = net.wait_finalized(1, &hash, 0, t).await.expect("finalized");
    let header = net
        .wait_for_height(2, block, t)
        .await
        .expect("node 2 has it");

    // The auditor trusts only the chain spec: genesis hash and the first validator set come from it.
    let (genesis, _) = net.spec().genesis_in_memory().expect("genesis");
    let anchor = TrustAnchor::from_genesis(&genesis.header);
    let first: EventProofJson = net
        .rpc(2)
        .call("proof_event", rpc_params![block, 0u32])
        .await
        .expect("proof_event");
    let mut successes = 0;
    for index in 0..first.leaves {
        let answer: EventProofJson = net
            .rpc(2)
            .call("proof_event", rpc_params![block, index])
            .await
            .expect("proof_event");
        let bytes = hex::decode(answer.bundle.trim_start_matches("0x")).expect("hex bundle");
        let proof = EventProof::from_bytes(&bytes).expect("a proof bundle");
        let verified = proof.verify(&anchor).expect("the proof verifies offline");
        assert_eq!(verified.block_hash.to_string(), header.hash);
        assert_eq!((verified.at.block, verified.at.index), (block, index));
        assert!(
            3 * verified.certificate.signed_power > 2 * verified.certificate.total_power,
            "signed by more than two thirds: {:?}",
            verified.certificate
        );
        assert_eq!(verified.certificate.total_power, 4);
        if matches!(
            verified.record.event,
            RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess)
        ) {
            successes += 1;
        }

        // A forged event does not verify.
        let mut forged = proof.clone();
        if let Some(last) = forged.record.last_mut() {
            *last ^= 1;
        }
        assert!(forged.verify(&anchor).is_err(), "a changed event verified");
        // Nor does the proof against another chain.
        let other = TrustAnchor {
            genesis_hash: yima_frame::Hash::default(),
            ..anchor
        };
        assert!(
            proof.verify(&other).is_err(),
            "verified against another genesis"
        );
    }
    assert!(successes >= 1, "the block's transaction succeeded");
}
