//! # Drug pallet — 处方流通 and 药品追溯
//!
//! The drug rules of DOMAIN.md §4 on top of the trace core and attestations: the four databases in one, purchase
//! limits on compound preparations with controlled ingredients, and the production black box.
//!
//! - **Pharmacies** are member organisations of kind `Pharmacy` (membership is that database).
//! - **Resident pharmacists** ([`registry`]) appear only as pseudonymous ids, each holding a licensed-pharmacist
//!   registration attestation ([`yima_attestation::schemas::PHARMACIST_LICENCE`]). A pharmacist is bound to
//!   one pharmacy at a time (1:1): a pharmacy binds them citing the licence, unbinds them, and every binding is
//!   kept ([`Pallet::binding_history`]); binding a pharmacist who is bound anywhere is refused.
//! - **Prescription drugs** ([`registry`]): regulators list trace products of category drug (NMPA 7-digit product
//!   code or GTIN) as prescription-only and/or as a compound preparation with controlled ingredients.
//! - **Prescriptions** ([`prescription`]): uploaded as the digest of the document (its id), the prescribing
//!   hospital, drugs and quantities and a pseudonymous patient; reviewed (审方) by a pharmacist bound to the
//!   reviewing pharmacy; dispensed by that pharmacy by scanning the units' codes ([`dispensing`]), which links
//!   them to the prescription (a transaction event citing its digest) and ends their custody (a `Dispensing`
//!   event), both through `Trace::record(…, "Drug")`.
//! - **Compound preparations with controlled ingredients** (含麻黄碱类复方制剂 …; [`dispensing`], [`window`]): sold
//!   only to a pseudonymous buyer, at most [`types::DrugPolicy::max_packs_per_sale`] minimum packs per sale, and
//!   at most [`types::DrugPolicy::window_packs`] per buyer within the rolling
//!   [`types::DrugPolicy::window_ms`] across all pharmacies (defaults 2, 6 and 30 days). Time is the block's.
//! - **Production black box** ([`black_box`]): per batch, the manufacturer anchors the digests of its WMS, SCADA
//!   and LIMS records; while the policy says so, a drug batch without all three is not shipped ([`gate`]).
//! - **Policy** ([`types::DrugPolicy`]): set only by root — regulator governance through `Action::Dispatch` of
//!   [`Call::SetPolicy`].
//!
//! The capture gate ([`gate`]) refuses a `Dispensing` or `RetailSelling` event of a prescription-only drug or a
//! controlled compound preparation captured any other way than through this pallet, so every dispensing is tied
//! to a reviewed prescription and every compound sale is counted.
//!
//! **Refusals are the alerts** (as in the vaccine pallet): a refused call rolls back everything it wrote; what
//! stays is the executive's `System::ExtrinsicFailed` with this pallet's error — a third pack in one sale, the
//! seventh pack in a window — in a block, signed by the pharmacy, which the runtime's alert classification turns
//! into an alert.
//!
//! **Nothing personal on chain.** Pharmacists, patients and buyers are [`PseudonymousId`]s that must pass
//! [`yima_attestation::pseudonym::check`]; the trace core's EPCIS events carry codes and the prescription's
//! digest, never a person id.

pub mod black_box;
pub mod dispensing;
pub mod gate;
pub mod policy;
pub mod prescription;
pub mod registry;
pub mod types;
pub mod window;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_attestation::{AttestationId, AttestationInspect, PseudonymousId};
use yima_codes::{ProductId, TraceCode};
use yima_frame::{storage, DispatchResult, Hash, Hooks, Moment, OrgId, Origin};
use yima_trace::types::LotKey;

use types::{
    BatchRecordKind, BatchRecords, Binding, Drug, DrugPolicy, Pharmacist, PrescribedDrug,
    Prescription, PrescriptionId, Sale,
};
use window::PurchaseWindow;

/// The pallet's name in storage keys, errors and as the `via` of the events it records in trace.
pub const PALLET: &str = "Drug";

/// What the runtime supplies to the drug pallet. Organisation kinds come from the trace pallet's `Membership`.
pub trait Config: yima_trace::Config + yima_system::Config<RuntimeEvent: From<Event>> {
    /// Pharmacist licences.
    type Attestations: AttestationInspect;
}

storage! {
    pallet "Drug";
    /// The prescription-drug registry.
    pub Drugs: map ProductId => Drug;
    /// Resident pharmacists.
    pub Pharmacists: map PseudonymousId => Pharmacist;
    /// Every binding of a pharmacist, by its number (0, 1, …).
    pub Bindings: double_map PseudonymousId, u32 => Binding;
    /// A pharmacy's currently bound pharmacists.
    pub Staff: double_map OrgId, PseudonymousId => ();
    /// Prescriptions by the digest of their document.
    pub Prescriptions: map PrescriptionId => Prescription;
    /// Each buyer's compound-preparation purchases still inside the rolling window.
    pub Windows: map PseudonymousId => PurchaseWindow;
    /// The production black box of each drug batch.
    pub BatchRecordsOf: map LotKey => BatchRecords;
    /// The policy; [`DrugPolicy::default`] until governance sets one.
    pub Policy: value DrugPolicy;
}

/// Events of the drug pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// A drug was listed in the registry.
    #[codec(index = 0)]
    DrugListed {
        /// The product.
        drug: ProductId,
        /// Its entry.
        entry: Drug,
    },
    /// A pharmacist was bound to a pharmacy.
    #[codec(index = 1)]
    PharmacistBound {
        /// The pharmacist.
        pharmacist: PseudonymousId,
        /// The pharmacy.
        pharmacy: OrgId,
        /// The licence cited.
        licence: AttestationId,
    },
    /// A pharmacist was unbound from a pharmacy.
    #[codec(index = 2)]
    PharmacistUnbound {
        /// The pharmacist.
        pharmacist: PseudonymousId,
        /// The pharmacy.
        pharmacy: OrgId,
    },
    /// A prescription was uploaded (the patient stays in state, not in the event).
    #[codec(index = 3)]
    PrescriptionUploaded {
        /// Its id: the document's digest.
        prescription: PrescriptionId,
        /// The prescribing hospital.
        hospital: OrgId,
        /// Who uploaded it.
        uploaded_by: OrgId,
    },
    /// A prescription was reviewed.
    #[codec(index = 4)]
    PrescriptionReviewed {
        /// The prescription.
        prescription: PrescriptionId,
        /// The pharmacy.
        pharmacy: OrgId,
        /// The reviewing pharmacist.
        pharmacist: PseudonymousId,
        /// Approved or rejected.
        approved: bool,
    },
    /// Units were dispensed against a prescription (their custody events are the trace pallet's `Captured`
    /// just before).
    #[codec(index = 5)]
    Dispensed {
        /// The prescription.
        prescription: PrescriptionId,
        /// What was dispensed.
        sale: Sale,
    },
    /// Compound-preparation packs were sold to an identified buyer.
    #[codec(index = 6)]
    CompoundSold {
        /// The buyer, pseudonymous.
        buyer: PseudonymousId,
        /// What was sold.
        sale: Sale,
        /// The buyer's packs in the window, this sale included.
        packs_in_window: u32,
    },
    /// A production record of a batch was anchored.
    #[codec(index = 7)]
    BatchRecordAnchored {
        /// The batch.
        lot: LotKey,
        /// Which record.
        kind: BatchRecordKind,
        /// Its digest.
        digest: Hash,
        /// Whether the black box now holds all three.
        complete: bool,
    },
    /// Governance set the policy.
    #[codec(index = 8)]
    PolicySet(DrugPolicy),
}

/// Why a drug call or a custody event of a drug was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// Listing by an organisation that is not a regulator.
    #[error("only a regulator lists drugs in the prescription-drug registry; sign with a regulator's account")]
    NotRegulator,
    /// The product is not registered in trace.
    #[error("unknown product: its marketing-authorisation holder must register it (NMPA product code or GTIN, category drug) first")]
    UnknownProduct,
    /// The product is not of category drug.
    #[error("this product is not registered as a drug (category drug); only drugs are listed")]
    NotADrugProduct,
    /// The drug is already listed.
    #[error("this drug is already listed in the registry")]
    DrugExists,
    /// The signer's organisation is not a pharmacy.
    #[error("only a pharmacy may do this; sign with an account of the pharmacy")]
    NotAPharmacy,
    /// A pharmacist id that is not pseudonymous.
    #[error("the pharmacist id is not pseudonymous: never send a national id; send HMAC-SHA-256(chain pepper, normalised national id) computed by the client")]
    PharmacistNotPseudonymous,
    /// A patient id that is not pseudonymous.
    #[error("the patient id is not pseudonymous: never send a national id; send HMAC-SHA-256(chain pepper, normalised national id) computed by the client")]
    PatientNotPseudonymous,
    /// A buyer id that is not pseudonymous.
    #[error("the buyer id is not pseudonymous: check the buyer's identity card, then send HMAC-SHA-256(chain pepper, normalised national id) computed by the client, never the number")]
    BuyerNotPseudonymous,
    /// The cited licence is not a valid pharmacist licence of this person.
    #[error("the cited licence is not a valid licensed-pharmacist registration (执业药师注册证) of this pharmacist now (unknown, another person's or schema, revoked, not yet valid or expired); cite a valid one")]
    PharmacistNotLicensed,
    /// The pharmacist is already bound to this pharmacy.
    #[error("this pharmacist is already bound to your pharmacy")]
    AlreadyBound,
    /// The pharmacist is bound to another pharmacy.
    #[error("this pharmacist is bound to another pharmacy (a pharmacist serves one pharmacy at a time); that pharmacy must unbind them first")]
    BoundElsewhere,
    /// Unbinding a pharmacist not bound to the signer's pharmacy.
    #[error("this pharmacist is not bound to your pharmacy")]
    NotBoundHere,
    /// The prescribing hospital is not a hospital.
    #[error("the prescribing organisation named is not a hospital; name the hospital that issued the prescription")]
    NotAHospital,
    /// Upload by an organisation that is neither the prescribing hospital nor a pharmacy.
    #[error("a prescription is uploaded by the prescribing hospital itself or by the pharmacy it was brought to")]
    NotAllowedToUpload,
    /// An all-zero digest.
    #[error("the digest is all zeros: send the SHA-256 of the document")]
    InvalidDigest,
    /// A prescription with this digest exists.
    #[error("a prescription with this digest was already uploaded")]
    PrescriptionExists,
    /// No lines or too many.
    #[error("a prescription orders 1 to 32 drugs")]
    InvalidLineCount,
    /// The same drug on two lines.
    #[error(
        "a drug appears on two lines of the prescription; give one line with the total quantity"
    )]
    DuplicateDrug,
    /// A line ordering nothing.
    #[error("a prescription line must order at least one minimum pack")]
    ZeroQuantity,
    /// A prescription for a drug not in the registry.
    #[error("the prescription orders a drug that is not in the prescription-drug registry; check the NMPA product code or GTIN")]
    UnknownDrug,
    /// No such prescription.
    #[error("unknown prescription: no prescription with this digest was uploaded")]
    UnknownPrescription,
    /// The prescription was already reviewed.
    #[error("this prescription was already reviewed")]
    AlreadyReviewed,
    /// The reviewing pharmacist is not bound to the signer's pharmacy.
    #[error("the reviewing pharmacist is not bound to your pharmacy; only a resident pharmacist bound to the pharmacy may review")]
    PharmacistNotBound,
    /// Dispensing before review.
    #[error(
        "this prescription has not been reviewed by a pharmacist yet; review it before dispensing"
    )]
    NotReviewed,
    /// Dispensing a rejected prescription.
    #[error("this prescription was rejected at review and may not be dispensed")]
    PrescriptionRejected,
    /// Dispensing at another pharmacy than the reviewing one.
    #[error("this prescription was reviewed at another pharmacy; only that pharmacy dispenses it")]
    ReviewedElsewhere,
    /// No code scanned.
    #[error("scan at least one unit's code")]
    NothingScanned,
    /// A code scanned twice.
    #[error("a code was scanned twice in one sale")]
    DuplicateCode,
    /// A code that was never commissioned.
    #[error("unknown code: it was never commissioned on this chain; scan the unit's 20-digit drug traceability code again")]
    UnknownCode,
    /// A code not in the pharmacy's custody.
    #[error("this unit is not held by your pharmacy (it is another's, in transit or already gone); dispense only units your pharmacy received")]
    NotHeldByPharmacy,
    /// A container or a code without a lot.
    #[error("scan each minimum pack's own code, not a case or pallet code")]
    NotMinimumPack,
    /// A unit of a drug the prescription does not order.
    #[error("this unit's drug is not on the prescription; dispense only what was prescribed")]
    NotInPrescription,
    /// More units than prescribed.
    #[error("more units of this drug than the prescription orders (counting what was already dispensed)")]
    ExceedsPrescribedQuantity,
    /// A compound sale of a unit that is no controlled compound preparation.
    #[error("this unit is not a listed compound preparation with controlled ingredients; sell it as an ordinary sale")]
    NotACompoundPreparation,
    /// A compound sale of a prescription-only drug.
    #[error("this drug is prescription-only: dispense it against a reviewed prescription")]
    PrescriptionRequired,
    /// More packs in one sale than allowed.
    #[error("more minimum packs of compound preparations with controlled ingredients in one sale than allowed (2 by regulation, the policy's per-sale limit; purchase-limit alert); sell fewer")]
    TooManyPacksInSale,
    /// The buyer's rolling limit would be exceeded.
    #[error("this buyer would exceed the rolling limit on compound preparations with controlled ingredients across all pharmacies (the policy's packs per window, 6 in 30 days by default; purchase-limit alert); refuse the sale")]
    PurchaseLimitExceeded,
    /// Anchoring for a lot that does not exist.
    #[error("unknown batch: commission the batch's codes before anchoring its records")]
    UnknownLot,
    /// Anchoring for a lot of another organisation.
    #[error("only the manufacturer that commissioned the batch anchors its production records")]
    NotLotOwner,
    /// Anchoring for a lot that is not a drug.
    #[error("the batch is not a drug batch (product category drug)")]
    NotADrugLot,
    /// The record kind is already anchored for the lot.
    #[error("this production record is already anchored for the batch; black-box records are written once")]
    AlreadyAnchored,
    /// A drug batch shipped without its black box.
    #[error("the drug batch's production black box is incomplete (WMS, SCADA and LIMS record digests must all be anchored) so it may not be released for sale; anchor the missing records first")]
    BatchRecordsMissing,
    /// A restricted drug sold or dispensed by a direct capture.
    #[error("prescription-only drugs and compound preparations with controlled ingredients are dispensed or sold only through the drug pallet (Drug::dispense against a reviewed prescription, Drug::sell_compound with the buyer's id), not by a direct trace capture")]
    DispenseThroughDrugPallet,
    /// Policy parameters that make no sense.
    #[error("invalid drug policy: at least 1 pack per sale and per window, window between 1 ms and 366 days")]
    InvalidPolicy,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the drug pallet; indices are stable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Lists a drug in the registry (an Operator of a regulator).
    #[codec(index = 0)]
    ListDrug {
        /// The product (registered in trace, category drug).
        drug: ProductId,
        /// Prescription only.
        prescription_only: bool,
        /// A compound preparation with controlled ingredients.
        controlled_compound: bool,
    },
    /// Binds a licensed pharmacist to the signer's pharmacy.
    #[codec(index = 1)]
    BindPharmacist {
        /// The pharmacist, pseudonymous.
        pharmacist: PseudonymousId,
        /// Their licence attestation.
        licence: AttestationId,
    },
    /// Unbinds a pharmacist from the signer's pharmacy.
    #[codec(index = 2)]
    UnbindPharmacist {
        /// The pharmacist.
        pharmacist: PseudonymousId,
    },
    /// Uploads a prescription (the prescribing hospital, or a pharmacy).
    #[codec(index = 3)]
    UploadPrescription {
        /// SHA-256 of the prescription document: its id.
        digest: Hash,
        /// The prescribing hospital.
        hospital: OrgId,
        /// The patient, pseudonymous.
        patient: PseudonymousId,
        /// Drugs and quantities.
        drugs: Vec<PrescribedDrug>,
    },
    /// A bound pharmacist's review, recorded by their pharmacy.
    #[codec(index = 4)]
    ReviewPrescription {
        /// The prescription.
        prescription: PrescriptionId,
        /// The reviewing pharmacist.
        pharmacist: PseudonymousId,
        /// Approve or reject.
        approved: bool,
    },
    /// Dispenses units against a reviewed prescription by their scanned codes.
    #[codec(index = 5)]
    Dispense {
        /// The prescription.
        prescription: PrescriptionId,
        /// The units' codes (20-digit NMPA codes or serialised GTINs).
        codes: Vec<TraceCode>,
        /// When, ms UTC, as the pharmacy recorded it.
        time: Moment,
        /// The pharmacy's offset from UTC, minutes.
        time_zone_offset_minutes: i16,
    },
    /// Sells compound-preparation packs to an identified buyer.
    #[codec(index = 6)]
    SellCompound {
        /// The buyer, pseudonymous.
        buyer: PseudonymousId,
        /// The packs' codes.
        codes: Vec<TraceCode>,
        /// When, ms UTC, as the pharmacy recorded it.
        time: Moment,
        /// The pharmacy's offset from UTC, minutes.
        time_zone_offset_minutes: i16,
    },
    /// Anchors a production record digest of a batch (its manufacturer).
    #[codec(index = 7)]
    AnchorBatchRecord {
        /// The batch.
        lot: LotKey,
        /// Which record.
        kind: BatchRecordKind,
        /// SHA-256 of the record export.
        digest: Hash,
    },
    /// Sets the policy (root: regulator governance).
    #[codec(index = 8)]
    SetPolicy {
        /// The new policy.
        policy: DrugPolicy,
    },
}

/// The drug pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::ListDrug {
                drug,
                prescription_only,
                controlled_compound,
            } => Self::list_drug(origin, drug, prescription_only, controlled_compound),
            Call::BindPharmacist {
                pharmacist,
                licence,
            } => Self::bind_pharmacist(origin, pharmacist, licence),
            Call::UnbindPharmacist { pharmacist } => Self::unbind_pharmacist(origin, pharmacist),
            Call::UploadPrescription {
                digest,
                hospital,
                patient,
                drugs,
            } => Self::upload_prescription(origin, digest, hospital, patient, drugs),
            Call::ReviewPrescription {
                prescription,
                pharmacist,
                approved,
            } => Self::review_prescription(origin, prescription, pharmacist, approved),
            Call::Dispense {
                prescription,
                codes,
                time,
                time_zone_offset_minutes,
            } => Self::dispense(origin, prescription, codes, time, time_zone_offset_minutes),
            Call::SellCompound {
                buyer,
                codes,
                time,
                time_zone_offset_minutes,
            } => Self::sell_compound(origin, buyer, codes, time, time_zone_offset_minutes),
            Call::AnchorBatchRecord { lot, kind, digest } => {
                Self::anchor_batch_record(origin, lot, kind, digest)
            }
            Call::SetPolicy { policy } => Self::set_policy(origin, policy),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {}

impl<T: Config> Pallet<T> {
    /// A listed drug.
    pub fn drug(product: &ProductId) -> Option<Drug> {
        use yima_frame::storage::StorageMap;
        Drugs::get(product)
    }

    /// A prescription.
    pub fn prescription(id: &PrescriptionId) -> Option<Prescription> {
        use yima_frame::storage::StorageMap;
        Prescriptions::get(id)
    }

    /// The policy in force.
    pub fn policy() -> DrugPolicy {
        use yima_frame::storage::StorageValue;
        Policy::get().unwrap_or_default()
    }

    pub(crate) fn now() -> Moment {
        yima_system::Pallet::<T>::now()
    }

    pub(crate) fn org_kind(org: OrgId) -> Option<yima_membership::OrgKind> {
        <<T as yima_trace::Config>::Membership as yima_membership::MembershipInspect>::org_kind(org)
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }
}
