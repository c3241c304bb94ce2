//! The completeness check of a 50-hop history (goal with the per-hop proofs ≤ 5 ms): an item's 20 own hops
//! (its packing among them) and the 30 other hops of the pallet it rode in, the two history summaries proven by Jellyfish state proofs against one
//! state root — verify both proofs, decode the records, recompute both hash chains, derive the window and
//! compare with the 50 hops shown. The per-hop inclusion proofs are `benches/verify.rs`'s.
//!
//! `cargo bench -p yima-client --bench history`

#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::collections::BTreeMap;

use criterion::{criterion_group, criterion_main, Criterion};
use parity_scale_codec::{DecodeAll, Encode};
use yima_codes::{Sscc, TraceCode};
use yima_frame::state::{verify_state_proof, MemoryState, StateBackend, StateProof};
use yima_frame::storage::StorageMap;
use yima_frame::Hash;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};
use yima_trace::history::{
    check_history, derive, Chain, HistorySummary, Position, ProvenHop, ShownHop,
};
use yima_trace::types::{CodeState, CodeStatus};

fn sscc(n: u64) -> TraceCode {
    let body = format!("1690123400000000{n}");
    let check = yima_codes::gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).expect("a valid SSCC"))
}

fn object(codes: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Object {
            action: Action::Observe,
            epcs: codes,
            quantities: vec![],
        },
        1_700_000_000_000,
        480,
        step,
    )
}

fn aggregation(action: Action, parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Aggregation {
            action,
            parent,
            children,
        },
        1_700_000_000_000,
        480,
        BizStep::Other,
    )
}

fn record(summary: HistorySummary) -> CodeState {
    CodeState {
        lot: None,
        custodian: 1,
        location: None,
        parent: None,
        status: CodeStatus::Active,
        children: 0,
        band: None,
        flags: 0,
        commissioned_at: 1,
        history: summary,
    }
}

struct Fixture {
    item: TraceCode,
    root: Hash,
    proofs: Vec<(TraceCode, Vec<u8>, Vec<u8>, StateProof)>,
    hops: BTreeMap<TraceCode, Vec<ProvenHop>>,
    shown: Vec<ShownHop>,
}

fn fixture() -> Fixture {
    let (item, pallet) = (sscc(1), sscc(2));
    let mut hops: BTreeMap<TraceCode, Vec<ProvenHop>> = BTreeMap::new();
    let mut block = 1;
    let mut push = |codes: &[TraceCode], event: EpcisEvent| {
        block += 1;
        let hop = ProvenHop {
            at: Position::new(block, 3),
            org: 1,
            event,
        };
        for code in codes {
            hops.entry(*code).or_default().push(hop.clone());
        }
    };
    push(&[item], object(vec![item], BizStep::Storing));
    push(
        &[pallet, item],
        aggregation(Action::Add, pallet, vec![item]),
    );
    for _ in 0..29 {
        push(&[pallet], object(vec![pallet], BizStep::Shipping));
    }
    push(&[pallet], aggregation(Action::Delete, pallet, vec![]));
    for _ in 0..18 {
        push(&[item], object(vec![item], BizStep::Storing));
    }
    let summaries: BTreeMap<TraceCode, HistorySummary> = hops
        .iter()
        .map(|(code, hops)| {
            let s = hops.iter().fold(HistorySummary::default(), |s, h| {
                s.extend(h.at, &h.digest())
            });
            (*code, s)
        })
        .collect();
    let state = MemoryState::new();
    let changes = summaries
        .iter()
        .map(|(code, s)| {
            (
                yima_trace::Codes::storage_key(code),
                Some(record(*s).encode()),
            )
        })
        .collect();
    let update = state.prepare(0, changes).expect("a state update");
    state.commit(update).expect("committed");
    let root = state.root_at(0).expect("a root");
    let proofs = summaries
        .keys()
        .map(|code| {
            let key = yima_trace::Codes::storage_key(code);
            let (value, proof) = state.prove(&key, 0).expect("a proof");
            (*code, key, value.expect("a record"), proof)
        })
        .collect();
    let chains: BTreeMap<TraceCode, Chain> = hops
        .iter()
        .map(|(c, h)| {
            (
                *c,
                Chain {
                    summary: summaries[c],
                    hops: h.clone(),
                },
            )
        })
        .collect();
    let shown = derive(&item, &chains)
        .expect("derives")
        .hops
        .into_iter()
        .map(|(at, (relation, subject))| ShownHop {
            at,
            relation,
            subject,
        })
        .collect::<Vec<_>>();
    assert_eq!(shown.len(), 50);
    Fixture {
        item,
        root,
        proofs,
        hops,
        shown,
    }
}

fn check(f: &Fixture) {
    let mut chains = BTreeMap::new();
    for (code, key, value, proof) in &f.proofs {
        verify_state_proof(f.root, key, Some(value), proof).expect("the proof holds");
        let summary = CodeState::decode_all(&mut &value[..])
            .expect("a record")
            .history;
        chains.insert(
            *code,
            Chain {
                summary,
                hops: f.hops[code].clone(),
            },
        );
    }
    check_history(&f.item, &chains, &f.shown).expect("complete");
}

fn history(c: &mut Criterion) {
    let f = fixture();
    check(&f);
    c.bench_function(
        "completeness of a 50-hop history (2 state proofs, 2 chains)",
        |b| b.iter(|| check(&f)),
    );
}

criterion_group!(benches, history);
criterion_main!(benches);
