//! `yima equipment`: the equipment register as regulators, users, maintenance firms and inspection bodies use
//! it — register a unit, name its maintenance firm, amend its registration, stop it or return it to service,
//! record a maintenance or an inspection (attestations the register checks: only the unit's firm maintains it).

use clap::Subcommand;
use yima_attestation::{schemas, Subject};
use yima_codes::{Giai, RegistrationNumber};
use yima_equipment::UnitStatus;
use yima_frame::Moment;
use yima_runtime::RuntimeCall;

use crate::common::{CmdResult, Failure, Global};
use crate::pharmacy::DocumentArgs;
use crate::tx::{moment, sign_and_submit};

/// One day, ms.
const DAY: Moment = 86_400_000;
/// How long before now a record of work done "now" is dated, so that a client clock a little ahead of the
/// chain's is not refused as a record from the future.
const CLOCK_MARGIN: Moment = 60_000;

/// `yima equipment …`.
#[derive(Subcommand)]
pub(crate) enum EquipmentCommand {
    /// Register a unit (signer: a regulator's Operator): its registration number (使用登记证编号, e.g.
    /// 梯11浙A00123(19)) gives the kind.
    Register {
        /// The registration number the regulator issued.
        number: String,
        /// The owner's GS1 GIAI on its label (AI 8004), if any.
        #[arg(long)]
        giai: Option<String>,
        /// The 6-digit area code (行政区划代码) where it stands, inside the number's province.
        #[arg(long)]
        area: u32,
        /// Where it stands (building, address).
        #[arg(long)]
        address: String,
        /// The user organisation's id (使用单位).
        #[arg(long)]
        user: u32,
        /// The rescue contact: the 96333 code or a phone number.
        #[arg(long)]
        rescue: String,
        /// When its periodic inspection is first due (RFC 3339).
        #[arg(long)]
        inspection_due: String,
    },
    /// Name the unit's maintenance firm (signer: an Admin of its user organisation, or a regulator).
    SetMaintainer {
        /// The registration number.
        number: String,
        /// The maintenance firm's organisation id.
        #[arg(long, conflicts_with = "none", required_unless_present = "none")]
        firm: Option<u32>,
        /// Name no firm.
        #[arg(long)]
        none: bool,
    },
    /// Amend a unit's registration (变更登记; signer: a regulator's Operator): its user, area and address. A new
    /// user names its own maintenance firm.
    Amend {
        /// The registration number.
        number: String,
        /// The user organisation's id.
        #[arg(long)]
        user: u32,
        /// The 6-digit area code, inside the number's province.
        #[arg(long)]
        area: u32,
        /// The address.
        #[arg(long)]
        address: String,
    },
    /// Stop a unit (停用; signer: a regulator's Operator), citing the decision: it raises no lapse while
    /// stopped.
    Stop {
        /// The registration number.
        number: String,
        #[command(flatten)]
        decision: DocumentArgs,
    },
    /// Return a stopped unit to service (signer: a regulator's Operator), citing the decision; its inspection
    /// must be in date.
    ReturnToService {
        /// The registration number.
        number: String,
        #[command(flatten)]
        decision: DocumentArgs,
    },
    /// Record a maintenance of an elevator (signer: an Inspector of the maintenance firm the unit's user
    /// named), valid 15 days from when it was done.
    Maintain {
        /// The registration number.
        number: String,
        /// The maintenance sheet.
        #[command(flatten)]
        sheet: DocumentArgs,
        /// When the work was done (RFC 3339; default: a minute ago).
        #[arg(long)]
        done_at: Option<String>,
    },
    /// Record a periodic inspection (signer: an inspection body's Inspector), valid until the next one is due.
    Inspect {
        /// The registration number.
        number: String,
        /// The inspection report.
        #[command(flatten)]
        report: DocumentArgs,
        /// When the inspection was done (RFC 3339; default: a minute ago).
        #[arg(long)]
        done_at: Option<String>,
        /// When the next inspection is due (RFC 3339).
        #[arg(long)]
        next_due: String,
    },
}

fn number(text: &str) -> Result<RegistrationNumber, Failure> {
    RegistrationNumber::parse(text).map_err(|e| Failure::from(e.to_string()))
}

fn now_ms() -> Moment {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Moment)
}

fn done_at(text: Option<&str>) -> Result<Moment, Failure> {
    match text {
        Some(t) => moment(t),
        None => Ok(now_ms().saturating_sub(CLOCK_MARGIN)),
    }
}

/// The attestation of `schema` about `unit` with `document`, valid from `from` to `until`.
fn record(
    schema: u32,
    unit: &RegistrationNumber,
    document: &DocumentArgs,
    from: Moment,
    until: Moment,
) -> Result<RuntimeCall, Failure> {
    Ok(RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema,
        subject: Subject::Equipment(unit.as_str().as_bytes().to_vec()),
        digest: document.digest()?,
        uri: None,
        valid_from: from,
        valid_until: Some(until),
    }))
}

/// The call a command makes.
fn call(command: EquipmentCommand) -> Result<RuntimeCall, Failure> {
    use yima_equipment::Call;
    let equipment = |call: Call| Ok(RuntimeCall::Equipment(call));
    match command {
        EquipmentCommand::Register {
            number: n,
            giai,
            area,
            address,
            user,
            rescue,
            inspection_due,
        } => equipment(Call::Register {
            unit: number(&n)?,
            giai: giai
                .as_deref()
                .map(Giai::parse)
                .transpose()
                .map_err(|e| format!("--giai: {e}"))?,
            area,
            address: address.into_bytes(),
            user,
            rescue: rescue.into_bytes(),
            inspection_due: moment(&inspection_due)?,
        }),
        EquipmentCommand::SetMaintainer {
            number: n, firm, ..
        } => equipment(Call::SetMaintainer {
            unit: number(&n)?,
            maintainer: firm,
        }),
        EquipmentCommand::Amend {
            number: n,
            user,
            area,
            address,
        } => equipment(Call::Amend {
            unit: number(&n)?,
            user,
            area,
            address: address.into_bytes(),
        }),
        EquipmentCommand::Stop {
            number: n,
            decision,
        } => equipment(Call::SetStatus {
            unit: number(&n)?,
            status: UnitStatus::Stopped,
            reason: decision.digest()?,
        }),
        EquipmentCommand::ReturnToService {
            number: n,
            decision,
        } => equipment(Call::SetStatus {
            unit: number(&n)?,
            status: UnitStatus::InService,
            reason: decision.digest()?,
        }),
        EquipmentCommand::Maintain {
            number: n,
            sheet,
            done_at: at,
        } => {
            let from = done_at(at.as_deref())?;
            record(
                schemas::ELEVATOR_MAINTENANCE,
                &number(&n)?,
                &sheet,
                from,
                from + 15 * DAY,
            )
        }
        EquipmentCommand::Inspect {
            number: n,
            report,
            done_at: at,
            next_due,
        } => {
            let unit = number(&n)?;
            let schema = if unit.kind() == yima_codes::EquipmentKind::Elevator {
                schemas::ELEVATOR_INSPECTION
            } else {
                schemas::SPECIAL_EQUIPMENT_INSPECTION
            };
            record(
                schema,
                &unit,
                &report,
                done_at(at.as_deref())?,
                moment(&next_due)?,
            )
        }
    }
}

/// Runs `yima equipment …`.
pub(crate) async fn run(g: &Global, command: EquipmentCommand) -> CmdResult {
    sign_and_submit(g, call(command)?).await
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        command: EquipmentCommand,
    }

    fn parse(args: &[&str]) -> Result<RuntimeCall, Failure> {
        let mut all = vec!["equipment"];
        all.extend_from_slice(args);
        call(Cli::try_parse_from(all).map_err(|e| e.to_string())?.command)
    }

    #[test]
    fn a_registration_reads_every_fact() {
        let call = parse(&[
            "register",
            "梯11浙A00123（19）",
            "--giai",
            "0614141LIFT7",
            "--area",
            "330106",
            "--address",
            "文三路 1 号",
            "--user",
            "4",
            "--rescue",
            "96333",
            "--inspection-due",
            "2027-06-01T00:00:00+08:00",
        ])
        .unwrap();
        let RuntimeCall::Equipment(yima_equipment::Call::Register {
            unit,
            giai,
            area,
            user,
            ..
        }) = call
        else {
            panic!("{call:?}")
        };
        assert_eq!(unit.as_str(), "梯11浙A00123(19)");
        assert_eq!(giai.unwrap().as_str(), "0614141LIFT7");
        assert_eq!((area, user), (330_106, 4));
    }

    #[test]
    fn a_bad_number_or_giai_is_refused_with_its_rule() {
        let e = parse(&[
            "stop",
            "电梯1号",
            "--digest",
            &format!("0x{}", "11".repeat(32)),
        ])
        .unwrap_err();
        assert!(e.message.contains("registration number"), "{}", e.message);
        let e = parse(&[
            "register",
            "梯11浙A00123(19)",
            "--giai",
            "LIFT",
            "--area",
            "330106",
            "--address",
            "x",
            "--user",
            "1",
            "--rescue",
            "96333",
            "--inspection-due",
            "2027-06-01T00:00:00Z",
        ])
        .unwrap_err();
        assert!(e.message.starts_with("--giai"), "{}", e.message);
    }

    #[test]
    fn maintenance_is_valid_fifteen_days_and_inspection_picks_the_kinds_schema() {
        let digest = format!("0x{}", "22".repeat(32));
        let maintained = parse(&[
            "maintain",
            "梯11浙A00123(19)",
            "--digest",
            &digest,
            "--done-at",
            "2026-12-01T09:00:00+08:00",
        ])
        .unwrap();
        let RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema,
            valid_from,
            valid_until,
            ..
        }) = maintained
        else {
            panic!("{maintained:?}")
        };
        assert_eq!(schema, schemas::ELEVATOR_MAINTENANCE);
        assert_eq!(valid_until, Some(valid_from + 15 * DAY));
        let boiler = parse(&[
            "inspect",
            "锅3A浙A00031(22)",
            "--digest",
            &digest,
            "--next-due",
            "2028-06-01T00:00:00+08:00",
        ])
        .unwrap();
        assert!(matches!(
            boiler,
            RuntimeCall::Attestation(yima_attestation::Call::Attest {
                schema: schemas::SPECIAL_EQUIPMENT_INSPECTION,
                ..
            })
        ));
        assert!(parse(&["set-maintainer", "梯11浙A00123(19)"]).is_err());
    }
}
