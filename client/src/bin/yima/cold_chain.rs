//! `yima cold-chain`: imported cold-chain food's calls as importers, customs, supervised warehouses, carriers,
//! inspection bodies and regulators use them (the "four no's": no entry without declaration and clearance, no
//! codes without disinfection, no leg without its temperatures, no sale of a positive lot).

use clap::{Args, Subcommand};
use yima_cold_chain::types::{
    CountryCode, DeclarationNumber, EntryDeclaration, PortCode, TemperatureSummary,
};
use yima_runtime::RuntimeCall;

use crate::common::{CmdResult, Failure, Global};
use crate::pharmacy::DocumentArgs;
use crate::tx::{centi_celsius, code, hash, lot, moment, sign_and_submit};

/// `yima cold-chain …`.
#[derive(Subcommand)]
pub(crate) enum ColdChainCommand {
    /// Declare an imported lot at customs (signer: the importer's Operator); commissions its consignment code.
    DeclareEntry(EntryArgs),
    /// Clear an entry (signer: a customs Inspector), citing the lot's inspection/quarantine certificate
    /// (`yima attest --schema 12 --subject lot:…`).
    Clear {
        /// The lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// The certificate attestation's id (0x…).
        #[arg(long)]
        certificate: String,
    },
    /// Issue cold-chain codes into a cleared lot (signer: the supervised warehouse's Operator, holding its
    /// consignment), citing its disinfection certificate.
    IssueCodes {
        /// The lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// How many codes.
        #[arg(long)]
        count: u32,
        /// The disinfection certificate attestation's id (0x…).
        #[arg(long)]
        disinfection: String,
    },
    /// Hand codes over at the end of a carrier's leg (signer: the carrier's Operator, their custodian), with the
    /// leg's temperatures: readings outside a product's band raise an excursion alert.
    CarrierHop {
        /// A code handed over (top level: a pallet moves its contents); repeat for each.
        #[arg(long = "code", required = true)]
        codes: Vec<String>,
        /// The consignee's organisation id.
        #[arg(long)]
        to: u32,
        /// The vehicle's plate.
        #[arg(long)]
        vehicle: String,
        /// The leg's GPS track file (its SHA-256 goes on chain).
        #[arg(long)]
        gps_track: std::path::PathBuf,
        /// Lowest reading over the leg, °C.
        #[arg(long, allow_hyphen_values = true)]
        min: String,
        /// Highest reading, °C.
        #[arg(long, allow_hyphen_values = true)]
        max: String,
        /// Mean reading, °C.
        #[arg(long, allow_hyphen_values = true)]
        mean: String,
        /// The logger's id.
        #[arg(long)]
        device: Option<String>,
    },
    /// Report a positive test on a lot (signer: an inspection body's Inspector or a regulator): the lot is held.
    ReportPositive {
        /// The lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        #[command(flatten)]
        report: DocumentArgs,
    },
    /// Report a negative (re)test on a lot; a held lot's release cites it.
    ReportNegative {
        /// The lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        #[command(flatten)]
        report: DocumentArgs,
    },
    /// Release a positive lot's hold (signer: a regulator's Operator), citing a negative retest reported after
    /// the positive test, and the decision document.
    ReleaseHold {
        /// The held lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// The negative retest's report digest (0x…).
        #[arg(long)]
        retest: String,
        #[command(flatten)]
        decision: DocumentArgs,
    },
    /// Dispose of a held lot (signer: a regulator's Operator), citing a valid UNQUALIFIED_PRODUCT_DISPOSAL
    /// attestation on it.
    DisposeLot {
        /// The held lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// The disposal attestation's id (0x…).
        #[arg(long)]
        disposal: String,
    },
}

/// `yima cold-chain declare-entry`.
#[derive(Args)]
pub(crate) struct EntryArgs {
    /// The customs declaration number (报关单号, 18 digits).
    #[arg(long)]
    declaration: String,
    #[command(flatten)]
    document: DocumentArgs,
    /// Country of origin (ISO 3166 alpha-2, e.g. NZ).
    #[arg(long)]
    origin: String,
    /// Port of entry (UN/LOCODE, e.g. CNNGB).
    #[arg(long)]
    port: String,
    /// The lot: the importer's registered cold-chain product and its lot number, `{product}/{lot}`.
    #[arg(long)]
    lot: String,
    /// The code the consignment is labelled with (an SGTIN of the product, any scanned form).
    #[arg(long)]
    consignment: String,
    /// Declared quantity, in `--uom` (or pieces).
    #[arg(long)]
    quantity: u64,
    /// UN/CEFACT unit of measure, e.g. KGM.
    #[arg(long)]
    uom: Option<String>,
    /// Production date (RFC 3339).
    #[arg(long)]
    production_date: String,
    /// Expiry (RFC 3339).
    #[arg(long)]
    expiry: String,
}

fn entry(a: EntryArgs) -> Result<EntryDeclaration, Failure> {
    let uom = match a.uom.as_deref() {
        None => None,
        Some(u) => Some(<[u8; 3]>::try_from(u.as_bytes()).map_err(|_| {
            Failure::from(format!(
                "--uom {u:?}: a UN/CEFACT unit is 3 characters, e.g. KGM"
            ))
        })?),
    };
    Ok(EntryDeclaration {
        declaration: DeclarationNumber::parse(&a.declaration)
            .map_err(|e| Failure::from(format!("--declaration {:?}: {e}", a.declaration)))?,
        document: a.document.digest()?,
        origin: CountryCode::parse(&a.origin)
            .map_err(|e| Failure::from(format!("--origin {:?}: {e}", a.origin)))?,
        port: PortCode::parse(&a.port)
            .map_err(|e| Failure::from(format!("--port {:?}: {e}", a.port)))?,
        lot: lot(&a.lot)?,
        consignment: code(&a.consignment)?,
        quantity: a.quantity,
        uom,
        production_date: moment(&a.production_date)?,
        expiry: moment(&a.expiry)?,
    })
}

/// Runs `yima cold-chain …`.
pub(crate) async fn run(g: &Global, command: ColdChainCommand) -> CmdResult {
    use yima_cold_chain::Call;
    let call = match command {
        ColdChainCommand::DeclareEntry(a) => Call::DeclareEntry { entry: entry(a)? },
        ColdChainCommand::Clear {
            lot: l,
            certificate,
        } => Call::Clear {
            lot: lot(&l)?,
            certificate: hash("--certificate", &certificate)?,
        },
        ColdChainCommand::IssueCodes {
            lot: l,
            count,
            disinfection,
        } => Call::IssueCodes {
            lot: lot(&l)?,
            count,
            disinfection: hash("--disinfection", &disinfection)?,
        },
        ColdChainCommand::CarrierHop {
            codes,
            to,
            vehicle,
            gps_track,
            min,
            max,
            mean,
            device,
        } => Call::CarrierHop {
            codes: codes.iter().map(|c| code(c)).collect::<Result<_, _>>()?,
            to,
            vehicle: vehicle.into_bytes(),
            gps_track: DocumentArgs::file(gps_track).digest()?,
            temperature: TemperatureSummary {
                min: centi_celsius(&min)?,
                max: centi_celsius(&max)?,
                mean: centi_celsius(&mean)?,
                device: device.map(String::into_bytes),
            },
        },
        ColdChainCommand::ReportPositive { lot: l, report } => Call::ReportPositive {
            lot: lot(&l)?,
            report: report.digest()?,
        },
        ColdChainCommand::ReportNegative { lot: l, report } => Call::ReportNegative {
            lot: lot(&l)?,
            report: report.digest()?,
        },
        ColdChainCommand::ReleaseHold {
            lot: l,
            retest,
            decision,
        } => Call::ReleaseHold {
            lot: lot(&l)?,
            retest: hash("--retest", &retest)?,
            decision: decision.digest()?,
        },
        ColdChainCommand::DisposeLot { lot: l, disposal } => Call::DisposeLot {
            lot: lot(&l)?,
            disposal: hash("--disposal", &disposal)?,
        },
    };
    sign_and_submit(g, RuntimeCall::ColdChain(call)).await
}
