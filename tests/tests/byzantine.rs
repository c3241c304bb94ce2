//! A lying validator in a live 4-validator Testnet (issue 14's fault campaign): dave runs a node built with the
//! `byzantine` feature (the Testnet's debug build has it) and started with `--byzantine`, so Malachite's Byzantine
//! proxy signs a second, conflicting vote for each of his votes and a second proposal for each of his proposals.
//!
//! The three honest validators are more than two thirds: they must keep one chain with dave, keep finalizing
//! (a transaction too), and keep every equivocation they saw as evidence — served by `chain_getEvidence` and
//! checked here against the genesis with `Equivocation::verify`, without trusting the node that served it.
//!
//! A validator whose clock is 30 s ahead (`--clock-offset-ms`, same build) has every proposal refused by the
//! honest validators' drift check (15 s) — none of the finalized blocks is his — and the chain goes on; one 30 s
//! behind proposes blocks timestamped just after their parents, and the chain goes on too.
//!
//! A validator whose blocks lie (`{"block": …}` in the same file: a wrong state root, a wrong events root, parts
//! withheld, a transaction whose signature does not verify, or one transaction over `max_transactions`) has none
//! of them finalized, and the chain goes on.
//!
//! Waits follow finalized heads under the Testnet's timeout; no sleeps. The tests take turns (one network at a
//! time on a 2-core machine).

use jsonrpsee::rpc_params;
use parity_scale_codec::Decode;
use yima_chain_spec::dev_keys;
use yima_consensus::evidence::Equivocation;
use yima_frame::{Role as AccountRole, Roles};
use yima_node::rpc::evidence::EvidenceJson;
use yima_runtime::RuntimeCall;
use yima_tests::testnet::Testnet;
use yima_tests::workload::Signer;

/// One Testnet at a time within this binary.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const HONEST: [usize; 3] = [0, 1, 2];
const DAVE: usize = 3;

/// Dave equivocates on every vote and every proposal.
const LIES: &str =
    r#"{"equivocate_votes": {"mode": "always"}, "equivocate_proposals": {"mode": "always"}}"#;

/// Four validators, dave lying as `lies` (the `--byzantine` JSON) says.
async fn with_dave_lying(lies: &str) -> Testnet {
    let file = std::env::temp_dir().join(format!("yima-byzantine-{}.json", std::process::id()));
    std::fs::write(&file, lies).expect("written");
    let net = Testnet::builder(4)
        .own_args(DAVE, &["--byzantine".into(), file.display().to_string()])
        .start()
        .await
        .expect("4 validators start, one of them lying");
    // The node has read it at start (the Testnet waits for every node's RPC).
    let _ = std::fs::remove_file(&file);
    net
}

/// The nodes agree block by block up to the lowest of their heads (`what` names the case on failure).
async fn one_chain(net: &Testnet, nodes: &[usize], what: &str) {
    net.assert_one_chain(nodes)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

/// The equivocations node `i` serves, decoded from their SCALE records.
async fn evidence(net: &Testnet, i: usize) -> Vec<Equivocation> {
    let json: Vec<EvidenceJson> = net
        .rpc(i)
        .call("chain_getEvidence", rpc_params![])
        .await
        .expect("chain_getEvidence answers");
    json.iter()
        .map(|e| {
            let bytes = hex::decode(e.record.trim_start_matches("0x")).expect("hex");
            Equivocation::decode(&mut &bytes[..]).expect("a record")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_equivocating_validator_forks_nothing_stops_nothing_and_is_kept_as_evidence() {
    let _turn = TURN.lock().await;
    let net = with_dave_lying(LIES).await;
    let t = net.timeout();
    for i in HONEST {
        net.wait_for_height(i, 4, t)
            .await
            .expect("the honest validators finalize");
    }

    // A transaction still goes through.
    let before = net.rpc(1).finalized_head().await.expect("head").number;
    let tx = Signer::dev("alice", 0).sign(
        &net.genesis_hash(),
        RuntimeCall::Membership(yima_membership::Call::AddAccount {
            account: dev_keys::dev_account("during-the-lies"),
            roles: Roles::of(&[AccountRole::Operator]),
        }),
    );
    let hash = net.rpc(1).submit(&tx).await.expect("admitted");
    net.wait_finalized(2, &hash, before, t)
        .await
        .expect("finalized beside a lying validator");

    // Evidence of dave's lies reaches an honest node's store, one finalized block at a time.
    let dave = dev_keys::dev_account("dave");
    let genesis = net.genesis_hash();
    let mut height = net.lowest_head(&HONEST).await.expect("finalized heads");
    let kept = loop {
        let kept: Vec<Equivocation> = evidence(&net, 0)
            .await
            .into_iter()
            .filter(|e| e.validator == dave)
            .collect();
        if !kept.is_empty() {
            break kept;
        }
        height += 1;
        net.wait_for_height(0, height, t)
            .await
            .expect("no evidence of dave's equivocation before the timeout");
    };
    for e in &kept {
        assert_eq!(
            e.verify(&genesis),
            Ok(()),
            "evidence against dave proves itself: {e:?}"
        );
    }
    for i in HONEST {
        assert!(
            evidence(&net, i).await.iter().all(|e| e.validator == dave),
            "node {i} accuses no honest validator"
        );
    }

    // One chain: the honest nodes and dave agree on every block up to a common height.
    one_chain(&net, &[0, 1, 2, 3], "no fork").await;
    let more = net.lowest_head(&HONEST).await.expect("finalized heads") + 2;
    for i in HONEST {
        net.wait_for_height(i, more, t)
            .await
            .expect("the honest validators keep finalizing");
    }
}

/// Four validators, dave's clock `offset_ms` off; the honest ones finalize up to `height`. Returns the network
/// and the proposers of blocks 1..=height.
async fn with_dave_skewed(offset_ms: i64, height: u64) -> (Testnet, Vec<String>) {
    let net = Testnet::builder(4)
        .own_args(DAVE, &["--clock-offset-ms".into(), offset_ms.to_string()])
        .start()
        .await
        .expect("4 validators start, one with a skewed clock");
    let t = net.timeout();
    for i in HONEST {
        net.wait_for_height(i, height, t)
            .await
            .expect("the chain goes on");
    }
    let mut proposers = Vec::new();
    let mut last = 0;
    for n in 1..=height {
        let header = net.rpc(0).header(n).await.expect("header").expect("stored");
        assert!(
            header.timestamp > last,
            "block {n}'s timestamp does not increase"
        );
        last = header.timestamp;
        proposers.push(header.proposer);
    }
    (net, proposers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_30_s_ahead_has_its_proposals_refused_and_the_chain_goes_on() {
    let _turn = TURN.lock().await;
    let (net, proposers) = with_dave_skewed(30_000, 10).await;
    let dave = dev_keys::dev_account("dave").to_string();
    assert!(
        !proposers.contains(&dave),
        "a block timestamped 30 s ahead was finalized: {proposers:?}"
    );
    one_chain(&net, &[0, 1, 2, 3], "dave follows the one chain").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_30_s_behind_keeps_the_chain_going() {
    let _turn = TURN.lock().await;
    let (net, _) = with_dave_skewed(-30_000, 10).await;
    one_chain(&net, &[0, 1, 2, 3], "one chain").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_with_wrong_roots_withheld_parts_bad_signatures_or_too_many_transactions_or_bytes_are_refused(
) {
    let _turn = TURN.lock().await;
    let dave = dev_keys::dev_account("dave").to_string();
    for lie in [
        "bad_state_root",
        "bad_events_root",
        "withhold_parts",
        "bad_signature",
        "too_many_transactions",
        "too_many_bytes",
    ] {
        let net = with_dave_lying(&format!(r#"{{"block": "{lie}"}}"#)).await;
        let t = net.timeout();
        for i in HONEST {
            net.wait_for_height(i, 8, t)
                .await
                .expect("the chain goes on");
        }
        for n in 1..=8 {
            let header = net.rpc(0).header(n).await.expect("header").expect("stored");
            assert_ne!(
                header.proposer, dave,
                "{lie}: dave's block {n} was finalized"
            );
        }
        one_chain(&net, &HONEST, lie).await;
    }
}
