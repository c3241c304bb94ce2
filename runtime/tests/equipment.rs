//! An elevator through real signed transactions and blocks: a regulator registers it, the building's manager
//! names its maintenance firm, and nobody maintains it — the block whose time reaches the deadline raises the
//! `maintenance_overdue` alert with no transaction in it, the block before does not, a firm that is not the
//! unit's is refused, and the firm's record closes the lapse (an alert too). Every block runs the executive as a
//! node does, with the equipment pallet's `on_initialize` reading the deadline index.

mod common;

use common::trace::*;
use yima_attestation::{attestation_id, schemas, Subject};
use yima_codes::RegistrationNumber;
use yima_frame::{sha256, Moment, Role};
use yima_membership::testing::test_uscc;
use yima_membership::OrgKind;
use yima_runtime::alerts::{Alert, AlertKind};
use yima_runtime::{describe_error, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig};

const DAY: Moment = 86_400_000;
/// Block time of the registration: 2026-06-01T00:00:00Z.
const T0: Moment = 1_780_272_000_000;

/// The trace genesis plus an elevator maintenance firm, a second one, and an inspection lab.
fn genesis() -> RuntimeGenesisConfig {
    let mut config = trace_genesis_config();
    add_members(
        &mut config,
        &[
            (
                "lift-co",
                OrgKind::MaintenanceFirm,
                test_uscc(901),
                &[Role::Inspector],
            ),
            (
                "other-co",
                OrgKind::MaintenanceFirm,
                test_uscc(902),
                &[Role::Inspector],
            ),
            (
                "lab",
                OrgKind::InspectionBody,
                test_uscc(903),
                &[Role::Inspector],
            ),
        ],
    );
    config
}

fn lift() -> RegistrationNumber {
    RegistrationNumber::parse("梯11浙A00123(19)").unwrap()
}

fn equipment(call: yima_equipment::Call) -> RuntimeCall {
    RuntimeCall::Equipment(call)
}

/// `lift-co`-style maintenance of the elevator done at `at`, valid 15 days, with document `n`.
fn maintenance(at: Moment, n: u32) -> RuntimeCall {
    RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: schemas::ELEVATOR_MAINTENANCE,
        subject: Subject::Equipment(lift().as_str().as_bytes().to_vec()),
        digest: sha256(format!("maintenance sheet {n}").as_bytes()),
        uri: None,
        valid_from: at,
        valid_until: Some(at + 15 * DAY),
    })
}

fn alerts(built: &yima_runtime::BuiltBlock) -> Vec<Alert> {
    built
        .events
        .iter()
        .filter_map(|e| e.decode::<RuntimeEvent>().unwrap().event.alert())
        .collect()
}

fn kinds(built: &yima_runtime::BuiltBlock) -> Vec<AlertKind> {
    alerts(built).into_iter().map(|a| a.kind).collect()
}

#[test]
fn an_unmaintained_elevator_raises_its_alert_at_the_deadlines_block_and_the_firms_record_clears_it()
{
    let mut chain = IndexedChain::with_config(&genesis());
    let shop = SHOP_ORG;
    let firm = chain.chain.read(|| {
        yima_membership::Pallet::<yima_runtime::Runtime>::resolve_signer(&common::account(
            "lift-co",
        ))
        .unwrap()
        .org
    });
    let built = chain.block_at(
        T0,
        vec![
            (
                "reg1",
                equipment(yima_equipment::Call::Register {
                    unit: lift(),
                    giai: None,
                    area: 330_106,
                    address: "杭州市西湖区文三路 1 号".as_bytes().to_vec(),
                    user: shop,
                    rescue: b"96333".to_vec(),
                    inspection_due: T0 + 300 * DAY,
                }),
            ),
            (
                "shop",
                equipment(yima_equipment::Call::SetMaintainer {
                    unit: lift(),
                    maintainer: Some(firm),
                }),
            ),
        ],
    );
    assert_eq!(failures(&built), vec![]);
    assert_eq!(kinds(&built), vec![]);

    // The block a second before the deadline raises nothing; the block at it does, with no transaction.
    let due = T0 + yima_equipment::FIRST_MAINTENANCE_WITHIN;
    let before = chain.block_at(due - 1_000, vec![]);
    assert_eq!(kinds(&before), vec![]);
    let at = chain.block_at(due, vec![]);
    let raised = alerts(&at);
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(raised[0].kind, AlertKind::MaintenanceOverdue);
    assert_eq!(raised[0].pallet, "Equipment");
    assert!(
        raised[0].message.contains("梯11浙A00123(19)")
            && raised[0].message.contains("2026-06-16 08:00 (UTC+8)"),
        "{}",
        raised[0].message
    );
    // Nor is it raised again.
    let later = chain.block_at(due + 60_000, vec![]);
    assert_eq!(kinds(&later), vec![]);

    // Another firm may not record it: refused in words, and nothing changes.
    let refused = chain.block_at(
        due + 120_000,
        vec![("other-co", maintenance(due + 60_000, 1))],
    );
    let words: Vec<String> = failures(&refused).iter().map(describe_error).collect();
    assert_eq!(words.len(), 1);
    assert!(
        words[0].starts_with("Equipment::NotUnitsMaintainer"),
        "{words:?}"
    );
    assert_eq!(kinds(&refused), vec![AlertKind::Refusal]);

    // The unit's firm closes it.
    let closed = chain.block_at(
        due + 180_000,
        vec![("lift-co", maintenance(due + 60_000, 2))],
    );
    assert_eq!(failures(&closed), vec![]);
    assert_eq!(kinds(&closed), vec![AlertKind::EquipmentLapseCleared]);
    let unit = chain
        .chain
        .read(|| yima_runtime::Equipment::unit(&lift()))
        .unwrap();
    let record = unit.maintenance.unwrap();
    let subject = Subject::Equipment(lift().as_str().as_bytes().to_vec());
    assert_eq!(
        record.attestation,
        attestation_id(
            schemas::ELEVATOR_MAINTENANCE,
            firm,
            &subject,
            &sha256(b"maintenance sheet 2")
        )
    );
    assert_eq!(unit.maintenance_due, Some(due + 60_000 + 15 * DAY));
    assert_eq!(unit.lapsed, [false, false]);
}
