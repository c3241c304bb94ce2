//! # Cold-chain pallet — imported cold-chain food (浙冷链)
//!
//! The path of an imported lot (DOMAIN.md §4): customs entry → customs clearance → supervised first-stop
//! warehouse → distribution → retail, with the "four no's" (四个不): no shipment to retail and no sale without
//! (1) an inspection/quarantine certificate, (2) a nucleic-acid report, (3) a disinfection certificate and
//! (4) the cold-chain trace code with its customs clearance record.
//!
//! - **Entry** ([`entry`]): an importer declares a lot of its cold-chain product (declaration number, ISO 3166
//!   origin, UN/LOCODE port, quantity); the consignment code is commissioned in the lot at the port.
//! - **Clearance** ([`entry`]): a customs account clears the entry citing the lot's inspection/quarantine
//!   certificate, recorded as an inspection of the consignment.
//! - **Certificates**: the nucleic-acid report and the disinfection certificate are ordinary attestations on the
//!   lot (`yima_attestation::schemas`), issued by whoever the schema allows.
//! - **Trace codes** ([`issuance`]): the supervised warehouse issues [`yima_codes::ColdChainCode`]s into the lot
//!   citing the disinfection certificate; the first issuance turns the consignment into the codes (an EPCIS
//!   transformation), so a code's trace leads back to the port.
//! - **Carrier hops** ([`carrier`]): vehicle plate, GPS-track digest and temperature summary, recorded as a
//!   business transaction plus a shipment with its sensor report, so the trace core's excursion alerts fire.
//! - **The gate** ([`gate`]): `impl CaptureGate` — every custody event, whoever records it, passes the four
//!   no's before it may go to a retailer or caterer or be sold; lots made from imported lots inherit them.
//! - **一键排查** ([`positive`]): a positive test on a lot holds it (no movement but receipt, storage,
//!   inspection and destruction), recalls it in the trace core when a regulator reports it, and raises
//!   [`Event::PositiveTest`]; the runtime's recall query then finds every downstream holder.
//!
//! - **Decisions** ([`decision`]): a lab or regulator reports a negative retest ([`Event::NegativeTest`]); a
//!   positive lot's hold ends only by a regulator's decision (闭环) — **released**, citing a negative retest
//!   reported after the positive one and a decision document ([`Event::HoldReleased`]), or **disposed**, citing
//!   an `UNQUALIFIED_PRODUCT_DISPOSAL` attestation on the lot ([`Event::LotDisposed`]): the trace core then
//!   counts every code of the lot destroyed.
//!
//! Every hop goes through `yima_trace::Pallet::record`, so it passes the same custody rules and gates as a
//! direct capture and lands in the trace history as `Trace::Captured`. Every call checks before its first
//! write; a refused trace record undoes the whole call.

pub mod carrier;
pub mod decision;
pub mod entry;
pub mod gate;
pub mod issuance;
pub mod positive;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_attestation::{AttestationId, AttestationInspect};
use yima_codes::{ColdChainCode, TraceCode};
use yima_frame::{storage, DispatchResult, Hash, Hooks, Moment, OrgId, Origin};
use yima_membership::{MembershipInspect, OrgKind};
use yima_trace::types::LotKey;

pub use types::{
    is_valid_plate, Clearance, ColdLot, CountryCode, DeclarationNumber, Disposal, Entry,
    EntryDeclaration, NegativeReport, PortCode, PositiveReport, Release, TemperatureSummary,
};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "ColdChain";

/// Most cold-chain codes one issuance may create.
pub const MAX_CODES_PER_ISSUE: u32 = 5_000;

/// China Standard Time, minutes east of UTC: the zone of the events this pallet records (at block time).
pub const CST_MINUTES: i16 = 480;

/// What the runtime supplies to the cold-chain pallet.
pub trait Config: yima_trace::Config + yima_system::Config<RuntimeEvent: From<Event>> {
    /// Whether the lot holds its certificates.
    type Attestations: AttestationInspect;
}

storage! {
    pallet "ColdChain";
    /// The customs entry of every declared lot.
    pub Entries: map LotKey => Entry;
    /// Lots the four no's apply to: imported, or made from imported lots.
    pub ColdLots: map LotKey => ColdLot;
    /// Positive tests, by lot: the open hold of each (removed by a regulator's release).
    pub Positives: map LotKey => PositiveReport;
    /// Negative tests, by lot and report digest.
    pub Negatives: double_map LotKey, Hash => NegativeReport;
    /// The latest release of each lot's hold by a regulator.
    pub Releases: map LotKey => Release;
    /// Lots a regulator disposed of.
    pub Disposals: map LotKey => Disposal;
    /// The next cold-chain serial of each supervised warehouse (from 1).
    pub NextSerial: map OrgId => u64;
}

/// Events of the cold-chain pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// An importer declared a lot at customs.
    #[codec(index = 0)]
    EntryDeclared {
        /// The lot.
        lot: LotKey,
        /// The importer.
        importer: OrgId,
        /// The declaration number.
        declaration: DeclarationNumber,
        /// Country of origin.
        origin: CountryCode,
        /// Port of entry.
        port: PortCode,
        /// The consignment code.
        consignment: TraceCode,
        /// Declared quantity.
        quantity: u64,
    },
    /// Customs cleared a lot.
    #[codec(index = 1)]
    Cleared {
        /// The lot.
        lot: LotKey,
        /// The customs organisation.
        customs: OrgId,
        /// The inspection/quarantine certificate cited.
        certificate: AttestationId,
    },
    /// The supervised warehouse issued cold-chain codes `first ..` (`count` consecutive serials).
    #[codec(index = 2)]
    CodesIssued {
        /// The lot.
        lot: LotKey,
        /// The warehouse.
        warehouse: OrgId,
        /// The first code.
        first: ColdChainCode,
        /// How many.
        count: u32,
        /// The disinfection certificate cited.
        disinfection: AttestationId,
    },
    /// A carrier handed codes over at the end of its leg.
    #[codec(index = 3)]
    CarrierHop {
        /// The carrier.
        carrier: OrgId,
        /// The consignee.
        to: OrgId,
        /// The codes.
        codes: Vec<TraceCode>,
        /// The vehicle plate.
        vehicle: Vec<u8>,
        /// SHA-256 of the GPS track.
        gps_track: Hash,
        /// Temperature over the leg.
        temperature: TemperatureSummary,
    },
    /// A lot tested positive (一键排查): an alert. It is held, and recalled when `recalled`.
    #[codec(index = 4)]
    PositiveTest {
        /// The lot.
        lot: LotKey,
        /// Who reported it.
        by: OrgId,
        /// SHA-256 of the test report.
        report: Hash,
        /// Whether the lot stands recalled in the trace core (a regulator's report recalls it).
        recalled: bool,
    },
    /// A transformation made lot `lot` from imported lots: it inherits their four no's.
    #[codec(index = 5)]
    LotDerived {
        /// The new lot.
        lot: LotKey,
        /// The imported lots it is made from, sorted.
        sources: Vec<LotKey>,
    },
    /// A lot tested negative; `retests` names the positive report of the hold it answers, if the lot was held
    /// by its own positive test.
    #[codec(index = 6)]
    NegativeTest {
        /// The lot.
        lot: LotKey,
        /// Who reported it.
        by: OrgId,
        /// SHA-256 of the test report.
        report: Hash,
        /// The positive report it retests.
        retests: Option<Hash>,
    },
    /// A regulator released a positive lot's hold, citing a negative retest (闭环): its goods, and those of lots
    /// made from it that nothing else holds, may move again.
    #[codec(index = 7)]
    HoldReleased {
        /// The lot.
        lot: LotKey,
        /// The regulator.
        by: OrgId,
        /// The positive report the hold came from.
        positive: Hash,
        /// The negative retest cited.
        retest: Hash,
        /// SHA-256 of the decision document.
        decision: Hash,
        /// Whether the lot's recall in the trace core (made by the positive report) ended too.
        recall_lifted: bool,
    },
    /// A regulator disposed of a held lot (不合格产品后处理, 闭环): every code of it counts as destroyed.
    #[codec(index = 8)]
    LotDisposed {
        /// The lot.
        lot: LotKey,
        /// The regulator.
        by: OrgId,
        /// The `UNQUALIFIED_PRODUCT_DISPOSAL` attestation cited.
        disposal: AttestationId,
    },
}

/// Why a cold-chain call or a custody event was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// Only importers declare entries.
    #[error(
        "only an importer declares a customs entry; ask the importing organisation to declare it"
    )]
    NotImporter,
    /// The product is not imported cold-chain food.
    #[error("the product is not registered as imported cold-chain food (category cold_chain_food); register it so, under your importer organisation, first")]
    NotColdChainProduct,
    /// The importer does not own the product.
    #[error("your organisation does not own this product; the importer that registered it declares its lots")]
    NotProductOwner,
    /// Not 18 digits.
    #[error(
        "a customs declaration number is 18 digits (报关单号); copy it from the declaration form"
    )]
    InvalidDeclarationNumber,
    /// Not an assigned ISO 3166-1 alpha-2 code.
    #[error("the origin must be an officially assigned ISO 3166-1 alpha-2 country code in upper case, e.g. NZ, BR, NO")]
    InvalidCountry,
    /// Not a UN/LOCODE.
    #[error("the port must be a UN/LOCODE: an assigned country code and three characters A-Z or 2-9, e.g. CNNGB")]
    InvalidPort,
    /// Unit of measure not three upper-case letters or digits.
    #[error("the unit of measure must be a UN/CEFACT code of three upper-case letters or digits, e.g. KGM")]
    InvalidUnit,
    /// Zero quantity.
    #[error("the declared quantity must be above zero")]
    ZeroQuantity,
    /// All-zero document digest.
    #[error("the document digest is all zeros; pass the SHA-256 of the document")]
    InvalidDigest,
    /// The lot already has an entry.
    #[error(
        "this lot already has a customs entry; declare a new lot number for another consignment"
    )]
    AlreadyDeclared,
    /// Clearance by a non-customs account.
    #[error("only customs clears an entry; a customs officer's account (Inspector) must sign the clearance")]
    NotCustoms,
    /// No entry for the lot.
    #[error("this lot has no customs entry; the importer must declare it first")]
    NotDeclared,
    /// Already cleared.
    #[error("this lot is already cleared by customs; there is nothing to do")]
    AlreadyCleared,
    /// Issuance by something other than a supervised warehouse.
    #[error("only a supervised first-stop warehouse (监管仓) issues cold-chain trace codes")]
    NotSupervisedWarehouse,
    /// Issuance before clearance.
    #[error(
        "customs has not cleared this lot yet; cold-chain codes are issued only after clearance"
    )]
    NotCleared,
    /// Zero codes or too many.
    #[error("issue between 1 and 5000 cold-chain codes per call; split a larger lot")]
    InvalidCount,
    /// The warehouse's organisation id does not fit the code's 6-digit issuer field.
    #[error("your organisation id does not fit the 6-digit issuer field of a cold-chain code; ask the regulator for a registration below 1000000")]
    IssuerNumberTooLarge,
    /// The warehouse's 10-digit serials are used up.
    #[error(
        "your warehouse has issued every 10-digit serial; a new issuer registration is needed"
    )]
    SerialsExhausted,
    /// A hop by something other than a carrier.
    #[error(
        "only a logistics carrier records a carrier hop; others capture their shipments directly"
    )]
    NotCarrier,
    /// A hop without codes.
    #[error("a carrier hop names at least one code")]
    NoCodes,
    /// Not a vehicle plate.
    #[error(
        "the vehicle plate must be a Chinese plate without separators, e.g. 浙A12345 or 浙AD12345"
    )]
    InvalidVehiclePlate,
    /// A positive test by someone who does not test.
    #[error("only an inspection body (Inspector) or a regulator (Operator or Governance) reports a positive test")]
    NotTester,
    /// The lot is not known to the trace core.
    #[error("unknown lot: no code was ever commissioned in it on this chain")]
    UnknownLot,
    /// The lot is not cold-chain food.
    #[error("this lot is not imported cold-chain food nor made from it; report the result as an attestation instead")]
    NotColdChainLot,
    /// Already reported.
    #[error("a positive test is already reported on this lot; it is held")]
    AlreadyReported,
    /// Four no's (1).
    #[error("四个不: the lot has no valid inspection/quarantine certificate (检验检疫证明) now — never issued, revoked or expired; it may not go to retail or be sold until customs attests one")]
    MissingQuarantineCertificate,
    /// Four no's (2).
    #[error("四个不: the lot has no valid nucleic-acid report (核酸检测报告) now — never issued, revoked or expired; it may not go to retail or be sold until a lab attests one")]
    MissingNucleicAcidReport,
    /// Four no's (3).
    #[error("四个不: the lot has no valid disinfection certificate (消毒证明) now — never issued, revoked or expired; it may not go to retail or be sold until one is attested")]
    MissingDisinfectionCertificate,
    /// Four no's (4): no customs entry or no clearance.
    #[error("四个不: the lot has no customs clearance record; it may not go to retail or be sold until the importer declares it and customs clears it")]
    MissingCustomsClearance,
    /// Four no's (4): no cold-chain code issued.
    #[error("四个不: the lot has no cold-chain trace code (冷链食品追溯码); the supervised warehouse must issue its codes before it goes to retail")]
    MissingTraceCode,
    /// The lot tested positive.
    #[error("a positive test was reported on this lot: it is held and may only be received, stored, inspected or destroyed; contact the regulator")]
    LotOnHold,
    /// The test report digest is already recorded on the lot.
    #[error("this test report is already recorded on this lot; a new test has a new report")]
    ReportReused,
    /// A hold decision by someone who is not a regulator.
    #[error("only a regulator (Operator or Governance account of a regulator organisation) releases or disposes of a held lot")]
    NotRegulator,
    /// The lot is not held.
    #[error("this lot is not held (no positive test stands on it nor on an imported lot it was made from): there is nothing to release or dispose of")]
    NotHeld,
    /// The lot is held only through an imported lot it was made from.
    #[error("this lot is held because an imported lot it was made from tested positive: release or dispose of that lot, or dispose of this one")]
    HeldBySource,
    /// The lot was already disposed of.
    #[error("this lot was disposed of: its codes count as destroyed, and the decision is final")]
    LotDisposed,
    /// The cited retest is not a negative test recorded on the lot.
    #[error("the cited retest is not a negative test reported on this lot; an inspection body or regulator must report it (ReportNegative) first")]
    RetestNotRecorded,
    /// The cited retest was reported before the positive test.
    #[error("the cited negative test was reported before the lot's positive test; cite a negative retest reported after it")]
    RetestBeforeHold,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the cold-chain pallet; indices are stable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Declares an imported lot at customs (an importer's Operator).
    #[codec(index = 0)]
    DeclareEntry {
        /// The declaration.
        entry: EntryDeclaration,
    },
    /// Clears an entry (a customs Inspector), citing the lot's inspection/quarantine certificate.
    #[codec(index = 1)]
    Clear {
        /// The lot.
        lot: LotKey,
        /// The inspection/quarantine certificate.
        certificate: AttestationId,
    },
    /// Issues cold-chain codes into a cleared lot (a supervised warehouse's Operator), citing its disinfection
    /// certificate.
    #[codec(index = 2)]
    IssueCodes {
        /// The lot.
        lot: LotKey,
        /// How many codes.
        count: u32,
        /// The disinfection certificate.
        disinfection: AttestationId,
    },
    /// Hands codes over at the end of a carrier's leg (a carrier's Operator, the custodian).
    #[codec(index = 3)]
    CarrierHop {
        /// The codes (top level: a pallet moves its contents).
        codes: Vec<TraceCode>,
        /// The consignee.
        to: OrgId,
        /// The vehicle plate, UTF-8.
        vehicle: Vec<u8>,
        /// SHA-256 of the GPS track of the leg.
        gps_track: Hash,
        /// Temperature over the leg.
        temperature: TemperatureSummary,
    },
    /// Reports a positive test on a lot (an inspection body's Inspector or a regulator).
    #[codec(index = 4)]
    ReportPositive {
        /// The lot.
        lot: LotKey,
        /// SHA-256 of the test report.
        report: Hash,
    },
    /// Reports a negative test on a lot (an inspection body's Inspector or a regulator): while the lot is held
    /// by its own positive test, a retest a release may cite.
    #[codec(index = 5)]
    ReportNegative {
        /// The lot.
        lot: LotKey,
        /// SHA-256 of the test report.
        report: Hash,
    },
    /// Releases a positive lot's hold (a regulator's Operator or Governance account), citing a negative retest
    /// reported after the positive test, and the decision document.
    #[codec(index = 6)]
    ReleaseHold {
        /// The held lot.
        lot: LotKey,
        /// The negative retest's report digest.
        retest: Hash,
        /// SHA-256 of the regulator's decision document.
        decision: Hash,
    },
    /// Disposes of a held lot (a regulator's Operator or Governance account), citing a valid
    /// `UNQUALIFIED_PRODUCT_DISPOSAL` attestation on it: its codes count as destroyed.
    #[codec(index = 7)]
    DisposeLot {
        /// The held lot.
        lot: LotKey,
        /// The disposal attestation.
        disposal: AttestationId,
    },
}

/// The cold-chain pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::DeclareEntry { entry } => Self::declare_entry(origin, entry),
            Call::Clear { lot, certificate } => Self::clear(origin, lot, certificate),
            Call::IssueCodes {
                lot,
                count,
                disinfection,
            } => Self::issue_codes(origin, lot, count, disinfection),
            Call::CarrierHop {
                codes,
                to,
                vehicle,
                gps_track,
                temperature,
            } => Self::carrier_hop(origin, codes, to, vehicle, gps_track, temperature),
            Call::ReportPositive { lot, report } => Self::report_positive(origin, lot, report),
            Call::ReportNegative { lot, report } => Self::report_negative(origin, lot, report),
            Call::ReleaseHold {
                lot,
                retest,
                decision,
            } => Self::release_hold(origin, lot, retest, decision),
            Call::DisposeLot { lot, disposal } => Self::dispose_lot(origin, lot, disposal),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {}

impl<T: Config> Pallet<T> {
    /// The customs entry of `lot`.
    pub fn entry(lot: &LotKey) -> Option<Entry> {
        use yima_frame::storage::StorageMap;
        Entries::get(lot)
    }

    /// Whether (and why) the four no's apply to `lot`.
    pub fn cold_lot(lot: &LotKey) -> Option<ColdLot> {
        use yima_frame::storage::StorageMap;
        ColdLots::get(lot)
    }

    /// The positive test reported on `lot`.
    pub fn positive(lot: &LotKey) -> Option<PositiveReport> {
        use yima_frame::storage::StorageMap;
        Positives::get(lot)
    }

    /// The negative test reported on `lot` with `report`.
    pub fn negative(lot: &LotKey, report: &Hash) -> Option<NegativeReport> {
        use yima_frame::storage::StorageDoubleMap;
        Negatives::get(lot, report)
    }

    /// The latest release of `lot`'s hold.
    pub fn release(lot: &LotKey) -> Option<Release> {
        use yima_frame::storage::StorageMap;
        Releases::get(lot)
    }

    /// The disposal of `lot`.
    pub fn disposal(lot: &LotKey) -> Option<Disposal> {
        use yima_frame::storage::StorageMap;
        Disposals::get(lot)
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }

    pub(crate) fn now() -> Moment {
        yima_system::Pallet::<T>::now()
    }

    pub(crate) fn org_kind(org: OrgId) -> Option<OrgKind> {
        <<T as yima_trace::Config>::Membership as MembershipInspect>::org_kind(org)
    }
}
