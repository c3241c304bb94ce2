//! Properties: EPC URI ⇄ Digital Link conversion, and export → import of arbitrary on-chain events.

use proptest::prelude::*;
use yima_codes::{gs1_check_digit, Gln, Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_epcis::ids::read_epc;
use yima_epcis::urn::{digital_link_to_urn, urn_to_digital_link};
use yima_epcis::{event_hash, export_event, parse_document, PartyId};
use yima_frame::Hash;
use yima_trace::epcis::*;
use yima_trace::types::LotKey;

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n)
        .prop_map(|d| d.iter().map(|x| char::from(b'0' + x)).collect())
}

fn with_check(s: &str) -> String {
    format!("{s}{}", gs1_check_digit(s.as_bytes()))
}

proptest! {
    #[test]
    fn sgtin_urn_round_trips_through_its_digital_link(
        (cp_len, cp, ir) in (6usize..=12).prop_flat_map(|n| (Just(n), digits(n), digits(13 - n))),
        serial in "[A-Za-z0-9]{1,20}",
    ) {
        let urn = format!("urn:epc:id:sgtin:{cp}.{ir}.{serial}");
        let dl = urn_to_digital_link(&urn).unwrap();
        prop_assert_eq!(digital_link_to_urn(&dl, cp_len).unwrap(), urn.clone());
        let gtin = with_check(&format!("{}{cp}{}", &ir[..1], &ir[1..]));
        prop_assert_eq!(&dl, &format!("https://id.gs1.org/01/{gtin}/21/{serial}"));
        if let Ok(gtin) = Gtin::parse(&gtin) {
            // A GTIN of all zeros is refused by the codes crate; every other one is a trace code.
            let code = TraceCode::Sgtin { gtin, serial: SerialNumber::parse(&serial).unwrap() };
            prop_assert_eq!(read_epc(&urn), Ok(code));
        }
    }

    #[test]
    fn sscc_sgln_pgln_lgtin_round_trip(
        (cp_len, cp, rest17, rest12) in (6usize..=12)
            .prop_flat_map(|n| (Just(n), digits(n), digits(17 - n), digits(12 - n))),
        ext in "[1-9][0-9]{0,5}",
        lot in "[A-Za-z0-9]{1,20}",
    ) {
        for urn in [
            format!("urn:epc:id:sscc:{cp}.{rest17}"),
            format!("urn:epc:id:sgln:{cp}.{rest12}.0"),
            format!("urn:epc:id:sgln:{cp}.{rest12}.{ext}"),
            format!("urn:epc:id:pgln:{cp}.{rest12}"),
        ] {
            let dl = urn_to_digital_link(&urn).unwrap();
            prop_assert_eq!(digital_link_to_urn(&dl, cp_len).unwrap(), urn);
        }
        let ir = format!("{}{}", &rest17[..1], &rest12);
        let urn = format!("urn:epc:class:lgtin:{cp}.{ir}.{lot}");
        let dl = urn_to_digital_link(&urn).unwrap();
        prop_assert_eq!(digital_link_to_urn(&dl, cp_len).unwrap(), urn);
        let sscc = with_check(&format!("{}{cp}{}", &rest17[..1], &rest17[1..]));
        if let Ok(sscc) = Sscc::parse(&sscc) {
            prop_assert_eq!(read_epc(&format!("urn:epc:id:sscc:{cp}.{rest17}")), Ok(TraceCode::Sscc(sscc)));
        }
    }
}

fn gtin() -> impl Strategy<Value = Gtin> {
    digits(13).prop_filter_map("all zeros", |d| Gtin::parse(&with_check(&d)).ok())
}

fn code() -> impl Strategy<Value = TraceCode> {
    prop_oneof![
        (gtin(), "[A-Za-z0-9]{1,20}").prop_map(|(gtin, s)| TraceCode::Sgtin {
            gtin,
            serial: SerialNumber::parse(&s).unwrap()
        }),
        digits(17).prop_filter_map("all zeros", |d| Sscc::parse(&with_check(&d))
            .ok()
            .map(TraceCode::Sscc)),
        digits(19).prop_filter_map("nmpa", |d| TraceCode::parse(&format!("8{d}")).ok()),
    ]
}

fn codes() -> impl Strategy<Value = Vec<TraceCode>> {
    proptest::collection::vec(code(), 0..4)
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Add),
        Just(Action::Observe),
        Just(Action::Delete)
    ]
}

fn id_text() -> impl Strategy<Value = Vec<u8>> {
    "[a-z][a-z0-9-]{0,30}".prop_map(String::into_bytes)
}

fn location() -> impl Strategy<Value = Location> {
    prop_oneof![
        digits(12).prop_filter_map("all zeros", |d| Gln::parse(&with_check(&d))
            .ok()
            .map(Location::Gln)),
        id_text().prop_map(Location::Other),
    ]
}

fn hash() -> impl Strategy<Value = Hash> {
    any::<[u8; 32]>().prop_map(Hash)
}

fn lot() -> impl Strategy<Value = LotKey> {
    (gtin(), "[A-Za-z0-9]{1,20}").prop_map(|(g, l)| LotKey {
        product: ProductId::Gtin(g),
        lot: LotNumber::parse(&l).unwrap(),
    })
}

fn body() -> impl Strategy<Value = EventBody> {
    let quantity =
        (lot(), any::<u64>(), proptest::option::of("[A-Z]{3}")).prop_map(|(lot, quantity, uom)| {
            QuantityElement {
                lot,
                quantity,
                uom: uom.map(|u| u.as_bytes().try_into().unwrap()),
            }
        });
    let kind = prop_oneof![
        Just(BizTransactionKind::PurchaseOrder),
        Just(BizTransactionKind::Invoice),
        Just(BizTransactionKind::DespatchAdvice),
        Just(BizTransactionKind::CustomsDeclaration),
        Just(BizTransactionKind::Prescription),
        Just(BizTransactionKind::Other),
    ];
    prop_oneof![
        (action(), codes(), proptest::collection::vec(quantity, 0..3)).prop_map(
            |(action, epcs, quantities)| EventBody::Object {
                action,
                epcs,
                quantities
            }
        ),
        (action(), code(), codes()).prop_map(|(action, parent, children)| EventBody::Aggregation {
            action,
            parent,
            children
        }),
        (codes(), codes())
            .prop_map(|(inputs, outputs)| EventBody::Transformation { inputs, outputs }),
        (
            action(),
            proptest::collection::vec((kind, hash()), 1..3),
            codes()
        )
            .prop_map(|(action, txs, epcs)| {
                EventBody::Transaction {
                    action,
                    biz_transactions: txs
                        .into_iter()
                        .map(|(kind, digest)| BizTransaction { kind, digest })
                        .collect(),
                    epcs,
                }
            }),
    ]
}

fn sensors() -> impl Strategy<Value = Vec<SensorReport>> {
    let one = (
        0usize..4,
        proptest::option::of(id_text()),
        -2_000_000i32..2_000_000,
        0i32..50_000,
        0i32..50_000,
    )
        .prop_map(|(k, device, min, up, to_mean)| {
            let (kind, unit) = [
                (SensorKind::Temperature, Unit::Celsius),
                (SensorKind::Temperature, Unit::Fahrenheit),
                (SensorKind::Temperature, Unit::Kelvin),
                (SensorKind::Humidity, Unit::Percent),
            ][k];
            SensorReport {
                kind,
                unit,
                min,
                max: min + up,
                mean: min + to_mean.min(up),
                device,
            }
        });
    // Import summarises per (kind, unit, device), so an event's reports differ in one of them.
    proptest::collection::vec(one, 0..3).prop_map(|mut reports| {
        let mut seen = vec![];
        reports.retain(|r| {
            let key = (r.kind, r.unit, r.device.clone());
            let fresh = !seen.contains(&key);
            seen.push(key);
            fresh
        });
        reports
    })
}

const STEPS: [BizStep; 13] = [
    BizStep::Commissioning,
    BizStep::Shipping,
    BizStep::Receiving,
    BizStep::Storing,
    BizStep::Inspecting,
    BizStep::Packing,
    BizStep::Unpacking,
    BizStep::RetailSelling,
    BizStep::Dispensing,
    BizStep::Administering,
    BizStep::Destroying,
    BizStep::Transforming,
    BizStep::Other,
];
const DISPOSITIONS: [Disposition; 11] = [
    Disposition::Active,
    Disposition::InTransit,
    Disposition::InProgress,
    Disposition::Recalled,
    Disposition::Expired,
    Disposition::Destroyed,
    Disposition::Dispensed,
    Disposition::RetailSold,
    Disposition::SellableAccessible,
    Disposition::Damaged,
    Disposition::Unknown,
];

fn event() -> impl Strategy<Value = EpcisEvent> {
    (
        (
            body(),
            0u64..4_102_444_800_000,
            -720i16..=840,
            0usize..13,
            proptest::option::of(0usize..11),
        ),
        (
            proptest::option::of(location()),
            proptest::option::of(location()),
        ),
        (proptest::option::of(1u32..4), proptest::option::of(1u32..4)),
        (
            "[A-Za-z0-9]{1,20}",
            0u64..4_102_444_800_000,
            0u64..4_102_444_800_000,
            any::<bool>(),
        ),
        (
            sensors(),
            proptest::collection::vec(hash(), 0..3),
            proptest::option::of(hash()),
        ),
    )
        .prop_map(
            |((body, time, offset, step, disp), (rp, bl), (source, destination), ilmd, rest)| {
                let mut e = EpcisEvent::new(body, time, offset, STEPS[step]);
                e.disposition = disp.map(|d| DISPOSITIONS[d]);
                (e.read_point, e.biz_location) = (rp, bl);
                (e.source, e.destination) = (source, destination);
                let (lot, produced, expiry, with_ilmd) = ilmd;
                // The lot's product is read from the event's codes, so only those that name one carry ilmd.
                let product = match &e.body {
                    EventBody::Object {
                        epcs, quantities, ..
                    } => epcs
                        .iter()
                        .find_map(TraceCode::product)
                        .or(quantities.first().map(|q| q.lot.product)),
                    EventBody::Transformation { outputs, .. } => {
                        outputs.iter().find_map(TraceCode::product)
                    }
                    EventBody::Aggregation {
                        parent, children, ..
                    } => std::iter::once(parent)
                        .chain(children)
                        .find_map(TraceCode::product),
                    EventBody::Transaction { epcs, .. } => epcs.iter().find_map(TraceCode::product),
                };
                if let (Some(product), true) = (product, with_ilmd) {
                    e.ilmd = Some(Ilmd {
                        lot: LotKey {
                            product,
                            lot: LotNumber::parse(&lot).unwrap(),
                        },
                        production_date: produced,
                        expiry,
                    });
                }
                (e.sensors, e.certifications, e.event_id) = rest;
                e
            },
        )
}

fn resolver(party: &PartyId) -> Option<u32> {
    match party {
        PartyId::Other(s) => s.strip_prefix("urn:example:org:")?.parse().ok(),
        PartyId::Gln(_) => None,
    }
}

fn namer(org: u32) -> Option<PartyId> {
    Some(PartyId::Other(format!("urn:example:org:{org}")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn export_then_import_gives_the_event_back(event in event()) {
        let exported = export_event(&event, &namer);
        let list = serde_json::Value::Array(vec![exported.clone()]).to_string();
        let imported = parse_document(&list, &resolver).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = &imported[0].event;
        match event.event_id {
            Some(_) => prop_assert_eq!(back, &event),
            None => {
                // Without an id, import computes the event hash of what export wrote.
                prop_assert_eq!(back.event_id, Some(event_hash(&exported)));
                let mut with_id = event.clone();
                with_id.event_id = back.event_id;
                prop_assert_eq!(back, &with_id);
            }
        }
        prop_assert_eq!(&imported[0].dropped, &Vec::<String>::new());
    }
}
