//! What the trace pallet keeps in state: products, lots and each code's custody status.
//!
//! Custody of a packed code is its outermost container's: shipping or receiving a pallet changes one record,
//! not one per item inside it, and a code's *effective* custodian, location and transit state are read from the
//! root of its container chain ([`crate::custody`]). Unpacking hands the container's custody down to the child.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use serde::{Deserialize, Serialize};
use yima_codes::{LotNumber, ProductId, TraceCode};
use yima_frame::{Hash, Moment, OrgId};

use crate::epcis::Location;
use crate::history::HistorySummary;

/// Most bytes of a product name.
pub const MAX_PRODUCT_NAME_BYTES: usize = 128;

/// What a product is; the domain pallets add their rules per category.
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Hash, Encode, Decode, MaxEncodedLen, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Vaccine (浙苗链).
    #[codec(index = 0)]
    Vaccine,
    /// Imported cold-chain food (浙冷链).
    #[codec(index = 1)]
    ColdChainFood,
    /// Food (浙食链).
    #[codec(index = 2)]
    Food,
    /// Drug (药品追溯).
    #[codec(index = 3)]
    Drug,
    /// Anything else.
    #[codec(index = 4)]
    Other,
}

impl Category {
    /// Whether a product of this category needs a regulator's approval before codes of it are commissioned
    /// (vaccines, drugs, imported cold-chain food: their licences are the regulator's to check).
    pub fn needs_approval(&self) -> bool {
        matches!(
            self,
            Category::Vaccine | Category::Drug | Category::ColdChainFood
        )
    }
}

impl Category {
    /// Whether a product of this category must carry a temperature band (vaccines, imported cold-chain food:
    /// without one no reading is an excursion and a warm truck raises no alert).
    pub fn needs_temperature_band(&self) -> bool {
        matches!(self, Category::Vaccine | Category::ColdChainFood)
    }
}

/// A regulator's approval of a product of a regulated category.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Approval {
    /// The regulator organisation that approved it.
    pub by: OrgId,
    /// Digest of the licence or registration document cited (药品注册证书, 进口许可 …).
    pub licence: Hash,
}

/// An allowed temperature band in hundredths of a degree Celsius, both ends inclusive.
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, Serialize, Deserialize,
)]
pub struct TemperatureRange {
    /// Lowest allowed, 0.01 °C.
    pub min_centi_celsius: i32,
    /// Highest allowed, 0.01 °C.
    pub max_centi_celsius: i32,
}

/// Absolute zero in 0.01 °C: no band or reading lies below it.
pub const ABSOLUTE_ZERO_CENTI: i32 = -27_315;

impl TemperatureRange {
    /// 2–8 °C, the vaccine cold chain.
    pub const VACCINE: TemperatureRange = TemperatureRange {
        min_centi_celsius: 200,
        max_centi_celsius: 800,
    };
    /// 0–4 °C, chilled food.
    pub const CHILLED: TemperatureRange = TemperatureRange {
        min_centi_celsius: 0,
        max_centi_celsius: 400,
    };
    /// −18 °C or colder, frozen food (no lower bound but absolute zero).
    pub const FROZEN: TemperatureRange = TemperatureRange {
        min_centi_celsius: ABSOLUTE_ZERO_CENTI,
        max_centi_celsius: -1800,
    };

    /// Whether `[min, max]` (0.01 °C) lies inside the band.
    pub fn contains(&self, min: i32, max: i32) -> bool {
        self.min_centi_celsius <= min && max <= self.max_centi_celsius
    }

    /// The band both `self` and `other` allow (a container holding both must respect it). Bands that do not
    /// overlap give an empty band (min above max) that contains no reading: goods that need incompatible
    /// temperatures packed together are in excursion whatever the temperature.
    pub fn intersect(&self, other: &TemperatureRange) -> TemperatureRange {
        TemperatureRange {
            min_centi_celsius: self.min_centi_celsius.max(other.min_centi_celsius),
            max_centi_celsius: self.max_centi_celsius.min(other.max_centi_celsius),
        }
    }
}

/// A registered product.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Product {
    /// The organisation that registered it (the brand owner / marketing-authorisation holder).
    pub owner: OrgId,
    /// Its name, UTF-8.
    pub name: Vec<u8>,
    /// Its category.
    pub category: Category,
    /// Allowed storage and transport temperature, if any.
    pub temperature: Option<TemperatureRange>,
    /// Shelf life in days (0: not applicable).
    pub shelf_life_days: u32,
    /// The regulator's approval, for a category that needs one ([`Category::needs_approval`]); `None` until a
    /// regulator approves, and again after a regulator corrects the product.
    pub approval: Option<Approval>,
}

impl Product {
    /// Whether the product waits for a regulator's approval: no codes of it may be commissioned.
    pub fn is_pending(&self) -> bool {
        self.category.needs_approval() && self.approval.is_none()
    }
}

/// A lot (batch) of a product.
#[derive(Clone, PartialEq, Eq, Debug, Hash, PartialOrd, Ord, Encode, Decode, MaxEncodedLen)]
pub struct LotKey {
    /// The product.
    pub product: ProductId,
    /// The lot number (GS1 AI 10).
    pub lot: LotNumber,
}

/// What the chain knows about a lot.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Lot {
    /// The organisation that commissioned it.
    pub owner: OrgId,
    /// Production date, ms UTC.
    pub production_date: Moment,
    /// Expiry, ms UTC: after it every code of the lot counts as expired.
    pub expiry: Moment,
    /// How many codes were commissioned in it.
    pub commissioned: u32,
    /// Set when the lot was recalled, with the digest of the recall notice.
    pub recalled: Option<Hash>,
    /// Set when a regulator disposed of the lot (不合格产品后处理), with the disposal attestation it cited: every
    /// code of it counts as destroyed from then on, without a write per code ([`crate::custody`]).
    pub disposed: Option<Hash>,
}

/// Where a code is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub enum CodeStatus {
    /// Held by its custodian.
    #[codec(index = 0)]
    Active,
    /// Shipped to `to`, not yet received.
    #[codec(index = 1)]
    InTransit {
        /// The destination organisation.
        to: OrgId,
    },
    /// Recalled: never stored (recall is a flag on the code or its lot, so transit is not lost); reported by
    /// [`Custody::status`] when the code, a container it is in, or its lot was recalled.
    #[codec(index = 2)]
    Recalled,
    /// Consumed as the input of a transformation.
    #[codec(index = 3)]
    Consumed,
    /// Sold at retail.
    #[codec(index = 4)]
    Sold,
    /// Dispensed at a pharmacy.
    #[codec(index = 5)]
    Dispensed,
    /// Administered at a vaccination site.
    #[codec(index = 6)]
    Administered,
    /// Destroyed.
    #[codec(index = 7)]
    Destroyed,
}

impl CodeStatus {
    /// Whether the code's life is over (it may never move again).
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            CodeStatus::Consumed
                | CodeStatus::Sold
                | CodeStatus::Dispensed
                | CodeStatus::Administered
                | CodeStatus::Destroyed
        )
    }
}

/// Flag: the code (or a container it travelled in) saw a temperature outside its band.
pub const FLAG_EXCURSION: u8 = 1;
/// Flag: the code (or a container it was in) was recalled on its own (a recalled lot is recorded on the lot).
pub const FLAG_RECALLED: u8 = 2;

/// The custody record of one code.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct CodeState {
    /// Its lot (`None` for logistic units such as an SSCC pallet).
    pub lot: Option<LotKey>,
    /// Custodian while it is not packed; while packed, the root container's custodian applies.
    pub custodian: OrgId,
    /// Last known location while not packed.
    pub location: Option<Location>,
    /// The container it is packed in.
    pub parent: Option<TraceCode>,
    /// Its own status (never `Recalled`); transit of a packed code is its root container's.
    pub status: CodeStatus,
    /// Codes packed directly inside it.
    pub children: u32,
    /// The band every content of this container allows (containers only; items use their product's).
    pub band: Option<TemperatureRange>,
    /// [`FLAG_EXCURSION`], [`FLAG_RECALLED`].
    pub flags: u8,
    /// Block in which it was commissioned.
    pub commissioned_at: u64,
    /// The count and hash-chain head of the custody events that name it ([`crate::history`]).
    pub history: HistorySummary,
}

/// A code's effective custody, resolved through its containers.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Custody {
    /// Who holds it now.
    pub custodian: OrgId,
    /// Where it is, if known.
    pub location: Option<Location>,
    /// Its effective status: its own if finished or recalled, else its root's (active or in transit); a
    /// recalled lot makes it `Recalled`.
    pub status: CodeStatus,
    /// The outermost container it is in (itself when not packed).
    pub root: TraceCode,
    /// Whether its lot has expired at the time asked.
    pub expired: bool,
    /// Whether it or a container it is in saw an excursion.
    pub excursion: bool,
}

/// Limits on captured events; policy parameters set in genesis.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
pub struct CaptureLimits {
    /// Most events in one `capture` call (an EPCIS eventList).
    pub max_events_per_call: u32,
    /// Most codes one event may name (epcs, children, inputs plus outputs).
    pub max_codes_per_event: u32,
    /// How far past the block time an event's time may be, ms (device clocks drift).
    pub max_clock_skew_ms: u64,
}

impl Default for CaptureLimits {
    fn default() -> Self {
        Self {
            max_events_per_call: 1_000,
            max_codes_per_event: 10_000,
            max_clock_skew_ms: 5 * 60 * 1_000,
        }
    }
}
