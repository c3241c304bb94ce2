//! # Vaccine pallet — 浙苗链
//!
//! The vaccine rules of DOMAIN.md §4 on top of the trace core. Vaccines are products of [`Category::Vaccine`]
//! registered in trace with their temperature band (2–8 °C unless the product says otherwise); their doses are
//! traced to the minimum package.
//!
//! - **Commissioning** is plain trace capture: the manufacturer commissions each minimum package's supervision
//!   code in a lot with an EPCIS commissioning event, so EPCIS imports and the trace core's lot rules work
//!   unchanged. This pallet adds, through its capture gate ([`gate`]), that vaccine codes are commissioned by a
//!   manufacturer, only for a product with a temperature band, and never as lot quantities.
//! - **Batch release (批签发)**: a vaccine lot moves only while it holds a valid [`schemas::BATCH_RELEASE`]
//!   attestation — no shipment before release, and none (nor any administration) once it was revoked or expired.
//! - **Custody path**: manufacturer → CDC → (CDC →) vaccination site, and a site may return doses to a CDC;
//!   any other shipment of a vaccine code is refused. The 2–8 °C band is the trace core's: a sensor report
//!   outside the product's band raises `Trace::Alert(TemperatureExcursion)` and flags the codes.
//! - **Administration** ([`administration`]): the "7-in-one" record ([`types::AdministrationRecord`]) through
//!   [`Call::Administer`], which finishes the dose's custody with an `Administering` event recorded through
//!   `Trace::record(…, "Vaccine")`. The gate refuses an `Administering` event for a vaccine captured any other
//!   way, so every administered dose has its record. A dose that is expired, excursion-flagged, recalled or
//!   already administered is refused with its own error.
//! - **Record card**: [`Pallet::record_card`] lists a recipient's administered doses (storage keyed by the
//!   pseudonymous recipient id).
//!
//! **Refusals are the alerts.** A refused call rolls back everything it wrote, events included; what stays is the
//! executive's `System::ExtrinsicFailed` with this pallet's error, in a block, signed by the site. That is the
//! on-chain record of a refused administration or shipment (DOMAIN.md §5: "a refused transaction is still included
//! in its block"), and the runtime's alert classification turns it into an alert. Nothing is half-recorded: a
//! call never "succeeds" at refusing, so a client cannot mistake a refusal for an administration.
//!
//! **Nothing personal on chain.** Vaccinator and recipient are [`PseudonymousId`]s, checked by [`pseudonym`] not
//! to carry a national id in clear; they appear in this pallet's event and state, never in the trace core's
//! EPCIS event (which anyone scanning the code sees).

pub mod administration;
pub mod gate;
pub use yima_attestation::pseudonym;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_attestation::{schemas, AttestationInspect, PseudonymousId};
use yima_codes::TraceCode;
use yima_frame::{storage, DispatchResult, Hooks, Origin};
use yima_trace::types::Category;

use types::{Administration, AdministrationRecord};

/// The pallet's name in storage keys, errors and as the `via` of the events it records in trace.
pub const PALLET: &str = "Vaccine";

/// What the runtime supplies to the vaccine pallet. Organisation kinds come from the trace pallet's
/// `Membership`.
pub trait Config: yima_trace::Config + yima_system::Config<RuntimeEvent: From<Event>> {
    /// Batch release attestations.
    type Attestations: AttestationInspect;
}

storage! {
    pallet "Vaccine";
    /// The record card: recipient → administered dose → its 7-in-one record.
    pub RecordCard: double_map PseudonymousId, TraceCode => Administration;
    /// How many doses a recipient was given: with [`DoseAt`], the card a reader proves complete (a state proof
    /// of the count, then one of each position and its record), which [`RecordCard`] alone cannot give.
    pub Doses: map PseudonymousId => u32;
    /// Index: recipient, position (0-based, administration order) → the dose's code.
    pub DoseAt: double_map PseudonymousId, u32 => TraceCode;
}

/// Events of the vaccine pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// A dose was administered: the 7-in-one record. (Its custody event is the trace pallet's `Captured`
    /// just before, with business step `Administering`.)
    #[codec(index = 0)]
    Administered(Administration),
}

/// Why a vaccine call or a custody event of a vaccine was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// Administration by an organisation that is not a vaccination site.
    #[error("only a vaccination site may administer vaccines; sign with an account of the vaccination site")]
    NotVaccinationSite,
    /// The recipient id is not pseudonymous.
    #[error("the recipient id is not pseudonymous: never send a national id; send HMAC-SHA-256(chain pepper, normalised national id) computed by the client")]
    RecipientNotPseudonymous,
    /// The vaccinator id is not pseudonymous.
    #[error("the vaccinator id is not pseudonymous: never send a national id; send HMAC-SHA-256(chain pepper, normalised national id) computed by the client")]
    VaccinatorNotPseudonymous,
    /// The cold-chain equipment id is malformed.
    #[error("the cold-chain equipment id must be 1 to 64 bytes of UTF-8 without control characters or surrounding spaces")]
    InvalidEquipmentId,
    /// The record's CDC is not a CDC.
    #[error("the supplying CDC named in the record is not an organisation of kind CDC; name the CDC that delivered the dose")]
    NotACdc,
    /// The code was never commissioned.
    #[error("unknown supervision code: it was never commissioned on this chain; scan the code on the minimum package again")]
    UnknownCode,
    /// The code is not a dose of a vaccine.
    #[error("this code is not a dose of a vaccine product (category vaccine); scan the minimum package's supervision code")]
    NotAVaccine,
    /// The batch in the record is not the code's lot.
    #[error("the batch in the record is not the lot this code was commissioned in; check the batch printed on the package and the scanned code")]
    BatchMismatch,
    /// The dose was already administered.
    #[error("this dose was already administered (double administration alert); do not use it — check the package and report it")]
    AlreadyAdministered,
    /// The dose's life ended otherwise (destroyed, consumed).
    #[error("this dose was destroyed or otherwise taken out of use and cannot be administered")]
    CodeFinished,
    /// The dose or its lot is recalled.
    #[error("this dose or its batch is recalled and must not be administered (recalled-dose alert); set it aside for return")]
    Recalled,
    /// The dose's lot has expired.
    #[error("this dose's batch has expired and must not be administered (expired-dose alert); set it aside for destruction")]
    Expired,
    /// The dose saw a temperature excursion.
    #[error("this dose left its temperature band (2–8 °C) in the cold chain and must not be administered (excursion alert); quarantine it")]
    ExcursionFlagged,
    /// The lot holds no valid batch release.
    #[error("the vaccine batch holds no valid batch release (批签发) attestation — none was issued, or it was revoked or has expired; it may not be shipped or administered until released")]
    BatchNotReleased,
    /// A shipment outside the vaccine custody path.
    #[error("vaccines move manufacturer → CDC → vaccination site (a CDC may supply another CDC, a site may return doses to a CDC); ship to an organisation of the next kind on that path")]
    ShipmentPathNotAllowed,
    /// An `Administering` event captured directly.
    #[error("vaccines are administered only with the 7-in-one record: use Vaccine::administer, not a direct trace capture")]
    AdministerThroughVaccinePallet,
    /// A vaccine dose sold, dispensed or consumed.
    #[error("a vaccine dose ends only by administration (Vaccine::administer) or destruction; it cannot be sold, dispensed or transformed")]
    NotAdministration,
    /// Vaccine codes commissioned by an organisation that is not a manufacturer.
    #[error(
        "only a vaccine manufacturer (marketing-authorisation holder) may commission vaccine codes"
    )]
    NotManufacturer,
    /// Vaccine codes of a product without a temperature band.
    #[error("a vaccine product needs its storage temperature band (2–8 °C unless the product says otherwise); register the product with it before commissioning")]
    NoTemperatureBand,
    /// A vaccine lot named as a quantity.
    #[error("vaccines are traced to the minimum package: name each package's supervision code, not a lot quantity")]
    MinimumPackageRequired,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the vaccine pallet; indices are stable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Records the 7-in-one administration record and finishes the dose's custody (an Operator of a
    /// vaccination site).
    #[codec(index = 0)]
    Administer {
        /// The record.
        record: AdministrationRecord,
    },
}

/// The vaccine pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::Administer { record } => Self::administer(origin, record),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {}

impl<T: Config> Pallet<T> {
    /// Whether `lot` is a lot of a vaccine product.
    pub fn is_vaccine_lot(lot: &yima_trace::types::LotKey) -> bool {
        yima_trace::Pallet::<T>::product(&lot.product)
            .is_some_and(|p| p.category == Category::Vaccine)
    }

    /// Whether `lot` holds a valid batch release at the current block time.
    pub fn is_released(lot: &yima_trace::types::LotKey) -> bool {
        let subject = yima_attestation::Subject::Lot(yima_attestation::LotRef {
            product: lot.product,
            lot: lot.lot,
        });
        T::Attestations::has_valid(&subject, schemas::BATCH_RELEASE, Self::now())
    }

    pub(crate) fn now() -> yima_frame::Moment {
        yima_system::Pallet::<T>::now()
    }

    pub(crate) fn org_kind(org: yima_frame::OrgId) -> Option<yima_membership::OrgKind> {
        <<T as yima_trace::Config>::Membership as yima_membership::MembershipInspect>::org_kind(org)
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }
}
