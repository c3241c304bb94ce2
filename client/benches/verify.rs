//! Offline verification time per hop (goal ≤ 1 ms): a real audit bundle from a 4-validator Testnet
//! (`benches/fixtures/`, written by `tests/tests/client_cli.rs` with `YIMA_CLIENT_FIXTURES=client/benches/fixtures`),
//! verified against its chain spec — decode the SCALE proof, Merkle path, header hash, certificate (ed25519
//! signatures of > 2/3 of the set), validator-set hash.
//!
//! `cargo bench -p yima-client --bench verify`

#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use yima_client::{AuditBundle, Chain};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn verify(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures");
    let chain = Chain::load(dir.join("spec.json").to_str().expect("a UTF-8 path"))
        .expect("the fixture's spec");
    let bundle = AuditBundle::from_json(&fixture("bundle.json")).expect("the fixture bundle");
    bundle.verify(&chain.anchor).expect("the fixture verifies");
    let hops = bundle.hops.len();
    c.bench_function("verify one hop (4 validators)", |b| {
        b.iter(|| bundle.verify_hop(0, &chain.anchor).expect("verifies"))
    });
    c.bench_function(&format!("verify a whole bundle ({hops} hops)"), |b| {
        b.iter(|| bundle.verify(&chain.anchor).expect("verifies"))
    });
}

criterion_group!(benches, verify);
criterion_main!(benches);
