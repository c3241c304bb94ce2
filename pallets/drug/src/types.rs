//! What the drug pallet keeps: the registry entry of a drug, a resident pharmacist and the history of their
//! bindings, a prescription and its review, the production black box of a batch, the policy, and a buyer's
//! rolling purchase window (see [`crate::window`]).

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_attestation::{AttestationId, PseudonymousId};
use yima_codes::ProductId;
use yima_frame::{BlockNumber, Hash, Moment, OrgId};

/// Most lines (distinct drugs) on one prescription.
pub const MAX_PRESCRIPTION_LINES: usize = 32;

/// One day, ms.
pub const DAY_MS: Moment = 86_400_000;

/// Longest rolling window the policy may set: a year.
pub const MAX_WINDOW_MS: Moment = 366 * DAY_MS;

/// A drug in the prescription-drug registry (keyed by its NMPA 7-digit product code or GTIN).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Drug {
    /// Prescription only (处方药): dispensed only against a reviewed prescription.
    pub prescription_only: bool,
    /// A compound preparation with controlled ingredients (含特殊药品复方制剂, e.g. ephedrine-type): sold only to an
    /// identified buyer, within the policy's per-sale and rolling limits.
    pub controlled_compound: bool,
    /// The regulator organisation that listed it.
    pub listed_by: OrgId,
}

impl Drug {
    /// Whether a sale or dispensing of it must go through this pallet (prescription or identity and limits).
    pub fn is_restricted(&self) -> bool {
        self.prescription_only || self.controlled_compound
    }
}

/// A resident pharmacist (驻店药师), known only by a pseudonymous id.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Pharmacist {
    /// The pharmacy they are bound to now, if any (1:1).
    pub pharmacy: Option<OrgId>,
    /// The licence (执业药师注册证) cited at the last binding.
    pub licence: AttestationId,
    /// How many bindings they have had: the next binding's number in [`crate::Bindings`].
    pub bindings: u32,
}

/// One binding of a pharmacist to a pharmacy, kept for the history.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Binding {
    /// The pharmacy.
    pub pharmacy: OrgId,
    /// The licence cited.
    pub licence: AttestationId,
    /// Block time of the binding, ms UTC.
    pub bound_at: Moment,
    /// Block of the binding.
    pub bound_block: BlockNumber,
    /// Block time of the unbinding, while it lasts `None`.
    pub unbound_at: Option<Moment>,
}

/// A drug and how many minimum packs of it a prescription orders.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct PrescribedDrug {
    /// The drug (a registry entry).
    pub drug: ProductId,
    /// Minimum packs.
    pub quantity: u32,
}

/// One line of a stored prescription: what was ordered and how much of it was dispensed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct PrescriptionLine {
    /// The drug.
    pub drug: ProductId,
    /// Minimum packs ordered.
    pub quantity: u32,
    /// Minimum packs dispensed so far.
    pub dispensed: u32,
}

/// A pharmacist's review of a prescription (审方).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Review {
    /// The pharmacy the reviewing pharmacist is bound to; only it dispenses the prescription.
    pub pharmacy: OrgId,
    /// The reviewing pharmacist.
    pub pharmacist: PseudonymousId,
    /// Approved (dispensable) or rejected.
    pub approved: bool,
    /// Block of the review.
    pub block: BlockNumber,
}

/// An uploaded prescription, keyed by the digest of the prescription document.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Prescription {
    /// The prescribing hospital.
    pub hospital: OrgId,
    /// The organisation that uploaded it (the hospital, or the pharmacy a patient brought it to).
    pub uploaded_by: OrgId,
    /// The patient, pseudonymous.
    pub patient: PseudonymousId,
    /// What it orders.
    pub lines: Vec<PrescriptionLine>,
    /// Block of the upload.
    pub uploaded_block: BlockNumber,
    /// The review, once done.
    pub review: Option<Review>,
}

impl Prescription {
    /// Whether every line is fully dispensed.
    pub fn is_fully_dispensed(&self) -> bool {
        self.lines.iter().all(|l| l.dispensed >= l.quantity)
    }
}

/// The three production records of the black box (生产黑匣子).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub enum BatchRecordKind {
    /// Warehouse management system (WMS): materials in and out.
    #[codec(index = 0)]
    Wms,
    /// Process control (SCADA): the line's parameters.
    #[codec(index = 1)]
    Scada,
    /// Laboratory information management (LIMS): the quality tests.
    #[codec(index = 2)]
    Lims,
}

impl BatchRecordKind {
    /// All three, in order.
    pub const ALL: [BatchRecordKind; 3] = [
        BatchRecordKind::Wms,
        BatchRecordKind::Scada,
        BatchRecordKind::Lims,
    ];
}

/// One anchored record digest.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Anchor {
    /// SHA-256 of the record export.
    pub digest: Hash,
    /// Block of the anchoring.
    pub block: BlockNumber,
    /// Block time of the anchoring, ms UTC.
    pub time: Moment,
}

/// The black box of one batch: one anchor per record kind, each set once.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen)]
pub struct BatchRecords {
    /// The WMS record.
    pub wms: Option<Anchor>,
    /// The SCADA record.
    pub scada: Option<Anchor>,
    /// The LIMS record.
    pub lims: Option<Anchor>,
}

impl BatchRecords {
    /// The slot of `kind`.
    pub fn slot(&mut self, kind: BatchRecordKind) -> &mut Option<Anchor> {
        match kind {
            BatchRecordKind::Wms => &mut self.wms,
            BatchRecordKind::Scada => &mut self.scada,
            BatchRecordKind::Lims => &mut self.lims,
        }
    }

    /// Whether all three are anchored.
    pub fn is_complete(&self) -> bool {
        self.wms.is_some() && self.scada.is_some() && self.lims.is_some()
    }
}

/// The drug policy: chain parameters, changed only by root (regulator governance through
/// `Action::Dispatch` of [`crate::Call::SetPolicy`]). Until governance sets one, [`DrugPolicy::default`] holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct DrugPolicy {
    /// Most minimum packs of controlled compound preparations in one sale (regulation: 2).
    pub max_packs_per_sale: u32,
    /// Most minimum packs one buyer may buy across all pharmacies within [`Self::window_ms`] (our policy: 6).
    pub window_packs: u32,
    /// The rolling window, ms (our policy: 30 days).
    pub window_ms: Moment,
    /// Whether a drug batch may be shipped only once its black box holds all three records.
    pub require_batch_records: bool,
}

impl Default for DrugPolicy {
    fn default() -> Self {
        Self {
            max_packs_per_sale: 2,
            window_packs: 6,
            window_ms: 30 * DAY_MS,
            require_batch_records: true,
        }
    }
}

impl DrugPolicy {
    /// Whether the parameters make sense: at least one pack per sale and per window, and a window of at least a
    /// millisecond and at most [`MAX_WINDOW_MS`].
    pub fn is_valid(&self) -> bool {
        self.max_packs_per_sale >= 1
            && self.window_packs >= 1
            && (1..=MAX_WINDOW_MS).contains(&self.window_ms)
    }
}

/// What a prescription dispensing or a compound-preparation sale recorded, as announced.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Sale {
    /// The pharmacy.
    pub pharmacy: OrgId,
    /// The units, by the codes scanned.
    pub codes: Vec<yima_codes::TraceCode>,
    /// Minimum packs of controlled compound preparations among them.
    pub compound_packs: u32,
    /// Block time, ms UTC.
    pub time: Moment,
}

/// A prescription's id: the SHA-256 of the prescription document (the document itself stays off chain).
pub type PrescriptionId = Hash;
