//! The whole custody path once: commission, pack, ship, receive, unpack, sell.

use yima_frame::assert_ok;

use crate::epcis::{Action, BizStep};
use crate::mock::*;
use crate::types::CodeStatus;

#[test]
fn a_case_travels_from_maker_to_retailer() {
    new_test_ext().execute_with(|| {
        commission_items(3, 1);
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![
                packing(sscc(0), (0..3).map(item).collect()),
                shipping(vec![sscc(0)], RETAILER)
            ]
        ));
        let c = crate::custody::custody(&item(1), NOW).unwrap();
        assert_eq!(c.status, CodeStatus::InTransit { to: RETAILER });
        assert_eq!(c.custodian, MAKER);
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![receiving(vec![sscc(0)]), unpacking(sscc(0), vec![])]
        ));
        let c = crate::custody::custody(&item(1), NOW).unwrap();
        assert_eq!((c.custodian, c.status), (RETAILER, CodeStatus::Active));
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![object(
                Action::Observe,
                vec![item(1)],
                BizStep::RetailSelling
            )]
        ));
        assert_eq!(Trace::code(&item(1)).unwrap().status, CodeStatus::Sold);
    });
}
