//! Vaccine events applied per second with the vaccine gate checked, measured with criterion
//! (`cargo bench -p yima-runtime --bench vaccine`):
//!
//! 1. a block of 10,000 shipments of released vaccine doses, manufacturer → CDC (100 transactions × 100 events):
//!    every event passes the vaccine gate (custody path, batch release: one attestation lookup per event);
//! 2. the same block for a food product of the same band (the gate sees a lot that is no vaccine): the baseline
//!    of the trace core's own work;
//! 3. a block of 10,000 administrations (10,000 transactions, one 7-in-one record each): the pallet's checks,
//!    `Trace::record` with the gate (one attestation lookup), the record card;
//! 4. a block of 10,000 single-event retail sales of the food codes (10,000 transactions): the baseline of
//!    finishing a code's custody in a one-event transaction;
//! 5. on their own, over the same state: one batch-release lookup (`Vaccine::is_released`, i.e.
//!    `AttestationInspect::has_valid`) and one vaccine-gate check of a shipment event, to give the share of the
//!    attestation lookups in an event's cost.
//!
//! Blocks go through `execute_block` on their parent state (execution only: signature check unless pre-verified,
//! validation, pallets, JMT state root, events and extrinsics roots).

#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use common::{
    approve, gtin, gtin_lot, item, object, org, receive, sell, ship, BenchChain, BenchOrg, DAY,
    GENESIS_MS, GOVERNOR, INSPECTOR, OPERATOR,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yima_attestation::{schemas, LotRef, PseudonymousId, Subject};
use yima_codes::{Gtin, ProductId, TraceCode};
use yima_frame::{sha256, OrgId};
use yima_membership::OrgKind;
use yima_runtime::{Block, Runtime, RuntimeCall};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, Ilmd};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::{Category, TemperatureRange};
use yima_vaccine::types::AdministrationRecord;

const EVENTS: usize = 10_000;
const SIGNERS: usize = 100;

/// Organisation ids follow this order.
const ORGS: [BenchOrg; 6] = [
    org(
        "regulator",
        OrgKind::Regulator,
        "11330100MA2Y00000E",
        1,
        GOVERNOR,
    ),
    org(
        "maker",
        OrgKind::Manufacturer,
        "91330100MA2Y00303G",
        SIGNERS,
        OPERATOR,
    ),
    org("cdc", OrgKind::Cdc, "11330100MA2Y002020", SIGNERS, OPERATOR),
    org(
        "site",
        OrgKind::VaccinationSite,
        "12330100MA2Y01515F",
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
    org(
        "distributor",
        OrgKind::Distributor,
        "91330100MA2Y01010E",
        1,
        OPERATOR,
    ),
];
const CDC: OrgId = 2;
const SITE: OrgId = 3;
const DISTRIBUTOR: OrgId = 5;

fn vaccine() -> Gtin {
    gtin("0952123454321")
}

fn food() -> Gtin {
    gtin("0952123454400")
}

fn commission(gtin: Gtin, code: TraceCode) -> EpcisEvent {
    let mut e = object(Action::Add, vec![code], BizStep::Commissioning);
    e.ilmd = Some(Ilmd {
        lot: gtin_lot(gtin),
        production_date: GENESIS_MS - DAY,
        expiry: GENESIS_MS + 3_650 * DAY,
    });
    e
}

fn administer(n: usize) -> RuntimeCall {
    RuntimeCall::Vaccine(yima_vaccine::Call::Administer {
        record: AdministrationRecord {
            code: item(vaccine(), 'B', n),
            batch: gtin_lot(vaccine()).lot,
            cdc: CDC,
            equipment: b"FRIDGE-1".to_vec(),
            vaccinator: PseudonymousId(sha256(format!("vaccinator {}", n % 20).as_bytes()).0),
            recipient: PseudonymousId(sha256(format!("recipient {n}").as_bytes()).0),
            time: GENESIS_MS,
            time_zone_offset_minutes: 480,
        },
    })
}

/// A chain where 10,000 vaccine doses `A…` and 10,000 food codes `F…` sit at the maker and 10,000 vaccine doses
/// `B…` at the vaccination site; the vaccine lot is released.
fn setup() -> BenchChain {
    let mut setup =
        BenchChain::new_holding("vaccine", &ORGS, &[("maker", vaccine()), ("maker", food())]);
    let register = |gtin, category| {
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: ProductId::Gtin(gtin),
            name: b"bench".to_vec(),
            category,
            temperature: Some(TemperatureRange::VACCINE),
            shelf_life_days: 3_650,
        })
    };
    let release = RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: schemas::BATCH_RELEASE,
        subject: release_subject(),
        digest: sha256(b"bench batch release"),
        uri: None,
        valid_from: 0,
        valid_until: None,
    });
    let txs = vec![
        setup.sign("maker", 0, register(vaccine(), Category::Vaccine)),
        setup.sign("maker", 0, register(food(), Category::Food)),
        setup.sign("regulator", 0, approve(ProductId::Gtin(vaccine()))),
        setup.sign("lab", 0, release),
    ];
    setup.commit(txs);
    for (gtin, set) in [(vaccine(), 'A'), (vaccine(), 'B'), (food(), 'F')] {
        let made = setup.split(
            "maker",
            (0..EVENTS).map(|n| commission(gtin, item(gtin, set, n))),
            100,
        );
        setup.commit(made);
    }
    let b = |n| item(vaccine(), 'B', n);
    for (org, events) in [
        (
            "maker",
            (0..EVENTS).map(|n| ship(b(n), CDC)).collect::<Vec<_>>(),
        ),
        ("cdc", (0..EVENTS).map(|n| receive(b(n))).collect()),
        ("cdc", (0..EVENTS).map(|n| ship(b(n), SITE)).collect()),
        ("site", (0..EVENTS).map(|n| receive(b(n))).collect()),
    ] {
        let txs = setup.split(org, events.into_iter(), 100);
        setup.commit(txs);
    }
    setup
}

fn release_subject() -> Subject {
    let key = gtin_lot(vaccine());
    Subject::Lot(LotRef {
        product: key.product,
        lot: key.lot,
    })
}

fn vaccine_events(c: &mut Criterion) {
    let mut setup = setup();
    let blocks: Vec<(&str, Block)> = vec![
        (
            "ship_vaccine/100tx_x100ev",
            setup.block(|s| {
                s.split(
                    "maker",
                    (0..EVENTS).map(|n| ship(item(vaccine(), 'A', n), CDC)),
                    100,
                )
            }),
        ),
        (
            "ship_food_baseline/100tx_x100ev",
            setup.block(|s| {
                let events = (0..EVENTS).map(|n| ship(item(food(), 'F', n), DISTRIBUTOR));
                s.split("maker", events, 100)
            }),
        ),
        (
            "administer/10000tx_x1",
            setup.block(|s| s.spread("site", (0..EVENTS).map(administer).collect())),
        ),
        (
            "sell_food_baseline/10000tx_x1ev",
            setup.block(|s| {
                let events = (0..EVENTS).map(|n| sell(item(food(), 'F', n)));
                s.split("maker", events, 1)
            }),
        ),
    ];
    let mut g = c.benchmark_group("vaccine_10000_events");
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
    let mut g = c.benchmark_group("vaccine_gate_parts");
    g.throughput(Throughput::Elements(1));
    let released = gtin_lot(vaccine());
    g.bench_function("batch_release_lookup", |b| {
        ext.execute_with(|| {
            b.iter(|| assert!(yima_vaccine::Pallet::<Runtime>::is_released(&released)))
        })
    });
    let shipment = ship(item(vaccine(), 'A', 7), CDC);
    g.bench_function("gate_check_vaccine_shipment", |b| {
        ext.execute_with(|| {
            b.iter(|| {
                let ctx = GateContext::new(1, 0, &shipment, None);
                <yima_vaccine::Pallet<Runtime> as CaptureGate>::check(&ctx).unwrap()
            })
        })
    });
    let food_shipment = ship(item(food(), 'F', 7), DISTRIBUTOR);
    g.bench_function("gate_check_food_shipment", |b| {
        ext.execute_with(|| {
            b.iter(|| {
                let ctx = GateContext::new(1, 0, &food_shipment, None);
                <yima_vaccine::Pallet<Runtime> as CaptureGate>::check(&ctx).unwrap()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, vaccine_events);
criterion_main!(benches);
