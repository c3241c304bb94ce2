//! # Membership pallet
//!
//! Who is on the chain (DOMAIN.md §1): organisations with their kind and unified social credit code ([`Uscc`]),
//! the accounts (ed25519 keys) that belong to them with their roles, key rotation, the consensus validator set,
//! and the regulators' M-of-N governance that admits organisations and changes the validator set.
//!
//! - Accounts: an organisation's Admin adds accounts to it; its Admin or a regulator's Governance account sets
//!   their roles and suspends them; an account rotates its own key ([`Call::RotateKey`]), carrying its nonce
//!   over, and the old key is refused for good.
//! - Roles by organisation kind ([`roles`], [`allowed_roles`]): Admin and Operator in every kind, Governance only
//!   in regulators, Inspector only in regulators, customs, CDCs, inspection and certification bodies and the kinds
//!   the shipped attestation schemas name as issuers (producers, retailers, caterers, supervised warehouses,
//!   hospitals). `AddAccount`, `SetRoles` and [`Action::SetRoles`] refuse anything else
//!   ([`Error::RoleNotAllowedForKind`]); so does the genesis check.
//! - Suspension records who suspended ([`AccountStatus::Suspended`] with a [`Suspender`],
//!   [`OrgStatus::Suspended`] with the regulator organisation), and only that authority or a higher one lifts it:
//!   an account its own organisation suspended is reinstated by its Admin or any regulator's Governance account;
//!   one a regulator suspended, only by a Governance account of that regulator organisation or by an approved
//!   proposal ([`Action::ReinstateAccount`]). A regulator may take over a suspension by the account's own
//!   organisation, so an Admin cannot pre-empt it.
//! - Organisations: a single regulator Governance account may suspend another organisation (urgent enforcement);
//!   only the suspending regulator's Governance accounts, or a proposal ([`Action::ReinstateOrganisation`]),
//!   reinstate it; admitting one takes a proposal.
//! - Governance: a Governance account of an active regulator organisation proposes an [`Action`]; when as many
//!   *currently eligible* Governance accounts as [`Threshold`] approve, it executes. Proposals expire after
//!   [`ProposalLifetime`] blocks. The Governance role of an account in a regulator organisation itself changes
//!   only through a proposal ([`Action::SetRoles`]), and no call may leave fewer eligible Governance accounts than
//!   the threshold, so governance can neither be captured by one key nor locked out. The counts this needs are
//!   kept in storage on every write that changes them ([`GovernorsByOrg`], [`EligibleGovernors`]), never
//!   scanned.
//!
//! - Governance dispatch ([`Action::Dispatch`], [`dispatch`]): a proposal may make another pallet's root-only
//!   call (register an attestation schema, change a policy), decoded and dispatched by the runtime.
//!
//! The runtime resolves every transaction's signer with [`Pallet::resolve_signer`] before dispatch, and builds
//! headers' validator hashes with [`validator_set_hash`].
//!
//! Every call checks everything before its first write.

mod accounts;
mod counts;
mod decider;
pub mod dispatch;
mod genesis;
mod governance;
pub mod prefixes;
pub mod roles;
mod tester;
pub mod testing;
pub mod types;
pub mod uscc;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{
    storage, AccountId, BlockNumber, DispatchResult, Hash, Hooks, OrgId, Origin, Roles, Signer,
};

pub use decider::regulator_decides;
pub use dispatch::GovernanceDispatch;
pub use genesis::{GenesisAccount, GenesisConfig, GenesisOrganisation};
pub use prefixes::{CompanyPrefix, CompanyPrefixError};
pub use roles::allowed_roles;
pub use tester::{tester, Tester};
pub use types::{
    is_valid_name, sorted_validator_set, Account, AccountStatus, Action, OrgKind, OrgStatus,
    Organisation, Proposal, ProposalId, Suspender, Validator, ValidatorSetError, MAX_NAME_BYTES,
    MAX_TOTAL_POWER,
};
pub use uscc::{Uscc, UsccError};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "Membership";

/// What the runtime supplies to the membership pallet.
pub trait Config: yima_system::Config<RuntimeEvent: From<Event>> {
    /// How an approved [`Action::Dispatch`] makes its call (`()` refuses them all).
    type Dispatch: GovernanceDispatch;
}

storage! {
    pallet "Membership";
    /// Every admitted organisation.
    pub Organisations: map OrgId => Organisation;
    /// The organisation holding each USCC.
    pub OrgByUscc: map Uscc => OrgId;
    /// The id the next admitted organisation gets.
    pub NextOrgId: value OrgId;
    /// Every member account, by its current key.
    pub Accounts: map AccountId => Account;
    /// Keys rotated away, old → new; an old key never signs again and is never reused.
    pub RotatedKeys: map AccountId => AccountId;
    /// The consensus validators: sorted by key, unique keys, positive powers, never empty.
    pub Validators: value Vec<Validator>;
    /// Approvals a proposal needs.
    pub Threshold: value u32;
    /// Blocks a proposal stays open after the block it was proposed in.
    pub ProposalLifetime: value BlockNumber;
    /// Open proposals.
    pub Proposals: map ProposalId => Proposal;
    /// The id the next proposal gets.
    pub NextProposalId: value ProposalId;
    /// Active Governance accounts of each regulator organisation (whatever the organisation's status; absent
    /// when none), kept on every write that changes them.
    pub GovernorsByOrg: map OrgId => u32;
    /// Accounts that may approve proposals: active Governance accounts of active regulator organisations.
    pub EligibleGovernors: value u32;
    /// The organisation holding each GS1 company prefix ([`prefixes`]); no two overlap.
    pub PrefixHolders: map CompanyPrefix => OrgId;
    /// Each organisation's company prefixes, sorted (absent: none).
    pub OrgPrefixes: map OrgId => Vec<CompanyPrefix>;
}

/// The SHA-256 of the SCALE encoding of a validator set (as stored: sorted by key); the header's
/// `validators_hash` and `next_validators_hash`.
pub fn validator_set_hash(validators: &[Validator]) -> Hash {
    yima_frame::sha256(&validators.encode())
}

/// What other pallets ask membership, through their own `Config`.
pub trait MembershipInspect {
    /// The kind of organisation `org`, if it exists.
    fn org_kind(org: OrgId) -> Option<OrgKind>;
    /// Whether `org` exists and is not suspended.
    fn org_is_active(org: OrgId) -> bool;
    /// The organisation holding the GS1 company prefix `gtin` is allocated under: the GTIN-14 without its
    /// indicator digit starts with one of that organisation's prefixes (lengths 6 to 12 are tried: at most seven
    /// reads). A GTIN-8 is held through the 12-digit prefix `00000` + its first seven digits (see [`prefixes`]).
    fn company_prefix_holder(gtin: &yima_codes::Gtin) -> Option<OrgId>;
}

/// Events of the membership pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// An organisation was admitted.
    #[codec(index = 0)]
    OrganisationAdmitted {
        /// Its id.
        org: OrgId,
        /// Its USCC.
        uscc: Uscc,
        /// What it is.
        kind: OrgKind,
    },
    /// An organisation was suspended.
    #[codec(index = 1)]
    OrganisationSuspended {
        /// Its id.
        org: OrgId,
        /// The regulator organisation that suspended it (and alone, short of a proposal, may reinstate it).
        by: OrgId,
    },
    /// A suspended organisation was reinstated.
    #[codec(index = 2)]
    OrganisationReinstated {
        /// Its id.
        org: OrgId,
    },
    /// An account was added to an organisation.
    #[codec(index = 3)]
    AccountAdded {
        /// The account.
        account: AccountId,
        /// Its organisation.
        org: OrgId,
        /// Its roles.
        roles: Roles,
    },
    /// An account's roles were replaced.
    #[codec(index = 4)]
    RolesSet {
        /// The account.
        account: AccountId,
        /// Its new roles.
        roles: Roles,
    },
    /// An account was suspended (or a suspension by its own organisation was taken over by a regulator).
    #[codec(index = 5)]
    AccountSuspended {
        /// The account.
        account: AccountId,
        /// Who suspended it, which decides who may reinstate it.
        by: Suspender,
    },
    /// A suspended account was reinstated.
    #[codec(index = 6)]
    AccountReinstated {
        /// The account.
        account: AccountId,
    },
    /// An account's key was replaced (by itself, or by regulators for a compromised key).
    #[codec(index = 7)]
    KeyRotated {
        /// The key that no longer signs.
        old: AccountId,
        /// The key that signs from now on.
        new: AccountId,
    },
    /// A regulator proposal was opened, with its proposer's approval.
    #[codec(index = 8)]
    Proposed {
        /// Its id.
        id: ProposalId,
        /// Who proposed it.
        proposer: AccountId,
        /// What it does.
        action: Action,
        /// The last block in which it can be approved.
        expires: BlockNumber,
    },
    /// A regulator approved a proposal.
    #[codec(index = 9)]
    Approved {
        /// The proposal.
        id: ProposalId,
        /// Who approved.
        approver: AccountId,
    },
    /// A proposal reached the threshold and its action was carried out.
    #[codec(index = 10)]
    ProposalExecuted {
        /// The proposal.
        id: ProposalId,
    },
    /// A proposal expired without reaching the threshold and was removed.
    #[codec(index = 11)]
    ProposalExpired {
        /// The proposal.
        id: ProposalId,
    },
    /// The validator set changed.
    #[codec(index = 12)]
    ValidatorsChanged {
        /// The new set, sorted by key.
        validators: Vec<Validator>,
        /// Its [`validator_set_hash`].
        hash: Hash,
    },
    /// The approval threshold changed.
    #[codec(index = 13)]
    ThresholdChanged {
        /// The new threshold.
        threshold: u32,
    },
    /// An organisation's GS1 company prefixes were declared (at admission) or replaced (by governance).
    #[codec(index = 20)]
    CompanyPrefixesSet {
        /// The organisation.
        org: OrgId,
        /// All its prefixes now, sorted (empty: none).
        prefixes: Vec<CompanyPrefix>,
    },
}

/// Why a membership call was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// No such account.
    #[error(
        "no such account: the key is not a member; ask an admin of your organisation to add it"
    )]
    UnknownAccount,
    /// The key was rotated away.
    #[error("this key was rotated away and never signs again; sign with the account's new key")]
    KeyRotatedAway,
    /// The account is suspended.
    #[error(
        "the account is suspended; ask whoever suspended it (its organisation's admin, or the regulator) to \
         reinstate it"
    )]
    AccountSuspended,
    /// The organisation is suspended.
    #[error(
        "the organisation is suspended; a regulator must reinstate it before its accounts can act"
    )]
    OrganisationSuspended,
    /// No such organisation.
    #[error("no such organisation id; query the organisations to find the right one")]
    UnknownOrganisation,
    /// The key already belongs to an account.
    #[error("the key already belongs to a member account; generate a fresh key")]
    AccountExists,
    /// The account belongs to another organisation.
    #[error("the account belongs to another organisation; only its own admin or a regulator may manage it")]
    NotSameOrganisation,
    /// The signer's organisation is not a regulator.
    #[error("only Governance accounts of a regulator organisation may do this")]
    NotRegulator,
    /// The USCC is already admitted.
    #[error("an organisation with this USCC is already admitted; check the code or manage the existing one")]
    DuplicateOrganisation,
    /// The organisation name is unacceptable.
    #[error("an organisation name must be 1 to 128 bytes of UTF-8, not blank and without control characters")]
    InvalidName,
    /// Role bits outside the known roles.
    #[error("the role set holds bits of no known role; use only Admin, Operator, Inspector and Governance")]
    UnknownRoles,
    /// No such proposal.
    #[error("no such open proposal: it never existed, was executed, or expired; propose again if needed")]
    UnknownProposal,
    /// The proposal's lifetime is over.
    #[error("the proposal has expired; propose it again")]
    ProposalExpired,
    /// The signer already approved.
    #[error("this account has already approved the proposal; other regulators must approve it")]
    AlreadyApproved,
    /// The validator set breaks a rule.
    #[error(
        "invalid validator set: it must be non-empty, with unique valid ed25519 keys and positive powers \
         whose total fits in 64 bits"
    )]
    InvalidValidatorSet,
    /// The threshold is 0 or unreachable.
    #[error(
        "the threshold must be at least 1 and at most the number of active Governance accounts in active \
         regulator organisations"
    )]
    InvalidThreshold,
    /// A regulator tried to suspend its own organisation.
    #[error("a regulator cannot suspend its own organisation; ask another regulator")]
    CannotSuspendOwnOrganisation,
    /// The new key is the old key.
    #[error("the new key is the current key; generate a different key")]
    SameKey,
    /// The key is not an ed25519 public key.
    #[error("the key is not a valid ed25519 public key, so it could never sign; check how it was encoded")]
    InvalidKey,
    /// The account or organisation is already suspended.
    #[error("the account or organisation is already suspended; there is nothing to do")]
    AlreadySuspended,
    /// The account or organisation is not suspended.
    #[error("the account or organisation is not suspended; there is nothing to reinstate")]
    NotSuspended,
    /// The Governance role of a regulator's account changes only through a proposal.
    #[error(
        "granting or withdrawing the Governance role in a regulator organisation needs a proposal \
         (Action::SetRoles) approved by the threshold of regulators"
    )]
    GovernanceRoleByProposal,
    /// The change would leave fewer eligible Governance accounts than the threshold.
    #[error(
        "this would leave fewer active Governance accounts in active regulator organisations than the \
         approval threshold, locking governance; lower the threshold first"
    )]
    ThresholdUnreachable,
    /// This chain's runtime does not let governance dispatch calls.
    #[error(
        "this runtime does not let governance dispatch calls; use a membership action instead"
    )]
    DispatchUnavailable,
    /// The proposed call does not decode as a call of this runtime.
    #[error(
        "the proposed call does not decode as a call of this runtime; encode a RuntimeCall with the \
         client of this chain's spec version"
    )]
    UndecodableCall,
    /// Governance changes membership through its own actions, not by dispatching membership calls.
    #[error(
        "membership calls cannot be dispatched by governance; propose the matching action \
         (AdmitOrganisation, SetValidators, SetRoles …) instead"
    )]
    DispatchToMembership,
    /// The organisation's kind may not hold one of the roles.
    #[error(
        "an organisation of this kind may not hold one of these roles (Inspector only in regulators, customs, \
         CDCs, inspection and certification bodies and the kinds that issue attestations; Governance only in \
         regulators); leave the role out, or have the body that holds it do the work"
    )]
    RoleNotAllowedForKind,
    /// A regulator suspended this, and only that regulator or a proposal lifts it.
    #[error(
        "a regulator suspended this; only a Governance account of that regulator organisation, or an approved \
         proposal (Action::ReinstateAccount or Action::ReinstateOrganisation), may reinstate it"
    )]
    SuspendedByRegulator,
    /// A company prefix list that repeats or nests a prefix, or is too long.
    #[error(
        "the company prefixes overlap each other (one starts with another) or are more than 64; list each \
         GS1 company prefix once"
    )]
    InvalidCompanyPrefixes,
    /// A company prefix overlaps one another organisation holds.
    #[error(
        "a company prefix overlaps one another organisation holds (one starts with the other); check the GS1 \
         licence, or have the regulators correct the other organisation's prefixes first"
    )]
    CompanyPrefixHeld,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the membership pallet. Indices are stable: a transaction signed today decodes the same forever.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Adds `account` to the signer's organisation (signer needs Admin).
    #[codec(index = 0)]
    AddAccount {
        /// The new account's key.
        account: AccountId,
        /// Its roles.
        roles: Roles,
    },
    /// Replaces an account's roles (its organisation's Admin, or a regulator's Governance account).
    #[codec(index = 1)]
    SetRoles {
        /// The account.
        account: AccountId,
        /// Its new roles.
        roles: Roles,
    },
    /// Suspends an account (same authority as `SetRoles`); records whether its own organisation or a regulator
    /// suspended it. A regulator may take over a suspension by the account's own organisation.
    #[codec(index = 2)]
    SuspendAccount {
        /// The account.
        account: AccountId,
    },
    /// Reinstates a suspended account: suspended by its own organisation, its Admin or any regulator's
    /// Governance account; suspended by a regulator, only a Governance account of that regulator organisation.
    #[codec(index = 3)]
    ReinstateAccount {
        /// The account.
        account: AccountId,
    },
    /// Moves the signer's account to a new key; the signer's key never signs again.
    #[codec(index = 4)]
    RotateKey {
        /// The new key.
        new: AccountId,
    },
    /// Suspends an organisation (a Governance account of another, active regulator organisation).
    #[codec(index = 5)]
    SuspendOrganisation {
        /// The organisation.
        org: OrgId,
    },
    /// Reinstates a suspended organisation (a Governance account of the regulator organisation that suspended
    /// it).
    #[codec(index = 6)]
    ReinstateOrganisation {
        /// The organisation.
        org: OrgId,
    },
    /// Opens a regulator proposal, approved by the proposer.
    #[codec(index = 7)]
    Propose {
        /// What it does.
        action: Action,
    },
    /// Approves a regulator proposal; at the threshold it executes.
    #[codec(index = 8)]
    Approve {
        /// The proposal.
        id: ProposalId,
    },
}

/// The membership pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::AddAccount { account, roles } => Self::add_account(origin, account, roles),
            Call::SetRoles { account, roles } => Self::set_roles(origin, account, roles),
            Call::SuspendAccount { account } => Self::suspend_account(origin, account),
            Call::ReinstateAccount { account } => Self::reinstate_account(origin, account),
            Call::RotateKey { new } => Self::rotate_key(origin, new),
            Call::SuspendOrganisation { org } => Self::suspend_organisation(origin, org),
            Call::ReinstateOrganisation { org } => Self::reinstate_organisation(origin, org),
            Call::Propose { action } => Self::propose(origin, action),
            Call::Approve { id } => Self::approve(origin, id),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {
    fn on_initialize(n: BlockNumber) {
        Self::expire_proposals(n);
    }
}

impl<T: Config> Pallet<T> {
    /// The signer of a transaction by `account`, as dispatch sees it; refused when the key was rotated away, is
    /// not a member, is suspended, or belongs to a suspended organisation.
    pub fn resolve_signer(account: &AccountId) -> Result<Signer, Error> {
        if RotatedKeys::contains_key(account) {
            return Err(Error::KeyRotatedAway);
        }
        let record = Accounts::get(account).ok_or(Error::UnknownAccount)?;
        if !record.status.is_active() {
            return Err(Error::AccountSuspended);
        }
        let org = Organisations::get(&record.org).ok_or(Error::UnknownOrganisation)?;
        if !org.status.is_active() {
            return Err(Error::OrganisationSuspended);
        }
        Ok(Signer {
            account: *account,
            org: record.org,
            roles: record.roles,
        })
    }

    /// The validator set in force, sorted by key.
    pub fn validators() -> Vec<Validator> {
        Validators::get_or_default()
    }

    /// An organisation by id.
    pub fn organisation(id: OrgId) -> Option<Organisation> {
        Organisations::get(&id)
    }

    /// The company prefixes of organisation `org`, sorted.
    pub fn company_prefixes(org: OrgId) -> Vec<CompanyPrefix> {
        OrgPrefixes::get(&org).unwrap_or_default()
    }

    /// The organisation holding `uscc`.
    pub fn org_by_uscc(uscc: &Uscc) -> Option<OrgId> {
        OrgByUscc::get(uscc)
    }

    /// An account by its current key.
    pub fn account(id: &AccountId) -> Option<Account> {
        Accounts::get(id)
    }

    /// The key `old` was rotated to, if it was.
    pub fn rotated_to(old: &AccountId) -> Option<AccountId> {
        RotatedKeys::get(old)
    }

    /// Approvals a proposal needs.
    pub fn threshold() -> u32 {
        Threshold::get_or_default()
    }

    /// Blocks a proposal stays open.
    pub fn proposal_lifetime() -> BlockNumber {
        ProposalLifetime::get_or_default()
    }

    /// Accounts that may approve proposals now: active Governance accounts of active regulator organisations.
    pub fn eligible_governors() -> u32 {
        EligibleGovernors::get_or_default()
    }

    /// Active Governance accounts of regulator organisation `org` (counted even while it is suspended).
    pub fn governors_of(org: OrgId) -> u32 {
        GovernorsByOrg::get(&org).unwrap_or(0)
    }

    /// An open proposal.
    pub fn proposal(id: ProposalId) -> Option<Proposal> {
        Proposals::get(&id)
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }

    pub(crate) fn block_number() -> BlockNumber {
        yima_system::Pallet::<T>::block_number()
    }
}

impl<T: Config> MembershipInspect for Pallet<T> {
    fn org_kind(org: OrgId) -> Option<OrgKind> {
        Organisations::get(&org).map(|o| o.kind)
    }

    fn org_is_active(org: OrgId) -> bool {
        Organisations::get(&org).is_some_and(|o| o.status.is_active())
    }

    fn company_prefix_holder(gtin: &yima_codes::Gtin) -> Option<OrgId> {
        prefixes::holder_of(gtin)
    }
}
