//! Sizing the weight limits (`cargo bench -p yima-runtime --bench weights`; a plain binary, run once).
//!
//! Builds one block of each of the heaviest honest workloads on an in-memory chain, then times
//! `execute_block` on it (signatures verified in the block, the validator's worst case; best of three) and
//! prints its weight, its time, the nanoseconds one weight unit took, and how long a block at the chain's
//! default `max_block_weight` of that workload would take. The default limits are chosen from this table so
//! that a full block of any workload executes well inside the 3 s propose timeout (BENCHMARKS.md).
//!
//! The state here is in memory; a node reads RocksDB, whose reads cost more: keep the margin.

#![allow(missing_docs)]

mod common;

use std::time::{Duration, Instant};

use common::{gtin, gtin_lot, item, object, BenchChain, BenchOrg, GENESIS_MS, OPERATOR};
use yima_codes::{Gtin, ProductId, TraceCode};
use yima_membership::OrgKind;
use yima_runtime::{Block, RuntimeCall};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::testing::{packing, sscc, unpacking};
use yima_trace::types::Category;

const MAKER: &str = "91330100MA2Y00303G";
const PALLET_ITEMS: usize = 10_000;

fn product() -> Gtin {
    gtin("0952123454321")
}

fn commission(codes: Vec<TraceCode>) -> EpcisEvent {
    let mut e = object(Action::Add, codes, BizStep::Commissioning);
    e.ilmd = Some(Ilmd {
        lot: gtin_lot(product()),
        production_date: GENESIS_MS - 86_400_000,
        expiry: GENESIS_MS + 3_650 * 86_400_000,
    });
    e
}

fn observe(container: TraceCode) -> EpcisEvent {
    let mut e = packing(GENESIS_MS, container, vec![]);
    e.body = EventBody::Aggregation {
        action: Action::Observe,
        parent: container,
        children: vec![],
    };
    e.biz_step = BizStep::Inspecting;
    e
}

fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

/// A chain where the maker holds pallet `sscc(0)` of 10,000 items `A…` and 10,000 loose items `B…`.
fn setup() -> BenchChain {
    const ORGS: [BenchOrg; 2] = [
        common::org(
            "regulator",
            OrgKind::Regulator,
            "11330100MA2Y00000E",
            1,
            common::GOVERNOR,
        ),
        common::org("maker", OrgKind::Manufacturer, MAKER, 100, OPERATOR),
    ];
    let mut chain = BenchChain::new_holding("weights", &ORGS, &[("maker", product())]);
    chain.commit_calls(vec![(
        "maker",
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: ProductId::Gtin(product()),
            name: b"bench".to_vec(),
            category: Category::Food,
            temperature: None,
            shelf_life_days: 3_650,
        }),
    )]);
    for set in ['A', 'B'] {
        let codes: Vec<TraceCode> = (0..PALLET_ITEMS).map(|n| item(product(), set, n)).collect();
        let txs = chain.spread(
            "maker",
            codes
                .chunks(1_000)
                .map(|c| capture(vec![commission(c.to_vec())]))
                .collect(),
        );
        chain.commit(txs);
    }
    let items: Vec<TraceCode> = (0..PALLET_ITEMS).map(|n| item(product(), 'A', n)).collect();
    let (first, second) = items.split_at(PALLET_ITEMS / 2);
    chain.commit_calls(vec![(
        "maker",
        capture(vec![
            commission(vec![sscc(0)]),
            packing(GENESIS_MS, sscc(0), first.to_vec()),
            packing(GENESIS_MS, sscc(0), second.to_vec()),
        ]),
    )]);
    chain
}

fn time(chain: &BenchChain, block: &Block) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            chain.execute(block, false);
            started.elapsed()
        })
        .min()
        .expect("three runs")
}

fn main() {
    let mut chain = setup();
    let loose: Vec<TraceCode> = (0..PALLET_ITEMS).map(|n| item(product(), 'B', n)).collect();
    let new = |from: usize, n: usize| -> Vec<TraceCode> {
        (from..from + n).map(|k| item(product(), 'C', k)).collect()
    };
    type Workload = Box<dyn FnOnce(&mut BenchChain) -> Vec<yima_runtime::SignedTransaction>>;
    let workloads: Vec<(&str, Workload)> = vec![
        (
            "commission 10 tx x 1,000 codes",
            Box::new(move |c| {
                let calls = (0..10)
                    .map(|t| capture(vec![commission(new(t * 1_000, 1_000))]))
                    .collect();
                c.spread("maker", calls)
            }),
        ),
        (
            "pack 10,000 loose items, 1 tx",
            Box::new({
                let loose = loose.clone();
                move |c| {
                    let (a, b) = loose.split_at(PALLET_ITEMS / 2);
                    c.spread(
                        "maker",
                        vec![capture(vec![
                            commission(vec![sscc(1)]),
                            packing(GENESIS_MS, sscc(1), a.to_vec()),
                            packing(GENESIS_MS, sscc(1), b.to_vec()),
                        ])],
                    )
                }
            }),
        ),
        (
            "unpack the 10,000-item pallet, 1 tx",
            Box::new(|c| {
                c.spread(
                    "maker",
                    vec![capture(vec![unpacking(GENESIS_MS, sscc(0), vec![])])],
                )
            }),
        ),
        (
            "observe the pallet, 30 tx x 1 event",
            Box::new(|c| {
                c.spread(
                    "maker",
                    (0..30).map(|_| capture(vec![observe(sscc(0))])).collect(),
                )
            }),
        ),
        (
            "commission 5,000 tx x 1 code",
            Box::new(move |c| {
                let calls = (0..5_000)
                    .map(|k| capture(vec![commission(new(20_000 + k, 1))]))
                    .collect();
                c.spread("maker", calls)
            }),
        ),
    ];
    let block_limit = yima_system::DEFAULT_MAX_BLOCK_WEIGHT as f64;
    println!(
        "{:<40} {:>6} {:>14} {:>10} {:>8} {:>12}",
        "workload", "txs", "weight", "ms", "ns/unit", "full block"
    );
    for (name, txs) in workloads {
        let block = chain.block(txs);
        let weight = chain
            .exec
            .execute_block(chain.state.clone(), &chain.head, &block, &|_| false)
            .expect("bench block executes")
            .weight;
        let elapsed = time(&chain, &block);
        let units = weight.units();
        let weight = units as f64;
        let ns_per_unit = elapsed.as_nanos() as f64 / weight;
        println!(
            "{:<40} {:>6} {:>14} {:>10.1} {:>8.3} {:>10.0}ms",
            name,
            block.extrinsics.len(),
            units,
            elapsed.as_secs_f64() * 1e3,
            ns_per_unit,
            ns_per_unit * block_limit / 1e6,
        );
    }
}
