//! Story 2 of the worked example: an imported frozen lot the way a real import goes (浙冷链) — the importer's
//! customs entry, the inspection/quarantine certificate, the nucleic-acid report and the disinfection
//! certificate as attestations, clearance by customs, cold-chain codes issued at the supervised first-stop
//! warehouse, a carrier's leg — and then the trace core's part: the processor cuts the codes into retail packs
//! (a transformation, so the packs' lot inherits the import's four no's), packs them in a case for the
//! supermarket, which sells one.

use yima_attestation::{
    attestation_id, schemas, AttestationId, AttestationInspect, LotRef, SchemaId, Subject,
};
use yima_cold_chain::{
    ColdLot, CountryCode, DeclarationNumber, EntryDeclaration, PortCode, TemperatureSummary,
};
use yima_frame::Hash;
use yima_trace::epcis::{BizTransactionKind, Location};

use super::*;

const DECLARATION: &str = "310420260000123456";
const PLATE: &str = "浙B12345";

fn subject(lot: &LotKey) -> Subject {
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

/// Who attests which certificate of the import, and the SHA-256 of its document.
fn certificate(schema: SchemaId) -> (&'static str, Hash) {
    let (issuer, document) = match schema {
        schemas::INSPECTION_QUARANTINE_CERTIFICATE => ("customs", "检验检疫证明 ZJ-2026-0715-12"),
        schemas::NUCLEIC_ACID_REPORT => ("inspection_body", "核酸检测报告 NB-2026-0716-03"),
        _ => ("inspection_body", "消毒证明 ZJ-2026-0715-88"),
    };
    (issuer, sha256(document.as_bytes()))
}

fn certificate_id(schema: SchemaId, lot: &LotKey) -> AttestationId {
    let (issuer, document) = certificate(schema);
    attestation_id(schema, org(issuer), &subject(lot), &document)
}

/// The issuer's attestation of the import's certificate `schema`, valid from a day before `t`.
fn attest(schema: SchemaId, lot: &LotKey, t: Moment) -> (&'static str, RuntimeCall) {
    let (issuer, document) = certificate(schema);
    let call = RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema,
        subject: subject(lot),
        digest: document,
        uri: None,
        valid_from: t - DAY,
        valid_until: None,
    });
    (issuer, call)
}

fn cold_chain(call: yima_cold_chain::Call) -> RuntimeCall {
    RuntimeCall::ColdChain(call)
}

/// Story 2: an imported frozen lot through customs and the supervised warehouse, cut into retail packs.
pub(crate) fn frozen_import(story: &mut Story, out: &mut String) {
    let first_block = story.net.head().number + 1;
    let log_from = story.log.len();
    let beef = gtin("0690123450001");
    let steak = gtin("0690123460002");
    let frozen = TemperatureRange {
        min_centi_celsius: -2_500,
        max_centi_celsius: -1_500,
    };
    // The importer labels the consignment with one code of its product; the warehouse's codes replace it.
    let consignment = item(beef, "CBR2607");
    let cold =
        |n: u64| TraceCode::ColdChain(ColdChainCode::new(org("supervised_warehouse"), n).unwrap());
    let colds = vec![cold(1), cold(2)];
    let packs: Vec<TraceCode> = (1..=4).map(|n| item(steak, &format!("ST{n:04}"))).collect();
    let case = sscc(10);
    let import_lot = lot(beef, "BR2607");
    let steak_lot = lot(steak, "ST0715");
    let document = sha256(format!("customs declaration {DECLARATION}").as_bytes());
    let gps_track = sha256(format!("gps track of {PLATE} to the processor").as_bytes());

    // The imported beef is cold-chain food; the steak cut from it at home is food, its own product and lot.
    story.block(vec![
        (
            "importer",
            register(
                ProductId::Gtin(beef),
                "Frozen boneless beef, imported",
                Category::ColdChainFood,
                frozen,
            ),
        ),
        (
            "processor",
            register(
                ProductId::Gtin(steak),
                "Beef steak 500 g, frozen",
                Category::Food,
                frozen,
            ),
        ),
        // Imported cold-chain food waits for the regulator's approval before codes of it exist.
        (
            "alice",
            approve(ProductId::Gtin(beef), "demo frozen beef import licence"),
        ),
    ]);
    let t = story.now();
    story.block(vec![(
        "importer",
        cold_chain(yima_cold_chain::Call::DeclareEntry {
            entry: EntryDeclaration {
                declaration: DeclarationNumber::parse(DECLARATION).unwrap(),
                document,
                origin: CountryCode::parse("BR").unwrap(),
                port: PortCode::parse("CNNGB").unwrap(),
                lot: import_lot.clone(),
                consignment,
                quantity: 1_000,
                uom: Some(*b"KGM"),
                production_date: t - 60 * DAY,
                expiry: t + 300 * DAY,
            },
        }),
    )]);
    let t = story.now();
    story.block(vec![
        attest(schemas::INSPECTION_QUARANTINE_CERTIFICATE, &import_lot, t),
        (
            "customs",
            cold_chain(yima_cold_chain::Call::Clear {
                lot: import_lot.clone(),
                certificate: certificate_id(
                    schemas::INSPECTION_QUARANTINE_CERTIFICATE,
                    &import_lot,
                ),
            }),
        ),
        attest(schemas::NUCLEIC_ACID_REPORT, &import_lot, t),
    ]);
    let t = story.now();
    story.block(vec![(
        "importer",
        capture(vec![ship(
            vec![consignment],
            "supervised_warehouse",
            t,
            temperature(-1_950, -1_800, "reefer-CN88"),
        )]),
    )]);
    let t = story.now();
    story.block(vec![
        (
            "supervised_warehouse",
            capture(vec![receive(
                vec![consignment],
                t,
                "first-stop warehouse bay 4",
            )]),
        ),
        attest(schemas::DISINFECTION_CERTIFICATE, &import_lot, t),
        (
            "supervised_warehouse",
            cold_chain(yima_cold_chain::Call::IssueCodes {
                lot: import_lot.clone(),
                count: 2,
                disinfection: certificate_id(schemas::DISINFECTION_CERTIFICATE, &import_lot),
            }),
        ),
    ]);
    let t = story.now();
    let mut to_carrier = object(Action::Observe, colds.clone(), BizStep::Shipping, t);
    to_carrier.destination = Some(org("carrier"));
    story.block(vec![("supervised_warehouse", capture(vec![to_carrier]))]);
    let t = story.now();
    story.block(vec![(
        "carrier",
        capture(vec![receive(colds.clone(), t, "reefer 浙B12345")]),
    )]);
    story.block(vec![(
        "carrier",
        cold_chain(yima_cold_chain::Call::CarrierHop {
            codes: colds.clone(),
            to: org("processor"),
            vehicle: PLATE.as_bytes().to_vec(),
            gps_track,
            temperature: TemperatureSummary {
                min: -1_900,
                max: -1_750,
                mean: -1_820,
                device: Some(b"logger-ZJB12345".to_vec()),
            },
        }),
    )]);
    let t = story.now();
    let mut cut = base(
        EventBody::Transformation {
            inputs: colds.clone(),
            outputs: packs.clone(),
        },
        BizStep::Transforming,
        t,
    );
    cut.ilmd = Some(Ilmd {
        lot: steak_lot.clone(),
        production_date: t,
        expiry: t + 180 * DAY,
    });
    // The shipment to the supermarket passes the cold-chain gate: the steak lot carries the import's four no's.
    story.block(vec![(
        "processor",
        capture(vec![
            receive(colds.clone(), t, "processing plant freezer"),
            cut,
            object(Action::Add, vec![case], BizStep::Commissioning, t),
            aggregation(Action::Add, case, packs.clone(), BizStep::Packing, t),
            ship(
                vec![case],
                "retailer",
                t,
                temperature(-2_000, -1_700, "truck-ZJB67890"),
            ),
        ]),
    )]);
    let t = story.now();
    story.block(vec![(
        "retailer",
        capture(vec![
            receive(vec![case], t, "store freezer"),
            aggregation(Action::Delete, case, vec![], BizStep::Unpacking, t),
        ]),
    )]);
    let t = story.now();
    story.block(vec![(
        "retailer",
        capture(vec![object(
            Action::Observe,
            vec![packs[0]],
            BizStep::RetailSelling,
            t,
        )]),
    )]);

    // The cold-chain pallet's record of the import, and the steak lot's inherited four no's; to the food pallet
    // the steak lot is a processed lot (no farm lot, so no 合格证), made from no food lot.
    let (entry, steak_rule, steak_food) = story.net.read(|| {
        (
            yima_runtime::ColdChain::entry(&import_lot).unwrap(),
            yima_runtime::ColdChain::cold_lot(&steak_lot),
            yima_runtime::Food::food_lot(&steak_lot).map(|f| (f.farm, f.ancestors)),
        )
    });
    assert_eq!(steak_food, Some((false, vec![])));
    let clearance = entry.clearance.expect("customs cleared the lot");
    assert_eq!(
        (clearance.customs, clearance.certificate, entry.codes_issued),
        (
            org("customs"),
            certificate_id(schemas::INSPECTION_QUARANTINE_CERTIFICATE, &import_lot),
            2
        )
    );
    assert_eq!(steak_rule, Some(ColdLot::Derived(vec![import_lot.clone()])));

    let index = story.net.index();
    let traced = trace(index, &packs[0]).unwrap();
    story.assert_proven(&traced);
    let mut upstream = vec![consignment, cold(1), cold(2)];
    upstream.sort();
    assert_eq!(traced.upstream, upstream);
    let b = first_block;
    use BizStep::*;
    use Relation::*;
    assert_eq!(
        steps(&traced),
        vec![
            (b + 1, Upstream, "importer", Commissioning), // DeclareEntry: at the port
            (b + 1, Upstream, "importer", Other),         // DeclareEntry: the customs declaration
            (b + 2, Upstream, "customs", Inspecting), // Clear: citing the quarantine certificate
            (b + 3, Upstream, "importer", Shipping),
            (b + 4, Upstream, "supervised_warehouse", Receiving),
            (b + 4, Upstream, "supervised_warehouse", Commissioning), // IssueCodes
            (b + 5, Upstream, "supervised_warehouse", Shipping),
            (b + 6, Upstream, "carrier", Receiving),
            (b + 7, Upstream, "carrier", Other), // CarrierHop: the GPS track
            (b + 7, Upstream, "carrier", Shipping), // CarrierHop: the hand-over
            (b + 8, Upstream, "processor", Receiving),
            (b + 8, Own, "processor", Transforming),
            (b + 8, Own, "processor", Packing),
            (b + 8, Container, "processor", Shipping),
            (b + 9, Container, "retailer", Receiving),
            (b + 9, Container, "retailer", Unpacking),
            (b + 10, Own, "retailer", RetailSelling),
        ]
    );
    // The pallet-recorded hops carry what the chain was told: port, declaration, certificates, vehicle.
    let hop = |block: u64, step: BizStep| {
        traced
            .hops
            .iter()
            .find(|h| h.at.block == block && h.epcis().biz_step == step)
            .unwrap()
            .epcis()
    };
    assert_eq!(
        hop(b + 1, Commissioning).biz_location,
        Some(Location::Other(b"CNNGB".to_vec()))
    );
    assert!(matches!(
        &hop(b + 1, Other).body,
        EventBody::Transaction { biz_transactions, .. }
            if biz_transactions[0].kind == BizTransactionKind::CustomsDeclaration
                && biz_transactions[0].digest == document
    ));
    assert_eq!(
        hop(b + 2, Inspecting).certifications,
        vec![certificate_id(
            schemas::INSPECTION_QUARANTINE_CERTIFICATE,
            &import_lot
        )]
    );
    assert_eq!(
        hop(b + 4, Commissioning).certifications,
        vec![certificate_id(
            schemas::DISINFECTION_CERTIFICATE,
            &import_lot
        )]
    );
    assert!(matches!(
        &hop(b + 7, Other).body,
        EventBody::Transaction { biz_transactions, .. } if biz_transactions[0].digest == gps_track
    ));
    assert_eq!(
        hop(b + 7, Shipping).read_point,
        Some(Location::Other(PLATE.as_bytes().to_vec()))
    );
    // The certificates the gate checked are the lot's, valid at the last block.
    let now = story.net.head().timestamp;
    story.net.read(|| {
        for schema in schemas::COLD_CHAIN_CERTIFICATES {
            assert_eq!(
                yima_runtime::Attestation::is_valid(
                    &certificate_id(schema, &import_lot),
                    &subject(&import_lot),
                    schema,
                    now
                ),
                Ok(())
            );
        }
    });

    // Downstream from the consignment: both cold-chain codes and all four retail packs.
    let consignment_trace = trace(index, &consignment).unwrap();
    let mut down = [colds.clone(), packs.clone()].concat();
    down.sort();
    assert_eq!(consignment_trace.downstream, down);

    let recalled = recall(index, &story.net.custody(), RecallTarget::Lot(import_lot)).unwrap();
    assert_eq!(recalled.rows.len(), 7);
    let sold = recalled.rows.iter().find(|r| r.code == packs[0]).unwrap();
    assert_eq!(
        (sold.holder, sold.status),
        (org("retailer"), CodeStatus::Sold)
    );
    assert!(recalled
        .rows
        .iter()
        .filter(|r| r.code == consignment || colds.contains(&r.code))
        .all(|r| r.status == CodeStatus::Consumed));

    out.push_str("### 2. Imported frozen beef: importer → customs → supervised warehouse (cold-chain codes) → carrier → processor (retail packs) → supermarket\n\n");
    render_calls(out, &story.log[log_from..]);
    let _ = writeln!(
        out,
        "`trace({})` — the retail pack that was sold:\n",
        short(&packs[0])
    );
    render_trace(out, &traced);
    let _ = writeln!(
        out,
        "`recall(Lot {} / BR2607)` — the imported lot, through both transformations:\n",
        beef.as_str()
    );
    render_recall(out, &recalled);
}
