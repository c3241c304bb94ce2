//! The RPC of the real `yima-node --dev --rpc-methods safe` binary, over HTTP and WebSocket: a refused
//! transaction reaches `alerts_subscribe` once its block is finalized by Malachite; `proof_event` of that alert
//! verifies offline against the demo chain spec's genesis — the certificate is the one consensus produced;
//! `state_get` proves the signer's nonce; the operator method is refused (`safe`, though on localhost); `/metrics`
//! counts the blocks. Every wait has a deadline.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jsonrpsee::core::client::{ClientT, SubscriptionClientT};
use jsonrpsee::http_client::HttpClientBuilder;
use jsonrpsee::rpc_params;
use jsonrpsee::ws_client::WsClientBuilder;
use parity_scale_codec::{Decode, Encode};
use yima_chain_spec::{dev_keys, presets};
use yima_consensus::proof::{EventProof, TrustAnchor};
use yima_frame::state::{verify_state_proof, StateProof};
use yima_frame::storage::StorageMap;
use yima_node::rpc::alerts::AlertJson;
use yima_node::rpc::proof::EventProofJson;
use yima_node::rpc::state::StateValue;
use yima_node::rpc::{HeaderJson, Health, UNSAFE_METHOD};
use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};
use yima_trace::types::Category;

const WAIT: Duration = Duration::from_secs(90);

/// The node process; SIGKILLed when dropped.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

fn hex_bytes(text: &str) -> Vec<u8> {
    hex::decode(text.trim_start_matches("0x")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dev_node_pushes_alerts_proves_them_and_guards_operator_methods() {
    let dir = tempfile::tempdir().unwrap();
    let (rpc_port, metrics_port) = (port(), port());
    let log = std::fs::File::create(dir.path().join("node.log")).unwrap();
    let mut node = Node(
        Command::new(env!("CARGO_BIN_EXE_yima-node"))
            .args(["--dev", "--rpc-methods", "safe", "--idle-block-secs", "1"])
            .arg("--base-path")
            .arg(dir.path())
            .args(["--rpc-port", &rpc_port.to_string()])
            .args(["--prometheus-port", &metrics_port.to_string()])
            .args(["--p2p-host", "127.0.0.1", "--p2p-port", &port().to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let node_log = || std::fs::read_to_string(dir.path().join("node.log")).unwrap_or_default();
    let http = HttpClientBuilder::default()
        .build(format!("http://127.0.0.1:{rpc_port}"))
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while http
        .request::<Health, _>("system_health", rpc_params![])
        .await
        .is_err()
    {
        assert!(
            node.0.try_wait().unwrap().is_none(),
            "exited:\n{}",
            node_log()
        );
        assert!(
            Instant::now() < deadline,
            "no RPC within {WAIT:?}:\n{}",
            node_log()
        );
        // Readiness poll: nothing to wait on before the server is bound.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ws = WsClientBuilder::default()
        .build(format!("ws://127.0.0.1:{rpc_port}"))
        .await
        .unwrap();
    let mut alerts = ws
        .subscribe::<AlertJson, _>("alerts_subscribe", rpc_params![], "alerts_unsubscribe")
        .await
        .unwrap();

    // `--dev` seeds the demo histories through the pool: wait (head by head) until they are all finalized.
    let mut heads = ws
        .subscribe::<HeaderJson, _>(
            "chain_subscribeFinalizedHeads",
            rpc_params![],
            "chain_unsubscribeFinalizedHeads",
        )
        .await
        .unwrap();
    tokio::time::timeout(WAIT, async {
        loop {
            let health: Health = http.request("system_health", rpc_params![]).await.unwrap();
            if health.pool_total == 0 {
                return;
            }
            heads.next().await.expect("open").expect("a header");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the pool did not drain within {WAIT:?}:\n{}", node_log()));

    // The CDC's next nonce, proven.
    let cdc = dev_keys::dev_account("cdc");
    let key = yima_system::Nonces::storage_key(&cdc);
    let nonce: StateValue = http
        .request("state_get", rpc_params![format!("0x{}", hex::encode(&key))])
        .await
        .unwrap();
    let value = nonce.value.as_deref().map(hex_bytes);
    let proof: StateProof = borsh::from_slice(&hex_bytes(&nonce.proof)).unwrap();
    let mut root = yima_frame::Hash::default();
    root.0.copy_from_slice(&hex_bytes(&nonce.state_root));
    verify_state_proof(root, &key, value.as_deref(), &proof).unwrap();
    let next = value.map_or(0, |v| u64::decode(&mut &v[..]).unwrap());

    // A CDC may not register products: included, refused, an alert.
    let spec = presets::demo();
    let genesis = spec.genesis_in_memory().unwrap().0.header;
    let tx = SignedTransaction::sign(
        &dev_keys::dev_key("cdc"),
        &genesis.hash(),
        SPEC_VERSION,
        next,
        10_000, // within the chain's validity window
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: yima_codes::ProductId::parse("8612346").unwrap(),
            name: b"not theirs".to_vec(),
            category: Category::Drug,
            temperature: None,
            shelf_life_days: 0,
        }),
    );
    let _: String = http
        .request(
            "author_submitTransaction",
            rpc_params![format!("0x{}", hex::encode(tx.encode()))],
        )
        .await
        .unwrap();
    let alert = tokio::time::timeout(WAIT, async {
        loop {
            let alert = alerts.next().await.expect("open").expect("an alert");
            if alert.kind == "refusal" && alert.message.contains("KindNotAllowed") {
                return alert;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no refusal alert within {WAIT:?}:\n{}", node_log()));
    assert_eq!(alert.pallet, "System");

    // Its proof verifies offline with what the chain spec alone gives.
    let json: EventProofJson = http
        .request("proof_event", rpc_params![alert.block, alert.index])
        .await
        .unwrap();
    let proof = EventProof::from_bytes(&hex_bytes(&json.bundle)).unwrap();
    let verified = proof.verify(&TrustAnchor::from_genesis(&genesis)).unwrap();
    assert_eq!(
        (verified.at.block, verified.at.index),
        (alert.block, alert.index)
    );
    assert!(verified.record.event.alert().is_some());
    assert_eq!(json.record, alert.record);

    // Operator methods are refused on this server, even on localhost.
    let refused = http
        .request::<serde_json::Value, _>("author_pendingTransactions", rpc_params![])
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains(&UNSAFE_METHOD.to_string()),
        "{refused}"
    );

    // The same transaction again is refused (included by now: its nonce is used), and counted.
    let again = http
        .request::<String, _>(
            "author_submitTransaction",
            rpc_params![format!("0x{}", hex::encode(tx.encode()))],
        )
        .await;
    assert!(again.is_err(), "{again:?}");

    // Metrics over HTTP.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", metrics_port))
        .await
        .unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut text = String::new();
    tokio::time::timeout(WAIT, s.read_to_string(&mut text))
        .await
        .unwrap()
        .unwrap();
    let height: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("yima_block_height "))
        .expect("the height metric")
        .parse()
        .unwrap();
    assert!(height >= alert.block, "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("yima_transactions_total ") && l != "yima_transactions_total 0"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("yima_txpool_refused_total{reason=\"stale\"} ")),
        "{text}"
    );
}
