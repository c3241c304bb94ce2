//! A farm lot's whole path through real signed transactions and blocks (浙食链): a tea farm harvests a lot of
//! leaves, which may not leave the farm before its origin certificate (合格证) is attested; a processor makes
//! them into six packs, a distributor takes them and supplies a supermarket and a school canteen; the
//! supermarket sells one pack and the canteen uses one. Then a lab's quick test of one pack fails: the lot is
//! held — the next sale, the canteen's next use and the distributor's next shipment are refused — and the alert
//! goes out; the regulator's inspection confirms it and recalls the lot, and the recall (一键排查) finds every
//! holder, from the pack lot and from the farm lot through the transformation. The trace (一码统管) of the
//! tested pack shows its farm inputs.

mod common;

use std::collections::BTreeMap;

use common::trace::*;
use common::REGULATOR;
use yima_attestation::{attestation_id, schemas, LotRef, SchemaId, Subject};
use yima_codes::{Gtin, SerialNumber, TraceCode};
use yima_frame::{sha256, Hash, OrgId, Role};
use yima_membership::OrgKind;
use yima_runtime::alerts::{Alert, AlertKind};
use yima_runtime::query::{recall, trace, HoldSource, HoldState, LotHold, RecallTarget, Relation};
use yima_runtime::{BuiltBlock, Food, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig};
use yima_trace::epcis::BizStep;
use yima_trace::types::{CodeStatus, LotKey};

/// Organisation ids after the trace genesis's five (regulator, maker, distributor, shop, processor).
const FARM_ORG: OrgId = 5;
const CANTEEN_ORG: OrgId = 6;
const LAB_ORG: OrgId = 7;

/// The trace genesis plus a tea farm (producer), a school canteen (caterer) and a lab (inspection body), each
/// with an account named after it, and a regulator's inspector.
fn food_genesis() -> RuntimeGenesisConfig {
    let mut config = trace_genesis_config();
    add_members(
        &mut config,
        &[
            (
                "farm",
                OrgKind::Producer,
                uscc("91330100MA2Y005052"),
                &[Role::Operator, Role::Inspector],
            ),
            (
                "canteen",
                OrgKind::Caterer,
                uscc("91330100MA2Y012120"),
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
    hold(&mut config, uscc("91330100MA2Y005052"), &[leaves()]);
    hold(&mut config, uscc(PROCESSOR), &[packs()]);
    config
}

fn chain() -> IndexedChain {
    IndexedChain::with_config(&food_genesis())
}

fn gtin_of(body: &str) -> Gtin {
    Gtin::parse(&format!(
        "{body}{}",
        yima_codes::gs1_check_digit(body.as_bytes())
    ))
    .unwrap()
}

fn leaves() -> Gtin {
    gtin_of("0952123460010")
}

fn packs() -> Gtin {
    gtin_of("0952123460020")
}

fn code(gtin: Gtin, serial: String) -> TraceCode {
    TraceCode::Sgtin {
        gtin,
        serial: SerialNumber::parse(&serial).unwrap(),
    }
}

fn bag(n: u32) -> TraceCode {
    code(leaves(), format!("B{n}"))
}

fn pack(n: u32) -> TraceCode {
    code(packs(), format!("P{n}"))
}

fn subject(lot: &LotKey) -> Subject {
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

fn digest(what: &str) -> Hash {
    sha256(what.as_bytes())
}

fn attest(schema: SchemaId, lot: &LotKey, document: &str) -> RuntimeCall {
    RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema,
        subject: subject(lot),
        digest: digest(document),
        uri: None,
        valid_from: 0,
        valid_until: None,
    })
}

fn alerts(built: &BuiltBlock) -> Vec<Alert> {
    built
        .events
        .iter()
        .filter_map(|e| e.decode::<RuntimeEvent>().unwrap().event.alert())
        .collect()
}

fn kinds_and_messages(built: &BuiltBlock) -> Vec<(AlertKind, String)> {
    alerts(built)
        .into_iter()
        .map(|a| (a.kind, a.message))
        .collect()
}

#[test]
fn farm_lot_to_packs_to_retail_and_canteen_a_failed_quick_test_and_the_recall_finds_every_holder() {
    let mut c = chain();
    let farm_lot = lot_of(leaves(), "TL2601");
    let pack_lot = lot_of(packs(), "TP2601");
    let bags = vec![bag(1), bag(2)];
    let all_packs: Vec<TraceCode> = (1..=6).map(pack).collect();
    let lab_result = attestation_id(
        schemas::QUICK_TEST_RESULT,
        LAB_ORG,
        &subject(&pack_lot),
        &digest("quick test TP2601"),
    );
    let regulator_result = attestation_id(
        schemas::QUICK_TEST_RESULT,
        REGULATOR_ORG,
        &subject(&pack_lot),
        &digest("inspection TP2601"),
    );
    // `who` attests its result on the pack lot (document `document`, id `attestation`) and records it as failed.
    let failed_test = |who, document, kind, attestation, sample| {
        [
            (who, attest(schemas::QUICK_TEST_RESULT, &pack_lot, document)),
            (
                who,
                RuntimeCall::Food(yima_food::Call::RecordTest {
                    lot: pack_lot.clone(),
                    kind,
                    result: yima_food::TestResult::Fail,
                    attestation,
                    sample,
                }),
            ),
        ]
    };
    let serve = |codes| {
        RuntimeCall::Food(yima_food::Call::Serve {
            codes,
            kitchen: b"sunshine-kitchen-1".to_vec(),
        })
    };

    // Block 1: the farm's fresh leaves and the processor's packed tea, both food.
    c.ok(vec![
        ("farm", register(leaves(), "西湖龙井 fresh leaves", None)),
        ("processor", register(packs(), "西湖龙井 250 g pack", None)),
    ]);
    // Block 2: the harvest; it may not leave the farm yet — no origin certificate.
    let harvest = c.block(vec![
        (
            "farm",
            capture(vec![commissioning(bags.clone(), Some(farm_lot.clone()))]),
        ),
        ("farm", capture(vec![shipping(bags.clone(), PROCESSOR_ORG)])),
    ]);
    let harvest_alerts = kinds_and_messages(&harvest);
    assert_eq!(harvest_alerts.len(), 1);
    assert_eq!(harvest_alerts[0].0, AlertKind::Refusal);
    assert!(
        harvest_alerts[0]
            .1
            .contains("Food::MissingOriginCertificate: 合格证"),
        "{}",
        harvest_alerts[0].1
    );
    // Block 3: the farm attests its 合格证; now the leaves go.
    c.ok(vec![
        (
            "farm",
            attest(schemas::ORIGIN_CERTIFICATE, &farm_lot, "合格证 TL2601"),
        ),
        ("farm", capture(vec![shipping(bags.clone(), PROCESSOR_ORG)])),
    ]);
    // Block 4: the processor makes six packs of them.
    c.ok(vec![
        ("processor", capture(vec![receiving(bags.clone())])),
        (
            "processor",
            capture(vec![transforming(
                bags.clone(),
                all_packs.clone(),
                pack_lot.clone(),
            )]),
        ),
    ]);
    c.chain.read(|| {
        let food = Food::food_lot(&pack_lot).unwrap();
        assert!(!food.farm);
        assert_eq!(food.ancestors, vec![farm_lot.clone()]);
    });
    // Blocks 5–7: to the distributor; two packs each to the supermarket and the school canteen; one sold, one used.
    c.ok(vec![(
        "processor",
        capture(vec![shipping(all_packs.clone(), DISTRIBUTOR_ORG)]),
    )]);
    c.ok(vec![
        ("distributor", capture(vec![receiving(all_packs.clone())])),
        (
            "distributor",
            capture(vec![
                shipping(vec![pack(1), pack(2)], SHOP_ORG),
                shipping(vec![pack(3), pack(4)], CANTEEN_ORG),
            ]),
        ),
    ]);
    c.ok(vec![
        ("shop", capture(vec![receiving(vec![pack(1), pack(2)])])),
        ("shop", capture(vec![selling(vec![pack(1)])])),
        ("canteen", capture(vec![receiving(vec![pack(3), pack(4)])])),
        ("canteen", serve(vec![pack(3)])),
    ]);
    // Block 8: the lab's quick test of pack 2 fails. The lot is held: the next sale, the next use and the next
    // shipment are refused, each an alert.
    let mut calls = failed_test(
        "lab",
        "quick test TP2601",
        yima_food::TestKind::QuickTest,
        lab_result,
        Some(pack(2)),
    )
    .to_vec();
    calls.extend([
        ("shop", capture(vec![selling(vec![pack(2)])])),
        ("canteen", serve(vec![pack(4)])),
        (
            "distributor",
            capture(vec![shipping(vec![pack(5)], SHOP_ORG)]),
        ),
    ]);
    let failed = c.block(calls);
    let failed_alerts = alerts(&failed);
    assert_eq!(
        failed_alerts.iter().map(|a| a.kind).collect::<Vec<_>>(),
        vec![
            AlertKind::FailedTest,
            AlertKind::Refusal,
            AlertKind::Refusal,
            AlertKind::Refusal,
        ]
    );
    assert_eq!(failed_alerts[0].kind.as_str(), "failed_test");
    assert_eq!(failed_alerts[0].codes, vec![pack(2)]);
    assert!(
        failed_alerts[0]
            .message
            .contains("failed quick test on food lot TP2601")
            && failed_alerts[0].message.contains("held"),
        "{}",
        failed_alerts[0].message
    );
    for (alert, error) in failed_alerts[1..].iter().zip([
        "Food::FailedTestNoSale",
        "Food::FailedTestNoSale",
        "Food::LotOnHold",
    ]) {
        assert!(alert.message.contains(error), "{}", alert.message);
    }
    // Block 9: the regulator's inspection confirms it and recalls the lot in the trace core.
    let confirmed = c.ok(failed_test(
        "inspector",
        "inspection TP2601",
        yima_food::TestKind::Inspection,
        regulator_result,
        None,
    )
    .to_vec());
    let confirmed_alerts = alerts(&confirmed);
    assert_eq!(confirmed_alerts.len(), 1);
    assert!(
        confirmed_alerts[0].message.contains("failed inspection")
            && confirmed_alerts[0].message.contains("recalled"),
        "{}",
        confirmed_alerts[0].message
    );
    c.chain.read(|| {
        let failure = Food::failure(&pack_lot).unwrap();
        assert_eq!((failure.by, failure.attestation), (LAB_ORG, lab_result));
        assert!(failure.recalled);
        assert_eq!(
            yima_runtime::Trace::lot(&pack_lot).unwrap().recalled,
            Some(regulator_result)
        );
    });

    // 一键排查 from the pack lot: every pack and who holds it — distributor, supermarket, canteen.
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(pack_lot.clone())).unwrap();
    let rows: Vec<(TraceCode, OrgId, CodeStatus)> = r
        .rows
        .iter()
        .map(|row| (row.code, row.holder, row.status))
        .collect();
    assert_eq!(
        rows,
        vec![
            (pack(1), SHOP_ORG, CodeStatus::Sold),
            (pack(2), SHOP_ORG, CodeStatus::Recalled),
            (pack(3), CANTEEN_ORG, CodeStatus::Sold),
            (pack(4), CANTEEN_ORG, CodeStatus::Recalled),
            (pack(5), DISTRIBUTOR_ORG, CodeStatus::Recalled),
            (pack(6), DISTRIBUTOR_ORG, CodeStatus::Recalled),
        ]
    );
    assert_eq!(
        r.holders,
        BTreeMap::from([(DISTRIBUTOR_ORG, 2), (SHOP_ORG, 2), (CANTEEN_ORG, 2)])
    );
    // From the farm lot, through the transformation: the leaves at the processor and every pack made of them.
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(farm_lot.clone())).unwrap();
    assert_eq!(
        r.holders,
        BTreeMap::from([
            (PROCESSOR_ORG, 2),
            (DISTRIBUTOR_ORG, 2),
            (SHOP_ORG, 2),
            (CANTEEN_ORG, 2)
        ])
    );
    assert!(r
        .rows
        .iter()
        .filter(|row| bags.contains(&row.code))
        .all(|row| row.status == CodeStatus::Consumed));

    // 一码统管: the tested pack's history reaches its farm inputs, and shows the test.
    let t = trace(&c.index, &pack(2)).unwrap();
    use BizStep::*;
    use Relation::*;
    let seen = hops_by_org(&t.hops);
    assert_eq!(
        seen,
        vec![
            (2, Commissioning, Upstream, FARM_ORG), // the harvest
            (3, Shipping, Upstream, FARM_ORG),      // leaving the farm with its 合格证
            (4, Receiving, Upstream, PROCESSOR_ORG),
            (4, Transforming, Own, PROCESSOR_ORG), // leaves → packs
            (5, Shipping, Own, PROCESSOR_ORG),
            (6, Receiving, Own, DISTRIBUTOR_ORG),
            (6, Shipping, Own, DISTRIBUTOR_ORG),
            (7, Receiving, Own, SHOP_ORG),
            (8, Inspecting, Own, LAB_ORG), // the quick test, citing its result
        ]
    );
    assert_eq!(t.upstream, bags);
    c.verify_inclusion(&t.hops);
    let inspection = t.hops.last().unwrap().epcis();
    assert_eq!(inspection.certifications, vec![lab_result]);

    // The recall says the pack lot is held (the lab's fail of block 8, confirmed by the regulator's recall).
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(pack_lot.clone())).unwrap();
    assert_eq!(
        r.lots,
        BTreeMap::from([(
            pack_lot.clone(),
            vec![LotHold {
                source: HoldSource::FailedTest,
                state: HoldState::Held {
                    by: LAB_ORG,
                    at: 8,
                    recalled: true
                },
            }]
        )])
    );
    // Block 10 (闭环): the regulator attests the disposal of the lot (不合格产品后处理) and disposes of it: every
    // code not sold or used counts as destroyed — one write on the lot — and the alert goes out. The canteen's
    // next use is still refused (the failure stands; the trace core would refuse the destroyed pack too).
    let disposal = attestation_id(
        schemas::UNQUALIFIED_PRODUCT_DISPOSAL,
        REGULATOR_ORG,
        &subject(&pack_lot),
        &digest("disposal TP2601"),
    );
    let disposed = c.block(vec![
        (
            "inspector",
            attest(
                schemas::UNQUALIFIED_PRODUCT_DISPOSAL,
                &pack_lot,
                "disposal TP2601",
            ),
        ),
        (
            "inspector",
            RuntimeCall::Food(yima_food::Call::DisposeLot {
                lot: pack_lot.clone(),
                disposal,
            }),
        ),
        ("canteen", serve(vec![pack(4)])),
    ]);
    let disposed_alerts = alerts(&disposed);
    assert_eq!(
        disposed_alerts.iter().map(|a| a.kind).collect::<Vec<_>>(),
        vec![AlertKind::LotDisposed, AlertKind::Refusal]
    );
    assert_eq!(disposed_alerts[0].kind.as_str(), "lot_disposed");
    assert!(
        disposed_alerts[0].message.contains("lot TP2601")
            && disposed_alerts[0].message.contains("destroyed"),
        "{}",
        disposed_alerts[0].message
    );
    assert!(
        disposed_alerts[1]
            .message
            .contains("Food::FailedTestNoSale"),
        "{}",
        disposed_alerts[1].message
    );
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(pack_lot.clone())).unwrap();
    let statuses: Vec<(TraceCode, CodeStatus)> =
        r.rows.iter().map(|row| (row.code, row.status)).collect();
    assert_eq!(
        statuses,
        vec![
            (pack(1), CodeStatus::Sold),
            (pack(2), CodeStatus::Destroyed),
            (pack(3), CodeStatus::Sold),
            (pack(4), CodeStatus::Destroyed),
            (pack(5), CodeStatus::Destroyed),
            (pack(6), CodeStatus::Destroyed),
        ]
    );
    assert_eq!(
        r.lots[&pack_lot],
        vec![LotHold {
            source: HoldSource::FailedTest,
            state: HoldState::Disposed {
                by: REGULATOR_ORG,
                at: 10,
                disposal
            },
        }]
    );
}

/// 闭环 by release: a lab's quick test fails a farm lot, which may not leave the farm; a second lab test, recorded
/// after the fail, passes; the regulator releases the hold citing it and its decision document, and the leaves
/// go to the processor. The recall says the lot was released.
#[test]
fn a_failed_farm_lot_is_released_by_the_regulator_on_a_passing_retest_and_leaves_the_farm() {
    let mut c = chain();
    let farm_lot = lot_of(leaves(), "TL2602");
    let bags = vec![bag(1), bag(2)];
    let result = |document: &str| {
        attestation_id(
            schemas::QUICK_TEST_RESULT,
            LAB_ORG,
            &subject(&farm_lot),
            &digest(document),
        )
    };
    let test = |document: &'static str, result_is: yima_food::TestResult| {
        [
            (
                "lab",
                attest(schemas::QUICK_TEST_RESULT, &farm_lot, document),
            ),
            (
                "lab",
                RuntimeCall::Food(yima_food::Call::RecordTest {
                    lot: farm_lot.clone(),
                    kind: yima_food::TestKind::QuickTest,
                    result: result_is,
                    attestation: result(document),
                    sample: None,
                }),
            ),
        ]
    };
    let release = RuntimeCall::Food(yima_food::Call::ReleaseHold {
        lot: farm_lot.clone(),
        retest: result("retest TL2602"),
        decision: digest("decision TL2602"),
    });
    // Blocks 1–2: the harvest with its 合格证; the lab's quick test fails it.
    c.ok(vec![(
        "farm",
        register(leaves(), "西湖龙井 fresh leaves", None),
    )]);
    c.ok(vec![
        (
            "farm",
            capture(vec![commissioning(bags.clone(), Some(farm_lot.clone()))]),
        ),
        (
            "farm",
            attest(schemas::ORIGIN_CERTIFICATE, &farm_lot, "合格证 TL2602"),
        ),
    ]);
    c.ok(test("quick test TL2602", yima_food::TestResult::Fail).to_vec());
    // Block 4: held — the shipment is refused; the regulator may not release without a retest.
    let held = c.block(vec![
        ("farm", capture(vec![shipping(bags.clone(), PROCESSOR_ORG)])),
        ("inspector", release.clone()),
    ]);
    let errors: Vec<String> = alerts(&held).into_iter().map(|a| a.message).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("Food::LotOnHold"), "{}", errors[0]);
    assert!(
        errors[1].contains("Food::RetestNotRecorded"),
        "{}",
        errors[1]
    );
    // Block 5: the retest passes, the regulator releases the hold, and the leaves leave the farm.
    let mut calls = test("retest TL2602", yima_food::TestResult::Pass).to_vec();
    calls.extend([
        ("inspector", release),
        ("farm", capture(vec![shipping(bags.clone(), PROCESSOR_ORG)])),
    ]);
    let released = c.ok(calls);
    let released_alerts = alerts(&released);
    assert_eq!(
        released_alerts.iter().map(|a| a.kind).collect::<Vec<_>>(),
        vec![AlertKind::HoldReleased]
    );
    assert_eq!(released_alerts[0].kind.as_str(), "hold_released");
    assert!(
        released_alerts[0].message.contains("lot TL2602")
            && released_alerts[0].message.contains("passing retest"),
        "{}",
        released_alerts[0].message
    );
    let r = recall(&c.index, &c.custody(), RecallTarget::Lot(farm_lot.clone())).unwrap();
    assert_eq!(
        r.lots[&farm_lot],
        vec![LotHold {
            source: HoldSource::FailedTest,
            state: HoldState::Released {
                by: REGULATOR_ORG,
                at: 5,
                retest: result("retest TL2602"),
                decision: digest("decision TL2602"),
                recall_lifted: false,
            },
        }]
    );
    assert!(r
        .rows
        .iter()
        .all(|row| matches!(row.status, CodeStatus::InTransit { to } if to == PROCESSOR_ORG)));
}
