//! The web routes over HTTP on a real `yima-node --dev` (demo histories): content negotiation, languages, the
//! friendly 404, malformed codes naming the failed check, escaping of reflected and on-chain text, the audit
//! bundle verifying offline, the recall view with every holder, QR images, the OpenAPI file, JSON-RPC still
//! answering on the same port, and a history longer than a page paginated.

mod web_support;

use web_support::{record_long_history, DevNode, DUMPLINGS};
use yima_consensus::proof::{EventProof, TrustAnchor};
use yima_node::web::scan::PAGE_SIZE;

fn json(f: &web_support::Fetched) -> serde_json::Value {
    serde_json::from_slice(&f.body).unwrap_or_else(|e| panic!("JSON ({e}): {}", f.text()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_routes_on_a_dev_node() {
    let node = DevNode::start(&[]).await;
    node.wait_for_demo().await;

    // HTML for browsers, Chinese by default, English by Accept-Language.
    let page = node.get(DUMPLINGS, &[("Accept", "text/html,application/xhtml+xml")]);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    assert!(page.text().contains("流转记录"));
    let en = node.get(DUMPLINGS, &[("Accept-Language", "en-GB,en;q=0.9")]);
    assert!(en.text().contains("Journey"), "English by Accept-Language");

    // JSON for machines.
    let scan = node.get(DUMPLINGS, &[("Accept", "application/json")]);
    assert_eq!(scan.status, 200);
    let v = json(&scan);
    assert_eq!(v["code"], DUMPLINGS);
    assert_eq!(v["status"], "alert", "the warm leg: {v}");
    assert_eq!(v["verified"], true, "{v}");
    assert!(v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["kind"] == "temperature_excursion"));
    assert!(v["trace"]["hops"].as_array().unwrap().len() >= 7);
    // The regulator's clearance of the case's excursion, read from the node's clearance index: the bag was in
    // the case when it was cleared.
    let clearances = v["trace"]["clearances"].as_array().unwrap();
    assert_eq!(clearances.len(), 1, "{v}");
    assert!(
        clearances[0]["code"].as_str().unwrap().starts_with("/00/"),
        "the case (an SSCC) was cleared: {v}"
    );
    let reason = clearances[0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("0x") && reason.len() == 66, "{reason}");
    let page_en = node.get(&format!("{DUMPLINGS}?lang=en"), &[]).text();
    assert!(
        page_en.contains("A regulator reviewed the temperature excursion and cleared it"),
        "the clearance is on the scan page"
    );
    assert!(v["holder"].as_str().is_some_and(|h| !h.is_empty()));

    // Unknown code: the friendly 404, in HTML and JSON.
    let unknown = "/01/06970000000017/21/NOPE42";
    let nf = node.get(unknown, &[]);
    assert_eq!(nf.status, 404);
    assert!(nf.text().contains("此码不在本链上"), "{}", nf.text());
    assert!(!nf.text().contains("panicked"));
    let nf_en = node.get(&format!("{unknown}?lang=en"), &[]);
    assert!(nf_en.text().contains("This code is not on this chain"));
    let nf_json = json(&node.get(unknown, &[("Accept", "application/json")]));
    assert_eq!(nf_json["error"]["status"], 404);
    assert!(nf_json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not on this chain"));

    // Malformed: which check failed.
    let bad = node.get("/01/06970000000013/21/DP0001?lang=en", &[]);
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("check digit"), "{}", bad.text());
    let bad_sscc = json(&node.get("/00/12345?format=json", &[]));
    assert_eq!(bad_sscc["error"]["status"], 400, "{bad_sscc}");
    let bad_code = node.get("/code/CLX", &[]);
    assert_eq!(bad_code.status, 400);

    // Reflected text is escaped: a serial with markup (CSET 82 allows < > & " ').
    let evil = node.get("/01/06970000000017/21/%3Cb%3E'x%22%3C%2Fb%3E", &[]);
    assert_eq!(evil.status, 404, "{}", evil.text());
    assert!(!evil.text().contains("<b>"), "{}", evil.text());
    // Shown in canonical form: the serial percent-encoded.
    assert!(
        evil.text().contains("/21/%3Cb%3E%27x%22%3C%2Fb%3E"),
        "{}",
        evil.text()
    );

    // The audit bundle: every hop's proof, each verifying offline against the demo genesis.
    let bundle = node.get("/bundle/01/06970000000017/21/DP0001", &[]);
    assert_eq!(bundle.status, 200);
    assert!(bundle
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    let b = json(&bundle);
    let genesis = yima_chain_spec::presets::demo()
        .build_genesis(std::sync::Arc::new(yima_frame::state::MemoryState::new()))
        .expect("demo genesis")
        .header;
    let anchor = TrustAnchor::from_genesis(&genesis);
    let proofs = b["proofs"].as_array().unwrap();
    assert_eq!(proofs.len(), v["trace"]["hops"].as_array().unwrap().len());
    for p in proofs {
        let bytes = hex::decode(p["bundle"].as_str().unwrap().trim_start_matches("0x")).unwrap();
        EventProof::from_bytes(&bytes)
            .unwrap()
            .verify(&anchor)
            .expect("every hop verifies offline");
    }

    // Recall: the dumplings' lot, every holder by name; the GS1 lot path lands there too.
    let recall = node.get("/recall/06970000000017/DP260101?lang=en", &[]);
    assert_eq!(recall.status, 200, "{}", recall.text());
    let text = recall.text();
    assert!(text.contains("<tr class=\"holder\">"), "{text}");
    assert!(text.matches("/01/06970000000017/21/DP000").count() >= 6);
    let lot_link = json(&node.get("/01/06970000000017/10/DP260101?format=json", &[]));
    assert_eq!(lot_link["rows"].as_array().unwrap().len(), 6, "{lot_link}");
    let form = node.get("/recall?lot=06970000000017%2FDP260101", &[]);
    assert!(form.text().contains("<tr class=\"holder\">"));
    assert_eq!(node.get("/recall/06970000000017/NOLOT", &[]).status, 404);

    // Amber and held: a code of the beef lot that tested positive, by its cold-chain code; the imported lot's certificates
    // (quarantine, nucleic acid, disinfection) listed with their validity.
    let positive = yima_chain_spec::demo::cold_chain::positive_lot();
    let rows = json(&node.get(
        &format!(
            "/recall/{}/{}?format=json",
            positive.product.as_str(),
            positive.lot.as_str()
        ),
        &[],
    ));
    let cl = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["code"].as_str())
        .find(|c| c.starts_with("CL"))
        .unwrap_or_else(|| panic!("a cold-chain code in the positive lot: {rows}"))
        .to_string();
    let held = json(&node.get(&format!("/code/{cl}?format=json"), &[]));
    assert_eq!(
        held["status"], "alert",
        "held for the positive test: {held}"
    );
    assert_eq!(held["holds"][0]["kind"], "positive_test", "{held}");
    let page = node.get(&format!("/code/{cl}?lang=en"), &[]).text();
    assert!(page.contains("class=\"status alert\""));
    assert!(page.contains("This lot tested positive and is held"));
    let certificates = held["certificates"].as_array().unwrap();
    assert!(certificates.len() >= 3, "{held}");
    assert!(certificates
        .iter()
        .all(|c| c["issuer"].as_str().is_some_and(|i| !i.starts_with('#'))));

    // QR images and the OpenAPI file.
    let svg = node.get("/qr/01/06970000000017/21/DP0001.svg", &[]);
    assert_eq!(svg.header("content-type").as_deref(), Some("image/svg+xml"));
    assert!(svg.text().contains("<svg"));
    assert_eq!(
        node.get("/qr/01/06970000000017/21/X.png", &[]).status,
        200,
        "a QR for any valid code"
    );
    assert_eq!(node.get("/qr/01/123/21/X.png", &[]).status, 400);
    assert!(node
        .get("/openapi.yaml", &[])
        .text()
        .starts_with("openapi: 3"));

    // Dashboard JSON; JSON-RPC and /metrics-less paths still go to the RPC server.
    let dash = json(&node.get("/dashboard?format=json", &[]));
    assert!(dash["health"]["height"].as_u64().unwrap() > 0);
    assert!(!dash["alerts"].as_array().unwrap().is_empty());
    let health: serde_json::Value = jsonrpsee::core::client::ClientT::request(
        &node.http,
        "system_health",
        jsonrpsee::rpc_params![],
    )
    .await
    .expect("JSON-RPC on the same port");
    assert!(health["bestNumber"].as_u64().is_some());

    // A history longer than a page; on-chain text (the product name has < > & ") escaped.
    let code = record_long_history(&node, PAGE_SIZE + 5, "LONG0001").await;
    let first = node.get(&format!("{code}?lang=en"), &[]);
    let text = first.text();
    assert_eq!(
        text.matches("<li class=\"hop").count(),
        PAGE_SIZE,
        "a full first page"
    );
    assert!(text.contains("Page 1 of 2") && text.contains("rel=\"next\""));
    assert!(
        text.contains("&lt;500 g&gt; &amp; &quot;sesame&quot;"),
        "escaped product name"
    );
    assert!(!text.contains("<500 g>"));
    let second = node.get(&format!("{code}?lang=en&page=2"), &[]);
    assert_eq!(second.text().matches("<li class=\"hop").count(), 5);
    assert!(second.text().contains("rel=\"prev\""));

    // Red: its owner recalls the lot; the page says so at the top.
    let lot = yima_chain_spec::demo::trace::lot(
        yima_chain_spec::demo::trace::gtin("0697000000099"),
        "LONG1",
    );
    node.run(yima_chain_spec::demo::DemoStep::new(
        "processor",
        yima_runtime::RuntimeCall::Trace(yima_trace::Call::RecallLot {
            lot,
            reason: yima_frame::sha256(b"recall notice"),
        }),
    ))
    .await;
    let recalled = json(&node.get(&format!("{code}?format=json"), &[]));
    assert_eq!(recalled["status"], "recalled", "{recalled}");
    let page = node.get(&format!("{code}?lang=en"), &[]).text();
    assert!(page.contains("class=\"status recalled\"") && page.contains("Recalled"));
}
