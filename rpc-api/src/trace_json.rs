//! JSON shapes of traces, recalls and EPCIS events, at the RPC edge only. Field names follow EPCIS 2.0 JSON-LD
//! where one exists (`eventTime`, `bizStep`, `readPoint`, `epcList`, `childEPCs`, …); enumerations are their CBV
//! names (`shipping`, `in_transit`); codes are canonical ([`TraceCode`]'s `Display`); temperatures and other
//! sensor values stay integers in hundredths of their unit, as on chain.

use parity_scale_codec::Encode;
use serde::{Deserialize, Serialize};
use yima_codes::TraceCode;
use yima_frame::OrgId;
use yima_runtime::query::{
    Clearance, CodeCustody, ContainerSpan, EventRef, HoldState, Hop, IndexedEvent, LotHold, Recall,
    RecallRow, Trace,
};
use yima_trace::epcis::{EpcisEvent, EventBody, Location, SensorKind, SensorReport, Unit};
use yima_trace::types::{CodeStatus, Custody, LotKey};

use crate::page::Page;
use crate::to_hex;

pub use crate::records::LotJson;

/// A place: a GLN, or a location id its organisation registered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum LocationJson {
    /// A GS1 Global Location Number.
    Gln(String),
    /// Another id (UTF-8; hex when it is not text).
    Id(String),
}

fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => to_hex(bytes),
    }
}

fn location(l: &Location) -> LocationJson {
    match l {
        Location::Gln(g) => LocationJson::Gln(g.as_str().to_owned()),
        Location::Other(id) => LocationJson::Id(text(id)),
    }
}

fn codes(list: &[TraceCode]) -> Vec<String> {
    list.iter().map(TraceCode::to_string).collect()
}

/// Where an event is: what `proof_event` takes.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventRefJson {
    /// The block.
    pub block: u64,
    /// The event's position among the block's events.
    pub index: u32,
}

impl From<EventRef> for EventRefJson {
    fn from(r: EventRef) -> Self {
        Self {
            block: r.block,
            index: r.index,
        }
    }
}

/// A sensor summary over an event's span.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SensorJson {
    /// `temperature` or `humidity`.
    #[serde(rename = "type")]
    pub kind: String,
    /// UN/CEFACT unit: `CEL`, `FAH`, `KEL`, `P1`.
    pub unit: String,
    /// Lowest reading, hundredths of `unit`.
    pub min: i32,
    /// Highest reading, hundredths of `unit`.
    pub max: i32,
    /// Mean, hundredths of `unit`.
    pub mean: i32,
    /// The device, if given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub device: Option<String>,
}

fn sensor(s: &SensorReport) -> SensorJson {
    SensorJson {
        kind: match s.kind {
            SensorKind::Temperature => "temperature",
            SensorKind::Humidity => "humidity",
        }
        .into(),
        unit: match s.unit {
            Unit::Celsius => "CEL",
            Unit::Fahrenheit => "FAH",
            Unit::Kelvin => "KEL",
            Unit::Percent => "P1",
        }
        .into(),
        min: s.min,
        max: s.max,
        mean: s.mean,
        device: s.device.as_deref().map(text),
    }
}

/// One EPCIS event.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EpcisJson {
    /// `ObjectEvent`, `AggregationEvent`, `TransformationEvent` or `TransactionEvent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `ADD`, `OBSERVE` or `DELETE` (none for transformations).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action: Option<String>,
    /// The codes (object and transaction events).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub epc_list: Vec<String>,
    /// Lot quantities (object events).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub quantity_list: Vec<QuantityJson>,
    /// The container (aggregation events).
    #[serde(rename = "parentID", skip_serializing_if = "Option::is_none", default)]
    pub parent_id: Option<String>,
    /// The contents (aggregation events; empty DELETE = all).
    #[serde(rename = "childEPCs", skip_serializing_if = "Vec::is_empty", default)]
    pub child_epcs: Vec<String>,
    /// Consumed codes (transformations).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub input_epc_list: Vec<String>,
    /// Made codes (transformations).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub output_epc_list: Vec<String>,
    /// Business documents by digest (transaction events): `[kind, sha-256]`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub biz_transaction_list: Vec<(String, String)>,
    /// When, ms UTC.
    pub event_time: u64,
    /// The local offset from UTC, minutes.
    pub event_time_zone_offset_minutes: i16,
    /// CBV business step.
    pub biz_step: String,
    /// CBV disposition, if given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disposition: Option<String>,
    /// Where it was observed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub read_point: Option<LocationJson>,
    /// Where the codes are afterwards.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub biz_location: Option<LocationJson>,
    /// The organisation it came from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<OrgId>,
    /// The organisation it goes to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub destination: Option<OrgId>,
    /// The lot of commissioned codes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lot: Option<LotJson>,
    /// Sensor summaries.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sensors: Vec<SensorJson>,
    /// Attestation ids the event refers to.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub certifications: Vec<String>,
}

/// A lot quantity.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct QuantityJson {
    /// The lot.
    pub lot: LotJson,
    /// How much.
    pub quantity: u64,
    /// UN/CEFACT unit, if not pieces.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub uom: Option<String>,
}

impl From<&EpcisEvent> for EpcisJson {
    fn from(e: &EpcisEvent) -> Self {
        let mut out = EpcisJson {
            kind: String::new(),
            action: None,
            epc_list: Vec::new(),
            quantity_list: Vec::new(),
            parent_id: None,
            child_epcs: Vec::new(),
            input_epc_list: Vec::new(),
            output_epc_list: Vec::new(),
            biz_transaction_list: Vec::new(),
            event_time: e.event_time,
            event_time_zone_offset_minutes: e.time_zone_offset_minutes,
            biz_step: e.biz_step.cbv().into(),
            disposition: e.disposition.map(|d| d.cbv().into()),
            read_point: e.read_point.as_ref().map(location),
            biz_location: e.biz_location.as_ref().map(location),
            source: e.source,
            destination: e.destination,
            lot: e.ilmd.as_ref().map(|i| LotJson::from(&i.lot)),
            sensors: e.sensors.iter().map(sensor).collect(),
            certifications: e.certifications.iter().map(|h| h.to_string()).collect(),
        };
        match &e.body {
            EventBody::Object {
                action: a,
                epcs,
                quantities,
            } => {
                out.kind = "ObjectEvent".into();
                out.action = Some(a.cbv().into());
                out.epc_list = codes(epcs);
                out.quantity_list = quantities
                    .iter()
                    .map(|q| QuantityJson {
                        lot: LotJson::from(&q.lot),
                        quantity: q.quantity,
                        uom: q.uom.map(|u| text(&u)),
                    })
                    .collect();
            }
            EventBody::Aggregation {
                action: a,
                parent,
                children,
            } => {
                out.kind = "AggregationEvent".into();
                out.action = Some(a.cbv().into());
                out.parent_id = Some(parent.to_string());
                out.child_epcs = codes(children);
            }
            EventBody::Transformation { inputs, outputs } => {
                out.kind = "TransformationEvent".into();
                out.input_epc_list = codes(inputs);
                out.output_epc_list = codes(outputs);
            }
            EventBody::Transaction {
                action: a,
                biz_transactions,
                epcs,
            } => {
                out.kind = "TransactionEvent".into();
                out.action = Some(a.cbv().into());
                out.epc_list = codes(epcs);
                out.biz_transaction_list = biz_transactions
                    .iter()
                    .map(|b| (b.kind.cbv().into(), b.digest.to_string()))
                    .collect();
            }
        }
        out
    }
}

/// The stable name of a code status; `in_transit` carries its destination separately.
fn status(s: &CodeStatus) -> (&'static str, Option<OrgId>) {
    match s {
        CodeStatus::Active => ("active", None),
        CodeStatus::InTransit { to } => ("in_transit", Some(*to)),
        CodeStatus::Recalled => ("recalled", None),
        CodeStatus::Consumed => ("consumed", None),
        CodeStatus::Sold => ("sold", None),
        CodeStatus::Dispensed => ("dispensed", None),
        CodeStatus::Administered => ("administered", None),
        CodeStatus::Destroyed => ("destroyed", None),
    }
}

/// A code's custody now (in a trace's `current` and in each recall row).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CustodyJson {
    /// Who holds it (its outermost container's custodian; the shipper while in transit).
    pub holder: OrgId,
    /// `active`, `in_transit`, `recalled`, `consumed`, `sold`, `dispensed`, `administered`, `destroyed`.
    pub status: String,
    /// Where it is going while `in_transit`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub in_transit_to: Option<OrgId>,
    /// The outermost container it is in (itself when not packed).
    pub root: String,
    /// Where it is, if known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<LocationJson>,
    /// Its lot.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lot: Option<LotJson>,
    /// Whether its lot has expired.
    pub expired: bool,
    /// Whether it or a container it is in saw a temperature excursion.
    pub excursion: bool,
}

impl From<&CodeCustody> for CustodyJson {
    fn from(c: &CodeCustody) -> Self {
        let (status, in_transit_to) = status(&c.custody.status);
        Self {
            holder: c.custody.custodian,
            status: status.into(),
            in_transit_to,
            root: c.custody.root.to_string(),
            location: c.custody.location.as_ref().map(location),
            lot: c.lot.as_ref().map(LotJson::from),
            expired: c.custody.expired,
            excursion: c.custody.excursion,
        }
    }
}

/// One hop of a trace.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HopJson {
    /// Where the event is (`proof_event(block, index)` proves it).
    pub at: EventRefJson,
    /// The organisation that captured it (the custodian acting).
    pub org: OrgId,
    /// The code the event concerns: the traced code, a container, an upstream or a downstream code.
    pub subject: String,
    /// `own`, `container`, `upstream` or `downstream`.
    pub relation: yima_runtime::query::Relation,
    /// The event.
    pub event: EpcisJson,
}

impl From<&Hop> for HopJson {
    fn from(h: &Hop) -> Self {
        Self {
            at: h.at.into(),
            org: h.org,
            subject: h.subject.to_string(),
            relation: h.relation,
            event: EpcisJson::from(h.epcis()),
        }
    }
}

/// One event of a code's chain (`trace_chain`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainHopJson {
    /// Where the event is.
    pub at: EventRefJson,
    /// The organisation that captured it.
    pub org: OrgId,
    /// The EPCIS event, hex SCALE (`yima_trace::epcis::EpcisEvent`): what the chain link hashes.
    pub event: String,
}

impl ChainHopJson {
    /// The hop of an indexed event.
    pub fn new(e: &IndexedEvent) -> Self {
        Self {
            at: e.at.into(),
            org: e.org,
            event: to_hex(&e.event.encode()),
        }
    }
}

/// `trace_chain`: every event naming one code up to a height, in chain order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainJson {
    /// The code (canonical form).
    pub code: String,
    /// The height read: prove the code's summary (`state_get` of `Trace:Codes:` ++ SCALE(code)) at it.
    pub height: u64,
    /// One page of the events.
    pub hops: Vec<ChainHopJson>,
    /// How many events in all up to `height`.
    pub total: u64,
    /// Where the next page starts; absent on the last page.
    #[serde(
        default,
        rename = "nextCursor",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<u64>,
}

/// A time a code spent in a container.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ContainerJson {
    /// The packed code.
    pub code: String,
    /// Its container.
    pub container: String,
    /// The packing event.
    pub packed: EventRefJson,
    /// The unpacking event; `null` while still inside.
    pub unpacked: Option<EventRefJson>,
}

impl From<&ContainerSpan> for ContainerJson {
    fn from(s: &ContainerSpan) -> Self {
        Self {
            code: s.code.to_string(),
            container: s.container.to_string(),
            packed: s.packed.into(),
            unpacked: s.unpacked.map(Into::into),
        }
    }
}

/// A regulator's clearance of an excursion flag (the code's own, or a container's while the code was inside).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClearanceJson {
    /// The code whose flag was cleared.
    pub code: String,
    /// The regulator organisation.
    pub by: OrgId,
    /// SHA-256 of the decision document, hex.
    pub reason: String,
    /// The `Trace::ExcursionCleared` event (`proof_event` proves it).
    pub at: EventRefJson,
}

impl From<&Clearance> for ClearanceJson {
    fn from(c: &Clearance) -> Self {
        Self {
            code: c.code.to_string(),
            by: c.by,
            reason: c.reason.to_string(),
            at: c.at.into(),
        }
    }
}

/// `trace_history`: a code's whole history and its custody now.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TraceJson {
    /// The code, canonical.
    pub code: String,
    /// The height the answer was read at.
    pub height: u64,
    /// Its custody now (`null` only for a code the index knows but state does not).
    pub current: Option<CustodyJson>,
    /// Every hop in chain order.
    pub hops: Vec<HopJson>,
    /// Codes upstream (transformation inputs, recursively).
    pub upstream: Vec<String>,
    /// Codes downstream (contents and outputs, recursively).
    pub downstream: Vec<String>,
    /// The container spans followed.
    pub containers: Vec<ContainerJson>,
    /// Regulators' clearances of its excursion flag, in chain order.
    pub clearances: Vec<ClearanceJson>,
    /// The holds on its lot and the regulator's decisions (held, released, disposed); filled by `trace_history`
    /// from state of the same height.
    pub holds: Vec<LotHoldJson>,
    /// How many hops the history has in all (`hops` is one page of them).
    #[serde(default)]
    pub total: u64,
    /// Where the next page of hops starts (`trace_history`'s `cursor`); absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<u64>,
}

impl TraceJson {
    /// The JSON of `trace` read at `height`, with the code's custody now: every hop.
    pub fn new(trace: &Trace, height: u64, current: Option<&CodeCustody>) -> Self {
        Self::page(
            trace,
            height,
            current,
            Page {
                cursor: 0,
                limit: usize::MAX,
            },
        )
    }

    /// As [`TraceJson::new`], the hops of `page` only.
    pub fn page(trace: &Trace, height: u64, current: Option<&CodeCustody>, page: Page) -> Self {
        let (hops, next_cursor) = page.slice(&trace.hops);
        Self {
            code: trace.code.to_string(),
            height,
            current: current.map(CustodyJson::from),
            hops: hops.iter().map(HopJson::from).collect(),
            total: trace.hops.len() as u64,
            next_cursor,
            upstream: codes(&trace.upstream),
            downstream: codes(&trace.downstream),
            containers: trace.containers.iter().map(ContainerJson::from).collect(),
            clearances: trace.clearances.iter().map(ClearanceJson::from).collect(),
            holds: Vec::new(),
        }
    }
}

/// One code to recall and its custody now.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RecallRowJson {
    /// The code.
    pub code: String,
    /// Its custody.
    #[serde(flatten)]
    pub custody: CustodyJson,
}

impl From<&RecallRow> for RecallRowJson {
    fn from(r: &RecallRow) -> Self {
        let custody = CodeCustody {
            custody: Custody {
                custodian: r.holder,
                location: r.location.clone(),
                status: r.status,
                root: r.root,
                expired: r.expired,
                excursion: r.excursion,
            },
            lot: r.lot.clone(),
        };
        Self {
            code: r.code.to_string(),
            custody: CustodyJson::from(&custody),
        }
    }
}

/// How many of the recalled codes one organisation holds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HolderJson {
    /// The organisation.
    pub org: OrgId,
    /// How many codes.
    pub quantity: u32,
}

/// A hold on a listed lot and where it stands (闭环).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LotHoldJson {
    /// The lot.
    pub lot: LotJson,
    /// `failed_test` (food) or `positive_test` (cold chain).
    pub source: String,
    /// `held`, `released` or `disposed`.
    pub state: String,
    /// Who recorded the test (held) or decided (released, disposed).
    pub by: OrgId,
    /// The block of the test or of the decision.
    pub at: u64,
    /// What the decision cites, hex: the decision document (released) or the disposal attestation (disposed).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decision: Option<String>,
}

impl LotHoldJson {
    /// The JSON of `hold` on `lot`.
    pub fn new(lot: &LotKey, hold: &LotHold) -> Self {
        let (by, at, decision) = match hold.state {
            HoldState::Held { by, at, .. } => (by, at, None),
            HoldState::Released {
                by, at, decision, ..
            } => (by, at, Some(decision.to_string())),
            HoldState::Disposed { by, at, disposal } => (by, at, Some(disposal.to_string())),
        };
        Self {
            lot: LotJson::from(lot),
            source: hold.source.as_str().to_string(),
            state: hold.state.as_str().to_string(),
            by,
            at,
            decision,
        }
    }
}

/// `trace_recall`: every code downstream of the target, with its holder.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RecallJson {
    /// The lot recalled, if the target was a lot.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lot: Option<LotJson>,
    /// The code recalled, if the target was a code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code: Option<String>,
    /// The height the answer was read at.
    pub height: u64,
    /// Every downstream code, sorted.
    pub rows: Vec<RecallRowJson>,
    /// How many each holder has, by organisation.
    pub holders: Vec<HolderJson>,
    /// The holds of the recalled lot and of the listed codes' lots: held, released or disposed.
    #[serde(default)]
    pub holds: Vec<LotHoldJson>,
    /// How many codes the recall has in all (`rows` is one page of them).
    #[serde(default)]
    pub total: u64,
    /// Where the next page of codes starts (`trace_recall`'s `cursor`); absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<u64>,
}

impl RecallJson {
    /// The JSON of `recall` read at `height`.
    pub fn new(recall: &Recall, height: u64) -> Self {
        let (lot, code) = match &recall.target {
            yima_runtime::query::RecallTarget::Lot(l) => (Some(LotJson::from(l)), None),
            yima_runtime::query::RecallTarget::Code(c) => (None, Some(c.to_string())),
        };
        Self {
            lot,
            code,
            height,
            rows: recall.rows.iter().map(RecallRowJson::from).collect(),
            total: recall.rows.len() as u64,
            next_cursor: None,
            holders: recall
                .holders
                .iter()
                .map(|(org, quantity)| HolderJson {
                    org: *org,
                    quantity: *quantity,
                })
                .collect(),
            holds: recall
                .lots
                .iter()
                .flat_map(|(lot, holds)| holds.iter().map(move |h| LotHoldJson::new(lot, h)))
                .collect(),
        }
    }

    /// The rows of `page` only (holders and holds stay whole: one per organisation or lot).
    pub fn into_page(mut self, page: Page) -> Self {
        let (rows, next) = page.slice(&self.rows);
        let rows = rows.to_vec();
        self.rows = rows;
        self.next_cursor = next;
        self
    }
}

/// One custody event an organisation captured.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrgEventJson {
    /// Where it is (`proof_event(block, index)` proves it).
    pub at: EventRefJson,
    /// The event.
    pub event: EpcisJson,
}

/// `trace_orgEvents`: one page of the custody events an organisation captured, in chain order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrgEventsJson {
    /// The organisation.
    pub org: OrgId,
    /// The height read.
    pub height: u64,
    /// The events of this page.
    pub events: Vec<OrgEventJson>,
    /// Where the next page starts (`from`); absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<EventRefJson>,
}
