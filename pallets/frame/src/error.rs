//! How a call fails: [`DispatchError`], which names the pallet and the error so an auditor can read a refusal
//! straight from the chain (`ExtrinsicFailed { error }`).

use std::borrow::Cow;

use parity_scale_codec::{Decode, Encode};

use crate::primitives::Role;

/// The result of dispatching a call.
pub type DispatchResult = Result<(), DispatchError>;

/// An error raised by a pallet, by name.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct ModuleError {
    /// The pallet's name, e.g. `Membership`.
    pub pallet: Cow<'static, str>,
    /// The error's variant name, e.g. `DuplicateOrganisation`.
    pub error: Cow<'static, str>,
}

/// Why a call was refused. Its writes are rolled back; the transaction stays in the block.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, thiserror::Error)]
pub enum DispatchError {
    /// The call needs another kind of origin (a signed account where root was given, or the reverse).
    #[codec(index = 0)]
    #[error("bad origin: this call must come from {expected}")]
    BadOrigin {
        /// What the call needs, e.g. `a signed account`.
        expected: Cow<'static, str>,
    },
    /// The signing account lacks a role the call needs.
    #[codec(index = 1)]
    #[error(
        "the signing account lacks the {0:?} role; ask an admin of its organisation to grant it"
    )]
    MissingRole(Role),
    /// A pallet refused the call; the runtime can describe the error in words.
    #[codec(index = 2)]
    #[error("{}::{}", .0.pallet, .0.error)]
    Module(ModuleError),
    /// Executing the transaction passed the chain's per-transaction weight limit: it was stopped there and none
    /// of its writes were kept (its nonce is consumed).
    #[codec(index = 3)]
    #[error("the transaction used more than its weight limit ({used} used when stopped, limit {limit}): it reads or writes too much state at once; split it into smaller transactions (fewer events, smaller containers)")]
    WeightExhausted {
        /// Weight used when it was stopped (more than `limit`).
        used: u64,
        /// The per-transaction limit in force.
        limit: u64,
    },
}

impl DispatchError {
    /// A pallet error by pallet and variant name.
    pub fn module(pallet: &'static str, error: &'static str) -> Self {
        DispatchError::Module(ModuleError {
            pallet: Cow::Borrowed(pallet),
            error: Cow::Borrowed(error),
        })
    }
}

/// Implements `From<$error> for DispatchError` for a pallet's error enum (which must derive
/// `strum::IntoStaticStr` so that its variant names are known).
#[macro_export]
macro_rules! impl_pallet_error {
    ($error:ty, $pallet:expr) => {
        impl From<$error> for $crate::DispatchError {
            fn from(e: $error) -> Self {
                let name: &'static str = e.into();
                $crate::DispatchError::module($pallet, name)
            }
        }
    };
}
