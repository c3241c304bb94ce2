//! The prescription-drug registry: regulators list trace products of category drug.

use yima_frame::{assert_noop, assert_ok, DispatchError, Role};
use yima_trace::types::Category;

use crate::mock::*;
use crate::types::Drug as Entry;
use crate::{Error, Event};

#[test]
fn a_regulator_lists_a_prescription_drug_and_a_compound_preparation() {
    new_test_ext().execute_with(|| {
        register("maker", product(RX), Category::Drug);
        assert_ok!(Drug::list_drug(
            &origin("regulator"),
            product(RX),
            true,
            false
        ));
        let entry = Entry {
            prescription_only: true,
            controlled_compound: false,
            listed_by: REGULATOR,
        };
        assert_eq!(
            last_event(),
            RuntimeEvent::Drug(Event::DrugListed {
                drug: product(RX),
                entry
            })
        );
        assert_eq!(Drug::drug(&product(RX)), Some(entry));
        assert!(entry.is_restricted());
    });
}

#[test]
fn a_gtin_drug_is_listed_too() {
    new_test_ext().execute_with(|| {
        let gtin = yima_codes::ProductId::Gtin(yima_codes::Gtin::parse("09521234543213").unwrap());
        register("maker", gtin, Category::Drug);
        assert_ok!(Drug::list_drug(&origin("regulator"), gtin, false, true));
        assert!(Drug::drug(&gtin).unwrap().controlled_compound);
    });
}

#[test]
fn listing_refusals_each_have_their_error() {
    new_test_ext().execute_with(|| {
        register("maker", product(RX), Category::Drug);
        register(
            "maker",
            yima_codes::ProductId::Gtin(food_gtin()),
            Category::Food,
        );
        for who in ["maker", "pharmacy", "hospital"] {
            assert_noop!(
                Drug::list_drug(&origin(who), product(RX), true, false),
                Error::NotRegulator
            );
        }
        assert_noop!(
            Drug::list_drug(&origin("regulator"), product(OTC), true, false),
            Error::UnknownProduct
        );
        assert_noop!(
            Drug::list_drug(
                &origin("regulator"),
                yima_codes::ProductId::Gtin(food_gtin()),
                true,
                false
            ),
            Error::NotADrugProduct
        );
        assert_ok!(Drug::list_drug(
            &origin("regulator"),
            product(RX),
            true,
            false
        ));
        assert_noop!(
            Drug::list_drug(&origin("regulator"), product(RX), false, true),
            Error::DrugExists
        );
        // The certifier's account has no Operator role.
        assert_noop!(
            Drug::list_drug(&origin("certifier"), product(RX), true, false),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}
