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
    // A transaction may weigh 10⁸: about 3,500 items packed at once. Commissioned in two transactions and
    // packed in four, as the chain's limits make an honest user do (one block each).
    c.ok(items
        .chunks(items.len() / 2)
        .map(|half| {
            (
                "maker",
                capture(vec![commissioning(
                    half.to_vec(),
                    Some(lot_of(maker_gtin(), "L1")),
                )]),
            )
        })
        .collect());
    c.ok(vec![(
        "maker",
        capture(vec![commissioning(vec![sscc(0)], None)]),
    )]);
    c.ok(items
        .chunks(items.len() / 4)
        .map(|quarter| ("maker", capture(vec![packing(sscc(0), quarter.to_vec())])))
        .collect());
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
    assert!(used.units() > 3 * limit, "weight {used}");
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
    // The node's pool learns from the events whose transaction it was, to make its signer wait.
    assert_eq!(
        yima_runtime::outcome::weight_exhausted(&built.block, &built.events),
        vec![common::account("maker")]
    );
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

/// Commissioning items `from..from + 50` into lot L1 (same-length codes, so equal transactions weigh about
/// the same).
fn commission_fifty(from: u32) -> RuntimeCall {
    capture(vec![commissioning(
        (from..from + 50).map(item).collect(),
        Some(lot_of(maker_gtin(), "L1")),
    )])
}

/// A chain with the maker's product registered and `limits`.
fn chain_with_limits(limits: BlockLimits) -> IndexedChain {
    let mut config = trace_genesis_config();
    config.system.limits = limits;
    let mut c = IndexedChain::with_config(&config);
    c.ok(vec![("maker", register(maker_gtin(), "Yoghurt", None))]);
    c.ok(vec![("maker", commission_fifty(100))]);
    c
}

#[test]
fn a_block_past_its_weight_limit_is_refused_and_the_builder_defers_what_would_cross_it() {
    let small = BlockLimits {
        max_transaction_bytes: 16 * 1024,
        ..BlockLimits::default()
    };
    let one = chain_with_limits(small);
    let tx = one.chain.sign("maker", commission_fifty(200));
    let weight = one.chain.build(vec![tx]).weight.units();
    assert!(weight > 0);

    // Room for two such transactions, not three.
    let limit = weight * 5 / 2;
    let c = chain_with_limits(BlockLimits {
        max_transaction_weight: limit,
        max_block_weight: limit,
        ..small
    });
    let txs: Vec<_> = (0..3)
        .map(|n| {
            let nonce = c.chain.nonce(&common::account("maker")) + n;
            c.chain
                .sign_with("maker", nonce, commission_fifty(200 + 50 * n as u32))
        })
        .collect();
    let built = c.chain.build(txs.clone());
    assert_eq!(built.block.extrinsics, txs[..2].to_vec());
    assert_eq!(built.deferred, vec![txs[2].clone()]);
    assert!(built.weight.units() <= limit && built.weight.units() > weight);
    assert_eq!(failures(&built), vec![]);
    let executed = c
        .chain
        .exec
        .execute_block(c.chain.backend(), &c.chain.head, &built.block, &|_| false)
        .unwrap();
    assert_eq!(executed.weight, built.weight);

    // A proposer that ignores the rule: every validator refuses its block.
    let mut block = built.block;
    block.extrinsics = txs;
    match c
        .chain
        .exec
        .execute_block(c.chain.backend(), &c.chain.head, &block, &|_| false)
    {
        Err(BlockError::WeightLimitExceeded {
            index: 2,
            used,
            limit: l,
        }) => assert!(l == limit && used > limit, "{used} {l}"),
        other => panic!("expected WeightLimitExceeded, got {other:?}"),
    }
}

#[test]
fn the_builder_stops_when_the_proposer_says_its_time_is_up() {
    let c = chain_with_limits(BlockLimits::default());
    let txs: Vec<_> = (0..4)
        .map(|n| {
            let nonce = c.chain.nonce(&common::account("maker")) + n;
            c.chain
                .sign_with("maker", nonce, commission_fifty(200 + 50 * n as u32))
        })
        .collect();
    let asked = std::cell::Cell::new(0);
    let built = c
        .chain
        .exec
        .build_block_until(
            c.chain.backend(),
            &c.chain.head,
            common::account("validator"),
            c.chain.head.timestamp + 1_000,
            txs.clone(),
            &|_| false,
            &|| {
                asked.set(asked.get() + 1);
                asked.get() > 2
            },
        )
        .unwrap();
    assert_eq!(built.block.extrinsics, txs[..2].to_vec());
    assert_eq!(built.deferred, txs[2..].to_vec());
    assert_eq!(
        asked.get(),
        3,
        "asked before each transaction, not after it stopped"
    );
    // The deferred ones are still good for the next block, and the block is valid as built.
    c.chain
        .exec
        .execute_block(c.chain.backend(), &c.chain.head, &built.block, &|_| false)
        .unwrap();
}

#[test]
fn an_honest_pallet_of_ten_thousand_items_is_observed_shipped_and_received_in_one_transaction_each()
{
    let mut c = chain_with_a_full_pallet();
    let limit = BlockLimits::default().max_transaction_weight;
    let built = c.ok(vec![("maker", capture(vec![observe(sscc(0))]))]);
    println!("observing the pallet weighs {} of {limit}", built.weight);
    assert!(built.weight.units() <= limit);
    let built = c.ok(vec![(
        "maker",
        capture(vec![shipping(vec![sscc(0)], DISTRIBUTOR_ORG)]),
    )]);
    println!("shipping it weighs {} of {limit}", built.weight);
    let built = c.ok(vec![(
        "distributor",
        capture(vec![receiving(vec![sscc(0)])]),
    )]);
    println!("receiving it weighs {} of {limit}", built.weight);
    // Emptying it at once is past one transaction's limit: it fails naming the limit, and is done in four.
    let built = c.block(vec![(
        "distributor",
        capture(vec![unpacking(sscc(0), vec![])]),
    )]);
    let failed = failures(&built);
    assert!(
        matches!(failed[..], [DispatchError::WeightExhausted { limit: l, .. }] if l == limit),
        "{failed:?}"
    );
    let items: Vec<TraceCode> = (0..PALLET_ITEMS).map(item).collect();
    let built = c.ok(items
        .chunks(items.len() / 4)
        .map(|quarter| {
            (
                "distributor",
                capture(vec![unpacking(sscc(0), quarter.to_vec())]),
            )
        })
        .collect());
    println!(
        "unpacking it in four weighs {} of {limit} each at most",
        built.weight
    );
    assert!(built.weight.units() <= 4 * limit);
}

#[test]
fn a_container_the_remaining_weight_cannot_walk_is_refused_before_any_of_it_is_read() {
    let c = chain_with_a_full_pallet();
    c.chain.read(|| {
        let signer = Membership::resolve_signer(&common::account("maker")).unwrap();
        let before = meter().usage;
        // Enough for the call's fixed reads, far from enough for 10,000 items.
        let refused = metered(Weight(2_000_000), || {
            capture(vec![observe(sscc(0))]).dispatch(&Origin::Signed(signer))
        });
        assert!(refused.is_err());
        assert_eq!(
            meter().usage.scanned,
            before.scanned,
            "not one entry of the pallet was scanned"
        );
    });
}

#[test]
fn one_organisation_takes_at_most_its_share_of_a_contended_block_and_the_others_go_in_beside_it() {
    let probe = chain_with_limits(BlockLimits::default());
    let tx = probe.chain.sign("maker", commission_fifty(200));
    let w = probe.chain.build(vec![tx]).weight.units();
    // A share (a fifth of the block) of just under two of the maker's transactions; room in the block for nine.
    let c = chain_with_limits(BlockLimits {
        max_transaction_bytes: 16 * 1024,
        max_transaction_weight: 2 * w,
        max_block_weight: 9 * w,
        ..BlockLimits::default()
    });
    let maker = c.chain.nonce(&common::account("maker"));
    let heavy: Vec<_> = (0..6)
        .map(|n| {
            c.chain
                .sign_with("maker", maker + n, commission_fifty(200 + 50 * n as u32))
        })
        .collect();
    // The distributor's transactions arrive after all of the maker's (they fail: it holds nothing; a failed
    // transaction is included all the same).
    let light: Vec<_> = (0..2)
        .map(|n| {
            let nonce = c.chain.nonce(&common::account("distributor")) + n;
            c.chain.sign_with(
                "distributor",
                nonce,
                capture(vec![receiving(vec![item(90_000 + n as u32)])]),
            )
        })
        .collect();
    let offered: Vec<_> = heavy.iter().chain(&light).cloned().collect();
    let hashes =
        |txs: &[yima_runtime::SignedTransaction]| txs.iter().map(|t| t.hash()).collect::<Vec<_>>();
    let built = c.chain.build(offered);
    let mut expected = hashes(&heavy[..2]);
    expected.extend(hashes(&light));
    assert_eq!(hashes(&built.block.extrinsics), expected);
    // The maker's later transactions wait, in nonce order, for the next block.
    assert_eq!(hashes(&built.deferred), hashes(&heavy[2..]));
    assert_eq!(
        yima_runtime::outcome::weight_exhausted(&built.block, &built.events),
        vec![],
        "heavy but within their limit: nobody to make wait"
    );
    assert!(built.weight.units() < 3 * w);

    // Alone in the pool, the maker fills the block.
    let built = c.chain.build(heavy.clone());
    assert_eq!(hashes(&built.block.extrinsics), hashes(&heavy));
}
