//! Who may register a product, in which category, and what a regulator's approval and correction do (issue 13:
//! "category is self-declared and final", "first come owns a GTIN").

use yima_codes::{NmpaProductCode, ProductId};
use yima_frame::{assert_noop, assert_ok, sha256, DispatchError, Hash, Role};

use crate::mock::*;
use crate::testing::licence;
use crate::types::{Approval, Category, TemperatureRange};
use crate::{Correction, Error, Event};

fn nmpa() -> ProductId {
    ProductId::Nmpa(NmpaProductCode::parse("8123456").unwrap())
}

/// The band a product of `category` is registered with here: the one it must have, none otherwise.
fn band_of(category: Category) -> Option<TemperatureRange> {
    match category {
        Category::Vaccine => Some(TemperatureRange::VACCINE),
        Category::ColdChainFood => Some(TemperatureRange::FROZEN),
        _ => None,
    }
}

fn register(who: &str, product: ProductId, category: Category) -> yima_frame::DispatchResult {
    Trace::register_product(
        &origin(who),
        product,
        b"product".to_vec(),
        category,
        band_of(category),
        365,
    )
}

fn approve(who: &str, product: ProductId) -> yima_frame::DispatchResult {
    Trace::approve_product(&origin(who), product, licence(&product))
}

fn decision() -> Hash {
    sha256(b"regulator decision 2026-017")
}

fn correct(
    who: &str,
    product: ProductId,
    category: Category,
    owner: u32,
) -> yima_frame::DispatchResult {
    correct_band(who, product, category, owner, None)
}

fn correct_band(
    who: &str,
    product: ProductId,
    category: Category,
    owner: u32,
    temperature: Option<TemperatureRange>,
) -> yima_frame::DispatchResult {
    Trace::correct_product(
        &origin(who),
        Correction {
            product,
            category,
            owner,
            temperature,
        },
        decision(),
    )
}

fn imported() -> ProductId {
    ProductId::Gtin(imported_gtin())
}

/// Attack (worked on main): an NMPA drug product code registered as `Other` escaped every drug and vaccine rule.
#[test]
fn attack_an_nmpa_code_registers_as_other() {
    new_test_ext().execute_with(|| {
        for category in [Category::Other, Category::Food] {
            assert_noop!(
                register("maker", nmpa(), category),
                Error::NmpaNotDrugOrVaccine
            );
        }
        assert_ok!(register("maker", nmpa(), Category::Drug));
    });
}

/// Attack (worked on main): a rival registered the maker's GTIN first and blocked the maker from its product.
#[test]
fn attack_a_rival_registers_the_makers_gtin_first() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            register("rival", product(), Category::Other),
            Error::NotPrefixHolder
        );
        assert_ok!(register("maker", product(), Category::Other));
        assert_eq!(Trace::product(&product()).unwrap().owner, MAKER);
    });
}

/// A GTIN under nobody's prefix is registered by nobody until the regulators record the prefix.
#[test]
fn a_gtin_under_no_recorded_prefix_is_refused() {
    new_test_ext().execute_with(|| {
        let stray = ProductId::Gtin(crate::testing::gtin("0952123454800"));
        assert_noop!(
            register("maker", stray, Category::Other),
            Error::NotPrefixHolder
        );
    });
}

/// Attack (worked on main): a vaccine was commissioned on the registrant's word alone.
#[test]
fn attack_a_vaccine_is_commissioned_without_approval() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("maker", product(), Category::Vaccine));
        assert_noop!(
            Trace::capture(&origin("maker"), vec![commissioning(vec![item(0)], "L1")]),
            Error::ProductNotApproved
        );
        assert_ok!(approve("regulator", product()));
        assert_ok!(Trace::capture(
            &origin("maker"),
            vec![commissioning(vec![item(0)], "L1")]
        ));
    });
}

#[test]
fn a_regulator_approves_a_regulated_product_citing_its_licence() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("importer", imported(), Category::ColdChainFood));
        assert!(Trace::product(&imported()).unwrap().is_pending());
        assert_ok!(approve("regulator", imported()));
        System::assert_last_event(Event::ProductApproved {
            product: imported(),
            by: REGULATOR,
            licence: licence(&imported()),
        });
        let record = Trace::product(&imported()).unwrap();
        assert_eq!(
            record.approval,
            Some(Approval {
                by: REGULATOR,
                licence: licence(&imported())
            })
        );
        assert!(!record.is_pending());
        // Once.
        assert_noop!(approve("regulator", imported()), Error::ApprovalNotNeeded);
    });
}

#[test]
fn only_a_regulators_operator_or_governance_account_approves() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("maker", product(), Category::Vaccine));
        for who in ["maker", "importer", "distributor"] {
            assert_noop!(approve(who, product()), Error::NotRegulator);
        }
        // The lab's Inspector is not a regulator either.
        assert_noop!(approve("lab", product()), Error::NotRegulator);
        assert_noop!(
            approve("regulator", ProductId::Gtin(rival_gtin())),
            Error::UnknownProduct
        );
        // A product of an unregulated category needs no approval.
        assert_ok!(register(
            "rival",
            ProductId::Gtin(rival_gtin()),
            Category::Other
        ));
        assert_noop!(
            approve("regulator", ProductId::Gtin(rival_gtin())),
            Error::ApprovalNotNeeded
        );
        assert!(matches!(
            Trace::approve_product(&yima_frame::Origin::Root, product(), licence(&product())),
            Err(DispatchError::BadOrigin { .. })
        ));
    });
}

#[test]
fn a_regulators_account_without_operator_or_governance_may_not_approve() {
    use yima_frame::storage::StorageMap;
    new_test_ext().execute_with(|| {
        assert_ok!(register("maker", product(), Category::Vaccine));
        yima_membership::Accounts::mutate(&account("regulator"), |a| {
            a.as_mut().unwrap().roles = yima_frame::Roles::of(&[Role::Admin]);
        });
        assert_noop!(
            approve("regulator", product()),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn regulated_categories_are_registered_by_the_kinds_the_domain_allows() {
    new_test_ext().execute_with(|| {
        // Vaccines by manufacturers only; imported cold-chain food by importers only.
        assert_noop!(
            register("importer", imported(), Category::Vaccine),
            Error::CategoryNotAllowed
        );
        assert_noop!(
            register("processor", ProductId::Gtin(chilled_gtin()), Category::Drug),
            Error::CategoryNotAllowed
        );
        assert_noop!(
            register(
                "maker",
                ProductId::Gtin(frozen_gtin()),
                Category::ColdChainFood
            ),
            Error::CategoryNotAllowed
        );
        // Drugs by manufacturers and importers.
        assert_ok!(register("importer", imported(), Category::Drug));
        assert_ok!(register("maker", product(), Category::Vaccine));
        // Food and other goods by any producing kind.
        assert_ok!(register(
            "processor",
            ProductId::Gtin(chilled_gtin()),
            Category::Food
        ));
    });
}

/// Attack (worked on main, where no call could change a category): imported frozen meat registered as `Food`
/// stayed food for good and skipped the four certificates. Now a regulator corrects it, and its next lot waits
/// for the approval of imported cold-chain food.
#[test]
fn a_regulator_corrects_a_misdeclared_category() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("importer", imported(), Category::Food));
        let beef = |n| item_of(imported_gtin(), n);
        run(
            "importer",
            vec![commissioning_of(imported_gtin(), vec![beef(0)], "B1")],
        );

        // Imported cold-chain food needs a band: the correction names one, or it is refused.
        assert_noop!(
            correct("regulator", imported(), Category::ColdChainFood, IMPORTER),
            Error::TemperatureBandRequired
        );
        assert_ok!(correct_band(
            "regulator",
            imported(),
            Category::ColdChainFood,
            IMPORTER,
            Some(TemperatureRange::FROZEN)
        ));
        System::assert_last_event(Event::ProductCorrected {
            product: imported(),
            old_category: Category::Food,
            category: Category::ColdChainFood,
            old_owner: IMPORTER,
            owner: IMPORTER,
            old_temperature: None,
            temperature: Some(TemperatureRange::FROZEN),
            by: REGULATOR,
            reason: decision(),
        });
        let record = Trace::product(&imported()).unwrap();
        assert_eq!(record.category, Category::ColdChainFood);
        assert_eq!(record.temperature, Some(TemperatureRange::FROZEN));
        assert!(record.is_pending());
        // Every later event sees the new category: no more codes until a regulator approves it.
        assert_noop!(
            Trace::capture(
                &origin("importer"),
                vec![commissioning_of(imported_gtin(), vec![beef(1)], "B2")]
            ),
            Error::ProductNotApproved
        );
        // Codes already in flight keep moving (under the rules of the new category).
        run("importer", vec![shipping(vec![beef(0)], DISTRIBUTOR)]);
        assert_ok!(approve("regulator", imported()));
        run(
            "importer",
            vec![commissioning_of(imported_gtin(), vec![beef(1)], "B2")],
        );
    });
}

#[test]
fn a_regulator_corrects_the_owner_and_lots_already_commissioned_keep_theirs() {
    new_test_ext().execute_with(|| {
        assert_ok!(register(
            "rival",
            ProductId::Gtin(rival_gtin()),
            Category::Other
        ));
        let rival_product = ProductId::Gtin(rival_gtin());
        let code = |n| item_of(rival_gtin(), n);
        run(
            "rival",
            vec![commissioning_of(rival_gtin(), vec![code(0)], "R1")],
        );
        assert_ok!(correct("regulator", rival_product, Category::Other, MAKER));
        assert_eq!(Trace::product(&rival_product).unwrap().owner, MAKER);
        // The old lot stays the rival's; new lots are the maker's.
        assert_eq!(
            Trace::lot(&lot_of(rival_gtin(), "R1")).unwrap().owner,
            RIVAL
        );
        assert_noop!(
            Trace::capture(
                &origin("rival"),
                vec![commissioning_of(rival_gtin(), vec![code(1)], "R2")]
            ),
            Error::NotOwner
        );
        run(
            "maker",
            vec![commissioning_of(rival_gtin(), vec![code(1)], "R2")],
        );
    });
}

#[test]
fn a_correction_is_checked_before_it_is_written() {
    new_test_ext().execute_with(|| {
        assert_ok!(register("maker", nmpa(), Category::Drug));
        assert_ok!(approve("regulator", nmpa()));
        // Only a regulator.
        assert_noop!(
            correct("maker", nmpa(), Category::Vaccine, MAKER),
            Error::NotRegulator
        );
        // Something must change.
        assert_noop!(
            correct("regulator", nmpa(), Category::Drug, MAKER),
            Error::NothingToCorrect
        );
        // An NMPA code stays a drug or vaccine.
        assert_noop!(
            correct("regulator", nmpa(), Category::Other, MAKER),
            Error::NmpaNotDrugOrVaccine
        );
        // The new owner exists and may hold the category.
        assert_noop!(
            correct("regulator", nmpa(), Category::Drug, 99),
            Error::UnknownOrganisation
        );
        assert_noop!(
            correct("regulator", nmpa(), Category::Drug, RETAILER),
            Error::KindNotAllowed
        );
        assert_noop!(
            correct("regulator", nmpa(), Category::Vaccine, IMPORTER),
            Error::CategoryNotAllowed
        );
        assert_noop!(
            correct(
                "regulator",
                ProductId::Gtin(rival_gtin()),
                Category::Other,
                MAKER
            ),
            Error::UnknownProduct
        );
        // A drug without a band becomes a vaccine only with one.
        assert_noop!(
            correct("regulator", nmpa(), Category::Vaccine, MAKER),
            Error::TemperatureBandRequired
        );
        // A correction withdraws the approval: the drug licence does not license a vaccine.
        assert_ok!(correct_band(
            "regulator",
            nmpa(),
            Category::Vaccine,
            MAKER,
            Some(TemperatureRange::VACCINE)
        ));
        assert_eq!(Trace::product(&nmpa()).unwrap().approval, None);
    });
}

#[test]
fn the_new_calls_and_events_have_their_codec_indices() {
    use parity_scale_codec::Encode;
    let h = Hash::default();
    assert_eq!(
        crate::Call::ApproveProduct {
            product: nmpa(),
            licence: h
        }
        .encode()[0],
        4
    );
    assert_eq!(
        crate::Call::CorrectProduct {
            product: nmpa(),
            category: Category::Drug,
            owner: 1,
            temperature: None,
            reason: h
        }
        .encode()[0],
        5
    );
    assert_eq!(
        Event::ProductApproved {
            product: nmpa(),
            by: 0,
            licence: h
        }
        .encode()[0],
        5
    );
    assert_eq!(
        Event::ProductCorrected {
            product: nmpa(),
            old_category: Category::Other,
            category: Category::Drug,
            old_owner: 1,
            owner: 1,
            old_temperature: None,
            temperature: None,
            by: 0,
            reason: h
        }
        .encode()[0],
        6
    );
}

/// Attack (worked on main): imported cold-chain food or a vaccine registered without a temperature band — no
/// reading was ever an excursion, so a warm truck raised no alert. Now registration refuses it; food and other
/// goods may go without.
#[test]
fn attack_a_vaccine_or_cold_chain_food_without_a_temperature_band_is_refused() {
    new_test_ext().execute_with(|| {
        let without_band = |who: &str, product: ProductId, category| {
            Trace::register_product(
                &origin(who),
                product,
                b"product".to_vec(),
                category,
                None,
                365,
            )
        };
        assert_noop!(
            without_band("importer", imported(), Category::ColdChainFood),
            Error::TemperatureBandRequired
        );
        assert_noop!(
            without_band("maker", product(), Category::Vaccine),
            Error::TemperatureBandRequired
        );
        assert_ok!(without_band(
            "processor",
            ProductId::Gtin(chilled_gtin()),
            Category::Food
        ));
        // A band cannot be dropped by a correction either: `None` keeps the current one.
        assert_ok!(register("importer", imported(), Category::ColdChainFood));
        assert_noop!(
            correct_band(
                "regulator",
                imported(),
                Category::ColdChainFood,
                IMPORTER,
                Some(TemperatureRange {
                    min_centi_celsius: 400,
                    max_centi_celsius: 0
                })
            ),
            Error::InvalidTemperatureRange
        );
        assert_ok!(correct_band(
            "regulator",
            imported(),
            Category::ColdChainFood,
            IMPORTER,
            Some(TemperatureRange::CHILLED)
        ));
        assert_eq!(
            Trace::product(&imported()).unwrap().temperature,
            Some(TemperatureRange::CHILLED)
        );
        assert_noop!(
            correct("regulator", imported(), Category::ColdChainFood, IMPORTER),
            Error::NothingToCorrect
        );
    });
}
