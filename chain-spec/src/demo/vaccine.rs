//! The vaccine demo (浙苗链): a flu vaccine made by the demo manufacturer, ten prefilled syringes packed in a
//! case, released by the inspection institute (批签发), delivered to the CDC, on to the community vaccination
//! clinic — two syringes in a cold box that warmed to 10.5 °C, so the chain raises an excursion alert and flags
//! them — and three syringes administered with their 7-in-one records to pseudonymous recipients.
//!
//! Scan `/01/06970000002011/21/FLU0001` on a dev chain to see an administered dose's whole history.

use yima_attestation::{schemas, LotRef, Subject};
use yima_codes::{Gtin, TraceCode};
use yima_frame::sha256;
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};
use yima_trace::types::{Category, TemperatureRange};
use yima_vaccine::types::AdministrationRecord;

use super::trace::{
    at, gtin, item, lot, object, org, packed_production, place, sscc, temperature, CST, DAY, HOUR,
};
use super::DemoStep;
use crate::presets::PRESET_GENESIS_TIME;

/// The flu vaccine's GTIN.
pub fn flu_vaccine() -> Gtin {
    gtin("0697000000201")
}

/// The demo lot number.
pub const LOT: &str = "FLU2601";

/// Syringe `n` (1-based).
pub fn syringe(n: u32) -> TraceCode {
    item(flu_vaccine(), &format!("FLU{n:04}"))
}

pub use super::people::person;

/// A shipment of `codes` to the demo organisation `to`, `days_before` genesis at 08:00 local, with a temperature
/// summary `(min, max, mean, device)` in hundredths of °C.
fn shipment(
    codes: Vec<TraceCode>,
    to: &str,
    (min, max, mean, device): (i32, i32, i32, &str),
    days_before: u64,
) -> EpcisEvent {
    let mut e = at(
        object(Action::Observe, codes),
        BizStep::Shipping,
        days_before,
        0,
    );
    e.destination = Some(org(to));
    e.sensors = vec![temperature(min, max, mean, device)];
    e
}

/// The receipt of `codes` from `from` into `place`, six hours after a [`shipment`] of the same day.
fn receipt(codes: Vec<TraceCode>, from: &str, into: &str, days_before: u64) -> EpcisEvent {
    let mut e = at(
        object(Action::Observe, codes),
        BizStep::Receiving,
        days_before,
        6,
    );
    e.source = Some(org(from));
    e.biz_location = Some(place(into));
    e
}

/// The history.
pub fn history() -> Vec<DemoStep> {
    let product = flu_vaccine();
    let syringes: Vec<TraceCode> = (1..=10).map(syringe).collect();
    let case = sscc("06970000000000201");
    let batch = lot(product, LOT);

    let [commission, commission_case, pack] =
        packed_production(&syringes, case, batch.clone(), "filling-line-2", 40);
    let release = RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: schemas::BATCH_RELEASE,
        subject: Subject::Lot(LotRef {
            product: batch.product,
            lot: batch.lot,
        }),
        digest: sha256(b"demo batch release certificate FLU2601"),
        uri: None,
        valid_from: PRESET_GENESIS_TIME - 30 * DAY,
        valid_until: None,
    });
    let ship_to_cdc = shipment(vec![case], "cdc", (410, 590, 480, "reefer-zj-c24680"), 25);
    let receive_at_cdc = receipt(vec![case], "manufacturer", "cdc-cold-room-1", 25);
    let unpack = at(
        EventBody::Aggregation {
            action: Action::Delete,
            parent: case,
            children: Vec::new(),
        },
        BizStep::Unpacking,
        25,
        16,
    );
    let ship_to_site = shipment(
        syringes[..8].to_vec(),
        "vaccination_site",
        (350, 660, 510, "coldbox-cdc-07"),
        12,
    );
    // The second cold box sat in the sun: 10.5 °C is outside 2–8 °C, so the chain raises an alert and flags
    // syringes 9 and 10, which the clinic can then never administer.
    let warm_box = shipment(
        syringes[8..].to_vec(),
        "vaccination_site",
        (520, 1_050, 760, "coldbox-cdc-11"),
        12,
    );
    let receive_at_site = receipt(syringes.clone(), "cdc", "clinic-fridge-1", 12);

    let capture = |events| RuntimeCall::Trace(yima_trace::Call::Capture { events });
    let administer = |n: u32, recipient: &str, days_before: u64| {
        RuntimeCall::Vaccine(yima_vaccine::Call::Administer {
            record: AdministrationRecord {
                code: syringe(n),
                batch: batch.lot,
                cdc: org("cdc"),
                equipment: b"clinic-fridge-1".to_vec(),
                vaccinator: person("vaccinator 01"),
                recipient: person(recipient),
                time: PRESET_GENESIS_TIME - days_before * DAY + 10 * HOUR,
                time_zone_offset_minutes: CST,
            },
        })
    };
    vec![
        DemoStep::new(
            "manufacturer",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: yima_codes::ProductId::Gtin(product),
                name: "流感病毒裂解疫苗 Influenza vaccine (split virion), 0.5 mL prefilled syringe"
                    .as_bytes()
                    .to_vec(),
                category: Category::Vaccine,
                temperature: Some(TemperatureRange::VACCINE),
                shelf_life_days: 365,
            }),
        ),
        super::approval(
            yima_codes::ProductId::Gtin(product),
            "国药准字 S2026xxxx (demo): influenza vaccine registration certificate",
        ),
        DemoStep::new(
            "manufacturer",
            capture(vec![commission, commission_case, pack]),
        ),
        DemoStep::new("inspection_body", release),
        DemoStep::new("manufacturer", capture(vec![ship_to_cdc])),
        DemoStep::new("cdc", capture(vec![receive_at_cdc, unpack])),
        DemoStep::new("cdc", capture(vec![ship_to_site, warm_box])),
        DemoStep::new("vaccination_site", capture(vec![receive_at_site])),
        DemoStep::new("vaccination_site", administer(1, "recipient 1", 10)),
        DemoStep::new("vaccination_site", administer(2, "recipient 2", 10)),
        DemoStep::new("vaccination_site", administer(3, "recipient 3", 9)),
    ]
}

#[cfg(test)]
mod tests {
    use yima_runtime::alerts::{Alert, AlertKind};
    use yima_runtime::RuntimeEvent;

    use super::*;

    /// The history on a fresh demo chain, in one block: no alert but the excursion (nothing refused), three 7-in-one
    /// records.
    #[test]
    fn the_history_records_on_a_fresh_demo_chain() {
        let events = super::super::run_on_fresh_demo_chain(history());
        let alerts: Vec<Alert> = events.iter().filter_map(RuntimeEvent::alert).collect();
        let kinds: Vec<AlertKind> = alerts.iter().map(|a| a.kind).collect();
        assert_eq!(kinds, vec![AlertKind::TemperatureExcursion], "{alerts:?}");
        let administered: Vec<TraceCode> = events
            .iter()
            .filter_map(|e| match e {
                RuntimeEvent::Vaccine(yima_vaccine::Event::Administered(a)) => Some(a.code),
                _ => None,
            })
            .collect();
        assert_eq!(administered, vec![syringe(1), syringe(2), syringe(3)]);
        assert_eq!(alerts[0].codes, vec![syringe(9), syringe(10)]);
    }
}
