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
//!   exist first, which the chain refuses.

mod client_support;

use client_support::{fails, ok, ok_json, yima};
use yima_chain_spec::demo::food::{pack, pack_lot};
use yima_chain_spec::demo::trace::org;
use yima_chain_spec::demo::vaccine::{syringe, LOT};
use yima_chain_spec::presets;
use yima_tests::testnet::TestnetBuilder;

/// The demo's people, by their made-up resident ids (chain-spec/src/demo/people.rs).
const PATIENT: &str = "33010619950817007X";
const PHARMACIST_01: &str = "330106196904300055";
const BUYER: &str = "330106197312050085";
const VACCINATOR_01: &str = "330102197809110041";

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
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
    let report = dir.path().join("retest.pdf");
    std::fs::write(
        &report,
        "laboratory retest LJP2604: pesticide residue within limits",
    )
    .unwrap();
    let attested = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "inspection_body",
            "attest",
            "--schema",
            "16",
            "--subject",
            &format!("lot:{held}"),
            "--document",
            report.to_str().unwrap(),
        ],
    );
    let retest = attested["attestation"]
        .as_str()
        .expect("the attestation id")
        .to_string();
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
    let certificate = dir.path().join("quarantine.pdf");
    std::fs::write(&certificate, "inspection/quarantine certificate BF2603").unwrap();
    let attested = ok_json(
        &mut yima(&url),
        &[
            "--dev-key",
            "customs",
            "attest",
            "--schema",
            "12",
            "--subject",
            &format!("lot:{new_lot}"),
            "--document",
            certificate.to_str().unwrap(),
        ],
    );
    let certificate_id = attested["attestation"].as_str().unwrap().to_string();
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
}
