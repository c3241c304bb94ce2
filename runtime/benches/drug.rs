//! Drug dispensing transactions per second with the limit checks, measured with criterion
//! (`cargo bench -p yima-runtime --bench drug`):
//!
//! 1. a block of 10,000 compound-preparation sales (10,000 transactions, one pack each) to 2,000 buyers who each
//!    already bought one pack at another pharmacy: every sale checks the buyer's pseudonymous id, the unit's
//!    custody and listing, the per-sale limit and the rolling window (one read of the buyer's ring, pruned and
//!    written back), then `Trace::record` with every gate; each buyer ends exactly at the limit of six;
//! 2. a block of 10,000 prescription dispensings (10,000 transactions, one box each, against 10,000 uploaded
//!    and reviewed prescriptions): the prescription read and update, the unit checks, `Trace::record` of two
//!    events (the prescription link and the dispensing);
//! 3. a block of 10,000 plain retail sales of an unlisted OTC drug (10,000 single-event captures): the baseline
//!    of finishing a code's custody in a one-event transaction, with the drug gate seeing a drug that is not
//!    listed;
//! 4. on their own, over the same state: the rolling-window check of one buyer (`Drug::packs_in_window`) and the
//!    drug gate on a shipment of a drug batch (the black-box read).
//!
//! Blocks go through `execute_block` on their parent state (execution only: signature check unless pre-verified,
//! validation, pallets, JMT state root, events and extrinsics roots).

#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use common::{
    approve, object, org, receive, ship, BenchChain, BenchOrg, DAY, GENESIS_MS, GOVERNOR, OPERATOR,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yima_attestation::{attestation_id, schemas, PseudonymousId, Subject};
use yima_codes::{LotNumber, NmpaCode, NmpaProductCode, ProductId, TraceCode};
use yima_drug::types::{BatchRecordKind, PrescribedDrug};
use yima_frame::{sha256, Hash, OrgId};
use yima_membership::OrgKind;
use yima_runtime::{Block, Runtime, RuntimeCall};
use yima_trace::epcis::{Action, BizStep, Ilmd};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::{Category, LotKey};

const SALES: u64 = 10_000;
const BUYERS: u64 = 2_000;
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
    org(
        "distributor",
        OrgKind::Distributor,
        "91330100MA2Y01010E",
        SIGNERS,
        OPERATOR,
    ),
    org(
        "pharmacy",
        OrgKind::Pharmacy,
        "91330100MA2Y01313Q",
        SIGNERS,
        OPERATOR,
    ),
    org(
        "pharmacy2",
        OrgKind::Pharmacy,
        "91330100MA2Y01818L",
        SIGNERS,
        OPERATOR,
    ),
    org(
        "hospital",
        OrgKind::Hospital,
        "12330100MA2Y01414N",
        SIGNERS,
        OPERATOR,
    ),
];
const REGULATOR: OrgId = 0;
const DISTRIBUTOR: OrgId = 2;
const PHARMACY: OrgId = 3;
const PHARMACY2: OrgId = 4;
const HOSPITAL: OrgId = 5;

/// Compound preparation, prescription-only drug, unlisted OTC drug.
const COMPOUND: &str = "8612346";
const RX: &str = "8612345";
const OTC: &str = "8612347";

fn product(code: &str) -> ProductId {
    ProductId::Nmpa(NmpaProductCode::parse(code).unwrap())
}

fn lot(code: &str) -> LotKey {
    LotKey {
        product: product(code),
        lot: LotNumber::parse("BENCH1").unwrap(),
    }
}

/// Unit `n` of `code`; units from `SALES` on are the second pharmacy's.
fn unit(code: &str, n: u64) -> TraceCode {
    TraceCode::Nmpa(NmpaCode::parse(&format!("{code}{n:013}")).unwrap())
}

fn buyer(n: u64) -> PseudonymousId {
    PseudonymousId(sha256(format!("bench buyer {}", n % BUYERS).as_bytes()).0)
}

fn pharmacist() -> PseudonymousId {
    PseudonymousId(sha256(b"bench pharmacist").0)
}

fn prescription(n: u64) -> Hash {
    sha256(format!("bench prescription {n}").as_bytes())
}

fn drug(call: yima_drug::Call) -> RuntimeCall {
    RuntimeCall::Drug(call)
}

fn sell(n: u64, code: TraceCode) -> RuntimeCall {
    drug(yima_drug::Call::SellCompound {
        buyer: buyer(n),
        codes: vec![code],
        time: GENESIS_MS,
        time_zone_offset_minutes: 480,
    })
}

/// A chain where the pharmacy holds 10,000 units each of the compound preparation, the prescription drug and
/// the OTC drug, the second pharmacy 2,000 compound units; every buyer bought one pack at the second pharmacy;
/// 10,000 prescriptions of one box each are uploaded and approved by the pharmacy's bound pharmacist.
fn setup() -> BenchChain {
    let mut c = BenchChain::new("drug", &ORGS);
    let licence_digest = sha256(b"bench pharmacist licence");
    let mut calls = vec![];
    for (code, rx, compound) in [
        (COMPOUND, false, true),
        (RX, true, false),
        (OTC, false, false),
    ] {
        calls.push((
            "maker",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: product(code),
                name: b"bench drug".to_vec(),
                category: Category::Drug,
                temperature: None,
                shelf_life_days: 3_650,
            }),
        ));
        calls.push(("regulator", approve(product(code))));
        if rx || compound {
            calls.push((
                "regulator",
                drug(yima_drug::Call::ListDrug {
                    drug: product(code),
                    prescription_only: rx,
                    controlled_compound: compound,
                }),
            ));
        }
    }
    calls.push((
        "regulator",
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema: schemas::PHARMACIST_LICENCE,
            subject: Subject::Person(pharmacist()),
            digest: licence_digest,
            uri: None,
            valid_from: GENESIS_MS - DAY,
            valid_until: Some(GENESIS_MS + 1_000 * DAY),
        }),
    ));
    calls.push((
        "pharmacy",
        drug(yima_drug::Call::BindPharmacist {
            pharmacist: pharmacist(),
            licence: attestation_id(
                schemas::PHARMACIST_LICENCE,
                REGULATOR,
                &Subject::Person(pharmacist()),
                &licence_digest,
            ),
        }),
    ));
    c.commit_calls(calls);

    let counts = [(COMPOUND, SALES + BUYERS), (RX, SALES), (OTC, SALES)];
    for (code, count) in counts {
        let commission = |range: std::ops::Range<u64>| {
            let mut e = object(
                Action::Add,
                range.map(|n| unit(code, n)).collect(),
                BizStep::Commissioning,
            );
            e.ilmd = Some(Ilmd {
                lot: lot(code),
                production_date: GENESIS_MS - DAY,
                expiry: GENESIS_MS + 3_650 * DAY,
            });
            e
        };
        let events = (0..count)
            .step_by(1_000)
            .map(|s| commission(s..(s + 1_000).min(count)));
        let mut txs = c.split("maker", events, 1);
        for kind in BatchRecordKind::ALL {
            let call = drug(yima_drug::Call::AnchorBatchRecord {
                lot: lot(code),
                kind,
                digest: sha256(format!("bench {code} {kind:?}").as_bytes()),
            });
            txs.push(c.sign("maker", 0, call));
        }
        c.commit(txs);
        let to = |n: u64| if n < SALES { PHARMACY } else { PHARMACY2 };
        let txs = c.split(
            "maker",
            (0..count).map(|n| ship(unit(code, n), DISTRIBUTOR)),
            100,
        );
        c.commit(txs);
        let txs = c.split(
            "distributor",
            (0..count).map(|n| receive(unit(code, n))),
            100,
        );
        c.commit(txs);
        let txs = c.split(
            "distributor",
            (0..count).map(|n| ship(unit(code, n), to(n))),
            100,
        );
        c.commit(txs);
        let mut txs = c.split(
            "pharmacy",
            (0..count.min(SALES)).map(|n| receive(unit(code, n))),
            100,
        );
        if count > SALES {
            txs.extend(c.split(
                "pharmacy2",
                (SALES..count).map(|n| receive(unit(code, n))),
                100,
            ));
        }
        c.commit(txs);
    }
    // Every buyer's first pack, at the second pharmacy.
    let calls = (0..BUYERS)
        .map(|b| sell(b, unit(COMPOUND, SALES + b)))
        .collect();
    let txs = c.spread("pharmacy2", calls);
    c.commit(txs);
    // The prescriptions, uploaded and approved.
    let uploads = (0..SALES)
        .map(|n| {
            drug(yima_drug::Call::UploadPrescription {
                digest: prescription(n),
                hospital: HOSPITAL,
                patient: buyer(n),
                drugs: vec![PrescribedDrug {
                    drug: product(RX),
                    quantity: 1,
                }],
            })
        })
        .collect();
    let txs = c.spread("hospital", uploads);
    c.commit(txs);
    let reviews = (0..SALES)
        .map(|n| {
            drug(yima_drug::Call::ReviewPrescription {
                prescription: prescription(n),
                pharmacist: pharmacist(),
                approved: true,
            })
        })
        .collect();
    let txs = c.spread("pharmacy", reviews);
    c.commit(txs);
    c
}

fn drug_dispensing(c: &mut Criterion) {
    let mut chain = setup();
    let blocks: Vec<(&str, Block)> = vec![
        (
            "sell_compound_with_limits/10000tx_x1",
            chain.block(|s| {
                s.spread(
                    "pharmacy",
                    (0..SALES).map(|n| sell(n, unit(COMPOUND, n))).collect(),
                )
            }),
        ),
        (
            "dispense_prescription/10000tx_x1",
            chain.block(|s| {
                let calls = (0..SALES)
                    .map(|n| {
                        drug(yima_drug::Call::Dispense {
                            prescription: prescription(n),
                            codes: vec![unit(RX, n)],
                            time: GENESIS_MS,
                            time_zone_offset_minutes: 480,
                        })
                    })
                    .collect();
                s.spread("pharmacy", calls)
            }),
        ),
        (
            "sell_otc_baseline/10000tx_x1ev",
            chain.block(|s| {
                let events = (0..SALES)
                    .map(|n| object(Action::Observe, vec![unit(OTC, n)], BizStep::RetailSelling));
                s.split("pharmacy", events, 1)
            }),
        ),
    ];
    let mut g = c.benchmark_group("drug_10000_transactions");
    g.sample_size(10);
    g.throughput(Throughput::Elements(SALES));
    for (name, block) in &blocks {
        for (verify, preverified) in [("verify", false), ("preverified", true)] {
            g.bench_function(format!("{name}/{verify}"), |b| {
                b.iter(|| chain.execute(block, preverified))
            });
        }
    }
    g.finish();

    // The parts on their own, over the head state.
    let mut ext = chain.externalities();
    let mut g = c.benchmark_group("drug_parts");
    g.throughput(Throughput::Elements(1));
    let someone = buyer(7);
    g.bench_function("rolling_window_check", |b| {
        ext.execute_with(|| {
            b.iter(|| assert_eq!(yima_drug::Pallet::<Runtime>::packs_in_window(&someone), 1))
        })
    });
    let shipment = ship(unit(RX, 7), PHARMACY2);
    g.bench_function("gate_check_drug_shipment", |b| {
        ext.execute_with(|| {
            b.iter(|| {
                let ctx = GateContext::new(PHARMACY, 0, &shipment, None);
                <yima_drug::Pallet<Runtime> as CaptureGate>::check(&ctx).unwrap()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, drug_dispensing);
criterion_main!(benches);
