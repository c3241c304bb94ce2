//! The membership section of a chain spec: the founding organisations and accounts, the validator set and the
//! governance parameters, checked in full before anything is written — including that every account holds only
//! roles its organisation's kind may hold ([`crate::roles`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{AccountId, BlockNumber, GenesisBuild, GenesisError, OrgId, Role, Roles};

use crate::counts::write_account;
use crate::prefixes::{put_prefixes, sorted_distinct, CompanyPrefix, MAX_PREFIXES_PER_ORG};
use crate::roles::{allowed_roles, first_forbidden_role};
use crate::{
    is_valid_name, sorted_validator_set, Account, AccountStatus, EligibleGovernors, NextOrgId,
    NextProposalId, OrgByUscc, OrgKind, OrgStatus, Organisation, Organisations, ProposalLifetime,
    Threshold, Uscc, Validator, Validators, MAX_NAME_BYTES, PALLET,
};

/// A founding organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisOrganisation {
    /// Its registered name.
    pub name: String,
    /// What it is.
    pub kind: OrgKind,
    /// Its USCC.
    pub uscc: Uscc,
    /// The GS1 company prefixes it holds, as digit strings; none may overlap another organisation's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<CompanyPrefix>,
}

/// A founding account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisAccount {
    /// Its ed25519 public key.
    pub account: AccountId,
    /// The USCC of its organisation (listed in `organisations`).
    pub uscc: Uscc,
    /// Its roles.
    pub roles: Roles,
}

/// Genesis configuration of the membership pallet. Organisations get ids 0, 1, 2… in list order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    /// The founding organisations.
    pub organisations: Vec<GenesisOrganisation>,
    /// The founding accounts.
    pub accounts: Vec<GenesisAccount>,
    /// The first validator set (stored sorted by key).
    pub validators: Vec<Validator>,
    /// Approvals a regulator proposal needs (M of M-of-N).
    pub regulator_threshold: u32,
    /// Blocks a proposal stays open.
    pub proposal_lifetime: BlockNumber,
}

fn err(message: String) -> GenesisError {
    GenesisError::new(PALLET, message)
}

impl GenesisConfig {
    /// Checks the configuration; returns the org id of each USCC and the sorted validator set.
    fn check(&self) -> Result<(BTreeMap<Uscc, OrgId>, Vec<Validator>), GenesisError> {
        let mut ids: BTreeMap<Uscc, OrgId> = BTreeMap::new();
        let mut held: Vec<(CompanyPrefix, OrgId)> = Vec::new();
        for (i, org) in self.organisations.iter().enumerate() {
            if !is_valid_name(org.name.as_bytes()) {
                return Err(err(format!(
                    "organisation #{i} ({}) has name {:?}: a name must be 1 to {MAX_NAME_BYTES} bytes of UTF-8, \
                     not blank and without control characters",
                    org.uscc, org.name
                )));
            }
            let id = OrgId::try_from(i).map_err(|_| err("too many organisations".into()))?;
            let prefixes = sorted_distinct(&org.prefixes).map_err(|_| {
                err(format!(
                    "organisation #{i} ({}) lists company prefixes that repeat or start with one another, or more \
                     than {MAX_PREFIXES_PER_ORG}; list each GS1 company prefix once",
                    org.uscc
                ))
            })?;
            for p in prefixes {
                if let Some((q, other)) = held.iter().find(|(q, _)| p.overlaps(q)) {
                    return Err(err(format!(
                        "company prefix {p} of organisation #{i} ({}) overlaps prefix {q} of organisation \
                         #{other}; a GTIN has one holder, give each prefix to one organisation",
                        org.uscc
                    )));
                }
                held.push((p, id));
            }
            if let Some(first) = ids.insert(org.uscc, id) {
                return Err(err(format!(
                    "USCC {} is listed for organisation #{first} and again for #{i}; each organisation has \
                     its own code, list it once",
                    org.uscc
                )));
            }
        }

        let mut seen = BTreeSet::new();
        let mut governors: u32 = 0;
        for a in &self.accounts {
            let Some(&org) = ids.get(&a.uscc) else {
                return Err(err(format!(
                    "account {} belongs to USCC {}, which no entry of `organisations` has; add the \
                     organisation or fix the code",
                    a.account, a.uscc
                )));
            };
            if !seen.insert(a.account) {
                return Err(err(format!(
                    "account {} is listed twice; an account belongs to one organisation, list it once",
                    a.account
                )));
            }
            if a.account.verifying_key().is_none() {
                return Err(err(format!(
                    "account {} is not a valid ed25519 public key",
                    a.account
                )));
            }
            if !a.roles.is_known() {
                return Err(err(format!(
                    "account {} has role bits of no known role",
                    a.account
                )));
            }
            let organisation = &self.organisations[org as usize];
            if let Some(role) = first_forbidden_role(organisation.kind, a.roles) {
                return Err(err(format!(
                    "account {} of organisation {} (kind {:?}) holds the {role:?} role, which an organisation of \
                     that kind may not hold (see membership's roles table: {:?} may hold {:?}); remove the role \
                     or correct the organisation's kind",
                    a.account,
                    a.uscc,
                    organisation.kind,
                    organisation.kind,
                    allowed_roles(organisation.kind),
                )));
            }
            if a.roles.contains(Role::Governance) && organisation.kind == OrgKind::Regulator {
                governors += 1;
            }
        }

        let validators = sorted_validator_set(self.validators.clone())
            .map_err(|e| err(format!("validators: {e}")))?;

        if self.regulator_threshold == 0 {
            return Err(err(
                "regulator_threshold is 0; it must be at least 1 (approvals a proposal needs)"
                    .into(),
            ));
        }
        if self.regulator_threshold > governors {
            return Err(err(format!(
                "regulator_threshold is {} but only {governors} accounts hold the governance role in regulator \
                 organisations; lower the threshold or give more regulator accounts the governance role",
                self.regulator_threshold
            )));
        }
        if self.proposal_lifetime == 0 {
            return Err(err(
                "proposal_lifetime is 0; proposals must stay open at least 1 block".into(),
            ));
        }
        Ok((ids, validators))
    }
}

impl GenesisBuild for GenesisConfig {
    fn build(&self) -> Result<(), GenesisError> {
        let (ids, validators) = self.check()?;
        for (id, org) in (0..).zip(&self.organisations) {
            let record = Organisation {
                name: org.name.as_bytes().to_vec(),
                kind: org.kind,
                uscc: org.uscc,
                status: OrgStatus::Active,
                admitted_at: 0,
            };
            Organisations::insert(&id, &record);
            OrgByUscc::insert(&org.uscc, &id);
            if let Ok(prefixes) = sorted_distinct(&org.prefixes) {
                put_prefixes(id, &prefixes);
            }
        }
        NextOrgId::put(&OrgId::try_from(self.organisations.len()).unwrap_or(OrgId::MAX));
        // The governance counts are built by the same writes as every later change.
        EligibleGovernors::put(&0);
        for a in &self.accounts {
            let record = Account {
                org: ids[&a.uscc],
                roles: a.roles,
                status: AccountStatus::Active,
            };
            write_account(&a.account, &record);
        }
        Validators::put(&validators);
        Threshold::put(&self.regulator_threshold);
        ProposalLifetime::put(&self.proposal_lifetime);
        NextProposalId::put(&0);
        Ok(())
    }
}
