//! Resident pharmacists: licensed, pseudonymous, bound to one pharmacy at a time, with their history.

use yima_attestation::PseudonymousId;
use yima_frame::{assert_noop, assert_ok, sha256, Hash};

use crate::mock::*;
use crate::types::Binding;
use crate::{Error, Event};

#[test]
fn a_pharmacy_binds_a_licensed_pharmacist() {
    new_test_ext().execute_with(|| {
        let licence = license("Li");
        assert_ok!(Drug::bind_pharmacist(
            &origin("pharmacy"),
            person("Li"),
            licence
        ));
        assert_eq!(
            last_event(),
            RuntimeEvent::Drug(Event::PharmacistBound {
                pharmacist: person("Li"),
                pharmacy: PHARMACY,
                licence
            })
        );
        assert!(Drug::is_bound_to(&person("Li"), PHARMACY));
        assert_eq!(Drug::resident_pharmacists(PHARMACY), vec![person("Li")]);
        assert_eq!(Drug::resident_pharmacists(PHARMACY2), vec![]);
    });
}

#[test]
fn binding_is_one_to_one_and_kept_in_the_history() {
    new_test_ext().execute_with(|| {
        let licence = license("Li");
        bind("pharmacy", "Li");
        // Double binding, here and elsewhere.
        assert_noop!(
            Drug::bind_pharmacist(&origin("pharmacy"), person("Li"), licence),
            Error::AlreadyBound
        );
        assert_noop!(
            Drug::bind_pharmacist(&origin("pharmacy2"), person("Li"), licence),
            Error::BoundElsewhere
        );
        // Only the pharmacy they serve unbinds them.
        assert_noop!(
            Drug::unbind_pharmacist(&origin("pharmacy2"), person("Li")),
            Error::NotBoundHere
        );
        advance_to(NOW + DAY);
        assert_ok!(Drug::unbind_pharmacist(&origin("pharmacy"), person("Li")));
        assert_eq!(
            last_event(),
            RuntimeEvent::Drug(Event::PharmacistUnbound {
                pharmacist: person("Li"),
                pharmacy: PHARMACY
            })
        );
        assert_eq!(Drug::resident_pharmacists(PHARMACY), vec![]);
        assert_noop!(
            Drug::unbind_pharmacist(&origin("pharmacy"), person("Li")),
            Error::NotBoundHere
        );
        advance_to(NOW + 2 * DAY);
        assert_ok!(Drug::bind_pharmacist(
            &origin("pharmacy2"),
            person("Li"),
            licence
        ));
        assert_eq!(
            Drug::binding_history(&person("Li")),
            vec![
                Binding {
                    pharmacy: PHARMACY,
                    licence,
                    bound_at: NOW,
                    bound_block: 1,
                    unbound_at: Some(NOW + DAY),
                },
                Binding {
                    pharmacy: PHARMACY2,
                    licence,
                    bound_at: NOW + 2 * DAY,
                    bound_block: 3,
                    unbound_at: None,
                },
            ]
        );
        assert_eq!(
            Drug::pharmacist(&person("Li")).unwrap().pharmacy,
            Some(PHARMACY2)
        );
    });
}

#[test]
fn only_a_pharmacy_binds() {
    new_test_ext().execute_with(|| {
        let licence = license("Li");
        for who in ["hospital", "distributor", "maker", "regulator"] {
            assert_noop!(
                Drug::bind_pharmacist(&origin(who), person("Li"), licence),
                Error::NotAPharmacy
            );
        }
    });
}

#[test]
fn a_plain_id_number_is_refused_as_a_pharmacist() {
    new_test_ext().execute_with(|| {
        let licence = license("Li");
        let mut plain = [0u8; 32];
        plain[..18].copy_from_slice(b"11010519491231002X");
        let mut embedded = sha256(b"noise").0;
        embedded[3..21].copy_from_slice(b"11010519491231002X");
        for id in [plain, embedded, [0; 32]] {
            assert_noop!(
                Drug::bind_pharmacist(&origin("pharmacy"), PseudonymousId(id), licence),
                Error::PharmacistNotPseudonymous
            );
        }
    });
}

#[test]
fn a_pharmacist_without_a_valid_licence_is_not_bound() {
    new_test_ext().execute_with(|| {
        // No attestation at all, another person's licence.
        assert_noop!(
            Drug::bind_pharmacist(&origin("pharmacy"), person("Li"), Hash::default()),
            Error::PharmacistNotLicensed
        );
        let zhang = license("Zhang");
        assert_noop!(
            Drug::bind_pharmacist(&origin("pharmacy"), person("Li"), zhang),
            Error::PharmacistNotLicensed
        );
        // A licence that has expired (valid for a year from NOW).
        let licence = license("Li");
        advance_to(NOW + 366 * DAY);
        assert_noop!(
            Drug::bind_pharmacist(&origin("pharmacy"), person("Li"), licence),
            Error::PharmacistNotLicensed
        );
    });
}

#[test]
fn a_revoked_licence_is_refused() {
    new_test_ext().execute_with(|| {
        let licence = license("Li");
        Attestation::revoke(&origin("certifier"), licence, sha256(b"struck off")).unwrap();
        advance_to(NOW + 1);
        assert_noop!(
            Drug::bind_pharmacist(&origin("pharmacy"), person("Li"), licence),
            Error::PharmacistNotLicensed
        );
    });
}
