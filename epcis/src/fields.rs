//! The "why" and "how" fields of an imported event: business transactions, sources and destinations, `ilmd`,
//! sensor reports and certification references.
//!
//! - **Business transactions** are kept by digest: a `urn:yima:doc:sha256:{hex}` (what export writes) or
//!   `ni:///sha-256;{hex}` id gives its digest; any other id is kept as the SHA-256 of its text.
//! - **ilmd**: `lotNumber`, `productionDate`, `itemExpirationDate`, bare or with the `cbvmda:` (or `gs1:`) prefix.
//!   The chain keeps a lot with both dates, so all three are needed; the lot's product is the GTIN or NMPA product
//!   of the event's first code (outputs for a transformation) or first quantity.
//! - **Sensors**: reports of type `Temperature` (`CEL`, `FAH`, `KEL`) and `RelativeHumidity` (`P1`) are
//!   summarised per (quantity, unit, device) into min, max and mean in hundredths of the unit (`value`s, or a
//!   report's own `minValue`/`maxValue`/`meanValue`). Other sensor types are listed as dropped.
//! - **certificationInfo**: attestation ids, `urn:yima:attestation:{hex}` or the 64 hex digits.

use serde_json::{Map, Value};
use yima_codes::{LotNumber, ProductId};
use yima_frame::{sha256, Hash};
use yima_trace::epcis::{
    BizTransaction, EpcisEvent, EventBody, Ilmd, SensorKind, SensorReport, Unit, MAX_ID_BYTES,
};
use yima_trace::types::LotKey;

use crate::cbv::{self, SDT};
use crate::datetime::parse_date;
use crate::error::{EpcisError, Problem};
use crate::hash::parse_ni;
use crate::import::Ctx;
use crate::party::{Party, PartyId, PartyRole};

/// Prefix of a business document id written by export: its SHA-256.
pub const DOC_URN: &str = "urn:yima:doc:sha256:";
/// Prefix of an attestation id.
pub const ATTESTATION_URN: &str = "urn:yima:attestation:";

fn hex32(s: &str) -> Option<Hash> {
    let bytes: [u8; 32] = hex::decode(s).ok()?.try_into().ok()?;
    Some(Hash(bytes))
}

pub(crate) fn biz_transactions(
    ctx: &Ctx,
    obj: &Map<String, Value>,
) -> Result<Vec<BizTransaction>, EpcisError> {
    if ctx.array_of(obj, "bizTransactionList")?.is_empty() {
        return Err(ctx.err(
            "bizTransactionList",
            Problem::Missing("a TransactionEvent names its documents"),
        ));
    }
    ctx.objects(obj, "bizTransactionList")?
        .into_iter()
        .map(|(at, e)| {
            let field = |k: &str| format!("{at}{k}");
            let id = e
                .get("bizTransaction")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    ctx.err(
                        field(".bizTransaction"),
                        Problem::Missing("the document's id"),
                    )
                })?
                .trim();
            let kind = match e.get("type").and_then(Value::as_str) {
                None => yima_trace::epcis::BizTransactionKind::Other,
                Some(t) => cbv::biz_transaction_kind(t.trim()).ok_or_else(|| {
                    ctx.err(
                        field(".type"),
                        Problem::BadCbv {
                            vocabulary: "business transaction type",
                            value: t.into(),
                        },
                    )
                })?,
            };
            let digest = id
                .strip_prefix(DOC_URN)
                .and_then(hex32)
                .or_else(|| parse_ni(id))
                .unwrap_or_else(|| sha256(id.as_bytes()));
            Ok(BizTransaction { kind, digest })
        })
        .collect()
}

pub(crate) fn parties(
    ctx: &Ctx,
    obj: &Map<String, Value>,
    list: &str,
    key: &str,
) -> Result<Vec<Party>, EpcisError> {
    ctx.objects(obj, list)?
        .into_iter()
        .map(|(at, e)| {
            let field = |k: &str| format!("{at}{k}");
            let id = e.get(key).and_then(Value::as_str).ok_or_else(|| {
                ctx.err(
                    field(&format!(".{key}")),
                    Problem::Missing("the party's id"),
                )
            })?;
            let role = match e.get("type").and_then(Value::as_str) {
                None => PartyRole::Unspecified,
                Some(t) => match SDT.read(t.trim()) {
                    Some(cbv::Term::Cbv("owning_party")) => PartyRole::OwningParty,
                    Some(cbv::Term::Cbv("possessing_party")) => PartyRole::PossessingParty,
                    Some(cbv::Term::Cbv("location")) => PartyRole::Location,
                    Some(_) => PartyRole::Unspecified,
                    None => {
                        return Err(ctx.err(
                            field(".type"),
                            Problem::BadCbv {
                                vocabulary: "source/destination type",
                                value: t.into(),
                            },
                        ))
                    }
                },
            };
            Ok(Party {
                role,
                id: PartyId::parse(id),
            })
        })
        .collect()
}

/// The value of an ilmd key in any of its spellings, with the spelling found.
fn ilmd_value<'v>(ilmd: &'v Map<String, Value>, name: &str) -> Option<(String, &'v Value)> {
    ["", "cbvmda:", "gs1:"]
        .iter()
        .map(|p| format!("{p}{name}"))
        .find_map(|k| ilmd.get(&k).map(|v| (k, v)))
}

pub(crate) fn ilmd(
    ctx: &Ctx,
    obj: &Map<String, Value>,
    event: &EpcisEvent,
    dropped: &mut Vec<String>,
) -> Result<Option<Ilmd>, EpcisError> {
    let Some(v) = obj.get("ilmd").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let ilmd = v
        .as_object()
        .ok_or_else(|| ctx.err("ilmd", Problem::WrongType("an object")))?;
    let names = ["lotNumber", "productionDate", "itemExpirationDate"];
    let found: Vec<Option<(String, &Value)>> = names.iter().map(|n| ilmd_value(ilmd, n)).collect();
    let known: Vec<&String> = found.iter().flatten().map(|(k, _)| k).collect();
    dropped.extend(
        ilmd.keys()
            .filter(|k| !known.contains(k))
            .map(|k| format!("ilmd.{k}")),
    );
    if found.iter().all(Option::is_none) {
        return Ok(None);
    }
    let need =
        "the chain records a lot with lotNumber, productionDate and itemExpirationDate together";
    let text = |i: usize| -> Result<(String, String), EpcisError> {
        let (key, value) = found[i]
            .clone()
            .ok_or_else(|| ctx.err(format!("ilmd.{}", names[i]), Problem::Missing(need)))?;
        let s = value
            .as_str()
            .ok_or_else(|| ctx.err(format!("ilmd.{key}"), Problem::WrongType("a string")))?;
        Ok((key, s.trim().to_owned()))
    };
    let (lot_key, lot) = text(0)?;
    let lot = LotNumber::parse(&lot).map_err(|source| {
        ctx.err(
            format!("ilmd.{lot_key}"),
            Problem::BadCode {
                value: lot.clone(),
                source,
            },
        )
    })?;
    let date = |i: usize| -> Result<u64, EpcisError> {
        let (key, s) = text(i)?;
        parse_date(&s)
            .map_err(|reason| ctx.err(format!("ilmd.{key}"), Problem::BadDate { value: s, reason }))
    };
    let production_date = date(1)?;
    let expiry = date(2)?;
    let product = lot_product(event).ok_or_else(|| {
        ctx.err(
            "ilmd",
            Problem::Missing(
                "the lot's product comes from the event's codes; name a GTIN- or NMPA-coded item",
            ),
        )
    })?;
    Ok(Some(Ilmd {
        lot: LotKey { product, lot },
        production_date,
        expiry,
    }))
}

/// The product of the codes an `ilmd` describes.
fn lot_product(event: &EpcisEvent) -> Option<ProductId> {
    match &event.body {
        EventBody::Object {
            epcs, quantities, ..
        } => epcs
            .iter()
            .find_map(|c| c.product())
            .or_else(|| quantities.first().map(|q| q.lot.product)),
        EventBody::Transformation { outputs, .. } => outputs.iter().find_map(|c| c.product()),
        EventBody::Aggregation {
            parent, children, ..
        } => std::iter::once(parent)
            .chain(children)
            .find_map(|c| c.product()),
        EventBody::Transaction { epcs, .. } => epcs.iter().find_map(|c| c.product()),
    }
}

/// Reads a sensor quantity's type in any spelling: `Temperature`, `gs1:Temperature`, `https://gs1.org/voc/…`.
fn sensor_kind(t: &str) -> Option<SensorKind> {
    let local = t
        .strip_prefix("gs1:")
        .or_else(|| t.strip_prefix("https://gs1.org/voc/"))
        .or_else(|| t.strip_prefix("https://ref.gs1.org/voc/"))
        .unwrap_or(t);
    match local {
        "Temperature" => Some(SensorKind::Temperature),
        "RelativeHumidity" => Some(SensorKind::Humidity),
        _ => None,
    }
}

/// Summary of one (kind, unit, device) group while reading.
struct Group {
    kind: SensorKind,
    unit: Unit,
    device: Option<Vec<u8>>,
    min: i32,
    max: i32,
    means: Vec<i64>,
}

pub(crate) fn sensors(
    ctx: &Ctx,
    obj: &Map<String, Value>,
    dropped: &mut Vec<String>,
) -> Result<Vec<SensorReport>, EpcisError> {
    let mut groups: Vec<Group> = vec![];
    for (at, element) in ctx.objects(obj, "sensorElementList")? {
        let meta = element.get("sensorMetadata").and_then(Value::as_object);
        let meta_device = meta.and_then(|m| m.get("deviceID")).and_then(Value::as_str);
        if meta.is_some_and(|m| m.keys().any(|k| k != "deviceID")) {
            dropped.push(format!("{at}.sensorMetadata"));
        }
        let reports = match element.get("sensorReport") {
            Some(Value::Array(r)) => r.as_slice(),
            Some(one @ Value::Object(_)) => std::slice::from_ref(one),
            _ => {
                return Err(ctx.err(
                    format!("{at}.sensorReport"),
                    Problem::WrongType("an array of reports"),
                ))
            }
        };
        for (j, report) in reports.iter().enumerate() {
            let at = format!("{at}.sensorReport[{j}]");
            let report = report
                .as_object()
                .ok_or_else(|| ctx.err(&at, Problem::WrongType("an object")))?;
            let Some(kind) = report
                .get("type")
                .and_then(Value::as_str)
                .and_then(|t| sensor_kind(t.trim()))
            else {
                dropped.push(at);
                continue;
            };
            let uom = report.get("uom").and_then(Value::as_str).unwrap_or("");
            let unit = match (kind, uom) {
                (SensorKind::Temperature, "CEL") => Unit::Celsius,
                (SensorKind::Temperature, "FAH") => Unit::Fahrenheit,
                (SensorKind::Temperature, "KEL") => Unit::Kelvin,
                (SensorKind::Humidity, "P1") => Unit::Percent,
                (SensorKind::Temperature, _) => {
                    return Err(ctx.err(
                        format!("{at}.uom"),
                        Problem::WrongType("a temperature unit: CEL, FAH or KEL"),
                    ))
                }
                (SensorKind::Humidity, _) => {
                    return Err(ctx.err(
                        format!("{at}.uom"),
                        Problem::WrongType("a relative humidity unit: P1"),
                    ))
                }
            };
            let device = report
                .get("deviceID")
                .and_then(Value::as_str)
                .or(meta_device)
                .map(str::trim);
            if let Some(d) = device.filter(|d| d.len() > MAX_ID_BYTES) {
                return Err(ctx.err(
                    format!("{at}.deviceID"),
                    Problem::TooLong {
                        value: d.into(),
                        len: d.len(),
                        max: MAX_ID_BYTES,
                    },
                ));
            }
            let device = device.map(|d| d.as_bytes().to_vec());
            let number = |k: &str| -> Result<Option<i32>, EpcisError> {
                let Some(v) = report.get(k) else {
                    return Ok(None);
                };
                let bad = || {
                    ctx.err(
                        format!("{at}.{k}"),
                        Problem::BadNumber {
                            value: v.to_string(),
                            expected: "a number within ±21 million",
                        },
                    )
                };
                let x = v.as_f64().ok_or_else(bad)?;
                let centi = (x * 100.0).round();
                if !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&centi) {
                    return Err(bad());
                }
                Ok(Some(centi as i32))
            };
            let value = number("value")?;
            let (lo, hi, mean) = (
                number("minValue")?.or(value),
                number("maxValue")?.or(value),
                number("meanValue")?.or(value),
            );
            let (Some(lo), Some(hi)) = (lo.or(mean), hi.or(mean)) else {
                return Err(ctx.err(
                    &at,
                    Problem::Missing(
                        "a temperature or humidity report has value or minValue/maxValue",
                    ),
                ));
            };
            let mean = i64::from(mean.unwrap_or(((i64::from(lo) + i64::from(hi)) / 2) as i32));
            match groups
                .iter_mut()
                .find(|g| g.kind == kind && g.unit == unit && g.device == device)
            {
                Some(g) => {
                    g.min = g.min.min(lo);
                    g.max = g.max.max(hi);
                    g.means.push(mean);
                }
                None => groups.push(Group {
                    kind,
                    unit,
                    device,
                    min: lo,
                    max: hi,
                    means: vec![mean],
                }),
            }
        }
    }
    Ok(groups
        .into_iter()
        .map(|g| {
            let n = g.means.len() as i64;
            let sum: i64 = g.means.iter().sum();
            // Rounded half away from zero.
            let mean = if sum >= 0 {
                (2 * sum + n) / (2 * n)
            } else {
                (2 * sum - n) / (2 * n)
            };
            SensorReport {
                kind: g.kind,
                unit: g.unit,
                min: g.min,
                max: g.max,
                mean: mean as i32,
                device: g.device,
            }
        })
        .collect())
}

pub(crate) fn certifications(ctx: &Ctx, obj: &Map<String, Value>) -> Result<Vec<Hash>, EpcisError> {
    let values: Vec<&Value> = match obj.get("certificationInfo") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let field = format!("certificationInfo[{i}]");
            let s = v
                .as_str()
                .ok_or_else(|| ctx.err(&field, Problem::WrongType("a string")))?
                .trim();
            let hex_part = s.strip_prefix(ATTESTATION_URN).unwrap_or(s);
            hex32(hex_part).ok_or_else(|| ctx.err(&field, Problem::BadAttestation(s.into())))
        })
        .collect()
}
