//! Compound preparations with controlled ingredients: an identified buyer, at most two packs per sale, and a
//! rolling per-buyer limit across all pharmacies; beyond either, refused.

use yima_attestation::PseudonymousId;
use yima_frame::{assert_noop, assert_ok, sha256};
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::types::Sale;
use crate::{Error, Event};

/// Compound units 0..10 are at the pharmacy, 10..20 at the second pharmacy.
fn c(n: u64) -> yima_codes::TraceCode {
    unit(COMPOUND, n)
}

#[test]
fn an_identified_buyer_buys_two_packs() {
    new_test_ext().execute_with(|| {
        stocked(20);
        assert_ok!(sell("pharmacy", "buyer Chen", vec![c(0), c(1)]));
        assert_eq!(
            last_event(),
            RuntimeEvent::Drug(Event::CompoundSold {
                buyer: person("buyer Chen"),
                sale: Sale {
                    pharmacy: PHARMACY,
                    codes: vec![c(0), c(1)],
                    compound_packs: 2,
                    time: NOW
                },
                packs_in_window: 2
            })
        );
        let status = yima_trace::custody::custody(&c(0), NOW).unwrap().status;
        assert_eq!(status, CodeStatus::Sold);
        assert_eq!(Drug::packs_in_window(&person("buyer Chen")), 2);
    });
}

#[test]
fn a_third_pack_in_one_sale_is_refused() {
    new_test_ext().execute_with(|| {
        stocked(20);
        assert_noop!(
            sell("pharmacy", "buyer Chen", vec![c(0), c(1), c(2)]),
            Error::TooManyPacksInSale
        );
        assert_eq!(Drug::packs_in_window(&person("buyer Chen")), 0);
    });
}

#[test]
fn the_seventh_pack_in_the_window_at_another_pharmacy_is_refused_and_allowed_once_the_window_passes(
) {
    new_test_ext().execute_with(|| {
        stocked(20);
        // Six packs over ten days at the first pharmacy.
        for (day, codes) in [
            (0, vec![c(0), c(1)]),
            (5, vec![c(2), c(3)]),
            (10, vec![c(4), c(5)]),
        ] {
            advance_to(NOW + day * DAY + 1);
            assert_ok!(sell("pharmacy", "buyer Chen", codes));
        }
        assert_eq!(Drug::packs_in_window(&person("buyer Chen")), 6);
        // The seventh at the second pharmacy, on day 29: refused.
        advance_to(NOW + 29 * DAY);
        assert_noop!(
            sell("pharmacy2", "buyer Chen", vec![c(10)]),
            Error::PurchaseLimitExceeded
        );
        // Another buyer is not affected.
        assert_ok!(sell("pharmacy2", "buyer Sun", vec![c(10)]));
        // Day 30 (+1 ms after the first purchase's block): the first two packs left the window.
        advance_to(NOW + 30 * DAY + 1);
        assert_eq!(Drug::packs_in_window(&person("buyer Chen")), 4);
        assert_ok!(sell("pharmacy2", "buyer Chen", vec![c(11), c(12)]));
        assert_noop!(
            sell("pharmacy2", "buyer Chen", vec![c(13)]),
            Error::PurchaseLimitExceeded
        );
    });
}

#[test]
fn a_plain_id_number_is_refused_as_a_buyer() {
    new_test_ext().execute_with(|| {
        stocked(4);
        let mut plain = [0u8; 32];
        plain[..18].copy_from_slice(b"11010519491231002X");
        let mut spaced = [b' '; 32];
        spaced[..21].copy_from_slice(b"110105-1949-1231-002X");
        let mut integer = [0u8; 32];
        integer[24..].copy_from_slice(&11_010_519_491_231_002u64.to_be_bytes());
        for id in [plain, spaced, integer, [0; 32]] {
            assert_noop!(
                Drug::sell_compound(
                    &origin("pharmacy"),
                    PseudonymousId(id),
                    vec![c(0)],
                    NOW,
                    480
                ),
                Error::BuyerNotPseudonymous
            );
        }
        // The same bytes hashed (what the client sends) pass.
        assert_ok!(Drug::sell_compound(
            &origin("pharmacy"),
            PseudonymousId(sha256(&plain).0),
            vec![c(0)],
            NOW,
            480
        ));
    });
}

#[test]
fn only_listed_compound_preparations_are_sold_this_way() {
    new_test_ext().execute_with(|| {
        stocked(4);
        assert_noop!(
            sell("pharmacy", "buyer Chen", vec![unit(OTC, 0)]),
            Error::NotACompoundPreparation
        );
        assert_noop!(
            sell("pharmacy", "buyer Chen", vec![c(0), unit(RX, 0)]),
            Error::NotACompoundPreparation
        );
        assert_noop!(
            sell("pharmacy", "buyer Chen", vec![unit(RX_COMPOUND, 0)]),
            Error::PrescriptionRequired
        );
        assert_noop!(
            sell("pharmacy", "buyer Chen", vec![c(2)]),
            Error::NotHeldByPharmacy
        );
        assert_noop!(
            sell("distributor", "buyer Chen", vec![c(0)]),
            Error::NotAPharmacy
        );
    });
}

#[test]
fn the_window_record_stays_small() {
    new_test_ext().execute_with(|| {
        stocked(20);
        for day in 0..6 {
            advance_to(NOW + day * 10 * DAY + 1);
            assert_ok!(sell("pharmacy", "buyer Chen", vec![c(day)]));
        }
        // Purchases older than 30 days were pruned when the later ones were written.
        use yima_frame::storage::StorageMap as _;
        let window = crate::Windows::get(&person("buyer Chen")).unwrap();
        assert_eq!(window.entries.len(), 3);
    });
}
