//! Offline verification of a 50-hop audit bundle WITH its completeness proof (goal ≤ 5 ms with 4 validators): a real
//! `yima-audit-bundle/3` of a case on the in-memory `demo` chain of the bundle tests (`tests/support`), extended
//! with the case's 50-hop story — commissioned and loaded onto a pallet, the pallet observed 29 times, the case
//! unloaded and observed 18 times — so the bundle holds 50 hops (21 own, 29 the pallet's while the case rode in
//! it), the pallet's commissioning as evidence, and the case's and the pallet's history summaries with their
//! Jellyfish state proofs. `AuditBundle::verify_complete` checks every proof (event, Merkle path, header,
//! certificate: the demo's single validator, then a set of four all signing), the order, the derivation of each hop's relation, both state
//! proofs and both recomputed hash chains.
//!
//! `cargo bench -p yima-client --bench history` (the lead runs benches; figures go to BENCHMARKS.md)

#![allow(missing_docs)] // criterion's macros generate undocumented items

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use yima_chain_spec::demo::{self, DemoStep};
use yima_client::AuditBundle;
use yima_codes::TraceCode;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};

fn case() -> TraceCode {
    demo::trace::sscc("06970000000000950")
}

fn pallet() -> TraceCode {
    demo::trace::sscc("06970000000000951")
}

fn at(body: EventBody, step: BizStep, hours: u64) -> EpcisEvent {
    demo::trace::at(body, step, 1, hours)
}

fn observe(code: TraceCode, n: usize, hours: u64) -> Vec<EpcisEvent> {
    (0..n)
        .map(|_| {
            at(
                demo::trace::object(Action::Observe, vec![code]),
                BizStep::Storing,
                hours,
            )
        })
        .collect()
}

/// The case's 50 hops, in capture calls of at most 10 events (several blocks).
fn story() -> Vec<DemoStep> {
    let capture = |events| yima_runtime::RuntimeCall::Trace(yima_trace::Call::Capture { events });
    let mut calls: Vec<Vec<EpcisEvent>> = vec![vec![
        at(
            demo::trace::object(Action::Add, vec![pallet()]),
            BizStep::Commissioning,
            1,
        ),
        at(
            demo::trace::object(Action::Add, vec![case()]),
            BizStep::Commissioning,
            2,
        ),
        at(
            EventBody::Aggregation {
                action: Action::Add,
                parent: pallet(),
                children: vec![case()],
            },
            BizStep::Packing,
            3,
        ),
    ]];
    let inside = observe(pallet(), 29, 4);
    calls.extend(inside.chunks(10).map(<[EpcisEvent]>::to_vec));
    calls.push(vec![at(
        EventBody::Aggregation {
            action: Action::Delete,
            parent: pallet(),
            children: vec![case()],
        },
        BizStep::Unpacking,
        5,
    )]);
    let after = observe(case(), 18, 6);
    calls.extend(after.chunks(10).map(<[EpcisEvent]>::to_vec));
    calls
        .into_iter()
        .map(|events| DemoStep::new("processor", capture(events)))
        .collect()
}

/// Benches the 50-hop bundle of a chain whose blocks `signers` all certify.
fn bench_bundle(c: &mut Criterion, signers: &[&str]) {
    let chain = support::DemoChain::with_validators(story(), signers);
    let anchor = chain.anchor();
    let bundle = AuditBundle::from_json(&chain.bundle(&case()).to_string()).expect("a bundle");
    let (hops, complete) = bundle
        .verify_complete(&anchor)
        .expect("the bundle verifies");
    assert_eq!(hops.len(), 50, "a 50-hop bundle");
    assert_eq!(
        complete.codes.len(),
        2,
        "the case's and the pallet's histories"
    );
    let n = signers.len();
    let who = if n == 1 {
        "1 validator".to_string()
    } else {
        format!("{n} validators, {n} signatures a block")
    };
    c.bench_function(
        &format!("verify a 50-hop bundle with its completeness proof (2 state proofs, {who})"),
        |b| b.iter(|| bundle.verify_complete(&anchor).expect("verifies")),
    );
}

fn history(c: &mut Criterion) {
    bench_bundle(c, &["alice"]);
    bench_bundle(c, &["alice", "bob", "charlie", "dave"]);
}

criterion_group!(benches, history);
criterion_main!(benches);
