//! Cold-chain events applied per second with the four no's checked, and the share of the attestation lookups
//! (`cargo bench -p yima-runtime --bench cold_chain`).
//!
//! A chain where the supervised warehouse holds 10,000 cold-chain codes of one imported lot with all four
//! (quarantine certificate, nucleic-acid report, disinfection certificate, clearance and codes) and 10,000
//! codes of a domestic lot, then:
//!
//! 1. `ship_to_retail/imported`: a block shipping the 10,000 imported codes to a supermarket — every event
//!    retail-bound, so the gate runs the four lookups — as 100 transactions of 100 one-code events, through
//!    `execute_block` with signatures verified in the block and pre-verified (the node's path);
//! 2. `ship_to_retail/domestic`: the same block for the domestic codes — the gate reads the lot and stops, no
//!    lookup: the difference to (1) is what the cold-chain rule costs on the hot path;
//! 3. `four_lookups`: `ensure_four` alone (three `has_valid` plus the entry), 10,000 times over the same state;
//! 4. `gate_check`: the whole gate for one imported retail-bound event (lots of the codes, hold, four), 10,000
//!    times.

#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use common::{
    approve, gtin, object, org, ship, BenchChain, BenchOrg, DAY, GENESIS_MS, GOVERNOR, INSPECTOR,
    OPERATOR,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yima_attestation::{attestation_id, schemas, LotRef, SchemaId, Subject};
use yima_codes::{ColdChainCode, Gtin, LotNumber, ProductId, SerialNumber, TraceCode};
use yima_frame::{sha256, OrgId};
use yima_membership::OrgKind;
use yima_runtime::{Block, ColdChain, RuntimeCall};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, Ilmd};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::{Category, LotKey, TemperatureRange};

const EVENTS: usize = 10_000;
const PER_TX: usize = 100;

/// One signer each; organisation ids follow this order.
const ORGS: [BenchOrg; 7] = [
    org(
        "regulator",
        OrgKind::Regulator,
        "11330100MA2Y00000E",
        1,
        GOVERNOR,
    ),
    org(
        "customs",
        OrgKind::Customs,
        "11330100MA2Y001017",
        1,
        INSPECTOR,
    ),
    org(
        "importer",
        OrgKind::Importer,
        "91330100MA2Y004049",
        1,
        OPERATOR,
    ),
    org(
        "warehouse",
        OrgKind::SupervisedWarehouse,
        "91330100MA2Y00808C",
        1,
        INSPECTOR,
    ),
    org(
        "retailer",
        OrgKind::Retailer,
        "91330100MA2Y011117",
        1,
        INSPECTOR,
    ),
    org(
        "lab",
        OrgKind::InspectionBody,
        "12330100MA2Y016168",
        1,
        INSPECTOR,
    ),
    org(
        "processor",
        OrgKind::Processor,
        "91330100MA2Y00606T",
        1,
        OPERATOR,
    ),
];
const WAREHOUSE: OrgId = 3;
const RETAILER: OrgId = 4;

fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin),
        lot: LotNumber::parse(lot).unwrap(),
    }
}

fn beef() -> Gtin {
    gtin("0952123450010")
}

fn domestic_gtin() -> Gtin {
    gtin("0952123450030")
}

fn beef_lot() -> LotKey {
    lot_of(beef(), "BEEF1")
}

fn domestic_lot() -> LotKey {
    lot_of(domestic_gtin(), "DOM1")
}

fn subject() -> Subject {
    let lot = beef_lot();
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

fn cl(serial: u64) -> TraceCode {
    TraceCode::ColdChain(ColdChainCode::new(WAREHOUSE, serial).unwrap())
}

fn domestic(n: usize) -> TraceCode {
    TraceCode::Sgtin {
        gtin: domestic_gtin(),
        serial: SerialNumber::parse(&format!("D{n:06}")).unwrap(),
    }
}

/// The chain with both lots at the warehouse.
fn setup() -> BenchChain {
    let mut chain = BenchChain::new_holding(
        "cold-chain",
        &ORGS,
        &[("importer", beef()), ("processor", domestic_gtin())],
    );
    populate(&mut chain);
    chain
}

fn populate(chain: &mut BenchChain) {
    let band = Some(TemperatureRange {
        min_centi_celsius: -2_500,
        max_centi_celsius: -1_500,
    });
    let register = |lot: LotKey, category| {
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: lot.product,
            name: b"bench".to_vec(),
            category,
            temperature: band,
            shelf_life_days: 730,
        })
    };
    let doc = |s: &str| sha256(s.as_bytes());
    let attest = |schema: SchemaId, d: &str| {
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema,
            subject: subject(),
            digest: doc(d),
            uri: None,
            valid_from: 0,
            valid_until: None,
        })
    };
    let ilmd = |lot| Ilmd {
        lot,
        production_date: GENESIS_MS - DAY,
        expiry: GENESIS_MS + 700 * DAY,
    };
    let consignment = TraceCode::Sgtin {
        gtin: beef(),
        serial: SerialNumber::parse("CBEEF1").unwrap(),
    };
    let mut commission = object(
        Action::Add,
        (0..EVENTS).map(domestic).collect(),
        BizStep::Commissioning,
    );
    commission.ilmd = Some(ilmd(domestic_lot()));
    let capture = |events| RuntimeCall::Trace(yima_trace::Call::Capture { events });
    chain.commit_calls(vec![
        ("importer", register(beef_lot(), Category::ColdChainFood)),
        ("processor", register(domestic_lot(), Category::Food)),
        ("regulator", approve(beef_lot().product)),
    ]);
    chain.commit_calls(vec![
        (
            "importer",
            RuntimeCall::ColdChain(yima_cold_chain::Call::DeclareEntry {
                entry: yima_cold_chain::EntryDeclaration {
                    declaration: yima_cold_chain::DeclarationNumber::parse("310420261000012345")
                        .unwrap(),
                    document: doc("declaration"),
                    origin: yima_cold_chain::CountryCode::parse("NZ").unwrap(),
                    port: yima_cold_chain::PortCode::parse("CNNGB").unwrap(),
                    lot: beef_lot(),
                    consignment,
                    quantity: 24_000,
                    uom: Some(*b"KGM"),
                    production_date: GENESIS_MS - DAY,
                    expiry: GENESIS_MS + 700 * DAY,
                },
            }),
        ),
        ("processor", capture(vec![commission])),
        (
            "customs",
            attest(schemas::INSPECTION_QUARANTINE_CERTIFICATE, "quarantine"),
        ),
        ("lab", attest(schemas::NUCLEIC_ACID_REPORT, "nucleic acid")),
        (
            "warehouse",
            attest(schemas::DISINFECTION_CERTIFICATE, "disinfection"),
        ),
    ]);
    let id = |schema, org: OrgId, d: &str| attestation_id(schema, org, &subject(), &doc(d));
    let disinfection = id(schemas::DISINFECTION_CERTIFICATE, WAREHOUSE, "disinfection");
    // Clearance, the consignment and the domestic codes to the warehouse (1,000 events per transaction).
    let mut calls = vec![
        (
            "customs",
            RuntimeCall::ColdChain(yima_cold_chain::Call::Clear {
                lot: beef_lot(),
                certificate: id(schemas::INSPECTION_QUARANTINE_CERTIFICATE, 1, "quarantine"),
            }),
        ),
        ("importer", capture(vec![ship(consignment, WAREHOUSE)])),
    ];
    let to_warehouse: Vec<EpcisEvent> = (0..EVENTS).map(|n| ship(domestic(n), WAREHOUSE)).collect();
    calls.extend(
        to_warehouse
            .chunks(1_000)
            .map(|c| ("processor", capture(c.to_vec()))),
    );
    chain.commit_calls(calls);
    let receive =
        |codes: Vec<TraceCode>| capture(vec![object(Action::Observe, codes, BizStep::Receiving)]);
    let issue = || {
        RuntimeCall::ColdChain(yima_cold_chain::Call::IssueCodes {
            lot: beef_lot(),
            count: 5_000,
            disinfection,
        })
    };
    chain.commit_calls(vec![
        ("warehouse", receive(vec![consignment])),
        ("warehouse", receive((0..EVENTS).map(domestic).collect())),
        ("warehouse", issue()),
        ("warehouse", issue()),
    ]);
}

/// The block (not committed) shipping `codes` to the retailer, one code per event, [`PER_TX`] per transaction.
fn shipping_block(chain: &mut BenchChain, codes: Vec<TraceCode>) -> Block {
    chain.block(|c| {
        let events = codes.into_iter().map(|code| ship(code, RETAILER));
        c.split("warehouse", events, PER_TX)
    })
}

fn cold_chain(c: &mut Criterion) {
    let mut setup = setup();
    let imported: Vec<TraceCode> = (1..=EVENTS as u64).map(cl).collect();
    let domestic_codes: Vec<TraceCode> = (0..EVENTS).map(domestic).collect();
    let mut g = c.benchmark_group("cold_chain_10000_events");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS as u64));
    for (kind, codes) in [("imported", imported.clone()), ("domestic", domestic_codes)] {
        let block = shipping_block(&mut setup, codes);
        for (verify, preverified) in [("verify", false), ("preverified", true)] {
            g.bench_function(format!("ship_to_retail/{kind}/{verify}"), |b| {
                b.iter(|| setup.execute(&block, preverified))
            });
        }
    }

    let now = setup.head.timestamp + 1_000;
    let lot = beef_lot();
    g.bench_function("four_lookups", |b| {
        b.iter(|| {
            let mut ext = setup.externalities();
            ext.execute_with(|| {
                for _ in 0..EVENTS {
                    ColdChain::ensure_four(&lot, now).unwrap();
                }
            })
        })
    });
    let events: Vec<EpcisEvent> = imported.iter().map(|c| ship(*c, RETAILER)).collect();
    g.bench_function("gate_check", |b| {
        b.iter(|| {
            let mut ext = setup.externalities();
            ext.execute_with(|| {
                for event in &events {
                    let ctx = GateContext::new(WAREHOUSE, 0, event, None);
                    <ColdChain as CaptureGate>::check(&ctx).unwrap();
                }
            })
        })
    });
    g.finish();
}

criterion_group!(benches, cold_chain);
criterion_main!(benches);
