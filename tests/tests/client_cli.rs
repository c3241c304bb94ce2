//! The `yima` CLI against a real 4-validator Testnet: a key generated (encrypted) and admitted by the
//! manufacturer's admin; a product registered; a CSV custody log imported, rerun (nothing resubmitted) and
//! recovered after a simulated crash (journal without its `done` lines: nothing resubmitted either); trace,
//! recall; an audit bundle written and verified offline against the Testnet's chain spec; the tampering matrix
//! (event, Merkle path, header, certificate, validator set, set change, hop place, chain); an EPCIS document with
//! object, aggregation, transformation and sensor events imported and exported back (same events, same CBV
//! hashes); alerts. Regulators admit a pharmacy (propose, approve), read it back by USCC, suspend and reinstate
//! it, and register a new attestation schema through governance.

mod client_support;

use std::path::Path;

use client_support::{data, fails, ok, ok_json, yima};
use parity_scale_codec::{Decode, Encode};
use serde_json::Value;
use yima_consensus::proof::EventProof;
use yima_tests::testnet::Testnet;

const PASS: &str = "correct horse battery staple";
const ITEM: &str = "(01)09521234543213(21)C1";

fn url(net: &Testnet) -> String {
    format!("http://127.0.0.1:{}", net.identity(0).rpc_port)
}

/// Rewrites hop `hop` of the bundle at `src` with `edit` applied to its proof, into `dst`.
fn tamper(src: &Path, dst: &Path, hop: usize, edit: impl FnOnce(&mut EventProof)) {
    let mut bundle: Value = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    let hex_proof = bundle["hops"][hop]["proof"].as_str().unwrap().to_string();
    let bytes = hex::decode(hex_proof.trim_start_matches("0x")).unwrap();
    let mut proof = EventProof::decode(&mut &bytes[..]).unwrap();
    edit(&mut proof);
    bundle["hops"][hop]["proof"] = Value::String(format!("0x{}", hex::encode(proof.encode())));
    std::fs::write(dst, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
}

fn verify_fails(url: &str, bundle: &Path, spec: &Path, expect: &[&str]) {
    let stderr = fails(
        &mut yima(url),
        &[
            "verify",
            bundle.to_str().unwrap(),
            "--chain-spec",
            spec.to_str().unwrap(),
        ],
        3,
    );
    for e in expect {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_keys_import_trace_recall_proof_verify_and_epcis_round_trip_on_a_testnet() {
    let net = Testnet::start(4).await.unwrap();
    net.wait_for_height(0, 1, net.timeout()).await.unwrap();
    let url = url(&net);
    let dir = tempfile::tempdir().unwrap();
    let spec = net.spec_path().to_path_buf();
    let key = dir.path().join("operator.key");
    let key_s = key.to_str().unwrap();

    // An encrypted key, admitted as an Operator of the manufacturer by its admin (dev key `dave`).
    let generated = ok_json(
        yima(&url).env("YIMA_PASSPHRASE", PASS),
        &["key", "generate", "--out", key_s, "--encrypt"],
    );
    let account = generated["account"].as_str().unwrap().to_string();
    assert_eq!(generated["encrypted"], true);
    let added = ok_json(
        &mut yima(&url),
        &[
            "tx",
            "--dev-key",
            "dave",
            "membership",
            "add-account",
            "--account",
            &account,
            "--roles",
            "operator,admin",
        ],
    );
    assert!(added["error"].is_null(), "{added}");
    // Regulators admit a pharmacy end to end: alice proposes (a bad USCC first: refused before anything is
    // sent), bob approves and the admission is carried out — each answer read from the transaction's proven
    // events —, and the pharmacy's new admin can then act on chain.
    let pharmacy_key = dir.path().join("pharmacy.key");
    let pharmacy_admin = ok_json(
        &mut yima(&url),
        &["key", "generate", "--out", pharmacy_key.to_str().unwrap()],
    )["account"]
        .as_str()
        .unwrap()
        .to_string();
    let admit = |uscc: &str| {
        vec![
            "--dev-key".to_string(),
            "alice".into(),
            "governance".into(),
            "propose".into(),
            "admit-organisation".into(),
            "--name".into(),
            "Client test pharmacy".into(),
            "--kind".into(),
            "pharmacy".into(),
            "--uscc".into(),
            uscc.into(),
            "--admin".into(),
            pharmacy_admin.clone(),
        ]
    };
    let bad: Vec<String> = admit("91330100MA2Y01313X");
    let refused = fails(
        &mut yima(&url),
        &bad.iter().map(String::as_str).collect::<Vec<_>>(),
        1,
    );
    assert!(refused.contains("is not a USCC"), "{refused}");
    let good: Vec<String> = admit("91330100MA2Y01313Q");
    let proposed = ok_json(
        &mut yima(&url),
        &good.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(proposed["executed"], false, "{proposed}");
    let id = proposed["proposal"]
        .as_u64()
        .expect("a proposal id")
        .to_string();
    let approved = ok_json(
        &mut yima(&url),
        &["--dev-key", "bob", "governance", "approve", "--id", &id],
    );
    assert_eq!(approved["executed"], true, "{approved}");
    assert_eq!(approved["proposal"].as_u64().unwrap().to_string(), id);
    let staff = ok_json(
        &mut yima(&url),
        &[
            "key",
            "generate",
            "--out",
            dir.path().join("staff.key").to_str().unwrap(),
        ],
    );
    let hired = ok_json(
        yima(&url).env("YIMA_KEY", &pharmacy_key),
        &[
            "tx",
            "membership",
            "add-account",
            "--account",
            staff["account"].as_str().unwrap(),
            "--roles",
            "operator",
        ],
    );
    assert!(hired["error"].is_null(), "{hired}");

    // The pharmacy read back by its USCC (proven), suspended by alice's regulator — its admin can then add no
    // one — and reinstated by the same regulator.
    let pharmacy = |url: &str| {
        ok_json(
            &mut yima(url),
            &["records", "organisation", "91330100MA2Y01313Q"],
        )
    };
    let read = pharmacy(&url);
    assert_eq!(read["value"]["kind"], "pharmacy", "{read}");
    assert_eq!(read["value"]["status"], "active", "{read}");
    let org_id = read["value"]["id"].as_u64().unwrap().to_string();
    let membership = |key: &str, call: &str| {
        ok_json(
            &mut yima(&url),
            &["--dev-key", key, "tx", "membership", call, "--org", &org_id],
        )
    };
    let suspended = membership("alice", "suspend-organisation");
    assert!(suspended["error"].is_null(), "{suspended}");
    let read = pharmacy(&url);
    assert_eq!(read["value"]["status"], "suspended", "{read}");
    let staff2 = ok_json(
        &mut yima(&url),
        &[
            "key",
            "generate",
            "--out",
            dir.path().join("staff2.key").to_str().unwrap(),
        ],
    );
    let (out, _, refused) = client_support::run(
        yima(&url).env("YIMA_KEY", &pharmacy_key),
        &[
            "tx",
            "membership",
            "add-account",
            "--account",
            staff2["account"].as_str().unwrap(),
            "--roles",
            "operator",
        ],
    );
    assert!(
        !out.status.success(),
        "a suspended organisation's admin acted"
    );
    assert!(refused.contains("suspended"), "{refused}");
    let reinstated = membership("alice", "reinstate-organisation");
    assert!(reinstated["error"].is_null(), "{reinstated}");
    assert_eq!(pharmacy(&url)["value"]["status"], "active");

    // Regulators register a new certificate kind: a subject kind the chain has not is refused before anything is
    // sent; alice proposes, bob approves and it is carried out.
    let schema = |subject: &str| {
        vec![
            "--dev-key".to_string(),
            "alice".into(),
            "governance".into(),
            "propose".into(),
            "register-schema".into(),
            "--name".into(),
            "cold_storage_licence".into(),
            "--issuers".into(),
            "regulator".into(),
            "--subject".into(),
            subject.into(),
            "--max-validity-days".into(),
            "365".into(),
        ]
    };
    let refused = fails(
        &mut yima(&url),
        &schema("pallet")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        1,
    );
    assert!(refused.contains("unknown subject kind"), "{refused}");
    let proposed = ok_json(
        &mut yima(&url),
        &schema("organisation")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let id = proposed["proposal"].as_u64().unwrap().to_string();
    let approved = ok_json(
        &mut yima(&url),
        &["--dev-key", "bob", "governance", "approve", "--id", &id],
    );
    assert_eq!(approved["executed"], true, "{approved}");

    // The chain's person-id derivation, read from the node's state with its proof checked: the dev key is the
    // local chain's, so it derives the demo's ids.
    let derived = ok(
        &mut yima(&url),
        &["person-id", "derive", "--dev-id-key", "330106198503150016"],
    );
    assert_eq!(
        derived.trim(),
        format!(
            "0x{}",
            hex::encode(yima_chain_spec::demo::people::person("recipient 1").0)
        )
    );
    let with_key = || {
        let mut c = yima(&url);
        c.env("YIMA_PASSPHRASE", PASS).env("YIMA_KEY", &key);
        c
    };
    ok(
        &mut with_key(),
        &[
            "tx",
            "trace",
            "register-product",
            "--product",
            "09521234543213",
            "--name",
            "Client test tea",
            "--category",
            "food",
        ],
    );
    // The same call again is refused on chain: non-zero exit naming the failure.
    let refused = fails(
        &mut with_key(),
        &[
            "tx",
            "trace",
            "register-product",
            "--product",
            "09521234543213",
            "--name",
            "again",
            "--category",
            "food",
        ],
        1,
    );
    assert!(refused.contains("failed"), "{refused}");

    // CSV custody log; a rerun imports nothing; a crash after submission (journal without `done`) resubmits
    // nothing either.
    let csv = dir.path().join("custody.csv");
    std::fs::copy(data("custody.csv"), &csv).unwrap();
    let csv_s = csv.to_str().unwrap();
    let first = ok_json(&mut with_key(), &["import", "csv", csv_s, "--batch", "2"]);
    assert_eq!(first["total"], 5, "{first}");
    assert_eq!(first["imported"], 5, "{first}");
    assert_eq!(first["transactions"], 3, "{first}");
    let again = ok_json(&mut with_key(), &["import", "csv", csv_s]);
    assert_eq!(
        (again["skipped"].as_u64(), again["transactions"].as_u64()),
        (Some(5), Some(0)),
        "{again}"
    );
    let journal = dir.path().join("custody.csv.yima-journal");
    let signed_only: String = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"kind\":\"signed\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&journal, signed_only).unwrap();
    let recovered = ok_json(&mut with_key(), &["import", "csv", csv_s]);
    assert_eq!(
        (
            recovered["recovered"].as_u64(),
            recovered["transactions"].as_u64()
        ),
        (Some(5), Some(0)),
        "{recovered}"
    );

    // Trace (any scanned form) and recall.
    let trace = ok_json(
        &mut yima(&url),
        &["trace", "https://id.gs1.org/01/09521234543213/21/C1"],
    );
    let steps: Vec<&str> = trace["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"]["bizStep"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["commissioning", "storing", "shipping"], "{trace}");
    let tree = ok(&mut yima(&url), &["trace", ITEM]);
    assert!(
        tree.contains("hops (3)") && tree.contains("shipping"),
        "{tree}"
    );
    let recall = ok_json(&mut yima(&url), &["recall", "09521234543213/CSV1"]);
    assert_eq!(recall["rows"].as_array().unwrap().len(), 3, "{recall}");
    let table = ok(&mut yima(&url), &["recall", "(01)09521234543213(10)CSV1"]);
    assert!(
        table.contains("holder") && table.contains("/01/09521234543213/21/C2"),
        "{table}"
    );

    // Audit bundle, verified offline (no --url needed: a dead URL proves it).
    let bundle = dir.path().join("bundle.json");
    ok(
        &mut yima(&url),
        &["proof", ITEM, "--out", bundle.to_str().unwrap()],
    );
    let offline = "http://127.0.0.1:9";
    let verified = ok_json(
        &mut yima(offline),
        &[
            "verify",
            bundle.to_str().unwrap(),
            "--chain-spec",
            spec.to_str().unwrap(),
        ],
    );
    assert_eq!(verified["ok"], true);
    assert_eq!(verified["hops"].as_array().unwrap().len(), 3);
    assert!(
        verified["hops"][0]["signedPower"].as_u64().unwrap() * 3
            > verified["hops"][0]["totalPower"].as_u64().unwrap() * 2
    );
    if let Some(out) = std::env::var_os("YIMA_CLIENT_FIXTURES") {
        let out = Path::new(&out);
        std::fs::create_dir_all(out).unwrap();
        std::fs::copy(&bundle, out.join("bundle.json")).unwrap();
        std::fs::copy(&spec, out.join("spec.json")).unwrap();
    }

    // The tampering matrix: each broken link named, with its hop.
    let bad = dir.path().join("bad.json");
    tamper(&bundle, &bad, 0, |p| {
        let last = p.record.len() - 1;
        p.record[last] ^= 1;
    });
    verify_fails(
        offline,
        &bad,
        &spec,
        &["hop 1", "event or Merkle path is broken"],
    );
    tamper(&bundle, &bad, 1, |p| match p.path.path.first_mut() {
        Some(h) => h.0[0] ^= 1,
        None => p.path.total += 1,
    });
    verify_fails(
        offline,
        &bad,
        &spec,
        &["hop 2", "event or Merkle path is broken"],
    );
    tamper(&bundle, &bad, 0, |p| p.block.header.timestamp += 1);
    verify_fails(offline, &bad, &spec, &["hop 1", "header is broken"]);
    tamper(&bundle, &bad, 0, |p| {
        let last = p.block.certificate.len() - 1;
        p.block.certificate[last] ^= 1;
    });
    verify_fails(
        offline,
        &bad,
        &spec,
        &["hop 1", "commit certificate is broken"],
    );
    tamper(&bundle, &bad, 2, |p| p.block.validators[0].power += 1);
    verify_fails(offline, &bad, &spec, &["hop 3", "validator set is broken"]);
    tamper(&bundle, &bad, 0, |p| {
        let fake = p.block.clone();
        p.set_changes.push(fake);
    });
    verify_fails(
        offline,
        &bad,
        &spec,
        &["hop 1", "validator-set change is broken"],
    );
    let mut moved: Value =
        serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    moved["hops"][0]["index"] = Value::from(moved["hops"][0]["index"].as_u64().unwrap() + 1);
    std::fs::write(&bad, moved.to_string()).unwrap();
    verify_fails(
        offline,
        &bad,
        &spec,
        &["hop 1", "bundle field is broken", "`index`"],
    );
    // Another chain's spec, and the bundle claiming that chain.
    let dev_spec = dir.path().join("dev.json");
    yima_chain_spec::presets::dev()
        .write_json_file(&dev_spec)
        .unwrap();
    verify_fails(offline, &bundle, &dev_spec, &["the bundle is for chain"]);
    let dev_genesis = yima_chain_spec::presets::dev()
        .genesis_hash()
        .unwrap()
        .to_string();
    let mut claimed: Value =
        serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    claimed["genesisHash"] = Value::String(dev_genesis);
    std::fs::write(&bad, claimed.to_string()).unwrap();
    verify_fails(offline, &bad, &dev_spec, &["hop 1", "is broken"]);

    // EPCIS: object (ilmd), aggregation, transformation and sensor events in, the same events out.
    let doc = dir.path().join("history.jsonld");
    std::fs::copy(data("history.jsonld"), &doc).unwrap();
    let imported = ok_json(&mut with_key(), &["import", "epcis", doc.to_str().unwrap()]);
    assert_eq!(
        (imported["total"].as_u64(), imported["imported"].as_u64()),
        (Some(6), Some(6)),
        "{imported}"
    );
    let exported_path = dir.path().join("export.jsonld");
    ok(
        &mut yima(&url),
        &[
            "export",
            "epcis",
            "09521234543213/RT1",
            "09521234543213/RT2",
            "/00/095212340000000013",
            "--out",
            exported_path.to_str().unwrap(),
        ],
    );
    let resolver = |p: &yima_epcis::PartyId| match p {
        yima_epcis::PartyId::Other(s) => {
            s.strip_prefix("urn:yima:org:").and_then(|n| n.parse().ok())
        }
        yima_epcis::PartyId::Gln(_) => None,
    };
    let original =
        yima_epcis::parse_document(&std::fs::read_to_string(&doc).unwrap(), &resolver).unwrap();
    let exported =
        yima_epcis::parse_document(&std::fs::read_to_string(&exported_path).unwrap(), &resolver)
            .unwrap();
    let mut ids_in: Vec<_> = original.iter().map(|e| e.event.event_id).collect();
    let mut ids_out: Vec<_> = exported.iter().map(|e| e.event.event_id).collect();
    ids_in.sort();
    ids_out.sort();
    assert_eq!(ids_in, ids_out, "the same CBV event hashes");
    for e in &original {
        let back = exported
            .iter()
            .find(|x| x.event.event_id == e.event.event_id)
            .unwrap();
        assert_eq!(
            back.event, e.event,
            "event {} comes back unchanged",
            e.index
        );
    }
    // An EPCIS document with a bad event is refused whole, naming the event and its line.
    let bad_doc = dir.path().join("bad.jsonld");
    std::fs::write(
        &bad_doc,
        std::fs::read_to_string(&doc)
            .unwrap()
            .replace("\"bizStep\": \"storing\"", "\"bizStep\": \"teleporting\""),
    )
    .unwrap();
    let stderr = fails(
        &mut with_key(),
        &["import", "epcis", bad_doc.to_str().unwrap()],
        1,
    );
    assert!(
        stderr.contains("event 4 (line") && stderr.contains("nothing was submitted"),
        "{stderr}"
    );

    // Alerts: a refused call is one.
    let alerts = std::thread::spawn({
        let url = url.clone();
        move || ok(&mut yima(&url), &["--json", "alerts", "--count", "1"])
    });
    // Give the subscription a finalized block to start from, then make a refusal.
    let head = net.rpc(0).finalized_head().await.unwrap().number;
    net.wait_for_height(0, head + 1, net.timeout())
        .await
        .unwrap();
    fails(
        &mut with_key(),
        &[
            "tx",
            "trace",
            "recall-code",
            "--code",
            "(01)09521234543213(21)ZZ9",
            "--reason",
            "not ours",
        ],
        1,
    );
    let line = alerts.join().unwrap();
    let alert: Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(alert["kind"], "refusal", "{alert}");
}
