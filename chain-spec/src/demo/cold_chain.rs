//! The cold chain's demo (浙冷链): two lots of New Zealand frozen beef through Ningbo and Shanghai.
//!
//! Both lots are declared at customs, cleared on their quarantine certificates, tested for nucleic acid and
//! disinfected; the supervised warehouse turns each consignment into cold-chain codes, a carrier takes them to a
//! supermarket and a school canteen — the canteen's truck runs warm, so the trace core raises an excursion alert —
//! and the supermarket sells one pack. Then the lab finds lot `BF2602` positive: it is held, the alert goes out,
//! and a recall (一键排查) of the lot lists every holder.
//!
//! Scan [`first_code`] (`CL…`) on a dev chain for the whole history from the port; recall [`positive_lot`].

use yima_attestation::{attestation_id, schemas, AttestationId, LotRef, SchemaId, Subject};
use yima_codes::{ColdChainCode, Gtin, ProductId, SerialNumber, TraceCode};
use yima_cold_chain::{
    CountryCode, DeclarationNumber, EntryDeclaration, PortCode, TemperatureSummary,
};
use yima_frame::{sha256, Hash, Moment};
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{Action, BizStep, Location};
use yima_trace::types::{Category, LotKey, TemperatureRange};

use super::trace::{at, gtin, lot, object, org, DAY};
use super::DemoStep;
use crate::presets::PRESET_GENESIS_TIME;

/// The importer's frozen beef.
pub fn beef() -> Gtin {
    gtin("0697000000100")
}

/// The lot that goes all the way to the till.
pub fn sold_lot() -> LotKey {
    lot(beef(), "BF2601")
}

/// The lot that tests positive.
pub fn positive_lot() -> LotKey {
    lot(beef(), "BF2602")
}

/// Cold-chain code `serial` issued by the demo's supervised warehouse.
pub fn code(serial: u64) -> TraceCode {
    TraceCode::ColdChain(
        ColdChainCode::new(org("supervised_warehouse"), serial).expect("demo serials are small"),
    )
}

/// The code the supermarket sells.
pub fn first_code() -> TraceCode {
    code(1)
}

/// The consignment code of lot `name` (the importer's label: its GTIN, serial `C` + lot).
pub fn consignment(name: &str) -> TraceCode {
    TraceCode::Sgtin {
        gtin: beef(),
        serial: SerialNumber::parse(&format!("C{name}")).expect("demo serial is valid"),
    }
}

fn subject(lot: &LotKey) -> Subject {
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

fn digest(what: &str) -> Hash {
    sha256(what.as_bytes())
}

/// Who attests which certificate in the demo, and its document.
fn certificate(schema: SchemaId, lot: &LotKey) -> (&'static str, Hash) {
    let issuer = match schema {
        schemas::INSPECTION_QUARANTINE_CERTIFICATE => "customs",
        _ => "inspection_body",
    };
    (
        issuer,
        digest(&format!(
            "demo certificate {schema} for {}",
            lot.lot.as_str()
        )),
    )
}

/// The id of the demo's certificate of `schema` about `lot`.
pub fn certificate_id(schema: SchemaId, lot: &LotKey) -> AttestationId {
    let (issuer, document) = certificate(schema, lot);
    attestation_id(schema, org(issuer), &subject(lot), &document)
}

fn attest(schema: SchemaId, lot: &LotKey) -> DemoStep {
    let (issuer, document) = certificate(schema, lot);
    DemoStep::new(
        issuer,
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema,
            subject: subject(lot),
            digest: document,
            uri: None,
            valid_from: PRESET_GENESIS_TIME - 15 * DAY,
            valid_until: None,
        }),
    )
}

fn declare(lot: LotKey, declaration: &str, origin: &str, port: &str, kg: u64) -> DemoStep {
    let name = lot.lot.as_str().to_string();
    DemoStep::new(
        "importer",
        RuntimeCall::ColdChain(yima_cold_chain::Call::DeclareEntry {
            entry: EntryDeclaration {
                declaration: DeclarationNumber::parse(declaration).expect("18 digits"),
                document: digest(&format!("customs declaration {declaration}")),
                origin: CountryCode::parse(origin).expect("assigned country"),
                port: PortCode::parse(port).expect("UN/LOCODE"),
                consignment: consignment(&name),
                lot,
                quantity: kg,
                uom: Some(*b"KGM"),
                production_date: PRESET_GENESIS_TIME - 60 * DAY,
                expiry: PRESET_GENESIS_TIME + 3 * 365 * DAY,
            },
        }),
    )
}

fn hop(codes: Vec<TraceCode>, to: &str, plate: &str, min: i32, max: i32) -> DemoStep {
    DemoStep::new(
        "carrier",
        RuntimeCall::ColdChain(yima_cold_chain::Call::CarrierHop {
            codes,
            to: org(to),
            vehicle: plate.as_bytes().to_vec(),
            gps_track: digest(&format!("gps track of {plate} to {to}")),
            temperature: TemperatureSummary {
                min,
                max,
                mean: (min + max) / 2,
                device: Some(format!("logger-{plate}").into_bytes()),
            },
        }),
    )
}

fn capture(
    who: &'static str,
    step: BizStep,
    codes: Vec<TraceCode>,
    days_before: Moment,
) -> DemoStep {
    let mut event = at(object(Action::Observe, codes), step, days_before, 9);
    event.biz_location = match step {
        BizStep::Receiving => Some(Location::Other(format!("{who}-cold-room").into_bytes())),
        _ => None,
    };
    DemoStep::new(
        who,
        RuntimeCall::Trace(yima_trace::Call::Capture {
            events: vec![event],
        }),
    )
}

fn shipping(who: &'static str, codes: Vec<TraceCode>, to: &str, days_before: Moment) -> DemoStep {
    let mut event = at(
        object(Action::Observe, codes),
        BizStep::Shipping,
        days_before,
        8,
    );
    event.destination = Some(org(to));
    DemoStep::new(
        who,
        RuntimeCall::Trace(yima_trace::Call::Capture {
            events: vec![event],
        }),
    )
}

/// The history.
pub fn history() -> Vec<DemoStep> {
    let (sold, positive) = (sold_lot(), positive_lot());
    let sold_codes: Vec<TraceCode> = (1..=6).map(code).collect();
    let positive_codes: Vec<TraceCode> = (7..=10).map(code).collect();
    let consignments = vec![consignment("BF2601"), consignment("BF2602")];
    let issue = |lot: &LotKey, count| {
        DemoStep::new(
            "supervised_warehouse",
            RuntimeCall::ColdChain(yima_cold_chain::Call::IssueCodes {
                lot: lot.clone(),
                count,
                disinfection: certificate_id(schemas::DISINFECTION_CERTIFICATE, lot),
            }),
        )
    };
    let clear = |lot: &LotKey| {
        DemoStep::new(
            "customs",
            RuntimeCall::ColdChain(yima_cold_chain::Call::Clear {
                lot: lot.clone(),
                certificate: certificate_id(schemas::INSPECTION_QUARANTINE_CERTIFICATE, lot),
            }),
        )
    };

    let mut steps = vec![DemoStep::new(
        "importer",
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: ProductId::Gtin(beef()),
            name: "进口冷冻牛肉 Frozen beef (NZ), 20 kg carton"
                .as_bytes()
                .to_vec(),
            category: Category::ColdChainFood,
            temperature: Some(TemperatureRange {
                min_centi_celsius: -2_500,
                max_centi_celsius: -1_500,
            }),
            shelf_life_days: 730,
        }),
    )];
    steps.push(super::approval(
        ProductId::Gtin(beef()),
        "进口食品境外生产企业注册 (demo): frozen beef import licence",
    ));
    steps.push(declare(
        sold.clone(),
        "310420261000012345",
        "NZ",
        "CNNGB",
        2_400,
    ));
    steps.push(declare(
        positive.clone(),
        "220120261000067890",
        "NZ",
        "CNSHA",
        1_800,
    ));
    for lot in [&sold, &positive] {
        steps.push(attest(schemas::INSPECTION_QUARANTINE_CERTIFICATE, lot));
        steps.push(clear(lot));
        steps.push(attest(schemas::NUCLEIC_ACID_REPORT, lot));
        steps.push(attest(schemas::DISINFECTION_CERTIFICATE, lot));
    }
    steps.push(shipping(
        "importer",
        consignments.clone(),
        "supervised_warehouse",
        12,
    ));
    steps.push(capture(
        "supervised_warehouse",
        BizStep::Receiving,
        consignments,
        12,
    ));
    steps.push(issue(&sold, 6));
    steps.push(issue(&positive, 4));
    let all: Vec<TraceCode> = sold_codes.iter().chain(&positive_codes).copied().collect();
    steps.push(shipping("supervised_warehouse", all.clone(), "carrier", 8));
    steps.push(capture("carrier", BizStep::Receiving, all, 8));
    steps.push(hop(
        sold_codes[..4].to_vec(),
        "retailer",
        "浙B12345",
        -2_050,
        -1_820,
    ));
    // The canteen's truck ran warm: −9 °C is outside the frozen band, an excursion alert.
    steps.push(hop(
        sold_codes[4..].to_vec(),
        "caterer",
        "浙A6F789",
        -1_980,
        -900,
    ));
    steps.push(hop(
        positive_codes.clone(),
        "retailer",
        "浙B12345",
        -2_100,
        -1_850,
    ));
    let at_shop: Vec<TraceCode> = sold_codes[..4]
        .iter()
        .chain(&positive_codes)
        .copied()
        .collect();
    steps.push(capture("retailer", BizStep::Receiving, at_shop, 6));
    steps.push(capture(
        "caterer",
        BizStep::Receiving,
        sold_codes[4..].to_vec(),
        6,
    ));
    steps.push(capture(
        "retailer",
        BizStep::RetailSelling,
        vec![first_code()],
        3,
    ));
    steps.push(DemoStep::new(
        "inspection_body",
        RuntimeCall::ColdChain(yima_cold_chain::Call::ReportPositive {
            lot: positive,
            report: digest("nucleic-acid re-test BF2602: positive"),
        }),
    ));
    steps
}

#[cfg(test)]
mod tests {
    use yima_runtime::RuntimeEvent;

    use super::*;

    /// The history alone on a fresh demo chain, in one block: nothing refused, the codes issued, the warm leg
    /// alerted, the positive test reported.
    #[test]
    fn the_cold_chain_history_runs_on_a_fresh_demo_chain() {
        let events = super::super::run_on_fresh_demo_chain(history());
        assert_eq!(super::super::refusals(&events), Vec::<String>::new());
        let issued = events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    RuntimeEvent::ColdChain(yima_cold_chain::Event::CodesIssued { .. })
                )
            })
            .count();
        assert_eq!(issued, 2);
        let kinds: Vec<&str> = events
            .iter()
            .filter_map(|e| e.alert())
            .map(|a| a.kind.as_str())
            .collect();
        assert_eq!(kinds, ["temperature_excursion", "positive_test"]);
    }
}
