//! Commissioning: codes come into being once, in a lot that agrees with the chain, of a registered product.

use yima_codes::{ColdChainCode, NmpaCode, NmpaProductCode, ProductId, TraceCode};
use yima_frame::{assert_noop, assert_ok, DispatchError, Role};

use crate::epcis::{Action, BizStep, Ilmd, Location};
use crate::mock::*;
use crate::types::{CodeState, CodeStatus, Lot, LotKey};
use crate::Error;

fn lot(owner: u32, commissioned: u32) -> Lot {
    Lot {
        owner,
        production_date: NOW - 10 * DAY,
        expiry: NOW + 365 * DAY,
        commissioned,
        recalled: None,
        disposed: None,
    }
}

#[test]
fn commissioning_creates_codes_in_a_new_lot() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        let mut e = commissioning(vec![item(0), item(1)], "L1");
        e.biz_location = Some(Location::Other(b"line-3".to_vec()));
        assert_ok!(Trace::capture(&origin("maker"), vec![e.clone()]));
        System::assert_last_event(captured(MAKER, 0, e));
        assert_eq!(Trace::lot(&lot_key("L1")), Some(lot(MAKER, 2)));
        let state = Trace::code(&item(1)).expect("commissioned");
        // Its history (one event so far) is checked in `tests::history`.
        assert_eq!(state.history.count, 1);
        assert_eq!(
            Some(state.clone()),
            Some(CodeState {
                lot: Some(lot_key("L1")),
                custodian: MAKER,
                location: Some(Location::Other(b"line-3".to_vec())),
                parent: None,
                status: CodeStatus::Active,
                children: 0,
                band: None,
                flags: 0,
                commissioned_at: 1,
                history: state.history,
            })
        );
        let c = custody(&item(0));
        assert_eq!(
            (c.custodian, c.status, c.root),
            (MAKER, CodeStatus::Active, item(0))
        );
        assert!(!c.expired && !c.excursion);
    });
}

#[test]
fn more_codes_join_an_existing_lot_with_the_same_dates() {
    new_test_ext().execute_with(|| {
        commission_items(2, 0);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![commissioning(vec![item(5)], "L1")]
        ));
        assert_eq!(Trace::lot(&lot_key("L1")).unwrap().commissioned, 3);
        assert_eq!(Trace::code(&item(5)).unwrap().lot, Some(lot_key("L1")));
    });
}

#[test]
fn logistic_units_need_no_lot_and_items_beside_them_get_theirs() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        // SSCCs alone: any Operator, no ilmd.
        assert_ok!(Trace::capture(
            &origin("distributor"),
            vec![commissioning_units(vec![sscc(0)])]
        ));
        assert_eq!(Trace::code(&sscc(0)).unwrap().custodian, DISTRIBUTOR);
        assert_eq!(Trace::code(&sscc(0)).unwrap().lot, None);
        // Mixed: the item is in the lot, the SSCC is not counted in it.
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![commissioning(vec![item(0), sscc(1)], "L1")]
        ));
        assert_eq!(Trace::code(&item(0)).unwrap().lot, Some(lot_key("L1")));
        assert_eq!(Trace::code(&sscc(1)).unwrap().lot, None);
        assert_eq!(Trace::lot(&lot_key("L1")).unwrap().commissioned, 1);
    });
}

#[test]
fn commissioning_an_unregistered_product_is_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![item(0)], "L1")]),
            Error::UnknownProduct
        );
    });
}

#[test]
fn item_codes_need_lot_master_data() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![commissioning_units(vec![sscc(0), item(0)])]
            ),
            Error::MissingLotData
        );
    });
}

#[test]
fn a_code_is_commissioned_once() {
    new_test_ext().execute_with(|| {
        commission_items(2, 1);
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![item(1)], "L1")]),
            Error::CodeExists
        );
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning_units(vec![sscc(0)])]),
            Error::CodeExists
        );
        // Twice in one event.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![commissioning(vec![item(7), item(8), item(7)], "L1")]
            ),
            Error::DuplicateCode
        );
        // In two events of one list: the second fails, and the first is not kept either.
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![
                    commissioning(vec![item(7)], "L1"),
                    commissioning(vec![item(7)], "L1")
                ]
            ),
            Error::CodeExists
        );
        assert_eq!(Trace::code(&item(7)), None);
        assert_eq!(Trace::lot(&lot_key("L1")).unwrap().commissioned, 2);
    });
}

#[test]
fn expiry_must_follow_production() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        for expiry in [NOW - 10 * DAY, NOW - 11 * DAY] {
            let mut e = commissioning(vec![item(0)], "L1");
            e.ilmd.as_mut().unwrap().expiry = expiry;
            assert_noop!(
                Trace::capture(&origin("maker"), vec![e]),
                Error::LotMismatch
            );
        }
    });
}

#[test]
fn an_existing_lot_keeps_its_dates() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        let mut e = commissioning(vec![item(1)], "L1");
        e.ilmd.as_mut().unwrap().expiry += DAY;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::LotMismatch
        );
        let mut e = commissioning(vec![item(1)], "L1");
        e.ilmd.as_mut().unwrap().production_date -= DAY;
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::LotMismatch
        );
    });
}

#[test]
fn only_the_owner_commissions_in_a_lot_or_opens_one() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        // The rival in the maker's existing lot, and in a new lot of the maker's product.
        assert_noop!(
            Trace::capture(&origin("rival"), vec![commissioning(vec![item(1)], "L1")]),
            Error::NotOwner
        );
        assert_noop!(
            Trace::capture(&origin("rival"), vec![commissioning(vec![item(1)], "L2")]),
            Error::NotOwner
        );
        // A supervised warehouse may not issue item codes into someone else's lot either.
        assert_noop!(
            Trace::capture(
                &origin("warehouse"),
                vec![commissioning(vec![item(1)], "L1")]
            ),
            Error::NotOwner
        );
        // The rival opens lots of its own product, and they are its own.
        register_rival_product();
        let rivals = item_of(rival_gtin(), 0);
        assert_ok!(Trace::capture(
            &origin("rival"),
            vec![commissioning_of(rival_gtin(), vec![rivals], "R1")]
        ));
        assert_eq!(
            Trace::lot(&lot_of(rival_gtin(), "R1")).unwrap().owner,
            RIVAL
        );
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![commissioning_of(
                    rival_gtin(),
                    vec![item_of(rival_gtin(), 1)],
                    "R1"
                )]
            ),
            Error::NotOwner
        );
    });
}

#[test]
fn a_supervised_warehouse_issues_cold_chain_codes_into_an_existing_lot() {
    new_test_ext().execute_with(|| {
        register_frozen();
        run(
            "maker",
            vec![commissioning_of(
                frozen_gtin(),
                vec![item_of(frozen_gtin(), 0)],
                "F1",
            )],
        );
        let cl = TraceCode::ColdChain(ColdChainCode::new(330100, 1).unwrap());
        let e = commissioning_of(frozen_gtin(), vec![cl], "F1");
        assert_ok!(Trace::capture(&origin("warehouse"), vec![e.clone()]));
        System::assert_last_event(captured(WAREHOUSE, 0, e));
        let state = Trace::code(&cl).unwrap();
        assert_eq!(
            (state.custodian, state.lot),
            (WAREHOUSE, Some(lot_of(frozen_gtin(), "F1")))
        );
        // The lot stays the maker's.
        assert_eq!(
            Trace::lot(&lot_of(frozen_gtin(), "F1")).unwrap().owner,
            MAKER
        );
        // Not into a lot that does not exist yet: that needs the product's owner.
        let cl2 = TraceCode::ColdChain(ColdChainCode::new(330100, 2).unwrap());
        assert_noop!(
            Trace::capture(
                &origin("warehouse"),
                vec![commissioning_of(frozen_gtin(), vec![cl2], "F2")]
            ),
            Error::NotOwner
        );
    });
}

#[test]
fn the_code_must_be_of_the_lots_product() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        register_frozen();
        assert_noop!(
            Trace::capture(
                &origin("maker"),
                vec![commissioning(
                    vec![item(0), item_of(frozen_gtin(), 0)],
                    "L1"
                )]
            ),
            Error::ProductMismatch
        );
        // NMPA codes carry their 7-digit product code.
        let drug = NmpaProductCode::parse("8123456").unwrap();
        crate::testing::register_approved::<Test>(
            &origin("maker"),
            &origin("regulator"),
            ProductId::Nmpa(drug),
            b"Drug".to_vec(),
            crate::types::Category::Drug,
            None,
            730,
        )
        .unwrap();
        let drug_lot = Ilmd {
            lot: LotKey {
                product: ProductId::Nmpa(drug),
                lot: yima_codes::LotNumber::parse("D1").unwrap(),
            },
            ..ilmd("D1")
        };
        let mine = TraceCode::Nmpa(NmpaCode::parse("81234560000000000001").unwrap());
        let other = TraceCode::Nmpa(NmpaCode::parse("81234570000000000001").unwrap());
        let mut e = commissioning_units(vec![other]);
        e.ilmd = Some(drug_lot.clone());
        assert_noop!(
            Trace::capture(&origin("maker"), vec![e]),
            Error::ProductMismatch
        );
        let mut e = commissioning_units(vec![mine]);
        e.ilmd = Some(drug_lot);
        assert_ok!(Trace::capture(&origin("maker"), vec![e]));
    });
}

#[test]
fn commissioning_needs_an_add_event_and_an_operator() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        for action in [Action::Observe, Action::Delete] {
            let mut e = object(action, vec![item(0)], BizStep::Commissioning);
            e.ilmd = Some(ilmd("L1"));
            assert_noop!(
                Trace::capture(&origin("maker"), vec![e]),
                Error::StepMismatch
            );
        }
        assert_noop!(
            Trace::capture(&origin("viewer"), vec![commissioning(vec![item(0)], "L1")]),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn no_codes_join_a_recalled_lot_or_an_expired_one() {
    new_test_ext().execute_with(|| {
        commission_items(1, 0);
        assert_ok!(Trace::recall_lot(
            &origin("maker"),
            lot_key("L1"),
            yima_frame::Hash([7; 32])
        ));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![item(5)], "L1")]),
            Error::Recalled
        );
        let mut stale = commissioning(vec![item(6)], "L2");
        stale.ilmd = Some(Ilmd {
            lot: lot_key("L2"),
            production_date: NOW - 400 * DAY,
            expiry: NOW - DAY,
        });
        assert_noop!(
            Trace::capture(&origin("maker"), vec![stale]),
            Error::Expired
        );
    });
}
