//! The query layer over real blocks: transactions signed and built into blocks, every block's events indexed
//! as a node would, then trace (一码统管) and recall (一键排查) checked hop by hop — each hop's event proven
//! into its block's `events_root` — and, as a property, against a brute-force scan of every event.

mod common;

use common::trace::*;
use yima_runtime::query::{
    recall, trace, EventIndex, EventRef, QueryError, RecallTarget, Relation, Trace,
};
use yima_trace::epcis::BizStep;
use yima_trace::types::{CodeStatus, TemperatureRange};

mod scenario {
    use super::*;

    /// What a hop shows in these tests: block, business step, relation, subject.
    type Seen = (u64, BizStep, Relation, yima_codes::TraceCode);

    fn seen(t: &Trace) -> Vec<Seen> {
        t.hops
            .iter()
            .map(|h| (h.at.block, h.epcis().biz_step, h.relation, h.subject))
            .collect()
    }

    /// The supply chain of the tests: six items in two cases on one pallet, maker → distributor → shop.
    /// Returns the chain after block 6 (item 1 sold).
    pub(crate) fn pallet_journey() -> IndexedChain {
        let mut c = IndexedChain::new();
        let lot = lot_of(maker_gtin(), "L1");
        // Block 1: the product.
        c.ok(vec![(
            "maker",
            register(maker_gtin(), "Yoghurt", Some(TemperatureRange::VACCINE)),
        )]);
        // Block 2: commission, pack two cases onto a pallet, ship it.
        c.ok(vec![(
            "maker",
            capture(vec![
                commissioning((0..6).map(item).collect(), Some(lot)),
                commissioning(vec![sscc(0), sscc(1), sscc(9)], None),
                packing(sscc(0), (0..3).map(item).collect()),
                packing(sscc(1), (3..6).map(item).collect()),
                packing(sscc(9), vec![sscc(0), sscc(1)]),
                shipping(vec![sscc(9)], DISTRIBUTOR_ORG),
            ]),
        )]);
        // Block 3: the distributor receives; block 4: ships on to the shop.
        c.ok(vec![(
            "distributor",
            capture(vec![receiving(vec![sscc(9)])]),
        )]);
        c.ok(vec![(
            "distributor",
            capture(vec![shipping(vec![sscc(9)], SHOP_ORG)]),
        )]);
        // Block 5: the shop receives, takes the cases off the pallet and opens case 0.
        c.ok(vec![(
            "shop",
            capture(vec![
                receiving(vec![sscc(9)]),
                unpacking(sscc(9), vec![]),
                unpacking(sscc(0), vec![]),
            ]),
        )]);
        // Block 6: item 1 is sold.
        c.ok(vec![("shop", capture(vec![selling(vec![item(1)])]))]);
        c
    }

    #[test]
    fn an_item_traces_through_its_case_and_pallet_and_every_hop_proves_into_its_block() {
        let c = pallet_journey();
        let t = trace(&c.index, &item(1)).unwrap();
        use BizStep::*;
        use Relation::*;
        assert_eq!(
            seen(&t),
            vec![
                (2, Commissioning, Own, item(1)),
                (2, Packing, Own, item(1)),
                (2, Packing, Container, sscc(0)), // the case onto the pallet
                (2, Shipping, Container, sscc(9)),
                (3, Receiving, Container, sscc(9)),
                (4, Shipping, Container, sscc(9)),
                (5, Receiving, Container, sscc(9)),
                (5, Unpacking, Container, sscc(9)),
                (5, Unpacking, Container, sscc(0)),
                (6, RetailSelling, Own, item(1)),
            ]
        );
        // Every hop names its event exactly: the Captured record at that position of that block.
        let ledger = c.ledger();
        for hop in &t.hops {
            let (at, org, event) = ledger.iter().find(|(at, ..)| *at == hop.at).unwrap();
            assert_eq!((*at, *org, event), (hop.at, hop.org, hop.epcis()));
            // The position is the leaf index under the block's events_root: prove it, as an auditor would.
            c.verify_hop(hop);
            let (_, events) = &c.blocks[&hop.at.block];
            // And the proven record is the hop's event.
            let decoded = events[hop.at.index as usize]
                .decode::<yima_runtime::RuntimeEvent>()
                .unwrap()
                .event;
            assert!(matches!(
                decoded,
                yima_runtime::RuntimeEvent::Trace(yima_trace::Event::Captured { ref event, org, .. })
                    if *event == *hop.epcis() && org == hop.org
            ));
        }
        assert_eq!(t.hops[0].at, EventRef::new(2, 0));
        assert_eq!(t.hops.last().unwrap().org, SHOP_ORG);
        assert!(t.upstream.is_empty() && t.downstream.is_empty());
        // The spans followed: the item in case 0 (closed by the all-children unpack), case 0 on the pallet.
        let spans: Vec<_> = t
            .containers
            .iter()
            .map(|s| (s.code, s.container, s.unpacked.map(|u| u.block)))
            .collect();
        assert_eq!(
            spans,
            vec![(item(1), sscc(0), Some(5)), (sscc(0), sscc(9), Some(5))]
        );
    }

    #[test]
    fn an_item_still_packed_sees_its_containers_to_the_end() {
        let c = pallet_journey();
        // Item 4 is in case 1, which came off the pallet but was never opened.
        let t = trace(&c.index, &item(4)).unwrap();
        let last = t.hops.last().unwrap();
        assert_eq!(
            (last.at.block, last.epcis().biz_step, last.subject),
            (5, BizStep::Unpacking, sscc(9))
        );
        assert!(t
            .containers
            .iter()
            .any(|s| s.code == item(4) && s.container == sscc(1) && s.unpacked.is_none()));
        // Case 0's unpacking is not in its history.
        assert!(t.hops.iter().all(|h| h.subject != sscc(0)));
    }

    #[test]
    fn an_item_packed_into_a_case_already_on_a_pallet_sees_only_the_pallets_later_hops() {
        let mut c = IndexedChain::new();
        let lot = lot_of(maker_gtin(), "L1");
        c.ok(vec![("maker", register(maker_gtin(), "Yoghurt", None))]);
        // Block 2: the case goes onto the pallet, the pallet is inspected; block 3: item 0 joins the case on
        // the pallet; block 4: the pallet ships; block 5: the distributor receives it and takes the case off.
        c.ok(vec![(
            "maker",
            capture(vec![
                commissioning(vec![item(0)], Some(lot)),
                commissioning(vec![sscc(0), sscc(9)], None),
                packing(sscc(9), vec![sscc(0)]),
                storing(vec![sscc(9)], "dock 1"),
            ]),
        )]);
        c.ok(vec![(
            "maker",
            capture(vec![packing(sscc(0), vec![item(0)])]),
        )]);
        c.ok(vec![(
            "maker",
            capture(vec![shipping(vec![sscc(9)], DISTRIBUTOR_ORG)]),
        )]);
        c.ok(vec![(
            "distributor",
            capture(vec![
                receiving(vec![sscc(9)]),
                unpacking(sscc(9), vec![sscc(0)]),
                storing(vec![sscc(9)], "empty pallets"),
            ]),
        )]);
        let t = trace(&c.index, &item(0)).unwrap();
        use BizStep::*;
        use Relation::*;
        assert_eq!(
            seen(&t),
            vec![
                (2, Commissioning, Own, item(0)),
                (3, Packing, Own, item(0)),
                (4, Shipping, Container, sscc(9)),
                (5, Receiving, Container, sscc(9)),
                // Names the case as the child taken off: reached through the case, the innermost level.
                (5, Unpacking, Container, sscc(0)),
            ]
        );
        // The pallet's storing before the item joined and after the case left are not the item's history.
        let spans: Vec<_> = t
            .containers
            .iter()
            .map(|s| {
                (
                    s.code,
                    s.container,
                    s.packed.block,
                    s.unpacked.map(|u| u.block),
                )
            })
            .collect();
        assert_eq!(
            spans,
            vec![(sscc(0), sscc(9), 2, Some(5)), (item(0), sscc(0), 3, None)]
        );
    }

    #[test]
    fn a_container_traces_downstream_through_its_contents() {
        let c = pallet_journey();
        let t = trace(&c.index, &sscc(9)).unwrap();
        let mut expected: Vec<_> = (0..6).map(item).chain([sscc(0), sscc(1)]).collect();
        expected.sort();
        assert_eq!(t.downstream, expected);
        // The item's sale reaches the pallet's trace as a downstream hop; the pallet's own events are its own.
        assert!(t.hops.iter().any(|h| h.relation == Relation::Downstream
            && h.subject == item(1)
            && h.epcis().biz_step == BizStep::RetailSelling));
        assert!(t
            .hops
            .iter()
            .filter(|h| h.epcis().biz_step == BizStep::Shipping)
            .all(|h| h.relation == Relation::Own));
        // Each event once, in chain order.
        assert!(t.hops.windows(2).all(|w| w[0].at < w[1].at));
    }

    #[test]
    fn recall_of_a_lot_lists_every_holder_as_custody_moves() {
        let mut c = IndexedChain::new();
        let lot = lot_of(maker_gtin(), "L1");
        c.ok(vec![("maker", register(maker_gtin(), "Yoghurt", None))]);
        c.ok(vec![(
            "maker",
            capture(vec![
                commissioning((0..4).map(item).collect(), Some(lot.clone())),
                commissioning(vec![sscc(0)], None),
                packing(sscc(0), vec![item(0), item(1)]),
                shipping(vec![sscc(0)], DISTRIBUTOR_ORG),
                storing(vec![item(3)], "cold room 2"),
            ]),
        )]);
        let r = recall(&c.index, &c.custody(), RecallTarget::Lot(lot.clone())).unwrap();
        assert_eq!(
            r.rows.iter().map(|r| r.code).collect::<Vec<_>>(),
            (0..4).map(item).collect::<Vec<_>>()
        );
        // In transit: the maker still holds the case's items, bound for the distributor.
        assert_eq!(r.rows[0].holder, MAKER_ORG);
        assert_eq!(
            r.rows[0].status,
            CodeStatus::InTransit {
                to: DISTRIBUTOR_ORG
            }
        );
        assert_eq!(r.rows[0].root, sscc(0));
        assert_eq!(r.rows[2].status, CodeStatus::Active);
        assert_eq!(
            r.rows[3].location,
            Some(yima_trace::epcis::Location::Other(b"cold room 2".to_vec()))
        );
        assert_eq!(
            r.holders.into_iter().collect::<Vec<_>>(),
            vec![(MAKER_ORG, 4)]
        );

        c.ok(vec![
            ("distributor", capture(vec![receiving(vec![sscc(0)])])),
            ("maker", capture(vec![shipping(vec![item(2)], SHOP_ORG)])),
        ]);
        c.ok(vec![("shop", capture(vec![receiving(vec![item(2)])]))]);
        c.ok(vec![("shop", capture(vec![selling(vec![item(2)])]))]);
        let r = recall(&c.index, &c.custody(), RecallTarget::Lot(lot)).unwrap();
        let holders: Vec<_> = r.rows.iter().map(|r| (r.holder, r.status)).collect();
        assert_eq!(
            holders,
            vec![
                (DISTRIBUTOR_ORG, CodeStatus::Active),
                (DISTRIBUTOR_ORG, CodeStatus::Active),
                (SHOP_ORG, CodeStatus::Sold),
                (MAKER_ORG, CodeStatus::Active),
            ]
        );
        assert_eq!(
            r.holders.into_iter().collect::<Vec<_>>(),
            vec![(MAKER_ORG, 1), (DISTRIBUTOR_ORG, 2), (SHOP_ORG, 1)]
        );
        // Recall by code: the case and what it holds.
        let r = recall(&c.index, &c.custody(), RecallTarget::Code(sscc(0))).unwrap();
        let mut expected = vec![item(0), item(1), sscc(0)];
        expected.sort();
        assert_eq!(r.rows.iter().map(|r| r.code).collect::<Vec<_>>(), expected);
        assert!(r.rows.iter().all(|r| r.holder == DISTRIBUTOR_ORG));
    }

    /// Maker items 0..4 → processor. Transformation 1: items 0, 1 → outputs 0, 1 (each output from both
    /// inputs: a diamond); transformation 2: output 0 → output 7; transformation 3: items 2, 3 → output 8.
    fn transformations() -> IndexedChain {
        let mut c = IndexedChain::new();
        c.ok(vec![
            ("maker", register(maker_gtin(), "Milk", None)),
            ("processor", register(processor_gtin(), "Yoghurt", None)),
        ]);
        c.ok(vec![(
            "maker",
            capture(vec![
                commissioning((0..4).map(item).collect(), Some(lot_of(maker_gtin(), "M1"))),
                shipping((0..4).map(item).collect(), PROCESSOR_ORG),
            ]),
        )]);
        c.ok(vec![(
            "processor",
            capture(vec![
                receiving((0..4).map(item).collect()),
                transforming(
                    vec![item(0), item(1)],
                    vec![output(0), output(1)],
                    lot_of(processor_gtin(), "Y1"),
                ),
            ]),
        )]);
        c.ok(vec![(
            "processor",
            capture(vec![
                transforming(
                    vec![output(0)],
                    vec![output(7)],
                    lot_of(processor_gtin(), "Y2"),
                ),
                transforming(
                    vec![item(2), item(3)],
                    vec![output(8)],
                    lot_of(processor_gtin(), "Y2"),
                ),
                shipping(vec![output(7)], SHOP_ORG),
            ]),
        )]);
        c.ok(vec![("shop", capture(vec![receiving(vec![output(7)])]))]);
        c
    }

    #[test]
    fn transformation_outputs_trace_upstream_to_origin_and_inputs_downstream() {
        let c = transformations();
        let t = trace(&c.index, &output(7)).unwrap();
        let mut up = vec![item(0), item(1), output(0)];
        up.sort();
        assert_eq!(t.upstream, up);
        assert!(t.downstream.is_empty());
        use BizStep::*;
        use Relation::*;
        let hops: Vec<_> = t
            .hops
            .iter()
            .map(|h| (h.at.block, h.epcis().biz_step, h.relation))
            .collect();
        assert_eq!(
            hops,
            vec![
                (2, Commissioning, Upstream),
                (2, Shipping, Upstream),
                (3, Receiving, Upstream),
                (3, Transforming, Upstream),
                (4, Transforming, Own),
                (4, Shipping, Own),
                (5, Receiving, Own),
            ]
        );
        // Items 2 and 3 went elsewhere: not upstream of output 7.
        assert!(t.hops.iter().all(|h| h.subject != item(2)));

        // Downstream of item 0: both outputs of the diamond and what output 0 became.
        let t = trace(&c.index, &item(0)).unwrap();
        let mut down = vec![output(0), output(1), output(7)];
        down.sort();
        assert_eq!(t.downstream, down);
        assert!(t.upstream.is_empty());
        assert!(t
            .hops
            .iter()
            .any(|h| h.relation == Downstream && h.subject == output(7) && h.at.block == 5));

        // Recall of the milk lot reaches every yoghurt made from it, with its holder.
        let r = recall(
            &c.index,
            &c.custody(),
            RecallTarget::Lot(lot_of(maker_gtin(), "M1")),
        )
        .unwrap();
        let rows: Vec<_> = r
            .rows
            .iter()
            .map(|r| (r.code, r.holder, r.status))
            .collect();
        let mut expected = vec![
            (item(0), PROCESSOR_ORG, CodeStatus::Consumed),
            (item(1), PROCESSOR_ORG, CodeStatus::Consumed),
            (item(2), PROCESSOR_ORG, CodeStatus::Consumed),
            (item(3), PROCESSOR_ORG, CodeStatus::Consumed),
            (output(0), PROCESSOR_ORG, CodeStatus::Consumed),
            (output(1), PROCESSOR_ORG, CodeStatus::Active),
            (output(7), SHOP_ORG, CodeStatus::Active),
            (output(8), PROCESSOR_ORG, CodeStatus::Active),
        ];
        expected.sort_by_key(|r| r.0);
        assert_eq!(rows, expected);
        assert_eq!(
            r.rows.iter().find(|r| r.code == output(7)).unwrap().lot,
            Some(lot_of(processor_gtin(), "Y2"))
        );
    }

    /// A pallet warmed in the maker's truck; at the distributor one vial leaves it; the regulator clears the
    /// pallet, then the vial that left (it carries its own copy of the flag). Each trace shows the clearances
    /// that lifted its flag, each provable like a hop, and each clearance is an alert.
    #[test]
    fn a_regulators_clearance_shows_in_the_trace_of_the_code_and_of_what_was_inside() {
        use yima_runtime::alerts::AlertKind;
        use yima_runtime::query::Clearance;

        let mut c = IndexedChain::new();
        let lot = lot_of(maker_gtin(), "L1");
        c.ok(vec![(
            "maker",
            register(maker_gtin(), "Vaccine", Some(TemperatureRange::VACCINE)),
        )]);
        c.ok(vec![(
            "maker",
            capture(vec![
                commissioning((0..3).map(item).collect(), Some(lot)),
                commissioning(vec![sscc(0)], None),
                packing(sscc(0), vec![item(0), item(1)]),
                shipping_at(vec![sscc(0), item(2)], DISTRIBUTOR_ORG, 1_500),
            ]),
        )]);
        c.ok(vec![(
            "distributor",
            capture(vec![
                receiving(vec![sscc(0), item(2)]),
                unpacking(sscc(0), vec![item(1)]),
            ]),
        )]);
        let decision = yima_frame::Hash([0x5a; 32]);
        let clear = |code| {
            yima_runtime::RuntimeCall::Trace(yima_trace::Call::ClearExcursion {
                code,
                reason: decision,
            })
        };
        let built = c.ok(vec![("reg1", clear(sscc(0))), ("reg1", clear(item(1)))]);
        let kinds: Vec<AlertKind> = built
            .events
            .iter()
            .filter_map(|e| e.decode::<yima_runtime::RuntimeEvent>().ok())
            .filter_map(|r| r.event.alert())
            .map(|a| a.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![AlertKind::ExcursionCleared, AlertKind::ExcursionCleared]
        );

        let of = |code| trace(&c.index, &code).unwrap().clearances;
        let pallet = of(sscc(0));
        assert_eq!(pallet.len(), 1);
        assert_eq!(
            (
                pallet[0].code,
                pallet[0].by,
                pallet[0].reason,
                pallet[0].at.block
            ),
            (sscc(0), REGULATOR_ORG, decision, 4)
        );
        // Still inside: the pallet's clearance is its clearance.
        assert_eq!(of(item(0)), pallet);
        // Left before: only its own.
        let own: Vec<(yima_codes::TraceCode, u64)> = of(item(1))
            .iter()
            .map(|k: &Clearance| (k.code, k.at.block))
            .collect();
        assert_eq!(own, vec![(item(1), 4)]);
        // Never cleared.
        assert!(of(item(2)).is_empty());
        // Each clearance is the event at its place, provable into its block's events_root.
        for k in of(item(0)).into_iter().chain(of(item(1))) {
            let (header, events) = &c.blocks[&k.at.block];
            let record = events[k.at.index as usize].record_bytes();
            let leaves: Vec<[u8; 32]> = events
                .iter()
                .map(|e| yima_runtime::merkle::leaf_hash(&e.record_bytes()))
                .collect();
            let proof = yima_runtime::merkle::prove(&leaves, k.at.index as usize).unwrap();
            yima_runtime::merkle::verify(header.events_root, &record, &proof).unwrap();
            let decoded = events[k.at.index as usize]
                .decode::<yima_runtime::RuntimeEvent>()
                .unwrap()
                .event;
            assert_eq!(
                decoded,
                yima_runtime::RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared {
                    code: k.code,
                    by: k.by,
                    reason: k.reason,
                })
            );
        }
    }

    #[test]
    fn unknown_codes_and_lots_are_errors() {
        let c = pallet_journey();
        assert_eq!(
            trace(&c.index, &item(99)),
            Err(QueryError::UnknownCode(item(99)))
        );
        let lot = lot_of(maker_gtin(), "NOPE");
        assert_eq!(
            recall(&c.index, &c.custody(), RecallTarget::Lot(lot.clone())),
            Err(QueryError::UnknownLot(lot))
        );
        assert_eq!(
            recall(&c.index, &c.custody(), RecallTarget::Code(sscc(77))),
            Err(QueryError::UnknownCode(sscc(77)))
        );
        // A refused call leaves nothing in the index: commissioning item 0 a second time fails the whole
        // event list, so item 50 stays unknown.
        let mut c = c;
        let built = c.block(vec![(
            "maker",
            capture(vec![commissioning(
                vec![item(0), item(50)],
                Some(lot_of(maker_gtin(), "L1")),
            )]),
        )]);
        assert_eq!(failures(&built).len(), 1);
        assert_eq!(
            trace(&c.index, &item(50)),
            Err(QueryError::UnknownCode(item(50)))
        );
        // The index works behind a trait object too.
        let dynamic: &dyn EventIndex = &c.index;
        assert_eq!(
            trace(dynamic, &item(1)).unwrap(),
            trace(&c.index, &item(1)).unwrap()
        );
    }
}

#[path = "query/property.rs"]
mod property;

#[path = "query/complete.rs"]
mod complete;
