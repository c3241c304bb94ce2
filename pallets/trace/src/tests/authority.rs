//! Who may register a product, in which category, and what a regulator's approval and correction do (issue 13:
//! "category is self-declared and final", "first come owns a GTIN").

use yima_codes::{NmpaProductCode, ProductId};
use yima_frame::assert_ok;

use crate::mock::*;
use crate::types::Category;

fn nmpa() -> ProductId {
    ProductId::Nmpa(NmpaProductCode::parse("8123456").unwrap())
}

fn register(who: &str, product: ProductId, category: Category) -> yima_frame::DispatchResult {
    Trace::register_product(
        &origin(who),
        product,
        b"product".to_vec(),
        category,
        None,
        365,
    )
}

/// Attack: an NMPA drug product code registered as `Other` escapes every drug and vaccine rule.
#[test]
fn attack_an_nmpa_code_registers_as_other() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("maker", nmpa(), Category::Other));
    });
}

/// Attack: a rival registers the maker's GTIN first and blocks the maker from its own product.
#[test]
fn attack_a_rival_registers_the_makers_gtin_first() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("rival", product(), Category::Other));
        assert_eq!(Trace::product(&product()).unwrap().owner, RIVAL);
    });
}

/// Attack: a vaccine is commissioned on the registrant's word alone, with no regulator's approval.
#[test]
fn attack_a_vaccine_is_commissioned_without_approval() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("maker", product(), Category::Vaccine));
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![commissioning(vec![item(0)], "L1")]
        ));
    });
}
