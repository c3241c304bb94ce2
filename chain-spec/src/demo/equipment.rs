//! The equipment demo (电梯一码, 特种设备一码通): two elevators and a boiler, one elevator overdue.
//!
//! The regulator registers the supermarket's passenger elevator, the hospital's and the school canteen's boiler;
//! each user names the demo maintenance firm, which records a maintenance of both elevators; the inspection
//! institute records the supermarket elevator's yearly inspection and the boiler's periodic one, the insurer the
//! supermarket elevator's liability cover. Then the regulator revokes the hospital elevator's maintenance record
//! (found falsified on a spot check): its maintenance is overdue at once — the `maintenance_overdue` alert — until
//! the firm records a real one.
//!
//! Records of work must be dated no later than the block and still valid in it, so this history is written at a
//! time `now` (the node's clock when it seeds; tests pass their block time): maintenance two days before it,
//! deadlines months after. Open [`supermarket_lift`] at `/equipment/梯11浙A00101(24)` on a dev chain.

use yima_attestation::{attestation_id, schemas, AttestationId, SchemaId, Subject};
use yima_codes::{Giai, RegistrationNumber};
use yima_frame::{sha256, Hash, Moment};
use yima_runtime::RuntimeCall;

use super::trace::{org, DAY};
use super::DemoStep;

/// Area code of 杭州市西湖区, where the demo units stand.
pub const XIHU: u32 = 330_106;

/// The supermarket's passenger elevator, in service and in date.
pub fn supermarket_lift() -> RegistrationNumber {
    number("梯11浙A00101(24)")
}

/// The hospital's elevator, whose maintenance the regulator finds falsified: overdue.
pub fn hospital_lift() -> RegistrationNumber {
    number("梯11浙A00102(24)")
}

/// The school canteen's boiler.
pub fn canteen_boiler() -> RegistrationNumber {
    number("锅3A浙A00031(22)")
}

/// The GIAI on the supermarket elevator's label.
pub fn supermarket_lift_giai() -> Giai {
    Giai::parse("6970000011LIFT01").expect("a valid GIAI")
}

fn number(text: &str) -> RegistrationNumber {
    RegistrationNumber::parse(text).expect("a valid registration number")
}

fn subject(unit: &RegistrationNumber) -> Subject {
    Subject::Equipment(unit.as_str().as_bytes().to_vec())
}

fn document(name: &str) -> Hash {
    sha256(format!("demo equipment document: {name}").as_bytes())
}

fn register(
    unit: RegistrationNumber,
    giai: Option<Giai>,
    address: &str,
    user: &str,
    inspection_due: Moment,
) -> DemoStep {
    DemoStep::new(
        "alice",
        RuntimeCall::Equipment(yima_equipment::Call::Register {
            unit,
            giai,
            area: XIHU,
            address: address.as_bytes().to_vec(),
            user: org(user),
            rescue: b"96333".to_vec(),
            inspection_due,
        }),
    )
}

fn name_firm(user: &'static str, unit: RegistrationNumber) -> DemoStep {
    DemoStep::new(
        user,
        RuntimeCall::Equipment(yima_equipment::Call::SetMaintainer {
            unit,
            maintainer: Some(org("maintenance_firm")),
        }),
    )
}

/// `issuer` attests `schema` about `unit` with document `name`, valid from `from` to `until`.
fn record(
    issuer: &'static str,
    schema: SchemaId,
    unit: &RegistrationNumber,
    name: &str,
    from: Moment,
    until: Moment,
) -> DemoStep {
    DemoStep::new(
        issuer,
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema,
            subject: subject(unit),
            digest: document(name),
            uri: None,
            valid_from: from,
            valid_until: Some(until),
        }),
    )
}

/// The id of the maintenance record of `unit` the firm writes in this history.
pub fn maintenance_record(unit: &RegistrationNumber) -> AttestationId {
    attestation_id(
        schemas::ELEVATOR_MAINTENANCE,
        org("maintenance_firm"),
        &subject(unit),
        &document(&format!("maintenance sheet {unit}")),
    )
}

/// The equipment history, written at time `now` (see the module docs).
pub fn history(now: Moment) -> Vec<DemoStep> {
    let maintained = now - 2 * DAY;
    let inspected = now - 30 * DAY;
    let mut steps = vec![
        register(
            supermarket_lift(),
            Some(supermarket_lift_giai()),
            "杭州市西湖区文三路 Demo 超市 1 号客梯",
            "retailer",
            now + 200 * DAY,
        ),
        register(
            hospital_lift(),
            None,
            "杭州市西湖区 Demo 医院门诊楼 2 号梯",
            "hospital",
            now + 200 * DAY,
        ),
        register(
            canteen_boiler(),
            None,
            "杭州市西湖区 Demo 学校食堂锅炉房",
            "caterer",
            now + 100 * DAY,
        ),
        name_firm("retailer", supermarket_lift()),
        name_firm("hospital", hospital_lift()),
    ];
    for unit in [supermarket_lift(), hospital_lift()] {
        steps.push(record(
            "maintenance_firm",
            schemas::ELEVATOR_MAINTENANCE,
            &unit,
            &format!("maintenance sheet {unit}"),
            maintained,
            maintained + 15 * DAY,
        ));
    }
    steps.extend([
        record(
            "inspection_body",
            schemas::ELEVATOR_INSPECTION,
            &supermarket_lift(),
            "inspection report 2026-E-0101",
            inspected,
            inspected + 365 * DAY,
        ),
        record(
            "inspection_body",
            schemas::SPECIAL_EQUIPMENT_INSPECTION,
            &canteen_boiler(),
            "inspection report 2026-B-0031",
            inspected,
            inspected + 2 * 365 * DAY,
        ),
        record(
            "insurer",
            schemas::EQUIPMENT_INSURANCE,
            &supermarket_lift(),
            "liability policy PL-2026-0101",
            inspected,
            inspected + 365 * DAY,
        ),
        DemoStep::new(
            "alice",
            RuntimeCall::Attestation(yima_attestation::Call::Revoke {
                id: maintenance_record(&hospital_lift()),
                reason: document("spot check 2026-M-0102: maintenance sheet falsified"),
            }),
        ),
    ]);
    steps
}

#[cfg(test)]
mod tests {
    use yima_equipment::{Event, Lapse};
    use yima_runtime::RuntimeEvent;

    use super::*;
    use crate::demo::{refusals, run_on_fresh_demo_chain};
    use crate::presets::PRESET_GENESIS_TIME;

    #[test]
    fn the_hospital_elevator_is_overdue_and_the_others_in_date() {
        let events = run_on_fresh_demo_chain(history(PRESET_GENESIS_TIME + 1_000));
        assert_eq!(refusals(&events), Vec::<String>::new());
        let lapses: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                RuntimeEvent::Equipment(Event::Lapsed { unit, lapse, .. }) => {
                    Some((unit.clone(), *lapse))
                }
                _ => None,
            })
            .collect();
        assert_eq!(lapses, vec![(hospital_lift(), Lapse::MaintenanceOverdue)]);
        let registered = events
            .iter()
            .filter(|e| matches!(e, RuntimeEvent::Equipment(Event::Registered { .. })))
            .count();
        assert_eq!(registered, 3);
    }
}
