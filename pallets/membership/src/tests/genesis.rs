//! The genesis build: what it writes, every configuration it refuses, and its JSON form.

use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::testing::TestExternalities;
use yima_frame::{GenesisBuild, Role, Roles};

use crate::mock::*;
use crate::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, MembershipInspect, NextOrgId,
    NextProposalId, OrgKind, Organisations, Validator, PALLET,
};

/// Builds `config` on empty state; on error, checks that nothing was written and returns the message.
fn build(config: &GenesisConfig) -> Result<(), String> {
    TestExternalities::new_empty().execute_with(|| {
        let result = config.build();
        if result.is_err() {
            assert!(
                Organisations::iter().is_empty(),
                "a refused genesis wrote organisations"
            );
            assert!(
                crate::Accounts::iter().is_empty(),
                "a refused genesis wrote accounts"
            );
            assert!(
                !crate::Validators::exists(),
                "a refused genesis wrote validators"
            );
        }
        result.map_err(|e| {
            assert_eq!(e.pallet, PALLET);
            e.to_string()
        })
    })
}

fn refused(config: &GenesisConfig, needle: &str) {
    let message = build(config).expect_err("genesis should be refused");
    assert!(
        message.contains(needle),
        "message {message:?} does not mention {needle:?}"
    );
}

#[test]
fn the_test_genesis_builds_with_ids_in_list_order() {
    new_test_ext().execute_with(|| {
        assert_eq!(Membership::org_kind(0), Some(OrgKind::Regulator));
        assert_eq!(Membership::org_kind(1), Some(OrgKind::Manufacturer));
        assert_eq!(NextOrgId::get(), Some(2));
        assert_eq!(NextProposalId::get(), Some(0));
        assert_eq!(Membership::threshold(), 2);
        assert_eq!(Membership::proposal_lifetime(), LIFETIME);
        let reg1 = Membership::resolve_signer(&acc("reg1")).unwrap();
        assert_eq!(
            (reg1.org, reg1.roles),
            (REGULATOR, Roles::of(&[Role::Governance]))
        );
    });
}

#[test]
fn validators_are_stored_sorted_by_key() {
    let mut g = genesis();
    g.validators = (0..5).map(|i| validator(&format!("v{i}"), i + 1)).collect();
    let mut sorted = g.validators.clone();
    sorted.sort_by_key(|v| v.key);
    assert_ne!(sorted, g.validators, "the test needs an unsorted list");
    ext_with(g).execute_with(|| assert_eq!(Membership::validators(), sorted));
}

#[test]
fn bad_names_are_refused() {
    let mut g = genesis();
    g.organisations[1].name = String::new();
    refused(&g, "organisation #1");
    g.organisations[1].name = "x".repeat(129);
    refused(&g, "1 to 128 bytes");
}

#[test]
fn a_duplicate_uscc_is_refused() {
    let mut g = genesis();
    g.organisations.push(GenesisOrganisation {
        name: "Twin".into(),
        kind: OrgKind::Retailer,
        uscc: uscc(MAKER_USCC),
        prefixes: vec![],
    });
    refused(&g, "listed for organisation #1 and again for #2");
}

#[test]
fn an_account_of_an_unknown_uscc_is_refused() {
    let mut g = genesis();
    g.accounts.push(GenesisAccount {
        account: acc("stray"),
        uscc: uscc(NEW_USCC),
        roles: Roles::of(&[Role::Operator]),
    });
    refused(&g, NEW_USCC);
    refused(&g, "no entry of `organisations`");
}

#[test]
fn a_duplicate_account_is_refused() {
    let mut g = genesis();
    let mut twin = g.accounts[0].clone();
    twin.uscc = uscc(MAKER_USCC);
    g.accounts.push(twin);
    refused(&g, "listed twice");
}

#[test]
fn an_account_that_is_no_ed25519_key_is_refused() {
    let mut g = genesis();
    g.accounts[4].account = invalid_key();
    refused(&g, "not a valid ed25519 public key");
}

#[test]
fn invalid_validator_sets_are_refused() {
    let cases: Vec<(Vec<Validator>, &str)> = vec![
        (vec![], "empty"),
        (vec![validator("a", 0)], "power 0"),
        (vec![validator("a", 1), validator("a", 1)], "listed twice"),
        (
            vec![Validator {
                key: invalid_key(),
                power: 1,
            }],
            "not a valid ed25519",
        ),
        (
            vec![validator("a", u64::MAX), validator("b", u64::MAX)],
            "exceeds",
        ),
        (
            vec![validator("a", crate::MAX_TOTAL_POWER), validator("b", 1)],
            "exceeds",
        ),
    ];
    for (validators, needle) in cases {
        let mut g = genesis();
        g.validators = validators;
        refused(&g, needle);
        refused(&g, "validators:");
    }
}

#[test]
fn the_threshold_must_be_reachable_by_regulator_governors() {
    let mut g = genesis();
    g.regulator_threshold = 0;
    refused(&g, "regulator_threshold is 0");
    g.regulator_threshold = 4;
    refused(&g, "only 3 accounts hold the governance role");
    g.regulator_threshold = 3;
    assert_eq!(build(&g), Ok(()));
}

#[test]
fn a_zero_proposal_lifetime_is_refused() {
    let mut g = genesis();
    g.proposal_lifetime = 0;
    refused(&g, "proposal_lifetime is 0");
}

#[test]
fn genesis_reads_and_writes_json_and_refuses_unknown_fields() {
    let g = genesis();
    let json = serde_json::to_string_pretty(&g).unwrap();
    assert!(json.contains(r#""kind": "regulator""#), "{json}");
    assert!(json.contains(r#""governance""#), "{json}");
    assert!(json.contains(MAKER_USCC), "{json}");
    assert_eq!(serde_json::from_str::<GenesisConfig>(&json).unwrap(), g);

    let written = format!(
        r#"{{
            "organisations": [{{ "name": "SAMR", "kind": "regulator", "uscc": "{REGULATOR_USCC}" }}],
            "accounts": [{{ "account": "{}", "uscc": "{}", "roles": ["governance", "admin"] }}],
            "validators": [{{ "key": "{}", "power": 1 }}],
            "regulator_threshold": 1,
            "proposal_lifetime": 100
        }}"#,
        acc("reg1"),
        REGULATOR_USCC.to_lowercase(),
        acc("validator-1"),
    );
    let parsed: GenesisConfig = serde_json::from_str(&written).unwrap();
    assert_eq!(parsed.accounts[0].uscc, uscc(REGULATOR_USCC));
    assert_eq!(build(&parsed), Ok(()));

    let extra = written.replacen(
        "\"proposal_lifetime\"",
        "\"typo\": 1, \"proposal_lifetime\"",
        1,
    );
    assert!(serde_json::from_str::<GenesisConfig>(&extra).is_err());
    let bad_code = written.replace(REGULATOR_USCC, "91350100M000100Y44");
    let err = serde_json::from_str::<GenesisConfig>(&bad_code).unwrap_err();
    assert!(err.to_string().contains("expected '3'"), "{err}");
}
