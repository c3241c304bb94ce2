//! Test support for the domain pallets' mock runtimes: a valid USCC per organisation number and a membership
//! genesis of named organisations, one account each — so each mock lists only its organisations and roles.

use yima_frame::{AccountId, Role, Roles};

use crate::{
    CompanyPrefix, GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};

/// A valid USCC for test organisation `n` (`91330100MA2Y0nnnn` and its check character).
pub fn test_uscc(n: usize) -> Uscc {
    let body = format!("91330100MA2Y0{n:04}");
    let bytes: [u8; 17] = body.as_bytes().try_into().expect("17 characters");
    let check = Uscc::check_character(&bytes).expect("body in the alphabet");
    Uscc::parse(&format!("{body}{check}")).expect("valid test USCC")
}

/// A further genesis account `account` of test organisation `org` (its index in the genesis) holding `roles`.
pub fn extra_account(account: AccountId, org: usize, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account,
        uscc: test_uscc(org),
        roles: Roles::of(roles),
    }
}

/// A genesis of `orgs` (`(name, kind)`; organisation ids follow the order, USCCs are [`test_uscc`]), each with
/// one account `account(name)` holding `roles(kind)`, one validator and a regulator threshold of 1.
pub fn test_genesis(
    orgs: &[(&str, OrgKind)],
    account: impl Fn(&str) -> AccountId,
    roles: impl Fn(OrgKind) -> Roles,
    validator: AccountId,
) -> GenesisConfig {
    GenesisConfig {
        organisations: orgs
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| GenesisOrganisation {
                name: name.to_string(),
                kind: *kind,
                uscc: test_uscc(i),
                prefixes: vec![],
            })
            .collect(),
        accounts: orgs
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| GenesisAccount {
                account: account(name),
                uscc: test_uscc(i),
                roles: roles(*kind),
            })
            .collect(),
        validators: vec![Validator {
            key: validator,
            power: 1,
        }],
        regulator_threshold: 1,
        proposal_lifetime: 10,
    }
}

/// The 12-digit company prefix that holds exactly `gtin` (its company part: the GTIN-14 without its indicator
/// and check digits), so a test organisation can hold the GTINs it registers and nothing else.
pub fn gtin_prefix(gtin: &yima_codes::Gtin) -> CompanyPrefix {
    CompanyPrefix::from_digits(crate::prefixes::company_part(gtin)).expect("12 digits")
}

/// Gives test organisation `org` (its index in `config`) the company prefixes of `gtins` ([`gtin_prefix`]).
pub fn hold_gtins(config: &mut GenesisConfig, org: usize, gtins: &[yima_codes::Gtin]) {
    config.organisations[org]
        .prefixes
        .extend(gtins.iter().map(gtin_prefix));
}

/// Has governance record the company prefix of `gtin` ([`gtin_prefix`]) for organisation `org`, taking it from
/// the organisation that held it, as regulators would before `org` registers the GTIN. `governor` is a
/// Governance account of a regulator and the threshold must be 1 (as in [`test_genesis`]). Nothing happens
/// when `org` holds it already.
pub fn record_gtin<T: crate::Config>(
    governor: &yima_frame::Origin,
    org: yima_frame::OrgId,
    gtin: &yima_codes::Gtin,
) -> yima_frame::DispatchResult {
    use yima_frame::storage::StorageMap;
    let prefix = gtin_prefix(gtin);
    let held_by = crate::PrefixHolders::get(&prefix);
    if held_by == Some(org) {
        return Ok(());
    }
    if let Some(other) = held_by {
        let mut rest = crate::Pallet::<T>::company_prefixes(other);
        rest.retain(|p| *p != prefix);
        crate::Pallet::<T>::propose(
            governor,
            crate::Action::SetCompanyPrefixes {
                org: other,
                prefixes: rest,
            },
        )?;
    }
    let mut prefixes = crate::Pallet::<T>::company_prefixes(org);
    prefixes.push(prefix);
    crate::Pallet::<T>::propose(
        governor,
        crate::Action::SetCompanyPrefixes { org, prefixes },
    )
}
