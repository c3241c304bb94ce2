//! Custody events in the shape of EPCIS 2.0 (DOMAIN.md §3), so they import from and export to JSON-LD without
//! loss: object, aggregation, transformation and transaction events with their what / when / where / why.
//!
//! Temperatures and other sensor values are integers in hundredths of their unit, so no float reaches state or a
//! hash.

use parity_scale_codec::{Decode, Encode};
use yima_codes::{Gln, TraceCode};
use yima_frame::{Hash, Moment, OrgId};

use crate::types::LotKey;

/// Most bytes of a registered (non-GLN) location id or a sensor device id.
pub const MAX_ID_BYTES: usize = 64;

/// EPCIS `action`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Action {
    /// The codes come into being (commissioning) or join a parent (packing).
    #[codec(index = 0)]
    Add,
    /// The codes are seen (shipping, receiving, storing, inspecting …).
    #[codec(index = 1)]
    Observe,
    /// The codes end (destroying) or leave a parent (unpacking).
    #[codec(index = 2)]
    Delete,
}

/// A place: a GS1 GLN or a location id registered by its organisation.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Location {
    /// A GS1 Global Location Number.
    #[codec(index = 0)]
    Gln(Gln),
    /// Another location id (at most [`MAX_ID_BYTES`] bytes), e.g. a cold room or a vehicle plate.
    #[codec(index = 1)]
    Other(Vec<u8>),
}

/// CBV 2.0 business steps we act on; anything else is recorded as `Other`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum BizStep {
    /// `commissioning`: codes come into being.
    #[codec(index = 0)]
    Commissioning,
    /// `shipping`: leaves the custodian for `destination`.
    #[codec(index = 1)]
    Shipping,
    /// `receiving`: arrives at the destination, which becomes custodian.
    #[codec(index = 2)]
    Receiving,
    /// `storing`.
    #[codec(index = 3)]
    Storing,
    /// `inspecting`.
    #[codec(index = 4)]
    Inspecting,
    /// `packing`.
    #[codec(index = 5)]
    Packing,
    /// `unpacking`.
    #[codec(index = 6)]
    Unpacking,
    /// `retail_selling`.
    #[codec(index = 7)]
    RetailSelling,
    /// `dispensing`.
    #[codec(index = 8)]
    Dispensing,
    /// Administering a vaccine (our extension of CBV).
    #[codec(index = 9)]
    Administering,
    /// `destroying`.
    #[codec(index = 10)]
    Destroying,
    /// `transforming` (CBV `commissioning` of outputs from consumed inputs).
    #[codec(index = 11)]
    Transforming,
    /// `holding`, `loading`, `departing`, `arriving` … recorded, no custody change.
    #[codec(index = 12)]
    Other,
}

/// CBV 2.0 dispositions (recorded as given; custody follows the business step).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Disposition {
    /// `active`.
    #[codec(index = 0)]
    Active,
    /// `in_transit`.
    #[codec(index = 1)]
    InTransit,
    /// `in_progress`.
    #[codec(index = 2)]
    InProgress,
    /// `recalled`.
    #[codec(index = 3)]
    Recalled,
    /// `expired`.
    #[codec(index = 4)]
    Expired,
    /// `destroyed`.
    #[codec(index = 5)]
    Destroyed,
    /// `dispensed`.
    #[codec(index = 6)]
    Dispensed,
    /// `retail_sold`.
    #[codec(index = 7)]
    RetailSold,
    /// `sellable_accessible`.
    #[codec(index = 8)]
    SellableAccessible,
    /// `damaged`.
    #[codec(index = 9)]
    Damaged,
    /// `unknown` or another CBV value.
    #[codec(index = 10)]
    Unknown,
}

/// A sensor's quantity.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum SensorKind {
    /// Temperature.
    #[codec(index = 0)]
    Temperature,
    /// Relative humidity.
    #[codec(index = 1)]
    Humidity,
}

/// Units of sensor values (all values in hundredths of the unit).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Unit {
    /// Degree Celsius (UN/CEFACT `CEL`).
    #[codec(index = 0)]
    Celsius,
    /// Degree Fahrenheit (`FAH`).
    #[codec(index = 1)]
    Fahrenheit,
    /// Kelvin (`KEL`).
    #[codec(index = 2)]
    Kelvin,
    /// Percent (`P1`), for humidity.
    #[codec(index = 3)]
    Percent,
}

/// A sensor report summarised over the event's span: min, max and mean in hundredths of `unit`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct SensorReport {
    /// What was measured.
    pub kind: SensorKind,
    /// In which unit.
    pub unit: Unit,
    /// Lowest reading.
    pub min: i32,
    /// Highest reading.
    pub max: i32,
    /// Mean reading.
    pub mean: i32,
    /// The device's id (at most [`MAX_ID_BYTES`] bytes), if known.
    pub device: Option<Vec<u8>>,
}

/// A business document the event belongs to, by the digest of its content (never the document itself).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct BizTransaction {
    /// What kind of document.
    pub kind: BizTransactionKind,
    /// SHA-256 of the document.
    pub digest: Hash,
}

/// CBV business transaction types we know, plus ours.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum BizTransactionKind {
    /// `po`: purchase order.
    #[codec(index = 0)]
    PurchaseOrder,
    /// `inv`: invoice.
    #[codec(index = 1)]
    Invoice,
    /// `desadv`: despatch advice.
    #[codec(index = 2)]
    DespatchAdvice,
    /// Customs declaration (报关单).
    #[codec(index = 3)]
    CustomsDeclaration,
    /// Prescription.
    #[codec(index = 4)]
    Prescription,
    /// Anything else.
    #[codec(index = 5)]
    Other,
}

/// A quantity of a lot (for goods traced by lot rather than by instance).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct QuantityElement {
    /// The lot.
    pub lot: LotKey,
    /// How much, in `uom` (or pieces).
    pub quantity: u64,
    /// UN/CEFACT unit of measure code, e.g. `KGM`.
    pub uom: Option<[u8; 3]>,
}

/// Instance/lot master data given when codes are commissioned (EPCIS `ilmd`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Ilmd {
    /// The lot the new codes belong to; its product is the codes' own (GTIN, NMPA prefix) or, for codes that do
    /// not name a product (cold-chain codes), the lot's.
    pub lot: LotKey,
    /// Production date, ms UTC.
    pub production_date: Moment,
    /// Expiry, ms UTC.
    pub expiry: Moment,
}

/// The "what" of an event.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum EventBody {
    /// Something happened to these codes (or lot quantities).
    #[codec(index = 0)]
    Object {
        /// ADD / OBSERVE / DELETE.
        action: Action,
        /// The codes.
        epcs: Vec<TraceCode>,
        /// Lot quantities.
        quantities: Vec<QuantityElement>,
    },
    /// Children joined (ADD), were seen in (OBSERVE) or left (DELETE) a parent.
    #[codec(index = 1)]
    Aggregation {
        /// ADD / OBSERVE / DELETE.
        action: Action,
        /// The container.
        parent: TraceCode,
        /// The contents; for DELETE, empty means all of them.
        children: Vec<TraceCode>,
    },
    /// Inputs were consumed to make outputs.
    #[codec(index = 2)]
    Transformation {
        /// Consumed codes.
        inputs: Vec<TraceCode>,
        /// New codes (commissioned by this event, with the event's `ilmd`).
        outputs: Vec<TraceCode>,
    },
    /// Codes were linked to business documents.
    #[codec(index = 3)]
    Transaction {
        /// ADD / OBSERVE / DELETE.
        action: Action,
        /// The documents.
        biz_transactions: Vec<BizTransaction>,
        /// The codes.
        epcs: Vec<TraceCode>,
    },
}

/// One custody event: what, when, where, why.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct EpcisEvent {
    /// What happened to which codes.
    pub body: EventBody,
    /// When, ms UTC.
    pub event_time: Moment,
    /// The local time zone's offset from UTC, minutes (−720 … 840).
    pub time_zone_offset_minutes: i16,
    /// Why (CBV business step).
    pub biz_step: BizStep,
    /// In what state the codes are left (CBV disposition), as the capturer said.
    pub disposition: Option<Disposition>,
    /// Where it was observed.
    pub read_point: Option<Location>,
    /// Where the codes are afterwards.
    pub biz_location: Option<Location>,
    /// The organisation it came from (shipping/receiving).
    pub source: Option<OrgId>,
    /// The organisation it goes to (shipping).
    pub destination: Option<OrgId>,
    /// Lot master data for commissioned codes.
    pub ilmd: Option<Ilmd>,
    /// Sensor reports over the event.
    pub sensors: Vec<SensorReport>,
    /// Attestations (certificates) this event refers to, by id.
    pub certifications: Vec<Hash>,
    /// The CBV 2.0 event hash when imported from EPCIS (`ni:///sha-256;…?ver=CBV2.0`), as raw SHA-256.
    pub event_id: Option<Hash>,
}

impl EpcisEvent {
    /// An event with its what, when and why, and every optional field (where, who, lot data, sensors,
    /// certifications, EPCIS hash) empty; set those on the result.
    pub fn new(
        body: EventBody,
        event_time: Moment,
        time_zone_offset_minutes: i16,
        biz_step: BizStep,
    ) -> Self {
        Self {
            body,
            event_time,
            time_zone_offset_minutes,
            biz_step,
            disposition: None,
            read_point: None,
            biz_location: None,
            source: None,
            destination: None,
            ilmd: None,
            sensors: vec![],
            certifications: vec![],
            event_id: None,
        }
    }

    /// Whether the event moves goods onward — a transformation, packing (an ADD aggregation), or a shipment,
    /// retail sale, dispensing, administering or commissioning — what a lot on hold may not do. Receiving,
    /// storing, inspecting, unpacking, destroying and transaction events do not.
    pub fn moves_goods(&self) -> bool {
        match &self.body {
            EventBody::Transformation { .. } => true,
            EventBody::Aggregation { action, .. } => *action == Action::Add,
            EventBody::Object { .. } => matches!(
                self.biz_step,
                BizStep::Shipping
                    | BizStep::RetailSelling
                    | BizStep::Dispensing
                    | BizStep::Administering
                    | BizStep::Commissioning
            ),
            EventBody::Transaction { .. } => false,
        }
    }

    /// The lot the event commissions codes into (its ILMD lot), if it commissions: an ADD commissioning or a
    /// transformation.
    pub fn commissioned_lot(&self) -> Option<&LotKey> {
        let commissions = match &self.body {
            EventBody::Object { action, .. } => {
                *action == Action::Add && self.biz_step == BizStep::Commissioning
            }
            EventBody::Transformation { .. } => true,
            _ => false,
        };
        self.ilmd.as_ref().filter(|_| commissions).map(|i| &i.lot)
    }

    /// Every code the event names, in order: epcs; parent then children; inputs then outputs.
    pub fn codes(&self) -> Vec<&TraceCode> {
        match &self.body {
            EventBody::Object { epcs, .. } | EventBody::Transaction { epcs, .. } => {
                epcs.iter().collect()
            }
            EventBody::Aggregation {
                parent, children, ..
            } => std::iter::once(parent).chain(children.iter()).collect(),
            EventBody::Transformation { inputs, outputs } => {
                inputs.iter().chain(outputs.iter()).collect()
            }
        }
    }
}
