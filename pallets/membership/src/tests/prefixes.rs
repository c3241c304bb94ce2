//! GS1 company prefixes: what a prefix is, who holds which (declared at admission or genesis, replaced by
//! governance), that no two organisations' prefixes overlap, and how a GTIN finds its holder.

use parity_scale_codec::{Decode, Encode};
use yima_codes::Gtin;
use yima_frame::testing::TestExternalities;
use yima_frame::{assert_noop, assert_ok, GenesisBuild};

use crate::mock::*;
use crate::prefixes::CompanyPrefixError;
use crate::{Action, CompanyPrefix, Error, Event, GenesisOrganisation, MembershipInspect, OrgKind};

fn gtin(s: &str) -> Gtin {
    Gtin::parse(s).expect("valid test GTIN")
}

/// The maker's GTIN-13 6901234567892 (prefix 6901234).
fn makers_gtin() -> Gtin {
    gtin("6901234567892")
}

fn admit_with(prefixes: &[&str]) -> Action {
    Action::AdmitOrganisation {
        name: b"Ningbo Importer".to_vec(),
        kind: OrgKind::Importer,
        uscc: uscc(NEW_USCC),
        admin: acc("importer-admin"),
        prefixes: prefixes.iter().map(|p| prefix(p)).collect(),
    }
}

/// Proposes `action` (reg1) and approves it (reg2): the threshold of 2.
fn pass(action: Action) -> yima_frame::DispatchResult {
    Membership::propose(&signed("reg1"), action)?;
    Membership::approve(&signed("reg2"), last_proposal())
}

fn last_proposal() -> crate::ProposalId {
    use yima_frame::storage::StorageValue;
    crate::NextProposalId::get_or_default() - 1
}

#[test]
fn a_prefix_is_six_to_twelve_digits() {
    assert!(CompanyPrefix::parse("690123").is_ok());
    assert!(CompanyPrefix::parse("690123456789").is_ok());
    assert_eq!(
        CompanyPrefix::parse("69012"),
        Err(CompanyPrefixError::WrongLength { got: 5 })
    );
    assert_eq!(
        CompanyPrefix::parse("6901234567890"),
        Err(CompanyPrefixError::WrongLength { got: 13 })
    );
    assert_eq!(
        CompanyPrefix::parse("69O123"),
        Err(CompanyPrefixError::NotDigits)
    );
    // A block of GTIN-8s is refused; one GTIN-8 (00000 + its first seven digits) is a prefix.
    assert_eq!(
        CompanyPrefix::parse("0000012"),
        Err(CompanyPrefixError::Gtin8Block)
    );
    assert!(CompanyPrefix::parse("000009638507").is_ok());
}

#[test]
fn decoding_validates_and_serde_uses_digit_strings() {
    let p = prefix("6901234");
    assert_eq!(CompanyPrefix::decode(&mut &p.encode()[..]), Ok(p));
    assert_eq!(p.encode(), b"6901234".to_vec().encode());
    for bad in [
        b"69012".to_vec(),
        b"6901234567890".to_vec(),
        b"69O1234".to_vec(),
        b"0000012".to_vec(),
    ] {
        assert!(CompanyPrefix::decode(&mut &bad.encode()[..]).is_err());
    }
    assert_eq!(serde_json::to_string(&p).unwrap(), "\"6901234\"");
    assert_eq!(
        serde_json::from_str::<CompanyPrefix>("\"6901234\"").unwrap(),
        p
    );
    assert!(serde_json::from_str::<CompanyPrefix>("\"69012\"").is_err());
}

#[test]
fn a_gtin_finds_the_holder_of_its_company_prefix() {
    new_test_ext().execute_with(|| {
        assert_eq!(
            Membership::company_prefixes(MAKER),
            vec![prefix(MAKER_PREFIX)]
        );
        // GTIN-13 and its GTIN-14 forms with any indicator digit.
        assert_eq!(
            Membership::company_prefix_holder(&makers_gtin()),
            Some(MAKER)
        );
        assert_eq!(
            Membership::company_prefix_holder(&gtin("16901234567899")),
            Some(MAKER)
        );
        // Another prefix, and one that shares only six digits.
        assert_eq!(
            Membership::company_prefix_holder(&gtin("6901235567891")),
            None
        );
        assert_eq!(
            Membership::company_prefix_holder(&gtin("6920000000005")),
            None
        );
    });
}

#[test]
fn a_upc_and_a_gtin8_are_held_as_documented() {
    let mut g = genesis();
    g.organisations[0].prefixes = vec![prefix("0614141"), prefix("000009638507")];
    ext_with(g).execute_with(|| {
        // U.P.C. 614141000036: its prefix is written with GS1's leading zero.
        assert_eq!(
            Membership::company_prefix_holder(&gtin("614141000036")),
            Some(REGULATOR)
        );
        // GTIN-8 96385074 is held through 00000 + 9638507; its neighbour is not.
        assert_eq!(
            Membership::company_prefix_holder(&gtin("96385074")),
            Some(REGULATOR)
        );
        assert_eq!(Membership::company_prefix_holder(&gtin("96385081")), None);
    });
}

#[test]
fn admission_declares_the_prefixes() {
    new_test_ext().execute_with(|| {
        assert_ok!(pass(admit_with(&["6909999", "690888"])));
        let org = 2;
        System::assert_has_event(Event::CompanyPrefixesSet {
            org,
            prefixes: vec![prefix("690888"), prefix("6909999")],
        });
        assert_eq!(
            Membership::company_prefixes(org),
            vec![prefix("690888"), prefix("6909999")]
        );
        assert_eq!(
            Membership::company_prefix_holder(&gtin("6909999000012")),
            Some(org)
        );
    });
}

#[test]
fn an_admission_claiming_anothers_prefix_is_refused() {
    new_test_ext().execute_with(|| {
        // The same prefix, a longer one inside it, and a shorter one around it.
        for claim in ["6901234", "69012345", "690123"] {
            assert_noop!(
                Membership::propose(&signed("reg1"), admit_with(&[claim])),
                Error::CompanyPrefixHeld
            );
        }
        // A list that repeats or nests its own prefixes.
        assert_noop!(
            Membership::propose(&signed("reg1"), admit_with(&["690555", "6905551"])),
            Error::InvalidCompanyPrefixes
        );
        assert_noop!(
            Membership::propose(&signed("reg1"), admit_with(&["690555", "690555"])),
            Error::InvalidCompanyPrefixes
        );
    });
}

#[test]
fn a_prefix_claimed_after_the_proposal_refuses_its_approval() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(
            &signed("reg1"),
            admit_with(&["690555"])
        ));
        let first = last_proposal();
        // Meanwhile governance gives the maker that prefix.
        assert_ok!(pass(Action::SetCompanyPrefixes {
            org: MAKER,
            prefixes: vec![prefix(MAKER_PREFIX), prefix("690555")],
        }));
        assert_noop!(
            Membership::approve(&signed("reg2"), first),
            Error::CompanyPrefixHeld
        );
    });
}

#[test]
fn governance_replaces_an_organisations_prefixes() {
    new_test_ext().execute_with(|| {
        assert_ok!(pass(Action::SetCompanyPrefixes {
            org: MAKER,
            prefixes: vec![prefix("690123400"), prefix("6945678")],
        }));
        System::assert_has_event(Event::CompanyPrefixesSet {
            org: MAKER,
            prefixes: vec![prefix("690123400"), prefix("6945678")],
        });
        // The old, wider prefix is released: its other GTINs have no holder now.
        assert_eq!(Membership::company_prefix_holder(&makers_gtin()), None);
        assert_eq!(
            Membership::company_prefix_holder(&gtin("6901234000016")),
            Some(MAKER)
        );
        // Now another organisation may be admitted with a released part of it.
        assert_ok!(pass(admit_with(&["6901235"])));
        assert_eq!(
            Membership::company_prefix_holder(&gtin("6901235567891")),
            Some(2)
        );
        // Withdrawing all.
        assert_ok!(pass(Action::SetCompanyPrefixes {
            org: MAKER,
            prefixes: vec![],
        }));
        assert!(Membership::company_prefixes(MAKER).is_empty());
        assert_eq!(
            Membership::company_prefix_holder(&gtin("6901234000016")),
            None
        );
    });
}

#[test]
fn setting_prefixes_of_an_unknown_organisation_or_anothers_is_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::propose(
                &signed("reg1"),
                Action::SetCompanyPrefixes {
                    org: 9,
                    prefixes: vec![]
                }
            ),
            Error::UnknownOrganisation
        );
        assert_noop!(
            Membership::propose(
                &signed("reg1"),
                Action::SetCompanyPrefixes {
                    org: REGULATOR,
                    prefixes: vec![prefix("69012345")]
                }
            ),
            Error::CompanyPrefixHeld
        );
        // Only governance sets prefixes: the maker's admin cannot propose.
        assert_noop!(
            Membership::propose(
                &signed("maker-admin"),
                Action::SetCompanyPrefixes {
                    org: MAKER,
                    prefixes: vec![prefix("690777")],
                }
            ),
            yima_frame::DispatchError::MissingRole(yima_frame::Role::Governance)
        );
    });
}

#[test]
fn genesis_refuses_overlapping_prefixes() {
    let mut g = genesis();
    g.organisations[0].prefixes = vec![prefix("69012345")];
    let message = TestExternalities::new_empty()
        .execute_with(|| g.build())
        .expect_err("overlap refused")
        .to_string();
    assert!(message.contains("overlaps prefix 6901234"), "{message}");

    let mut g = genesis();
    g.organisations[1].prefixes.push(prefix("690123"));
    let message = TestExternalities::new_empty()
        .execute_with(|| g.build())
        .expect_err("nested refused")
        .to_string();
    assert!(
        message.contains("list each GS1 company prefix once"),
        "{message}"
    );
}

#[test]
fn genesis_prefixes_are_digit_strings_and_optional() {
    let org: GenesisOrganisation = serde_json::from_str(&format!(
        r#"{{"name":"A","kind":"manufacturer","uscc":"{MAKER_USCC}","prefixes":["6901234"]}}"#
    ))
    .unwrap();
    assert_eq!(org.prefixes, vec![prefix("6901234")]);
    let org: GenesisOrganisation = serde_json::from_str(&format!(
        r#"{{"name":"A","kind":"manufacturer","uscc":"{MAKER_USCC}"}}"#
    ))
    .unwrap();
    assert!(org.prefixes.is_empty());
}
