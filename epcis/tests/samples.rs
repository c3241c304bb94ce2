//! The sample documents in `samples/`: each imports, exports and re-imports to the same events and event hashes;
//! each bad one fails with the exact error (event index, line, field, problem).

use std::path::Path;

use yima_codes::{CodeError, CodeKind, Gln, TraceCode};
use yima_epcis::urn::UrnError;
use yima_epcis::{
    event_hash, export_document, export_event, parse_document, EpcisError, ImportedEvent, PartyId,
    Problem,
};
use yima_trace::epcis::{BizStep, EventBody, SensorKind, SensorReport, Unit};

/// The organisations of the samples: manufacturer 1, distributor 2, retailer 3.
const ORGS: [(&str, u32); 3] = [
    ("6952123450009", 1),
    ("6952123450016", 2),
    ("6952123450023", 3),
];

fn resolver(party: &PartyId) -> Option<u32> {
    match party {
        PartyId::Gln(gln) => ORGS
            .iter()
            .find(|(g, _)| *g == gln.as_str())
            .map(|(_, o)| *o),
        PartyId::Other(_) => None,
    }
}

fn namer(org: u32) -> Option<PartyId> {
    ORGS.iter()
        .find(|(_, o)| *o == org)
        .map(|(g, _)| PartyId::Gln(Gln::parse(g).unwrap()))
}

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(name: &str) -> Vec<ImportedEvent> {
    parse_document(&read(name), &resolver).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const SAMPLES: [&str; 7] = [
    "object_events.jsonld",
    "aggregation_events.jsonld",
    "transformation_event.jsonld",
    "transaction_event.jsonld",
    "sensor_data.jsonld",
    "certification.jsonld",
    "query_document.jsonld",
];

#[test]
fn every_sample_round_trips_with_the_same_events_and_hashes() {
    for name in SAMPLES {
        let first = import(name);
        assert!(!first.is_empty(), "{name}");
        let events: Vec<_> = first.iter().map(|i| i.event.clone()).collect();
        let document = export_document(&events, &namer, 1_772_000_000_000);
        let again = parse_document(&document.to_string(), &resolver).unwrap();
        let again: Vec<_> = again.into_iter().map(|i| i.event).collect();
        assert_eq!(again, events, "{name}");
        // A second trip changes nothing either.
        let third = export_document(&again, &namer, 1_772_000_000_000);
        assert_eq!(third, document, "{name}");
    }
}

/// Events whose every hashed field the chain keeps: the exported event, without its `eventID`, hashes to the
/// imported document's own hash. (The others lose something the hash covers; they keep the original hash through
/// `eventID`: two sources where the chain keeps one, bare `ilmd` keys exported with `cbvmda:`, a sensor series
/// kept as its summary, a business document kept by digest, a CBV word the chain does not model (`conformant`),
/// an attestation id written as bare hex.)
#[test]
fn lossless_events_rehash_to_the_original_hash() {
    let mut lossless = 0;
    for name in SAMPLES {
        for imported in import(name) {
            let mut exported = export_event(&imported.event, &namer);
            exported.as_object_mut().unwrap().remove("eventID");
            let same = Some(event_hash(&exported)) == imported.event.event_id;
            let expect_same = matches!(
                (name, imported.index),
                ("object_events.jsonld", 0 | 2 | 3)
                    | ("aggregation_events.jsonld", _)
                    | ("sensor_data.jsonld", 1)
            );
            assert_eq!(same, expect_same, "{name} event {}", imported.index);
            lossless += usize::from(same);
        }
    }
    assert_eq!(lossless, 6);
}

#[test]
fn what_the_samples_say_reaches_the_chain() {
    let objects = import("object_events.jsonld");
    let commissioning = &objects[0].event;
    let ilmd = commissioning.ilmd.as_ref().unwrap();
    assert_eq!(ilmd.lot.lot.as_str(), "L2603A");
    assert_eq!(ilmd.lot.product.as_str(), "06952123100010");
    assert_eq!(ilmd.production_date, 1_772_323_200_000); // 2026-03-01
    assert_eq!(commissioning.time_zone_offset_minutes, 480);
    assert_eq!(commissioning.event_time, 1_772_323_200_000); // 08:00 +08:00 is midnight UTC
    let shipping = &objects[1];
    assert_eq!(
        (shipping.event.source, shipping.event.destination),
        (Some(1), Some(2))
    );
    assert_eq!(shipping.sources.len(), 2);
    assert_eq!(objects[2].event.biz_step, BizStep::Receiving);
    let EventBody::Object { quantities, .. } = &objects[3].event.body else {
        panic!()
    };
    assert_eq!(
        (quantities[0].quantity, quantities[0].uom),
        (120, Some(*b"KGM"))
    );

    let sensors = import("sensor_data.jsonld");
    assert_eq!(
        sensors[0].event.sensors,
        vec![
            SensorReport {
                kind: SensorKind::Temperature,
                unit: Unit::Celsius,
                min: 450,
                max: 930,
                mean: 623,
                device: Some(b"logger-17".to_vec()),
            },
            SensorReport {
                kind: SensorKind::Humidity,
                unit: Unit::Percent,
                min: 8100,
                max: 8100,
                mean: 8100,
                device: Some(b"logger-17".to_vec()),
            },
        ]
    );
    assert_eq!(
        (
            sensors[1].event.sensors[0].min,
            sensors[1].event.sensors[0].unit
        ),
        (3560, Unit::Fahrenheit)
    );

    let query = import("query_document.jsonld");
    assert_eq!(
        query[0].event.event_id.unwrap().to_hex(),
        "0f6a6b1f1b0fb3c0c3e33ea8d0a1c8d6d3c1e2f4a5b6c7d8e9f0a1b2c3d4e5f6"
    );
    assert_eq!(
        import("certification.jsonld")[0].event.certifications.len(),
        2
    );
    assert_eq!(
        import("transaction_event.jsonld")[0].dropped,
        Vec::<String>::new()
    );
}

fn error_of(name: &str) -> EpcisError {
    match parse_document(&read(&format!("bad/{name}")), &resolver) {
        Ok(events) => panic!("{name} imported {} events", events.len()),
        Err(e) => e,
    }
}

/// The error of the second event (index 1, opening on line 13) of a bad sample.
fn second(field: &str, problem: Problem) -> EpcisError {
    EpcisError::Event {
        index: 1,
        line: 13,
        field: field.into(),
        problem: Box::new(problem),
    }
}

/// Index, line, field and value of a bad sample's [`Problem::BadDate`].
fn bad_date(name: &str) -> (usize, usize, String, String) {
    match error_of(name) {
        EpcisError::Event {
            index,
            line,
            field,
            problem,
        } => match *problem {
            Problem::BadDate { value, .. } => (index, line, field, value),
            other => panic!("{name}: {other}"),
        },
        other => panic!("{name}: {other}"),
    }
}

#[test]
fn each_bad_document_fails_with_its_exact_error() {
    assert_eq!(
        error_of("unknown_event_type.jsonld"),
        second("type", Problem::UnknownEventType("AssociationEvent".into()))
    );
    assert_eq!(
        error_of("bad_biz_step.jsonld"),
        second(
            "bizStep",
            Problem::BadCbv {
                vocabulary: "business step",
                value: "shiping".into()
            }
        )
    );
    assert_eq!(
        error_of("bad_disposition.jsonld"),
        second(
            "disposition",
            Problem::BadCbv {
                vocabulary: "disposition",
                value: "urn:epcglobal:cbv:disp:in-transit".into()
            }
        )
    );
    assert_eq!(
        bad_date("bad_event_time.jsonld"),
        (
            1,
            13,
            "eventTime".into(),
            "2026-02-30T09:00:00.000+08:00".into()
        )
    );
    let bad_digit = "https://id.gs1.org/01/06952123100011/21/D0002";
    assert_eq!(
        error_of("bad_check_digit.jsonld"),
        second(
            "epcList[1]",
            Problem::BadCode {
                value: bad_digit.into(),
                source: TraceCode::parse(bad_digit).unwrap_err()
            }
        )
    );
    assert!(matches!(
        TraceCode::parse(bad_digit),
        Err(CodeError::CheckDigit {
            kind: CodeKind::Gtin,
            ..
        })
    ));
    assert_eq!(
        error_of("bad_urn.jsonld"),
        second(
            "epcList[0]",
            Problem::BadUrn(UrnError::Malformed {
                uri: "urn:epc:id:sgtin:6952123.10001.D0002".into(),
                scheme: "SGTIN",
                why: "company prefix and indicator+item reference must be 13 digits together",
            })
        )
    );
    assert_eq!(
        error_of("missing_expiry.jsonld"),
        second(
            "ilmd.itemExpirationDate",
            Problem::Missing("the chain records a lot with lotNumber, productionDate and itemExpirationDate together")
        )
    );
    assert_eq!(
        bad_date("bad_expiry_date.jsonld"),
        (
            1,
            13,
            "ilmd.cbvmda:itemExpirationDate".into(),
            "01/09/2026".into()
        )
    );
    assert_eq!(
        error_of("unknown_party.jsonld"),
        second(
            "destinationList[0]",
            Problem::UnknownParty("https://id.gs1.org/417/6952123999997".into())
        )
    );
    assert_eq!(
        error_of("bad_temperature_unit.jsonld"),
        second(
            "sensorElementList[0].sensorReport[0].uom",
            Problem::WrongType("a temperature unit: CEL, FAH or KEL")
        )
    );
    assert_eq!(
        error_of("bad_attestation.jsonld"),
        second(
            "certificationInfo[0]",
            Problem::BadAttestation("https://cert.example.com/ABC".into())
        )
    );
    assert_eq!(
        error_of("quantity_lists.jsonld"),
        second(
            "inputQuantityList",
            Problem::Unsupported("transformation inputs by quantity; name the input codes")
        )
    );
    let EpcisError::Json { line, column, .. } = error_of("bad_json.jsonld") else {
        panic!("bad_json")
    };
    assert_eq!((line, column), (6, 52));
    assert_eq!(
        error_of("not_a_document.json"),
        EpcisError::NotADocument("its type is `EPCISMasterDataDocument`".into())
    );
}

#[test]
fn messages_say_where_and_what_to_do() {
    let message = error_of("bad_biz_step.jsonld").to_string();
    assert_eq!(
        message,
        "event 1 (line 13), field `bizStep`: `shiping` is not a CBV 2.0 business step; use a CBV word (e.g. \
         `shipping`), its URI, or a private URI"
    );
}

#[test]
fn a_bare_event_list_reads_too() {
    let list = r#"[
  { "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "storing",
    "eventTime": "2026-03-01T08:00:00Z", "eventTimeZoneOffset": "+00:00",
    "epcList": ["urn:yima:code:069521230000000013"] }
]"#;
    let events = parse_document(list, &resolver).unwrap();
    assert_eq!(events[0].line, 2);
    let EventBody::Object { epcs, .. } = &events[0].event.body else {
        panic!()
    };
    assert_eq!(epcs[0].canonical(), "/00/069521230000000013");
}
