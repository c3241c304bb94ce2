//! The real `yima-node --dev` binary as a child process: RPC comes up, blocks are finalized (seen through the
//! `chain_subscribeFinalizedHeads` WebSocket subscription), a signed transaction submitted over RPC lands in a
//! finalized block, and after `kill -9` the node restarts on the same base path at the same head and keeps
//! finalizing. Every wait has a deadline; nothing sleeps a fixed time.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jsonrpsee::core::client::{ClientT, Subscription, SubscriptionClientT};
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use parity_scale_codec::Encode;
use yima_chain_spec::{dev_keys, presets};
use yima_frame::{Role, Roles};
use yima_node::rpc::{BlockJson, HeaderJson, Health};
use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};

const WAIT: Duration = Duration::from_secs(90);

/// A running node; killed (SIGKILL) when dropped, so a failing test leaves no process behind.
struct Node {
    child: Child,
    rpc_port: u16,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn spawn(base: &Path, log_name: &str) -> Node {
    let rpc_port = free_port();
    let p2p_port = free_port();
    let log = std::fs::File::create(base.join(log_name)).expect("log file");
    let child = Command::new(env!("CARGO_BIN_EXE_yima-node"))
        .args(["--dev", "--base-path"])
        .arg(base)
        .args(["--rpc-port", &rpc_port.to_string()])
        .args(["--p2p-port", &p2p_port.to_string()])
        .args(["--p2p-host", "127.0.0.1", "--prometheus-port", "0"])
        .args(["--idle-block-secs", "1"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("spawn yima-node");
    Node { child, rpc_port }
}

fn node_log(base: &Path, name: &str) -> String {
    std::fs::read_to_string(base.join(name)).unwrap_or_default()
}

/// Waits until the node answers `system_health`; returns HTTP and WebSocket clients.
async fn connect(node: &mut Node, base: &Path, log: &str) -> (HttpClient, WsClient) {
    let url = format!("127.0.0.1:{}", node.rpc_port);
    let http = HttpClientBuilder::default()
        .build(format!("http://{url}"))
        .expect("http client");
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = node.child.try_wait().expect("child status") {
            panic!("yima-node exited with {status}:\n{}", node_log(base, log));
        }
        match http
            .request::<Health, _>("system_health", rpc_params![])
            .await
        {
            Ok(_) => break,
            Err(_) if Instant::now() < deadline => {
                // Readiness poll: the node is still opening its store or binding the port.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!(
                "RPC not ready within {WAIT:?}: {e}\n{}",
                node_log(base, log)
            ),
        }
    }
    let ws = WsClientBuilder::default()
        .build(format!("ws://{url}"))
        .await
        .expect("ws client");
    (http, ws)
}

async fn subscribe(ws: &WsClient) -> Subscription<HeaderJson> {
    ws.subscribe(
        "chain_subscribeFinalizedHeads",
        rpc_params![],
        "chain_unsubscribeFinalizedHeads",
    )
    .await
    .expect("subscribe to finalized heads")
}

/// The next finalized header with a number of at least `min`.
async fn wait_for_header(sub: &mut Subscription<HeaderJson>, min: u64) -> HeaderJson {
    tokio::time::timeout(WAIT, async {
        loop {
            let header = sub
                .next()
                .await
                .expect("subscription open")
                .expect("a header");
            if header.number >= min {
                return header;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no finalized header >= {min} within {WAIT:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_node_finalizes_a_transaction_and_resumes_after_kill_9() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path();
    let spec = presets::demo();
    let genesis = spec.genesis_hash().expect("demo genesis");

    // First run.
    let started = Instant::now();
    let mut node = spawn(base, "run1.log");
    let (http, ws) = connect(&mut node, base, "run1.log").await;
    let ready = started.elapsed();
    let mut heads = subscribe(&ws).await;
    let first = wait_for_header(&mut heads, 1).await;
    let first_block = started.elapsed();

    let header0: Option<HeaderJson> = http
        .request("chain_getHeader", rpc_params![0u64])
        .await
        .expect("header 0");
    assert_eq!(header0.expect("genesis header").hash, genesis.to_string());

    // The manufacturer's admin adds an operator account to its organisation; `--dev` seeded the demo
    // histories first, so its nonce follows the demo's transactions.
    let seeded = yima_chain_spec::demo::script()
        .iter()
        .filter(|step| step.signer == "manufacturer")
        .count() as u64;
    let tx = SignedTransaction::sign(
        &dev_keys::dev_key("manufacturer"),
        &genesis,
        SPEC_VERSION,
        seeded,
        10_000,
        RuntimeCall::Membership(yima_membership::Call::AddAccount {
            account: dev_keys::dev_account("eve"),
            roles: Roles::of(&[Role::Operator]),
        }),
    );
    let submitted = Instant::now();
    let hex_tx = format!("0x{}", hex::encode(tx.encode()));
    let hash: String = http
        .request("author_submitTransaction", rpc_params![hex_tx.clone()])
        .await
        .expect("the pool admits the transaction");
    assert_eq!(hash, tx.hash().to_string());

    // Submitting it again is refused with the pool's reason.
    let again = http
        .request::<String, _>("author_submitTransaction", rpc_params![hex_tx])
        .await
        .expect_err("a duplicate is refused");
    assert!(again.to_string().contains("already"), "{again}");

    let included_at = tokio::time::timeout(WAIT, async {
        loop {
            let header = wait_for_header(&mut heads, first.number + 1).await;
            let block: Option<BlockJson> = http
                .request("chain_getBlock", rpc_params![header.number])
                .await
                .expect("block");
            if block.expect("committed").transaction_hashes.contains(&hash) {
                return header;
            }
        }
    })
    .await
    .expect("the transaction is finalized");
    let inclusion = submitted.elapsed();
    let cert: Option<String> = http
        .request("chain_getCertificate", rpc_params![included_at.number])
        .await
        .expect("certificate");
    assert!(cert.expect("stored with the block").len() > 2);

    let before_kill = wait_for_header(&mut heads, included_at.number + 1).await;
    drop(heads);
    drop(ws);
    drop(node); // SIGKILL

    // Second run on the same base path: same chain, at least the same head, and it keeps finalizing.
    let restarted = Instant::now();
    let mut node = spawn(base, "run2.log");
    let (http, ws) = connect(&mut node, base, "run2.log").await;
    let mut heads = subscribe(&ws).await;
    let head: HeaderJson = http
        .request("chain_getFinalizedHead", rpc_params![])
        .await
        .expect("head");
    assert!(
        head.number >= before_kill.number,
        "restarted at {} below {}",
        head.number,
        before_kill.number
    );
    let same: Option<HeaderJson> = http
        .request("chain_getHeader", rpc_params![before_kill.number])
        .await
        .expect("header");
    assert_eq!(same.expect("kept").hash, before_kill.hash);
    let block: Option<BlockJson> = http
        .request("chain_getBlock", rpc_params![included_at.number])
        .await
        .expect("block");
    assert!(block.expect("kept").transaction_hashes.contains(&hash));
    let next = wait_for_header(&mut heads, head.number + 1).await;
    let resumed = restarted.elapsed();
    assert_eq!(
        http.request::<Option<HeaderJson>, _>("chain_getHeader", rpc_params![head.number])
            .await
            .expect("header")
            .expect("parent")
            .hash,
        next.parent_hash
    );

    let version: String = http
        .request("system_version", rpc_params![])
        .await
        .expect("version");
    assert!(version.starts_with("yima-node "));
    eprintln!(
        "node_dev: RPC ready after {ready:?}, block 1 after {first_block:?}, transaction finalized in block {} \
         {inclusion:?} after submission; killed at {}, restarted at {} and finalized {} after {resumed:?}",
        included_at.number, before_kill.number, head.number, next.number
    );
}
