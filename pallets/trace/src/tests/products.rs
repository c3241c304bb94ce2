//! The product registry: who may register, what a product must look like, and what is stored.

use yima_codes::{NmpaProductCode, ProductId};
use yima_frame::{assert_noop, assert_ok, DispatchError, Origin, Role};

use crate::mock::*;
use crate::types::{Category, Product, TemperatureRange};
use crate::{Error, Event};

fn register(
    who: &str,
    product: ProductId,
    name: &[u8],
    band: Option<TemperatureRange>,
) -> yima_frame::DispatchResult {
    Trace::register_product(
        &origin(who),
        product,
        name.to_vec(),
        Category::Other,
        band,
        365,
    )
}

#[test]
fn a_manufacturer_registers_a_product() {
    new_test_ext().execute_with(|| {
        assert_ok!(Trace::register_product(
            &origin("maker"),
            product(),
            b"Demo vaccine".to_vec(),
            Category::Vaccine,
            Some(TemperatureRange::VACCINE),
            365
        ));
        System::assert_last_event(Event::ProductRegistered {
            product: product(),
            owner: MAKER,
            category: Category::Vaccine,
        });
        assert_eq!(
            Trace::product(&product()),
            Some(Product {
                owner: MAKER,
                name: b"Demo vaccine".to_vec(),
                category: Category::Vaccine,
                temperature: Some(TemperatureRange::VACCINE),
                shelf_life_days: 365,
                approval: None,
            })
        );
        // A vaccine waits for a regulator's approval.
        assert!(Trace::product(&product()).unwrap().is_pending());
    });
}

#[test]
fn a_processor_registers_and_an_nmpa_product_code_is_a_product() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(
            "processor",
            ProductId::Gtin(chilled_gtin()),
            b"Yoghurt",
            None
        ));
        assert_eq!(
            Trace::product(&ProductId::Gtin(chilled_gtin()))
                .unwrap()
                .owner,
            PROCESSOR
        );
        let drug = ProductId::Nmpa(NmpaProductCode::parse("8123456").unwrap());
        assert_ok!(Trace::register_product(
            &origin("maker"),
            drug,
            "阿莫西林胶囊".as_bytes().to_vec(),
            Category::Drug,
            None,
            730
        ));
        assert_eq!(Trace::product(&drug).unwrap().owner, MAKER);
    });
}

#[test]
fn a_product_is_registered_once() {
    new_test_ext().execute_with(|| {
        register_vaccine();
        assert_noop!(
            register("maker", product(), b"Again", None),
            Error::ProductExists
        );
        // Not by another manufacturer either.
        assert_noop!(
            register("rival", product(), b"Mine now", None),
            Error::ProductExists
        );
    });
}

#[test]
fn only_producing_kinds_register_products() {
    new_test_ext().execute_with(|| {
        for who in ["regulator", "distributor", "retailer", "warehouse"] {
            assert_noop!(
                register(who, product(), b"Demo", None),
                Error::KindNotAllowed
            );
        }
    });
}

#[test]
fn registering_needs_the_operator_role_and_a_signed_origin() {
    new_test_ext().execute_with(|| {
        // An Inspector of the maker, and the lab's Inspector.
        assert_noop!(
            register("viewer", product(), b"Demo", None),
            DispatchError::MissingRole(Role::Operator)
        );
        assert_noop!(
            register("lab", product(), b"Demo", None),
            DispatchError::MissingRole(Role::Operator)
        );
        assert!(matches!(
            Trace::register_product(
                &Origin::Root,
                product(),
                b"Demo".to_vec(),
                Category::Other,
                None,
                0
            ),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn a_name_is_one_to_128_bytes_of_utf8() {
    new_test_ext().execute_with(|| {
        assert_noop!(register("maker", product(), b"", None), Error::InvalidName);
        assert_noop!(
            register("maker", product(), &[b'x'; 129], None),
            Error::InvalidName
        );
        assert_noop!(
            register("maker", product(), &[0xff, 0xfe], None),
            Error::InvalidName
        );
        assert_ok!(register("maker", product(), &[b'x'; 128], None));
    });
}

#[test]
fn a_temperature_band_must_be_possible() {
    new_test_ext().execute_with(|| {
        let band = |min, max| {
            Some(TemperatureRange {
                min_centi_celsius: min,
                max_centi_celsius: max,
            })
        };
        assert_noop!(
            register("maker", product(), b"Demo", band(801, 800)),
            Error::InvalidTemperatureRange
        );
        assert_noop!(
            register("maker", product(), b"Demo", band(-27_316, 800)),
            Error::InvalidTemperatureRange
        );
        // Absolute zero itself and a one-point band are possible.
        assert_ok!(register(
            "maker",
            product(),
            b"Demo",
            band(-27_315, -27_315)
        ));
    });
}
