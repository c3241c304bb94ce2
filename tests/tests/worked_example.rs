//! The worked example of `docs/trace-worked-example.md`, run for real on the `demo` preset: two supply chains
//! driven through signed transactions and blocks (two replicas re-executing each one), then traced and recalled
//! through the runtime's query layer, each hop proven into its block's `events_root`. Goods move the way the
//! domain pallets require (their capture gates check every custody event), so the stories use them where a real
//! chain would:
//!
//! 1. A vaccine minimum pack, in a case, on a pallet: released by the inspection institute (批签发), manufacturer
//!    → CDC → vaccination site, administered through the vaccine pallet's 7-in-one record
//!    ([`vaccine`](vaccine::vaccine)).
//! 2. An imported frozen lot through the cold-chain pallet: customs entry, certificates, clearance, cold-chain
//!    codes issued at the supervised first-stop warehouse, a carrier's leg to the processor, which cuts it into
//!    retail packs → supermarket, sold ([`frozen_import`](frozen_import::frozen_import)).
//!
//! The document's tables are this test's output: it renders them and compares them with the document; run
//! `YIMA_BLESS=1 cargo nextest run -p yima-tests --test worked_example` to rewrite them after a deliberate change.

use std::fmt::Write as _;

use yima_chain_spec::demo::trace::{gtin, item, lot, org};
use yima_chain_spec::dev_keys;
use yima_chain_spec::presets::{self, DEMO_ORGANISATIONS};
use yima_codes::{ColdChainCode, LotNumber, NmpaCode, NmpaProductCode, ProductId, TraceCode};
use yima_frame::{sha256, Moment, OrgId};
use yima_runtime::merkle;
use yima_runtime::query::{recall, trace, Recall, RecallTarget, Relation, Trace};
use yima_runtime::{RuntimeCall, RuntimeEvent, SignedTransaction, SPEC_VERSION};
use yima_tests::InProcessNet;
use yima_trace::epcis::{
    Action, BizStep, EpcisEvent, EventBody, Ilmd, Location, SensorKind, SensorReport, Unit,
};
use yima_trace::types::{Category, CodeStatus, LotKey, TemperatureRange};

#[path = "worked_example/frozen_import.rs"]
mod frozen_import;
#[path = "worked_example/render.rs"]
mod render;
#[path = "worked_example/vaccine.rs"]
mod vaccine;

use frozen_import::frozen_import;
use render::*;
use vaccine::vaccine;

const DAY: Moment = 86_400_000;

fn org_key(id: OrgId) -> &'static str {
    DEMO_ORGANISATIONS[id as usize].0
}

/// A small driver: every call is signed by its dev key, and the events' times are the block's.
struct Story {
    net: InProcessNet,
    genesis_hash: yima_frame::Hash,
    /// (block, signer, one line per event) — the calls as the document lists them.
    log: Vec<(u64, &'static str, Vec<String>)>,
}

impl Story {
    fn new() -> Self {
        let spec = presets::demo();
        Self {
            net: InProcessNet::new(&spec, 2, "alice"),
            genesis_hash: spec.genesis_hash().expect("the demo preset builds"),
            log: Vec::new(),
        }
    }

    fn now(&self) -> Moment {
        self.net.head().timestamp + 1_000
    }

    /// One block of calls, all of which must succeed. The log lists each call; under a domain pallet's call,
    /// the custody events it recorded through the trace core (its `Trace::Captured` events, marked ↳).
    fn block(&mut self, calls: Vec<(&'static str, RuntimeCall)>) -> u64 {
        let number = self.net.head().number + 1;
        let described: Vec<(&'static str, Vec<String>, bool)> = calls
            .iter()
            .map(|(who, call)| {
                let direct = matches!(call, RuntimeCall::Trace(_));
                (*who, describe_call(call), direct)
            })
            .collect();
        let txs = calls
            .into_iter()
            .enumerate()
            .map(|(i, (who, call))| {
                // A signer's second call in the block takes the next nonce.
                let earlier = described[..i].iter().filter(|(w, ..)| *w == who).count() as u64;
                self.sign(who, earlier, call)
            })
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
        // Each transaction's events end with its outcome, so the n-th group is the n-th call's.
        let mut recorded: Vec<Vec<String>> = vec![Vec::new()];
        for event in &events {
            match event {
                RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess) => {
                    recorded.push(Vec::new())
                }
                RuntimeEvent::Trace(yima_trace::Event::Captured { event, .. }) => recorded
                    .last_mut()
                    .expect("never empty")
                    .push(format!("↳ {}", describe(event))),
                _ => {}
            }
        }
        assert_eq!(recorded.len(), described.len() + 1, "one outcome per call");
        for ((who, mut lines, direct), recorded) in described.into_iter().zip(recorded) {
            if !direct {
                lines.extend(recorded);
            }
            self.log.push((number, who, lines));
        }
        built.block.header.number
    }

    /// `who`'s transaction with its account nonce plus `later` (its calls earlier in the same block).
    fn sign(&self, who: &str, later: u64, call: RuntimeCall) -> SignedTransaction {
        let nonce = self
            .net
            .read(|| yima_runtime::System::account_nonce(&dev_keys::dev_account(who)));
        SignedTransaction::sign(
            &dev_keys::dev_key(who),
            &self.genesis_hash,
            SPEC_VERSION,
            nonce + later,
            self.net.head().number + 20,
            call,
        )
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

/// The regulator's approval of `product`, citing the digest of its licence `licence`.
fn approve(product: ProductId, licence: &str) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::ApproveProduct {
        product,
        licence: sha256(licence.as_bytes()),
    })
}

fn sscc(n: u32) -> TraceCode {
    yima_chain_spec::demo::trace::sscc(&format!("16901234{n:09}"))
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
