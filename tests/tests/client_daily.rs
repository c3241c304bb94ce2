//! Users' days through the `yima` CLI on a one-validator demo chain (its histories seeded by the node, people
//! named by resident id and derived under the dev chains' person-id key):
//! - a pharmacy network: the hospital uploads a prescription (a mistyped patient id is refused before anything
//!   is sent), the pharmacy's bound pharmacist reviews it and the pharmacy dispenses a box; the regulators
//!   tighten the per-buyer limit through governance, and a buyer who already bought at both pharmacies is
//!   refused the pack that would cross it — on chain, naming the limit;
//! - a vaccination site: a dose administered with its 7-in-one record (the recipient by a first-generation
//!   15-digit id), and a dose from the cold box that warmed refused, naming the excursion;
//! - food: the canteen may not serve a pack of the lot whose quick test failed; the inspection body attests and
//!   records a passing inspection (the attestation's id read from its proven event), a regulator releases the
//!   hold citing it, and the canteen serves the pack;
//! - customs: the importer declares a new lot of frozen beef (a lower-case port is refused before signing),
//!   customs attests its inspection/quarantine certificate and clears it — citing a certificate that does not
//!   exist first, which the chain refuses;
//! - the supervised warehouse: receives the consignment the importer ships it, and issues the lot's cold-chain
//!   codes once its disinfection certificate is on chain (citing the quarantine certificate instead is refused);
//!   the importer's history read back two events a page, each proven.
//!
//! The second pharmacy's pharmacist moves to the first under a renewed licence (bound elsewhere: refused first).
//! Each day then reads its records back through `yima records`, every answer recomputed from state proofs:
//! the prescription (dispensed), the pharmacist's binding, the buyer's full window, the batch's black box, the
//! recipient's card (and a pharmacy refused it, by `records_recordCard` and by raw `state_get`), the lot's
//! passing retest, the customs entry and the importer by USCC. The hospital's elevator, overdue since its
//! falsified maintenance sheet was revoked, is maintained by its own firm (another is refused) and in date again.

mod client_support;

use client_support::{fails, ok, ok_json, yima};
use yima_chain_spec::demo::drug::AMOXICILLIN;
use yima_chain_spec::demo::food::{pack, pack_lot};
use yima_chain_spec::demo::trace::org;
use yima_chain_spec::demo::vaccine::{syringe, LOT};
use yima_chain_spec::presets;
use yima_tests::testnet::TestnetBuilder;

/// The demo's people, by their made-up resident ids (chain-spec/src/demo/people.rs).
const PATIENT: &str = "33010619950817007X";
const PHARMACIST_01: &str = "330106196904300055";
const PHARMACIST_02: &str = "330105198806060062";
const BUYER: &str = "330106197312050085";
const VACCINATOR_01: &str = "330102197809110041";

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Issues an attestation as `(signer, schema, subject)` over a document holding `text` (written under `dir`),
/// with `extra` arguments; its id, read from the transaction's proven event.
fn attest(
    url: &str,
    dir: &std::path::Path,
    (signer, schema, subject): (&str, &str, &str),
    text: &str,
    extra: &[&str],
) -> String {
    let document = dir.join(format!(
        "attested-{}.pdf",
        yima_frame::sha256(text.as_bytes()).to_hex()
    ));
    std::fs::write(&document, text).unwrap();
    let mut args = vec![
        "--dev-key",
        signer,
        "attest",
        "--schema",
        schema,
        "--subject",
        subject,
        "--document",
        document.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok_json(&mut yima(url), &args)["attestation"]
        .as_str()
        .expect("the attestation id")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pharmacy_s_a_vaccination_site_s_a_food_inspector_s_and_a_customs_officer_s_day() {
    let net = TestnetBuilder::new(1)
        .chain_spec(presets::demo())
        .node_args(&["--seed-demo".to_string()])
        .start()
        .await
        .unwrap();
    // The demo histories go into the first block; wait until it is finalized.
    net.wait_for_height(0, 2, net.timeout()).await.unwrap();
    let url = format!("http://127.0.0.1:{}", net.identity(0).rpc_port);
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("prescription.pdf");
    std::fs::write(
        &document,
        "outpatient 2026-0099: amoxicillin capsules, one box",
    )
    .unwrap();
    let hospital = org("hospital").to_string();
    let upload = |patient: &str| {
        vec![
            "--dev-key".to_string(),
            "hospital".into(),
            "pharmacy".into(),
            "upload-prescription".into(),
            "--document".into(),
            document.to_str().unwrap().into(),
            "--hospital".into(),
            hospital.clone(),
            "--patient".into(),
            patient.into(),
            "--dev-id-key".into(),
            "--drug".into(),
            "8691234:1".into(),
        ]
    };
    // A mistyped resident id: refused before anything is signed.
    let refused = fails(&mut yima(&url), &strs(&upload("330106199508170071")), 1);
    assert!(refused.contains("check character"), "{refused}");
    let uploaded = ok(&mut yima(&url), &strs(&upload(PATIENT)));
    let prescription = uploaded
        .lines()
        .find_map(|l| l.strip_prefix("prescription "))
        .expect("the prescription's id is printed")
        .trim()
        .to_string();
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "pharmacy",
            "pharmacy",
            "review-prescription",
            "--prescription",
            &prescription,
            "--pharmacist",
            PHARMACIST_01,
            "--dev-id-key",
        ],
    );
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "pharmacy",
            "pharmacy",
            "dispense",
            "--prescription",
            &prescription,
            "--code",
            "86912340000000000002",
        ],
    );

    // The certification centre registers pharmacist 02's licence, the person named by resident id (derived under
    // the chain's key); a pharmacy reads the attestations about that person with a signed grant, and a caller
    // without a member key is refused.
    let pharmacist = format!("person:{PHARMACIST_02}");
    let licence_id = attest(
        &url,
        dir.path(),
        ("certification_body", "20", &pharmacist),
        "licensed pharmacist registration, renewed 2026",
        &["--dev-id-key", "--valid-until", "2030-01-01T00:00:00+08:00"],
    );
    let read = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "pharmacy",
            "records",
            "attestations",
            &pharmacist,
            "--dev-id-key",
        ],
    );
    let listed = read["value"]["attestations"].as_array().unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a["id"] == licence_id.as_str() && a["valid"] == true),
        "{read}"
    );
    let refused = fails(
        &mut yima(&url),
        &["records", "attestations", &pharmacist, "--dev-id-key"],
        1,
    );
    assert!(refused.contains("read by a member"), "{refused}");

    // The regulators lower the per-buyer limit to 4 packs in 30 days (two of three approve).
    let proposed = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "alice",
            "governance",
            "propose",
            "drug-policy",
            "--window-packs",
            "4",
        ],
    );
    let id = proposed["proposal"].as_u64().unwrap().to_string();
    let approved = ok_json(
        &mut yima(&url),
        &["--dev-key", "bob", "governance", "approve", "--id", &id],
    );
    assert_eq!(approved["executed"], true, "{approved}");

    // The buyer has 3 packs from the demo (two pharmacies); a fourth is sold, a fifth is refused on chain.
    let sell = |pharmacy: &str, unit: &str| {
        vec![
            "--dev-key".to_string(),
            pharmacy.into(),
            "pharmacy".into(),
            "sell-compound".into(),
            "--buyer".into(),
            BUYER.into(),
            "--dev-id-key".into(),
            "--code".into(),
            unit.into(),
        ]
    };
    ok(
        &mut yima(&url),
        &strs(&sell("pharmacy", "86912350000000000002")),
    );
    let refused = fails(
        &mut yima(&url),
        &strs(&sell("pharmacy2", "86912350000000000005")),
        1,
    );
    assert!(refused.contains("rolling limit"), "{refused}");

    // Read back, proven: the prescription (dispensed), the pharmacist's binding, the buyer's window (full).
    let read = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "pharmacy",
            "records",
            "prescription",
            &prescription,
        ],
    );
    let p = &read["value"];
    assert_eq!(p["state"], "dispensed", "{read}");
    assert_eq!(p["hospital"], org("hospital"), "{read}");
    assert_eq!(p["lines"][0]["drug"], "8691234", "{read}");
    assert_eq!(p["review"]["approved"], true, "{read}");
    // A canteen has no business reading prescriptions: refused, naming who may.
    let refused = fails(
        &mut yima(&url),
        &[
            "--dev-key",
            "caterer",
            "records",
            "prescription",
            &prescription,
        ],
        1,
    );
    assert!(refused.contains("is read by"), "{refused}");
    let read = ok_json(
        &mut yima(&url),
        &["records", "pharmacist", PHARMACIST_01, "--dev-id-key"],
    );
    assert_eq!(read["value"]["pharmacy"], org("pharmacy"), "{read}");
    assert!(
        !read["value"]["bindings"].as_array().unwrap().is_empty(),
        "{read}"
    );
    let read = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "pharmacy2",
            "records",
            "purchase-window",
            BUYER,
            "--dev-id-key",
        ],
    );
    assert_eq!(read["value"]["packsInWindow"], 4, "{read}");
    assert_eq!(read["value"]["windowPacks"], 4, "{read}");
    assert_eq!(read["value"]["remaining"], 0, "{read}");
    let read = ok_json(
        &mut yima(&url),
        &[
            "records",
            "black-box",
            &format!("{AMOXICILLIN}/B{AMOXICILLIN}"),
        ],
    );
    assert_eq!(read["value"]["complete"], true, "{read}");

    // Pharmacist 02 moves from the second pharmacy to the first under the renewed licence: binding them while still
    // bound elsewhere is refused; the second pharmacy unbinds them, the first binds them, and their bindings read
    // back in order, the first one closed.
    let bind = |key: &str, command: &str, licence: Option<&str>| {
        let mut args = vec![
            "--dev-key".to_string(),
            key.into(),
            "pharmacy".into(),
            command.into(),
            "--pharmacist".into(),
            PHARMACIST_02.into(),
            "--dev-id-key".into(),
        ];
        if let Some(l) = licence {
            args.extend(["--licence".to_string(), l.to_string()]);
        }
        args
    };
    let bind_here = bind("pharmacy", "bind-pharmacist", Some(&licence_id));
    let refused = fails(&mut yima(&url), &strs(&bind_here), 1);
    assert!(refused.contains("failed"), "{refused}");
    ok(
        &mut yima(&url),
        &strs(&bind("pharmacy2", "unbind-pharmacist", None)),
    );
    ok(&mut yima(&url), &strs(&bind_here));
    let read = ok_json(
        &mut yima(&url),
        &["records", "pharmacist", PHARMACIST_02, "--dev-id-key"],
    );
    let bindings = read["value"]["bindings"].as_array().unwrap();
    assert_eq!(read["value"]["pharmacy"], org("pharmacy"), "{read}");
    assert_eq!(bindings.len(), 2, "{read}");
    assert_eq!(bindings[0]["pharmacy"], org("pharmacy2"), "{read}");
    assert!(!bindings[0]["unboundAt"].is_null(), "{read}");
    assert_eq!(bindings[1]["licence"], licence_id.as_str(), "{read}");

    // The vaccination site gives syringe 4 (in its fridge) and records it; syringe 9 came in the cold box that
    // warmed to 10.5 °C and is refused.
    let administer = |n: u32| {
        vec![
            "--dev-key".to_string(),
            "vaccination_site".into(),
            "vaccine".into(),
            "administer".into(),
            "--code".into(),
            syringe(n).to_string(),
            "--batch".into(),
            LOT.into(),
            "--cdc".into(),
            org("cdc").to_string(),
            "--equipment".into(),
            "clinic-fridge-1".into(),
            "--vaccinator".into(),
            VACCINATOR_01.into(),
            "--recipient".into(),
            "110105491231002".into(),
            "--dev-id-key".into(),
        ]
    };
    ok(&mut yima(&url), &strs(&administer(4)));
    let refused = fails(&mut yima(&url), &strs(&administer(9)), 1);
    assert!(refused.contains("excursion"), "{refused}");

    // The site reads the recipient's card back: the dose it gave, nothing from the refused one.
    let card = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "vaccination_site",
            "records",
            "record-card",
            "110105491231002",
            "--dev-id-key",
        ],
    );
    let doses = card["value"]["doses"].as_array().unwrap();
    assert_eq!(doses.len(), 1, "{card}");
    assert_eq!(doses[0]["code"], syringe(4).to_string(), "{card}");
    assert_eq!(doses[0]["site"], org("vaccination_site"), "{card}");
    // A pharmacy may not read a vaccination record, neither through records_recordCard …
    let refused = fails(
        &mut yima(&url),
        &[
            "--dev-key",
            "pharmacy",
            "records",
            "record-card",
            "110105491231002",
            "--dev-id-key",
        ],
        1,
    );
    assert!(
        refused.contains("records_recordCard is read by"),
        "{refused}"
    );
    // … nor as raw state.
    let recipient =
        yima_frame::Hash::from_hex(card["value"]["recipient"].as_str().unwrap()).unwrap();
    let key = <yima_vaccine::Doses as yima_frame::storage::StorageMap>::storage_key(
        &yima_attestation::PseudonymousId(recipient.0),
    );
    let client = yima_client::NodeClient::new(&url, yima_client::RetryPolicy::none()).unwrap();
    match client.state_get(&key, None).await {
        Err(yima_client::ClientError::Rpc { code, message, .. }) => {
            assert_eq!(code, 1060, "{message}");
            assert!(message.contains("records_recordCard"), "{message}");
        }
        other => panic!("state_get of a record card key answered {other:?}"),
    }

    // Food: the pack lot failed its quick test in the demo, so the canteen may not serve its pack 6.
    let held = format!(
        "{}/{}",
        pack_lot().product.as_str(),
        pack_lot().lot.as_str()
    );
    let serve = [
        "--dev-key",
        "caterer",
        "food",
        "serve",
        "--code",
        &pack(6).to_string(),
        "--kitchen",
        "school-sunshine-kitchen",
    ]
    .map(str::to_string);
    let refused = fails(&mut yima(&url), &strs(&serve), 1);
    assert!(refused.contains("may not be sold or served"), "{refused}");
    let retest = attest(
        &url,
        dir.path(),
        ("inspection_body", "16", &format!("lot:{held}")),
        "laboratory retest LJP2604: pesticide residue within limits",
        &[],
    );
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "inspection_body",
            "food",
            "record-test",
            "--lot",
            &held,
            "--kind",
            "inspection",
            "--result",
            "pass",
            "--attestation",
            &retest,
        ],
    );
    let decision = dir.path().join("decision.pdf");
    std::fs::write(&decision, "release of LJP2604 after a passing retest").unwrap();
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "alice",
            "food",
            "release-hold",
            "--lot",
            &held,
            "--retest",
            &retest,
            "--document",
            decision.to_str().unwrap(),
        ],
    );
    ok(&mut yima(&url), &strs(&serve));
    // The lot's attestations, proven: the passing retest holds.
    let read = ok_json(
        &mut yima(&url),
        &["records", "attestations", &format!("lot:{held}")],
    );
    let listed = read["value"]["attestations"].as_array().unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a["id"] == retest.as_str() && a["valid"] == true),
        "{read}"
    );

    // Customs: a new lot of the demo's frozen beef is declared and cleared.
    let beef = yima_chain_spec::demo::cold_chain::beef();
    let new_lot = format!("{}/BF2603", beef.as_str());
    let declaration = dir.path().join("declaration.pdf");
    std::fs::write(&declaration, "customs declaration 310420261000099999").unwrap();
    let declare = |port: &str| {
        [
            "--dev-key",
            "importer",
            "cold-chain",
            "declare-entry",
            "--declaration",
            "310420261000099999",
            "--document",
            declaration.to_str().unwrap(),
            "--origin",
            "NZ",
            "--port",
            port,
            "--lot",
            &new_lot,
            "--consignment",
            &format!("/01/{}/21/CBF2603", beef.as_str()),
            "--quantity",
            "1200",
            "--uom",
            "KGM",
            "--production-date",
            "2026-10-01T00:00:00+08:00",
            "--expiry",
            "2029-10-01T00:00:00+08:00",
        ]
        .map(str::to_string)
    };
    let refused = fails(&mut yima(&url), &strs(&declare("cnngb")), 1);
    assert!(refused.contains("UN/LOCODE"), "{refused}");
    ok(&mut yima(&url), &strs(&declare("CNNGB")));
    let certificate_id = attest(
        &url,
        dir.path(),
        ("customs", "12", &format!("lot:{new_lot}")),
        "inspection/quarantine certificate BF2603",
        &[],
    );
    let clear = |certificate: &str| {
        [
            "--dev-key",
            "customs",
            "cold-chain",
            "clear",
            "--lot",
            &new_lot,
            "--certificate",
            certificate,
        ]
        .map(str::to_string)
    };
    let missing = format!("0x{}", "11".repeat(32));
    fails(&mut yima(&url), &strs(&clear(&missing)), 1);
    ok(&mut yima(&url), &strs(&clear(&certificate_id)));

    // The entry read back, proven: declared, cleared by customs citing the certificate.
    let read = ok_json(&mut yima(&url), &["records", "customs-entry", &new_lot]);
    let entry = &read["value"]["entry"];
    assert_eq!(read["value"]["coldLot"], "imported", "{read}");
    assert_eq!(entry["declaration"], "310420261000099999", "{read}");
    assert_eq!(entry["port"], "CNNGB", "{read}");
    assert_eq!(entry["clearance"]["customs"], org("customs"), "{read}");
    assert_eq!(
        entry["clearance"]["certificate"],
        certificate_id.as_str(),
        "{read}"
    );
    // The importer, by its USCC.
    let uscc = presets::DEMO_ORGANISATIONS
        .iter()
        .find(|(key, ..)| *key == "importer")
        .unwrap()
        .3;
    let read = ok_json(&mut yima(&url), &["records", "organisation", uscc]);
    assert_eq!(read["value"]["id"], org("importer"), "{read}");
    assert_eq!(read["value"]["kind"], "importer", "{read}");
    assert_eq!(read["value"]["status"], "active", "{read}");
    let refused = fails(
        &mut yima(&url),
        &["records", "organisation", "91350100M000100Y44"],
        1,
    );
    assert!(refused.contains("not a USCC"), "{refused}");

    // The hospital's elevator: its falsified maintenance sheet was revoked, so it is overdue; another firm may
    // not record its maintenance, its own firm does, and the lapse closes. The supermarket's, by the GIAI on
    // its label, is in date.
    let lift = yima_chain_spec::demo::equipment::hospital_lift().to_string();
    let read = ok_json(&mut yima(&url), &["records", "equipment", &lift]);
    assert_eq!(read["value"]["kind"], "elevator", "{read}");
    assert_eq!(
        read["value"]["maintainer"],
        org("maintenance_firm"),
        "{read}"
    );
    assert_eq!(
        read["value"]["lapses"],
        serde_json::json!(["maintenance_overdue"]),
        "{read}"
    );
    let sheet = dir.path().join("maintenance-sheet.pdf");
    std::fs::write(
        &sheet,
        "half-monthly maintenance: brakes, doors, ropes checked",
    )
    .unwrap();
    let maintain = |key: &str| {
        [
            "--dev-key",
            key,
            "equipment",
            "maintain",
            &lift,
            "--document",
            sheet.to_str().unwrap(),
        ]
        .map(str::to_string)
    };
    let refused = fails(&mut yima(&url), &strs(&maintain("inspection_body")), 1);
    assert!(refused.contains("failed"), "{refused}");
    ok(&mut yima(&url), &strs(&maintain("maintenance_firm")));
    let read = ok_json(&mut yima(&url), &["records", "equipment", &lift]);
    assert_eq!(read["value"]["lapses"], serde_json::json!([]), "{read}");
    let giai = yima_chain_spec::demo::equipment::supermarket_lift_giai();
    let read = ok_json(
        &mut yima(&url),
        &["records", "equipment", &giai.digital_link_path()],
    );
    assert_eq!(read["value"]["number"], "梯11浙A00101(24)", "{read}");
    assert_eq!(read["value"]["user"], org("retailer"), "{read}");
    assert!(read["value"]["insurance"].is_object(), "{read}");

    // The canteen's truck ran warm (−9 °C): the regulator inspects the carton and clears its excursion flag;
    // the trace shows the clearance beside the excursion.
    let warm = yima_chain_spec::demo::cold_chain::code(5).to_string();
    let cleared = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "alice",
            "tx",
            "trace",
            "clear-excursion",
            "--code",
            &warm,
            "--reason",
            "inspection 2026-12-07: carton still frozen at the core",
        ],
    );
    assert!(cleared["error"].is_null(), "{cleared}");
    let trace = ok_json(&mut yima(&url), &["trace", &warm]);
    assert_eq!(trace["clearances"][0]["by"], org("alice"), "{trace}");
    let refused = fails(
        &mut yima(&url),
        &[
            "--dev-key",
            "caterer",
            "tx",
            "trace",
            "clear-excursion",
            "--code",
            &warm,
            "--reason",
            "we think it is fine",
        ],
        1,
    );
    assert!(refused.contains("failed"), "{refused}");

    // The supervised warehouse: the importer ships it the consignment, it receives it, and once the lot's
    // disinfection certificate is on chain it issues three cold-chain codes — first citing the quarantine
    // certificate instead, which the chain refuses.
    let consignment = format!("/01/{}/21/CBF2603", beef.as_str());
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let time = |ago_min: i64| yima_epcis::datetime::format_utc_ms(now_ms - ago_min * 60_000);
    let (importer, warehouse) = (org("importer"), org("supervised_warehouse"));
    let log = |name: &str, row: String| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("eventTime,code,bizStep,disposition,source,destination\n{row}\n"),
        )
        .unwrap();
        path
    };
    let shipped = log(
        "ship.csv",
        format!(
            "{},{consignment},shipping,in_transit,{importer},{warehouse}",
            time(20)
        ),
    );
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "importer",
            "import",
            "csv",
            shipped.to_str().unwrap(),
        ],
    );
    let received = log(
        "receive.csv",
        format!(
            "{},{consignment},receiving,in_progress,{importer},{warehouse}",
            time(10)
        ),
    );
    ok(
        &mut yima(&url),
        &[
            "--dev-key",
            "supervised_warehouse",
            "import",
            "csv",
            received.to_str().unwrap(),
        ],
    );
    let issue = |disinfection: &str| {
        [
            "--dev-key",
            "supervised_warehouse",
            "cold-chain",
            "issue-codes",
            "--lot",
            &new_lot,
            "--count",
            "3",
            "--disinfection",
            disinfection,
        ]
        .map(str::to_string)
    };
    let refused = fails(&mut yima(&url), &strs(&issue(&certificate_id)), 1);
    assert!(refused.contains("failed"), "{refused}");
    let disinfection_id = attest(
        &url,
        dir.path(),
        ("inspection_body", "14", &format!("lot:{new_lot}")),
        "disinfection certificate BF2603",
        &[],
    );
    ok(&mut yima(&url), &strs(&issue(&disinfection_id)));
    let read = ok_json(&mut yima(&url), &["records", "customs-entry", &new_lot]);
    assert_eq!(read["value"]["entry"]["codesIssued"], 3, "{read}");
    let read = ok_json(
        &mut yima(&url),
        &["records", "attestations", &format!("lot:{new_lot}")],
    );
    let schemas: Vec<u64> = read["value"]["attestations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["schema"].as_u64().unwrap())
        .collect();
    assert_eq!(schemas, [12, 14], "{read}");

    // The importer's history, two events a page, each proven: the consignment it shipped today is in it.
    let first = ok_json(
        &mut yima(&url),
        &["records", "org-events", uscc, "--limit", "2"],
    );
    assert_eq!(first["events"].as_array().unwrap().len(), 2, "{first}");
    let from = format!("{}/{}", first["next"]["block"], first["next"]["index"]);
    let rest = ok_json(
        &mut yima(&url),
        &[
            "records",
            "org-events",
            uscc,
            "--from",
            &from,
            "--limit",
            "500",
        ],
    );
    let shipped_today = rest["events"].as_array().unwrap().iter().any(|e| {
        e["event"]["bizStep"] == "shipping" && e["event"]["epcList"].to_string().contains("CBF2603")
    });
    assert!(shipped_today, "{rest}");
    let refused = fails(&mut yima(&url), &["records", "org-events", "importer"], 1);
    assert!(
        refused.contains("neither an organisation id nor a USCC"),
        "{refused}"
    );
}
