//! `yima pharmacy`: the drug pallet's calls as pharmacies, hospitals, manufacturers and regulators use them —
//! list a drug, bind a resident pharmacist, upload, review and dispense a prescription, sell compound
//! preparations to an identified buyer, anchor a batch's production records. People are given by resident id
//! (derived here under the chain's person-id key: `--id-key`, `--dev-id-key`) or as `0x…` ids.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use yima_codes::ProductId;
use yima_drug::types::{BatchRecordKind, PrescribedDrug};
use yima_frame::{sha256, Hash};
use yima_runtime::RuntimeCall;

use crate::common::{CmdResult, Failure, Global};
use crate::person_id::PersonKey;
use crate::tx::{code, hash, lot, moment, sign_and_submit};

/// `yima pharmacy …`.
#[derive(Subcommand)]
pub(crate) enum PharmacyCommand {
    /// List a registered drug product in the drug registry (signer: a regulator's Operator).
    ListDrug {
        /// Its product id (GTIN or NMPA product code); it must be registered as a drug.
        #[arg(long)]
        drug: String,
        /// Dispensed only against a reviewed prescription.
        #[arg(long)]
        prescription_only: bool,
        /// A controlled compound preparation: sold only to an identified buyer, within the purchase limits.
        #[arg(long)]
        controlled_compound: bool,
    },
    /// Bind a licensed pharmacist to the signer's pharmacy (signer: the pharmacy's Operator); the licence is a
    /// valid licensed-pharmacist attestation about that person.
    BindPharmacist {
        /// The pharmacist: resident id (derived) or 0x… id.
        #[arg(long)]
        pharmacist: String,
        /// The licence attestation's id (0x…).
        #[arg(long)]
        licence: String,
        #[command(flatten)]
        key: PersonKey,
    },
    /// Unbind a pharmacist from the signer's pharmacy.
    UnbindPharmacist {
        /// The pharmacist: resident id (derived) or 0x… id.
        #[arg(long)]
        pharmacist: String,
        #[command(flatten)]
        key: PersonKey,
    },
    /// Upload a prescription (signer: the prescribing hospital's Operator); its id is the document's SHA-256.
    UploadPrescription(UploadArgs),
    /// Record a bound pharmacist's review (审方) of a prescription (signer: the pharmacy's Operator).
    ReviewPrescription {
        /// The prescription's id (0x…, the document's SHA-256).
        #[arg(long)]
        prescription: String,
        /// The reviewing pharmacist, bound to the signer's pharmacy: resident id or 0x… id.
        #[arg(long)]
        pharmacist: String,
        /// Refuse it (default: approve).
        #[arg(long)]
        refuse: bool,
        #[command(flatten)]
        key: PersonKey,
    },
    /// Dispense scanned units against a reviewed prescription (signer: the reviewing pharmacy's Operator).
    Dispense {
        /// The prescription's id (0x…).
        #[arg(long)]
        prescription: String,
        #[command(flatten)]
        sale: SaleArgs,
    },
    /// Sell controlled compound preparations to an identified buyer (signer: the pharmacy's Operator): at most
    /// the policy's packs per sale, and per buyer across every pharmacy within its window.
    SellCompound {
        /// The buyer: resident id (derived) or 0x… id.
        #[arg(long)]
        buyer: String,
        #[command(flatten)]
        sale: SaleArgs,
        #[command(flatten)]
        key: PersonKey,
    },
    /// Anchor one production record of a drug batch in its black box (signer: the manufacturer's Operator).
    AnchorBatchRecord {
        /// The batch, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// wms, scada or lims.
        #[arg(long)]
        kind: String,
        #[command(flatten)]
        document: DocumentArgs,
    },
}

/// A document kept off chain: its SHA-256 goes on chain.
#[derive(Args)]
pub(crate) struct DocumentArgs {
    /// The document (its SHA-256 goes on chain; the file stays here).
    #[arg(long, conflicts_with = "digest")]
    document: Option<PathBuf>,
    /// The document's SHA-256, if it is elsewhere (0x…).
    #[arg(long)]
    digest: Option<String>,
}

/// `yima pharmacy upload-prescription`.
#[derive(Args)]
pub(crate) struct UploadArgs {
    #[command(flatten)]
    document: DocumentArgs,
    /// The prescribing hospital's organisation id.
    #[arg(long)]
    hospital: u32,
    /// The patient: resident id (derived) or 0x… id.
    #[arg(long)]
    patient: String,
    /// A drug and its quantity in minimum packs, `PRODUCT:PACKS`; repeat for each.
    #[arg(long = "drug", required = true)]
    drugs: Vec<String>,
    #[command(flatten)]
    key: PersonKey,
}

/// The units scanned at the counter, and when.
#[derive(Args)]
pub(crate) struct SaleArgs {
    /// A scanned unit's code (any scanned form); repeat for each.
    #[arg(long = "code", required = true)]
    codes: Vec<String>,
    #[command(flatten)]
    time: SaleTime,
}

/// When something happened at a counter or a vaccination desk, in the place's local offset.
#[derive(Args)]
pub(crate) struct SaleTime {
    /// When (RFC 3339; default now).
    #[arg(long)]
    time: Option<String>,
    /// The place's UTC offset in minutes (China: 480).
    #[arg(long, default_value_t = 480, allow_hyphen_values = true)]
    pub(crate) utc_offset_minutes: i16,
}

impl SaleTime {
    /// The time in ms UTC: `--time`, else now.
    pub(crate) fn millis(&self) -> Result<u64, Failure> {
        match &self.time {
            Some(t) => moment(t),
            None => Ok(std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0)),
        }
    }
}

impl DocumentArgs {
    /// The document at `path`.
    pub(crate) fn file(path: PathBuf) -> DocumentArgs {
        DocumentArgs {
            document: Some(path),
            digest: None,
        }
    }

    /// The document's SHA-256.
    pub(crate) fn digest(&self) -> Result<Hash, Failure> {
        match (&self.document, &self.digest) {
            (Some(path), _) => Ok(sha256(
                &std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?,
            )),
            (None, Some(d)) => hash("--digest", d),
            (None, None) => Err("give --document FILE or --digest 0x…".to_string().into()),
        }
    }
}

impl SaleArgs {
    fn codes(&self) -> Result<Vec<yima_codes::TraceCode>, Failure> {
        self.codes.iter().map(|c| code(c)).collect()
    }
}

fn product(text: &str) -> Result<ProductId, Failure> {
    ProductId::parse(text).map_err(|e| format!("{text:?} is not a product id: {e}").into())
}

fn prescribed(text: &str) -> Result<PrescribedDrug, Failure> {
    let (p, q) = text.rsplit_once(':').ok_or_else(|| {
        Failure::from(format!(
            "--drug {text:?}: write PRODUCT:PACKS, e.g. 8691234:2"
        ))
    })?;
    let quantity = q.parse::<u32>().ok().filter(|q| *q > 0).ok_or_else(|| {
        Failure::from(format!(
            "--drug {text:?}: the packs after ':' must be at least 1"
        ))
    })?;
    Ok(PrescribedDrug {
        drug: product(p)?,
        quantity,
    })
}

fn record_kind(text: &str) -> Result<BatchRecordKind, Failure> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "wms" => BatchRecordKind::Wms,
        "scada" => BatchRecordKind::Scada,
        "lims" => BatchRecordKind::Lims,
        _ => return Err(format!("unknown batch record {text:?}: use wms, scada or lims").into()),
    })
}

/// Runs `yima pharmacy …`.
pub(crate) async fn run(g: &Global, command: PharmacyCommand) -> CmdResult {
    use yima_drug::Call;
    let call = match command {
        PharmacyCommand::ListDrug {
            drug,
            prescription_only,
            controlled_compound,
        } => Call::ListDrug {
            drug: product(&drug)?,
            prescription_only,
            controlled_compound,
        },
        PharmacyCommand::BindPharmacist {
            pharmacist,
            licence,
            key,
        } => Call::BindPharmacist {
            licence: hash("--licence", &licence)?,
            pharmacist: key.person(g, &pharmacist).await?,
        },
        PharmacyCommand::UnbindPharmacist { pharmacist, key } => Call::UnbindPharmacist {
            pharmacist: key.person(g, &pharmacist).await?,
        },
        PharmacyCommand::UploadPrescription(a) => {
            let digest = a.document.digest()?;
            let drugs = a
                .drugs
                .iter()
                .map(|d| prescribed(d))
                .collect::<Result<_, _>>()?;
            if !g.json {
                println!("prescription {digest}");
            }
            Call::UploadPrescription {
                digest,
                hospital: a.hospital,
                patient: a.key.person(g, &a.patient).await?,
                drugs,
            }
        }
        PharmacyCommand::ReviewPrescription {
            prescription,
            pharmacist,
            refuse,
            key,
        } => Call::ReviewPrescription {
            prescription: hash("--prescription", &prescription)?,
            pharmacist: key.person(g, &pharmacist).await?,
            approved: !refuse,
        },
        PharmacyCommand::Dispense { prescription, sale } => Call::Dispense {
            prescription: hash("--prescription", &prescription)?,
            codes: sale.codes()?,
            time: sale.time.millis()?,
            time_zone_offset_minutes: sale.time.utc_offset_minutes,
        },
        PharmacyCommand::SellCompound { buyer, sale, key } => Call::SellCompound {
            codes: sale.codes()?,
            time: sale.time.millis()?,
            time_zone_offset_minutes: sale.time.utc_offset_minutes,
            buyer: key.person(g, &buyer).await?,
        },
        PharmacyCommand::AnchorBatchRecord {
            lot: l,
            kind,
            document,
        } => Call::AnchorBatchRecord {
            lot: lot(&l)?,
            kind: record_kind(&kind)?,
            digest: document.digest()?,
        },
    };
    sign_and_submit(g, RuntimeCall::Drug(call)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prescribed_drugs_and_record_kinds_read_as_written() {
        let line = prescribed("8691234:2").unwrap();
        assert_eq!(line.quantity, 2);
        assert!(prescribed("8691234")
            .unwrap_err()
            .message
            .contains("PRODUCT:PACKS"));
        assert!(prescribed("8691234:0")
            .unwrap_err()
            .message
            .contains("at least 1"));
        assert_eq!(record_kind("LIMS").unwrap(), BatchRecordKind::Lims);
        assert!(record_kind("erp").is_err());
    }
}
