//! The food demo (浙食链): West Lake Longjing tea from the demo tea farm to a supermarket and a school canteen.
//!
//! The farm's admin lets its own account sign certificates, registers its fresh leaves, harvests four bags in lot
//! `LJ2604` and attests their origin certificate (合格证) — without it the leaves could not leave the farm. The
//! processor roasts them into eight 250 g packs (lot `LJP2604`, a transformation: a pack's trace reaches the
//! farm), the distributor supplies four to the supermarket and two to the school canteen, the supermarket sells
//! one and the canteen uses one in its kitchen. Then the inspection institute's quick test of pack 2 fails: the
//! pack lot is held (no further sale, use or shipment) and the alert goes out; a recall (一键排查) of
//! [`pack_lot`] — or of [`farm_lot`], through the transformation — lists every holder.
//!
//! Scan [`pack`]`(2)` (`/01/06970000005111/21/LJP0002`) on a dev chain for its history from the tea garden.

use yima_attestation::{attestation_id, schemas, AttestationId, LotRef, SchemaId, Subject};
use yima_codes::{Gtin, ProductId, TraceCode};
use yima_food::{TestKind, TestResult};
use yima_frame::{sha256, Hash, Role, Roles};
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::{Category, LotKey};

use super::trace::{at, gtin, item, lot, object, org, place, DAY};
use super::DemoStep;
use crate::dev_keys::dev_account;
use crate::presets::PRESET_GENESIS_TIME;

/// The farm's fresh tea leaves (5 kg bags).
pub fn leaves() -> Gtin {
    gtin("0697000000501")
}

/// The processor's roasted tea (250 g packs).
pub fn packs() -> Gtin {
    gtin("0697000000511")
}

/// The farm lot.
pub fn farm_lot() -> LotKey {
    lot(leaves(), "LJ2604")
}

/// The pack lot made from it, whose quick test fails.
pub fn pack_lot() -> LotKey {
    lot(packs(), "LJP2604")
}

/// Bag `n` of the farm lot (1-based).
pub fn bag(n: u32) -> TraceCode {
    item(leaves(), &format!("LJ{n:04}"))
}

/// Pack `n` of the pack lot (1-based).
pub fn pack(n: u32) -> TraceCode {
    item(packs(), &format!("LJP{n:04}"))
}

fn subject(lot: &LotKey) -> Subject {
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

fn document(schema: SchemaId, lot: &LotKey) -> Hash {
    sha256(format!("demo food document {schema} for {}", lot.lot.as_str()).as_bytes())
}

/// The id of the demo's attestation of `schema` about `lot` by the demo organisation `issuer`.
pub fn attestation(issuer: &str, schema: SchemaId, lot: &LotKey) -> AttestationId {
    attestation_id(schema, org(issuer), &subject(lot), &document(schema, lot))
}

fn attest(issuer: &'static str, schema: SchemaId, lot: &LotKey) -> DemoStep {
    DemoStep::new(
        issuer,
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema,
            subject: subject(lot),
            digest: document(schema, lot),
            uri: None,
            valid_from: PRESET_GENESIS_TIME - 30 * DAY,
            valid_until: None,
        }),
    )
}

fn register(who: &'static str, product: Gtin, name: &str) -> DemoStep {
    DemoStep::new(
        who,
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: ProductId::Gtin(product),
            name: name.as_bytes().to_vec(),
            category: Category::Food,
            temperature: None,
            shelf_life_days: 540,
        }),
    )
}

/// `who` captures one object event over `codes`, `days_before` genesis at `hour` local, into `into` when given.
fn capture(
    who: &'static str,
    step: BizStep,
    codes: Vec<TraceCode>,
    days_before: u64,
    into: Option<&str>,
) -> DemoStep {
    let mut event = at(object(Action::Observe, codes), step, days_before, 9);
    event.biz_location = into.map(place);
    DemoStep::new(
        who,
        RuntimeCall::Trace(yima_trace::Call::Capture {
            events: vec![event],
        }),
    )
}

/// `who` ships `codes` to the demo organisation `to` and `to` receives them the same day.
fn deliver(
    who: &'static str,
    codes: Vec<TraceCode>,
    to: &'static str,
    days_before: u64,
) -> [DemoStep; 2] {
    let mut shipping = at(
        object(Action::Observe, codes.clone()),
        BizStep::Shipping,
        days_before,
        0,
    );
    shipping.destination = Some(org(to));
    [
        DemoStep::new(
            who,
            RuntimeCall::Trace(yima_trace::Call::Capture {
                events: vec![shipping],
            }),
        ),
        capture(
            to,
            BizStep::Receiving,
            codes,
            days_before,
            Some(&format!("{to}-store")),
        ),
    ]
}

/// An event making codes in `lot` at `location`, `days_before` genesis (the lot's production date); good for
/// three years.
fn making(
    body: EventBody,
    step: BizStep,
    days_before: u64,
    lot: LotKey,
    location: &str,
) -> EpcisEvent {
    let mut event = at(body, step, days_before, 0);
    event.ilmd = Some(Ilmd {
        lot,
        production_date: PRESET_GENESIS_TIME - days_before * DAY,
        expiry: PRESET_GENESIS_TIME + 3 * 365 * DAY,
    });
    event.biz_location = Some(place(location));
    event
}

/// The history.
pub fn history() -> Vec<DemoStep> {
    let bags: Vec<TraceCode> = (1..=4).map(bag).collect();
    let all_packs: Vec<TraceCode> = (1..=8).map(pack).collect();
    let harvest = making(
        object(Action::Add, bags.clone()),
        BizStep::Commissioning,
        12,
        farm_lot(),
        "longjing-tea-garden-3",
    );
    let roasting = making(
        EventBody::Transformation {
            inputs: bags.clone(),
            outputs: all_packs.clone(),
        },
        BizStep::Transforming,
        10,
        pack_lot(),
        "processor-roasting-line",
    );

    let mut steps = vec![
        // The farm's admin lets its own account sign the farm's certificates (合格证).
        DemoStep::new(
            "producer",
            RuntimeCall::Membership(yima_membership::Call::SetRoles {
                account: dev_account("producer"),
                roles: Roles::of(&[Role::Admin, Role::Operator, Role::Inspector]),
            }),
        ),
        register(
            "producer",
            leaves(),
            "西湖龙井 鲜叶 Longjing fresh tea leaves, 5 kg bag",
        ),
        register(
            "processor",
            packs(),
            "西湖龙井 Longjing green tea, 250 g pack",
        ),
        DemoStep::new(
            "producer",
            RuntimeCall::Trace(yima_trace::Call::Capture {
                events: vec![harvest],
            }),
        ),
        attest("producer", schemas::ORIGIN_CERTIFICATE, &farm_lot()),
    ];
    steps.extend(deliver("producer", bags, "processor", 11));
    steps.push(DemoStep::new(
        "processor",
        RuntimeCall::Trace(yima_trace::Call::Capture {
            events: vec![roasting],
        }),
    ));
    steps.extend(deliver("processor", all_packs.clone(), "distributor", 9));
    steps.extend(deliver(
        "distributor",
        all_packs[..4].to_vec(),
        "retailer",
        7,
    ));
    steps.extend(deliver(
        "distributor",
        all_packs[4..6].to_vec(),
        "caterer",
        7,
    ));
    steps.push(capture(
        "retailer",
        BizStep::RetailSelling,
        vec![pack(1)],
        5,
        None,
    ));
    steps.push(DemoStep::new(
        "caterer",
        RuntimeCall::Food(yima_food::Call::Serve {
            codes: vec![pack(5)],
            kitchen: b"school-sunshine-kitchen".to_vec(),
        }),
    ));
    // The inspection institute's quick test of pack 2 finds pesticide residue over the limit.
    steps.push(attest(
        "inspection_body",
        schemas::QUICK_TEST_RESULT,
        &pack_lot(),
    ));
    steps.push(DemoStep::new(
        "inspection_body",
        RuntimeCall::Food(yima_food::Call::RecordTest {
            lot: pack_lot(),
            kind: TestKind::QuickTest,
            result: TestResult::Fail,
            attestation: attestation("inspection_body", schemas::QUICK_TEST_RESULT, &pack_lot()),
            sample: Some(pack(2)),
        }),
    ));
    steps
}

#[cfg(test)]
mod tests {
    use yima_runtime::RuntimeEvent;

    use super::*;

    /// The history alone on a fresh demo chain, in one block: nothing refused, the packs made from the farm lot,
    /// one use at the canteen, the failed quick test the one alert.
    #[test]
    fn the_food_history_runs_on_a_fresh_demo_chain() {
        let events = super::super::run_on_fresh_demo_chain(history());
        assert_eq!(super::super::refusals(&events), Vec::<String>::new());
        assert!(
            events.contains(&RuntimeEvent::Food(yima_food::Event::LotDerived {
                lot: pack_lot(),
                ancestors: vec![farm_lot()],
            }))
        );
        let served = events
            .iter()
            .filter(|e| matches!(e, RuntimeEvent::Food(yima_food::Event::Served { .. })))
            .count();
        assert_eq!(served, 1);
        let alerts: Vec<_> = events.iter().filter_map(|e| e.alert()).collect();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind.as_str(), "failed_test");
        assert_eq!(alerts[0].codes, vec![pack(2)]);
        assert!(
            alerts[0].message.contains("LJP2604"),
            "{}",
            alerts[0].message
        );
    }

    #[test]
    fn the_scanned_pack_is_the_documented_one() {
        assert_eq!(pack(2).to_string(), "/01/06970000005111/21/LJP0002");
    }
}
