//! `records_*`: read-back of what the domain calls wrote — a vaccination record card, a buyer's purchase window,
//! a prescription, a pharmacist's bindings, a batch's black box, a customs entry, the attestations about a
//! subject, an organisation. Each answer is a [`Proven`] value: the JSON, and the state reads it was computed
//! from ([`crate::reads`]), so a client recomputes it from proven values ([`crate::readback`]).
//!
//! ## Who may read personal records
//!
//! A record about a person ([`PersonalRecord`]) is answered only with a [`ReadGrant`] signed by an active
//! account of an active member organisation of a kind that needs it ([`PersonalRecord::readers`]); the node
//! logs every such read (account, organisation, method). The rest is open to every caller, as the scan pages
//! are.

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};
use yima_frame::{AccountId, BlockNumber, Hash, Moment, OrgId};
use yima_membership::OrgKind;

use crate::grant::ReadGrant;
use crate::reads::StateReads;

/// A read-back answer: the value, and the state reads it rests on.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Proven<T> {
    /// The answer.
    pub value: T,
    /// Every state key it was computed from, with proofs, at one height.
    pub proof: StateReads,
}

/// A record about a person, read only with a [`ReadGrant`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonalRecord {
    /// A recipient's vaccination record card.
    RecordCard,
    /// A buyer's purchases of controlled compound preparations.
    PurchaseWindow,
    /// A prescription (it names its patient).
    Prescription,
    /// The attestations about a person.
    PersonAttestations,
}

impl PersonalRecord {
    /// The method that reads it.
    pub fn method(self) -> &'static str {
        match self {
            PersonalRecord::RecordCard => "records_recordCard",
            PersonalRecord::PurchaseWindow => "records_purchaseWindow",
            PersonalRecord::Prescription => "records_prescription",
            PersonalRecord::PersonAttestations => "records_attestations",
        }
    }

    /// The organisation kinds whose members may read it: those whose work needs it, and the regulator.
    pub fn readers(self) -> &'static [OrgKind] {
        match self {
            // The site checks the schedule before a dose, the CDC follows coverage.
            PersonalRecord::RecordCard => {
                &[OrgKind::Regulator, OrgKind::Cdc, OrgKind::VaccinationSite]
            }
            // A pharmacy checks the buyer's window before it sells.
            PersonalRecord::PurchaseWindow => &[OrgKind::Regulator, OrgKind::Pharmacy],
            // The hospital wrote it, the pharmacy reviews and dispenses it.
            PersonalRecord::Prescription => {
                &[OrgKind::Regulator, OrgKind::Hospital, OrgKind::Pharmacy]
            }
            // A pharmacist's licence, a food handler's health certificate: those who employ or check them.
            PersonalRecord::PersonAttestations => &[
                OrgKind::Regulator,
                OrgKind::Pharmacy,
                OrgKind::Hospital,
                OrgKind::Cdc,
                OrgKind::VaccinationSite,
                OrgKind::Caterer,
                OrgKind::InspectionBody,
                OrgKind::CertificationBody,
            ],
        }
    }
}

/// A lot: its product (GTIN-14 or NMPA product code) and lot number.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LotJson {
    /// GTIN-14 or the 7-digit NMPA product code.
    pub product: String,
    /// The lot number (GS1 AI 10).
    pub lot: String,
}

/// One dose on a record card: the 7-in-one record.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DoseJson {
    /// The dose's trace code.
    pub code: String,
    /// Its lot (the vaccine batch).
    pub lot: LotJson,
    /// The CDC that supplied it.
    pub cdc: OrgId,
    /// The site that administered it.
    pub site: OrgId,
    /// The equipment (fridge, injector) id.
    pub equipment: String,
    /// The vaccinator's pseudonymous id.
    pub vaccinator: Hash,
    /// When, ms UTC.
    pub time: Moment,
    /// The block that recorded it.
    pub block: BlockNumber,
}

/// A recipient's record card, in administration order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RecordCardJson {
    /// The recipient's pseudonymous id.
    pub recipient: Hash,
    /// The doses.
    pub doses: Vec<DoseJson>,
}

/// One purchase in a buyer's window.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PurchaseJson {
    /// Block time, ms UTC.
    pub at: Moment,
    /// Packs of controlled compound preparations.
    pub packs: u32,
}

/// A buyer's purchase window at the block read.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseWindowJson {
    /// The buyer's pseudonymous id.
    pub buyer: Hash,
    /// The block time the window is judged at.
    pub now: Moment,
    /// The purchases on record, oldest first.
    pub purchases: Vec<PurchaseJson>,
    /// Packs bought within the window before `now`.
    pub packs_in_window: u32,
    /// The policy's packs per window.
    pub window_packs: u32,
    /// The policy's window, ms.
    pub window_ms: Moment,
    /// Packs the buyer may still buy now (`window_packs − packs_in_window`, at least 0).
    pub remaining: u32,
}

/// One line of a prescription.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PrescriptionLineJson {
    /// The drug's product id.
    pub drug: String,
    /// Packs prescribed.
    pub quantity: u32,
    /// Packs dispensed so far.
    pub dispensed: u32,
}

/// A pharmacist's review of a prescription.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReviewJson {
    /// The pharmacy.
    pub pharmacy: OrgId,
    /// The reviewing pharmacist's pseudonymous id.
    pub pharmacist: Hash,
    /// Whether it was approved.
    pub approved: bool,
    /// The block of the review.
    pub block: BlockNumber,
}

/// A prescription and its state.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PrescriptionJson {
    /// Its id (the SHA-256 of the document).
    pub id: Hash,
    /// The prescribing hospital.
    pub hospital: OrgId,
    /// Who uploaded it (the hospital or a prescription platform).
    pub uploaded_by: OrgId,
    /// The patient's pseudonymous id.
    pub patient: Hash,
    /// The lines.
    pub lines: Vec<PrescriptionLineJson>,
    /// The block of the upload.
    pub uploaded_block: BlockNumber,
    /// The review, once there is one.
    pub review: Option<ReviewJson>,
    /// `uploaded`, `rejected`, `approved`, `partly_dispensed` or `dispensed`.
    pub state: String,
}

/// One of a pharmacist's bindings to a pharmacy.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BindingJson {
    /// The pharmacy.
    pub pharmacy: OrgId,
    /// The licence attestation it was bound under.
    pub licence: Hash,
    /// When, ms UTC.
    pub bound_at: Moment,
    /// The block.
    pub bound_block: BlockNumber,
    /// When it was unbound, if it was.
    pub unbound_at: Option<Moment>,
}

/// A licensed pharmacist and every binding they had, oldest first.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PharmacistJson {
    /// The pharmacist's pseudonymous id.
    pub pharmacist: Hash,
    /// The pharmacy they are bound to now.
    pub pharmacy: Option<OrgId>,
    /// Their licence attestation.
    pub licence: Hash,
    /// Their bindings.
    pub bindings: Vec<BindingJson>,
}

/// A digest anchored in a batch's black box.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AnchorJson {
    /// The record's SHA-256.
    pub digest: Hash,
    /// The block it was anchored in.
    pub block: BlockNumber,
    /// That block's time.
    pub time: Moment,
}

/// A drug batch's black box: its WMS, SCADA and LIMS records, each anchored once.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlackBoxJson {
    /// The lot.
    pub lot: LotJson,
    /// Warehouse records.
    pub wms: Option<AnchorJson>,
    /// Production process records.
    pub scada: Option<AnchorJson>,
    /// Laboratory records.
    pub lims: Option<AnchorJson>,
    /// Whether the chain's policy requires all three before the batch leaves its manufacturer.
    pub required: bool,
    /// Whether all three are there.
    pub complete: bool,
}

/// Customs' clearance of an entry.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ClearanceJson {
    /// The customs organisation.
    pub customs: OrgId,
    /// The quarantine certificate attestation.
    pub certificate: Hash,
    /// The block.
    pub at: BlockNumber,
}

/// An import declaration of a cold-chain lot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EntryJson {
    /// The importer.
    pub importer: OrgId,
    /// The 18-digit customs declaration number.
    pub declaration: String,
    /// The country of origin (ISO 3166-1 alpha-2).
    pub origin: String,
    /// The port of entry (UN/LOCODE).
    pub port: String,
    /// The consignment's code.
    pub consignment: String,
    /// The quantity declared.
    pub quantity: u64,
    /// Its unit (UN/ECE rec 20), if any.
    pub uom: Option<String>,
    /// The block of the declaration.
    pub declared_at: BlockNumber,
    /// Customs' clearance, once given.
    pub clearance: Option<ClearanceJson>,
    /// Cold-chain codes issued for it so far.
    pub codes_issued: u32,
}

/// A positive nucleic-acid test of a lot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PositiveJson {
    /// Who reported it.
    pub by: OrgId,
    /// The report's digest.
    pub report: Hash,
    /// The block.
    pub at: BlockNumber,
    /// Whether the lot's codes were recalled by it.
    pub recalled: bool,
}

/// A regulator's release of a lot after a positive.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseJson {
    /// The regulator.
    pub by: OrgId,
    /// The positive it answers.
    pub positive: Hash,
    /// The negative retest.
    pub retest: Hash,
    /// The decision document.
    pub decision: Hash,
    /// Whether the recall was lifted.
    pub recall_lifted: bool,
    /// The block.
    pub at: BlockNumber,
}

/// A lot's disposal.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DisposalJson {
    /// Who disposed of it.
    pub by: OrgId,
    /// The disposal attestation.
    pub disposal: Hash,
    /// The block.
    pub at: BlockNumber,
}

/// An imported cold-chain lot's customs record: entry, clearance, tests, release, disposal.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CustomsEntryJson {
    /// The lot.
    pub lot: LotJson,
    /// Why the four no's apply: `imported`, `derived` (from `derivedFrom`), or `null` when they do not.
    pub cold_lot: Option<String>,
    /// The imported lots a derived lot was made from.
    pub derived_from: Vec<LotJson>,
    /// The declaration, for an imported lot.
    pub entry: Option<EntryJson>,
    /// A positive test.
    pub positive: Option<PositiveJson>,
    /// The release after it.
    pub release: Option<ReleaseJson>,
    /// The disposal.
    pub disposal: Option<DisposalJson>,
}

/// A revocation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RevocationJson {
    /// The revoking organisation.
    pub by: OrgId,
    /// The notice's digest.
    pub reason: Hash,
    /// The block.
    pub at: BlockNumber,
    /// That block's time.
    pub time: Moment,
}

/// An attestation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AttestationJson {
    /// Its id.
    pub id: Hash,
    /// Its schema.
    pub schema: u32,
    /// The issuing organisation.
    pub issuer_org: OrgId,
    /// The issuing account.
    pub issuer: AccountId,
    /// The subject, `KIND:VALUE` ([`crate::params::subject_text`]).
    pub subject: String,
    /// The document's SHA-256.
    pub digest: Hash,
    /// Where the document is.
    pub uri: Option<String>,
    /// Valid from, ms UTC.
    pub valid_from: Moment,
    /// Valid until, ms UTC.
    pub valid_until: Option<Moment>,
    /// The block it was issued in.
    pub issued_at: BlockNumber,
    /// Its revocation.
    pub revoked: Option<RevocationJson>,
    /// Whether it holds at the time of the block read (not revoked, inside its window).
    pub valid: bool,
}

/// Every attestation ever issued about a subject, in issuing order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SubjectAttestationsJson {
    /// The subject, `KIND:VALUE`.
    pub subject: String,
    /// The block time validity is judged at.
    pub now: Moment,
    /// The attestations.
    pub attestations: Vec<AttestationJson>,
}

/// One of a unit's records (an attestation the equipment register follows).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UnitRecordJson {
    /// The attestation.
    pub attestation: Hash,
    /// Its issuing organisation.
    pub by: OrgId,
    /// When the work was done or the cover starts, ms.
    pub at: Moment,
    /// Until when it holds, ms.
    pub until: Option<Moment>,
}

/// A registered unit of special equipment, as the register holds it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EquipmentJson {
    /// Its registration number (使用登记证编号).
    pub number: String,
    /// What it is: `elevator`, `boiler`, … .
    pub kind: String,
    /// The owner's GIAI on its label.
    pub giai: Option<String>,
    /// The 6-digit area code where it stands.
    pub area: u32,
    /// Where it stands.
    pub address: String,
    /// The user organisation (使用单位).
    pub user: OrgId,
    /// The maintenance firm.
    pub maintainer: Option<OrgId>,
    /// The rescue contact.
    pub rescue: String,
    /// When it was registered, ms.
    pub registered_at: Moment,
    /// The regulator that registered it.
    pub registered_by: OrgId,
    /// `in_service` or `stopped`.
    pub status: String,
    /// The last maintenance.
    pub maintenance: Option<UnitRecordJson>,
    /// The last inspection.
    pub inspection: Option<UnitRecordJson>,
    /// The insurance on record.
    pub insurance: Option<UnitRecordJson>,
    /// Accidents the regulator recorded.
    pub accidents: u32,
    /// When its next maintenance is due (elevators), ms.
    pub maintenance_due: Option<Moment>,
    /// When its inspection expires, ms.
    pub inspection_due: Moment,
    /// Open lapses: `maintenance_overdue`, `inspection_expired`.
    pub lapses: Vec<String>,
}

/// A member organisation, its company prefixes and what is attested about it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationJson {
    /// Its id on the chain.
    pub id: OrgId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrgKind,
    /// Its USCC.
    pub uscc: String,
    /// `active`, or `suspended`.
    pub status: String,
    /// The regulator organisation that suspended it.
    pub suspended_by: Option<OrgId>,
    /// The block it was admitted in.
    pub admitted_at: BlockNumber,
    /// Its GS1 company prefixes.
    pub prefixes: Vec<String>,
    /// The attestations about it (licences, certifications, decisions).
    pub attestations: Vec<AttestationJson>,
}

/// Read-back of the domain records, each with its state proof.
#[rpc(server, client)]
pub trait RecordsApi {
    /// A recipient's vaccination record card (personal: needs a grant).
    #[method(name = "records_recordCard", blocking)]
    fn record_card(
        &self,
        recipient: String,
        grant: ReadGrant,
    ) -> Result<Proven<RecordCardJson>, ErrorObjectOwned>;

    /// A buyer's purchase window (personal: needs a grant).
    #[method(name = "records_purchaseWindow", blocking)]
    fn purchase_window(
        &self,
        buyer: String,
        grant: ReadGrant,
    ) -> Result<Proven<PurchaseWindowJson>, ErrorObjectOwned>;

    /// A prescription (personal: needs a grant); `null` when there is none with that id.
    #[method(name = "records_prescription", blocking)]
    fn prescription(
        &self,
        id: String,
        grant: ReadGrant,
    ) -> Result<Proven<Option<PrescriptionJson>>, ErrorObjectOwned>;

    /// A pharmacist's licence and bindings; `null` when never bound.
    #[method(name = "records_pharmacist", blocking)]
    fn pharmacist(
        &self,
        pharmacist: String,
    ) -> Result<Proven<Option<PharmacistJson>>, ErrorObjectOwned>;

    /// A drug batch's black box (`{product}/{lot}`).
    #[method(name = "records_blackBox", blocking)]
    fn black_box(&self, lot: String) -> Result<Proven<BlackBoxJson>, ErrorObjectOwned>;

    /// A cold-chain lot's customs record (`{product}/{lot}`).
    #[method(name = "records_customsEntry", blocking)]
    fn customs_entry(&self, lot: String) -> Result<Proven<CustomsEntryJson>, ErrorObjectOwned>;

    /// The attestations about a subject (`KIND:VALUE`); a `person:` subject needs a grant.
    #[method(name = "records_attestations", blocking)]
    fn attestations(
        &self,
        subject: String,
        grant: Option<ReadGrant>,
    ) -> Result<Proven<SubjectAttestationsJson>, ErrorObjectOwned>;

    /// A registered unit of special equipment by registration number or GIAI (any scanned form); `null` when
    /// none is registered under it.
    #[method(name = "records_equipment", blocking)]
    fn equipment(&self, code: String) -> Result<Proven<Option<EquipmentJson>>, ErrorObjectOwned>;

    /// A member organisation by USCC; `null` when none has it.
    #[method(name = "records_organisation", blocking)]
    fn organisation(
        &self,
        uscc: String,
    ) -> Result<Proven<Option<OrganisationJson>>, ErrorObjectOwned>;
}

/// Which personal record a raw storage key belongs to, if any: `state_get` refuses these keys, so a grant
/// cannot be side-stepped by reading the key itself.
pub fn personal_key(key: &[u8]) -> Option<PersonalRecord> {
    use yima_frame::storage::{StorageDoubleMap, StorageMap};
    let under = |prefix: &[u8]| key.starts_with(prefix);
    if under(yima_vaccine::RecordCard::PREFIX)
        || under(yima_vaccine::Doses::PREFIX)
        || under(yima_vaccine::DoseAt::PREFIX)
    {
        return Some(PersonalRecord::RecordCard);
    }
    if under(yima_drug::Windows::PREFIX) {
        return Some(PersonalRecord::PurchaseWindow);
    }
    if under(yima_drug::Prescriptions::PREFIX) {
        return Some(PersonalRecord::Prescription);
    }
    // A person subject's index entries: the prefix, then the subject's SCALE, whose first byte is its kind.
    let person = yima_attestation::types::SubjectKind::Person as u8;
    for prefix in [
        yima_attestation::BySubject::PREFIX,
        yima_attestation::SubjectCount::PREFIX,
        yima_attestation::SubjectAt::PREFIX,
    ] {
        if key.len() > prefix.len() && under(prefix) && key[prefix.len()] == person {
            return Some(PersonalRecord::PersonAttestations);
        }
    }
    None
}
