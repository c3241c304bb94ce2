//! Who a call comes from: a signed account with its organisation and roles, or root (genesis and governance
//! outcomes).

use crate::error::DispatchError;
use crate::primitives::{AccountId, OrgId, Role, Roles};

/// A signing account as the executive resolved it from membership before dispatch.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Signer {
    /// The account (its ed25519 public key).
    pub account: AccountId,
    /// The organisation the account belongs to.
    pub org: OrgId,
    /// The roles the account holds in that organisation.
    pub roles: Roles,
}

impl Signer {
    /// Refuses with [`DispatchError::MissingRole`] unless the signer holds `role`.
    pub fn ensure_role(&self, role: Role) -> Result<(), DispatchError> {
        if self.roles.contains(role) {
            Ok(())
        } else {
            Err(DispatchError::MissingRole(role))
        }
    }
}

/// The origin of a dispatched call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Origin {
    /// Genesis, or the outcome of regulator governance.
    Root,
    /// A member account's signed transaction.
    Signed(Signer),
}

impl Origin {
    /// The signer, or [`DispatchError::BadOrigin`] for root.
    pub fn ensure_signed(&self) -> Result<&Signer, DispatchError> {
        match self {
            Origin::Signed(s) => Ok(s),
            Origin::Root => Err(DispatchError::BadOrigin {
                expected: "a signed member account".into(),
            }),
        }
    }

    /// `Ok` for root, [`DispatchError::BadOrigin`] otherwise.
    pub fn ensure_root(&self) -> Result<(), DispatchError> {
        match self {
            Origin::Root => Ok(()),
            Origin::Signed(_) => Err(DispatchError::BadOrigin {
                expected: "root (genesis or regulator governance)".into(),
            }),
        }
    }

    /// A signed origin for tests and tools.
    pub fn signed(account: AccountId, org: OrgId, roles: &[Role]) -> Self {
        Origin::Signed(Signer {
            account,
            org,
            roles: Roles::of(roles),
        })
    }
}
