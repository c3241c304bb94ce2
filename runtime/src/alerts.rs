//! Which runtime events are **alerts** — what a regulator's dashboard must see as soon as a block is final —
//! and a pallet-neutral summary of each ([`Alert`]), so the node can push them (`alerts_subscribe`) without
//! knowing any pallet.
//!
//! Today: the trace pallet's `Event::Alert` (a temperature excursion measured by the holder or an official
//! inspector, or an out-of-band reading by someone else) and `Event::ExcursionCleared` (a regulator lifted an
//! excursion flag: whoever watches the excursion must see it closed), every refused transaction
//! (`System::ExtrinsicFailed`, e.g. a shipment of a recalled code), a positive cold-chain or failed food test, and
//! a regulator's decision on a hold (released, disposed: 闭环). A new pallet with alert events adds **one
//! match arm** to [`RuntimeEvent::alert`]; the match is exhaustive over the pallets, so a pallet added to
//! [`RuntimeEvent`] without an arm does not compile.

use yima_codes::TraceCode;

use crate::composition::{describe_error, RuntimeEvent};

/// What kind of alert, for filtering; stable strings (they go into JSON as they are).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum AlertKind {
    /// A sensor report outside the allowed band of the goods it covers, by their holder or an official
    /// inspector: the goods are flagged.
    TemperatureExcursion,
    /// A sensor report outside the band of goods, by an organisation that neither holds them nor inspects
    /// officially (a party to a transaction): nothing is flagged; a regulator may look.
    ReadingOutOfBand,
    /// A regulator cleared a code's excursion flag, citing its decision.
    ExcursionCleared,
    /// A transaction was included but its call was refused (its nonce is spent, nothing else changed).
    Refusal,
    /// A positive test on a cold-chain lot (一键排查): the lot is held, or recalled.
    PositiveTest,
    /// A failed quick test or inspection on a food lot (浙食链): the lot is held, or recalled.
    FailedTest,
    /// A regulator released a held lot (a passing or negative retest cited): its goods may move again (闭环).
    HoldReleased,
    /// A regulator disposed of a held lot (不合格产品后处理): every code of it counts as destroyed (闭环).
    LotDisposed,
    /// An elevator in service went past its maintenance deadline (半月维保), or its maintenance record was revoked.
    MaintenanceOverdue,
    /// A unit of special equipment in service went past its inspection deadline, or its certificate was revoked.
    InspectionExpired,
    /// A new maintenance or inspection record closed a unit's lapse (闭环).
    EquipmentLapseCleared,
    /// The regulator recorded an accident with a unit of special equipment.
    EquipmentAccident,
}

impl AlertKind {
    /// The stable name: `temperature_excursion`, `reading_out_of_band`, `excursion_cleared`, `refusal`,
    /// `positive_test`, `failed_test`, `hold_released`, `lot_disposed`, `maintenance_overdue`,
    /// `inspection_expired`, `equipment_lapse_cleared`, `equipment_accident`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AlertKind::TemperatureExcursion => "temperature_excursion",
            AlertKind::ReadingOutOfBand => "reading_out_of_band",
            AlertKind::ExcursionCleared => "excursion_cleared",
            AlertKind::Refusal => "refusal",
            AlertKind::PositiveTest => "positive_test",
            AlertKind::FailedTest => "failed_test",
            AlertKind::HoldReleased => "hold_released",
            AlertKind::LotDisposed => "lot_disposed",
            AlertKind::MaintenanceOverdue => "maintenance_overdue",
            AlertKind::InspectionExpired => "inspection_expired",
            AlertKind::EquipmentLapseCleared => "equipment_lapse_cleared",
            AlertKind::EquipmentAccident => "equipment_accident",
        }
    }
}

/// One alert, summarised for people and machines; the event itself (SCALE) carries every detail.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Alert {
    /// The pallet that raised it (its `PALLET` name, e.g. `Trace`, `System`).
    pub pallet: &'static str,
    /// What kind of alert.
    pub kind: AlertKind,
    /// The codes it concerns (empty when it names none).
    pub codes: Vec<TraceCode>,
    /// One sentence for people.
    pub message: String,
}

/// A band or reading in hundredths of a degree, as people read it (`-18.5 °C`).
fn celsius(centi: i32) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let abs = centi.unsigned_abs();
    format!("{sign}{}.{:02} °C", abs / 100, abs % 100)
}

impl RuntimeEvent {
    /// The alert this event is, or `None` for an ordinary event.
    pub fn alert(&self) -> Option<Alert> {
        match self {
            RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => Some(Alert {
                pallet: yima_system::PALLET,
                kind: AlertKind::Refusal,
                codes: Vec::new(),
                message: format!("transaction refused: {}", describe_error(error)),
            }),
            RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess) => None,
            RuntimeEvent::Trace(yima_trace::Event::Alert(alert)) => Some(trace_alert(alert)),
            RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared { code, by, reason }) => {
                Some(Alert {
                    pallet: yima_trace::PALLET,
                    kind: AlertKind::ExcursionCleared,
                    codes: vec![*code],
                    message: format!(
                        "excursion flag of {code} cleared by regulator organisation {by}, decision document \
                         {}",
                        hex(reason)
                    ),
                })
            }
            RuntimeEvent::Trace(_) => None,
            RuntimeEvent::Membership(_) | RuntimeEvent::Attestation(_) => None,
            // A refused administration or vaccine shipment (expired, excursion-flagged, recalled or already
            // administered dose; unreleased batch) rolls back with its call and arrives above as
            // `ExtrinsicFailed` with the vaccine pallet's error; an administered dose is no alert.
            RuntimeEvent::Vaccine(yima_vaccine::Event::Administered(_)) => None,
            RuntimeEvent::ColdChain(yima_cold_chain::Event::PositiveTest {
                lot, by, recalled, ..
            }) => Some(Alert {
                pallet: yima_cold_chain::PALLET,
                kind: AlertKind::PositiveTest,
                codes: Vec::new(),
                message: format!(
                    "positive test on lot {} of {} reported by organisation {by}: the lot is {}; run the recall \
                     (一键排查) on it to find every holder",
                    lot.lot.as_str(),
                    lot.product.as_str(),
                    if *recalled { "recalled" } else { "held" }
                ),
            }),
            RuntimeEvent::ColdChain(yima_cold_chain::Event::HoldReleased {
                lot,
                by,
                recall_lifted,
                ..
            }) => Some(released(yima_cold_chain::PALLET, lot, *by, *recall_lifted, "negative retest")),
            RuntimeEvent::ColdChain(yima_cold_chain::Event::LotDisposed { lot, by, .. }) => {
                Some(disposed(yima_cold_chain::PALLET, lot, *by))
            }
            // A negative test is no alert: it holds nothing and releases nothing by itself.
            RuntimeEvent::ColdChain(_) => None,
            RuntimeEvent::Food(yima_food::Event::TestRecorded {
                lot,
                kind,
                result: yima_food::TestResult::Fail,
                by,
                sample,
                recalled,
                ..
            }) => Some(Alert {
                pallet: yima_food::PALLET,
                kind: AlertKind::FailedTest,
                codes: sample.iter().copied().collect(),
                message: format!(
                    "failed {} on food lot {} of {} recorded by organisation {by}: the lot and every lot made from \
                     it are {}; run the recall (一键排查) on it to find every holder",
                    match kind {
                        yima_food::TestKind::QuickTest => "quick test",
                        yima_food::TestKind::Inspection => "inspection",
                    },
                    lot.lot.as_str(),
                    lot.product.as_str(),
                    if *recalled { "recalled" } else { "held" }
                ),
            }),
            RuntimeEvent::Food(yima_food::Event::HoldReleased {
                lot,
                by,
                recall_lifted,
                ..
            }) => Some(released(yima_food::PALLET, lot, *by, *recall_lifted, "passing retest")),
            RuntimeEvent::Food(yima_food::Event::LotDisposed { lot, by, .. }) => {
                Some(disposed(yima_food::PALLET, lot, *by))
            }
            // A pass, a lot made from food lots and a catering use are no alerts; a refused sale of a failed lot
            // arrives above as `ExtrinsicFailed` with the food pallet's error.
            RuntimeEvent::Food(_) => None,
            // A sale beyond the per-sale or rolling purchase limit, a dispensing without a reviewed
            // prescription, a drug batch shipped without its black box: refused, rolled back with their call,
            // and arrive above as `ExtrinsicFailed` with the drug pallet's error (`Drug::PurchaseLimitExceeded`
            // …). What the pallet records is no alert.
            RuntimeEvent::Drug(_) => None,
            RuntimeEvent::Equipment(event) => equipment_alert(event),
        }
    }
}

/// A block time (Unix ms) as China Standard Time, `2026-06-16 08:00 (UTC+8)`: what a regulator reads. The
/// `time` crate's calendar arithmetic on the given instant (it never reads a clock).
fn china_time(ms: yima_frame::Moment) -> String {
    let cst = time::UtcOffset::from_hms(8, 0, 0).expect("UTC+8 is a valid offset");
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(cst);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} (UTC+8)",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// The alert an equipment event is: a lapse opened or closed, an accident.
fn equipment_alert(event: &yima_equipment::Event) -> Option<Alert> {
    use yima_equipment::{Event, Lapse};
    let (kind, message) = match event {
        Event::Lapsed {
            unit,
            lapse,
            due,
            user,
            maintainer,
        } => {
            let (kind, what) = match lapse {
                Lapse::MaintenanceOverdue => (
                    AlertKind::MaintenanceOverdue,
                    "maintenance is overdue (its last record ran out at",
                ),
                Lapse::InspectionExpired => (
                    AlertKind::InspectionExpired,
                    "inspection has expired (its certificate ran out at",
                ),
            };
            let firm = maintainer.map_or_else(
                || "no maintenance firm named".to_owned(),
                |m| format!("maintenance firm organisation {m}"),
            );
            (
                kind,
                format!(
                    "{} {unit}: {what} {}); user organisation {user}, {firm}",
                    unit.kind().zh(),
                    china_time(*due)
                ),
            )
        }
        Event::LapseCleared {
            unit,
            lapse,
            attestation,
        } => (
            AlertKind::EquipmentLapseCleared,
            format!(
                "{} {unit}: {} closed by record {}",
                unit.kind().zh(),
                lapse.as_str().replace('_', " "),
                hex(attestation)
            ),
        ),
        Event::AccidentRecorded {
            unit,
            attestation,
            user,
        } => (
            AlertKind::EquipmentAccident,
            format!(
                "accident with {} {unit} (user organisation {user}) recorded by the regulator, record {}",
                unit.kind().zh(),
                hex(attestation)
            ),
        ),
        Event::Registered { .. }
        | Event::MaintainerSet { .. }
        | Event::StatusChanged { .. }
        | Event::Amended { .. } => return None,
    };
    Some(Alert {
        pallet: yima_equipment::PALLET,
        kind,
        codes: Vec::new(),
        message,
    })
}

/// A regulator's release of a hold: the goods may move again, which every holder and dashboard must learn.
fn released(
    pallet: &'static str,
    lot: &yima_trace::types::LotKey,
    by: yima_frame::OrgId,
    recall_lifted: bool,
    retest: &str,
) -> Alert {
    Alert {
        pallet,
        kind: AlertKind::HoldReleased,
        codes: Vec::new(),
        message: format!(
            "hold on lot {} of {} released by regulator organisation {by} on a {retest}{}: its goods, and those of              lots made from it that nothing else holds, may move again",
            lot.lot.as_str(),
            lot.product.as_str(),
            if recall_lifted { ", recall ended" } else { "" }
        ),
    }
}

/// A regulator's disposal of a held lot: every code of it is destroyed.
fn disposed(pallet: &'static str, lot: &yima_trace::types::LotKey, by: yima_frame::OrgId) -> Alert {
    Alert {
        pallet,
        kind: AlertKind::LotDisposed,
        codes: Vec::new(),
        message: format!(
            "lot {} of {} disposed of by regulator organisation {by} (不合格产品后处理): every code of it counts as              destroyed; run the recall (一键排查) on it to find the holders who must destroy the goods",
            lot.lot.as_str(),
            lot.product.as_str()
        ),
    }
}

fn trace_alert(alert: &yima_trace::Alert) -> Alert {
    match alert {
        yima_trace::Alert::TemperatureExcursion {
            event,
            codes,
            band,
            observed_min,
            observed_max,
            measured_by,
        } => Alert {
            pallet: yima_trace::PALLET,
            kind: AlertKind::TemperatureExcursion,
            codes: codes.clone(),
            message: format!(
                "temperature excursion in event {event} of its capture, measured by organisation {measured_by}: \
                 observed {} to {}, allowed {} to {} ({} code(s) flagged)",
                celsius(*observed_min),
                celsius(*observed_max),
                celsius(band.min_centi_celsius),
                celsius(band.max_centi_celsius),
                codes.len()
            ),
        },
        yima_trace::Alert::ReadingOutOfBand {
            event,
            measured_by,
            codes,
            band,
            observed_min,
            observed_max,
        } => Alert {
            pallet: yima_trace::PALLET,
            kind: AlertKind::ReadingOutOfBand,
            codes: codes.clone(),
            message: format!(
                "reading out of band in event {event} of its capture, measured by organisation {measured_by}, \
                 which does not hold the goods: observed {} to {}, allowed {} to {} ({} code(s), not flagged)",
                celsius(*observed_min),
                celsius(*observed_max),
                celsius(band.min_centi_celsius),
                celsius(band.max_centi_celsius),
                codes.len()
            ),
        },
    }
}

/// A digest as lowercase hex.
fn hex(hash: &yima_frame::Hash) -> String {
    hash.0.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use yima_codes::{Sscc, TraceCode};
    use yima_frame::DispatchError;
    use yima_trace::types::TemperatureRange;

    use super::*;

    #[test]
    fn equipment_lapses_and_accidents_are_alerts_with_china_time() {
        assert_eq!(china_time(0), "1970-01-01 08:00 (UTC+8)");
        // 2026-06-01T00:00:00Z; a leap day.
        assert_eq!(china_time(1_780_272_000_000), "2026-06-01 08:00 (UTC+8)");
        assert_eq!(china_time(1_709_164_800_000), "2024-02-29 08:00 (UTC+8)");
        let unit = yima_codes::RegistrationNumber::parse("梯11浙A00123(19)").unwrap();
        let lapsed = RuntimeEvent::Equipment(yima_equipment::Event::Lapsed {
            unit: unit.clone(),
            lapse: yima_equipment::Lapse::MaintenanceOverdue,
            due: 1_780_272_000_000,
            user: 4,
            maintainer: Some(7),
        });
        let alert = lapsed.alert().expect("a lapse is an alert");
        assert_eq!(alert.kind.as_str(), "maintenance_overdue");
        assert_eq!(
            alert.message,
            "电梯 梯11浙A00123(19): maintenance is overdue (its last record ran out at 2026-06-01 08:00 (UTC+8)); \
             user organisation 4, maintenance firm organisation 7"
        );
        let registered = RuntimeEvent::Equipment(yima_equipment::Event::Registered {
            unit,
            kind: yima_codes::EquipmentKind::Elevator,
            user: 4,
            area: 330_106,
            by: 0,
        });
        assert_eq!(registered.alert(), None);
    }

    #[test]
    fn excursions_and_refusals_are_alerts_other_events_are_not() {
        let pallet = TraceCode::Sscc(Sscc::parse("169012340000000013").unwrap());
        let excursion = RuntimeEvent::Trace(yima_trace::Event::Alert(
            yima_trace::Alert::TemperatureExcursion {
                event: 4,
                codes: vec![pallet],
                band: TemperatureRange::VACCINE,
                observed_min: -150,
                observed_max: 910,
                measured_by: 3,
            },
        ));
        let alert = excursion.alert().expect("an excursion is an alert");
        assert_eq!(alert.kind, AlertKind::TemperatureExcursion);
        assert_eq!(alert.kind.as_str(), "temperature_excursion");
        assert_eq!(alert.codes, vec![pallet]);
        assert!(
            alert
                .message
                .contains("-1.50 °C to 9.10 °C, allowed 2.00 °C to 8.00 °C"),
            "{}",
            alert.message
        );

        let refused = RuntimeEvent::System(yima_system::Event::ExtrinsicFailed {
            error: DispatchError::module(yima_trace::PALLET, "UnknownProduct"),
        });
        let alert = refused.alert().expect("a refusal is an alert");
        assert_eq!(alert.kind, AlertKind::Refusal);
        assert!(
            alert.message.contains("register it"),
            "the pallet's own words: {}",
            alert.message
        );

        assert_eq!(
            RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess).alert(),
            None
        );
    }

    #[test]
    fn a_regulators_hold_decisions_are_alerts_a_negative_test_is_not() {
        let lot = yima_trace::types::LotKey {
            product: yima_codes::ProductId::Gtin(
                yima_codes::Gtin::parse("09521234500100").unwrap(),
            ),
            lot: yima_codes::LotNumber::parse("L1").unwrap(),
        };
        let digest = yima_frame::Hash([1; 32]);
        let released = RuntimeEvent::Food(yima_food::Event::HoldReleased {
            lot: lot.clone(),
            by: 0,
            failure: digest,
            retest: digest,
            decision: digest,
            recall_lifted: true,
        })
        .alert()
        .expect("a release is an alert");
        assert_eq!(released.kind.as_str(), "hold_released");
        assert!(
            released.message.contains("passing retest, recall ended"),
            "{}",
            released.message
        );
        let disposed = RuntimeEvent::ColdChain(yima_cold_chain::Event::LotDisposed {
            lot: lot.clone(),
            by: 0,
            disposal: digest,
        })
        .alert()
        .expect("a disposal is an alert");
        assert_eq!(disposed.kind.as_str(), "lot_disposed");
        assert_eq!(disposed.pallet, "ColdChain");
        let negative = RuntimeEvent::ColdChain(yima_cold_chain::Event::NegativeTest {
            lot,
            by: 0,
            report: digest,
            retests: None,
        });
        assert_eq!(negative.alert(), None);
    }

    #[test]
    fn an_out_of_band_reading_and_a_clearance_are_alerts_of_their_own_kinds() {
        let pallet = TraceCode::Sscc(Sscc::parse("169012340000000013").unwrap());
        let reading = RuntimeEvent::Trace(yima_trace::Event::Alert(
            yima_trace::Alert::ReadingOutOfBand {
                event: 0,
                measured_by: 5,
                codes: vec![pallet],
                band: TemperatureRange::VACCINE,
                observed_min: 1_500,
                observed_max: 1_500,
            },
        ));
        let alert = reading.alert().expect("an out-of-band reading is an alert");
        assert_eq!(alert.kind, AlertKind::ReadingOutOfBand);
        assert_eq!(alert.kind.as_str(), "reading_out_of_band");
        assert_eq!(alert.codes, vec![pallet]);
        assert!(
            alert.message.contains("organisation 5") && alert.message.contains("not flagged"),
            "{}",
            alert.message
        );

        let cleared = RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared {
            code: pallet,
            by: 0,
            reason: yima_frame::Hash([0xab; 32]),
        });
        let alert = cleared.alert().expect("a clearance is an alert");
        assert_eq!(alert.kind, AlertKind::ExcursionCleared);
        assert_eq!(alert.kind.as_str(), "excursion_cleared");
        assert_eq!(alert.codes, vec![pallet]);
        assert!(alert.message.contains("abababab"), "{}", alert.message);
    }
}
