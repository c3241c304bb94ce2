//! An imported lot's whole path through real signed transactions and blocks (浙冷链): the importer declares it,
//! customs clears it on its quarantine certificate, the consignment goes to the supervised warehouse, which
//! issues the cold-chain codes on its disinfection certificate, a carrier takes them to a supermarket — one
//! leg too warm — and the supermarket sells one. A second lot without its nucleic-acid report is refused at the
//! supermarket's door (四个不), and a positive test on the first lot holds it: the recall (一键排查) then finds
//! every holder. Every block is indexed as a node would; the trace rebuild (一码统管) of the sold code returns
//! every hop from the port, each proven into its block's `events_root`, with the certificates it cites; the
//! alerts are the excursion, the two refusals and the positive test.

mod common;

use std::collections::BTreeMap;

use common::trace::*;
use common::REGULATOR;
use yima_attestation::{attestation_id, schemas, AttestationInspect, LotRef, SchemaId, Subject};
use yima_codes::{ColdChainCode, Gtin, ProductId, SerialNumber, TraceCode};
use yima_frame::{sha256, Hash, OrgId, Role};
use yima_membership::OrgKind;
use yima_runtime::alerts::{Alert, AlertKind};
use yima_runtime::query::{recall, trace, HoldSource, HoldState, LotHold, RecallTarget, Relation};
use yima_runtime::{Attestation, BuiltBlock, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig};
use yima_trace::epcis::{BizStep, EventBody, Location};
use yima_trace::types::{Category, CodeStatus, LotKey, TemperatureRange};

/// Organisation ids after the trace genesis's five (regulator, maker, distributor, shop, processor).
const CUSTOMS_ORG: OrgId = 5;
const IMPORTER_ORG: OrgId = 6;
const WAREHOUSE_ORG: OrgId = 7;
const CARRIER_ORG: OrgId = 8;
const LAB_ORG: OrgId = 9;

const PLATE: &str = "浙B12345";

const FROZEN: TemperatureRange = TemperatureRange {
    min_centi_celsius: -2_500,
    max_centi_celsius: -1_500,
};

/// The trace genesis plus customs, an importer, a supervised warehouse, a carrier and a lab, each with an
/// account named after it.
fn cold_chain_genesis() -> RuntimeGenesisConfig {
    let mut config = trace_genesis_config();
    add_members(
        &mut config,
        &[
            (
                "customs",
                OrgKind::Customs,
                uscc("11330100MA2Y001017"),
                &[Role::Inspector],
            ),
            (
                "importer",
                OrgKind::Importer,
                uscc("91330100MA2Y004049"),
                &[Role::Operator],
            ),
            (
                "warehouse",
                OrgKind::SupervisedWarehouse,
                uscc("91330100MA2Y00808C"),
                &[Role::Operator, Role::Inspector],
            ),
            (
                "carrier",
                OrgKind::Carrier,
                uscc("91330100MA2Y009095"),
                &[Role::Operator],
            ),
            (
                "lab",
                OrgKind::InspectionBody,
                uscc("12330100MA2Y016168"),
                &[Role::Inspector],
            ),
        ],
    );
    // The regulator's officer who decides holds (Operator) and attests disposals (Inspector).
    add_account(
        &mut config,
        "inspector",
        uscc(REGULATOR),
        &[Role::Operator, Role::Inspector],
    );
    let m = &config.membership;
    assert_eq!(
        m.organisations[LAB_ORG as usize].kind,
        OrgKind::InspectionBody
    );
    hold(&mut config, uscc("91330100MA2Y004049"), &[beef()]);
    config
}

fn chain() -> IndexedChain {
    IndexedChain::with_config(&cold_chain_genesis())
}

fn beef() -> Gtin {
    let body = "0952123450010";
    Gtin::parse(&format!(
        "{body}{}",
        yima_codes::gs1_check_digit(body.as_bytes())
    ))
    .unwrap()
}

fn lot(name: &str) -> LotKey {
    lot_of(beef(), name)
}

fn subject(name: &str) -> Subject {
    Subject::Lot(LotRef {
        product: lot(name).product,
        lot: lot(name).lot,
    })
}

fn consignment(name: &str) -> TraceCode {
    TraceCode::Sgtin {
        gtin: beef(),
        serial: SerialNumber::parse(&format!("C{name}")).unwrap(),
    }
}

fn cl(serial: u64) -> TraceCode {
    TraceCode::ColdChain(ColdChainCode::new(WAREHOUSE_ORG, serial).unwrap())
}

fn digest(what: &str) -> Hash {
    sha256(what.as_bytes())
}

fn attest(schema: SchemaId, name: &str, document: &str) -> RuntimeCall {
    RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema,
        subject: subject(name),
        digest: digest(document),
        uri: None,
        valid_from: 0,
        valid_until: None,
    })
}

fn declare(name: &str) -> RuntimeCall {
    RuntimeCall::ColdChain(yima_cold_chain::Call::DeclareEntry {
        entry: yima_cold_chain::EntryDeclaration {
            declaration: yima_cold_chain::DeclarationNumber::parse("310420261000012345").unwrap(),
            document: digest(&format!("declaration {name}")),
            origin: yima_cold_chain::CountryCode::parse("NZ").unwrap(),
            port: yima_cold_chain::PortCode::parse("CNNGB").unwrap(),
            lot: lot(name),
            consignment: consignment(name),
            quantity: 2_400,
            uom: Some(*b"KGM"),
            production_date: 0,
            expiry: 1_000 * DAY,
        },
    })
}

fn hop(codes: Vec<TraceCode>, min: i32, max: i32) -> RuntimeCall {
    RuntimeCall::ColdChain(yima_cold_chain::Call::CarrierHop {
        codes,
        to: SHOP_ORG,
        vehicle: PLATE.as_bytes().to_vec(),
        gps_track: digest("gps track of the leg"),
        temperature: yima_cold_chain::TemperatureSummary {
            min,
            max,
            mean: (min + max) / 2,
            device: Some(b"logger-7".to_vec()),
        },
    })
}

fn alerts(built: &BuiltBlock) -> Vec<Alert> {
    built
        .events
        .iter()
        .filter_map(|e| e.decode::<RuntimeEvent>().unwrap().event.alert())
        .collect()
}

#[test]
fn import_to_clearance_to_warehouse_to_carrier_to_retail_with_the_four_nos_and_a_positive_test() {
    let mut c = chain();
    let quarantine = |name| {
        attestation_id(
            schemas::INSPECTION_QUARANTINE_CERTIFICATE,
            CUSTOMS_ORG,
            &subject(name),
            &digest(&format!("quarantine {name}")),
        )
    };
    let disinfection = |name| {
        attestation_id(
            schemas::DISINFECTION_CERTIFICATE,
            WAREHOUSE_ORG,
            &subject(name),
            &digest(&format!("disinfection {name}")),
        )
    };

    // Block 1: the importer's frozen beef, imported cold-chain food, approved by the regulator.
    c.ok(vec![
        (
            "importer",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: ProductId::Gtin(beef()),
                name: "Frozen beef (NZ)".as_bytes().to_vec(),
                category: Category::ColdChainFood,
                temperature: Some(FROZEN),
                shelf_life_days: 730,
            }),
        ),
        ("reg1", approve(ProductId::Gtin(beef()))),
    ]);
    // Block 2: two lots declared at Ningbo.
    c.ok(vec![
        ("importer", declare("L1")),
        ("importer", declare("L2")),
    ]);
    // Block 3: customs attests both quarantine certificates and clears both lots; the lab reports on L1 only.
    c.ok(vec![
        (
            "customs",
            attest(
                schemas::INSPECTION_QUARANTINE_CERTIFICATE,
                "L1",
                "quarantine L1",
            ),
        ),
        (
            "customs",
            attest(
                schemas::INSPECTION_QUARANTINE_CERTIFICATE,
                "L2",
                "quarantine L2",
            ),
        ),
        (
            "customs",
            RuntimeCall::ColdChain(yima_cold_chain::Call::Clear {
                lot: lot("L1"),
                certificate: quarantine("L1"),
            }),
        ),
        (
            "customs",
            RuntimeCall::ColdChain(yima_cold_chain::Call::Clear {
                lot: lot("L2"),
                certificate: quarantine("L2"),
            }),
        ),
        (
            "lab",
            attest(schemas::NUCLEIC_ACID_REPORT, "L1", "nucleic acid L1"),
        ),
    ]);
    // Blocks 4–5: both consignments to the supervised warehouse, which disinfects and codes them.
    c.ok(vec![(
        "importer",
        capture(vec![shipping(
            vec![consignment("L1"), consignment("L2")],
            WAREHOUSE_ORG,
        )]),
    )]);
    c.ok(vec![
        (
            "warehouse",
            capture(vec![receiving(vec![consignment("L1"), consignment("L2")])]),
        ),
        (
            "warehouse",
            attest(schemas::DISINFECTION_CERTIFICATE, "L1", "disinfection L1"),
        ),
        (
            "warehouse",
            attest(schemas::DISINFECTION_CERTIFICATE, "L2", "disinfection L2"),
        ),
        (
            "warehouse",
            RuntimeCall::ColdChain(yima_cold_chain::Call::IssueCodes {
                lot: lot("L1"),
                count: 3,
                disinfection: disinfection("L1"),
            }),
        ),
        (
            "warehouse",
            RuntimeCall::ColdChain(yima_cold_chain::Call::IssueCodes {
                lot: lot("L2"),
                count: 1,
                disinfection: disinfection("L2"),
            }),
        ),
    ]);
    // Blocks 6–7: every code to the carrier (not retail: no certificate needed yet).
    let all = vec![cl(1), cl(2), cl(3), cl(4)];
    c.ok(vec![(
        "warehouse",
        capture(vec![shipping(all.clone(), CARRIER_ORG)]),
    )]);
    c.ok(vec![("carrier", capture(vec![receiving(all)]))]);
    // Block 8: the carrier's legs to the supermarket: one frozen, one too warm, and L2's code refused at the
    // door — three of four certificates.
    let legs = c.block(vec![
        ("carrier", hop(vec![cl(1), cl(2)], -2_100, -1_800)),
        ("carrier", hop(vec![cl(3)], -1_900, -900)),
        ("carrier", hop(vec![cl(4)], -2_100, -1_800)),
    ]);
    let leg_alerts = alerts(&legs);
    assert_eq!(
        leg_alerts
            .iter()
            .map(|a| (a.kind, a.codes.clone()))
            .collect::<Vec<_>>(),
        vec![
            (AlertKind::TemperatureExcursion, vec![cl(3)]),
            (AlertKind::Refusal, vec![]),
        ]
    );
    assert!(
        leg_alerts[1]
            .message
            .contains("ColdChain::MissingNucleicAcidReport: 四个不"),
        "{}",
        leg_alerts[1].message
    );
    // Block 9: the supermarket receives and sells one.
    c.ok(vec![
        ("shop", capture(vec![receiving(vec![cl(1), cl(2), cl(3)])])),
        ("shop", capture(vec![selling(vec![cl(1)])])),
    ]);
    // Block 10: the lab finds L1 positive; the supermarket's next sale of it is refused.
    let positive = c.block(vec![
        (
            "lab",
            RuntimeCall::ColdChain(yima_cold_chain::Call::ReportPositive {
                lot: lot("L1"),
                report: digest("positive test L1"),
            }),
        ),
        ("shop", capture(vec![selling(vec![cl(2)])])),
    ]);
    let positive_alerts = alerts(&positive);
    assert_eq!(positive_alerts.len(), 2);
    assert_eq!(positive_alerts[0].kind, AlertKind::PositiveTest);
    assert_eq!(positive_alerts[0].kind.as_str(), "positive_test");
    assert!(
        positive_alerts[0].message.contains("held"),
        "{}",
        positive_alerts[0].message
    );
    assert!(
        positive_alerts[1].message.contains("ColdChain::LotOnHold"),
        "{}",
        positive_alerts[1].message
    );

    // 一码统管: the sold code's history, from the port to the till.
    let t = trace(&c.index, &cl(1)).unwrap();
    use BizStep::*;
    use Relation::*;
    let seen: Vec<(u64, BizStep, Relation, TraceCode, OrgId)> = t
        .hops
        .iter()
        .map(|h| (h.at.block, h.epcis().biz_step, h.relation, h.subject, h.org))
        .collect();
    let c1 = consignment("L1");
    assert_eq!(
        seen,
        vec![
            (2, Commissioning, Upstream, c1, IMPORTER_ORG), // at the port, with the declared quantity
            (2, Other, Upstream, c1, IMPORTER_ORG),         // linked to the customs declaration
            (3, Inspecting, Upstream, c1, CUSTOMS_ORG),     // the clearance
            (4, Shipping, Upstream, c1, IMPORTER_ORG),
            (5, Receiving, Upstream, c1, WAREHOUSE_ORG),
            (5, Commissioning, Own, cl(1), WAREHOUSE_ORG), // consignment → cold-chain codes
            (6, Shipping, Own, cl(1), WAREHOUSE_ORG),
            (7, Receiving, Own, cl(1), CARRIER_ORG),
            (8, Other, Own, cl(1), CARRIER_ORG), // the GPS track
            (8, Shipping, Own, cl(1), CARRIER_ORG),
            (9, Receiving, Own, cl(1), SHOP_ORG),
            (9, RetailSelling, Own, cl(1), SHOP_ORG),
        ]
    );
    assert_eq!(t.upstream, vec![c1]);
    // The hops carry what the chain was told: the port, the certificates, the declaration, the truck.
    let hop_at = |block, step| {
        t.hops
            .iter()
            .find(|h| h.at.block == block && h.epcis().biz_step == step)
            .unwrap()
            .epcis()
    };
    assert_eq!(
        hop_at(2, Commissioning).biz_location,
        Some(Location::Other(b"CNNGB".to_vec()))
    );
    assert_eq!(hop_at(3, Inspecting).certifications, vec![quarantine("L1")]);
    assert_eq!(
        hop_at(5, Commissioning).certifications,
        vec![disinfection("L1")]
    );
    assert!(matches!(
        &hop_at(2, Other).body,
        EventBody::Transaction { biz_transactions, .. }
            if biz_transactions[0].digest == digest("declaration L1")
    ));
    assert!(matches!(
        &hop_at(8, Other).body,
        EventBody::Transaction { biz_transactions, .. }
            if biz_transactions[0].digest == digest("gps track of the leg")
    ));
    let leg = hop_at(8, Shipping);
    assert_eq!(
        leg.read_point,
        Some(Location::Other(PLATE.as_bytes().to_vec()))
    );
    assert_eq!((leg.sensors[0].min, leg.sensors[0].max), (-2_100, -1_800));
    // The certificates the hops cite are the lot's, as issued on chain (the quarantine certificate still valid).
    let now = c.chain.head.timestamp;
    c.chain.read(|| {
        for (id, schema) in [
            (quarantine("L1"), schemas::INSPECTION_QUARANTINE_CERTIFICATE),
            (disinfection("L1"), schemas::DISINFECTION_CERTIFICATE),
        ] {
            assert_eq!(
                Attestation::is_valid(&id, &subject("L1"), schema, now),
                Ok(())
            );
        }
    });
    // Every hop proves into its block's events_root, as an auditor would check it.
    c.verify_inclusion(&t.hops);

    // 一键排查: every holder of the positive lot, from the index and current custody.
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(lot("L1"))).unwrap();
    let rows: Vec<(TraceCode, OrgId, CodeStatus)> = r
        .rows
        .iter()
        .map(|row| (row.code, row.holder, row.status))
        .collect();
    let mut expected = vec![
        (c1, WAREHOUSE_ORG, CodeStatus::Consumed),
        (cl(1), SHOP_ORG, CodeStatus::Sold),
        (cl(2), SHOP_ORG, CodeStatus::Active),
        (cl(3), SHOP_ORG, CodeStatus::Active),
    ];
    expected.sort_by_key(|row| row.0);
    assert_eq!(rows, expected);
    assert_eq!(
        r.holders,
        BTreeMap::from([(WAREHOUSE_ORG, 1), (SHOP_ORG, 3)])
    );
    assert!(
        r.rows
            .iter()
            .find(|row| row.code == cl(3))
            .unwrap()
            .excursion
    );
    // The refused lot never left the carrier.
    let r2 = recall(&c.index, &c.custody(), RecallTarget::Lot(lot("L2"))).unwrap();
    assert_eq!(
        r2.holders,
        BTreeMap::from([(CARRIER_ORG, 1), (WAREHOUSE_ORG, 1)])
    );
    assert_eq!(
        r.lots[&lot("L1")],
        vec![LotHold {
            source: HoldSource::PositiveTest,
            state: HoldState::Held {
                by: LAB_ORG,
                at: 10,
                recalled: false
            },
        }]
    );
    assert!(r2.lots.is_empty());

    // Block 11 (闭环 by release): the lab's negative retest of L1; the regulator releases the hold citing it and
    // its decision, and the supermarket's sale goes through.
    let released = c.ok(vec![
        (
            "lab",
            RuntimeCall::ColdChain(yima_cold_chain::Call::ReportNegative {
                lot: lot("L1"),
                report: digest("negative retest L1"),
            }),
        ),
        (
            "inspector",
            RuntimeCall::ColdChain(yima_cold_chain::Call::ReleaseHold {
                lot: lot("L1"),
                retest: digest("negative retest L1"),
                decision: digest("release decision L1"),
            }),
        ),
        ("shop", capture(vec![selling(vec![cl(2)])])),
    ]);
    let released_alerts = alerts(&released);
    assert_eq!(
        released_alerts.iter().map(|a| a.kind).collect::<Vec<_>>(),
        vec![AlertKind::HoldReleased]
    );
    assert!(
        released_alerts[0].message.contains("negative retest"),
        "{}",
        released_alerts[0].message
    );
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(lot("L1"))).unwrap();
    assert_eq!(
        r.lots[&lot("L1")],
        vec![LotHold {
            source: HoldSource::PositiveTest,
            state: HoldState::Released {
                by: REGULATOR_ORG,
                at: 11,
                retest: digest("negative retest L1"),
                decision: digest("release decision L1"),
                recall_lifted: false,
            },
        }]
    );

    // Block 12 (闭环 by disposal): the regulator finds L2 positive (and recalls it), attests its disposal and
    // disposes of it: the code at the carrier counts as destroyed and may not move.
    let disposal = attestation_id(
        schemas::UNQUALIFIED_PRODUCT_DISPOSAL,
        REGULATOR_ORG,
        &subject("L2"),
        &digest("disposal L2"),
    );
    let disposed = c.block(vec![
        (
            "inspector",
            RuntimeCall::ColdChain(yima_cold_chain::Call::ReportPositive {
                lot: lot("L2"),
                report: digest("positive test L2"),
            }),
        ),
        (
            "inspector",
            attest(schemas::UNQUALIFIED_PRODUCT_DISPOSAL, "L2", "disposal L2"),
        ),
        (
            "inspector",
            RuntimeCall::ColdChain(yima_cold_chain::Call::DisposeLot {
                lot: lot("L2"),
                disposal,
            }),
        ),
        (
            "carrier",
            capture(vec![shipping(vec![cl(4)], DISTRIBUTOR_ORG)]),
        ),
    ]);
    assert_eq!(
        alerts(&disposed).iter().map(|a| a.kind).collect::<Vec<_>>(),
        vec![
            AlertKind::PositiveTest,
            AlertKind::LotDisposed,
            AlertKind::Refusal
        ]
    );
    let r2 = recall(&c.index, &c.custody(), RecallTarget::Lot(lot("L2"))).unwrap();
    let statuses: Vec<(TraceCode, CodeStatus)> =
        r2.rows.iter().map(|row| (row.code, row.status)).collect();
    let mut expected = vec![
        (consignment("L2"), CodeStatus::Consumed),
        (cl(4), CodeStatus::Destroyed),
    ];
    expected.sort_by_key(|row| row.0);
    assert_eq!(statuses, expected);
    assert_eq!(
        r2.lots[&lot("L2")],
        vec![LotHold {
            source: HoldSource::PositiveTest,
            state: HoldState::Disposed {
                by: REGULATOR_ORG,
                at: 12,
                disposal
            },
        }]
    );
}
