//! The trace core's demo: frozen dumplings made in Hangzhou, six bags packed in a case, stored at a cold
//! warehouse, delivered to a supermarket — with a temperature excursion on the way, which the market regulator
//! reviews and clears (an hour at −12 °C, the goods still frozen hard), citing its decision — and one bag sold.
//!
//! Scan `/01/06970000000017/21/DP0001` on a dev chain to see the whole history.

use yima_codes::{gs1_check_digit, Gtin, LotNumber, ProductId, Sscc, TraceCode};
use yima_frame::{sha256, Moment, OrgId};
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{
    Action, BizStep, EpcisEvent, EventBody, Ilmd, Location, SensorKind, SensorReport, Unit,
};
use yima_trace::types::{Category, LotKey, TemperatureRange};

use super::DemoStep;
use crate::presets::{DEMO_ORGANISATIONS, PRESET_GENESIS_TIME};

/// One day, ms.
pub const DAY: Moment = 86_400_000;
/// One hour, ms.
pub const HOUR: Moment = 3_600_000;
/// China Standard Time, minutes east of UTC.
pub const CST: i16 = 480;

/// The organisation id of the demo organisation with dev key `key` (ids follow [`DEMO_ORGANISATIONS`]).
pub fn org(key: &str) -> OrgId {
    DEMO_ORGANISATIONS
        .iter()
        .position(|(k, ..)| *k == key)
        .map(|i| i as OrgId)
        .unwrap_or_else(|| panic!("no demo organisation has the dev key {key}"))
}

/// The GTIN-14 with body `body` (13 digits) and its check digit.
pub fn gtin(body: &str) -> Gtin {
    let check = gs1_check_digit(body.as_bytes());
    Gtin::parse(&format!("{body}{check}")).expect("demo GTIN body is 13 digits")
}

/// The SSCC-18 with body `body` (17 digits) and its check digit.
pub fn sscc(body: &str) -> TraceCode {
    let check = gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).expect("demo SSCC body is 17 digits"))
}

/// Item `serial` of `gtin`.
pub fn item(gtin: Gtin, serial: &str) -> TraceCode {
    TraceCode::parse(&format!("/01/{gtin}/21/{serial}")).expect("demo serial is valid")
}

/// The lot `lot` of `gtin`.
pub fn lot(gtin: Gtin, lot: &str) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin),
        lot: LotNumber::parse(lot).expect("demo lot number is valid"),
    }
}

/// An event at `days_before` days and `hours` hours before the preset genesis time.
pub fn at(body: EventBody, step: BizStep, days_before: u64, hours: u64) -> EpcisEvent {
    EpcisEvent::new(
        body,
        PRESET_GENESIS_TIME - days_before * DAY + hours * HOUR,
        CST,
        step,
    )
}

/// An object event over `codes`.
pub fn object(action: Action, codes: Vec<TraceCode>) -> EventBody {
    EventBody::Object {
        action,
        epcs: codes,
        quantities: Vec::new(),
    }
}

/// A temperature report, °C in hundredths.
pub fn temperature(min: i32, max: i32, mean: i32, device: &str) -> SensorReport {
    SensorReport {
        kind: SensorKind::Temperature,
        unit: Unit::Celsius,
        min,
        max,
        mean,
        device: Some(device.as_bytes().to_vec()),
    }
}

/// A place by its registered id.
pub fn place(id: &str) -> Location {
    Location::Other(id.as_bytes().to_vec())
}

/// A production run `days_before` days before the preset genesis: `items` commissioned into `lot` on `line`
/// (produced that day, good for three years) at 09:00, `case` commissioned at 10:00 and the items packed into it.
pub fn packed_production(
    items: &[TraceCode],
    case: TraceCode,
    lot: LotKey,
    line: &str,
    days_before: u64,
) -> [EpcisEvent; 3] {
    let mut commission = at(
        object(Action::Add, items.to_vec()),
        BizStep::Commissioning,
        days_before,
        9,
    );
    commission.ilmd = Some(Ilmd {
        lot,
        production_date: PRESET_GENESIS_TIME - days_before * DAY,
        expiry: PRESET_GENESIS_TIME + 3 * 365 * DAY,
    });
    commission.biz_location = Some(place(line));
    let commission_case = at(
        object(Action::Add, vec![case]),
        BizStep::Commissioning,
        days_before,
        10,
    );
    let pack = at(
        EventBody::Aggregation {
            action: Action::Add,
            parent: case,
            children: items.to_vec(),
        },
        BizStep::Packing,
        days_before,
        10,
    );
    [commission, commission_case, pack]
}

/// The frozen dumplings' GTIN.
pub fn dumplings() -> Gtin {
    gtin("0697000000001")
}

/// The history.
pub fn history() -> Vec<DemoStep> {
    let product = dumplings();
    let bags: Vec<TraceCode> = (1..=6)
        .map(|n| item(product, &format!("DP{n:04}")))
        .collect();
    let case = sscc("06970000000000001");
    let frozen = TemperatureRange {
        min_centi_celsius: -3_000,
        max_centi_celsius: -1_500,
    };

    let [commission, commission_case, pack] = packed_production(
        &bags,
        case,
        lot(product, "DP260101"),
        "processor-line-1",
        20,
    );
    let mut ship_to_store = at(
        object(Action::Observe, vec![case]),
        BizStep::Shipping,
        19,
        8,
    );
    ship_to_store.destination = Some(org("cold_warehouse"));
    ship_to_store.sensors = vec![temperature(-2_050, -1_820, -1_930, "truck-zj-a12345")];

    let mut receive_at_store = at(
        object(Action::Observe, vec![case]),
        BizStep::Receiving,
        19,
        14,
    );
    receive_at_store.source = Some(org("processor"));
    receive_at_store.biz_location = Some(place("cold-room-3"));
    let mut ship_to_shop = at(
        object(Action::Observe, vec![case]),
        BizStep::Shipping,
        10,
        6,
    );
    ship_to_shop.destination = Some(org("retailer"));
    // The truck's unit failed for an hour: −12 °C is outside the frozen band, so the chain raises an alert.
    ship_to_shop.sensors = vec![temperature(-1_990, -1_200, -1_710, "truck-zj-b67890")];
    let mut receive_at_shop = at(
        object(Action::Observe, vec![case]),
        BizStep::Receiving,
        10,
        11,
    );
    receive_at_shop.source = Some(org("cold_warehouse"));
    receive_at_shop.biz_location = Some(place("store-hz-xihu-freezer-2"));
    let unpack = at(
        EventBody::Aggregation {
            action: Action::Delete,
            parent: case,
            children: Vec::new(),
        },
        BizStep::Unpacking,
        10,
        12,
    );
    let sell = at(
        object(Action::Observe, vec![bags[0]]),
        BizStep::RetailSelling,
        2,
        5,
    );

    // The regulator reviews the truck's log and the retailer's core-temperature check and lifts the case's
    // excursion flag while the bags are still in it, so it is lifted for each of them.
    let clearance = RuntimeCall::Trace(yima_trace::Call::ClearExcursion {
        code: case,
        reason: sha256(b"demo excursion review decision DP260101 truck-zj-b67890"),
    });

    let capture = |events| RuntimeCall::Trace(yima_trace::Call::Capture { events });
    vec![
        DemoStep::new(
            "processor",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: ProductId::Gtin(product),
                name: "速冻水饺 Frozen pork dumplings 500 g".as_bytes().to_vec(),
                category: Category::Food,
                temperature: Some(frozen),
                shelf_life_days: 365,
            }),
        ),
        DemoStep::new(
            "processor",
            capture(vec![commission, commission_case, pack, ship_to_store]),
        ),
        DemoStep::new("cold_warehouse", capture(vec![receive_at_store])),
        DemoStep::new("cold_warehouse", capture(vec![ship_to_shop])),
        DemoStep::new("retailer", capture(vec![receive_at_shop])),
        DemoStep::new("alice", clearance),
        DemoStep::new("retailer", capture(vec![unpack])),
        DemoStep::new("retailer", capture(vec![sell])),
    ]
}

#[cfg(test)]
mod tests {
    use yima_runtime::RuntimeEvent;

    use super::*;

    /// The history on a fresh demo chain: nothing refused, the excursion alert and then its clearance, which
    /// leaves no bag flagged.
    #[test]
    fn the_history_records_the_excursion_and_its_clearance() {
        let events = super::super::run_on_fresh_demo_chain(history());
        assert_eq!(super::super::refusals(&events), Vec::<String>::new());
        let kinds: Vec<&str> = events
            .iter()
            .filter_map(RuntimeEvent::alert)
            .map(|a| a.kind.as_str())
            .collect();
        assert_eq!(kinds, ["temperature_excursion", "excursion_cleared"]);
        let case = sscc("06970000000000001");
        assert!(events.iter().any(|e| matches!(
            e,
            RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared { code, by: 0, .. }) if *code == case
        )));
    }
}
