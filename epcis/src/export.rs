//! Export: on-chain events → EPCIS 2.0 JSON-LD event objects and a whole `EPCISDocument`.
//!
//! EPCs as Digital Links under `https://id.gs1.org` (NMPA and cold-chain codes as `urn:yima:code:{code}`),
//! vocabulary values as bare CBV words (our extensions as `urn:yima:` URNs), times in UTC with milliseconds, the
//! event hash as `eventID` (`ni:///sha-256;…?ver=CBV2.0`). Importing the output gives the same events back.

use serde_json::{json, Map, Value};
use yima_frame::OrgId;
use yima_trace::epcis::{EpcisEvent, EventBody, SensorKind, SensorReport, Unit};

use crate::cbv::{biz_step_value, biz_transaction_kind_value};
use crate::datetime::{format_date, format_offset, format_utc_ms};
use crate::fields::{ATTESTATION_URN, DOC_URN};
use crate::hash::ni_uri;
use crate::ids::{class_uri, epc_uri, location_uri};
use crate::party::PartyNamer;

/// The EPCIS 2.0 JSON-LD context.
pub const EPCIS_CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// A whole `EPCISDocument` holding `events`, created at `creation_time_ms` (ms UTC; pass the time of export, or of
/// the last event's block for a reproducible file).
pub fn export_document(
    events: &[EpcisEvent],
    namer: &impl PartyNamer,
    creation_time_ms: u64,
) -> Value {
    json!({
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": format_utc_ms(i64::try_from(creation_time_ms).unwrap_or(i64::MAX)),
        "epcisBody": { "eventList": events.iter().map(|e| export_event(e, namer)).collect::<Vec<_>>() },
    })
}

fn codes(codes: &[yima_codes::TraceCode]) -> Value {
    codes.iter().map(epc_uri).collect()
}

fn party(org: OrgId, namer: &impl PartyNamer, key: &str) -> Value {
    let id = namer
        .name(org)
        .map_or_else(|| format!("urn:yima:org:{org}"), |p| p.to_uri());
    json!([{ "type": "owning_party", key: id }])
}

/// A number in hundredths as the JSON number it writes (`2610` → `26.1`).
fn centi(v: i32) -> Value {
    if v % 100 == 0 {
        json!(v / 100)
    } else {
        json!(f64::from(v) / 100.0)
    }
}

fn sensor_element(report: &SensorReport) -> Value {
    let (kind, uom) = match (report.kind, report.unit) {
        (SensorKind::Temperature, Unit::Celsius) => ("Temperature", "CEL"),
        (SensorKind::Temperature, Unit::Fahrenheit) => ("Temperature", "FAH"),
        (SensorKind::Temperature, Unit::Kelvin) => ("Temperature", "KEL"),
        (SensorKind::Temperature, Unit::Percent) => ("Temperature", "P1"),
        (SensorKind::Humidity, Unit::Percent) => ("RelativeHumidity", "P1"),
        (SensorKind::Humidity, Unit::Celsius) => ("RelativeHumidity", "CEL"),
        (SensorKind::Humidity, Unit::Fahrenheit) => ("RelativeHumidity", "FAH"),
        (SensorKind::Humidity, Unit::Kelvin) => ("RelativeHumidity", "KEL"),
    };
    let mut element = Map::new();
    if let Some(device) = &report.device {
        element.insert(
            "sensorMetadata".into(),
            json!({ "deviceID": String::from_utf8_lossy(device) }),
        );
    }
    element.insert(
        "sensorReport".into(),
        json!([{
            "type": kind,
            "minValue": centi(report.min),
            "maxValue": centi(report.max),
            "meanValue": centi(report.mean),
            "uom": uom,
        }]),
    );
    Value::Object(element)
}

/// One event as an EPCIS 2.0 JSON-LD event object; `namer` names its source and destination organisations.
pub fn export_event(event: &EpcisEvent, namer: &impl PartyNamer) -> Value {
    let mut out = Map::new();
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_owned(), v);
    };
    match &event.body {
        EventBody::Object {
            action,
            epcs,
            quantities,
        } => {
            put("type", json!("ObjectEvent"));
            put("action", json!(action.cbv()));
            put("epcList", codes(epcs));
            if !quantities.is_empty() {
                let list: Vec<Value> = quantities
                    .iter()
                    .map(|q| {
                        let mut e =
                            json!({ "epcClass": class_uri(&q.lot), "quantity": q.quantity });
                        if let Some(uom) = q.uom {
                            e["uom"] = json!(String::from_utf8_lossy(&uom));
                        }
                        e
                    })
                    .collect();
                put("quantityList", Value::Array(list));
            }
        }
        EventBody::Aggregation {
            action,
            parent,
            children,
        } => {
            put("type", json!("AggregationEvent"));
            put("action", json!(action.cbv()));
            put("parentID", json!(epc_uri(parent)));
            put("childEPCs", codes(children));
        }
        EventBody::Transformation { inputs, outputs } => {
            put("type", json!("TransformationEvent"));
            put("inputEPCList", codes(inputs));
            put("outputEPCList", codes(outputs));
        }
        EventBody::Transaction {
            action,
            biz_transactions,
            epcs,
        } => {
            put("type", json!("TransactionEvent"));
            put("action", json!(action.cbv()));
            put("epcList", codes(epcs));
            let list: Vec<Value> = biz_transactions
                .iter()
                .map(|t| {
                    let mut e =
                        json!({ "bizTransaction": format!("{DOC_URN}{}", t.digest.to_hex()) });
                    if let Some(kind) = biz_transaction_kind_value(t.kind) {
                        e["type"] = json!(kind);
                    }
                    e
                })
                .collect();
            put("bizTransactionList", Value::Array(list));
        }
    }
    put(
        "eventTime",
        json!(format_utc_ms(
            i64::try_from(event.event_time).unwrap_or(i64::MAX)
        )),
    );
    put(
        "eventTimeZoneOffset",
        json!(format_offset(event.time_zone_offset_minutes)),
    );
    put("bizStep", json!(biz_step_value(event.biz_step)));
    if let Some(d) = event.disposition {
        put("disposition", json!(d.cbv()));
    }
    if let Some(l) = &event.read_point {
        put("readPoint", json!({ "id": location_uri(l) }));
    }
    if let Some(l) = &event.biz_location {
        put("bizLocation", json!({ "id": location_uri(l) }));
    }
    if let Some(org) = event.source {
        put("sourceList", party(org, namer, "source"));
    }
    if let Some(org) = event.destination {
        put("destinationList", party(org, namer, "destination"));
    }
    if let Some(ilmd) = &event.ilmd {
        put(
            "ilmd",
            json!({
                "cbvmda:lotNumber": ilmd.lot.lot.as_str(),
                "cbvmda:productionDate": format_date(ilmd.production_date),
                "cbvmda:itemExpirationDate": format_date(ilmd.expiry),
            }),
        );
    }
    if !event.sensors.is_empty() {
        put(
            "sensorElementList",
            event.sensors.iter().map(sensor_element).collect(),
        );
    }
    match event.certifications.as_slice() {
        [] => {}
        [one] => put(
            "certificationInfo",
            json!(format!("{ATTESTATION_URN}{}", one.to_hex())),
        ),
        many => put(
            "certificationInfo",
            many.iter()
                .map(|h| format!("{ATTESTATION_URN}{}", h.to_hex()))
                .collect(),
        ),
    }
    if let Some(id) = &event.event_id {
        put("eventID", json!(ni_uri(id)));
    }
    Value::Object(out)
}
