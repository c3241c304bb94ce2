//! Weights and the limits on what one transaction and one block may cost (issue 12, "unmetered execution").
//!
//! The attack: a member holding a 10,000-item pallet sends one transaction of aggregation events that only
//! *observe* the pallet. Every event makes the capture gates walk every item inside it (`GateContext::lots`),
//! so one small transaction costs ~20,000 state accesses per event.

mod common;

use common::trace::*;
use yima_codes::TraceCode;
use yima_frame::externalities::{meter, metered};
use yima_frame::{Origin, Weight};
use yima_runtime::{Membership, RuntimeCall};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};

/// Items on the pallet.
const PALLET_ITEMS: u32 = 10_000;
/// Events in the bomb (the chain allows 1,000 per call; 100 keeps the test quick and already shows it).
const BOMB_EVENTS: usize = 100;

/// A chain where the maker holds `sscc(0)`, a pallet of [`PALLET_ITEMS`] items.
fn chain_with_a_full_pallet() -> IndexedChain {
    let mut c = IndexedChain::new();
    c.ok(vec![("maker", register(maker_gtin(), "Yoghurt", None))]);
    let items: Vec<TraceCode> = (0..PALLET_ITEMS).map(item).collect();
    c.ok(vec![(
        "maker",
        capture(vec![commissioning(
            items.clone(),
            Some(lot_of(maker_gtin(), "L1")),
        )]),
    )]);
    // An event names at most 10,000 codes, the pallet's own included: packed in two halves, one transaction.
    let (first, second) = items.split_at(items.len() / 2);
    c.ok(vec![(
        "maker",
        capture(vec![
            commissioning(vec![sscc(0)], None),
            packing(sscc(0), first.to_vec()),
            packing(sscc(0), second.to_vec()),
        ]),
    )]);
    c
}

/// An aggregation event that only observes `container` (no children named).
fn observe(container: TraceCode) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action: Action::Observe,
            parent: container,
            children: vec![],
        },
        BizStep::Inspecting,
    )
}

fn bomb() -> RuntimeCall {
    capture(vec![observe(sscc(0)); BOMB_EVENTS])
}

#[test]
fn observe_bomb_reads_every_item_of_the_pallet_for_every_event() {
    let mut c = chain_with_a_full_pallet();
    // Dispatched on its own, unlimited, the call reads the whole pallet once per event.
    let (usage, used) = c.chain.read(|| {
        let signer = Membership::resolve_signer(&common::account("maker")).unwrap();
        let (outcome, used) =
            metered(Weight::MAX, || bomb().dispatch(&Origin::Signed(signer))).unwrap();
        assert_eq!(outcome, Ok(()));
        (meter().usage, used)
    });
    let accesses = usage.reads + usage.scanned;
    assert!(
        accesses >= 2 * BOMB_EVENTS as u64 * PALLET_ITEMS as u64,
        "{accesses} state accesses"
    );
    println!("observe bomb: {usage:?}, weight {used}");
    // In a block, today: included and successful, whatever it cost.
    let built = c.block(vec![("maker", bomb())]);
    assert_eq!(built.block.extrinsics.len(), 1);
    assert_eq!(failures(&built), vec![]);
}

#[test]
fn a_transaction_valid_for_ever_is_accepted() {
    let c = common::Chain::new();
    let tx = yima_runtime::SignedTransaction::sign(
        &common::key("maker"),
        &c.ctx().genesis_hash,
        yima_runtime::SPEC_VERSION,
        0,
        u64::MAX,
        register(maker_gtin(), "Yoghurt", None),
    );
    assert!(c.exec.validate_transaction(c.backend(), &tx).is_ok());
}
