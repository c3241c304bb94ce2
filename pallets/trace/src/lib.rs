//! # Trace pallet — the heart of 一码统管
//!
//! Every item, case, pallet and lot has one code ([`yima_codes::TraceCode`]) and every hop of its custody is a
//! signed EPCIS-style event ([`epcis::EpcisEvent`]):
//!
//! - **Products** are registered by their brand owner (GTIN or NMPA 7-digit product code) with a category, an
//!   allowed temperature band and a shelf life. A GTIN is registered only by the holder of its GS1 company
//!   prefix, an NMPA code only as a drug or vaccine; vaccines, drugs and imported cold-chain food wait for a
//!   regulator's approval before codes of them are commissioned, and a regulator may correct any product's
//!   category or owner ([`products`]).
//! - **Commissioning** brings codes into being in a lot (with production and expiry dates); **packing** puts
//!   codes in containers, several levels deep; **shipping** and **receiving** move custody between
//!   organisations — shipping a container moves everything inside it; **transformation** consumes inputs and
//!   commissions outputs; **transaction** events link codes to business documents by digest.
//! - **Custody state** per code ([`types::CodeState`]): custodian, location, container, status. Only the
//!   custodian ships; only the named destination receives.
//! - **Complete histories** ([`history`]): each code's record also carries the count and hash-chain head of
//!   the custody events that name it, so a state proof shows an auditor how many hops the code has and which,
//!   and the pure [`history::check_history`] refuses a trace with one missing, added, reordered or foreign.
//! - **Recall** by lot or code, by the lot's owner or a regulator.
//! - **Disposal** ([`Pallet::dispose_lot`]): a lot-level mark a domain pallet sets on a regulator's disposal decision; every
//!   code of a disposed lot counts as destroyed.
//! - **Codes of others**: only the holder (effective custodian) records events on a code, except an official
//!   inspection (`inspecting` by an inspection body, regulator or customs) and a transaction event naming the
//!   signer's organisation as source or destination ([`capture`]).
//! - **Alerts**: a temperature outside a product's band is accepted; measured by the holder or an official
//!   inspector it flags the codes and raises [`Alert::TemperatureExcursion`], measured by anyone else
//!   [`Alert::ReadingOutOfBand`] (nothing flagged). A regulator clears a flag with [`Call::ClearExcursion`],
//!   citing its decision. A movement the rules forbid — of a recalled, expired or finished code, a receipt
//!   without a shipment — is refused, and the refusal is on chain as `ExtrinsicFailed` (DOMAIN.md §5).
//!
//! - **Gates** ([`gate`]): other pallets' rules on custody events (the cold chain's four certificates, a vaccine's
//!   batch release) see every event before it applies, captured directly or recorded through [`Pallet::record`].
//!
//! One [`Call::Capture`] carries a whole EPCIS event list and is all-or-nothing. Every accepted event is
//! deposited as [`Event::Captured`], which the node indexes by code and lot; trace and recall are rebuilt from
//! those events (the runtime's query layer), so state holds only what the rules need.

pub mod capture;
pub mod cbv;
mod clearance;
pub mod custody;
mod disposal;
pub mod epcis;
pub mod gate;
mod genesis;
pub mod history;
pub mod products;
mod readings;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_codes::{ProductId, TraceCode};
use yima_frame::storage::StorageValue;
use yima_frame::{storage, DispatchResult, Hash, Hooks, OrgId, Origin};
use yima_membership::MembershipInspect;

use epcis::EpcisEvent;
pub use genesis::GenesisConfig;
pub use products::Correction;
use types::{CaptureLimits, Category, CodeState, Lot, LotKey, Product, TemperatureRange};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "Trace";

/// What the runtime supplies to the trace pallet.
pub trait Config: yima_system::Config<RuntimeEvent: From<Event>> {
    /// Organisation kinds and status.
    type Membership: MembershipInspect;
    /// Other pallets' rules on custody events (`()` for none; see [`gate`]).
    type Gate: gate::CaptureGate;
}

storage! {
    pallet "Trace";
    /// Registered products.
    pub Products: map ProductId => Product;
    /// Lots, by product and lot number.
    pub Lots: map LotKey => Lot;
    /// The custody record of every commissioned code.
    pub Codes: map TraceCode => CodeState;
    /// Container → code packed directly inside it.
    pub Contents: double_map TraceCode, TraceCode => ();
    /// Limits on captured events.
    pub Limits: value CaptureLimits;
}

/// What kind of alert.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Alert {
    /// A sensor report outside the band of codes it covers, measured by their custodian or by an official
    /// inspector (an inspection body, regulator or customs); those codes are flagged. An event over codes of
    /// several bands raises one alert per band that was left.
    #[codec(index = 0)]
    TemperatureExcursion {
        /// Position of the event in its capture call.
        event: u32,
        /// The codes the event names that have this band and were outside it (the contents of containers are
        /// flagged through them).
        codes: Vec<TraceCode>,
        /// The allowed band.
        band: TemperatureRange,
        /// Lowest observed, 0.01 °C.
        observed_min: i32,
        /// Highest observed, 0.01 °C.
        observed_max: i32,
        /// The organisation that measured (and recorded) it.
        measured_by: OrgId,
    },
    /// A sensor report outside the band of codes it covers, measured by an organisation that neither holds them
    /// nor inspects officially (a party to a transaction event): recorded for a regulator to look at, and the
    /// codes are **not** flagged — it is not the holder's excursion.
    #[codec(index = 1)]
    ReadingOutOfBand {
        /// Position of the event in its capture call.
        event: u32,
        /// The organisation that measured (and recorded) it.
        measured_by: OrgId,
        /// The codes the event names that have this band and were outside it.
        codes: Vec<TraceCode>,
        /// The allowed band.
        band: TemperatureRange,
        /// Lowest observed, 0.01 °C.
        observed_min: i32,
        /// Highest observed, 0.01 °C.
        observed_max: i32,
    },
}

/// Events of the trace pallet.
// `Captured` carries a whole EPCIS event: boxing it would change the type the runtime and the node decode,
// and events live only in the block's buffer.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// A product was registered.
    #[codec(index = 0)]
    ProductRegistered {
        /// The product.
        product: ProductId,
        /// Its owner.
        owner: OrgId,
        /// Its category.
        category: Category,
    },
    /// A custody event was accepted: the record the node indexes and auditors prove.
    #[codec(index = 1)]
    Captured {
        /// The organisation that recorded it.
        org: OrgId,
        /// Position in its capture call's event list.
        index: u32,
        /// The event.
        event: EpcisEvent,
    },
    /// A lot was recalled.
    #[codec(index = 2)]
    LotRecalled {
        /// The lot.
        lot: LotKey,
        /// Who recalled it.
        by: OrgId,
        /// Digest of the recall notice.
        reason: Hash,
    },
    /// A code was recalled.
    #[codec(index = 3)]
    CodeRecalled {
        /// The code.
        code: TraceCode,
        /// Who recalled it.
        by: OrgId,
        /// Digest of the recall notice.
        reason: Hash,
    },
    /// Something a regulator must look at.
    #[codec(index = 4)]
    Alert(Alert),
    /// A regulator disposed of a lot (不合格产品后处理, decided in a domain pallet): every code of it counts as
    /// destroyed from now on.
    #[codec(index = 9)]
    LotDisposed {
        /// The lot.
        lot: LotKey,
        /// The disposal attestation cited (schema `UNQUALIFIED_PRODUCT_DISPOSAL`).
        disposal: Hash,
    },
    /// A regulator cleared a code's excursion flag (see [`Call::ClearExcursion`]).
    #[codec(index = 7)]
    ExcursionCleared {
        /// The code.
        code: TraceCode,
        /// The regulator that cleared it.
        by: OrgId,
        /// Digest of the decision document.
        reason: Hash,
    },
    /// A regulator approved a product of a regulated category; codes of it may be commissioned.
    #[codec(index = 5)]
    ProductApproved {
        /// The product.
        product: ProductId,
        /// The regulator organisation.
        by: OrgId,
        /// Digest of the licence or registration document cited.
        licence: Hash,
    },
    /// A regulator corrected a product's category or owner; every later event sees the new ones.
    #[codec(index = 6)]
    ProductCorrected {
        /// The product.
        product: ProductId,
        /// Its category before.
        old_category: Category,
        /// Its category now.
        category: Category,
        /// Its owner before.
        old_owner: OrgId,
        /// Its owner now.
        owner: OrgId,
        /// Its temperature band before.
        old_temperature: Option<TemperatureRange>,
        /// Its temperature band now.
        temperature: Option<TemperatureRange>,
        /// The regulator organisation.
        by: OrgId,
        /// Digest of the decision (the reason for the correction).
        reason: Hash,
    },
}

/// Why a trace call was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// The product id is already registered.
    #[error("this product is already registered; update it instead or check the GTIN / NMPA code")]
    ProductExists,
    /// No such product.
    #[error(
        "unknown product: register it (GTIN or NMPA product code) before commissioning codes of it"
    )]
    UnknownProduct,
    /// The signer's organisation does not own the product or lot.
    #[error("your organisation does not own this product or lot; only its owner may commission or recall it")]
    NotOwner,
    /// The organisation kind may not do this.
    #[error("organisations of your kind may not do this (e.g. only manufacturers, importers, producers and processors register products)")]
    KindNotAllowed,
    /// Name empty, too long or not UTF-8.
    #[error("a product name must be 1 to 128 bytes of UTF-8")]
    InvalidName,
    /// Temperature band with min above max or outside physical limits.
    #[error("the temperature band is impossible: min must not exceed max and both must be above absolute zero")]
    InvalidTemperatureRange,
    /// The event list is empty or too long.
    #[error("the event list is empty or longer than the chain allows per transaction; split it")]
    EventListTooLarge,
    /// An event names no code or too many.
    #[error(
        "an event must name at least one code or quantity and at most the chain's limit; split it"
    )]
    TooManyCodes,
    /// An event time too far in the future.
    #[error(
        "the event time is in the future beyond the allowed clock skew; check the device clock"
    )]
    EventInFuture,
    /// A time zone offset outside −12:00 … +14:00.
    #[error("the time zone offset must be between -720 and +840 minutes")]
    InvalidTimeZone,
    /// The business step does not fit the event type or action.
    #[error("this business step does not fit the event type and action (e.g. commissioning needs an ADD object event)")]
    StepMismatch,
    /// Commissioning needs lot master data.
    #[error("commissioning needs lot master data (ilmd: lot, production date, expiry)")]
    MissingLotData,
    /// Expiry not after production, or lot data that contradicts the lot on chain.
    #[error("the lot data is inconsistent: expiry must follow production, and an existing lot keeps its owner and dates")]
    LotMismatch,
    /// The code names another product than the lot.
    #[error("the code belongs to another product than the lot it is commissioned in")]
    ProductMismatch,
    /// The code was already commissioned.
    #[error("this code was already commissioned; a code is commissioned once")]
    CodeExists,
    /// The same code appears twice in one event.
    #[error("a code appears twice in one event")]
    DuplicateCode,
    /// No such code.
    #[error("unknown code: it was never commissioned on this chain")]
    UnknownCode,
    /// No such lot.
    #[error("unknown lot: it was never commissioned on this chain")]
    UnknownLot,
    /// The signer's organisation is not the custodian.
    #[error("your organisation is not the custodian of this code; only the custodian may ship, pack or finish it")]
    NotCustodian,
    /// The signer's organisation is not the destination of the shipment.
    #[error("this code is in transit to another organisation; only the named destination may receive it")]
    NotDestination,
    /// Receiving a code that was not shipped.
    #[error("receiving a code that was not shipped: the shipper must record the shipment first (custody mismatch alert)")]
    ReceiveWithoutShipment,
    /// Shipping needs an active destination organisation.
    #[error("shipping needs a destination organisation that exists and is active")]
    InvalidDestination,
    /// Shipping or finishing a code that is in transit.
    #[error("the code is in transit; the destination must receive it first")]
    InTransit,
    /// The code is inside a container.
    #[error(
        "the code is packed inside a container: ship or finish the container, or unpack it first"
    )]
    InsideContainer,
    /// Movement of a recalled code.
    #[error("the code or its lot is recalled and may not move (recalled-code movement alert)")]
    Recalled,
    /// Movement of an expired code.
    #[error("the code's lot has expired and the code may not move or be sold (expired-code movement alert)")]
    Expired,
    /// The code's life is over.
    #[error("the code was already consumed, sold, dispensed, administered or destroyed")]
    Finished,
    /// Packing a code into itself.
    #[error("a code cannot be packed into itself")]
    PackIntoItself,
    /// Packing a container into one of its own contents.
    #[error("a container cannot be packed into something it contains")]
    PackIntoDescendant,
    /// The child is already in a container.
    #[error("the code is already packed in a container; unpack it first")]
    AlreadyPacked,
    /// Unpacking a code that is not inside that parent.
    #[error("the code is not inside this container")]
    NotInside,
    /// A container that still holds codes.
    #[error("the container still holds codes: unpack it first")]
    NotEmpty,
    /// A transformation must consume something and make something.
    #[error("a transformation needs at least one input and one output")]
    EmptyTransformation,
    /// A sensor value that cannot be.
    #[error("impossible sensor reading: min ≤ mean ≤ max, temperatures above absolute zero and below 1000 °C, humidity 0–100 %")]
    ImpossibleSensorReading,
    /// A sensor unit that does not fit its kind.
    #[error(
        "the sensor unit does not fit its kind (temperature in CEL/FAH/KEL, humidity in percent)"
    )]
    SensorUnitMismatch,
    /// An id longer than allowed.
    #[error("a location or device id must be at most 64 bytes")]
    IdTooLong,
    /// A transaction event without documents.
    #[error("a transaction event must name at least one business document")]
    NoBizTransaction,
    /// Recall by someone who may not.
    #[error("only the lot's owner or a regulator may recall it")]
    NotAllowedToRecall,
    /// Already recalled.
    #[error("this lot or code is already recalled")]
    AlreadyRecalled,
    /// Packing would nest codes deeper than the chain follows.
    #[error("packing this would nest codes more than 16 levels deep (item → case → pallet → …); unpack a level first")]
    NestingTooDeep,
    /// The lot was already disposed of.
    #[error("this lot was already disposed of: its codes count as destroyed; there is nothing left to decide")]
    AlreadyDisposed,
    /// An event on a code the signer's organisation does not hold, where no rule allows it.
    #[error("your organisation does not hold this code: only its custodian records events on it, except an inspection (inspecting) by an inspection body, regulator or customs, and a transaction event that names your organisation as its source or destination")]
    NotHolder,
    /// Clearing a code that has no excursion flag of its own.
    #[error("this code has no excursion flag to clear")]
    NoExcursion,
    /// Clearing a code whose flag comes from a container it is packed in.
    #[error("this code's excursion flag comes from a container it is still packed in: clear that container's flag (the code's custody names its outermost container), or unpack the code first")]
    ExcursionOnContainer,
    /// A decision without its document.
    #[error("cite the decision document: its SHA-256 digest must not be all zeros")]
    NoReason,
    /// An NMPA product code registered as something else than a drug or vaccine.
    #[error("an NMPA product code (药品标识码) names a drug or a vaccine: register it as Drug or Vaccine")]
    NmpaNotDrugOrVaccine,
    /// The signer's organisation does not hold the GTIN's company prefix.
    #[error(
        "your organisation does not hold the GS1 company prefix of this GTIN; have the regulators record your \
         prefix (membership SetCompanyPrefixes, or at admission) before registering it"
    )]
    NotPrefixHolder,
    /// The organisation kind may not register (or own) a product of this category.
    #[error(
        "organisations of this kind may not hold products of this category: vaccines belong to manufacturers, \
         drugs to manufacturers or importers, imported cold-chain food to importers"
    )]
    CategoryNotAllowed,
    /// Commissioning codes of a product that waits for a regulator's approval.
    #[error(
        "this product (vaccine, drug or imported cold-chain food) waits for a regulator's approval; ask a \
         regulator to approve it (ApproveProduct, citing the licence) before commissioning codes of it"
    )]
    ProductNotApproved,
    /// Approving or correcting a product, or clearing an excursion, by someone who is not a regulator.
    #[error("only an Operator or Governance account of a regulator organisation may approve or correct a product or clear an excursion flag")]
    NotRegulator,
    /// Approving a product that needs no approval or has one.
    #[error(
        "this product needs no approval: its category is not regulated, or it is already approved"
    )]
    ApprovalNotNeeded,
    /// A correction that changes nothing.
    #[error(
        "the correction changes neither the category, the owner nor the temperature band; give the corrected values"
    )]
    NothingToCorrect,
    /// A correction to an organisation that does not exist.
    #[error("the new owner is not an organisation on this chain; query the organisations to find its id")]
    UnknownOrganisation,
    /// A vaccine or imported cold-chain food without a temperature band: no excursion could ever be detected.
    #[error(
        "vaccines and imported cold-chain food need a temperature band (vaccines 2–8 °C, chilled 0–4 °C, frozen \
         ≤ −18 °C); give one when registering the product"
    )]
    TemperatureBandRequired,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the trace pallet; indices are stable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Registers a product (an Operator of a manufacturer, importer, producer or processor).
    #[codec(index = 0)]
    RegisterProduct {
        /// GTIN or NMPA product code.
        product: ProductId,
        /// Name, UTF-8.
        name: Vec<u8>,
        /// Category.
        category: Category,
        /// Allowed temperature band.
        temperature: Option<TemperatureRange>,
        /// Shelf life in days.
        shelf_life_days: u32,
    },
    /// Records an EPCIS event list, all or nothing.
    #[codec(index = 1)]
    Capture {
        /// The events, applied in order.
        events: Vec<EpcisEvent>,
    },
    /// Recalls a lot (its owner or a regulator).
    #[codec(index = 2)]
    RecallLot {
        /// The lot.
        lot: LotKey,
        /// Digest of the recall notice.
        reason: Hash,
    },
    /// Recalls one code (the owner of its lot or a regulator).
    #[codec(index = 3)]
    RecallCode {
        /// The code.
        code: TraceCode,
        /// Digest of the recall notice.
        reason: Hash,
    },
    /// Clears a code's excursion flag (a regulator's Operator or Governance account), citing the decision.
    #[codec(index = 6)]
    ClearExcursion {
        /// The code.
        code: TraceCode,
        /// Digest of the decision document.
        reason: Hash,
    },
    /// Approves a product of a regulated category (an Operator or Governance account of a regulator).
    #[codec(index = 4)]
    ApproveProduct {
        /// The product.
        product: ProductId,
        /// Digest of the licence or registration document.
        licence: Hash,
    },
    /// Corrects a product's category, owner or temperature band (an Operator or Governance account of a
    /// regulator); the product waits for a new approval if its new category needs one.
    #[codec(index = 5)]
    CorrectProduct {
        /// The product.
        product: ProductId,
        /// Its category from now on.
        category: Category,
        /// Its owner from now on.
        owner: OrgId,
        /// Its temperature band from now on (`None`: keep the current one).
        temperature: Option<TemperatureRange>,
        /// Digest of the decision.
        reason: Hash,
    },
}

/// The trace pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::RegisterProduct {
                product,
                name,
                category,
                temperature,
                shelf_life_days,
            } => Self::register_product(
                origin,
                product,
                name,
                category,
                temperature,
                shelf_life_days,
            ),
            Call::Capture { events } => Self::capture(origin, events),
            Call::RecallLot { lot, reason } => Self::recall_lot(origin, lot, reason),
            Call::RecallCode { code, reason } => Self::recall_code(origin, code, reason),
            Call::ClearExcursion { code, reason } => Self::clear_excursion(origin, code, reason),
            Call::ApproveProduct { product, licence } => {
                Self::approve_product(origin, product, licence)
            }
            Call::CorrectProduct {
                product,
                category,
                owner,
                temperature,
                reason,
            } => Self::correct_product(
                origin,
                Correction {
                    product,
                    category,
                    owner,
                    temperature,
                },
                reason,
            ),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {}

impl<T: Config> Pallet<T> {
    /// A registered product.
    pub fn product(id: &ProductId) -> Option<Product> {
        use yima_frame::storage::StorageMap;
        Products::get(id)
    }

    /// A lot.
    pub fn lot(key: &LotKey) -> Option<Lot> {
        use yima_frame::storage::StorageMap;
        Lots::get(key)
    }

    /// A code's own custody record.
    pub fn code(code: &TraceCode) -> Option<CodeState> {
        use yima_frame::storage::StorageMap;
        Codes::get(code)
    }

    /// The capture limits in force.
    pub fn limits() -> CaptureLimits {
        Limits::get().unwrap_or_default()
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }
}
