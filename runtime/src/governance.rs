//! What regulator governance may dispatch ([`yima_membership::GovernanceDispatch`]): any call of this runtime
//! but the membership pallet's (governance changes membership through its own actions, which also keeps a
//! dispatch from proposing or approving another), decoded with the same bounds as a transaction's call and made
//! with the root origin — registering an attestation schema, for instance.

use parity_scale_codec::DecodeLimit;
use yima_frame::{DispatchError, DispatchResult, Origin};
use yima_membership::Error;

use crate::transaction::MAX_DECODE_DEPTH;
use crate::{Runtime, RuntimeCall};

/// Decodes a call governance may dispatch.
fn decode(call: &[u8]) -> Result<RuntimeCall, DispatchError> {
    let decoded = RuntimeCall::decode_all_with_depth_limit(MAX_DECODE_DEPTH, &mut &call[..])
        .map_err(|_| Error::UndecodableCall)?;
    if matches!(decoded, RuntimeCall::Membership(_)) {
        return Err(Error::DispatchToMembership.into());
    }
    Ok(decoded)
}

impl yima_membership::GovernanceDispatch for Runtime {
    fn check(call: &[u8]) -> Result<(), DispatchError> {
        decode(call).map(|_| ())
    }

    fn dispatch(call: &[u8]) -> DispatchResult {
        decode(call)?.dispatch(&Origin::Root)
    }
}
