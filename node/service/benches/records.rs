//! `records_*` and `trace_orgEvents` answer times on a real `yima-node --dev` (release build, demo histories seeded): each read-back
//! called over loopback HTTP JSON-RPC, personal ones with a fresh grant signed by an entitled demo member, and the
//! client's check of the same answer (proofs verified, answer recomputed) timed apart.
//!
//! `cargo bench -p yima-node --bench records` (`RECORDS_BENCH_REQUESTS`, default 500).

#[path = "../tests/web_support/mod.rs"]
mod web_support;

use std::time::{Duration, Instant};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::rpc_params;
use parity_scale_codec::Encode;
use web_support::DevNode;
use yima_attestation::types::{PseudonymousId, Subject};
use yima_chain_spec::demo::people::person;
use yima_chain_spec::dev_keys::dev_key;
use yima_chain_spec::presets::DEMO_ORGANISATIONS;
use yima_frame::Hash;
use yima_node::rpc::HeaderJson;
use yima_rpc_api::params::{parse_lot, parse_subject, subject_text};
use yima_rpc_api::readback;
use yima_rpc_api::reads::{Reader, Verified};
use yima_rpc_api::records::PersonalRecord;
use yima_rpc_api::trace::TraceApiClient;
use yima_rpc_api::{ReadGrant, RecordsApiClient};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn grant(genesis: &Hash, signer: &str, record: PersonalRecord, subject: &impl Encode) -> ReadGrant {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    ReadGrant::sign(
        &dev_key(signer),
        genesis,
        record.method(),
        &subject.encode(),
        now + 60_000,
    )
}

fn row(label: &str, mut rpc: Vec<Duration>, mut check: Vec<Duration>, reads: usize) {
    rpc.sort();
    check.sort();
    println!(
        "| {label} | {} | {reads} | {} | {} | {} | {} |",
        rpc.len(),
        ms(percentile(&rpc, 0.5)),
        ms(percentile(&rpc, 0.99)),
        ms(percentile(&rpc, 1.0)),
        ms(percentile(&check, 0.5)),
    );
}

/// Times `n` calls of `call`, and the client's check of one answer `n` times.
macro_rules! measure {
    ($node:expr, $n:expr, $label:expr, $call:expr, $replay:expr) => {{
        for _ in 0..10 {
            $call.await.expect($label);
        }
        let mut rpc = Vec::with_capacity($n);
        let mut answer = None;
        for _ in 0..$n {
            let t = Instant::now();
            let a = $call.await.expect($label);
            rpc.push(t.elapsed());
            answer = Some(a);
        }
        let answer = answer.unwrap();
        let header: HeaderJson = $node
            .http
            .request("chain_getHeader", rpc_params![answer.proof.height])
            .await
            .unwrap();
        let root = Hash::from_hex(&header.state_root).unwrap();
        let mut check = Vec::with_capacity($n);
        for _ in 0..$n {
            let t = Instant::now();
            let verified = Verified::check(&answer.proof, root).unwrap();
            let value = $replay(&mut Reader::new(verified), header.timestamp).unwrap();
            check.push(t.elapsed());
            assert_eq!(value, answer.value, "{}", $label);
        }
        row($label, rpc, check, answer.proof.reads.len());
    }};
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("RECORDS_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    // One connection makes every call: lift the per-connection rate limit.
    let node = DevNode::start(&["--rpc-rate-limit", "0"]).await;
    node.wait_for_demo().await;
    let genesis: HeaderJson = node
        .http
        .request("chain_getHeader", rpc_params![0])
        .await
        .unwrap();
    let genesis = Hash::from_hex(&genesis.hash).unwrap();
    let head: HeaderJson = node
        .http
        .request("chain_getFinalizedHead", rpc_params![])
        .await
        .unwrap();
    println!(
        "records_* on a dev node at height {}, {n} calls each",
        head.number
    );
    println!("| method | calls | state reads | RPC p50 | RPC p99 | RPC max | client check p50 |");
    println!("|---|---|---|---|---|---|---|");
    let http = &node.http;

    let recipient = person("recipient 1");
    let text = Hash(recipient.0).to_string();
    measure!(
        node,
        n,
        "records_recordCard (recipient 1)",
        http.record_card(
            text.clone(),
            grant(
                &genesis,
                "vaccination_site",
                PersonalRecord::RecordCard,
                &recipient
            )
        ),
        |r: &mut Reader<Verified>, _| readback::record_card(r, &recipient)
    );

    let buyer = person("buyer 1");
    let text = Hash(buyer.0).to_string();
    measure!(
        node,
        n,
        "records_purchaseWindow (buyer 1)",
        http.purchase_window(
            text.clone(),
            grant(&genesis, "pharmacy", PersonalRecord::PurchaseWindow, &buyer)
        ),
        |r: &mut Reader<Verified>, now| readback::purchase_window(r, &buyer, now)
    );

    let id = yima_chain_spec::demo::drug::prescription();
    measure!(
        node,
        n,
        "records_prescription (demo prescription)",
        http.prescription(
            id.to_string(),
            grant(&genesis, "pharmacy", PersonalRecord::Prescription, &id)
        ),
        |r: &mut Reader<Verified>, _| readback::prescription(r, &id)
    );

    let pharmacist: PseudonymousId = person("pharmacist 01");
    let text = Hash(pharmacist.0).to_string();
    measure!(
        node,
        n,
        "records_pharmacist (pharmacist 01)",
        http.pharmacist(text.clone()),
        |r: &mut Reader<Verified>, _| readback::pharmacist(r, &pharmacist)
    );

    let drug = yima_chain_spec::demo::drug::AMOXICILLIN;
    let lot = parse_lot(&format!("{drug}/B{drug}")).unwrap();
    measure!(
        node,
        n,
        "records_blackBox (amoxicillin batch)",
        http.black_box(format!("{drug}/B{drug}")),
        |r: &mut Reader<Verified>, _| readback::black_box(r, &lot)
    );

    let beef = yima_chain_spec::demo::cold_chain::sold_lot();
    let beef_text = yima_rpc_api::params::lot_text(&beef);
    measure!(
        node,
        n,
        "records_customsEntry (frozen beef lot)",
        http.customs_entry(beef_text.clone()),
        |r: &mut Reader<Verified>, _| readback::customs_entry(r, &beef)
    );

    let subject: Subject = Subject::Lot(yima_attestation::types::LotRef {
        product: beef.product,
        lot: beef.lot,
    });
    let subject_str = subject_text(&subject);
    assert_eq!(parse_subject(&subject_str).unwrap(), subject);
    measure!(
        node,
        n,
        "records_attestations (frozen beef lot)",
        http.attestations(subject_str.clone(), None),
        |r: &mut Reader<Verified>, now| readback::attestations(r, &subject, now)
    );

    // `trace_orgEvents`: the first page (50 events) of the importer's history, and the client's check of each
    // event's proof is `yima records org-events` (timed apart: it is one `proof_event` per event).
    let importer = yima_chain_spec::demo::trace::org("importer");
    for _ in 0..10 {
        http.org_events(importer, None, Some(50))
            .await
            .expect("trace_orgEvents");
    }
    let mut rpc = Vec::with_capacity(n);
    let mut events = 0;
    for _ in 0..n {
        let t = Instant::now();
        let page = http
            .org_events(importer, None, Some(50))
            .await
            .expect("trace_orgEvents");
        rpc.push(t.elapsed());
        events = page.events.len();
    }
    rpc.sort();
    println!(
        "| trace_orgEvents (the importer, a page of {events} events) | {} | — | {} | {} | {} | — |",
        rpc.len(),
        ms(percentile(&rpc, 0.5)),
        ms(percentile(&rpc, 0.99)),
        ms(percentile(&rpc, 1.0)),
    );

    let uscc_text = DEMO_ORGANISATIONS
        .iter()
        .find(|(k, ..)| *k == "importer")
        .unwrap()
        .3;
    let uscc = yima_membership::uscc::Uscc::parse(uscc_text).unwrap();
    measure!(
        node,
        n,
        "records_organisation (the importer)",
        http.organisation(uscc_text.to_string()),
        |r: &mut Reader<Verified>, now| readback::organisation(r, &uscc, now)
    );
}
