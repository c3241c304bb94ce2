//! Food events applied per second with the food gate checked, and the share of the attestation lookups, measured
//! with criterion (`cargo bench -p yima-runtime --bench food`):
//!
//! 1. `ship_farm_to_retail`: a block shipping 10,000 bags of a certified farm lot from the farm to a supermarket
//!    (农超对接), 100 transactions × 100 one-code events: every event is a farm lot leaving the farm, so the gate
//!    reads the lot, checks the hold and looks the origin certificate up;
//! 2. `sell_farm_produce`: a block of 10,000 retail sales of bags of the same lot at the supermarket, same
//!    shape: a sale of farm produce also needs its certificate;
//! 3. `ship_packs_to_retail` / `sell_packs`: the same blocks for packs the processor made from farm lots (a
//!    derived lot: the hold of the pack lot and of its farm lot is checked, no attestation lookup);
//! 4. `ship_nonfood_baseline`: 10,000 codes of a non-food product to the supermarket: the food gate reads the lot
//!    and stops — the difference to (1) and (3) is what the food rules cost on the hot path;
//! 5. on their own, over the same state: the origin-certificate lookup (`Food::has_origin_certificate`, i.e.
//!    `AttestationInspect::has_valid`) and the food gate on one farm shipment and on one pack sale.
//!
//! Blocks go through `execute_block` on their parent state (execution only: signature check unless pre-verified,
//! validation, pallets with every capture gate of the runtime, JMT state root, events and extrinsics roots).

#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use common::{
    gtin, gtin_lot, item, object, org, receive, sell, ship, BenchChain, BenchOrg, DAY, GENESIS_MS,
    GOVERNOR, INSPECTOR, OPERATOR,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yima_attestation::{schemas, LotRef, Subject};
use yima_codes::{Gtin, ProductId, TraceCode};
use yima_frame::{sha256, OrgId};
use yima_membership::OrgKind;
use yima_runtime::{Block, Food, RuntimeCall};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::Category;

const EVENTS: usize = 10_000;
const SIGNERS: usize = 100;
/// Packs each transformation makes from ten bags.
const PACKS_PER_BATCH: usize = 1_000;

/// Organisation ids follow this order.
const ORGS: [BenchOrg; 5] = [
    org(
        "regulator",
        OrgKind::Regulator,
        "11330100MA2Y00000E",
        1,
        GOVERNOR,
    ),
    org(
        "farm",
        OrgKind::Producer,
        "91330100MA2Y005052",
        SIGNERS,
        INSPECTOR,
    ),
    org(
        "processor",
        OrgKind::Processor,
        "91330100MA2Y00606T",
        SIGNERS,
        OPERATOR,
    ),
    org(
        "retailer",
        OrgKind::Retailer,
        "91330100MA2Y011117",
        SIGNERS,
        OPERATOR,
    ),
    org(
        "lab",
        OrgKind::InspectionBody,
        "12330100MA2Y016168",
        1,
        INSPECTOR,
    ),
];
const FARM: OrgId = 1;
const PROCESSOR: OrgId = 2;
const RETAILER: OrgId = 3;

fn leaves() -> Gtin {
    gtin("0952123460010")
}

fn packs() -> Gtin {
    gtin("0952123460020")
}

fn teapots() -> Gtin {
    gtin("0952123460060")
}

fn ilmd(gtin: Gtin) -> Ilmd {
    Ilmd {
        lot: gtin_lot(gtin),
        production_date: GENESIS_MS - DAY,
        expiry: GENESIS_MS + 3_650 * DAY,
    }
}

fn commission(gtin: Gtin, codes: Vec<TraceCode>) -> EpcisEvent {
    let mut e = object(Action::Add, codes, BizStep::Commissioning);
    e.ilmd = Some(ilmd(gtin));
    e
}

/// Ten bags `G…` into [`PACKS_PER_BATCH`] packs of set `set`, batch `b`.
fn process(set: char, b: usize) -> EpcisEvent {
    let inputs = (b * 10..(b + 1) * 10)
        .map(|n| item(leaves(), if set == 'P' { 'G' } else { 'K' }, n))
        .collect();
    let outputs = (b * PACKS_PER_BATCH..(b + 1) * PACKS_PER_BATCH)
        .map(|n| item(packs(), set, n))
        .collect();
    let mut e = EpcisEvent::new(
        EventBody::Transformation { inputs, outputs },
        GENESIS_MS,
        480,
        BizStep::Transforming,
    );
    e.ilmd = Some(ilmd(packs()));
    e
}

/// `(org, events, events per transaction)`, one block each.
fn run(setup: &mut BenchChain, steps: Vec<(&str, Vec<EpcisEvent>, usize)>) {
    for (org, events, per_tx) in steps {
        let txs = setup.split(org, events.into_iter(), per_tx);
        setup.commit(txs);
    }
}

/// A chain where, of one certified farm lot of leaves, bags `F…` sit at the farm and bags `H…` at the
/// supermarket; of one pack lot made from the farm lot, packs `P…` sit at the processor and packs `Q…` at the
/// supermarket; and 10,000 teapots `T…` (not food) at the processor.
fn setup() -> BenchChain {
    let mut setup = BenchChain::new_holding(
        "food",
        &ORGS,
        &[
            ("farm", leaves()),
            ("processor", packs()),
            ("processor", teapots()),
        ],
    );
    let register = |gtin, category| {
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: ProductId::Gtin(gtin),
            name: b"bench".to_vec(),
            category,
            temperature: None,
            shelf_life_days: 3_650,
        })
    };
    let certificate = RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: schemas::ORIGIN_CERTIFICATE,
        subject: farm_subject(),
        digest: sha256(b"bench origin certificate"),
        uri: None,
        valid_from: 0,
        valid_until: None,
    });
    let txs = vec![
        setup.sign("farm", 0, register(leaves(), Category::Food)),
        setup.sign("processor", 0, register(packs(), Category::Food)),
        setup.sign("processor", 0, register(teapots(), Category::Other)),
        setup.sign("farm", 0, certificate),
    ];
    setup.commit(txs);
    let bags = |set| (0..EVENTS).map(move |n| item(leaves(), set, n));
    let batches = EVENTS / PACKS_PER_BATCH;
    let made = vec![
        commission(leaves(), bags('F').collect()),
        commission(leaves(), bags('H').collect()),
        commission(
            leaves(),
            (0..batches * 10)
                .flat_map(|n| [item(leaves(), 'G', n), item(leaves(), 'K', n)])
                .collect(),
        ),
    ];
    let teapots_made = commission(
        teapots(),
        (0..EVENTS).map(|n| item(teapots(), 'T', n)).collect(),
    );
    let inputs: Vec<TraceCode> = (0..batches * 10)
        .flat_map(|n| [item(leaves(), 'G', n), item(leaves(), 'K', n)])
        .collect();
    // A commissioning of 10,000 codes, or five transformations of 1,010 codes, is about as large as a
    // transaction gets (256 KiB).
    run(
        &mut setup,
        vec![
            ("farm", made, 1),
            ("processor", vec![teapots_made], 1),
            (
                "farm",
                inputs.iter().map(|c| ship(*c, PROCESSOR)).collect(),
                100,
            ),
            (
                "processor",
                inputs.iter().map(|c| receive(*c)).collect(),
                100,
            ),
            (
                "processor",
                (0..batches)
                    .flat_map(|b| [process('P', b), process('Q', b)])
                    .collect(),
                5,
            ),
            ("farm", bags('H').map(|c| ship(c, RETAILER)).collect(), 100),
            ("retailer", bags('H').map(receive).collect(), 100),
            (
                "processor",
                (0..EVENTS)
                    .map(|n| ship(item(packs(), 'Q', n), RETAILER))
                    .collect(),
                100,
            ),
            (
                "retailer",
                (0..EVENTS)
                    .map(|n| receive(item(packs(), 'Q', n)))
                    .collect(),
                100,
            ),
        ],
    );
    setup
}

fn farm_subject() -> Subject {
    let key = gtin_lot(leaves());
    Subject::Lot(LotRef {
        product: key.product,
        lot: key.lot,
    })
}

fn food_events(c: &mut Criterion) {
    let mut setup = setup();
    let block = |setup: &mut BenchChain, org: &'static str, event: &dyn Fn(usize) -> EpcisEvent| {
        setup.block(|s| s.split(org, (0..EVENTS).map(event), 100))
    };
    let blocks: Vec<(&str, Block)> = vec![
        (
            "ship_farm_to_retail/100tx_x100ev",
            block(&mut setup, "farm", &|n| {
                ship(item(leaves(), 'F', n), RETAILER)
            }),
        ),
        (
            "sell_farm_produce/100tx_x100ev",
            block(&mut setup, "retailer", &|n| sell(item(leaves(), 'H', n))),
        ),
        (
            "ship_packs_to_retail/100tx_x100ev",
            block(&mut setup, "processor", &|n| {
                ship(item(packs(), 'P', n), RETAILER)
            }),
        ),
        (
            "sell_packs/100tx_x100ev",
            block(&mut setup, "retailer", &|n| sell(item(packs(), 'Q', n))),
        ),
        (
            "ship_nonfood_baseline/100tx_x100ev",
            block(&mut setup, "processor", &|n| {
                ship(item(teapots(), 'T', n), RETAILER)
            }),
        ),
    ];
    let mut g = c.benchmark_group("food_10000_events");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS as u64));
    for (name, block) in &blocks {
        for (verify, preverified) in [("verify", false), ("preverified", true)] {
            g.bench_function(format!("{name}/{verify}"), |b| {
                b.iter(|| setup.execute(block, preverified))
            });
        }
    }
    g.finish();

    // The parts on their own, over the head state.
    let mut ext = setup.externalities();
    let mut g = c.benchmark_group("food_gate_parts");
    g.throughput(Throughput::Elements(1));
    let farm_lot = gtin_lot(leaves());
    g.bench_function("origin_certificate_lookup", |b| {
        ext.execute_with(|| b.iter(|| assert!(Food::has_origin_certificate(&farm_lot))))
    });
    for (name, org, event) in [
        (
            "gate_check_farm_shipment",
            FARM,
            ship(item(leaves(), 'F', 7), RETAILER),
        ),
        (
            "gate_check_pack_sale",
            RETAILER,
            sell(item(packs(), 'Q', 7)),
        ),
        (
            "gate_check_nonfood_shipment",
            PROCESSOR,
            ship(item(teapots(), 'T', 7), RETAILER),
        ),
    ] {
        g.bench_function(name, |b| {
            ext.execute_with(|| {
                b.iter(|| {
                    let ctx = GateContext::new(org, 0, &event, None);
                    <Food as CaptureGate>::check(&ctx).unwrap()
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, food_events);
criterion_main!(benches);
