//! Shared by the web tests and the scan-page bench: a real `yima-node --dev` child process (demo histories
//! seeded), a plain HTTP/1.1 GET that times the first byte and the whole answer, waits driven by the
//! finalized-heads subscription, and a long history recorded through signed transactions.
#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jsonrpsee::core::client::{ClientT, Subscription, SubscriptionClientT};
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use parity_scale_codec::Encode;
use yima_chain_spec::demo::trace::{at, gtin, item, lot, object, org, place, temperature, DAY};
use yima_chain_spec::demo::DemoStep;
use yima_chain_spec::presets::PRESET_GENESIS_TIME;
use yima_chain_spec::{dev_keys, presets};
use yima_codes::{ProductId, TraceCode};
use yima_node::rpc::HeaderJson;
use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};
use yima_trace::epcis::{Action, BizStep, Ilmd};
use yima_trace::types::{Category, TemperatureRange};

/// Every wait's deadline.
pub const WAIT: Duration = Duration::from_secs(120);

/// The demo's frozen dumplings bag with a warm leg (an alert), packed in a case.
pub const DUMPLINGS: &str = "/01/06970000000017/21/DP0001";

/// A running `yima-node --dev`; killed when dropped.
pub struct DevNode {
    child: Child,
    /// RPC (and web) port.
    pub port: u16,
    dir: tempfile::TempDir,
    /// The RPC client.
    pub http: HttpClient,
    ws: Option<WsClient>,
}

impl Drop for DevNode {
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

impl DevNode {
    /// Starts a dev node (with `args` added) and waits until it answers RPC.
    pub async fn start(args: &[&str]) -> DevNode {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("node.log")).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_yima-node"))
            .args(["--dev", "--base-path"])
            .arg(dir.path())
            .args(["--rpc-port", &port.to_string()])
            .args(["--p2p-port", &free_port().to_string()])
            .args(["--p2p-host", "127.0.0.1", "--prometheus-port", "0"])
            .args(["--idle-block-secs", "1"])
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn yima-node");
        let http = HttpClientBuilder::default()
            .build(format!("http://127.0.0.1:{port}"))
            .expect("http client");
        let mut node = DevNode {
            child,
            port,
            dir,
            http,
            ws: None,
        };
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = node.child.try_wait().expect("child status") {
                panic!("yima-node exited with {status}:\n{}", node.log());
            }
            let health: Result<serde_json::Value, _> =
                node.http.request("system_health", rpc_params![]).await;
            if health.is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "RPC not ready within {WAIT:?}:\n{}",
                node.log()
            );
            // Readiness poll: the node is still opening its store or binding the port.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        node.ws = Some(
            WsClientBuilder::default()
                .build(format!("ws://127.0.0.1:{port}"))
                .await
                .expect("ws client"),
        );
        node
    }

    /// The node's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("node.log")).unwrap_or_default()
    }

    /// A directory that lives as long as the node.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `http://127.0.0.1:{port}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `GET path` with `headers`.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Fetched {
        get(self.port, path, headers)
    }

    /// Waits, block by finalized block, until `ready()` holds.
    pub async fn wait_until(&self, what: &str, mut ready: impl FnMut() -> bool) {
        let mut heads: Subscription<HeaderJson> = self
            .ws
            .as_ref()
            .expect("connected")
            .subscribe(
                "chain_subscribeFinalizedHeads",
                rpc_params![],
                "chain_unsubscribeFinalizedHeads",
            )
            .await
            .expect("subscribe to finalized heads");
        let waited = tokio::time::timeout(WAIT, async {
            while !ready() {
                heads
                    .next()
                    .await
                    .expect("subscription open")
                    .expect("a header");
            }
        })
        .await;
        assert!(
            waited.is_ok(),
            "{what}: not within {WAIT:?}\n{}",
            self.log()
        );
    }

    /// Waits until every demo transaction is in a finalized block (the pool is empty and the dumplings' page
    /// answers).
    pub async fn wait_for_demo(&self) {
        self.wait_until("the demo histories", || {
            pool_total(self.port) == Some(0)
                && self.get(&format!("{DUMPLINGS}?format=json"), &[]).status == 200
        })
        .await;
    }

    /// Signs `step` with its signer's next nonce (read from state), submits it and waits until it is final.
    pub async fn run(&self, step: DemoStep) {
        let account = dev_keys::dev_account(step.signer);
        let nonce = account_nonce(self.port, &account);
        let genesis = presets::demo().genesis_hash().expect("demo genesis");
        let tx = SignedTransaction::sign(
            &dev_keys::dev_key(step.signer),
            &genesis,
            SPEC_VERSION,
            nonce,
            10_000,
            step.call,
        );
        self.submit(&tx).await;
        self.wait_until(&format!("{}'s transaction {nonce}", step.signer), || {
            account_nonce(self.port, &account) > nonce
        })
        .await;
    }

    /// Submits `tx`.
    pub async fn submit(&self, tx: &SignedTransaction) {
        let hex_tx = format!("0x{}", hex::encode(tx.encode()));
        let _: String = self
            .http
            .request("author_submitTransaction", rpc_params![hex_tx])
            .await
            .expect("the pool admits the transaction");
    }
}

/// An HTTP answer with its timings.
#[derive(Debug)]
pub struct Fetched {
    /// Status code.
    pub status: u16,
    /// The header block, lower-cased names.
    pub headers: String,
    /// The body.
    pub body: Vec<u8>,
    /// Time to the first byte of the answer.
    pub ttfb: Duration,
    /// Time to the last byte.
    pub total: Duration,
}

impl Fetched {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// `GET path` on 127.0.0.1:`port` over a fresh connection (HTTP/1.1, `Connection: close`).
pub fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Fetched {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut first = [0u8; 1];
    stream.read_exact(&mut first).expect("first byte");
    let ttfb = started.elapsed();
    let mut raw = first.to_vec();
    stream.read_to_end(&mut raw).expect("answer");
    let total = started.elapsed();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status code");
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Fetched {
        status,
        headers: head,
        body,
        ttfb,
        total,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..line_end])
                .expect("hex")
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .expect("chunk size hex");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Records, after the demo, a frozen product's item with `hops` hops: commissioning at the processor, then legs
/// processor → cold warehouse → retailer → cold warehouse … each a shipment (with a truck's temperature
/// report, every seventh one warm) and a receipt followed by cold-room checks. Waits until every hop is final;
/// returns the item's code.
pub async fn record_long_history(node: &DevNode, hops: usize, serial: &str) -> TraceCode {
    assert!(
        hops >= 3,
        "a long history has at least commissioning, a shipment and a receipt"
    );
    let product = gtin("0697000000099");
    let code = item(product, serial);
    let frozen = TemperatureRange {
        min_centi_celsius: -3_000,
        max_centi_celsius: -1_500,
    };
    let capture = |events| RuntimeCall::Trace(yima_trace::Call::Capture { events });
    let mut commission = at(
        object(Action::Add, vec![code]),
        BizStep::Commissioning,
        30,
        0,
    );
    commission.ilmd = Some(Ilmd {
        lot: lot(product, "LONG1"),
        production_date: PRESET_GENESIS_TIME - 31 * DAY,
        expiry: PRESET_GENESIS_TIME + 3 * 365 * DAY,
    });
    commission.biz_location = Some(place("processor-line-9"));
    let mut steps = vec![
        DemoStep::new(
            "processor",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: ProductId::Gtin(product),
                name: "速冻汤圆 Frozen rice balls <500 g> & \"sesame\""
                    .as_bytes()
                    .to_vec(),
                category: Category::Food,
                temperature: Some(frozen),
                shelf_life_days: 365,
            }),
        ),
        DemoStep::new("processor", capture(vec![commission])),
    ];
    // Legs processor → cold warehouse → retailer → cold warehouse → …: the holder ships (a truck's temperature
    // report, every seventh warm), the receiver receives and checks the cold room up to four times.
    let mut remaining = hops - 1;
    let mut holder = "processor";
    let mut legs = ["cold_warehouse", "retailer"].into_iter().cycle();
    let mut minute: u64 = 0;
    let mut event = |step: BizStep| {
        minute += 30;
        let (d, h) = (minute / 60 / 24, minute / 60 % 24);
        at(object(Action::Observe, vec![code]), step, 29 - d.min(28), h)
    };
    while remaining > 0 {
        let to = legs.next().expect("cycle");
        let mut ship = event(BizStep::Shipping);
        ship.destination = Some(org(to));
        ship.sensors = vec![if remaining % 7 == 6 {
            temperature(-2_000, -1_100, -1_600, "truck-long")
        } else {
            temperature(-2_100, -1_800, -1_950, "truck-long")
        }];
        steps.push(DemoStep::new(holder, capture(vec![ship])));
        remaining -= 1;
        let mut events = Vec::new();
        if remaining > 0 {
            let mut receive = event(BizStep::Receiving);
            receive.source = Some(org(holder));
            receive.biz_location = Some(place(&format!("{to}-cold-room")));
            events.push(receive);
            remaining -= 1;
        }
        for _ in 0..4 {
            if remaining == 0 {
                break;
            }
            let mut check = event(BizStep::Inspecting);
            check.sensors = vec![temperature(-2_300, -2_100, -2_200, "room-probe")];
            events.push(check);
            remaining -= 1;
        }
        if !events.is_empty() {
            steps.push(DemoStep::new(to, capture(events)));
        }
        holder = to;
    }
    // One step at a time, each after the previous one is final (a receipt needs its shipment).
    for step in steps {
        node.run(step).await;
    }
    let path = format!("{code}?format=json");
    let json: serde_json::Value =
        serde_json::from_slice(&node.get(&path, &[]).body).expect("scan JSON");
    let got = json["trace"]["hops"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(got, hops, "the long history has every hop: {json}");
    code
}

/// The pool's size from `system_health`, by a blocking RPC call.
fn pool_total(port: u16) -> Option<u64> {
    rpc_call(port, "system_health", "[]")["result"]["poolTotal"].as_u64()
}

/// A blocking JSON-RPC call over a fresh connection.
fn rpc_call(port: u16, method: &str, params: &str) -> serde_json::Value {
    let body =
        format!("{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{params}}}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("answer");
    let text = String::from_utf8_lossy(&raw);
    text.split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or_default()
}

/// An account's nonce from `state_get` (SCALE u64 under the system pallet's key), by a blocking RPC call.
fn account_nonce(port: u16, account: &yima_frame::AccountId) -> u64 {
    use yima_frame::storage::StorageMap;
    let key = yima_system::Nonces::storage_key(account);
    let json = rpc_call(port, "state_get", &format!("[\"0x{}\"]", hex::encode(key)));
    let value = json["result"]["value"].as_str().unwrap_or("");
    let bytes = hex::decode(value.trim_start_matches("0x")).unwrap_or_default();
    <u64 as parity_scale_codec::Decode>::decode(&mut &bytes[..]).unwrap_or(0)
}

/// Where test artefacts (screenshots) go: `$CARGO_TARGET_DIR/test-artifacts` or `target/test-artifacts`.
pub fn artefacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("artefacts dir");
    dir
}
