//! # Equipment pallet — 电梯一码, 特种设备一码通
//!
//! The regulator's register of special equipment (elevators, boilers, pressure vessels, cranes …): one code per
//! unit, who uses it, who maintains it, and whether its maintenance and inspection are in date.
//!
//! - **Register** ([`register`]): a regulator (an Operator or Governance account of a `Regulator`
//!   organisation) registers a unit under the registration number it issued ([`yima_codes::RegistrationNumber`],
//!   whose category character gives the kind), with the owner's GIAI if labelled, the area (a 6-digit division
//!   code inside the number's province), the address, the user organisation (使用单位), the rescue contact and
//!   the date its first periodic inspection is due. The user (its Admin) or a regulator names the maintenance
//!   firm ([`Call::SetMaintainer`]); a regulator stops a unit or returns it to service ([`Call::SetStatus`]),
//!   and amends its registration — a new user, area or address ([`Call::Amend`]).
//! - **Records are attestations** ([`records`]): maintenance (`ELEVATOR_MAINTENANCE`), inspection
//!   (`ELEVATOR_INSPECTION`, `SPECIAL_EQUIPMENT_INSPECTION`), insurance (`EQUIPMENT_INSURANCE`) and accidents
//!   (`EQUIPMENT_ACCIDENT`) are issued with the attestation pallet about `Subject::Equipment(number)`. This
//!   pallet is the runtime's [`yima_attestation::AttestationWatch`]: it refuses a record about an unregistered
//!   unit, maintenance by any firm but the unit's, an elevator schema on a boiler …, and follows what is
//!   written — the unit's last records, its next deadlines, its open lapses.
//! - **Lapse alerts** ([`deadlines`]): an elevator's maintenance falls due when its last record's validity ends
//!   (at most 15 days); every unit's inspection when its certificate expires. Each deadline is put in an index
//!   by second when it is set; each block's `on_initialize` reads the index from where it stopped up to the
//!   block's time, skipping empty days, hours and minutes whole, so its cost depends on the deadlines that fall due,
//!   not on the number of units ([`MAX_DUE_STEPS`] bounds it; a backlog carries to the next block). A deadline
//!   passed raises [`Event::Lapsed`] at the first block whose time reaches it (to the second); the next valid
//!   record clears it ([`Event::LapseCleared`]).
//! - **Search** (一键闭环全检索): units by GIAI, by user, by maintenance firm and by area; open lapses by kind.
//!
//! Every call checks before its first write.

pub mod deadlines;
pub mod records;
pub mod register;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_attestation::AttestationId;
use yima_codes::{EquipmentKind, Giai, RegistrationNumber};
use yima_frame::{storage, BlockNumber, DispatchResult, Hash, Hooks, Moment, OrgId, Origin};
use yima_membership::{MembershipInspect, OrgKind};

pub use types::{Cursor, DueEntry, Lapse, Record, Unit, UnitStatus};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "Equipment";

/// One day, ms.
pub const DAY_MS: Moment = 86_400_000;

/// How long a newly registered elevator may wait for its first maintenance record (半月维保, TSG T5002).
pub const FIRST_MAINTENANCE_WITHIN: Moment = 15 * DAY_MS;

/// Most steps the deadline index takes in one block: an entry handled, an empty second, minute, hour or day
/// skipped.
pub const MAX_DUE_STEPS: u32 = 2_000;

/// Most bytes of an address.
pub const MAX_ADDRESS_BYTES: usize = 128;

/// Most bytes of a rescue contact.
pub const MAX_RESCUE_BYTES: usize = 32;

/// What the runtime supplies to the equipment pallet.
pub trait Config: yima_system::Config<RuntimeEvent: From<Event>> {
    /// Organisations: who is a regulator, a maintenance firm, an active user.
    type Membership: MembershipInspect;
}

storage! {
    pallet "Equipment";
    /// Every registered unit.
    pub Units: map RegistrationNumber => Unit;
    /// How many units are registered.
    pub UnitCount: value u32;
    /// Index: the owner's GIAI → the unit.
    pub ByGiai: map Giai => RegistrationNumber;
    /// Index: user organisation → its units.
    pub ByUser: double_map OrgId, RegistrationNumber => ();
    /// Index: maintenance firm → the units it maintains.
    pub ByMaintainer: double_map OrgId, RegistrationNumber => ();
    /// Index: 6-digit area code → the units standing there.
    pub ByArea: double_map u32, RegistrationNumber => ();
    /// Open lapses: kind, unit → the deadline it missed.
    pub Lapsed: double_map Lapse, RegistrationNumber => Moment;
    /// The deadline index: second (Unix time, s), position → the deadline falling due in that second.
    pub Due: double_map u64, u32 => DueEntry;
    /// How many entries each second of [`Due`] holds.
    pub DueCount: map u64 => u32;
    /// The days, hours and minutes of [`Due`] that hold an entry (span index 0, 1, 2 of
    /// [`deadlines::SPANS`]; Unix time / span), so that empty ones are skipped whole.
    pub DueMarks: double_map u8, u64 => ();
    /// Where [`deadlines::process`] stopped.
    pub DueCursor: value Cursor;
}

/// Events of the equipment pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// A regulator registered a unit.
    #[codec(index = 0)]
    Registered {
        /// Its registration number.
        unit: RegistrationNumber,
        /// What it is.
        kind: EquipmentKind,
        /// Its user organisation.
        user: OrgId,
        /// Its area code.
        area: u32,
        /// The regulator.
        by: OrgId,
    },
    /// A unit's maintenance firm was named (or removed).
    #[codec(index = 1)]
    MaintainerSet {
        /// The unit.
        unit: RegistrationNumber,
        /// The firm, or none.
        maintainer: Option<OrgId>,
        /// Who named it: the user or a regulator.
        by: OrgId,
    },
    /// A regulator stopped a unit or returned it to service.
    #[codec(index = 2)]
    StatusChanged {
        /// The unit.
        unit: RegistrationNumber,
        /// Its new status.
        status: UnitStatus,
        /// The regulator.
        by: OrgId,
        /// SHA-256 of the decision document.
        reason: Hash,
    },
    /// A regulator amended a unit's registration (变更登记): its user, area or address.
    #[codec(index = 6)]
    Amended {
        /// The unit.
        unit: RegistrationNumber,
        /// Its user organisation now.
        user: OrgId,
        /// Its area code now.
        area: u32,
        /// The regulator.
        by: OrgId,
    },
    /// An alert: a unit in service missed a deadline — its maintenance is overdue or its inspection expired.
    #[codec(index = 3)]
    Lapsed {
        /// The unit.
        unit: RegistrationNumber,
        /// Which deadline.
        lapse: Lapse,
        /// The deadline, ms (the revocation time when its record was revoked).
        due: Moment,
        /// The user organisation.
        user: OrgId,
        /// The maintenance firm, if any.
        maintainer: Option<OrgId>,
    },
    /// An open lapse was closed by a new valid record (闭环).
    #[codec(index = 4)]
    LapseCleared {
        /// The unit.
        unit: RegistrationNumber,
        /// Which deadline.
        lapse: Lapse,
        /// The maintenance or inspection record that closed it.
        attestation: AttestationId,
    },
    /// An alert: the regulator recorded an accident with a unit.
    #[codec(index = 5)]
    AccidentRecorded {
        /// The unit.
        unit: RegistrationNumber,
        /// The accident record.
        attestation: AttestationId,
        /// The user organisation.
        user: OrgId,
    },
}

/// Why an equipment call, or an attestation about a unit, was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// Registration or a status change by someone who is not a regulator.
    #[error("only a regulator (Operator or Governance account of an active regulator organisation) registers equipment or changes its status")]
    NotRegulator,
    /// The registration number is taken.
    #[error(
        "a unit is already registered under this number; each registration number names one unit"
    )]
    AlreadyRegistered,
    /// The GIAI labels another unit.
    #[error(
        "this GIAI already labels another registered unit; check the label, or register without it"
    )]
    GiaiTaken,
    /// An area code that is no 6-digit code of the number's province.
    #[error("the area must be a 6-digit administrative division code (GB/T 2260) in the province the registration number names (浙 → 33xxxx)")]
    AreaOutsideProvince,
    /// An address empty, too long or with control characters.
    #[error("the address must be 1 to 128 bytes of text without control characters")]
    InvalidAddress,
    /// A rescue contact that is no phone number or rescue code.
    #[error("the rescue contact must be 3 to 32 characters of digits, '-' and '+' (the 96333 rescue code or a phone number)")]
    InvalidRescue,
    /// The user organisation does not exist or is suspended.
    #[error(
        "the user organisation (使用单位) must be an active member; admit or reinstate it first"
    )]
    UnknownUser,
    /// The first inspection is due in the past.
    #[error("the inspection due date has passed: inspect the unit before registering it, and give the date its certificate names for the next inspection")]
    InspectionDueInPast,
    /// The unit is not registered.
    #[error("no unit is registered under this number; a regulator registers it first (yima tx equipment register)")]
    UnitNotRegistered,
    /// Naming a maintenance firm by someone who is neither the user nor a regulator.
    #[error(
        "only the unit's user organisation (an Admin) or a regulator names its maintenance firm"
    )]
    NotUserOrRegulator,
    /// The named maintenance firm is no active maintenance firm.
    #[error("the maintenance firm must be an active member of kind maintenance_firm")]
    NotMaintenanceFirm,
    /// Maintenance recorded by a firm other than the unit's.
    #[error("only the maintenance firm the unit's user named records its maintenance; ask the user to name your firm (SetMaintainer)")]
    NotUnitsMaintainer,
    /// An elevator schema about equipment that is no elevator.
    #[error("elevator maintenance and elevator inspection are recorded only for elevators; use SPECIAL_EQUIPMENT_INSPECTION for other equipment")]
    NotAnElevator,
    /// The special-equipment inspection schema about an elevator.
    #[error("an elevator's inspection is recorded under ELEVATOR_INSPECTION")]
    UseElevatorInspection,
    /// Maintenance or an inspection dated in the future.
    #[error("a maintenance or inspection record starts when the work was done: its valid_from may not be later than now")]
    RecordInFuture,
    /// A record older than the unit's latest of its kind.
    #[error(
        "the unit holds a later record of this kind; attest records in the order the work was done"
    )]
    OlderThanLatest,
    /// The status asked for is the unit's status.
    #[error("the unit already has this status")]
    SameStatus,
    /// Returning to service a unit whose inspection has expired.
    #[error("the unit's inspection has expired: it returns to service only after a valid inspection is recorded")]
    InspectionExpired,
    /// An all-zero decision digest.
    #[error(
        "the decision document digest is all zeros; pass the SHA-256 of the regulator's decision"
    )]
    InvalidReason,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the equipment pallet; indices are stable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Registers a unit (a regulator's Operator or Governance account).
    #[codec(index = 0)]
    Register {
        /// The registration number the regulator issued; its category character gives the kind.
        unit: RegistrationNumber,
        /// The owner's GS1 GIAI on its label, if any.
        giai: Option<Giai>,
        /// The 6-digit area code where it stands, inside the number's province.
        area: u32,
        /// The address.
        address: Vec<u8>,
        /// The user organisation (使用单位).
        user: OrgId,
        /// The rescue contact.
        rescue: Vec<u8>,
        /// When its periodic inspection is first due (the date on its inspection certificate).
        inspection_due: Moment,
    },
    /// Names the unit's maintenance firm, or none (an Admin of its user organisation, or a regulator).
    #[codec(index = 1)]
    SetMaintainer {
        /// The unit.
        unit: RegistrationNumber,
        /// The firm.
        maintainer: Option<OrgId>,
    },
    /// Amends a unit's registration (变更登记; a regulator): a new user organisation (its maintenance firm is then
    /// named anew), or a new area and address.
    #[codec(index = 3)]
    Amend {
        /// The unit.
        unit: RegistrationNumber,
        /// The user organisation.
        user: OrgId,
        /// The 6-digit area code, inside the number's province.
        area: u32,
        /// The address.
        address: Vec<u8>,
    },
    /// Stops a unit or returns it to service (a regulator), citing the decision document.
    #[codec(index = 2)]
    SetStatus {
        /// The unit.
        unit: RegistrationNumber,
        /// The new status.
        status: UnitStatus,
        /// SHA-256 of the decision document.
        reason: Hash,
    },
}

/// The equipment pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::Register {
                unit,
                giai,
                area,
                address,
                user,
                rescue,
                inspection_due,
            } => Self::register(
                origin,
                unit,
                giai,
                area,
                address,
                user,
                rescue,
                inspection_due,
            ),
            Call::SetMaintainer { unit, maintainer } => {
                Self::set_maintainer(origin, unit, maintainer)
            }
            Call::SetStatus {
                unit,
                status,
                reason,
            } => Self::set_status(origin, unit, status, reason),
            Call::Amend {
                unit,
                user,
                area,
                address,
            } => Self::amend(origin, unit, user, area, address),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {
    /// Raises the lapses whose deadlines the block's time reached.
    fn on_initialize(_n: BlockNumber) {
        deadlines::process::<T>(Self::now());
    }
}

impl<T: Config> Pallet<T> {
    /// The unit registered under `number`.
    pub fn unit(number: &RegistrationNumber) -> Option<Unit> {
        use yima_frame::storage::StorageMap;
        Units::get(number)
    }

    /// The unit a GIAI labels.
    pub fn by_giai(giai: &Giai) -> Option<RegistrationNumber> {
        use yima_frame::storage::StorageMap;
        ByGiai::get(giai)
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }

    pub(crate) fn now() -> Moment {
        yima_system::Pallet::<T>::now()
    }

    pub(crate) fn org_kind(org: OrgId) -> Option<OrgKind> {
        T::Membership::org_kind(org)
    }

    pub(crate) fn org_is_active(org: OrgId) -> bool {
        T::Membership::org_is_active(org)
    }
}
