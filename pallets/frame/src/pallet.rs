//! What a pallet offers the runtime: call dispatch, block hooks and a genesis build.

use crate::error::DispatchResult;
use crate::origin::Origin;
use crate::primitives::BlockNumber;

/// A pallet with calls. The runtime's `RuntimeCall` holds one variant per such pallet, at a stable
/// `#[codec(index)]`, wrapping the pallet's `Call` enum.
pub trait Pallet: Hooks {
    /// The pallet's name, as it appears in storage keys and errors.
    const NAME: &'static str;
    /// The pallet's calls.
    type Call;
    /// Executes `call` for `origin`. Implementations check everything before the first write, and the executive
    /// rolls back whatever a failed call wrote regardless.
    fn dispatch(origin: &Origin, call: Self::Call) -> DispatchResult;
}

/// Per-block hooks; both default to doing nothing.
pub trait Hooks {
    /// Runs before the first transaction of block `n`.
    fn on_initialize(_n: BlockNumber) {}
    /// Runs after the last transaction of block `n`.
    fn on_finalize(_n: BlockNumber) {}
}

/// Writes a pallet's part of the genesis state.
pub trait GenesisBuild {
    /// Checks the configuration and writes it; an error names what is wrong with the chain spec.
    fn build(&self) -> Result<(), GenesisError>;
}

/// A chain spec's genesis section that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid genesis ({pallet}): {message}")]
pub struct GenesisError {
    /// The pallet whose section is wrong.
    pub pallet: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl GenesisError {
    /// A genesis error of `pallet`.
    pub fn new(pallet: &'static str, message: impl Into<String>) -> Self {
        Self {
            pallet,
            message: message.into(),
        }
    }
}
