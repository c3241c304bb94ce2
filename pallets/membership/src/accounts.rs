//! The account and organisation calls: adding accounts, setting roles, suspending and reinstating accounts and
//! organisations, key rotation — and the authority checks they share with governance.

use std::collections::BTreeMap;

use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{AccountId, DispatchError, DispatchResult, OrgId, Origin, Role, Roles, Signer};

use crate::{
    Account, AccountStatus, Accounts, Config, Error, Event, OrgKind, OrgStatus, Organisation,
    Organisations, Pallet, Proposals, RotatedKeys, Threshold,
};

/// A change not yet written, to ask "how many governors would there be after it?".
pub(crate) enum Change<'a> {
    /// `account` would hold this record.
    Account(&'a AccountId, &'a Account),
    /// The organisation would have this status.
    Org(OrgId, OrgStatus),
}

/// Whether `org` is an active regulator, seen through `change`.
fn org_governs(org: OrgId, change: Option<&Change<'_>>) -> bool {
    let Some(record) = Organisations::get(&org) else {
        return false;
    };
    let status = match change {
        Some(Change::Org(id, status)) if *id == org => *status,
        _ => record.status,
    };
    record.kind == OrgKind::Regulator && status == OrgStatus::Active
}

fn holds_governance(record: &Account) -> bool {
    record.status == AccountStatus::Active && record.roles.contains(Role::Governance)
}

/// Number of accounts that may approve proposals — active, with the Governance role, in an active regulator
/// organisation — as it would be after `change`.
pub(crate) fn governor_count(change: Option<&Change<'_>>) -> u32 {
    let mut orgs: BTreeMap<OrgId, bool> = BTreeMap::new();
    let mut count = 0;
    for (key, stored) in Accounts::iter() {
        let record = match change {
            Some(Change::Account(k, r)) if **k == key => *r,
            _ => &stored,
        };
        if holds_governance(record)
            && *orgs
                .entry(record.org)
                .or_insert_with(|| org_governs(record.org, change))
        {
            count += 1;
        }
    }
    count
}

/// Refuses a change that would leave fewer governors than the threshold.
pub(crate) fn ensure_governance_survives(change: &Change<'_>) -> Result<(), Error> {
    if governor_count(Some(change)) < Threshold::get_or_default() {
        Err(Error::ThresholdUnreachable)
    } else {
        Ok(())
    }
}

/// Whether `account` may approve proposals now.
pub(crate) fn is_governor(account: &AccountId) -> bool {
    Accounts::get(account).is_some_and(|r| holds_governance(&r) && org_governs(r.org, None))
}

/// Refuses role sets with bits of no known role.
pub(crate) fn ensure_known_roles(roles: Roles) -> Result<(), Error> {
    if roles.is_known() {
        Ok(())
    } else {
        Err(Error::UnknownRoles)
    }
}

/// Refuses a key that cannot become a new account: rotated away, already a member, or not an ed25519 key.
pub(crate) fn ensure_fresh_key(key: &AccountId) -> Result<(), Error> {
    if RotatedKeys::contains_key(key) {
        return Err(Error::KeyRotatedAway);
    }
    if Accounts::contains_key(key) {
        return Err(Error::AccountExists);
    }
    if key.verifying_key().is_none() {
        return Err(Error::InvalidKey);
    }
    Ok(())
}

/// The record of an existing account that a call acts on.
pub(crate) fn target_account(account: &AccountId) -> Result<Account, Error> {
    if RotatedKeys::contains_key(account) {
        return Err(Error::KeyRotatedAway);
    }
    Accounts::get(account).ok_or(Error::UnknownAccount)
}

/// Whether a change of roles grants or withdraws Governance in a regulator organisation.
pub(crate) fn touches_governance(org: &Organisation, old: Roles, new: Roles) -> bool {
    org.kind == OrgKind::Regulator
        && old.contains(Role::Governance) != new.contains(Role::Governance)
}

fn org_record(org: OrgId) -> Result<Organisation, Error> {
    Organisations::get(&org).ok_or(Error::UnknownOrganisation)
}

/// Whether the signer is a Governance account of an active regulator organisation.
fn is_regulator_governor(signer: &Signer) -> bool {
    signer.roles.contains(Role::Governance) && org_governs(signer.org, None)
}

/// Refuses unless the signer is a Governance account of an active regulator organisation.
pub(crate) fn ensure_regulator_governor(signer: &Signer) -> Result<(), DispatchError> {
    signer.ensure_role(Role::Governance)?;
    let org = org_record(signer.org)?;
    if org.kind != OrgKind::Regulator {
        return Err(Error::NotRegulator.into());
    }
    if org.status != OrgStatus::Active {
        return Err(Error::OrganisationSuspended.into());
    }
    Ok(())
}

/// Refuses unless the signer may manage `target`: an Admin of its organisation, or a regulator's Governance
/// account.
fn ensure_account_authority(signer: &Signer, target: &Account) -> Result<(), DispatchError> {
    if is_regulator_governor(signer) {
        return Ok(());
    }
    if signer.org == target.org {
        return signer.ensure_role(Role::Admin);
    }
    if signer.roles.contains(Role::Governance) {
        Err(Error::NotRegulator.into())
    } else {
        Err(Error::NotSameOrganisation.into())
    }
}

impl<T: Config> Pallet<T> {
    /// Adds `account` with `roles` to the signer's organisation; the signer needs Admin.
    pub fn add_account(origin: &Origin, account: AccountId, roles: Roles) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Admin)?;
        ensure_known_roles(roles)?;
        let org = org_record(signer.org)?;
        if touches_governance(&org, Roles::NONE, roles) {
            return Err(Error::GovernanceRoleByProposal.into());
        }
        ensure_fresh_key(&account)?;

        let record = Account {
            org: signer.org,
            roles,
            status: AccountStatus::Active,
        };
        Accounts::insert(&account, &record);
        Self::deposit_event(Event::AccountAdded {
            account,
            org: signer.org,
            roles,
        });
        Ok(())
    }

    /// Replaces the roles of `account`; by an Admin of its organisation or a regulator's Governance account.
    /// The Governance role in a regulator organisation changes only through a proposal.
    pub fn set_roles(origin: &Origin, account: AccountId, roles: Roles) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = target_account(&account)?;
        ensure_account_authority(signer, &record)?;
        ensure_known_roles(roles)?;
        if touches_governance(&org_record(record.org)?, record.roles, roles) {
            return Err(Error::GovernanceRoleByProposal.into());
        }

        record.roles = roles;
        Accounts::insert(&account, &record);
        Self::deposit_event(Event::RolesSet { account, roles });
        Ok(())
    }

    /// Suspends `account`; same authority as [`Self::set_roles`].
    pub fn suspend_account(origin: &Origin, account: AccountId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = target_account(&account)?;
        ensure_account_authority(signer, &record)?;
        if record.status == AccountStatus::Suspended {
            return Err(Error::AlreadySuspended.into());
        }
        let was_governor = is_governor(&account);
        record.status = AccountStatus::Suspended;
        if was_governor {
            ensure_governance_survives(&Change::Account(&account, &record))?;
        }

        Accounts::insert(&account, &record);
        Self::deposit_event(Event::AccountSuspended { account });
        Ok(())
    }

    /// Reinstates a suspended `account`; same authority as [`Self::set_roles`].
    pub fn reinstate_account(origin: &Origin, account: AccountId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = target_account(&account)?;
        ensure_account_authority(signer, &record)?;
        if record.status == AccountStatus::Active {
            return Err(Error::NotSuspended.into());
        }

        record.status = AccountStatus::Active;
        Accounts::insert(&account, &record);
        Self::deposit_event(Event::AccountReinstated { account });
        Ok(())
    }

    /// Moves the signer's account to `new`: roles, organisation, status, nonce and approvals of open proposals
    /// follow; the signer's key is refused from now on.
    pub fn rotate_key(origin: &Origin, new: AccountId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let old = signer.account;
        if new == old {
            return Err(Error::SameKey.into());
        }
        let record = target_account(&old)?;
        ensure_fresh_key(&new)?;

        Self::move_account(&old, &new, &record, true);
        Ok(())
    }

    /// Suspends organisation `org`: none of its accounts may sign until it is reinstated. By a Governance account
    /// of another, active regulator organisation.
    pub fn suspend_organisation(origin: &Origin, org: OrgId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        ensure_regulator_governor(signer)?;
        let mut record = org_record(org)?;
        if org == signer.org {
            return Err(Error::CannotSuspendOwnOrganisation.into());
        }
        if record.status == OrgStatus::Suspended {
            return Err(Error::AlreadySuspended.into());
        }
        if record.kind == OrgKind::Regulator {
            ensure_governance_survives(&Change::Org(org, OrgStatus::Suspended))?;
        }

        record.status = OrgStatus::Suspended;
        Organisations::insert(&org, &record);
        Self::deposit_event(Event::OrganisationSuspended { org });
        Ok(())
    }

    /// Reinstates a suspended organisation; by a Governance account of an active regulator organisation.
    pub fn reinstate_organisation(origin: &Origin, org: OrgId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        ensure_regulator_governor(signer)?;
        let mut record = org_record(org)?;
        if record.status == OrgStatus::Active {
            return Err(Error::NotSuspended.into());
        }

        record.status = OrgStatus::Active;
        Organisations::insert(&org, &record);
        Self::deposit_event(Event::OrganisationReinstated { org });
        Ok(())
    }

    /// Moves `record` from `old` to `new` (all checks done): the old key is recorded as rotated away, the nonce
    /// carries over, and `old`'s approvals of open proposals move to `new` (`carry_approvals`) or are dropped
    /// (a compromised key's approvals are not trusted).
    pub(crate) fn move_account(
        old: &AccountId,
        new: &AccountId,
        record: &Account,
        carry_approvals: bool,
    ) {
        Accounts::remove(old);
        Accounts::insert(new, record);
        RotatedKeys::insert(old, new);
        let nonce = yima_system::Pallet::<T>::account_nonce(old);
        yima_system::Pallet::<T>::set_account_nonce(new, nonce);
        for (id, mut proposal) in Proposals::iter() {
            let Ok(at) = proposal.approvals.binary_search(old) else {
                continue;
            };
            proposal.approvals.remove(at);
            if carry_approvals {
                if let Err(at) = proposal.approvals.binary_search(new) {
                    proposal.approvals.insert(at, *new);
                }
            }
            Proposals::insert(&id, &proposal);
        }
        Self::deposit_event(Event::KeyRotated {
            old: *old,
            new: *new,
        });
    }
}
