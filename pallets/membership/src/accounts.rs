//! The account and organisation calls: adding accounts, setting roles, suspending and reinstating accounts and
//! organisations, key rotation — and the authority checks they share with governance.

use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{AccountId, DispatchError, DispatchResult, OrgId, Origin, Role, Roles, Signer};

use crate::counts::{holds_governance, set_org_status, write_account};
use crate::roles::ensure_roles_allowed;
use crate::{
    Account, AccountStatus, Accounts, Config, EligibleGovernors, Error, Event, GovernorsByOrg,
    OrgKind, OrgStatus, Organisation, Organisations, Pallet, Proposals, RotatedKeys, Suspender,
    Threshold,
};

/// A change not yet written, to ask "how many governors would there be after it?".
pub(crate) enum Change<'a> {
    /// `account` would hold this record.
    Account(&'a AccountId, &'a Account),
    /// The organisation would have this status.
    Org(OrgId, OrgStatus),
}

/// Whether `org` is an active regulator organisation.
fn org_governs(org: OrgId) -> bool {
    Organisations::get(&org).is_some_and(|o| o.kind == OrgKind::Regulator && o.status.is_active())
}

/// Whether `record` may approve proposals (active, Governance, in an active regulator organisation).
fn counts_now(record: &Account) -> bool {
    holds_governance(record) && org_governs(record.org)
}

/// Number of accounts that may approve proposals — active, with the Governance role, in an active regulator
/// organisation — as it would be after `change`; read from the counts kept in storage ([`crate::counts`]).
pub(crate) fn governor_count(change: Option<&Change<'_>>) -> u32 {
    let now = EligibleGovernors::get_or_default();
    match change {
        None => now,
        Some(Change::Account(key, new)) => {
            let before = Accounts::get(key).is_some_and(|r| counts_now(&r));
            let after = counts_now(new);
            match (before, after) {
                (true, false) => now.saturating_sub(1),
                (false, true) => now.saturating_add(1),
                _ => now,
            }
        }
        Some(Change::Org(org, status)) => {
            let Some(record) = Organisations::get(org) else {
                return now;
            };
            if record.kind != OrgKind::Regulator {
                return now;
            }
            let members = GovernorsByOrg::get(org).unwrap_or(0);
            match (record.status.is_active(), status.is_active()) {
                (true, false) => now.saturating_sub(members),
                (false, true) => now.saturating_add(members),
                _ => now,
            }
        }
    }
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
    Accounts::get(account).is_some_and(|r| counts_now(&r))
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
    signer.roles.contains(Role::Governance) && org_governs(signer.org)
}

/// Refuses unless the signer is a Governance account of an active regulator organisation.
pub(crate) fn ensure_regulator_governor(signer: &Signer) -> Result<(), DispatchError> {
    signer.ensure_role(Role::Governance)?;
    let org = org_record(signer.org)?;
    if org.kind != OrgKind::Regulator {
        return Err(Error::NotRegulator.into());
    }
    if !org.status.is_active() {
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

/// Refuses unless the signer may reinstate `target`: whoever may manage it ([`ensure_account_authority`]) when
/// its own organisation suspended it; only a Governance account of the suspending regulator organisation when a
/// regulator did.
fn ensure_reinstate_authority(signer: &Signer, target: &Account) -> Result<(), DispatchError> {
    ensure_account_authority(signer, target)?;
    match target.status {
        AccountStatus::Active => Err(Error::NotSuspended.into()),
        AccountStatus::Suspended {
            by: Suspender::OwnOrganisation,
        } => Ok(()),
        AccountStatus::Suspended {
            by: Suspender::Regulator(regulator),
        } => {
            if is_regulator_governor(signer) && signer.org == regulator {
                Ok(())
            } else {
                Err(Error::SuspendedByRegulator.into())
            }
        }
    }
}

impl<T: Config> Pallet<T> {
    /// Adds `account` with `roles` to the signer's organisation; the signer needs Admin.
    pub fn add_account(origin: &Origin, account: AccountId, roles: Roles) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Admin)?;
        ensure_known_roles(roles)?;
        let org = org_record(signer.org)?;
        ensure_roles_allowed(org.kind, roles)?;
        if touches_governance(&org, Roles::NONE, roles) {
            return Err(Error::GovernanceRoleByProposal.into());
        }
        ensure_fresh_key(&account)?;

        let record = Account {
            org: signer.org,
            roles,
            status: AccountStatus::Active,
        };
        write_account(&account, &record);
        Self::deposit_event(Event::AccountAdded {
            account,
            org: signer.org,
            roles,
        });
        Ok(())
    }

    /// Replaces the roles of `account`; by an Admin of its organisation or a regulator's Governance account.
    /// The roles must be ones its organisation's kind may hold ([`crate::roles`]); the Governance role in a
    /// regulator organisation changes only through a proposal.
    pub fn set_roles(origin: &Origin, account: AccountId, roles: Roles) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = target_account(&account)?;
        ensure_account_authority(signer, &record)?;
        ensure_known_roles(roles)?;
        let org = org_record(record.org)?;
        ensure_roles_allowed(org.kind, roles)?;
        if touches_governance(&org, record.roles, roles) {
            return Err(Error::GovernanceRoleByProposal.into());
        }

        record.roles = roles;
        write_account(&account, &record);
        Self::deposit_event(Event::RolesSet { account, roles });
        Ok(())
    }

    /// Suspends `account`; same authority as [`Self::set_roles`]. The suspension records who suspended: a
    /// Governance account of an active regulator organisation suspends as that regulator, anyone else as the
    /// account's own organisation. A regulator may take over a suspension by the account's own organisation (so
    /// that an admin cannot pre-empt a regulator's suspension and lift it later); any other suspension of a
    /// suspended account is refused.
    pub fn suspend_account(origin: &Origin, account: AccountId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = target_account(&account)?;
        ensure_account_authority(signer, &record)?;
        let by = if is_regulator_governor(signer) {
            Suspender::Regulator(signer.org)
        } else {
            Suspender::OwnOrganisation
        };
        match (record.status, by) {
            (AccountStatus::Active, _)
            | (
                AccountStatus::Suspended {
                    by: Suspender::OwnOrganisation,
                },
                Suspender::Regulator(_),
            ) => {}
            _ => return Err(Error::AlreadySuspended.into()),
        }
        let was_governor = is_governor(&account);
        record.status = AccountStatus::Suspended { by };
        if was_governor {
            ensure_governance_survives(&Change::Account(&account, &record))?;
        }

        write_account(&account, &record);
        Self::deposit_event(Event::AccountSuspended { account, by });
        Ok(())
    }

    /// Reinstates a suspended `account`: one its own organisation suspended, by its Admin or a regulator's
    /// Governance account; one a regulator suspended, only by a Governance account of that regulator
    /// organisation (or by a proposal, [`crate::Action::ReinstateAccount`]).
    pub fn reinstate_account(origin: &Origin, account: AccountId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = target_account(&account)?;
        ensure_reinstate_authority(signer, &record)?;

        record.status = AccountStatus::Active;
        write_account(&account, &record);
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
        if !record.status.is_active() {
            return Err(Error::AlreadySuspended.into());
        }
        let status = OrgStatus::Suspended { by: signer.org };
        if record.kind == OrgKind::Regulator {
            ensure_governance_survives(&Change::Org(org, status))?;
        }

        set_org_status(org, &mut record, status);
        Self::deposit_event(Event::OrganisationSuspended {
            org,
            by: signer.org,
        });
        Ok(())
    }

    /// Reinstates a suspended organisation; by a Governance account of the active regulator organisation that
    /// suspended it (any other regulator needs a proposal, [`crate::Action::ReinstateOrganisation`]).
    pub fn reinstate_organisation(origin: &Origin, org: OrgId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        ensure_regulator_governor(signer)?;
        let mut record = org_record(org)?;
        match record.status {
            OrgStatus::Active => return Err(Error::NotSuspended.into()),
            OrgStatus::Suspended { by } if by != signer.org => {
                return Err(Error::SuspendedByRegulator.into())
            }
            OrgStatus::Suspended { .. } => {}
        }

        set_org_status(org, &mut record, OrgStatus::Active);
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
        // Same record, same organisation: the governance counts do not change.
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
