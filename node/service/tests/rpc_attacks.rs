//! Issue 12, RPC and web: what a stranger on the RPC port could do, each as an attack that must fail.
//!
//! Over a real [`yima_node::host::NodeHost`] on a temporary store of the demo chain (see `rpc_support`): a
//! foreign `Host` or a cross-site `Origin` (DNS rebinding, a web page's WebSocket into a loopback node), an
//! operator method through a proxy, `system_peers` to a stranger, proof and badge cost growing with the height,
//! one alert computation per subscriber, an unpaginated trace, and readers holding the threads block
//! execution needs.

mod rpc_support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use jsonrpsee::core::server::MethodsError;
use jsonrpsee::rpc_params;
use rpc_support::*;
use yima_node::rpc::alerts::AlertJson;
use yima_node::rpc::page::{Page, MAX_HOPS};
use yima_node::rpc::readers::Readers;
use yima_node::rpc::trace_json::TraceJson;
use yima_node::rpc::{Rpc, RpcConfig, UNSAFE_METHOD};
use yima_node::web::scan::PAGE_SIZE;
use yima_trace::epcis::{Action, BizStep};

/// Every wait's deadline: a failure, never a pace.
const WAIT: Duration = Duration::from_secs(60);

/// One HTTP/1.1 request on a fresh connection: the status code and the body.
fn http(addr: SocketAddr, head: &str, body: &str) -> (u16, String) {
    let (status, _, body) = http_full(addr, head, body);
    (status, body)
}

/// As [`http`], with the answer's head (status line and headers) lowercased.
fn http_full(addr: SocketAddr, head: &str, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let request = format!(
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {answer:?}"));
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (status, head.to_ascii_lowercase(), body.to_owned())
}

fn post(addr: SocketAddr, extra: &[(&str, &str)], method: &str) -> (u16, String) {
    let mut head = "POST / HTTP/1.1\r\nContent-Type: application/json".to_string();
    if !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("\r\nHost: {addr}"));
    }
    for (k, v) in extra {
        head.push_str(&format!("\r\n{k}: {v}"));
    }
    let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":[]}}"#);
    http(addr, &head, &body)
}

async fn serve(chain: &Chain) -> (SocketAddr, jsonrpsee::server::ServerHandle) {
    yima_node::rpc::start(
        "127.0.0.1:0".parse().unwrap(),
        chain.host.clone(),
        &RpcConfig::default(),
    )
    .await
    .expect("the RPC server starts")
}

#[tokio::test]
async fn a_foreign_host_or_a_cross_site_origin_is_refused() {
    let chain = Chain::new();
    let (addr, server) = serve(&chain).await;
    let result = tokio::task::spawn_blocking(move || {
        // The node's own name, and the browser's same-origin requests: answered.
        let (status, body) = post(addr, &[], "system_health");
        assert_eq!(status, 200, "{body}");
        let own = format!("http://{addr}");
        let (status, body) = post(addr, &[("Origin", &own)], "system_health");
        assert_eq!(status, 200, "{body}");
        let (status, _) = post(
            addr,
            &[("Host", &format!("localhost:{}", addr.port()))],
            "system_health",
        );
        assert_eq!(status, 200);
        // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
        let (status, body) = post(
            addr,
            &[("Host", &format!("evil.example:{}", addr.port()))],
            "system_health",
        );
        assert_eq!(status, 403, "a foreign Host is refused: {body}");
        // A web page elsewhere posting into the loopback node.
        let (status, body) = post(addr, &[("Origin", "https://evil.example")], "system_health");
        assert_eq!(status, 403, "a cross-site Origin is refused: {body}");
        // … or opening a WebSocket into it.
        let head = format!(
            "GET / HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://evil.example\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13"
        );
        let (status, body) = http(addr, &head, "");
        assert_eq!(status, 403, "a cross-site WebSocket is refused: {body}");
        // A loopback page (a local tool) may call, and is told so (CORS), preflight included.
        let head = format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nOrigin: http://localhost:3000"
        );
        let (status, answer_head, _) = http_full(
            addr,
            &head,
            r#"{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}"#,
        );
        assert_eq!(status, 200);
        assert!(
            answer_head.contains("access-control-allow-origin: http://localhost:3000"),
            "{answer_head}"
        );
        let head = format!(
            "OPTIONS / HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://localhost:3000\r\n\
             Access-Control-Request-Method: POST"
        );
        let (status, answer_head, _) = http_full(addr, &head, "");
        assert_eq!(status, 204);
        assert!(answer_head.contains("access-control-allow-methods"), "{answer_head}");
        // The web pages too.
        let head = format!("GET /dashboard HTTP/1.1\r\nHost: evil.example:{}", addr.port());
        let (status, _) = http(addr, &head, "");
        assert_eq!(status, 403, "web pages check the Host too");
    })
    .await;
    server.stop().unwrap();
    result.unwrap();
}

#[tokio::test]
async fn an_operator_method_through_a_proxy_is_refused() {
    let chain = Chain::new();
    let (addr, server) = serve(&chain).await;
    let result = tokio::task::spawn_blocking(move || {
        let (status, body) = post(addr, &[], "author_pendingTransactions");
        assert_eq!(status, 200);
        assert!(body.contains("\"result\""), "the local operator: {body}");
        // A reverse proxy on this machine forwarding a stranger's call: the caller is not the operator.
        for (header, value) in [
            ("X-Forwarded-For", "203.0.113.7"),
            ("Forwarded", "for=203.0.113.7"),
            ("X-Real-IP", "203.0.113.7"),
        ] {
            let (_, body) = post(addr, &[(header, value)], "author_pendingTransactions");
            assert!(
                body.contains(&UNSAFE_METHOD.to_string()),
                "{header}: refused, got {body}"
            );
        }
    })
    .await;
    server.stop().unwrap();
    result.unwrap();
}

#[tokio::test]
async fn a_connection_calling_past_its_rate_is_refused() {
    let chain = Chain::new();
    let config = RpcConfig {
        rate_limit: 5,
        ..RpcConfig::default()
    };
    let (addr, server) =
        yima_node::rpc::start("127.0.0.1:0".parse().unwrap(), chain.host.clone(), &config)
            .await
            .unwrap();
    let result = tokio::task::spawn_blocking(move || {
        // Ten calls in one batch on one connection: past five a second, every one refused, none run.
        let batch: Vec<String> = (0..10)
            .map(|i| {
                format!(r#"{{"jsonrpc":"2.0","id":{i},"method":"system_health","params":[]}}"#)
            })
            .collect();
        let head = format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json");
        let (status, body) = http(addr, &head, &format!("[{}]", batch.join(",")));
        assert_eq!(status, 200);
        let answers: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
        assert_eq!(answers.len(), 10);
        for a in &answers {
            assert_eq!(
                a["error"]["code"],
                yima_node::rpc::rate_limit::RATE_LIMITED,
                "{a}"
            );
        }
        // Another connection has its own bucket.
        let (_, body) = post(addr, &[], "system_health");
        assert!(body.contains("bestNumber"), "{body}");
    })
    .await;
    server.stop().unwrap();
    result.unwrap();
}

#[tokio::test]
async fn system_peers_is_an_operator_method() {
    let chain = Chain::new();
    let public = Rpc::new(chain.host.clone(), false).into_module();
    match public
        .call::<_, serde_json::Value>("system_peers", rpc_params![])
        .await
    {
        Err(MethodsError::JsonRpc(e)) => assert_eq!(e.code(), UNSAFE_METHOD),
        other => panic!("system_peers answered a stranger: {other:?}"),
    }
    let _: serde_json::Value = chain
        .rpc
        .call("system_peers", rpc_params![])
        .await
        .expect("the operator sees the peers");
}

/// The cdc (holding the case) stores it `n` times in one block: `n` hops.
async fn store_case(chain: &mut Chain, n: usize) -> u64 {
    let t = chain.now();
    let events = (0..n)
        .map(|_| object(Action::Observe, vec![case()], BizStep::Storing, t))
        .collect();
    chain.block(vec![("cdc", capture(events))]).await.number
}

#[tokio::test]
async fn proof_and_badge_cost_do_not_grow_with_height() {
    let mut chain = story().await;
    let store = chain.host.store().clone();
    let cost = |chain: &Chain, block: u64| {
        let before = store.header_reads();
        yima_node::rpc::proof::event_proof(&chain.host, block, 0).expect("a proof");
        let proof = store.header_reads() - before;
        let before = store.header_reads();
        let first = Page {
            cursor: 0,
            limit: PAGE_SIZE,
        };
        let view = yima_node::web::scan::load(&chain.host, &case(), first).expect("the scan page");
        assert_eq!(view.verified, Ok(()));
        (proof, store.header_reads() - before)
    };
    let low = store_case(&mut chain, 1).await;
    let near = cost(&chain, low);
    for _ in 0..40 {
        chain.block(vec![]).await;
    }
    let high = store_case(&mut chain, 1).await;
    let far = cost(&chain, high);
    // The proof: the same reads 41 blocks higher. The badge: one more block of hops (block `high`) to certify,
    // not one read per block below it.
    assert_eq!(far.0, near.0, "proof header reads at block {high} vs {low}");
    assert_eq!(
        far.1,
        near.1 + 1,
        "badge header reads with hops up to block {high} vs {low}"
    );
}

#[tokio::test]
async fn proofs_across_a_validator_set_hand_over_come_from_the_index() {
    let mut chain = story().await;
    // The regulators hand over to a new set (alice alone, with another power: another set hash): alice
    // proposes, bob's approval reaches the demo's threshold of two and executes it.
    chain
        .block(vec![(
            "alice",
            yima_runtime::RuntimeCall::Membership(yima_membership::Call::Propose {
                action: yima_membership::Action::SetValidators {
                    validators: vec![yima_membership::Validator {
                        key: yima_chain_spec::dev_keys::dev_account("alice"),
                        power: 2,
                    }],
                },
            }),
        )])
        .await;
    let handover = chain
        .block(vec![(
            "bob",
            yima_runtime::RuntimeCall::Membership(yima_membership::Call::Approve { id: 0 }),
        )])
        .await;
    assert_eq!(chain.refusals(handover.number), Vec::<String>::new());
    assert_ne!(
        handover.next_validators_hash, handover.validators_hash,
        "block {} hands over",
        handover.number
    );
    chain.block(vec![]).await;
    let later = store_case(&mut chain, 1).await;
    let store = chain.host.store().clone();
    assert_eq!(
        store.handovers_below(later + 1).unwrap(),
        vec![handover.number]
    );
    assert_eq!(
        store.handovers_below(handover.number).unwrap(),
        Vec::<u64>::new()
    );
    let before = store.header_reads();
    let proof = yima_node::rpc::proof::event_proof(&chain.host, later, 0).expect("a proof");
    assert_eq!(
        store.header_reads() - before,
        2,
        "the block's header and the hand-over's, nothing below"
    );
    assert_eq!(proof.set_changes.len(), 1);
    let anchor = yima_consensus::proof::TrustAnchor::from_genesis(&chain.genesis);
    proof
        .verify(&anchor)
        .expect("verifies through the hand-over");
    let mut without = proof.clone();
    without.set_changes.clear();
    assert!(without.verify(&anchor).is_err(), "the hand-over is needed");

    // The audit bundle reads the hand-overs once for all its proofs; each verifies, before and after it.
    let path = format!("/bundle{}", yima_node::web::routes::scan_path(&case()));
    let web = yima_node::web::routes::parse(&path, None, Some("application/json"), None).unwrap();
    let bundle = body(yima_node::web::answer(
        &chain.host,
        &web,
        &path,
        None,
        "http://localhost",
    ))
    .await;
    let proofs = bundle["proofs"].as_array().unwrap();
    assert!(proofs.iter().any(|p| p["block"] == later));
    for p in proofs {
        let bytes = hex::decode(&p["bundle"].as_str().unwrap()[2..]).unwrap();
        let proof = yima_consensus::proof::EventProof::from_bytes(&bytes).unwrap();
        proof.verify(&anchor).expect("every bundled proof verifies");
    }
}

#[tokio::test]
async fn alerts_are_computed_once_per_block_for_every_subscriber() {
    let mut chain = story().await;
    let rpc = Rpc::new(chain.host.clone(), false);
    let module = rpc.clone().into_module();
    let mut subscriptions = Vec::new();
    for _ in 0..8 {
        subscriptions.push(
            module
                .subscribe_unbounded("alerts_subscribe", rpc_params![])
                .await
                .unwrap(),
        );
    }
    let store = chain.host.store().clone();
    let before = store.event_reads();
    let t = chain.now();
    let header = chain
        .block(vec![(
            "cdc",
            capture(vec![ship("vaccination_site", t, 350, 1_020)]),
        )])
        .await;
    for subscription in &mut subscriptions {
        let (alert, _) = tokio::time::timeout(WAIT, subscription.next::<AlertJson>())
            .await
            .expect("an alert")
            .expect("subscription open")
            .unwrap();
        assert_eq!(
            (alert.block, alert.kind.as_str()),
            (header.number, "temperature_excursion")
        );
    }
    assert_eq!(
        rpc.alert_hub().blocks_scanned(),
        1,
        "the block's alerts are computed once for 8 subscribers"
    );
    assert_eq!(
        store.event_reads() - before,
        1,
        "the block's events are read once for 8 subscribers"
    );
}

#[tokio::test]
async fn a_huge_trace_is_paginated_and_capped() {
    let mut chain = story().await;
    store_case(&mut chain, 600).await;
    let code = case().to_string();
    let first: TraceJson = chain
        .rpc
        .call("trace_history", rpc_params![code.clone()])
        .await
        .unwrap();
    assert_eq!(first.hops.len(), MAX_HOPS, "one answer carries one page");
    let total = first.total as usize;
    assert!(total > MAX_HOPS, "{total} hops in all");
    // Following the cursor reads every hop once, in chain order.
    let mut hops = first.hops;
    let mut cursor = first.next_cursor;
    while let Some(at) = cursor {
        let page: TraceJson = chain
            .rpc
            .call("trace_history", rpc_params![code.clone(), at, 250u64])
            .await
            .unwrap();
        assert!(page.hops.len() <= 250);
        hops.extend(page.hops);
        cursor = page.next_cursor;
    }
    assert_eq!(hops.len(), total);
    assert!(hops
        .windows(2)
        .all(|w| (w[0].at.block, w[0].at.index) < (w[1].at.block, w[1].at.index)));
    // A page above the cap is refused, naming it.
    let (code_, message) = chain
        .error(
            "trace_history",
            rpc_params![code, 0u64, (MAX_HOPS + 1) as u64],
        )
        .await;
    assert_eq!(code_, yima_node::rpc::BAD_PARAMS);
    assert!(message.contains(&MAX_HOPS.to_string()), "{message}");

    // The web's answers are paged too: scan JSON, the audit bundle, the dashboard.
    let host = chain.host.clone();
    let get = |path: &str| {
        let web = yima_node::web::routes::parse(
            path.split('?').next().unwrap(),
            path.split_once('?').map(|(_, q)| q),
            Some("application/json"),
            None,
        )
        .expect("a web route");
        let r = yima_node::web::answer(&host, &web, path, None, "http://localhost");
        assert_eq!(r.status(), 200, "{path}");
        r
    };
    let scan_path = yima_node::web::routes::scan_path(&case());
    let scan = body(get(&format!("{scan_path}?limit=10&cursor=20"))).await;
    assert_eq!(scan["trace"]["hops"].as_array().unwrap().len(), 10);
    assert_eq!(scan["trace"]["nextCursor"], 30);
    assert_eq!(scan["verified"], true, "the page's hops verify");
    let bundle = body(get(&format!("/bundle{scan_path}?limit=10"))).await;
    assert_eq!(bundle["proofs"].as_array().unwrap().len(), 10);
    assert_eq!(bundle["nextCursor"], 10);
    assert_eq!(bundle["total"], total);
    let dashboard = body(get("/dashboard?limit=1")).await;
    let head = chain.host.store().head_number().unwrap().unwrap();
    assert_eq!(dashboard["nextCursor"], head - 1, "one block read");
}

async fn body(r: jsonrpsee::server::HttpResponse) -> serde_json::Value {
    use http_body_util::BodyExt;
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn readers_cannot_starve_block_execution() {
    // Two blocking threads, as if every other one were taken; readers may hold one.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let chain = story().await;
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = std::sync::Arc::new(std::sync::Mutex::new(gate));
        // Readers that hold their thread until released (a slow page, a long proof), through the server's
        // bound as every web page and reader method goes.
        let bound = Readers::new(1);
        let mut readers = Vec::new();
        for _ in 0..4 {
            let gate = gate.clone();
            let bound = bound.clone();
            readers.push(tokio::spawn(async move {
                bound
                    .run(move || {
                        let _ = gate.lock().unwrap().recv();
                    })
                    .await
            }));
        }
        // The first reader holds its thread and the others wait for a turn, holding none.
        while bound.running() < 1 {
            tokio::task::yield_now().await;
        }
        // Consensus executes the next block meanwhile.
        let host = chain.host.clone();
        let (head, _) = yima_consensus::Host::latest(&*host).unwrap();
        let executed = tokio::time::timeout(
            WAIT,
            tokio::task::spawn_blocking(move || {
                yima_consensus::Host::build_block(
                    &*host,
                    head + 1,
                    0,
                    yima_chain_spec::dev_keys::dev_account("alice"),
                    Duration::from_secs(1),
                )
            }),
        )
        .await;
        for _ in 0..4 {
            let _ = release.send(());
        }
        for reader in readers {
            reader.await.unwrap().unwrap();
        }
        executed
            .expect("block execution waited for the readers")
            .unwrap()
            .expect("the block builds");
    });
}
