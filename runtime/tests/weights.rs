//! Weights and the limits on what one transaction and one block may cost (issue 12, "unmetered execution").
//!
//! The attack: a member holding a 10,000-item pallet sends one transaction of aggregation events that only
//! *observe* the pallet. Every event makes the capture gates walk every item inside it (`GateContext::lots`),
//! so one small transaction costs ~20,000 state accesses per event.

mod common;

use common::trace::*;
use yima_codes::TraceCode;
use yima_frame::externalities::{meter, metered};
use yima_frame::{DispatchError, Origin, Weight};
use yima_runtime::{BlockError, InvalidTransaction, Membership, RuntimeCall};
use yima_system::BlockLimits;
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
fn observe_bomb_reads_every_item_of_the_pallet_for_every_event_unless_stopped_by_its_weight_limit()
{
    let c = chain_with_a_full_pallet();
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
    let limit = BlockLimits::default().max_transaction_weight;
    assert!(used.units() > 5 * limit, "weight {used}");
    // In a block it is stopped at the transaction's weight limit: included as failed (nonce consumed, nothing
    // else written), weighing the limit, after walking the pallet only a few times.
    let nonce = c.chain.nonce(&common::account("maker"));
    let tx = c.chain.sign("maker", bomb());
    let built = c.chain.build(vec![tx]);
    assert_eq!(built.block.extrinsics.len(), 1);
    let failed = failures(&built);
    let [DispatchError::WeightExhausted {
        used: stopped_at,
        limit: reported,
    }] = failed[..]
    else {
        panic!("expected WeightExhausted, got {failed:?}");
    };
    assert_eq!(reported, limit);
    assert!(stopped_at > limit && stopped_at < limit + used.units() / BOMB_EVENTS as u64);
    assert_eq!(built.weight, Weight(limit));
    assert_eq!(captured(built.block.header.number, &built.events), vec![]);
    // Every validator comes to the same verdict.
    let executed = c
        .chain
        .exec
        .execute_block(c.chain.backend(), &c.chain.head, &built.block, &|_| false)
        .unwrap();
    assert_eq!(executed.update.root, built.update.root);
    assert_eq!(executed.weight, built.weight);
    c.chain.state.commit(built.update).unwrap();
    assert_eq!(c.chain.nonce(&common::account("maker")), nonce + 1);
}

#[test]
fn a_transaction_valid_beyond_the_window_is_refused() {
    let c = common::Chain::new();
    let tx = yima_runtime::SignedTransaction::sign(
        &common::key("maker"),
        &c.ctx().genesis_hash,
        yima_runtime::SPEC_VERSION,
        0,
        u64::MAX,
        register(maker_gtin(), "Yoghurt", None),
    );
    let window = BlockLimits::default().max_validity_blocks;
    assert_eq!(
        c.exec.validate_transaction(c.backend(), &tx),
        Err(InvalidTransaction::ValidityTooLong {
            valid_until: u64::MAX,
            max: 1 + window,
            block: 1,
            window,
        })
    );
    let at_the_edge = |valid_until| {
        yima_runtime::SignedTransaction::sign(
            &common::key("maker"),
            &c.ctx().genesis_hash,
            yima_runtime::SPEC_VERSION,
            0,
            valid_until,
            register(maker_gtin(), "Yoghurt", None),
        )
    };
    assert!(c
        .exec
        .validate_transaction(c.backend(), &at_the_edge(1 + window))
        .is_ok());
    let late = at_the_edge(2 + window);
    assert!(matches!(
        c.exec.check_transactions(c.backend(), &[&late])[0],
        Err(InvalidTransaction::ValidityTooLong { .. })
    ));
    // A proposer leaves it out; a block carrying it is invalid.
    let built = c.build(vec![late.clone()]);
    assert!(matches!(
        built.rejected[..],
        [(_, InvalidTransaction::ValidityTooLong { .. })]
    ));
    let mut block = built.block;
    block.extrinsics = vec![late];
    assert!(matches!(
        c.exec
            .execute_block(c.backend(), &c.head, &block, &|_| false),
        Err(BlockError::InvalidTransaction {
            index: 0,
            error: InvalidTransaction::ValidityTooLong { .. }
        })
    ));
}
