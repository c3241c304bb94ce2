//! Drugs through real signed transactions and blocks:
//!
//! 1. a prescription from upload to dispensing — the manufacturer's batch is refused shipment until its black box
//!    holds WMS, SCADA and LIMS, then goes manufacturer → distributor → pharmacy; a licensed pharmacist is bound,
//!    the hospital uploads the prescription, the pharmacist reviews it, a direct dispensing capture is refused and
//!    the pharmacy dispenses by scanning the units; the trace rebuild (一码统管) of a unit shows its hops ending in
//!    dispensing, linked to the prescription's digest, each proven into its block's `events_root`;
//! 2. a buyer of a compound preparation hitting the rolling limit across two pharmacies (refused, an alert), and
//!    allowed again once the window has passed — block timestamps advanced by days;
//! 3. regulator governance lowering the limit through `Action::Dispatch` of the drug pallet's root call.

mod common;

use common::trace::*;
use common::REGULATOR;
use parity_scale_codec::Encode;
use yima_attestation::{attestation_id, schemas, AttestationId, PseudonymousId, Subject};
use yima_codes::{NmpaCode, NmpaProductCode, ProductId, TraceCode};
use yima_drug::types::{BatchRecordKind, DrugPolicy, PrescribedDrug, DAY_MS};
use yima_frame::{sha256, Hash, OrgId, Role};
use yima_membership::{Action as Governance, OrgKind, Uscc};
use yima_runtime::alerts::{Alert, AlertKind};
use yima_runtime::query::{trace, Relation};
use yima_runtime::{describe_error, BuiltBlock, RuntimeCall, RuntimeEvent};
use yima_trace::epcis::{Action, BizStep, EventBody};
use yima_trace::types::{Category, CodeStatus, LotKey};

/// Organisation ids after the trace genesis's five.
const PHARMACY_ORG: OrgId = 5;
const PHARMACY2_ORG: OrgId = 6;
const HOSPITAL_ORG: OrgId = 7;
const CERTIFIER_ORG: OrgId = 8;

/// A valid USCC with body `91330100MA2Y1{n:04}`.
fn numbered_uscc(n: u32) -> Uscc {
    let body = format!("91330100MA2Y1{n:04}");
    let bytes: [u8; 17] = body.as_bytes().try_into().unwrap();
    let check = Uscc::check_character(&bytes).unwrap();
    Uscc::parse(&format!("{body}{check}")).unwrap()
}

/// The trace genesis plus two pharmacies, a hospital and the pharmacist registration centre (a certification
/// body), each with an account named after it, and `regop`, an Operator of the regulator (lists drugs).
fn drug_genesis() -> yima_runtime::RuntimeGenesisConfig {
    let mut config = trace_genesis_config();
    add_members(
        &mut config,
        &[
            (
                "pharmacy",
                OrgKind::Pharmacy,
                numbered_uscc(0),
                &[Role::Operator],
            ),
            (
                "pharmacy2",
                OrgKind::Pharmacy,
                numbered_uscc(1),
                &[Role::Operator],
            ),
            (
                "hospital",
                OrgKind::Hospital,
                numbered_uscc(2),
                &[Role::Operator],
            ),
            (
                "certifier",
                OrgKind::CertificationBody,
                numbered_uscc(3),
                &[Role::Inspector],
            ),
        ],
    );
    add_account(&mut config, "regop", uscc(REGULATOR), &[Role::Operator]);
    let m = &config.membership;
    assert_eq!(
        m.organisations[CERTIFIER_ORG as usize].kind,
        OrgKind::CertificationBody
    );
    config
}

fn chain() -> IndexedChain {
    IndexedChain::with_config(&drug_genesis())
}

const RX: &str = "8612345";
const COMPOUND: &str = "8612346";

fn product(code: &str) -> ProductId {
    ProductId::Nmpa(NmpaProductCode::parse(code).unwrap())
}

/// Unit `n` of the drug `code`: its 20-digit traceability code.
fn unit(code: &str, n: u64) -> TraceCode {
    TraceCode::Nmpa(NmpaCode::parse(&format!("{code}{n:013}")).unwrap())
}

fn lot(code: &str) -> LotKey {
    LotKey {
        product: product(code),
        lot: yima_codes::LotNumber::parse("B2601").unwrap(),
    }
}

fn person(name: &str) -> PseudonymousId {
    PseudonymousId(sha256(format!("pepper|{name}").as_bytes()).0)
}

fn drug(call: yima_drug::Call) -> RuntimeCall {
    RuntimeCall::Drug(call)
}

fn licence_digest(name: &str) -> Hash {
    sha256(format!("licence of {name}").as_bytes())
}

fn licence_id(name: &str) -> AttestationId {
    attestation_id(
        schemas::PHARMACIST_LICENCE,
        CERTIFIER_ORG,
        &Subject::Person(person(name)),
        &licence_digest(name),
    )
}

fn license(name: &str) -> RuntimeCall {
    RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: schemas::PHARMACIST_LICENCE,
        subject: Subject::Person(person(name)),
        digest: licence_digest(name),
        uri: None,
        valid_from: 0,
        valid_until: Some(1_000 * DAY_MS),
    })
}

fn bind(name: &str) -> RuntimeCall {
    drug(yima_drug::Call::BindPharmacist {
        pharmacist: person(name),
        licence: licence_id(name),
    })
}

fn register(code: &str) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product: product(code),
        name: "test drug".as_bytes().to_vec(),
        category: Category::Drug,
        temperature: None,
        shelf_life_days: 730,
    })
}

fn list(code: &str, prescription_only: bool, controlled_compound: bool) -> RuntimeCall {
    drug(yima_drug::Call::ListDrug {
        drug: product(code),
        prescription_only,
        controlled_compound,
    })
}

fn anchor(code: &str, kind: BatchRecordKind) -> RuntimeCall {
    drug(yima_drug::Call::AnchorBatchRecord {
        lot: lot(code),
        kind,
        digest: sha256(format!("{code} {kind:?} export").as_bytes()),
    })
}

fn sell(buyer: PseudonymousId, codes: Vec<TraceCode>) -> RuntimeCall {
    drug(yima_drug::Call::SellCompound {
        buyer,
        codes,
        time: 1,
        time_zone_offset_minutes: 480,
    })
}

fn events(built: &BuiltBlock) -> Vec<RuntimeEvent> {
    built
        .events
        .iter()
        .map(|e| e.decode::<RuntimeEvent>().unwrap().event)
        .collect()
}

fn alerts(built: &BuiltBlock) -> Vec<Alert> {
    events(built)
        .iter()
        .filter_map(RuntimeEvent::alert)
        .collect()
}

/// The error names of a block's refusals (`Drug::PurchaseLimitExceeded` → `PurchaseLimitExceeded`).
fn refused(built: &BuiltBlock) -> Vec<String> {
    failures(built)
        .iter()
        .map(|e| {
            describe_error(e)
                .split(':')
                .nth(2)
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// `code`'s units `0..n` commissioned with a complete black box and delivered maker → distributor, and
/// `range`s of them on to each pharmacy.
fn stock(c: &mut IndexedChain, code: &str, n: u64, pharmacies: &[(OrgId, std::ops::Range<u64>)]) {
    let units: Vec<TraceCode> = (0..n).map(|i| unit(code, i)).collect();
    let mut calls = vec![(
        "maker",
        capture(vec![commissioning(units.clone(), Some(lot(code)))]),
    )];
    for kind in BatchRecordKind::ALL {
        calls.push(("maker", anchor(code, kind)));
    }
    calls.push((
        "maker",
        capture(vec![shipping(units.clone(), DISTRIBUTOR_ORG)]),
    ));
    calls.push(("distributor", capture(vec![receiving(units)])));
    c.ok(calls);
    for (pharmacy, range) in pharmacies {
        let these: Vec<TraceCode> = range.clone().map(|i| unit(code, i)).collect();
        let name = if *pharmacy == PHARMACY_ORG {
            "pharmacy"
        } else {
            "pharmacy2"
        };
        c.ok(vec![
            (
                "distributor",
                capture(vec![shipping(these.clone(), *pharmacy)]),
            ),
            (name, capture(vec![receiving(these)])),
        ]);
    }
}

#[test]
fn a_prescription_from_upload_to_dispensing_with_a_provable_trace() {
    let mut c = chain();
    let units: Vec<TraceCode> = (0..3).map(|i| unit(RX, i)).collect();
    // Block 1: the product, listed as prescription-only; units commissioned; a pharmacist licensed.
    c.ok(vec![
        ("maker", register(RX)),
        ("regop", approve(product(RX))),
        ("regop", list(RX, true, false)),
        (
            "maker",
            capture(vec![commissioning(units.clone(), Some(lot(RX)))]),
        ),
        ("certifier", license("Li")),
    ]);
    // Block 2: shipping before the black box is complete is refused — an alert in the pallet's words.
    let early = c.block(vec![
        ("maker", anchor(RX, BatchRecordKind::Wms)),
        ("maker", anchor(RX, BatchRecordKind::Scada)),
        (
            "maker",
            capture(vec![shipping(units.clone(), DISTRIBUTOR_ORG)]),
        ),
    ]);
    assert_eq!(refused(&early), vec!["BatchRecordsMissing"]);
    let alert = &alerts(&early)[0];
    assert_eq!(alert.kind, AlertKind::Refusal);
    assert!(alert.message.contains("black box"), "{}", alert.message);
    // Block 3: LIMS anchored, the batch ships to the distributor.
    c.ok(vec![
        ("maker", anchor(RX, BatchRecordKind::Lims)),
        (
            "maker",
            capture(vec![shipping(units.clone(), DISTRIBUTOR_ORG)]),
        ),
        ("distributor", capture(vec![receiving(units.clone())])),
    ]);
    // Block 4: on to the pharmacy; the pharmacy binds Li; the hospital uploads the prescription.
    let rx = sha256(b"prescription 2026-0001, People's Hospital");
    c.ok(vec![
        (
            "distributor",
            capture(vec![shipping(units.clone(), PHARMACY_ORG)]),
        ),
        ("pharmacy", capture(vec![receiving(units.clone())])),
        ("pharmacy", bind("Li")),
        (
            "hospital",
            drug(yima_drug::Call::UploadPrescription {
                digest: rx,
                hospital: HOSPITAL_ORG,
                patient: person("patient Wang"),
                drugs: vec![PrescribedDrug {
                    drug: product(RX),
                    quantity: 2,
                }],
            }),
        ),
    ]);
    // Block 5: a direct dispensing capture is refused; Li reviews; the pharmacy dispenses two units; a third
    // unit is not on the prescription's remaining quantity.
    let dispense = |codes| {
        drug(yima_drug::Call::Dispense {
            prescription: rx,
            codes,
            time: 2,
            time_zone_offset_minutes: 480,
        })
    };
    let b5 = c.block(vec![
        (
            "pharmacy",
            capture(vec![object(
                Action::Observe,
                vec![units[0]],
                BizStep::Dispensing,
            )]),
        ),
        (
            "pharmacy",
            drug(yima_drug::Call::ReviewPrescription {
                prescription: rx,
                pharmacist: person("Li"),
                approved: true,
            }),
        ),
        ("pharmacy", dispense(units[..2].to_vec())),
        ("pharmacy", dispense(vec![units[2]])),
    ]);
    assert_eq!(
        refused(&b5),
        vec!["DispenseThroughDrugPallet", "ExceedsPrescribedQuantity"]
    );
    let dispensed: Vec<_> = events(&b5)
        .into_iter()
        .filter_map(|e| match e {
            RuntimeEvent::Drug(yima_drug::Event::Dispensed { prescription, sale }) => {
                Some((prescription, sale.pharmacy, sale.codes))
            }
            _ => None,
        })
        .collect();
    assert_eq!(dispensed, vec![(rx, PHARMACY_ORG, units[..2].to_vec())]);

    let statuses = c.chain.read(|| {
        units
            .iter()
            .map(|u| yima_trace::custody::custody(u, 0).unwrap().status)
            .collect::<Vec<_>>()
    });
    assert_eq!(
        statuses,
        vec![
            CodeStatus::Dispensed,
            CodeStatus::Dispensed,
            CodeStatus::Active
        ]
    );

    // The trace of unit 0: commissioning to dispensing, the last two hops the prescription link and the
    // dispensing, each proven into its block.
    let t = trace(&c.index, &units[0]).unwrap();
    use BizStep::*;
    let seen = hops_by_org(&t.hops);
    assert_eq!(
        seen,
        vec![
            (1, Commissioning, Relation::Own, MAKER_ORG),
            (3, Shipping, Relation::Own, MAKER_ORG),
            (3, Receiving, Relation::Own, DISTRIBUTOR_ORG),
            (4, Shipping, Relation::Own, DISTRIBUTOR_ORG),
            (4, Receiving, Relation::Own, PHARMACY_ORG),
            (5, Dispensing, Relation::Own, PHARMACY_ORG),
            (5, Dispensing, Relation::Own, PHARMACY_ORG),
        ]
    );
    let link = t.hops[5].epcis();
    match &link.body {
        EventBody::Transaction {
            biz_transactions, ..
        } => assert_eq!(biz_transactions[0].digest, rx),
        other => panic!("the link is a transaction event, got {other:?}"),
    }
    assert_eq!(link.source, Some(HOSPITAL_ORG));
    assert!(matches!(t.hops[6].epcis().body, EventBody::Object { .. }));
    // No person id in the public custody events.
    for hop in &t.hops {
        let bytes = hop.epcis().encode();
        for id in [person("patient Wang").0, person("Li").0] {
            assert!(!bytes.windows(32).any(|w| w == id));
        }
    }
    c.verify_inclusion(&t.hops);
}

/// The compound preparation listed and stocked: units 0..10 at the pharmacy, 10..20 at the second.
fn compound_chain() -> IndexedChain {
    let mut c = chain();
    c.ok(vec![
        ("maker", register(COMPOUND)),
        ("regop", approve(product(COMPOUND))),
        ("regop", list(COMPOUND, false, true)),
    ]);
    stock(
        &mut c,
        COMPOUND,
        20,
        &[(PHARMACY_ORG, 0..10), (PHARMACY2_ORG, 10..20)],
    );
    c
}

#[test]
fn a_buyer_hits_the_rolling_limit_across_two_pharmacies_and_may_buy_again_once_the_window_passes() {
    let mut c = compound_chain();
    let chen = person("buyer Chen");
    let u = |n| unit(COMPOUND, n);
    let start = c.chain.head.timestamp + 1_000;
    // Days 0, 1, 2 at the first pharmacy: six packs.
    for (day, codes) in [
        (0, vec![u(0), u(1)]),
        (1, vec![u(2), u(3)]),
        (2, vec![u(4), u(5)]),
    ] {
        let built = c.block_at(start + day * DAY_MS, vec![("pharmacy", sell(chen, codes))]);
        assert_eq!(refused(&built), Vec::<String>::new());
    }
    // Day 3 at the second pharmacy: the seventh pack, three packs in one sale, a plain id number — refused,
    // each an alert; another buyer is served.
    let mut plain = [0u8; 32];
    plain[..18].copy_from_slice(b"11010519491231002X");
    let day3 = c.block_at(
        start + 3 * DAY_MS,
        vec![
            ("pharmacy2", sell(chen, vec![u(10)])),
            (
                "pharmacy2",
                sell(person("buyer Sun"), vec![u(11), u(12), u(13)]),
            ),
            ("pharmacy2", sell(PseudonymousId(plain), vec![u(11)])),
            ("pharmacy2", sell(person("buyer Sun"), vec![u(11), u(12)])),
        ],
    );
    assert_eq!(
        refused(&day3),
        vec![
            "PurchaseLimitExceeded",
            "TooManyPacksInSale",
            "BuyerNotPseudonymous"
        ]
    );
    let limit_alerts = alerts(&day3);
    assert_eq!(limit_alerts.len(), 3);
    assert!(limit_alerts.iter().all(|a| a.kind == AlertKind::Refusal));
    assert!(
        limit_alerts[0]
            .message
            .contains("Drug::PurchaseLimitExceeded")
            && limit_alerts[0].message.contains("purchase-limit alert"),
        "{}",
        limit_alerts[0].message
    );
    // Just before day 30 the first sale still counts; at day 30 it has left the window.
    let before = c.block_at(
        start + 30 * DAY_MS - 1,
        vec![("pharmacy2", sell(chen, vec![u(14)]))],
    );
    assert_eq!(refused(&before), vec!["PurchaseLimitExceeded"]);
    let after = c.block_at(
        start + 30 * DAY_MS,
        vec![("pharmacy2", sell(chen, vec![u(14), u(15)]))],
    );
    assert_eq!(refused(&after), Vec::<String>::new());
    let sold: Vec<u32> = events(&after)
        .into_iter()
        .filter_map(|e| match e {
            RuntimeEvent::Drug(yima_drug::Event::CompoundSold {
                packs_in_window, ..
            }) => Some(packs_in_window),
            _ => None,
        })
        .collect();
    assert_eq!(sold, vec![6]);
    assert_eq!(
        c.chain.read(|| yima_runtime::Drug::packs_in_window(&chen)),
        6
    );
}

#[test]
fn governance_lowers_the_limit_through_a_dispatched_root_call() {
    let mut c = compound_chain();
    let chen = person("buyer Chen");
    let lower = DrugPolicy {
        window_packs: 3,
        ..DrugPolicy::default()
    };
    let call = drug(yima_drug::Call::SetPolicy { policy: lower }).encode();
    // A pharmacy cannot make the root call itself.
    let direct = c.block(vec![(
        "pharmacy",
        drug(yima_drug::Call::SetPolicy { policy: lower }),
    )]);
    assert_eq!(failures(&direct).len(), 1);
    c.ok(vec![(
        "reg1",
        RuntimeCall::Membership(yima_membership::Call::Propose {
            action: Governance::Dispatch { call },
        }),
    )]);
    assert_eq!(
        c.chain.read(yima_runtime::Drug::policy),
        DrugPolicy::default()
    );
    let approved = c.ok(vec![(
        "reg2",
        RuntimeCall::Membership(yima_membership::Call::Approve { id: 0 }),
    )]);
    assert!(events(&approved).contains(&RuntimeEvent::Drug(yima_drug::Event::PolicySet(lower))));
    assert_eq!(c.chain.read(yima_runtime::Drug::policy), lower);
    let built = c.block(vec![
        (
            "pharmacy",
            sell(chen, vec![unit(COMPOUND, 0), unit(COMPOUND, 1)]),
        ),
        ("pharmacy2", sell(chen, vec![unit(COMPOUND, 10)])),
        ("pharmacy2", sell(chen, vec![unit(COMPOUND, 11)])),
    ]);
    assert_eq!(refused(&built), vec!["PurchaseLimitExceeded"]);
}
