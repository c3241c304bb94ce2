//! The CBV 2.0 "EPCIS Event Hash ID": a pre-hash string built from an event's fields in the canonical property
//! order, SHA-256 of it, written `ni:///sha-256;{hex}?ver=CBV2.0` (RFC 6920).
//!
//! Followed as in CBV 2.0 §8.9 and its reference implementation (github.com/RalphTro/epcis-event-hash-generator):
//! `key=value` pairs concatenated without separators, in the order `eventType`, `eventTime`, `eventTimeZoneOffset`,
//! `certificationInfo`, `epcList`, `parentID`, `inputEPCList`, `childEPCs`, `quantityList`, `childQuantityList`,
//! `inputQuantityList`, `outputEPCList`, `outputQuantityList`, `action`, `transformationID`, `bizStep`,
//! `disposition`, `persistentDisposition`, `readPoint`, `bizLocation`, `bizTransactionList`, `sourceList`,
//! `destinationList`, `sensorElementList`, then everything else (`ilmd`, user extensions) as `{namespace}name=value`
//! sorted. A list's name appears once, its entries sorted; a typed entry is `value` then `type`; timestamps in UTC
//! with milliseconds; values canonical as in [`crate::canon`]. `eventID`, `recordTime` and comments take no part.
//!
//! Checked against the published vectors of the reference implementation (see the tests).

use serde_json::{Map, Value};
use yima_frame::{sha256, Hash};

use crate::canon::{self, gs1_term};
use crate::cbv::{Vocabulary, BIZ_STEP, BTT, DISPOSITION, SDT};
use crate::datetime::{format_utc_ms, parse_date_time_signed};

/// Namespace prefixes for extension keys: `example:temp` → `{https://ns.example.com/}temp`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Namespaces(Vec<(String, String)>);

impl Namespaces {
    /// The prefixes the EPCIS 2.0 context defines (`cbvmda`, `gs1`, `cbv`, `epcis`) plus every prefix an
    /// `@context` (string, object or list of them) declares.
    pub fn from_context(context: Option<&Value>) -> Self {
        let mut ns = Namespaces(vec![
            ("cbvmda".into(), "urn:epcglobal:cbv:mda".into()),
            ("gs1".into(), "https://gs1.org/voc/".into()),
            ("cbv".into(), "https://ref.gs1.org/cbv/".into()),
            ("epcis".into(), "https://ref.gs1.org/epcis/".into()),
        ]);
        let mut add = |obj: &Map<String, Value>| {
            for (k, v) in obj {
                if let Some(iri) = v.as_str() {
                    ns.0.retain(|(p, _)| p != k);
                    ns.0.push((k.clone(), iri.to_owned()));
                }
            }
        };
        match context {
            Some(Value::Object(obj)) => add(obj),
            Some(Value::Array(items)) => {
                items.iter().filter_map(Value::as_object).for_each(&mut add)
            }
            _ => {}
        }
        ns
    }

    /// `{iri}local` for `prefix:local` with a known prefix; the key unchanged otherwise.
    pub fn expand_key(&self, key: &str) -> String {
        if let Some((prefix, local)) = key.split_once(':') {
            if let Some((_, iri)) = self.0.iter().find(|(p, _)| p == prefix) {
                return format!("{{{iri}}}{local}");
            }
        }
        key.to_owned()
    }
}

/// The event hash of an event object under the standard namespaces ([`Namespaces::from_context`] of nothing).
pub fn event_hash(event: &Value) -> Hash {
    event_hash_with(event, &Namespaces::from_context(None))
}

/// The event hash of an event object whose document declares `namespaces`.
pub fn event_hash_with(event: &Value, namespaces: &Namespaces) -> Hash {
    sha256(pre_hash_string(event, namespaces).as_bytes())
}

/// `ni:///sha-256;{hex}?ver=CBV2.0`.
pub fn ni_uri(hash: &Hash) -> String {
    format!("ni:///sha-256;{}?ver=CBV2.0", hash.to_hex())
}

/// The SHA-256 digest of a `ni:///sha-256;{hex}` URI (any `?ver=`); `None` for anything else.
pub fn parse_ni(uri: &str) -> Option<Hash> {
    let hex_part = uri.trim().strip_prefix("ni:///sha-256;")?;
    let hex_part = hex_part.split('?').next()?;
    let bytes: [u8; 32] = hex::decode(hex_part).ok()?.try_into().ok()?;
    Some(Hash(bytes))
}

/// Keys that take no part in the hash.
const IGNORED: &[&str] = &[
    "type",
    "eventID",
    "recordTime",
    "@context",
    "rdfs:comment",
    "comment",
];

/// The pre-hash string of an event object (see the module docs).
pub fn pre_hash_string(event: &Value, namespaces: &Namespaces) -> String {
    let empty = Map::new();
    let obj = event.as_object().unwrap_or(&empty);
    let mut out = String::new();
    if let Some(t) = obj.get("type").and_then(Value::as_str) {
        out.push_str(&format!("eventType={}", t.trim()));
    }
    let mut handled: Vec<&str> = IGNORED.to_vec();
    let mut field = |key: &'static str, out: &mut String, f: &dyn Fn(&Value) -> String| {
        handled.push(key);
        if let Some(v) = obj.get(key) {
            out.push_str(&f(v));
        }
    };
    field("eventTime", &mut out, &|v| {
        scalar("eventTime", v, &timestamp)
    });
    field("eventTimeZoneOffset", &mut out, &|v| {
        scalar("eventTimeZoneOffset", v, &|s| s.trim().to_owned())
    });
    field("certificationInfo", &mut out, &|v| {
        repeated("certificationInfo", v, &canon::value)
    });
    field("epcList", &mut out, &|v| epc_list("epcList", v));
    field("parentID", &mut out, &|v| {
        scalar("parentID", v, &canon::value)
    });
    field("inputEPCList", &mut out, &|v| epc_list("inputEPCList", v));
    field("childEPCs", &mut out, &|v| epc_list("childEPCs", v));
    field("quantityList", &mut out, &|v| {
        quantity_list("quantityList", v)
    });
    field("childQuantityList", &mut out, &|v| {
        quantity_list("childQuantityList", v)
    });
    field("inputQuantityList", &mut out, &|v| {
        quantity_list("inputQuantityList", v)
    });
    field("outputEPCList", &mut out, &|v| epc_list("outputEPCList", v));
    field("outputQuantityList", &mut out, &|v| {
        quantity_list("outputQuantityList", v)
    });
    field("action", &mut out, &|v| {
        scalar("action", v, &|s| s.trim().to_owned())
    });
    field("transformationID", &mut out, &|v| {
        scalar("transformationID", v, &canon::value)
    });
    field("bizStep", &mut out, &|v| {
        scalar("bizStep", v, &|s| vocab(&BIZ_STEP, s))
    });
    field("disposition", &mut out, &|v| {
        scalar("disposition", v, &|s| vocab(&DISPOSITION, s))
    });
    field("persistentDisposition", &mut out, &|v| {
        persistent_disposition(v)
    });
    field("readPoint", &mut out, &|v| {
        location("readPoint", v, namespaces)
    });
    field("bizLocation", &mut out, &|v| {
        location("bizLocation", v, namespaces)
    });
    field("bizTransactionList", &mut out, &|v| {
        typed_list("bizTransactionList", "bizTransaction", &BTT, v)
    });
    field("sourceList", &mut out, &|v| {
        typed_list("sourceList", "source", &SDT, v)
    });
    field("destinationList", &mut out, &|v| {
        typed_list("destinationList", "destination", &SDT, v)
    });
    field("sensorElementList", &mut out, &|v| {
        sensor_elements(v, namespaces)
    });
    let mut rest: Vec<String> = obj
        .iter()
        .filter(|(k, _)| !handled.contains(&k.as_str()))
        .flat_map(|(k, v)| generic(k, v, namespaces))
        .collect();
    rest.sort();
    out.push_str(&rest.concat());
    out
}

/// Text of a scalar (string, number, boolean); `None` for null, objects and arrays.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(
            n.as_f64()
                .map_or_else(|| n.to_string(), canon::format_number),
        ),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `key=canonical` for a non-empty scalar, nothing otherwise.
fn scalar(key: &str, v: &Value, canonical: &dyn Fn(&str) -> String) -> String {
    match text(v) {
        Some(s) if !s.trim().is_empty() => format!("{key}={}", canonical(&s)),
        _ => String::new(),
    }
}

/// Each value of a scalar or an array of them as `key=value`, sorted.
fn repeated(key: &str, v: &Value, canonical: &dyn Fn(&str) -> String) -> String {
    let mut parts: Vec<String> = match v {
        Value::Array(items) => items.iter().map(|i| scalar(key, i, canonical)).collect(),
        other => vec![scalar(key, other, canonical)],
    };
    parts.sort();
    parts.concat()
}

fn timestamp(s: &str) -> String {
    parse_date_time_signed(s).map_or_else(|_| s.trim().to_owned(), format_utc_ms)
}

fn vocab(vocabulary: &Vocabulary, s: &str) -> String {
    let t = s.trim();
    if t.contains(':') {
        canon::value(t)
    } else {
        vocabulary.canonical(t)
    }
}

/// `name` followed by the sorted parts, or nothing when there are none.
fn list(name: &str, mut parts: Vec<String>) -> String {
    parts.retain(|p| !p.is_empty());
    if parts.is_empty() {
        return String::new();
    }
    parts.sort();
    format!("{name}{}", parts.concat())
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn epc_list(name: &str, v: &Value) -> String {
    list(
        name,
        items(v)
            .iter()
            .map(|e| scalar("epc", e, &canon::value))
            .collect(),
    )
}

fn quantity_list(name: &str, v: &Value) -> String {
    let element = |q: &Value| {
        let s = ["epcClass", "quantity", "uom"]
            .iter()
            .map(|k| {
                q.get(k)
                    .map_or(String::new(), |x| scalar(k, x, &canon::value))
            })
            .collect::<String>();
        if s.is_empty() {
            s
        } else {
            format!("quantityElement{s}")
        }
    };
    list(name, items(v).iter().map(element).collect())
}

fn persistent_disposition(v: &Value) -> String {
    let part = |k: &str| {
        let mut p: Vec<String> = v
            .get(k)
            .map_or(&[][..], items)
            .iter()
            .map(|d| scalar(k, d, &|s| vocab(&DISPOSITION, s)))
            .collect();
        p.sort();
        p.concat()
    };
    let body = format!("{}{}", part("set"), part("unset"));
    if body.is_empty() {
        body
    } else {
        format!("persistentDisposition{body}")
    }
}

/// Extension fields of an object (everything but `known`), each as in [`generic`], sorted.
fn extensions(obj: &Map<String, Value>, known: &[&str], ns: &Namespaces) -> String {
    let mut parts: Vec<String> = obj
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()) && !IGNORED[3..].contains(&k.as_str()))
        .flat_map(|(k, v)| generic(k, v, ns))
        .collect();
    parts.sort();
    parts.concat()
}

fn location(name: &str, v: &Value, ns: &Namespaces) -> String {
    let Some(obj) = v.as_object() else {
        return String::new();
    };
    let id = obj
        .get("id")
        .map_or(String::new(), |id| scalar("id", id, &canon::value));
    let body = format!("{id}{}", extensions(obj, &["id"], ns));
    if body.is_empty() {
        body
    } else {
        format!("{name}{body}")
    }
}

fn typed_list(name: &str, key: &str, vocabulary: &Vocabulary, v: &Value) -> String {
    let entry = |e: &Value| {
        let value = e
            .get(key)
            .map_or(String::new(), |x| scalar(key, x, &canon::value));
        let kind = e.get("type").map_or(String::new(), |t| {
            scalar("type", t, &|s| vocab(vocabulary, s))
        });
        format!("{value}{kind}")
    };
    list(name, items(v).iter().map(entry).collect())
}

const METADATA: &[&str] = &[
    "time",
    "startTime",
    "endTime",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
];
const REPORT: &[&str] = &[
    "type",
    "exception",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "time",
    "microorganism",
    "chemicalSubstance",
    "value",
    "component",
    "stringValue",
    "booleanValue",
    "hexBinaryValue",
    "uriValue",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
    "uom",
    "coordinateReferenceSystem",
];

/// The fields of `obj` named in `order`, in that order, then its extensions; `name` first if anything is there.
fn ordered(name: &str, obj: &Map<String, Value>, order: &[&str], ns: &Namespaces) -> String {
    let mut body = String::new();
    for k in order {
        if let Some(v) = obj.get(*k) {
            let canonical: &dyn Fn(&str) -> String = match *k {
                "time" | "startTime" | "endTime" => &timestamp,
                "type" | "exception" | "component" => &gs1_term,
                _ => &canon::value,
            };
            body.push_str(&scalar(k, v, canonical));
        }
    }
    body.push_str(&extensions(obj, order, ns));
    if body.is_empty() {
        body
    } else {
        format!("{name}{body}")
    }
}

fn sensor_elements(v: &Value, ns: &Namespaces) -> String {
    let element = |e: &Value| {
        let Some(obj) = e.as_object() else {
            return String::new();
        };
        let metadata = obj
            .get("sensorMetadata")
            .and_then(Value::as_object)
            .map_or(String::new(), |m| {
                ordered("sensorMetadata", m, METADATA, ns)
            });
        let reports = obj.get("sensorReport").map_or(&[][..], items);
        let mut reports: Vec<String> = reports
            .iter()
            .filter_map(Value::as_object)
            .map(|r| ordered("sensorReport", r, REPORT, ns))
            .collect();
        reports.sort();
        let body = format!(
            "{metadata}{}{}",
            reports.concat(),
            extensions(obj, &["sensorMetadata", "sensorReport"], ns)
        );
        if body.is_empty() {
            body
        } else {
            format!("sensorElement{body}")
        }
    };
    list("sensorElementList", items(v).iter().map(element).collect())
}

/// Any other field: `{namespace}name=value`, an object as its name then its sorted fields, an array as one entry
/// per element under the same name.
fn generic(key: &str, v: &Value, ns: &Namespaces) -> Vec<String> {
    let name = ns.expand_key(key);
    match v {
        Value::Array(items) => items.iter().flat_map(|i| generic(key, i, ns)).collect(),
        Value::Object(obj) => {
            let mut parts: Vec<String> = obj
                .iter()
                .filter(|(k, _)| !IGNORED[3..].contains(&k.as_str()))
                .flat_map(|(k, v)| generic(k, v, ns))
                .collect();
            parts.sort();
            vec![format!("{name}{}", parts.concat())]
        }
        Value::Null => vec![],
        scalar_value => match text(scalar_value) {
            Some(s) if !s.trim().is_empty() => vec![format!("{name}={}", canon::value(&s))],
            _ => vec![name],
        },
    }
}
