//! Import: an EPCIS 2.0 JSON-LD document → one [`ImportedEvent`] per event.
//!
//! Read: `EPCISDocument` (`epcisBody.eventList`, or a single `epcisBody.event`), `EPCISQueryDocument`
//! (`epcisBody.queryResults.resultsBody.eventList`) and a bare JSON array of events. Each event is read on its own
//! (its line in the file is kept for messages) into the on-chain [`EpcisEvent`]; its `event_id` is the document's
//! `eventID` when that is already a `ni:///sha-256;…` hash, else the CBV 2.0 event hash computed here.
//!
//! **What the chain keeps, what it drops, what it refuses.** Fields the chain has no place for but that do not
//! change custody (sensor reports other than temperature and humidity, sensor times, party types,
//! `bizTransactionList` outside a TransactionEvent, `transformationID`, `persistentDisposition`, other `ilmd` keys,
//! user extensions, a non-hash `eventID`) are listed in [`ImportedEvent::dropped`]; they stay bound to the event
//! through its hash. Fields whose loss would change what moves (`childQuantityList`, `inputQuantityList`,
//! `outputQuantityList`, fractional quantities) and `errorDeclaration` are refused with
//! [`Problem::Unsupported`].

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use yima_codes::TraceCode;
use yima_frame::OrgId;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, QuantityElement};

use crate::cbv;
use crate::datetime::{parse_date_time, parse_offset};
use crate::error::{EpcisError, Problem};
use crate::fields;
use crate::hash::{event_hash_with, parse_ni, Namespaces};
use crate::ids::{read_class, read_epc, read_location};
use crate::party::{Party, PartyResolver};

/// One event of a document, as the chain will record it, with what the document said about its parties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEvent {
    /// Position in the document's event list, from 0.
    pub index: usize,
    /// Line of the event in the file, from 1.
    pub line: usize,
    /// The on-chain event (`source` / `destination` resolved, `event_id` set).
    pub event: EpcisEvent,
    /// `sourceList` as given.
    pub sources: Vec<Party>,
    /// `destinationList` as given.
    pub destinations: Vec<Party>,
    /// Fields present in the document that the on-chain event does not keep (see the module docs).
    pub dropped: Vec<String>,
}

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(rename = "@context")]
    context: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "epcisBody", borrow)]
    body: Option<Body<'a>>,
}

#[derive(Deserialize)]
struct Body<'a> {
    #[serde(rename = "eventList", borrow)]
    event_list: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    event: Option<&'a RawValue>,
    #[serde(rename = "queryResults", borrow)]
    query_results: Option<QueryResults<'a>>,
}

#[derive(Deserialize)]
struct QueryResults<'a> {
    #[serde(rename = "resultsBody", borrow)]
    results_body: ResultsBody<'a>,
}

#[derive(Deserialize)]
struct ResultsBody<'a> {
    #[serde(rename = "eventList", borrow)]
    event_list: Vec<&'a RawValue>,
}

fn json_error(e: serde_json::Error) -> EpcisError {
    EpcisError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Parses a whole document; the first event that cannot be imported fails it (an all-or-nothing import).
pub fn parse_document(
    input: &str,
    resolver: &impl PartyResolver,
) -> Result<Vec<ImportedEvent>, EpcisError> {
    parse_events(input, resolver)?.into_iter().collect()
}

/// Parses a document and each event on its own, so a caller may import the good events and report the bad ones;
/// `Err` only when the document itself cannot be read.
pub fn parse_events(
    input: &str,
    resolver: &impl PartyResolver,
) -> Result<Vec<Result<ImportedEvent, EpcisError>>, EpcisError> {
    let (raw, context) = if input.trim_start().starts_with('[') {
        (
            serde_json::from_str::<Vec<&RawValue>>(input).map_err(json_error)?,
            None,
        )
    } else {
        let doc: Document<'_> = serde_json::from_str(input).map_err(json_error)?;
        if let Some(kind) = doc.kind.as_deref() {
            if kind != "EPCISDocument" && kind != "EPCISQueryDocument" {
                return Err(EpcisError::NotADocument(format!("its type is `{kind}`")));
            }
        }
        let body = doc
            .body
            .ok_or_else(|| EpcisError::NotADocument("it has no epcisBody".into()))?;
        let raw = match (body.event_list, body.event, body.query_results) {
            (Some(list), _, _) => list,
            (None, Some(one), _) => vec![one],
            (None, None, Some(q)) => q.results_body.event_list,
            (None, None, None) => {
                return Err(EpcisError::NotADocument(
                    "its epcisBody has no eventList".into(),
                ))
            }
        };
        (raw, doc.context)
    };
    let namespaces = Namespaces::from_context(context.as_ref());
    Ok(raw
        .iter()
        .enumerate()
        .map(|(index, raw)| {
            let offset = (raw.get().as_ptr() as usize).saturating_sub(input.as_ptr() as usize);
            let line = input
                .get(..offset)
                .map_or(1, |before| before.matches('\n').count() + 1);
            let value: Value = serde_json::from_str(raw.get()).map_err(json_error)?;
            let ctx = Ctx { index, line };
            import_event(&ctx, &value, &namespaces, resolver)
        })
        .collect())
}

/// Objects of an array with their paths for messages (`quantityList[2]`).
pub(crate) type Entries<'v> = Vec<(String, &'v Map<String, Value>)>;

/// Where in the document an event is, for its errors.
pub(crate) struct Ctx {
    pub(crate) index: usize,
    pub(crate) line: usize,
}

impl Ctx {
    pub(crate) fn err(&self, field: impl Into<String>, problem: Problem) -> EpcisError {
        EpcisError::Event {
            index: self.index,
            line: self.line,
            field: field.into(),
            problem: Box::new(problem),
        }
    }

    pub(crate) fn str_of<'v>(
        &self,
        obj: &'v Map<String, Value>,
        key: &str,
    ) -> Result<Option<&'v str>, EpcisError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(self.err(key, Problem::WrongType("a string"))),
        }
    }

    pub(crate) fn required_str<'v>(
        &self,
        obj: &'v Map<String, Value>,
        key: &str,
        why: &'static str,
    ) -> Result<&'v str, EpcisError> {
        self.str_of(obj, key)?
            .ok_or_else(|| self.err(key, Problem::Missing(why)))
    }

    pub(crate) fn array_of<'v>(
        &self,
        obj: &'v Map<String, Value>,
        key: &str,
    ) -> Result<&'v [Value], EpcisError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(self.err(key, Problem::WrongType("an array"))),
        }
    }

    /// The entries of array `key`, each an object, with its path (`key[i]`) for messages.
    pub(crate) fn objects<'v>(
        &self,
        obj: &'v Map<String, Value>,
        key: &str,
    ) -> Result<Entries<'v>, EpcisError> {
        self.array_of(obj, key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let at = format!("{key}[{i}]");
                let entry = v
                    .as_object()
                    .ok_or_else(|| self.err(&at, Problem::WrongType("an object")))?;
                Ok((at, entry))
            })
            .collect()
    }

    fn codes(&self, obj: &Map<String, Value>, key: &str) -> Result<Vec<TraceCode>, EpcisError> {
        self.array_of(obj, key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let field = format!("{key}[{i}]");
                let s = v
                    .as_str()
                    .ok_or_else(|| self.err(&field, Problem::WrongType("a string")))?;
                read_epc(s).map_err(|p| self.err(&field, p))
            })
            .collect()
    }
}

/// Fields the chain cannot represent without changing what moves.
const REFUSED: &[(&str, &str)] = &[
    (
        "childQuantityList",
        "aggregations of lot quantities; pack coded units instead",
    ),
    (
        "inputQuantityList",
        "transformation inputs by quantity; name the input codes",
    ),
    (
        "outputQuantityList",
        "transformation outputs by quantity; commission the output codes",
    ),
    (
        "errorDeclaration",
        "error declarations; record a correcting event instead",
    ),
];

/// Fields of an event the import reads or deliberately ignores without listing them as dropped.
const READ: &[&str] = &[
    "type",
    "@context",
    "eventTime",
    "eventTimeZoneOffset",
    "recordTime",
    "action",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "epcList",
    "quantityList",
    "parentID",
    "childEPCs",
    "inputEPCList",
    "outputEPCList",
    "sourceList",
    "destinationList",
    "ilmd",
    "sensorElementList",
    "certificationInfo",
    "eventID",
];

fn import_event(
    ctx: &Ctx,
    value: &Value,
    namespaces: &Namespaces,
    resolver: &impl PartyResolver,
) -> Result<ImportedEvent, EpcisError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ctx.err("", Problem::WrongType("an event object")))?;
    let kind = ctx.required_str(obj, "type", "every event names its type")?;
    if !matches!(
        kind,
        "ObjectEvent" | "AggregationEvent" | "TransformationEvent" | "TransactionEvent"
    ) {
        return Err(ctx.err("type", Problem::UnknownEventType(kind.to_owned())));
    }
    for (field, why) in REFUSED {
        if obj.get(*field).is_some_and(|v| !v.is_null()) {
            return Err(ctx.err(*field, Problem::Unsupported(why)));
        }
    }
    let mut dropped: Vec<String> = obj
        .keys()
        .filter(|k| !READ.contains(&k.as_str()) && *k != "bizTransactionList")
        .cloned()
        .collect();

    let time = ctx.required_str(obj, "eventTime", "every event has an eventTime")?;
    let event_time = parse_date_time(time).map_err(|reason| {
        ctx.err(
            "eventTime",
            Problem::BadDate {
                value: time.into(),
                reason,
            },
        )
    })?;
    let zone = ctx.required_str(
        obj,
        "eventTimeZoneOffset",
        "every event has an eventTimeZoneOffset",
    )?;
    let offset = parse_offset(zone).map_err(|reason| {
        ctx.err(
            "eventTimeZoneOffset",
            Problem::BadDate {
                value: zone.into(),
                reason,
            },
        )
    })?;

    let action = || -> Result<Action, EpcisError> {
        let a = ctx.required_str(
            obj,
            "action",
            "this event type needs ADD, OBSERVE or DELETE",
        )?;
        Action::from_cbv(a).ok_or_else(|| ctx.err("action", Problem::BadAction(a.into())))
    };
    let mut transaction_list_used = false;
    let body = match kind {
        "ObjectEvent" => EventBody::Object {
            action: action()?,
            epcs: ctx.codes(obj, "epcList")?,
            quantities: quantities(ctx, obj)?,
        },
        "AggregationEvent" => {
            let parent = ctx.required_str(
                obj,
                "parentID",
                "the chain records aggregations with their parent",
            )?;
            EventBody::Aggregation {
                action: action()?,
                parent: read_epc(parent).map_err(|p| ctx.err("parentID", p))?,
                children: ctx.codes(obj, "childEPCs")?,
            }
        }
        "TransformationEvent" => EventBody::Transformation {
            inputs: ctx.codes(obj, "inputEPCList")?,
            outputs: ctx.codes(obj, "outputEPCList")?,
        },
        _ => {
            transaction_list_used = true;
            EventBody::Transaction {
                action: action()?,
                biz_transactions: fields::biz_transactions(ctx, obj)?,
                epcs: ctx.codes(obj, "epcList")?,
            }
        }
    };
    if !transaction_list_used && obj.contains_key("bizTransactionList") {
        dropped.push("bizTransactionList".into());
    }
    let biz_step = match ctx.str_of(obj, "bizStep")? {
        Some(s) => cbv::biz_step(s.trim()).ok_or_else(|| {
            ctx.err(
                "bizStep",
                Problem::BadCbv {
                    vocabulary: "business step",
                    value: s.into(),
                },
            )
        })?,
        None if kind == "TransformationEvent" => BizStep::Transforming,
        None => BizStep::Other,
    };
    let mut event = EpcisEvent::new(body, event_time, offset, biz_step);
    if let Some(s) = ctx.str_of(obj, "disposition")? {
        event.disposition = Some(cbv::disposition(s.trim()).ok_or_else(|| {
            ctx.err(
                "disposition",
                Problem::BadCbv {
                    vocabulary: "disposition",
                    value: s.into(),
                },
            )
        })?);
    }
    event.read_point = location(ctx, obj, "readPoint", &mut dropped)?;
    event.biz_location = location(ctx, obj, "bizLocation", &mut dropped)?;
    let sources = fields::parties(ctx, obj, "sourceList", "source")?;
    let destinations = fields::parties(ctx, obj, "destinationList", "destination")?;
    event.source = resolve(ctx, "sourceList", &sources, resolver)?;
    event.destination = resolve(ctx, "destinationList", &destinations, resolver)?;
    event.ilmd = fields::ilmd(ctx, obj, &event, &mut dropped)?;
    event.sensors = fields::sensors(ctx, obj, &mut dropped)?;
    event.certifications = fields::certifications(ctx, obj)?;
    let given = ctx.str_of(obj, "eventID")?;
    event.event_id = Some(match given.and_then(parse_ni) {
        Some(hash) => hash,
        None => {
            if given.is_some() {
                dropped.push("eventID".into());
            }
            event_hash_with(value, namespaces)
        }
    });
    dropped.sort();
    Ok(ImportedEvent {
        index: ctx.index,
        line: ctx.line,
        event,
        sources,
        destinations,
        dropped,
    })
}

fn quantities(ctx: &Ctx, obj: &Map<String, Value>) -> Result<Vec<QuantityElement>, EpcisError> {
    ctx.objects(obj, "quantityList")?
        .into_iter()
        .map(|(at, q)| {
            let field = |k: &str| format!("{at}.{k}");
            let class = q.get("epcClass").and_then(Value::as_str).ok_or_else(|| {
                ctx.err(
                    field("epcClass"),
                    Problem::Missing("a quantity names its lot"),
                )
            })?;
            let lot = read_class(class).map_err(|p| ctx.err(field("epcClass"), p))?;
            let quantity = match q.get("quantity") {
                None => 1,
                Some(v) => v.as_u64().ok_or_else(|| {
                    ctx.err(
                        field("quantity"),
                        Problem::BadNumber {
                            value: v.to_string(),
                            expected: "a whole number ≥ 0",
                        },
                    )
                })?,
            };
            let uom = match q.get("uom").and_then(Value::as_str) {
                None => None,
                Some(u) => Some(<[u8; 3]>::try_from(u.as_bytes()).map_err(|_| {
                    ctx.err(
                        field("uom"),
                        Problem::WrongType("a 3-character UN/CEFACT unit code such as KGM"),
                    )
                })?),
            };
            Ok(QuantityElement { lot, quantity, uom })
        })
        .collect()
}

fn location(
    ctx: &Ctx,
    obj: &Map<String, Value>,
    key: &str,
    dropped: &mut Vec<String>,
) -> Result<Option<yima_trace::epcis::Location>, EpcisError> {
    let Some(v) = obj.get(key).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let inner = v
        .as_object()
        .ok_or_else(|| ctx.err(key, Problem::WrongType("an object with an id")))?;
    let id = ctx
        .required_str(inner, "id", "a location has an id")
        .map_err(|_| {
            ctx.err(
                format!("{key}.id"),
                Problem::Missing("a location has an id"),
            )
        })?;
    dropped.extend(
        inner
            .keys()
            .filter(|k| *k != "id")
            .map(|k| format!("{key}.{k}")),
    );
    read_location(id)
        .map(Some)
        .map_err(|p| ctx.err(format!("{key}.id"), p))
}

/// The organisation of a source/destination list: the owning party, else the possessing party, else the location,
/// else the first entry.
fn resolve(
    ctx: &Ctx,
    key: &str,
    parties: &[Party],
    resolver: &impl PartyResolver,
) -> Result<Option<OrgId>, EpcisError> {
    use crate::party::PartyRole::*;
    let pick = [OwningParty, PossessingParty, Location, Unspecified]
        .iter()
        .find_map(|role| parties.iter().position(|p| p.role == *role));
    let Some(i) = pick else { return Ok(None) };
    let party = &parties[i];
    resolver.resolve(&party.id).map(Some).ok_or_else(|| {
        ctx.err(
            format!("{key}[{i}]"),
            Problem::UnknownParty(party.id.to_uri()),
        )
    })
}
