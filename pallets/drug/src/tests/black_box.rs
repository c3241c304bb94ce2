//! The production black box: the manufacturer anchors WMS, SCADA and LIMS digests per batch, and a drug batch
//! without all three is not shipped (policy flag).

use yima_frame::{assert_noop, assert_ok, sha256, Hash};
use yima_trace::types::Category;

use crate::mock::*;
use crate::types::{BatchRecordKind, DrugPolicy};
use crate::{Error, Event};

fn made(n: u64) {
    drugs_listed();
    run(
        "maker",
        vec![commissioning(
            (0..n).map(|i| unit(RX, i)).collect(),
            lot_key(RX, "L1"),
        )],
    );
}

#[test]
fn the_manufacturer_anchors_the_three_records_once_each() {
    new_test_ext().execute_with(|| {
        made(2);
        let lot = lot_key(RX, "L1");
        for (i, kind) in BatchRecordKind::ALL.into_iter().enumerate() {
            assert_ok!(Drug::anchor_batch_record(
                &origin("maker"),
                lot.clone(),
                kind,
                record_digest(&lot, kind)
            ));
            assert_eq!(
                last_event(),
                RuntimeEvent::Drug(Event::BatchRecordAnchored {
                    lot: lot.clone(),
                    kind,
                    digest: record_digest(&lot, kind),
                    complete: i == 2
                })
            );
        }
        let records = Drug::batch_records(&lot);
        assert!(records.is_complete());
        assert_eq!(
            records.lims.unwrap().digest,
            record_digest(&lot, BatchRecordKind::Lims)
        );
        assert_noop!(
            Drug::anchor_batch_record(
                &origin("maker"),
                lot,
                BatchRecordKind::Scada,
                sha256(b"edited")
            ),
            Error::AlreadyAnchored
        );
    });
}

#[test]
fn anchoring_refusals_each_have_their_error() {
    new_test_ext().execute_with(|| {
        made(2);
        let lot = lot_key(RX, "L1");
        let digest = sha256(b"wms export");
        assert_noop!(
            Drug::anchor_batch_record(
                &origin("maker"),
                lot_key(RX, "L9"),
                BatchRecordKind::Wms,
                digest
            ),
            Error::UnknownLot
        );
        assert_noop!(
            Drug::anchor_batch_record(&origin("maker2"), lot.clone(), BatchRecordKind::Wms, digest),
            Error::NotLotOwner
        );
        assert_noop!(
            Drug::anchor_batch_record(
                &origin("maker"),
                lot.clone(),
                BatchRecordKind::Wms,
                Hash::default()
            ),
            Error::InvalidDigest
        );
        // A food lot has no black box.
        let food = yima_codes::ProductId::Gtin(food_gtin());
        register("maker", food, Category::Food);
        let food_lot = yima_trace::types::LotKey {
            product: food,
            lot: yima_codes::LotNumber::parse("F1").unwrap(),
        };
        let item = yima_codes::TraceCode::Sgtin {
            gtin: food_gtin(),
            serial: yima_codes::SerialNumber::parse("1").unwrap(),
        };
        run("maker", vec![commissioning(vec![item], food_lot.clone())]);
        assert_noop!(
            Drug::anchor_batch_record(&origin("maker"), food_lot, BatchRecordKind::Wms, digest),
            Error::NotADrugLot
        );
    });
}

#[test]
fn a_batch_without_its_black_box_is_not_shipped() {
    new_test_ext().execute_with(|| {
        made(2);
        let lot = lot_key(RX, "L1");
        for kind in [BatchRecordKind::Wms, BatchRecordKind::Lims] {
            Drug::anchor_batch_record(
                &origin("maker"),
                lot.clone(),
                kind,
                record_digest(&lot, kind),
            )
            .unwrap();
        }
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![shipping(vec![unit(RX, 0)], DISTRIBUTOR)]
            ),
            Error::BatchRecordsMissing
        );
        // Packed in a case, the case is refused too.
        run(
            "maker",
            vec![object(
                yima_trace::epcis::Action::Add,
                vec![sscc(1)],
                yima_trace::epcis::BizStep::Commissioning,
            )],
        );
        run(
            "maker",
            vec![yima_trace::epcis::EpcisEvent::new(
                yima_trace::epcis::EventBody::Aggregation {
                    action: yima_trace::epcis::Action::Add,
                    parent: sscc(1),
                    children: vec![unit(RX, 1)],
                },
                NOW - 1_000,
                480,
                yima_trace::epcis::BizStep::Packing,
            )],
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![shipping(vec![sscc(1)], DISTRIBUTOR)]),
            Error::BatchRecordsMissing
        );
        Drug::anchor_batch_record(
            &origin("maker"),
            lot.clone(),
            BatchRecordKind::Scada,
            record_digest(&lot, BatchRecordKind::Scada),
        )
        .unwrap();
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![shipping(vec![unit(RX, 0), sscc(1)], DISTRIBUTOR)]
        ));
    });
}

#[test]
fn the_requirement_is_a_policy_flag() {
    new_test_ext().execute_with(|| {
        made(1);
        Drug::set_policy(
            &yima_frame::Origin::Root,
            DrugPolicy {
                require_batch_records: false,
                ..DrugPolicy::default()
            },
        )
        .unwrap();
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![shipping(vec![unit(RX, 0)], DISTRIBUTOR)]
        ));
    });
}
