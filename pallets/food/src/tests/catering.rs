//! Catering use at a canteen: only a caterer, of goods it holds, never of a failed lot.

use yima_frame::{assert_noop, assert_ok, DispatchError, Role};
use yima_trace::epcis::{BizStep, Disposition, Location};
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::{Error, Event, TestResult};

fn kitchen() -> Vec<u8> {
    b"school-kitchen-1".to_vec()
}

#[test]
fn a_canteen_uses_goods_in_its_kitchen() {
    new_test_ext().execute_with(|| {
        processed(1, 3);
        deliver("processor", vec![pack(1), pack(2)], CATERER, "caterer");
        assert_ok!(Food::serve(&origin("caterer"), vec![pack(1)], kitchen()));
        System::assert_last_event(Event::Served {
            caterer: CATERER,
            kitchen: kitchen(),
            codes: vec![pack(1)],
        });
        assert_eq!(Trace::code(&pack(1)).unwrap().status, CodeStatus::Sold);
        let recorded = System::events().into_iter().any(|e| {
            matches!(
                e.event,
                RuntimeEvent::Trace(yima_trace::Event::Captured { org: CATERER, ref event, .. })
                    if event.biz_step == BizStep::RetailSelling
                        && event.disposition == Some(Disposition::RetailSold)
                        && event.biz_location == Some(Location::Other(kitchen()))
            )
        });
        assert!(recorded, "the use is in the pack's trace, at the kitchen");
    });
}

#[test]
fn a_failed_lot_is_not_served() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        deliver("processor", vec![pack(1)], CATERER, "caterer");
        assert_ok!(record("lab", &lot, TestResult::Fail, 70));
        assert_noop!(
            Food::serve(&origin("caterer"), vec![pack(1)], kitchen()),
            Error::FailedTestNoSale
        );
    });
}

#[test]
fn only_a_caterers_operator_serves_what_it_holds() {
    new_test_ext().execute_with(|| {
        processed(1, 2);
        deliver("processor", vec![pack(1)], RETAILER, "retailer");
        assert_noop!(
            Food::serve(&origin("retailer"), vec![pack(1)], kitchen()),
            Error::NotCaterer
        );
        assert_noop!(
            Food::serve(&origin("caterer-viewer"), vec![pack(1)], kitchen()),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            Food::serve(&origin("caterer"), vec![pack(2)], kitchen()),
            yima_trace::Error::NotCustodian
        );
    });
}

#[test]
fn a_use_names_codes_and_a_kitchen() {
    new_test_ext().execute_with(|| {
        processed(1, 1);
        deliver("processor", vec![pack(1)], CATERER, "caterer");
        assert_noop!(
            Food::serve(&origin("caterer"), vec![], kitchen()),
            Error::InvalidCodeCount
        );
        assert_noop!(
            Food::serve(&origin("caterer"), vec![pack(1); 1_001], kitchen()),
            Error::InvalidCodeCount
        );
        assert_noop!(
            Food::serve(&origin("caterer"), vec![pack(1)], vec![]),
            Error::InvalidKitchen
        );
        assert_noop!(
            Food::serve(&origin("caterer"), vec![pack(1)], vec![b'k'; 65]),
            Error::InvalidKitchen
        );
    });
}
