//! Complete histories: every accepted event extends the summary of each code it names, at the position it takes
//! among the block's events, so a verifier holding only the block's events recomputes it; containers' moves are
//! in the container's chain only; refused captures leave every summary as it was.

use std::collections::BTreeMap;

use yima_codes::TraceCode;
use yima_frame::{assert_noop, assert_ok};

use crate::epcis::{BizStep, Unit};
use crate::history::{check_chain, derive, Chain, HistorySummary, Position, ProvenHop, Relation};
use crate::mock::*;
use crate::Error;

/// Every `Trace::Captured` event in the buffer that names `code`, at its position in the buffer (the tests stay
/// in block 1, whose events the buffer holds from the first): what a verifier holding the block's proven event
/// records has.
fn proven_hops(code: &TraceCode) -> Vec<ProvenHop> {
    System::events()
        .into_iter()
        .enumerate()
        .filter_map(|(i, record)| match record.event {
            RuntimeEvent::Trace(crate::Event::Captured { org, event, .. })
                if event.codes().contains(&code) =>
            {
                Some(ProvenHop {
                    at: Position::new(1, i as u32),
                    org,
                    event,
                })
            }
            _ => None,
        })
        .collect()
}

/// The code's committed summary and its hops as the block's events give them.
fn chain(code: &TraceCode) -> Chain {
    Chain {
        summary: Trace::code(code).expect("known code").history,
        hops: proven_hops(code),
    }
}

fn chains(codes: &[TraceCode]) -> BTreeMap<TraceCode, Chain> {
    codes.iter().map(|c| (*c, chain(c))).collect()
}

#[test]
fn every_event_naming_a_code_extends_its_history_at_its_position_in_the_block() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        assert_eq!(Trace::code(&item(0)).unwrap().history.count, 1);
        deliver(MAKER, vec![item(0)], DISTRIBUTOR);
        run(
            "distributor",
            vec![observing(BizStep::Storing, vec![item(0)])],
        );
        // An excursion deposits an alert before the Captured event: the position is the Captured one's.
        run(
            "distributor",
            vec![with_sensor(
                observing(BizStep::Storing, vec![item(0)]),
                temperature(Unit::Celsius, 1_500, 1_600),
            )],
        );
        let summary = Trace::code(&item(0)).unwrap().history;
        assert_eq!(summary.count, 5);
        assert_ok!(check_chain(&item(0), &chain(&item(0))));
        // Recomputed by hand: the chain over (position, digest) of each hop.
        let head = proven_hops(&item(0))
            .iter()
            .fold(HistorySummary::default(), |s, h| {
                s.extend(h.at, &h.digest())
            });
        assert_eq!(head, summary);
        // The other item saw only its commissioning.
        assert_eq!(Trace::code(&item(1)).unwrap().history.count, 1);
        assert_ok!(check_chain(&item(1), &chain(&item(1))));
        assert_ne!(
            Trace::code(&item(1)).unwrap().history.head,
            summary.head,
            "each code has its own chain"
        );
    });
}

#[test]
fn a_container_move_extends_only_the_container_and_the_item_window_is_derived() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run("maker", vec![packing(sscc(0), vec![item(0), item(1)])]);
        deliver(MAKER, vec![sscc(0)], DISTRIBUTOR);
        // Unpacking all (no children named) is in the container's chain, not the items'.
        run("distributor", vec![unpacking(sscc(0), vec![])]);
        run("distributor", vec![observing(BizStep::Storing, vec![sscc(0)])]);
        // Item: commissioning and packing. Container: commissioning, packing, shipping, receiving, unpacking,
        // storing.
        assert_eq!(Trace::code(&item(0)).unwrap().history.count, 2);
        assert_eq!(Trace::code(&sscc(0)).unwrap().history.count, 6);
        let all = chains(&[item(0), item(1), sscc(0)]);
        for (code, chain) in &all {
            assert_ok!(check_chain(code, chain));
        }
        let derived = derive(&item(0), &all).unwrap();
        let relations: Vec<(Relation, TraceCode)> = derived.hops.values().copied().collect();
        assert_eq!(
            relations,
            vec![
                (Relation::Own, item(0)),
                (Relation::Own, item(0)),
                (Relation::Container, sscc(0)),
                (Relation::Container, sscc(0)),
                (Relation::Container, sscc(0)),
            ],
            "commissioning and packing are the item's own; shipping, receiving and unpacking its container's; \
             the storing after unpacking is outside the window"
        );
        // Without the container's chain the window cannot be derived.
        let mut without = all.clone();
        without.remove(&sscc(0));
        assert!(matches!(
            derive(&item(0), &without),
            Err(crate::history::HistoryError::NoChain { code, .. }) if code == sscc(0)
        ));
    });
}

#[test]
fn unpacking_named_children_is_in_their_chains() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        run("maker", vec![packing(sscc(0), vec![item(0), item(1)])]);
        run("maker", vec![unpacking(sscc(0), vec![item(1)])]);
        assert_eq!(Trace::code(&item(1)).unwrap().history.count, 3);
        assert_eq!(Trace::code(&item(0)).unwrap().history.count, 2);
        assert_ok!(check_chain(&item(1), &chain(&item(1))));
    });
}

#[test]
fn a_transformation_is_in_the_chains_of_its_inputs_and_outputs() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        run(
            "maker",
            vec![transforming(
                vec![item(0), item(1)],
                vec![item(10)],
                Some("L2"),
            )],
        );
        for (code, count) in [(item(0), 2), (item(1), 2), (item(10), 1)] {
            assert_eq!(Trace::code(&code).unwrap().history.count, count, "{code}");
        }
        let all = chains(&[item(0), item(1), item(10)]);
        let derived = derive(&item(10), &all).unwrap();
        let upstream = derived
            .hops
            .values()
            .filter(|(r, _)| *r == Relation::Upstream)
            .count();
        // The inputs' commissioning (one event for both); the transformation itself is the output's own.
        assert_eq!(upstream, 1);
        assert_eq!(derived.hops.len(), 2);
        assert_eq!(derived.codes.len(), 3);
    });
}

#[test]
fn a_refused_capture_leaves_every_history_as_it_was() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        let before = Trace::code(&item(0)).unwrap().history;
        // Not the custodian.
        assert_noop!(
            Trace::capture(
                &origin("distributor"),
                vec![shipping(vec![item(0)], RETAILER)]
            ),
            Error::NotCustodian
        );
        // All or nothing: the first event would extend item 0, the second is refused.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![
                    observing(BizStep::Storing, vec![item(0)]),
                    receiving(vec![item(1)]),
                ]
            ),
            Error::ReceiveWithoutShipment
        );
        assert_eq!(Trace::code(&item(0)).unwrap().history, before);
        assert_ok!(check_chain(&item(0), &chain(&item(0))));
    });
}

#[test]
fn the_summary_is_36_bytes_of_a_code_record() {
    use parity_scale_codec::{Encode, MaxEncodedLen};
    assert_eq!(HistorySummary::max_encoded_len(), 36);
    new_test_ext().execute_with(|| {
        commission_items(1, 1);
        run("maker", vec![packing(sscc(0), vec![item(0)])]);
        let item_record = Trace::code(&item(0)).unwrap().encode().len();
        let pallet_record = Trace::code(&sscc(0)).unwrap().encode().len();
        // What the report quotes: the summary's share of each record written.
        eprintln!("record bytes: packed item {item_record}, pallet {pallet_record} (36 of each are the summary)");
        assert!(item_record > 36 && pallet_record > 36);
    });
}
