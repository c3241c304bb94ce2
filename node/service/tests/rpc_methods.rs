//! Every RPC method over a real [`NodeHost`] on a temporary RocksDB store of the `demo` chain, called in-process
//! through the server's own method table (`RpcModule::call`, the same dispatch the HTTP/WS server runs). Blocks
//! are built from the pool by the host, certified with the demo validator's (alice's) consensus key and
//! committed — what consensus does, without the network.
//!
//! The story: a lot of two packs (a 2–8 °C product) in a case, shipped by the manufacturer to the CDC inside its band,
//! received, then shipped on outside its band (an excursion alert); a duplicate product registration and the
//! manufacturer shipping the case it no longer holds are refused (refusal alerts naming the organisation and the
//! codes).

mod rpc_support;

use std::time::Duration;

use jsonrpsee::core::server::MethodsError;
use jsonrpsee::rpc_params;
use parity_scale_codec::Encode;
use rpc_support::*;
use yima_chain_spec::dev_keys;
use yima_codes::TraceCode;
use yima_consensus::proof::{EventProof, TrustAnchor};
use yima_frame::state::{verify_state_proof, StateProof};
use yima_frame::storage::StorageMap;
use yima_node::rpc::alerts::AlertJson;
use yima_node::rpc::proof::EventProofJson;
use yima_node::rpc::state::StateValue;
use yima_node::rpc::trace_json::{RecallJson, TraceJson};
use yima_node::rpc::{
    BlockJson, HeaderJson, Health, PendingPool, Rpc, BAD_PARAMS, INVALID_TX, NOT_ON_CHAIN,
    UNSAFE_METHOD,
};

#[tokio::test]
async fn trace_history_reads_every_scanned_form_and_names_bad_input() {
    let chain = story().await;
    let trace: TraceJson = chain
        .rpc
        .call("trace_history", rpc_params![format!("  {}\r\n", pack(1))])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(trace.code, pack(1).to_string());
    assert_eq!(trace.height, 3);
    let steps: Vec<(u64, &str, &str)> = trace
        .hops
        .iter()
        .map(|h| (h.at.block, h.event.biz_step.as_str(), h.subject.as_str()))
        .collect();
    let (p, c) = (pack(1).to_string(), case().to_string());
    assert_eq!(
        steps,
        vec![
            (2, "commissioning", p.as_str()),
            (2, "packing", p.as_str()),
            (2, "shipping", c.as_str()),
            (3, "receiving", c.as_str()),
        ]
    );
    let shipping = &trace.hops[2];
    assert_eq!(shipping.org, org("manufacturer"));
    assert_eq!(shipping.event.destination, Some(org("cdc")));
    assert_eq!(shipping.event.sensors[0].unit, "CEL");
    assert_eq!(
        (shipping.event.sensors[0].min, shipping.event.sensors[0].max),
        (410, 580)
    );
    assert_eq!(trace.containers.len(), 1);
    assert_eq!(trace.containers[0].container, c);
    assert!(trace.containers[0].unpacked.is_none());
    let now = trace.current.expect("custody now");
    assert_eq!((now.holder, now.status.as_str()), (org("cdc"), "active"));
    assert_eq!(now.root, c);
    assert!(!now.excursion);
    assert_eq!(now.lot.expect("its lot").lot, "202601A");

    // The case, as bare digits, a Digital Link URI and a bracketed element string: one answer.
    let digits = match case() {
        TraceCode::Sscc(s) => s.as_str().to_owned(),
        _ => unreachable!(),
    };
    for form in [
        digits.clone(),
        format!("https://id.example.com/00/{digits}"),
        format!("(00){digits}"),
    ] {
        let t: TraceJson = chain
            .rpc
            .call("trace_history", rpc_params![form])
            .await
            .unwrap();
        assert_eq!(t.code, c);
        assert_eq!(t.downstream.len(), 2, "the two packs inside");
    }

    // A valid code the chain never saw; a malformed one; a product without serial.
    let (code, msg) = chain
        .error("trace_history", rpc_params![pack(99).to_string()])
        .await;
    assert_eq!(code, NOT_ON_CHAIN);
    assert!(msg.contains("is not on this chain"), "{msg}");
    let wrong_check = format!(
        "{}{}",
        &digits[..17],
        (digits.as_bytes()[17] - b'0' + 1) % 10
    );
    let (code, msg) = chain.error("trace_history", rpc_params![wrong_check]).await;
    assert_eq!(code, BAD_PARAMS);
    assert!(msg.contains("check digit"), "{msg}");
    let (code, msg) = chain
        .error("trace_history", rpc_params!["/01/09521234543213"])
        .await;
    assert_eq!(code, BAD_PARAMS);
    assert!(msg.to_lowercase().contains("serial"), "{msg}");
}

#[tokio::test]
async fn trace_recall_by_lot_or_code() {
    let chain = story().await;
    let recall: RecallJson = chain
        .rpc
        .call("trace_recall", rpc_params!["8612345/202601A"])
        .await
        .unwrap();
    assert_eq!(recall.lot.as_ref().map(|l| l.lot.as_str()), Some("202601A"));
    let codes: Vec<&str> = recall.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec![pack(1).to_string(), pack(2).to_string()]);
    assert!(recall
        .rows
        .iter()
        .all(|r| r.custody.holder == org("cdc") && r.custody.status == "active"));
    assert_eq!(recall.holders.len(), 1);
    assert_eq!(
        (recall.holders[0].org, recall.holders[0].quantity),
        (org("cdc"), 2)
    );

    let by_case: RecallJson = chain
        .rpc
        .call("trace_recall", rpc_params![case().to_string()])
        .await
        .unwrap();
    assert_eq!(by_case.rows.len(), 3, "the case and both packs");

    let (code, msg) = chain
        .error("trace_recall", rpc_params!["8612345/OTHERLOT"])
        .await;
    assert_eq!(code, NOT_ON_CHAIN);
    assert!(
        msg.contains("8612345/OTHERLOT is not on this chain"),
        "{msg}"
    );
    let (code, _) = chain
        .error("trace_recall", rpc_params!["8612345/bad lot!"])
        .await;
    assert_eq!(code, BAD_PARAMS);
}

#[tokio::test]
async fn state_get_proves_values_and_absence_at_any_height() {
    let chain = story().await;
    let key = yima_trace::Codes::storage_key(&case());
    let key_hex = format!("0x{}", hex::encode(&key));
    let head: HeaderJson = chain
        .rpc
        .call("chain_getFinalizedHead", rpc_params![])
        .await
        .unwrap();

    let check = |v: &StateValue| {
        let proof: StateProof =
            borsh::from_slice(&hex::decode(&v.proof[2..]).unwrap()).expect("a borsh JMT proof");
        let mut root = yima_frame::Hash::default();
        hex::decode_to_slice(&v.state_root[2..], &mut root.0).expect("a hash");
        let value = v.value.as_ref().map(|x| hex::decode(&x[2..]).unwrap());
        verify_state_proof(root, &key, value.as_deref(), &proof).expect("the proof verifies");
        // The same proof does not prove another value.
        assert!(verify_state_proof(root, &key, Some(b"forged"), &proof).is_err());
        (root, value)
    };

    let now: StateValue = chain
        .rpc
        .call("state_get", rpc_params![&key_hex])
        .await
        .unwrap();
    assert_eq!(now.height, 3);
    assert_eq!(now.state_root, head.state_root);
    let (_, value) = check(&now);
    let stored: yima_trace::types::CodeState =
        parity_scale_codec::Decode::decode(&mut &value.expect("present")[..]).unwrap();
    assert_eq!(stored.custodian, org("cdc"));

    // Before its commissioning (block 1) the case is absent, and that is proven too.
    let before: StateValue = chain
        .rpc
        .call("state_get", rpc_params![&key_hex, 1u64])
        .await
        .unwrap();
    assert_eq!(before.height, 1);
    assert_eq!(check(&before).1, None);
    let header1: HeaderJson = chain
        .rpc
        .call("chain_getHeader", rpc_params![1u64])
        .await
        .unwrap();
    assert_eq!(before.state_root, header1.state_root);

    let (code, _) = chain.error("state_get", rpc_params!["0xzz"]).await;
    assert_eq!(code, BAD_PARAMS);
    let (code, _) = chain.error("state_get", rpc_params!["0x"]).await;
    assert_eq!(code, BAD_PARAMS);
    let (code, msg) = chain.error("state_get", rpc_params![&key_hex, 99u64]).await;
    assert_eq!(code, NOT_ON_CHAIN);
    assert!(msg.contains("finalized head is 3"), "{msg}");
}

#[tokio::test]
async fn proof_event_verifies_offline_for_every_hop() {
    let chain = story().await;
    let anchor = TrustAnchor::from_genesis(&chain.genesis);
    let trace: TraceJson = chain
        .rpc
        .call("trace_history", rpc_params![pack(2).to_string()])
        .await
        .unwrap();
    for hop in &trace.hops {
        let json: EventProofJson = chain
            .rpc
            .call("proof_event", rpc_params![hop.at.block, hop.at.index])
            .await
            .unwrap();
        let proof = EventProof::from_bytes(&hex::decode(&json.bundle[2..]).unwrap()).unwrap();
        let verified = proof.verify(&anchor).expect("a hop's proof verifies");
        assert_eq!(
            (verified.at.block, verified.at.index),
            (hop.at.block, hop.at.index)
        );
        assert_eq!(json.certified.header.number, hop.at.block);
        match verified.record.event {
            yima_runtime::RuntimeEvent::Trace(yima_trace::Event::Captured { org, .. }) => {
                assert_eq!(org, hop.org)
            }
            other => panic!("not a custody event: {other:?}"),
        }
        // Tampered in transit: refused.
        let mut bad = proof.clone();
        bad.block.header.timestamp += 1;
        assert!(bad.verify(&anchor).is_err());
    }

    let (code, msg) = chain.error("proof_event", rpc_params![2u64, 99u32]).await;
    assert_eq!(code, NOT_ON_CHAIN);
    assert!(msg.contains("there is no event 99"), "{msg}");
    let (code, _) = chain.error("proof_event", rpc_params![0u64, 0u32]).await;
    assert_eq!(code, NOT_ON_CHAIN);
    let (code, _) = chain.error("proof_event", rpc_params![50u64, 0u32]).await;
    assert_eq!(code, NOT_ON_CHAIN);
    let (code, _) = chain.error("proof_event", rpc_params!["two", 0u32]).await;
    assert_eq!(code, BAD_PARAMS);
}

#[tokio::test]
async fn alerts_subscribe_pushes_excursions_and_refusals_of_finalized_blocks() {
    let mut chain = story().await;
    let mut alerts = chain
        .rpc
        .subscribe_unbounded("alerts_subscribe", rpc_params![])
        .await
        .unwrap();
    let t = chain.now();
    let header = chain
        .block(vec![
            (
                "cdc",
                capture(vec![ship("vaccination_site", t, 350, 1_020)]),
            ),
            ("manufacturer", register()),
            // The manufacturer no longer holds the case: shipping it again is refused, naming the case.
            (
                "manufacturer",
                capture(vec![ship("vaccination_site", t, 350, 500)]),
            ),
        ])
        .await;
    let mut got = Vec::new();
    for _ in 0..3 {
        let (alert, _) = tokio::time::timeout(Duration::from_secs(10), alerts.next::<AlertJson>())
            .await
            .expect("an alert within 10 s")
            .expect("subscription open")
            .unwrap();
        got.push(alert);
    }
    assert!(got.iter().all(|a| a.block == header.number));
    let excursion = got
        .iter()
        .find(|a| a.kind == "temperature_excursion")
        .expect("an excursion");
    assert_eq!(excursion.pallet, "Trace");
    assert_eq!(excursion.codes, vec![case().to_string()]);
    assert_eq!(excursion.extrinsic, Some(0));
    assert!(
        excursion.message.contains("10.20 °C"),
        "{}",
        excursion.message
    );
    let refusal = got.iter().find(|a| a.kind == "refusal").expect("a refusal");
    assert_eq!(refusal.extrinsic, Some(1));
    assert!(
        refusal.message.contains("ProductExists"),
        "{}",
        refusal.message
    );
    // A refusal names whom it concerns (the signer's organisation) and the codes the refused call named.
    assert_eq!(refusal.org, Some(org("manufacturer")));
    assert!(refusal.codes.is_empty(), "a registration names no code");
    let shipment = got
        .iter()
        .find(|a| a.kind == "refusal" && a.extrinsic == Some(2))
        .expect("the refused shipment");
    assert_eq!(shipment.org, Some(org("manufacturer")));
    assert_eq!(shipment.codes, vec![case().to_string()]);

    // The alert is an event like any other: provable.
    let json: EventProofJson = chain
        .rpc
        .call("proof_event", rpc_params![excursion.block, excursion.index])
        .await
        .unwrap();
    assert_eq!(json.record, excursion.record);

    // The flag reached custody.
    let trace: TraceJson = chain
        .rpc
        .call("trace_history", rpc_params![pack(1).to_string()])
        .await
        .unwrap();
    assert!(trace.current.unwrap().excursion);
}

#[tokio::test]
async fn author_and_chain_methods_and_the_operator_gate() {
    let mut chain = Chain::new();
    let tx = chain.sign("manufacturer", register());
    let hex_tx = format!("0x{}", hex::encode(tx.encode()));
    let hash: String = chain
        .rpc
        .call("author_submitTransaction", rpc_params![&hex_tx])
        .await
        .unwrap();
    assert_eq!(hash, tx.hash().to_string());
    let (code, msg) = chain
        .error("author_submitTransaction", rpc_params![&hex_tx])
        .await;
    assert_eq!(code, INVALID_TX);
    assert!(msg.contains("already"), "{msg}");
    let (code, _) = chain
        .error("author_submitTransaction", rpc_params!["0x1234"])
        .await;
    assert_eq!(code, INVALID_TX);
    let (code, _) = chain
        .error("author_submitTransaction", rpc_params!["nothex"])
        .await;
    assert_eq!(code, BAD_PARAMS);
    let too_many = vec!["0x00".to_string(); yima_node::rpc::MAX_SUBMIT_BATCH + 1];
    let (code, _) = chain
        .error("author_submitBatch", rpc_params![too_many])
        .await;
    assert_eq!(code, BAD_PARAMS);

    // The operator's view of the pool, and the gate.
    let pending: PendingPool = chain
        .rpc
        .call("author_pendingTransactions", rpc_params![])
        .await
        .unwrap();
    assert_eq!((pending.ready, pending.future), (1, 0));
    assert_eq!(pending.transactions[0].hash, hash);
    assert_eq!(
        pending.transactions[0].signer,
        dev_keys::dev_account("manufacturer").to_string()
    );
    let public = Rpc::new(chain.host.clone(), false).into_module();
    match public
        .call::<_, PendingPool>("author_pendingTransactions", rpc_params![])
        .await
    {
        Err(MethodsError::JsonRpc(e)) => {
            assert_eq!(e.code(), UNSAFE_METHOD);
            assert!(
                e.message().contains("--rpc-methods unsafe"),
                "{}",
                e.message()
            );
        }
        other => panic!("the operator method answered: {other:?}"),
    }
    let (code, _) = chain
        .error("author_pendingTransactions", rpc_params![1_000_000u64])
        .await;
    assert_eq!(code, BAD_PARAMS);

    let header = chain.block(vec![]).await;
    let health: Health = chain
        .rpc
        .call("system_health", rpc_params![])
        .await
        .unwrap();
    assert_eq!((health.best_number, health.pool_total), (1, 0));
    let block: Option<BlockJson> = chain
        .rpc
        .call("chain_getBlock", rpc_params![1u64])
        .await
        .unwrap();
    assert_eq!(block.unwrap().transaction_hashes, vec![hash]);
    let none: Option<BlockJson> = chain
        .rpc
        .call("chain_getBlock", rpc_params![9u64])
        .await
        .unwrap();
    assert!(none.is_none());
    let head: HeaderJson = chain
        .rpc
        .call("chain_getFinalizedHead", rpc_params![])
        .await
        .unwrap();
    assert_eq!(head.hash, header.hash().to_string());
    let none: Option<HeaderJson> = chain
        .rpc
        .call("chain_getHeader", rpc_params![9u64])
        .await
        .unwrap();
    assert!(none.is_none());
    let cert: Option<String> = chain
        .rpc
        .call("chain_getCertificate", rpc_params![1u64])
        .await
        .unwrap();
    assert_eq!(
        cert.unwrap(),
        format!("0x{}", hex::encode(certify(&chain.genesis, &header)))
    );
    let none: Option<String> = chain
        .rpc
        .call("chain_getCertificate", rpc_params![0u64])
        .await
        .unwrap();
    assert!(none.is_none());
    let (code, _) = chain.error("chain_getBlock", rpc_params![-1]).await;
    assert_eq!(code, BAD_PARAMS);
    let version: String = chain
        .rpc
        .call("system_version", rpc_params![])
        .await
        .unwrap();
    assert!(version.starts_with("yima-node "));
}

#[tokio::test]
async fn metrics_count_blocks_transactions_and_times_and_are_served_over_http() {
    let chain = story().await;
    chain.host.metrics().set_peers(3);
    let text = chain.host.metrics().render(&chain.host);
    for line in [
        "yima_block_height 3",
        "yima_finalized_height 3",
        "yima_peers 3",
        "yima_txpool_ready 0",
        "yima_txpool_transactions 0",
        // The story: register and approve; commission and pack, batch release, ship; receive.
        "yima_transactions_total 6",
        "yima_block_execution_seconds_count 3",
        "yima_block_commit_seconds_count 3",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }

    let (addr, task) =
        yima_node::metrics::serve("127.0.0.1:0".parse().unwrap(), chain.host.clone())
            .await
            .unwrap();
    let get = |path: &'static str| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    };
    let ok = tokio::time::timeout(Duration::from_secs(10), get("/metrics"))
        .await
        .unwrap();
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("openmetrics-text"), "{ok}");
    assert!(ok.contains("yima_block_height 3"), "{ok}");
    let missing = tokio::time::timeout(Duration::from_secs(10), get("/other"))
        .await
        .unwrap();
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    task.abort();
}

#[tokio::test]
async fn chain_get_evidence_serves_each_kept_equivocation_once_for_anyone_to_verify() {
    use malachitebft_core_types::{Context as _, NilOrVal, Round, SignedMessage};
    use yima_consensus::evidence::Equivocation;
    use yima_consensus::signing::ConsensusSigner;
    use yima_consensus::{Address, BlockHash, Height, Host, YimaContext};
    use yima_frame::Hash;
    use yima_node::rpc::evidence::EvidenceJson;

    let chain = Chain::new();
    let genesis = chain.genesis.hash();
    let alice = ConsensusSigner::new(dev_keys::dev_key("alice").to_bytes(), genesis);
    let address = Address(dev_keys::dev_account("alice"));
    let precommit = |height, value| {
        let vote = YimaContext.new_precommit(Height(height), Round::new(0), value, address);
        SignedMessage::new(vote.clone(), alice.sign_vote_now(&vote))
    };
    let double = |height| {
        Equivocation::of_votes(
            &precommit(height, NilOrVal::Val(BlockHash(Hash([1; 32])))),
            &precommit(height, NilOrVal::Nil),
        )
    };
    chain.host.record_evidence(&[double(5), double(2)]).unwrap();
    chain.host.record_evidence(&[double(5)]).unwrap();

    let all: Vec<EvidenceJson> = chain
        .rpc
        .call("chain_getEvidence", rpc_params![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let seen: Vec<(u64, &str, &str)> = all
        .iter()
        .map(|e| (e.height, e.kind.as_str(), e.validator.as_str()))
        .collect();
    let alice_key = address.0.to_string();
    assert_eq!(
        seen,
        vec![
            (2, "precommit", alice_key.as_str()),
            (5, "precommit", alice_key.as_str())
        ],
        "in height order, the repeat kept once"
    );
    // The caller checks the claim itself: both signatures are alice's on this chain, and they conflict.
    for e in &all {
        let bytes = hex::decode(e.record.trim_start_matches("0x")).unwrap();
        let record = <Equivocation as parity_scale_codec::Decode>::decode(&mut &bytes[..]).unwrap();
        assert_eq!(record.verify(&genesis), Ok(()));
        assert_eq!(e.id, record.id().to_string());
    }

    let page: Vec<EvidenceJson> = chain
        .rpc
        .call("chain_getEvidence", rpc_params![3u64, 1u64])
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].height, 5);
    for limit in [0u64, 101] {
        let (code, message) = chain
            .error("chain_getEvidence", rpc_params![0u64, limit])
            .await;
        assert_eq!(code, BAD_PARAMS, "{message}");
    }
    let metrics = chain.host.metrics().render(&chain.host);
    assert!(
        metrics.contains("yima_equivocations_total{kind=\"precommit\"} 3"),
        "every reported record is counted: {metrics}"
    );
}
