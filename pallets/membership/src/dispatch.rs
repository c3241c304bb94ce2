//! Governance dispatch: a regulator proposal that, once approved, makes another pallet's root-only call —
//! registering an attestation schema, changing a policy parameter — so that no single key can, and the
//! regulators' M-of-N can, without a runtime upgrade.
//!
//! The membership pallet sits below the runtime and cannot decode its calls, so the runtime supplies
//! [`GovernanceDispatch`]: it checks an encoded call when it is proposed (it decodes, and governance may make
//! it) and dispatches it with the root origin when the threshold is reached. If the call then fails, the
//! approval that reached the threshold is refused with the call's error, nothing is written, and the proposal
//! stays open until it expires — the same rule as an action that no longer validates.

use yima_frame::{DispatchError, DispatchResult};

use crate::Error;

/// How governance carries out [`crate::Action::Dispatch`]; the runtime implements it.
pub trait GovernanceDispatch {
    /// Checks an encoded call when it is proposed: it must decode to a call governance may make.
    fn check(call: &[u8]) -> Result<(), DispatchError>;

    /// Makes the call with the root origin.
    fn dispatch(call: &[u8]) -> DispatchResult;
}

/// No dispatch: every [`crate::Action::Dispatch`] is refused with [`Error::DispatchUnavailable`].
impl GovernanceDispatch for () {
    fn check(_: &[u8]) -> Result<(), DispatchError> {
        Err(Error::DispatchUnavailable.into())
    }

    fn dispatch(_: &[u8]) -> DispatchResult {
        Err(Error::DispatchUnavailable.into())
    }
}
