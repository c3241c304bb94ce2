//! Regulator governance: M-of-N proposals over [`Action`]s, their approval, execution and expiry.
//!
//! An action is validated when proposed and again when the last needed approval arrives (state may have changed
//! in between, e.g. another proposal admitted the same USCC). If it no longer validates, that approval is refused
//! with the action's error and the proposal stays open until it expires.
//!
//! Governance is also the authority above every single regulator: [`Action::ReinstateAccount`] and
//! [`Action::ReinstateOrganisation`] lift a suspension whoever set it.
//!
//! Approvals are counted among the accounts that are governors *now* (active, Governance role, active regulator
//! organisation), so an approval by an account since suspended, demoted or force-rotated does not count.

use yima_frame::externalities::transactional;
use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{
    AccountId, BlockNumber, DispatchError, DispatchResult, OrgId, Origin, Role, Roles,
};

use crate::counts::{set_org_status, write_account};
use crate::dispatch::GovernanceDispatch;
use crate::prefixes::{check_prefixes, put_prefixes, CompanyPrefix};
use crate::roles::ensure_roles_allowed;

use crate::accounts::{
    ensure_fresh_key, ensure_governance_survives, ensure_known_roles, ensure_regulator_governor,
    governor_count, is_governor, target_account, touches_governance, Change,
};
use crate::{
    is_valid_name, sorted_validator_set, Account, AccountStatus, Action, Config, Error, Event,
    NextOrgId, NextProposalId, OrgByUscc, OrgKind, OrgStatus, Organisation, Organisations, Pallet,
    Proposal, ProposalId, ProposalLifetime, Proposals, Threshold, Uscc, Validator, Validators,
};

/// An action that passed validation, with what its execution needs.
enum Prepared {
    /// An encoded runtime call the runtime checked.
    Dispatch(Vec<u8>),
    Admit {
        name: Vec<u8>,
        kind: OrgKind,
        uscc: Uscc,
        admin: AccountId,
        prefixes: Vec<CompanyPrefix>,
    },
    SetPrefixes {
        org: OrgId,
        prefixes: Vec<CompanyPrefix>,
    },
    SetValidators(Vec<Validator>),
    SetThreshold(u32),
    ForceRotate {
        old: AccountId,
        new: AccountId,
        record: Account,
    },
    SetRoles {
        account: AccountId,
        record: Account,
    },
    ReinstateAccount {
        account: AccountId,
        record: Account,
    },
    ReinstateOrganisation {
        org: OrgId,
        record: Organisation,
    },
}

/// Checks `action` against the current state (a call to dispatch, with the runtime).
fn validate<T: Config>(action: &Action) -> Result<Prepared, DispatchError> {
    match action {
        Action::Dispatch { call } => {
            T::Dispatch::check(call)?;
            Ok(Prepared::Dispatch(call.clone()))
        }
        other => Ok(validate_membership(other)?),
    }
}

/// Checks a membership action against the current state.
fn validate_membership(action: &Action) -> Result<Prepared, Error> {
    Ok(match action {
        Action::Dispatch { .. } => return Err(Error::DispatchUnavailable),
        Action::AdmitOrganisation {
            name,
            kind,
            uscc,
            admin,
            prefixes,
        } => {
            if !is_valid_name(name) {
                return Err(Error::InvalidName);
            }
            if OrgByUscc::contains_key(uscc) {
                return Err(Error::DuplicateOrganisation);
            }
            ensure_fresh_key(admin)?;
            let prefixes = check_prefixes(None, prefixes)?;
            Prepared::Admit {
                name: name.clone(),
                kind: *kind,
                uscc: *uscc,
                admin: *admin,
                prefixes,
            }
        }
        Action::SetCompanyPrefixes { org, prefixes } => {
            if !Organisations::contains_key(org) {
                return Err(Error::UnknownOrganisation);
            }
            Prepared::SetPrefixes {
                org: *org,
                prefixes: check_prefixes(Some(*org), prefixes)?,
            }
        }
        Action::SetValidators { validators } => Prepared::SetValidators(
            sorted_validator_set(validators.clone()).map_err(|_| Error::InvalidValidatorSet)?,
        ),
        Action::SetThreshold { threshold } => {
            if *threshold == 0 || *threshold > governor_count(None) {
                return Err(Error::InvalidThreshold);
            }
            Prepared::SetThreshold(*threshold)
        }
        Action::ForceRotateKey { old, new } => {
            if old == new {
                return Err(Error::SameKey);
            }
            let record = target_account(old)?;
            ensure_fresh_key(new)?;
            Prepared::ForceRotate {
                old: *old,
                new: *new,
                record,
            }
        }
        Action::SetRoles { account, roles } => {
            let mut record = target_account(account)?;
            ensure_known_roles(*roles)?;
            let org = Organisations::get(&record.org).ok_or(Error::UnknownOrganisation)?;
            ensure_roles_allowed(org.kind, *roles)?;
            let loses_governance =
                touches_governance(&org, record.roles, *roles) && !roles.contains(Role::Governance);
            record.roles = *roles;
            if loses_governance {
                ensure_governance_survives(&Change::Account(account, &record))?;
            }
            Prepared::SetRoles {
                account: *account,
                record,
            }
        }
        Action::ReinstateAccount { account } => {
            let mut record = target_account(account)?;
            if record.status.is_active() {
                return Err(Error::NotSuspended);
            }
            record.status = AccountStatus::Active;
            Prepared::ReinstateAccount {
                account: *account,
                record,
            }
        }
        Action::ReinstateOrganisation { org } => {
            let record = Organisations::get(org).ok_or(Error::UnknownOrganisation)?;
            if record.status.is_active() {
                return Err(Error::NotSuspended);
            }
            Prepared::ReinstateOrganisation { org: *org, record }
        }
    })
}

impl<T: Config> Pallet<T> {
    /// Opens a proposal for `action`, approved by the signer (a Governance account of an active regulator
    /// organisation). With a threshold of 1 it executes at once.
    pub fn propose(origin: &Origin, action: Action) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        ensure_regulator_governor(signer)?;
        let prepared = validate::<T>(&action)?;

        // A dispatched call may fail after the first write: undo everything then.
        transactional(|| {
            let id = NextProposalId::get_or_default();
            let now = Self::block_number();
            let expires = now.saturating_add(ProposalLifetime::get_or_default());
            NextProposalId::put(&id.wrapping_add(1));
            Self::deposit_event(Event::Proposed {
                id,
                proposer: signer.account,
                action: action.clone(),
                expires,
            });
            if Threshold::get_or_default() <= 1 {
                Self::execute(id, prepared)?;
            } else {
                let proposal = Proposal {
                    proposer: signer.account,
                    action,
                    approvals: vec![signer.account],
                    created: now,
                    expires,
                };
                Proposals::insert(&id, &proposal);
            }
            Ok(())
        })
    }

    /// Approves proposal `id` (by a Governance account of an active regulator organisation); when the approvals
    /// of current governors reach the threshold, the action is validated again and executed.
    pub fn approve(origin: &Origin, id: ProposalId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        ensure_regulator_governor(signer)?;
        let mut proposal = Proposals::get(&id).ok_or(Error::UnknownProposal)?;
        if proposal.expires < Self::block_number() {
            return Err(Error::ProposalExpired.into());
        }
        match proposal.approvals.binary_search(&signer.account) {
            Ok(_) => return Err(Error::AlreadyApproved.into()),
            Err(at) => proposal.approvals.insert(at, signer.account),
        }
        let approvals = proposal.approvals.iter().filter(|a| is_governor(a)).count();
        let reached = u32::try_from(approvals).unwrap_or(u32::MAX) >= Threshold::get_or_default();
        let prepared = if reached {
            Some(validate::<T>(&proposal.action)?)
        } else {
            None
        };

        transactional(|| {
            Self::deposit_event(Event::Approved {
                id,
                approver: signer.account,
            });
            match prepared {
                Some(prepared) => {
                    Proposals::remove(&id);
                    Self::execute(id, prepared)?;
                }
                None => Proposals::insert(&id, &proposal),
            }
            Ok(())
        })
    }

    /// Removes the proposals whose last block is before `n`.
    pub(crate) fn expire_proposals(n: BlockNumber) {
        let mut expired: Vec<ProposalId> = Proposals::iter()
            .into_iter()
            .filter(|(_, p)| p.expires < n)
            .map(|(id, _)| id)
            .collect();
        expired.sort_unstable();
        for id in expired {
            Proposals::remove(&id);
            Self::deposit_event(Event::ProposalExpired { id });
        }
    }

    /// Carries out a validated action of proposal `id` (already removed from open proposals). Only a dispatched
    /// call can fail here; the caller's storage transaction then undoes everything.
    fn execute(id: ProposalId, prepared: Prepared) -> DispatchResult {
        match prepared {
            Prepared::Dispatch(call) => T::Dispatch::dispatch(&call)?,
            Prepared::Admit {
                name,
                kind,
                uscc,
                admin,
                prefixes,
            } => {
                let org = NextOrgId::get_or_default();
                let record = Organisation {
                    name,
                    kind,
                    uscc,
                    status: OrgStatus::Active,
                    admitted_at: Self::block_number(),
                };
                Organisations::insert(&org, &record);
                OrgByUscc::insert(&uscc, &org);
                NextOrgId::put(&(org + 1));
                let roles = Roles::of(&[Role::Admin, Role::Operator]);
                let account = Account {
                    org,
                    roles,
                    status: AccountStatus::Active,
                };
                write_account(&admin, &account);
                Self::deposit_event(Event::OrganisationAdmitted { org, uscc, kind });
                Self::deposit_event(Event::AccountAdded {
                    account: admin,
                    org,
                    roles,
                });
                if !prefixes.is_empty() {
                    put_prefixes(org, &prefixes);
                    Self::deposit_event(Event::CompanyPrefixesSet { org, prefixes });
                }
            }
            Prepared::SetPrefixes { org, prefixes } => {
                put_prefixes(org, &prefixes);
                Self::deposit_event(Event::CompanyPrefixesSet { org, prefixes });
            }
            Prepared::SetValidators(validators) => {
                Validators::put(&validators);
                let hash = crate::validator_set_hash(&validators);
                Self::deposit_event(Event::ValidatorsChanged { validators, hash });
            }
            Prepared::SetThreshold(threshold) => {
                Threshold::put(&threshold);
                Self::deposit_event(Event::ThresholdChanged { threshold });
            }
            Prepared::ForceRotate { old, new, record } => {
                Self::move_account(&old, &new, &record, false);
            }
            Prepared::SetRoles { account, record } => {
                let roles = record.roles;
                write_account(&account, &record);
                Self::deposit_event(Event::RolesSet { account, roles });
            }
            Prepared::ReinstateAccount { account, record } => {
                write_account(&account, &record);
                Self::deposit_event(Event::AccountReinstated { account });
            }
            Prepared::ReinstateOrganisation { org, mut record } => {
                set_org_status(org, &mut record, OrgStatus::Active);
                Self::deposit_event(Event::OrganisationReinstated { org });
            }
        }
        Self::deposit_event(Event::ProposalExecuted { id });
        Ok(())
    }
}
