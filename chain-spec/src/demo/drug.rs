//! The drug demo (处方流通, 药品追溯): a pharmacy network. The demo manufacturer makes amoxicillin capsules
//! (prescription-only) and compound pseudoephedrine tablets (a compound preparation with controlled
//! ingredients), the regulator lists both, the manufacturer anchors each batch's production black box (WMS,
//! SCADA, LIMS) so the batches may ship, and the distributor supplies two pharmacies. Each pharmacy binds a
//! licensed pharmacist; the hospital uploads a prescription, the first pharmacy's pharmacist reviews it and the
//! pharmacy dispenses it by scanning two boxes; and one buyer buys compound tablets at both pharmacies — three
//! packs in the 30-day window across the network, within the limit of six.
//!
//! Scan `86912340000000000000` on a dev chain to see a dispensed box from commissioning to the prescription.

use yima_attestation::{attestation_id, schemas, AttestationId, Subject};
use yima_codes::{LotNumber, NmpaCode, NmpaProductCode, ProductId, TraceCode};
use yima_drug::types::{BatchRecordKind, PrescribedDrug};
use yima_frame::{sha256, Hash};
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, Ilmd};
use yima_trace::types::{Category, LotKey};

use super::trace::{at, object, org, place, CST, DAY, HOUR};
use super::vaccine::person;
use super::DemoStep;
use crate::presets::PRESET_GENESIS_TIME;

/// Amoxicillin capsules 0.25 g × 24 (prescription-only): NMPA product code.
pub const AMOXICILLIN: &str = "8691234";
/// Compound pseudoephedrine tablets × 12 (含麻黄碱类复方制剂, OTC with controlled ingredients): NMPA product code.
pub const COMPOUND: &str = "8691235";

/// The product `code`.
pub fn product(code: &str) -> ProductId {
    ProductId::Nmpa(NmpaProductCode::parse(code).expect("demo product codes are valid"))
}

/// Box `n` (0-based) of the drug `code`: its 20-digit drug traceability code.
pub fn unit(code: &str, n: u64) -> TraceCode {
    TraceCode::Nmpa(NmpaCode::parse(&format!("{code}{n:013}")).expect("20 digits starting with 8"))
}

/// The demo batch of the drug `code`.
pub fn batch(code: &str) -> LotKey {
    LotKey {
        product: product(code),
        lot: LotNumber::parse(&format!("B{code}")).expect("a valid lot number"),
    }
}

/// The demo prescription's id: the digest of its document.
pub fn prescription() -> Hash {
    sha256(b"yima demo prescription: People's Hospital, outpatient 2026-0042")
}

fn licence_digest(pharmacist: &str) -> Hash {
    sha256(format!("yima demo licensed pharmacist registration|{pharmacist}").as_bytes())
}

/// The licence attestation of the demo pharmacist `pharmacist`, issued by the certification centre.
pub fn licence(pharmacist: &str) -> AttestationId {
    attestation_id(
        schemas::PHARMACIST_LICENCE,
        org("certification_body"),
        &Subject::Person(person(pharmacist)),
        &licence_digest(pharmacist),
    )
}

/// `codes` moved by `step` — shipped to `to`, or received into `to`'s store — `days_before` genesis.
fn moved(
    codes: Vec<TraceCode>,
    step: BizStep,
    to: &str,
    days_before: u64,
    hours: u64,
) -> EpcisEvent {
    let mut e = at(object(Action::Observe, codes), step, days_before, hours);
    match step {
        BizStep::Shipping => e.destination = Some(org(to)),
        _ => e.biz_location = Some(place(&format!("{to}-store"))),
    }
    e
}

fn units(code: &str, range: std::ops::Range<u64>) -> Vec<TraceCode> {
    range.map(|n| unit(code, n)).collect()
}

fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

/// The manufacturer registers `code`, the regulator lists it, a batch of six boxes is made with its black box
/// and goes through the distributor to the pharmacies (boxes 0–3 to the first, 4–5 to the second).
fn supply(
    code: &str,
    name: &str,
    prescription_only: bool,
    controlled_compound: bool,
) -> Vec<DemoStep> {
    let mut steps = vec![
        DemoStep::new(
            "manufacturer",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: product(code),
                name: name.as_bytes().to_vec(),
                category: Category::Drug,
                temperature: None,
                shelf_life_days: 730,
            }),
        ),
        super::approval(
            product(code),
            &format!("药品注册证书 (demo) of NMPA product code {code}"),
        ),
        DemoStep::new(
            "alice",
            RuntimeCall::Drug(yima_drug::Call::ListDrug {
                drug: product(code),
                prescription_only,
                controlled_compound,
            }),
        ),
    ];
    let mut commission = at(
        object(Action::Add, units(code, 0..6)),
        BizStep::Commissioning,
        60,
        9,
    );
    commission.ilmd = Some(Ilmd {
        lot: batch(code),
        production_date: PRESET_GENESIS_TIME - 60 * DAY,
        expiry: PRESET_GENESIS_TIME + 3 * 365 * DAY,
    });
    commission.biz_location = Some(place("packaging-line-1"));
    steps.push(DemoStep::new("manufacturer", capture(vec![commission])));
    for kind in BatchRecordKind::ALL {
        steps.push(DemoStep::new(
            "manufacturer",
            RuntimeCall::Drug(yima_drug::Call::AnchorBatchRecord {
                lot: batch(code),
                kind,
                digest: sha256(format!("yima demo {kind:?} record of batch B{code}").as_bytes()),
            }),
        ));
    }
    let all = units(code, 0..6);
    steps.push(DemoStep::new(
        "manufacturer",
        capture(vec![moved(
            all.clone(),
            BizStep::Shipping,
            "distributor",
            50,
            0,
        )]),
    ));
    steps.push(DemoStep::new(
        "distributor",
        capture(vec![moved(all, BizStep::Receiving, "distributor", 50, 6)]),
    ));
    for (pharmacy, range) in [("pharmacy", 0..4), ("pharmacy2", 4..6)] {
        let these = units(code, range);
        steps.push(DemoStep::new(
            "distributor",
            capture(vec![moved(
                these.clone(),
                BizStep::Shipping,
                pharmacy,
                20,
                0,
            )]),
        ));
        steps.push(DemoStep::new(
            pharmacy,
            capture(vec![moved(these, BizStep::Receiving, pharmacy, 20, 4)]),
        ));
    }
    steps
}

/// The history.
pub fn history() -> Vec<DemoStep> {
    let drug = RuntimeCall::Drug;
    let mut steps = supply(
        AMOXICILLIN,
        "阿莫西林胶囊 Amoxicillin capsules 0.25 g × 24",
        true,
        false,
    );
    steps.extend(supply(
        COMPOUND,
        "复方盐酸伪麻黄碱片 Compound pseudoephedrine tablets × 12",
        false,
        true,
    ));
    for (pharmacy, pharmacist) in [
        ("pharmacy", "pharmacist 01"),
        ("pharmacy2", "pharmacist 02"),
    ] {
        steps.push(DemoStep::new(
            "certification_body",
            RuntimeCall::Attestation(yima_attestation::Call::Attest {
                schema: schemas::PHARMACIST_LICENCE,
                subject: Subject::Person(person(pharmacist)),
                digest: licence_digest(pharmacist),
                uri: None,
                valid_from: PRESET_GENESIS_TIME - 400 * DAY,
                valid_until: Some(PRESET_GENESIS_TIME + 1_400 * DAY),
            }),
        ));
        steps.push(DemoStep::new(
            pharmacy,
            drug(yima_drug::Call::BindPharmacist {
                pharmacist: person(pharmacist),
                licence: licence(pharmacist),
            }),
        ));
    }
    let time = |days_before: u64| PRESET_GENESIS_TIME - days_before * DAY + 10 * HOUR;
    steps.extend([
        DemoStep::new(
            "hospital",
            drug(yima_drug::Call::UploadPrescription {
                digest: prescription(),
                hospital: org("hospital"),
                patient: person("patient 1"),
                drugs: vec![PrescribedDrug {
                    drug: product(AMOXICILLIN),
                    quantity: 2,
                }],
            }),
        ),
        DemoStep::new(
            "pharmacy",
            drug(yima_drug::Call::ReviewPrescription {
                prescription: prescription(),
                pharmacist: person("pharmacist 01"),
                approved: true,
            }),
        ),
        DemoStep::new(
            "pharmacy",
            drug(yima_drug::Call::Dispense {
                prescription: prescription(),
                codes: units(AMOXICILLIN, 0..2),
                time: time(3),
                time_zone_offset_minutes: CST,
            }),
        ),
        DemoStep::new(
            "pharmacy",
            drug(yima_drug::Call::SellCompound {
                buyer: person("buyer 1"),
                codes: units(COMPOUND, 0..2),
                time: time(2),
                time_zone_offset_minutes: CST,
            }),
        ),
        DemoStep::new(
            "pharmacy2",
            drug(yima_drug::Call::SellCompound {
                buyer: person("buyer 1"),
                codes: units(COMPOUND, 4..5),
                time: time(1),
                time_zone_offset_minutes: CST,
            }),
        ),
    ]);
    steps
}

#[cfg(test)]
mod tests {
    use yima_runtime::RuntimeEvent;

    use super::*;

    /// The history on a fresh demo chain, in one block: nothing refused, no alert, one dispensing of two boxes
    /// against the prescription, and the buyer's packs counted across both pharmacies.
    #[test]
    fn the_history_records_on_a_fresh_demo_chain() {
        let events = super::super::run_on_fresh_demo_chain(history());
        assert_eq!(super::super::refusals(&events), Vec::<String>::new());
        assert_eq!(events.iter().filter_map(RuntimeEvent::alert).count(), 0);
        let dispensed: Vec<(Hash, Vec<TraceCode>)> = events
            .iter()
            .filter_map(|e| match e {
                RuntimeEvent::Drug(yima_drug::Event::Dispensed { prescription, sale }) => {
                    Some((*prescription, sale.codes.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(dispensed, vec![(prescription(), units(AMOXICILLIN, 0..2))]);
        let windows: Vec<(u32, u32)> = events
            .iter()
            .filter_map(|e| match e {
                RuntimeEvent::Drug(yima_drug::Event::CompoundSold {
                    sale,
                    packs_in_window,
                    ..
                }) => Some((sale.pharmacy, *packs_in_window)),
                _ => None,
            })
            .collect();
        assert_eq!(windows, vec![(org("pharmacy"), 2), (org("pharmacy2"), 3)]);
    }
}
