//! The attacks on audit bundles (issue 19), on a bundle of a real in-memory `demo` chain
//! (`support::DemoChain`): a bundle moved to another code with its columns edited and a hop deleted, swapped
//! hops, an edited relation or height, and a proof's Merkle leaf count changed.

mod support;

use serde_json::Value;
use support::{bundle_v1, chain, decode_proof, dp, encode_proof};
use yima_client::AuditBundle;

fn verify(bundle: &Value) -> Result<usize, String> {
    let b = AuditBundle::from_json(&bundle.to_string()).map_err(|e| e.to_string())?;
    b.verify(&chain().anchor())
        .map(|hops| hops.len())
        .map_err(|e| e.to_string())
}

#[test]
fn the_honest_bundle_verifies() {
    let b = bundle_v1(&dp(1));
    assert_eq!(verify(&b), Ok(b["hops"].as_array().unwrap().len()));
}

#[test]
fn attack_code_subject_biz_step_edited_and_a_hop_deleted() {
    let mut b = bundle_v1(&dp(1));
    let hops = b["hops"].as_array_mut().unwrap();
    let receiving = hops
        .iter()
        .rposition(|h| h["bizStep"] == "receiving")
        .expect("the demo bag is received at the store");
    hops.remove(receiving);
    hops[0]["subject"] = Value::String(dp(2).to_string());
    hops[0]["bizStep"] = Value::String("shipping".into());
    b["code"] = Value::String(dp(2).to_string());
    // The attack works today: the forged table verifies.
    assert!(verify(&b).is_ok(), "{:?}", verify(&b));
}

#[test]
fn attack_swapped_hops() {
    let mut b = bundle_v1(&dp(1));
    b["hops"].as_array_mut().unwrap().swap(1, 2);
    assert!(verify(&b).is_ok(), "{:?}", verify(&b));
    let mut b = bundle_v1(&dp(1));
    let first = b["hops"][0].clone();
    b["hops"].as_array_mut().unwrap().push(first);
    assert!(verify(&b).is_ok(), "{:?}", verify(&b));
}

#[test]
fn attack_relation_and_height_edited() {
    let mut b = bundle_v1(&dp(1));
    b["hops"][0]["relation"] = Value::String("container".into());
    assert!(verify(&b).is_ok(), "{:?}", verify(&b));
    let mut b = bundle_v1(&dp(1));
    b["height"] = Value::from(1u64);
    assert!(verify(&b).is_ok(), "{:?}", verify(&b));
}

#[test]
fn attack_merkle_leaf_count_changed() {
    let b = bundle_v1(&dp(1));
    let mut passing = Vec::new();
    for (i, hop) in b["hops"].as_array().unwrap().iter().enumerate() {
        let proof = decode_proof(hop["proof"].as_str().unwrap());
        for total in proof.path.index + 1..proof.path.total * 4 + 4 {
            if total == proof.path.total {
                continue;
            }
            let mut forged = proof.clone();
            forged.path.total = total;
            let mut bad = b.clone();
            bad["hops"][i]["proof"] = encode_proof(&forged);
            if verify(&bad).is_ok() {
                passing.push((i, total));
            }
        }
    }
    // The attack works today: some leaf counts other than the block's verify.
    assert!(!passing.is_empty());
}
