//! `yima vaccine`: the vaccination site's call — a dose administered, recorded as its 7-in-one record (the dose's
//! code, the batch on the package, the supplying CDC, the site, the cold-chain equipment, the vaccinator and the
//! recipient, the last two by resident id derived under the chain's person-id key, or as `0x…` ids).

use clap::Subcommand;
use yima_codes::LotNumber;
use yima_runtime::RuntimeCall;
use yima_vaccine::types::AdministrationRecord;

use crate::common::{CmdResult, Failure, Global};
use crate::person_id::PersonKey;
use crate::pharmacy::SaleTime;
use crate::tx::{code, sign_and_submit};

/// `yima vaccine …`.
#[derive(Subcommand)]
pub(crate) enum VaccineCommand {
    /// Record a dose given (signer: the vaccination site's Operator). The chain checks the dose reached the site
    /// through its CDC, is not expired, recalled or excursion-flagged, and that the batch is the code's own.
    Administer {
        /// The dose's supervision code, scanned from its minimum package (any scanned form).
        #[arg(long)]
        code: String,
        /// The batch printed on the package (the lot number).
        #[arg(long)]
        batch: String,
        /// The supplying CDC's organisation id.
        #[arg(long)]
        cdc: u32,
        /// The refrigerator or cold box the dose was taken from (1 to 64 bytes).
        #[arg(long)]
        equipment: String,
        /// The vaccinator: resident id (derived) or 0x… id.
        #[arg(long)]
        vaccinator: String,
        /// The recipient: resident id (derived) or 0x… id.
        #[arg(long)]
        recipient: String,
        #[command(flatten)]
        time: SaleTime,
        #[command(flatten)]
        key: PersonKey,
    },
}

/// Runs `yima vaccine …`.
pub(crate) async fn run(g: &Global, command: VaccineCommand) -> CmdResult {
    let VaccineCommand::Administer {
        code: c,
        batch,
        cdc,
        equipment,
        vaccinator,
        recipient,
        time,
        key,
    } = command;
    let record = AdministrationRecord {
        code: code(&c)?,
        batch: LotNumber::parse(&batch)
            .map_err(|e| Failure::from(format!("--batch {batch:?} is not a lot number: {e}")))?,
        cdc,
        equipment: equipment.into_bytes(),
        vaccinator: key.person(g, &vaccinator).await?,
        recipient: key.person(g, &recipient).await?,
        time: time.millis()?,
        time_zone_offset_minutes: time.utc_offset_minutes,
    };
    sign_and_submit(
        g,
        RuntimeCall::Vaccine(yima_vaccine::Call::Administer { record }),
    )
    .await
}
