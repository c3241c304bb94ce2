//! Scan page time to first byte and to the last byte for a 50-hop history on a real `yima-node --dev` (release
//! build, demo histories seeded): the history is recorded through signed transactions, then the page is fetched
//! over fresh loopback connections, HTML and JSON, and the demo's dumplings page for comparison. The page has no
//! sub-resources (inline CSS and SVG), so the last byte is the full load.
//!
//! `cargo bench -p yima-node --bench scan_page` (`SCAN_BENCH_REQUESTS`, default 200).

#[path = "../tests/web_support/mod.rs"]
mod web_support;

use std::time::Duration;

use web_support::{record_long_history, DevNode, DUMPLINGS};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn measure(node: &DevNode, label: &str, path: &str, headers: &[(&str, &str)], n: usize) {
    for _ in 0..10 {
        assert_eq!(node.get(path, headers).status, 200, "{path}");
    }
    let mut ttfb = Vec::with_capacity(n);
    let mut total = Vec::with_capacity(n);
    let mut bytes = 0;
    for _ in 0..n {
        let f = node.get(path, headers);
        assert_eq!(f.status, 200);
        bytes = f.body.len();
        ttfb.push(f.ttfb);
        total.push(f.total);
    }
    ttfb.sort();
    total.sort();
    println!(
        "| {label} | {n} | {} | {} | {} | {} | {} | {:.1} KiB |",
        ms(percentile(&ttfb, 0.5)),
        ms(percentile(&ttfb, 0.95)),
        ms(percentile(&ttfb, 1.0)),
        ms(percentile(&total, 0.5)),
        ms(percentile(&total, 0.95)),
        bytes as f64 / 1024.0
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("SCAN_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let node = DevNode::start(&[]).await;
    node.wait_for_demo().await;
    let code = record_long_history(&node, 50, "BENCH0050").await;
    let path = code.to_string();
    let height: serde_json::Value =
        serde_json::from_slice(&node.get("/dashboard?format=json", &[]).body).expect("health");
    println!(
        "scan page, 50-hop history {path}, dev node at height {}",
        height["health"]["height"]
    );
    println!("| page | requests | TTFB p50 | TTFB p95 | TTFB max | full p50 | full p95 | size |");
    println!("|---|---|---|---|---|---|---|---|");
    tokio::task::spawn_blocking(move || {
        measure(&node, "50 hops, HTML (zh)", &path, &[], n);
        measure(
            &node,
            "50 hops, HTML (en)",
            &path,
            &[("Accept-Language", "en")],
            n,
        );
        measure(
            &node,
            "50 hops, JSON",
            &path,
            &[("Accept", "application/json")],
            n,
        );
        measure(&node, "demo dumplings (8 hops), HTML", DUMPLINGS, &[], n);
        measure(
            &node,
            "QR PNG",
            "/qr/01/06970000000017/21/DP0001.png",
            &[],
            n,
        );
    })
    .await
    .expect("bench");
}
