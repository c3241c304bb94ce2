//! The records membership keeps: organisations, accounts, validators and regulator proposals, and the checks on
//! them that both the calls and the genesis build use.

use parity_scale_codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use yima_frame::{AccountId, BlockNumber, OrgId, Roles};

use crate::prefixes::CompanyPrefix;
use crate::uscc::Uscc;

/// Most bytes of an organisation's name.
pub const MAX_NAME_BYTES: usize = 128;

/// What an organisation is (DOMAIN.md §1); pallets decide from it what the organisation may record.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, Encode, Decode, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Market regulation administration (市场监管局); its Governance accounts run regulator governance.
    #[codec(index = 0)]
    Regulator,
    /// Customs.
    #[codec(index = 1)]
    Customs,
    /// Centre for disease control (疾控).
    #[codec(index = 2)]
    Cdc,
    /// Manufacturer (of drugs, vaccines, food).
    #[codec(index = 3)]
    Manufacturer,
    /// Importer.
    #[codec(index = 4)]
    Importer,
    /// Farm or workshop producer.
    #[codec(index = 5)]
    Producer,
    /// Processor (transforms lots into other lots).
    #[codec(index = 6)]
    Processor,
    /// Cold warehouse.
    #[codec(index = 7)]
    ColdWarehouse,
    /// Supervised first-stop warehouse for imported cold-chain food (监管仓).
    #[codec(index = 8)]
    SupervisedWarehouse,
    /// Logistics carrier.
    #[codec(index = 9)]
    Carrier,
    /// Distributor.
    #[codec(index = 10)]
    Distributor,
    /// Retailer (商超, market stall).
    #[codec(index = 11)]
    Retailer,
    /// Caterer or canteen.
    #[codec(index = 12)]
    Caterer,
    /// Pharmacy.
    #[codec(index = 13)]
    Pharmacy,
    /// Hospital.
    #[codec(index = 14)]
    Hospital,
    /// Vaccination site.
    #[codec(index = 15)]
    VaccinationSite,
    /// Inspection or testing body.
    #[codec(index = 16)]
    InspectionBody,
    /// Certification body.
    #[codec(index = 17)]
    CertificationBody,
    /// Elevator maintenance firm (电梯维保单位): records the maintenance of the units it is contracted for.
    #[codec(index = 18)]
    MaintenanceFirm,
    /// Insurer: records the liability insurance of equipment (电梯安全责任保险).
    #[codec(index = 19)]
    Insurer,
}

/// Whether an organisation may act.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum OrgStatus {
    /// Its accounts may sign.
    #[codec(index = 0)]
    Active,
    /// Suspended by a regulator: none of its accounts may sign until that regulator organisation (one of its
    /// Governance accounts) or an approved proposal ([`Action::ReinstateOrganisation`]) reinstates it.
    #[codec(index = 1)]
    Suspended {
        /// The regulator organisation that suspended it.
        by: OrgId,
    },
}

impl OrgStatus {
    /// Whether the organisation is active.
    pub fn is_active(self) -> bool {
        self == OrgStatus::Active
    }
}

/// An admitted organisation.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Organisation {
    /// Its registered name, UTF-8, 1 to [`MAX_NAME_BYTES`] bytes.
    pub name: Vec<u8>,
    /// What it is.
    pub kind: OrgKind,
    /// Its unified social credit code; unique on the chain.
    pub uscc: Uscc,
    /// Whether it may act.
    pub status: OrgStatus,
    /// The block it was admitted in (0 for genesis).
    pub admitted_at: BlockNumber,
}

/// Whether an account may sign.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum AccountStatus {
    /// It may sign.
    #[codec(index = 0)]
    Active,
    /// Suspended; `by` says who, and so who may reinstate it.
    #[codec(index = 1)]
    Suspended {
        /// Who suspended it.
        by: Suspender,
    },
}

impl AccountStatus {
    /// Whether the account is active.
    pub fn is_active(self) -> bool {
        self == AccountStatus::Active
    }
}

/// Who suspended an account, which decides who may reinstate it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Suspender {
    /// An Admin of the account's own organisation: its Admin, or a Governance account of any active regulator
    /// organisation, may reinstate it.
    #[codec(index = 0)]
    OwnOrganisation,
    /// A Governance account of this regulator organisation: only a Governance account of the same organisation,
    /// or an approved proposal ([`Action::ReinstateAccount`]), may reinstate it.
    #[codec(index = 1)]
    Regulator(OrgId),
}

/// A member account (its key is the map key).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Account {
    /// The organisation it belongs to.
    pub org: OrgId,
    /// The roles it holds there.
    pub roles: Roles,
    /// Whether it may sign.
    pub status: AccountStatus,
}

/// One consensus validator.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validator {
    /// Its ed25519 consensus key.
    pub key: AccountId,
    /// Its voting power; positive.
    pub power: u64,
}

/// Identifier of a regulator proposal.
pub type ProposalId = u32;

/// What a regulator proposal does once enough Governance accounts approve it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Action {
    /// Admits an organisation and creates its first account with the Admin and Operator roles.
    #[codec(index = 0)]
    AdmitOrganisation {
        /// Its name (UTF-8, 1 to 128 bytes).
        name: Vec<u8>,
        /// What it is.
        kind: OrgKind,
        /// Its USCC; must not be admitted yet.
        uscc: Uscc,
        /// Its first account.
        admin: AccountId,
        /// The GS1 company prefixes it holds (attested by the regulators who approve the admission); none may
        /// overlap another organisation's.
        prefixes: Vec<CompanyPrefix>,
    },
    /// Replaces the validator set (sorted by key when stored).
    #[codec(index = 1)]
    SetValidators {
        /// The new set: not empty, unique valid ed25519 keys, positive powers.
        validators: Vec<Validator>,
    },
    /// Changes how many approvals a proposal needs.
    #[codec(index = 2)]
    SetThreshold {
        /// At least 1 and at most the number of active Governance accounts in active regulator organisations.
        threshold: u32,
    },
    /// Replaces a compromised key: the account record moves from `old` to `new`, approvals `old` gave to open
    /// proposals are dropped.
    #[codec(index = 3)]
    ForceRotateKey {
        /// The compromised key.
        old: AccountId,
        /// Its replacement.
        new: AccountId,
    },
    /// Sets the roles of any account, within what its organisation's kind allows ([`crate::roles`]). The only
    /// way to grant or withdraw the Governance role of an account in a regulator organisation, so that no single
    /// admin or regulator can add votes to the M-of-N.
    #[codec(index = 4)]
    SetRoles {
        /// The account.
        account: AccountId,
        /// Its new roles.
        roles: Roles,
    },
    /// Makes another pallet's root-only call (e.g. `Attestation::RegisterSchema`), SCALE-encoded as the
    /// runtime's call; see [`crate::dispatch`].
    #[codec(index = 5)]
    Dispatch {
        /// The encoded runtime call.
        call: Vec<u8>,
    },
    /// Reinstates a suspended account, whoever suspended it (the authority above every single regulator).
    #[codec(index = 6)]
    ReinstateAccount {
        /// The account.
        account: AccountId,
    },
    /// Reinstates a suspended organisation, whichever regulator suspended it.
    #[codec(index = 7)]
    ReinstateOrganisation {
        /// The organisation.
        org: OrgId,
    },
    /// Replaces the GS1 company prefixes an organisation holds (a licence granted, moved or withdrawn); the
    /// products it already registered keep their owner.
    #[codec(index = 8)]
    SetCompanyPrefixes {
        /// The organisation.
        org: OrgId,
        /// All its prefixes from now on (empty: none); none may overlap another organisation's.
        prefixes: Vec<CompanyPrefix>,
    },
}

/// An open regulator proposal.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Proposal {
    /// Who proposed it (its approval is the first).
    pub proposer: AccountId,
    /// What it does.
    pub action: Action,
    /// Who approved it, sorted and unique.
    pub approvals: Vec<AccountId>,
    /// The block it was proposed in.
    pub created: BlockNumber,
    /// The last block in which it can be approved; it is removed at the start of the next.
    pub expires: BlockNumber,
}

/// Whether `name` is an acceptable organisation name: UTF-8, 1 to [`MAX_NAME_BYTES`] bytes, not only
/// whitespace, no control characters.
pub fn is_valid_name(name: &[u8]) -> bool {
    if name.is_empty() || name.len() > MAX_NAME_BYTES {
        return false;
    }
    match std::str::from_utf8(name) {
        Ok(s) => !s.trim().is_empty() && !s.chars().any(char::is_control),
        Err(_) => false,
    }
}

/// Why a validator set is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidatorSetError {
    /// No validator at all.
    #[error("the validator set is empty; list at least one validator")]
    Empty,
    /// A validator without voting power.
    #[error("validator {0} has power 0; give every validator a positive power or leave it out")]
    ZeroPower(AccountId),
    /// The same key twice.
    #[error("validator {0} is listed twice; list each consensus key once")]
    DuplicateKey(AccountId),
    /// Bytes that are not an ed25519 public key.
    #[error("validator key {0} is not a valid ed25519 public key")]
    InvalidKey(AccountId),
    /// Total power above [`MAX_TOTAL_POWER`].
    #[error("the validators' total power exceeds {max}; use smaller powers", max = MAX_TOTAL_POWER)]
    PowerOverflow,
}

/// The largest total voting power a set may have: consensus computes thresholds as `3 × power` in 64 bits, so
/// anything above a third of `u64::MAX` would halt every node.
pub const MAX_TOTAL_POWER: u64 = u64::MAX / 3;

/// Checks a validator set and returns it sorted by key, as it is stored and hashed.
pub fn sorted_validator_set(
    mut validators: Vec<Validator>,
) -> Result<Vec<Validator>, ValidatorSetError> {
    if validators.is_empty() {
        return Err(ValidatorSetError::Empty);
    }
    let mut total: u64 = 0;
    for v in &validators {
        if v.power == 0 {
            return Err(ValidatorSetError::ZeroPower(v.key));
        }
        if v.key.verifying_key().is_none() {
            return Err(ValidatorSetError::InvalidKey(v.key));
        }
        total = total
            .checked_add(v.power)
            .filter(|t| *t <= MAX_TOTAL_POWER)
            .ok_or(ValidatorSetError::PowerOverflow)?;
    }
    validators.sort_by_key(|v| v.key);
    if let Some(pair) = validators.windows(2).find(|w| w[0].key == w[1].key) {
        return Err(ValidatorSetError::DuplicateKey(pair[0].key));
    }
    Ok(validators)
}
