//! What the equipment register keeps about each unit ([`Unit`]), the records it follows ([`Record`]), and the
//! deadlines it watches ([`Lapse`], [`DueEntry`], [`Cursor`]).

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_attestation::AttestationId;
use yima_codes::{EquipmentKind, Giai, RegistrationNumber};
use yima_frame::{Moment, OrgId};

/// Whether a unit may be used.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub enum UnitStatus {
    /// In use: its deadlines raise lapse alerts.
    #[codec(index = 0)]
    InService,
    /// Stopped (停用) by the regulator: not in use, no lapse alerts; it returns to service only with a valid
    /// inspection.
    #[codec(index = 1)]
    Stopped,
}

/// A deadline a unit can miss.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, MaxEncodedLen)]
pub enum Lapse {
    /// An elevator's last maintenance is older than its validity (at most 15 days, 半月维保).
    #[codec(index = 0)]
    MaintenanceOverdue,
    /// The unit's periodic inspection (定期检验) has expired.
    #[codec(index = 1)]
    InspectionExpired,
}

impl Lapse {
    /// The stable name: `maintenance_overdue`, `inspection_expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lapse::MaintenanceOverdue => "maintenance_overdue",
            Lapse::InspectionExpired => "inspection_expired",
        }
    }
}

/// An attestation the register follows as a unit's record (its last maintenance, inspection or insurance).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Record {
    /// The attestation.
    pub attestation: AttestationId,
    /// Its issuing organisation.
    pub by: OrgId,
    /// When the work was done or the cover starts (the attestation's `valid_from`).
    pub at: Moment,
    /// Until when it holds (the attestation's `valid_until`).
    pub until: Option<Moment>,
}

/// A registered unit of special equipment (key: its [`RegistrationNumber`]).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Unit {
    /// What it is (from the registration number's category character).
    pub kind: EquipmentKind,
    /// The owner's GS1 GIAI on its label, if any.
    pub giai: Option<Giai>,
    /// The 6-digit administrative division code (行政区划代码, GB/T 2260) of where it stands.
    pub area: u32,
    /// Where it stands, as people find it (building, address), UTF-8.
    pub address: Vec<u8>,
    /// The organisation that uses it (使用单位) and answers for it.
    pub user: OrgId,
    /// The maintenance firm the user contracted (维保单位): the only one that records its maintenance.
    pub maintainer: Option<OrgId>,
    /// Whom to call when people are trapped (the 96333 rescue code or a phone number).
    pub rescue: Vec<u8>,
    /// When the regulator registered it.
    pub registered_at: Moment,
    /// The regulator that registered it.
    pub registered_by: OrgId,
    /// In service or stopped.
    pub status: UnitStatus,
    /// The last maintenance recorded.
    pub maintenance: Option<Record>,
    /// The last inspection recorded.
    pub inspection: Option<Record>,
    /// The insurance in force, as last recorded.
    pub insurance: Option<Record>,
    /// How many accidents the regulator recorded.
    pub accidents: u32,
    /// When its next maintenance is due (elevators only).
    pub maintenance_due: Option<Moment>,
    /// When its inspection expires.
    pub inspection_due: Moment,
    /// Open lapses, in [`Lapse`] order: maintenance overdue, inspection expired.
    pub lapsed: [bool; 2],
}

impl Unit {
    /// The deadline of `lapse`, if the unit has one.
    pub fn due(&self, lapse: Lapse) -> Option<Moment> {
        match lapse {
            Lapse::MaintenanceOverdue => self.maintenance_due,
            Lapse::InspectionExpired => Some(self.inspection_due),
        }
    }

    /// Whether `lapse` is open.
    pub fn is_lapsed(&self, lapse: Lapse) -> bool {
        self.lapsed[lapse as usize]
    }

    pub(crate) fn set_lapsed(&mut self, lapse: Lapse, open: bool) {
        self.lapsed[lapse as usize] = open;
    }
}

/// One deadline in the index: `unit`'s `lapse` falls due at `due`. An entry whose `due` is no longer the unit's
/// deadline (a later record moved it) is stale and passes without effect.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct DueEntry {
    /// The unit.
    pub unit: RegistrationNumber,
    /// Which deadline.
    pub lapse: Lapse,
    /// The deadline, ms.
    pub due: Moment,
}

/// Where the deadline index has been read up to: every entry before (`second`, `position`) was handled.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Cursor {
    /// The second (Unix time, s) being read.
    pub second: u64,
    /// The next entry of that second.
    pub position: u32,
}
