//! The runtime's composition: which pallets exist, at which stable index, and how their calls, events and
//! errors are wrapped. Indices are part of the wire format and never change.

use std::str::FromStr;

use parity_scale_codec::{Decode, Encode};
use yima_frame::pallet::Pallet as _;
use yima_frame::{DispatchError, DispatchResult, Origin};

/// The concrete runtime: the type every pallet's `Config` is implemented for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Runtime;

impl yima_system::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
}

impl yima_membership::Config for Runtime {}

/// A call to any pallet. Index 0 is the system pallet, which has no calls.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum RuntimeCall {
    /// Organisations, accounts, roles, keys, validators and regulator governance.
    #[codec(index = 1)]
    Membership(yima_membership::Call),
}

impl RuntimeCall {
    /// Dispatches the call to its pallet.
    pub fn dispatch(self, origin: &Origin) -> DispatchResult {
        match self {
            RuntimeCall::Membership(call) => {
                yima_membership::Pallet::<Runtime>::dispatch(origin, call)
            }
        }
    }
}

/// An event of any pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum RuntimeEvent {
    /// Transaction outcomes.
    #[codec(index = 0)]
    System(yima_system::Event),
    /// Membership and governance.
    #[codec(index = 1)]
    Membership(yima_membership::Event),
}

impl From<yima_system::Event> for RuntimeEvent {
    fn from(e: yima_system::Event) -> Self {
        RuntimeEvent::System(e)
    }
}

impl From<yima_membership::Event> for RuntimeEvent {
    fn from(e: yima_membership::Event) -> Self {
        RuntimeEvent::Membership(e)
    }
}

/// A refusal in words, for people: the pallet's own message when the error is known to this runtime.
pub fn describe_error(error: &DispatchError) -> String {
    match error {
        DispatchError::Module(m) if m.pallet == yima_membership::PALLET => {
            match yima_membership::Error::from_str(&m.error) {
                Ok(e) => format!("{}::{}: {e}", m.pallet, m.error),
                Err(_) => error.to_string(),
            }
        }
        other => other.to_string(),
    }
}
