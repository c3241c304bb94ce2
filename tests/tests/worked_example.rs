//! The worked example of `docs/trace-worked-example.md`, run for real on the `demo` preset: two supply chains
//! driven through signed transactions and blocks (two replicas re-executing each one), then traced and recalled
//! through the runtime's query layer, each hop proven into its block's `events_root`.
//!
//! 1. A vaccine minimum pack, in a case, on a pallet: manufacturer → CDC → vaccination site, administered.
//! 2. An imported frozen lot: importer (customs inspection) → supervised first-stop warehouse, which issues the
//!    cold-chain codes → processor, which cuts it into retail packs → supermarket, sold.
//!
//! The document's tables are this test's output: it renders them and compares them with the document; run
//! `YIMA_BLESS=1 cargo nextest run -p yima-tests --test worked_example` to rewrite them after a deliberate change.

use std::fmt::Write as _;

use yima_chain_spec::presets::{self, DEMO_ORGANISATIONS};
use yima_codes::{
    ColdChainCode, Gtin, LotNumber, NmpaCode, NmpaProductCode, ProductId, SerialNumber, Sscc,
    TraceCode,
};
use yima_frame::{sha256, Moment, OrgId};
use yima_runtime::merkle;
use yima_runtime::query::{recall, trace, Recall, RecallTarget, Relation, Trace};
use yima_runtime::{RuntimeCall, RuntimeEvent};
use yima_tests::InProcessNet;
use yima_trace::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody, Ilmd, Location,
    SensorKind, SensorReport, Unit,
};
use yima_trace::types::{Category, CodeStatus, LotKey, TemperatureRange};

#[path = "worked_example/render.rs"]
mod render;

use render::*;

const DAY: Moment = 86_400_000;

/// The demo organisation of a dev key (organisation ids follow `DEMO_ORGANISATIONS`).
fn org(key: &str) -> OrgId {
    DEMO_ORGANISATIONS
        .iter()
        .position(|(k, ..)| *k == key)
        .expect("a demo organisation") as OrgId
}

fn org_key(id: OrgId) -> &'static str {
    DEMO_ORGANISATIONS[id as usize].0
}

/// A small driver: every call is signed by its dev key, and the events' times are the block's.
struct Story {
    net: InProcessNet,
    /// (block, signer, one line per event) — the calls as the document lists them.
    log: Vec<(u64, &'static str, Vec<String>)>,
}

impl Story {
    fn new() -> Self {
        Self {
            net: InProcessNet::new(&presets::demo(), 2, "alice"),
            log: Vec::new(),
        }
    }

    fn now(&self) -> Moment {
        self.net.head().timestamp + 1_000
    }

    /// One block of calls, all of which must succeed.
    fn block(&mut self, calls: Vec<(&'static str, RuntimeCall)>) -> u64 {
        let number = self.net.head().number + 1;
        for (who, call) in &calls {
            let lines = match call {
                RuntimeCall::Trace(yima_trace::Call::Capture { events }) => {
                    events.iter().map(describe).collect()
                }
                RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                    product,
                    name,
                    category,
                    temperature,
                    ..
                }) => vec![format!(
                    "register product {} “{}” ({category:?}{})",
                    product.as_str(),
                    String::from_utf8_lossy(name),
                    temperature
                        .map(|t| format!(", {}", band(&t)))
                        .unwrap_or_default()
                )],
                other => vec![format!("{other:?}")],
            };
            self.log.push((number, who, lines));
        }
        let txs = calls
            .into_iter()
            .map(|(who, call)| self.net.sign(who, call))
            .collect();
        let (built, events) = self.net.produce(txs);
        let failed: Vec<_> = events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { .. })
                )
            })
            .collect();
        assert!(failed.is_empty(), "block {number}: {failed:?}");
        assert!(self.net.replicas_agree());
        built.block.header.number
    }

    /// Every hop's event record proves into its block's events_root (what an auditor's bundle carries).
    fn assert_proven(&self, t: &Trace) {
        for hop in &t.hops {
            let (header, events) = self.net.block(hop.at.block).expect("a produced block");
            let leaves: Vec<[u8; 32]> = events
                .iter()
                .map(|e| merkle::leaf_hash(&e.record_bytes()))
                .collect();
            let record = events[hop.at.index as usize].record_bytes();
            let proof = merkle::prove(&leaves, hop.at.index as usize).unwrap();
            merkle::verify(header.events_root, &record, &proof).unwrap();
            match events[hop.at.index as usize]
                .decode::<RuntimeEvent>()
                .unwrap()
                .event
            {
                RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                    assert_eq!((org, &event), (hop.org, hop.epcis()));
                }
                other => panic!("{} is not a custody event: {other:?}", hop.at),
            }
        }
    }
}

fn base(body: EventBody, step: BizStep, at: Moment) -> EpcisEvent {
    EpcisEvent::new(body, at, 480, step)
}

fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep, at: Moment) -> EpcisEvent {
    base(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        step,
        at,
    )
}

fn aggregation(
    action: Action,
    parent: TraceCode,
    children: Vec<TraceCode>,
    step: BizStep,
    at: Moment,
) -> EpcisEvent {
    base(
        EventBody::Aggregation {
            action,
            parent,
            children,
        },
        step,
        at,
    )
}

fn place(name: &str) -> Option<Location> {
    Some(Location::Other(name.as_bytes().to_vec()))
}

/// A logger's summary in °C × 100.
fn temperature(min: i32, max: i32, device: &str) -> SensorReport {
    SensorReport {
        kind: SensorKind::Temperature,
        unit: Unit::Celsius,
        min,
        max,
        mean: (min + max) / 2,
        device: Some(device.as_bytes().to_vec()),
    }
}

fn ship(codes: Vec<TraceCode>, to: &str, at: Moment, sensor: SensorReport) -> EpcisEvent {
    let mut e = object(Action::Observe, codes, BizStep::Shipping, at);
    e.destination = Some(org(to));
    e.sensors.push(sensor);
    e
}

fn receive(codes: Vec<TraceCode>, at: Moment, room: &str) -> EpcisEvent {
    let mut e = object(Action::Observe, codes, BizStep::Receiving, at);
    e.biz_location = place(room);
    e
}

fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

fn register(
    product: ProductId,
    name: &str,
    category: Category,
    band: TemperatureRange,
) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product,
        name: name.as_bytes().to_vec(),
        category,
        temperature: Some(band),
        shelf_life_days: 730,
    })
}

fn sscc(n: u32) -> TraceCode {
    let body = format!("16901234{n:09}");
    let check = yima_codes::gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).unwrap())
}

fn gtin(body13: &str) -> Gtin {
    let check = yima_codes::gs1_check_digit(body13.as_bytes());
    Gtin::parse(&format!("{body13}{check}")).unwrap()
}

/// Story 1: a vaccine minimum pack traced to its administration.
fn vaccine(story: &mut Story, out: &mut String) {
    let product = NmpaProductCode::parse("8612345").unwrap();
    let pack = |n: u64| TraceCode::Nmpa(NmpaCode::parse(&format!("8612345{n:013}")).unwrap());
    let packs: Vec<TraceCode> = (1..=4).map(pack).collect();
    let (case, pallet) = (sscc(1), sscc(2));
    let lot = LotKey {
        product: ProductId::Nmpa(product),
        lot: LotNumber::parse("202601A").unwrap(),
    };

    story.block(vec![(
        "manufacturer",
        register(
            ProductId::Nmpa(product),
            "Demo vaccine (Vero cell), 0.5 ml",
            Category::Vaccine,
            TemperatureRange::VACCINE,
        ),
    )]);
    let t = story.now();
    let mut commission = object(Action::Add, packs.clone(), BizStep::Commissioning, t);
    commission.ilmd = Some(Ilmd {
        lot: lot.clone(),
        production_date: t - 30 * DAY,
        expiry: t + 700 * DAY,
    });
    story.block(vec![(
        "manufacturer",
        capture(vec![
            commission,
            object(Action::Add, vec![case, pallet], BizStep::Commissioning, t),
            aggregation(Action::Add, case, packs.clone(), BizStep::Packing, t),
            aggregation(Action::Add, pallet, vec![case], BizStep::Packing, t),
            ship(vec![pallet], "cdc", t, temperature(410, 580, "logger-17")),
        ]),
    )]);
    let t = story.now();
    story.block(vec![(
        "cdc",
        capture(vec![receive(vec![pallet], t, "CDC cold room 2")]),
    )]);
    let t = story.now();
    story.block(vec![(
        "cdc",
        capture(vec![ship(
            vec![pallet],
            "vaccination_site",
            t,
            temperature(350, 520, "logger-21"),
        )]),
    )]);
    let t = story.now();
    story.block(vec![(
        "vaccination_site",
        capture(vec![
            receive(vec![pallet], t, "clinic fridge 1"),
            aggregation(Action::Delete, pallet, vec![], BizStep::Unpacking, t),
            aggregation(Action::Delete, case, vec![], BizStep::Unpacking, t),
        ]),
    )]);
    let t = story.now();
    story.block(vec![(
        "vaccination_site",
        capture(vec![object(
            Action::Observe,
            vec![packs[1]],
            BizStep::Administering,
            t,
        )]),
    )]);

    let index = story.net.index();
    let traced = trace(index, &packs[1]).unwrap();
    story.assert_proven(&traced);
    use BizStep::*;
    use Relation::*;
    assert_eq!(
        steps(&traced),
        vec![
            (2, Own, "manufacturer", Commissioning),
            (2, Own, "manufacturer", Packing),
            (2, Container, "manufacturer", Packing),
            (2, Container, "manufacturer", Shipping),
            (3, Container, "cdc", Receiving),
            (4, Container, "cdc", Shipping),
            (5, Container, "vaccination_site", Receiving),
            (5, Container, "vaccination_site", Unpacking),
            (5, Container, "vaccination_site", Unpacking),
            (6, Own, "vaccination_site", Administering),
        ]
    );
    assert_eq!(traced.hops[2].subject, case);
    assert_eq!(traced.hops[3].subject, pallet);
    assert!(traced.upstream.is_empty() && traced.downstream.is_empty());

    let recalled = recall(index, &story.net.custody(), RecallTarget::Lot(lot)).unwrap();
    let statuses: Vec<CodeStatus> = recalled.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![
            CodeStatus::Active,
            CodeStatus::Administered,
            CodeStatus::Active,
            CodeStatus::Active
        ]
    );
    assert!(recalled
        .rows
        .iter()
        .all(|r| r.holder == org("vaccination_site")));

    out.push_str(
        "### 1. Vaccine: minimum pack → case → pallet, manufacturer → CDC → vaccination site\n\n",
    );
    out.push_str("The transactions (one row each):\n\n");
    render_calls(out, &story.log);
    let _ = writeln!(
        out,
        "`trace({})` — the minimum pack that was administered:\n",
        short(&packs[1])
    );
    render_trace(out, &traced);
    let _ = writeln!(out, "`recall(Lot 8612345 / 202601A)`:\n");
    render_recall(out, &recalled);
}

/// Story 2: an imported frozen lot cut into retail packs.
fn frozen_import(story: &mut Story, out: &mut String) {
    let first_block = story.net.head().number + 1;
    let log_from = story.log.len();
    let beef = gtin("0690123450001");
    let steak = gtin("0690123460002");
    let frozen = TemperatureRange {
        min_centi_celsius: -2_500,
        max_centi_celsius: -1_500,
    };
    let carton = |n: u32| TraceCode::Sgtin {
        gtin: beef,
        serial: SerialNumber::parse(&format!("BR{n:04}")).unwrap(),
    };
    let cold = |n: u64| TraceCode::ColdChain(ColdChainCode::new(330_108, n).unwrap());
    let retail = |n: u32| TraceCode::Sgtin {
        gtin: steak,
        serial: SerialNumber::parse(&format!("ST{n:04}")).unwrap(),
    };
    let cartons = vec![carton(1), carton(2)];
    let colds = vec![cold(1), cold(2)];
    let packs: Vec<TraceCode> = (1..=4).map(retail).collect();
    let case = sscc(10);
    let import_lot = LotKey {
        product: ProductId::Gtin(beef),
        lot: LotNumber::parse("BR2607").unwrap(),
    };
    let steak_lot = LotKey {
        product: ProductId::Gtin(steak),
        lot: LotNumber::parse("ST0715").unwrap(),
    };
    let declaration = sha256("customs declaration 310420260000123456".as_bytes());
    let disinfection = sha256("disinfection certificate ZJ-2026-0715-88".as_bytes());

    story.block(vec![
        (
            "importer",
            register(
                ProductId::Gtin(beef),
                "Frozen boneless beef, imported",
                Category::ColdChainFood,
                frozen,
            ),
        ),
        (
            "processor",
            register(
                ProductId::Gtin(steak),
                "Beef steak 500 g, frozen",
                Category::ColdChainFood,
                frozen,
            ),
        ),
    ]);
    let t = story.now();
    let import_ilmd = Ilmd {
        lot: import_lot.clone(),
        production_date: t - 60 * DAY,
        expiry: t + 300 * DAY,
    };
    let mut commission = object(Action::Add, cartons.clone(), BizStep::Commissioning, t);
    commission.ilmd = Some(import_ilmd.clone());
    let declared = base(
        EventBody::Transaction {
            action: Action::Add,
            biz_transactions: vec![BizTransaction {
                kind: BizTransactionKind::CustomsDeclaration,
                digest: declaration,
            }],
            epcs: cartons.clone(),
        },
        BizStep::Other,
        t,
    );
    story.block(vec![(
        "importer",
        capture(vec![
            commission,
            declared,
            ship(
                cartons.clone(),
                "supervised_warehouse",
                t,
                temperature(-1_950, -1_800, "reefer-CN88"),
            ),
        ]),
    )]);
    let t = story.now();
    let mut inspected = object(Action::Observe, cartons.clone(), BizStep::Inspecting, t);
    inspected.read_point = place("Ningbo port inspection bay 3");
    let mut issue = base(
        EventBody::Transformation {
            inputs: cartons.clone(),
            outputs: colds.clone(),
        },
        BizStep::Commissioning,
        t,
    );
    // The cold-chain codes join the importer's lot: same lot data.
    issue.ilmd = Some(import_ilmd);
    issue.certifications = vec![disinfection];
    story.block(vec![
        ("customs", capture(vec![inspected])),
        (
            "supervised_warehouse",
            capture(vec![
                receive(cartons.clone(), t, "first-stop warehouse bay 4"),
                issue,
            ]),
        ),
    ]);
    let t = story.now();
    story.block(vec![(
        "supervised_warehouse",
        capture(vec![ship(
            colds.clone(),
            "processor",
            t,
            temperature(-1_900, -1_750, "truck-ZJA12345"),
        )]),
    )]);
    let t = story.now();
    let mut cut = base(
        EventBody::Transformation {
            inputs: colds.clone(),
            outputs: packs.clone(),
        },
        BizStep::Transforming,
        t,
    );
    cut.ilmd = Some(Ilmd {
        lot: steak_lot.clone(),
        production_date: t,
        expiry: t + 180 * DAY,
    });
    story.block(vec![(
        "processor",
        capture(vec![
            receive(colds.clone(), t, "processing plant freezer"),
            cut,
            object(Action::Add, vec![case], BizStep::Commissioning, t),
            aggregation(Action::Add, case, packs.clone(), BizStep::Packing, t),
            ship(
                vec![case],
                "retailer",
                t,
                temperature(-2_000, -1_700, "truck-ZJB67890"),
            ),
        ]),
    )]);
    let t = story.now();
    story.block(vec![(
        "retailer",
        capture(vec![
            receive(vec![case], t, "store freezer"),
            aggregation(Action::Delete, case, vec![], BizStep::Unpacking, t),
        ]),
    )]);
    let t = story.now();
    story.block(vec![(
        "retailer",
        capture(vec![object(
            Action::Observe,
            vec![packs[0]],
            BizStep::RetailSelling,
            t,
        )]),
    )]);

    let index = story.net.index();
    let traced = trace(index, &packs[0]).unwrap();
    story.assert_proven(&traced);
    let mut upstream = [cartons.clone(), colds.clone()].concat();
    upstream.sort();
    assert_eq!(traced.upstream, upstream);
    let b = first_block;
    use BizStep::*;
    use Relation::*;
    assert_eq!(
        steps(&traced),
        vec![
            (b + 1, Upstream, "importer", Commissioning),
            (b + 1, Upstream, "importer", Other),
            (b + 1, Upstream, "importer", Shipping),
            (b + 2, Upstream, "customs", Inspecting),
            (b + 2, Upstream, "supervised_warehouse", Receiving),
            (b + 2, Upstream, "supervised_warehouse", Commissioning),
            (b + 3, Upstream, "supervised_warehouse", Shipping),
            (b + 4, Upstream, "processor", Receiving),
            (b + 4, Own, "processor", Transforming),
            (b + 4, Own, "processor", Packing),
            (b + 4, Container, "processor", Shipping),
            (b + 5, Container, "retailer", Receiving),
            (b + 5, Container, "retailer", Unpacking),
            (b + 6, Own, "retailer", RetailSelling),
        ]
    );

    // Downstream from a carton: both cold-chain codes and all four retail packs.
    let carton_trace = trace(index, &cartons[0]).unwrap();
    let mut down = [colds.clone(), packs.clone()].concat();
    down.sort();
    assert_eq!(carton_trace.downstream, down);

    let recalled = recall(index, &story.net.custody(), RecallTarget::Lot(import_lot)).unwrap();
    assert_eq!(recalled.rows.len(), 8);
    let sold = recalled.rows.iter().find(|r| r.code == packs[0]).unwrap();
    assert_eq!(
        (sold.holder, sold.status),
        (org("retailer"), CodeStatus::Sold)
    );
    assert!(recalled
        .rows
        .iter()
        .filter(|r| cartons.contains(&r.code) || colds.contains(&r.code))
        .all(|r| r.status == CodeStatus::Consumed));

    out.push_str("### 2. Imported frozen beef: importer → supervised warehouse (cold-chain codes) → processor (retail packs) → supermarket\n\n");
    out.push_str("The transactions (one row each):\n\n");
    render_calls(out, &story.log[log_from..]);
    let _ = writeln!(
        out,
        "`trace({})` — the retail pack that was sold:\n",
        short(&packs[0])
    );
    render_trace(out, &traced);
    let _ = writeln!(
        out,
        "`recall(Lot {} / BR2607)` — the imported lot, through both transformations:\n",
        beef.as_str()
    );
    render_recall(out, &recalled);
}

const BEGIN: &str = "<!-- BEGIN GENERATED by tests/tests/worked_example.rs -->\n";
const END: &str = "<!-- END GENERATED -->";

#[test]
fn worked_example_traces_match_the_document() {
    let mut story = Story::new();
    let mut out = String::new();
    vaccine(&mut story, &mut out);
    frozen_import(&mut story, &mut out);

    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/trace-worked-example.md");
    let doc = std::fs::read_to_string(&path).expect("docs/trace-worked-example.md");
    let (start, end) = (
        doc.find(BEGIN).expect("the document's BEGIN marker") + BEGIN.len(),
        doc.find(END).expect("the document's END marker"),
    );
    if std::env::var_os("YIMA_BLESS").is_some() {
        let updated = format!("{}{}{}", &doc[..start], out, &doc[end..]);
        std::fs::write(&path, updated).unwrap();
    } else {
        assert!(
            doc[start..end] == out,
            "docs/trace-worked-example.md is out of date with this test's output; rerun with YIMA_BLESS=1 \
             and review the diff.\n--- generated ---\n{out}"
        );
    }
}
