//! Commit signatures of a bundle checked in one batch (`yima_consensus::batch`), on a chain of four validators
//! that all sign every block (`support::DemoChain::with_validators`): the honest bundle verifies with every
//! signer's power shown, and a signature taken from another block's certificate — valid, but not of this block —
//! fails the bundle naming the hop and the signer, wherever it sits, as one-by-one checks would.

mod support;

use std::sync::OnceLock;

use serde_json::Value;
use support::{decode_proof, dp, encode_proof, DemoChain};
use yima_client::{AuditBundle, Link, VerifyError};
use yima_consensus::certificate::{decode_certificate, encode_certificate};

const SIGNERS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

fn chain() -> &'static DemoChain {
    static CHAIN: OnceLock<DemoChain> = OnceLock::new();
    CHAIN.get_or_init(|| DemoChain::with_validators(vec![], &SIGNERS))
}

fn verify(bundle: &Value) -> Result<Vec<yima_client::bundle::VerifiedHop>, VerifyError> {
    AuditBundle::from_json(&bundle.to_string())?.verify(&chain().anchor())
}

/// `bundle` with signature `signer` of hop `hop`'s certificate replaced by that signer's signature of hop
/// `from`'s block.
fn with_signature_of(bundle: &Value, hop: usize, signer: usize, from: usize) -> Value {
    let donor = decode_proof(bundle["hops"][from]["proof"].as_str().unwrap());
    let donor = decode_certificate(&donor.block.certificate).unwrap();
    let mut proof = decode_proof(bundle["hops"][hop]["proof"].as_str().unwrap());
    let mut certificate = decode_certificate(&proof.block.certificate).unwrap();
    let theirs = donor
        .commit_signatures
        .iter()
        .find(|s| s.address == certificate.commit_signatures[signer].address)
        .expect("the donor block has the same signer");
    certificate.commit_signatures[signer].signature = theirs.signature;
    proof.block.certificate = encode_certificate(&certificate).unwrap();
    let mut out = bundle.clone();
    out["hops"][hop]["proof"] = encode_proof(&proof);
    out
}

#[test]
fn a_bundle_of_four_signers_verifies_showing_all_their_power() {
    let b = chain().bundle(&dp(1));
    let shown = verify(&b).unwrap();
    assert!(shown.len() >= 5, "the bag's history has several hops");
    for hop in &shown {
        assert_eq!((hop.signed_power, hop.total_power), (4, 4), "{hop:?}");
    }
}

#[test]
fn a_signature_of_another_block_is_named_wherever_it_sits() {
    let b = chain().bundle(&dp(1));
    let n = b["hops"].as_array().unwrap().len();
    // The first, a middle and the last hop; the first signer and the last (whose power the quorum does not need).
    for (hop, signer) in [(0, 0), (n / 2, 3), (n - 1, 1), (n - 1, 3)] {
        let block = |i: usize| b["hops"][i]["block"].as_u64().unwrap();
        let from = (0..n)
            .find(|&i| block(i) != block(hop))
            .expect("hops in another block");
        let bad = with_signature_of(&b, hop, signer, from);
        let e = verify(&bad).expect_err("a signature of another block verified");
        let text = e.to_string();
        assert!(
            text.contains(&format!("hop {}", hop + 1)) && text.contains("does not verify"),
            "hop {hop}, signer {signer}: {text}"
        );
        assert_eq!(e.link(), Link::Certificate, "{text}");
    }
}
