//! The CBV 2.0 event hash against the published vectors of the reference implementation
//! (github.com/RalphTro/epcis-event-hash-generator, `tests/examples/epcisDocWithSingleEvent.*` and
//! `TimeStampRoundOff.*`): the inputs below are those documents' events, the expected pre-hash strings and hashes
//! are the ones published beside them.

use serde_json::{json, Value};
use yima_epcis::{event_hash, ni_uri, pre_hash_string, Namespaces};

fn check(event: Value, pre_hash: &str, ni: &str) {
    let ns = Namespaces::from_context(None);
    assert_eq!(pre_hash_string(&event, &ns), pre_hash);
    assert_eq!(ni_uri(&event_hash(&event)), ni);
}

#[test]
fn single_event_with_epc_urns_sgln_extension_and_a_transaction() {
    check(
        json!({
            "type": "ObjectEvent",
            "action": "OBSERVE",
            "bizStep": "shipping",
            "disposition": "in_transit",
            "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"],
            "eventTime": "2022-02-16T20:33:31.116000-06:00",
            "eventTimeZoneOffset": "-06:00",
            "readPoint": { "id": "urn:epc:id:sgln:0614141.07346.1234" },
            "bizTransactionList": [{ "type": "po", "bizTransaction": "http://transaction.acme.com/po/12345678" }]
        }),
        "eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/0614141073467/254/1234bizTransactionListbizTransaction=http://transaction.acme.com/po/12345678type=https://ref.gs1.org/cbv/BTT-po",
        "ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0",
    );
}

#[test]
fn time_stamps_round_half_up_and_custom_hosts_become_id_gs1_org() {
    check(
        json!({
            "type": "ObjectEvent",
            "eventTime": "2023-02-02T11:04:03.1415Z",
            "eventTimeZoneOffset": "+01:00",
            "epcList": ["https://id.gs1.de/00/040123451111111110"],
            "action": "OBSERVE",
            "bizStep": "shipping",
            "disposition": "in_transit",
            "readPoint": { "id": "https://id.gs1.de/414/4012345000115" }
        }),
        "eventType=ObjectEventeventTime=2023-02-02T11:04:03.142ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/040123451111111110action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/4012345000115",
        "ni:///sha-256;af7658e711574363633f20b3dadc7bc4c13c6f612cf96d95e03c421c0e58f3c6?ver=CBV2.0",
    );
    check(
        json!({
            "type": "ObjectEvent",
            "eventTime": "2023-02-02T11:04:03.1414Z",
            "eventTimeZoneOffset": "+01:00",
            "epcList": ["https://id.gs1.de/00/040123451111111110"],
            "action": "OBSERVE",
            "bizStep": "transporting",
            "readPoint": { "id": "geo:50.947573340894124,6.922120147375441" }
        }),
        "eventType=ObjectEventeventTime=2023-02-02T11:04:03.141ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/040123451111111110action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-transportingreadPointid=geo:50.947573340894124,6.922120147375441",
        "ni:///sha-256;0550df44527332c1fe417c5837fe61b9e71eaa93307b88519dac549bf2d4dcf9?ver=CBV2.0",
    );
}

#[test]
fn certification_info_and_sensor_reports_take_their_places() {
    check(
        json!({
            "type": "ObjectEvent",
            "eventTime": "2023-02-12T11:04:03.1415Z",
            "eventTimeZoneOffset": "+01:00",
            "certificationInfo": "https://accreditation-council.example.org/certificate/ABC12345",
            "epcList": ["https://id.gs1.de/01/04012345999990/21/XYZ-1234"],
            "action": "OBSERVE",
            "bizStep": "receiving",
            "disposition": "in_progress",
            "readPoint": { "id": "https://id.gs1.de/414/4012345000115" },
            "sensorElementList": [{
                "sensorMetadata": {
                    "time": "2023-02-12T11:04:03.1007Z",
                    "bizRules": "https://id.example.com/253/4012345000054987"
                },
                "sensorReport": [{
                    "type": "Dimensionless",
                    "exception": "ALARM_CONDITION",
                    "coordinateReferenceSystem": "http://www.opengis.net/def/crs/EPSG/0/27700"
                }]
            }]
        }),
        "eventType=ObjectEventeventTime=2023-02-12T11:04:03.142ZeventTimeZoneOffset=+01:00certificationInfo=https://accreditation-council.example.org/certificate/ABC12345epcListepc=https://id.gs1.org/01/04012345999990/21/XYZ-1234action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-receivingdisposition=https://ref.gs1.org/cbv/Disp-in_progressreadPointid=https://id.gs1.org/414/4012345000115sensorElementListsensorElementsensorMetadatatime=2023-02-12T11:04:03.101ZbizRules=https://id.gs1.org/253/4012345000054987sensorReporttype=https://gs1.org/voc/Dimensionlessexception=https://gs1.org/voc/ALARM_CONDITIONcoordinateReferenceSystem=http://www.opengis.net/def/crs/EPSG/0/27700",
        "ni:///sha-256;589e6268daac257cff0a64ae0f525abcc3ff90bc7832171270fd9260e9c481c8?ver=CBV2.0",
    );
}

#[test]
fn the_hash_ignores_key_order_event_id_and_the_form_of_codes_and_vocabulary() {
    let a = json!({
        "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
        "eventTime": "2026-03-01T10:00:00+08:00", "eventTimeZoneOffset": "+08:00",
        "epcList": ["urn:epc:id:sgtin:6952123.010001.B", "urn:epc:id:sgtin:6952123.010001.A"],
    });
    let b = json!({
        "eventID": "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "epcList": ["https://example.com/01/06952123100010/21/A", "https://id.gs1.org/01/06952123100010/21/B"],
        "eventTimeZoneOffset": "+08:00", "eventTime": "2026-03-01T02:00:00.000Z",
        "bizStep": "urn:epcglobal:cbv:bizstep:shipping", "action": "OBSERVE", "type": "ObjectEvent",
    });
    assert_eq!(event_hash(&a), event_hash(&b));
    let mut c = a.clone();
    c["action"] = json!("ADD");
    assert_ne!(event_hash(&a), event_hash(&c));
}

#[test]
fn extensions_are_named_by_their_namespace_and_sorted_last() {
    let context = json!(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        { "example": "https://ns.example.com/epcis/" }]);
    let ns = Namespaces::from_context(Some(&context));
    let event = json!({
        "type": "ObjectEvent", "action": "OBSERVE",
        "eventTime": "2026-03-01T02:00:00Z", "eventTimeZoneOffset": "+00:00",
        "example:userExt": "CD-34",
        "readPoint": { "id": "urn:epc:id:sgln:4012345.00011.0", "example:myField1": "AB-12" },
        "ilmd": { "cbvmda:lotNumber": "L1" },
    });
    assert_eq!(
        pre_hash_string(&event, &ns),
        "eventType=ObjectEventeventTime=2026-03-01T02:00:00.000ZeventTimeZoneOffset=+00:00action=OBSERVE\
         readPointid=https://id.gs1.org/414/4012345000115{https://ns.example.com/epcis/}myField1=AB-12\
         ilmd{urn:epcglobal:cbv:mda}lotNumber=L1{https://ns.example.com/epcis/}userExt=CD-34"
    );
}
