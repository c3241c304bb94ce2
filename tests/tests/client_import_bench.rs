//! Import throughput of `yima import epcis` against a 4-validator Testnet: a generated EPCIS 2.0 document of
//! `YIMA_IMPORT_EVENTS` commissioning ObjectEvents (default 100,000; one item each, one lot), imported with the
//! CLI's defaults (200 events per transaction, 16 transactions in flight: `YIMA_IMPORT_IN_FLIGHT`), each transaction's outcome proven.
//! Prints the CLI's report (events/s from first submission to the last finality). Ignored by default (minutes):
//!
//! `YIMA_IMPORT_EVENTS=100000 cargo test -p yima-tests --test client_import_bench -- --ignored --nocapture`

mod client_support;

use client_support::{ok, ok_json, yima};
use yima_tests::testnet::Testnet;

fn document(events: usize) -> String {
    let mut out = String::with_capacity(events * 420 + 400);
    out.push_str(
        "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],\"type\":\"EPCISDocument\",\
         \"schemaVersion\":\"2.0\",\"creationDate\":\"2026-06-02T12:00:00Z\",\"epcisBody\":{\"eventList\":[\n",
    );
    for i in 0..events {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "{{\"type\":\"ObjectEvent\",\"eventTime\":\"2026-06-01T08:00:00.000+08:00\",\"eventTimeZoneOffset\":\"+08:00\",\
             \"epcList\":[\"https://id.gs1.org/01/09521234543213/21/B{i}\"],\"action\":\"ADD\",\"bizStep\":\"commissioning\",\
             \"disposition\":\"active\",\"ilmd\":{{\"lotNumber\":\"BULK1\",\"productionDate\":\"2026-05-31\",\
             \"itemExpirationDate\":\"2027-05-31\"}}}}"
        ));
    }
    out.push_str("]}}\n");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a throughput measurement: minutes on a small machine"]
async fn import_throughput_of_a_large_epcis_file_on_four_validators() {
    let events: usize = std::env::var("YIMA_IMPORT_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let net = Testnet::start(4).await.unwrap();
    net.wait_for_height(0, 1, net.timeout()).await.unwrap();
    let url = format!("http://127.0.0.1:{}", net.identity(0).rpc_port);
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("bulk.jsonld");
    std::fs::write(&doc, document(events)).unwrap();
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "dave",
            "tx",
            "trace",
            "register-product",
            "--product",
            "09521234543213",
            "--name",
            "bulk",
            "--category",
            "food",
        ],
    );
    let started = std::time::Instant::now();
    let report = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "dave",
            "--timeout",
            "600",
            "import",
            "epcis",
            doc.to_str().unwrap(),
        ],
    );
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(report["imported"].as_u64(), Some(events as u64), "{report}");
    println!(
        "import: {events} events, {} transactions, {:.1} s to finality ({:.0} events/s); whole command {wall:.1} s \
         ({:.0} events/s incl. parsing and signing)",
        report["transactions"],
        report["seconds"].as_f64().unwrap(),
        report["eventsPerSecond"].as_f64().unwrap(),
        events as f64 / wall
    );
}
