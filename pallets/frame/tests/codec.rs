//! Every public frame type survives a SCALE round trip, and decoding arbitrary bytes never panics.

use std::borrow::Cow;

use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;
use yima_frame::{AccountId, DispatchError, EventRecord, Hash, ModuleError, Phase, Role, Roles};

fn arb_role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

fn arb_phase() -> impl Strategy<Value = Phase> {
    prop_oneof![
        Just(Phase::Initialization),
        any::<u32>().prop_map(Phase::ApplyExtrinsic),
        Just(Phase::Finalization),
    ]
}

fn arb_error() -> impl Strategy<Value = DispatchError> {
    prop_oneof![
        ".{0,20}".prop_map(|s| DispatchError::BadOrigin {
            expected: Cow::Owned(s)
        }),
        arb_role().prop_map(DispatchError::MissingRole),
        (any::<u64>(), any::<u64>())
            .prop_map(|(used, limit)| DispatchError::WeightExhausted { used, limit }),
        ("[A-Za-z]{1,12}", "[A-Za-z]{1,20}").prop_map(|(p, e)| DispatchError::Module(
            ModuleError {
                pallet: Cow::Owned(p),
                error: Cow::Owned(e),
            }
        )),
    ]
}

fn round_trip<T: Encode + Decode + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = value.encode();
    assert_eq!(&T::decode(&mut &bytes[..]).unwrap(), value);
}

proptest! {
    #[test]
    fn public_types_round_trip(
        account in any::<[u8; 32]>(),
        hash in any::<[u8; 32]>(),
        roles in prop::collection::vec(arb_role(), 0..4),
        phase in arb_phase(),
        error in arb_error(),
        payload in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        round_trip(&AccountId(account));
        round_trip(&Hash(hash));
        round_trip(&Roles::of(&roles));
        round_trip(&phase);
        round_trip(&error);
        round_trip(&EventRecord { phase, event: payload.clone() });
        round_trip(&EventRecord { phase, event: error.clone() });
    }

    #[test]
    fn decoding_garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        let _ = DispatchError::decode(&mut &bytes[..]);
        let _ = Phase::decode(&mut &bytes[..]);
        let _ = EventRecord::<DispatchError>::decode(&mut &bytes[..]);
        let _ = Roles::decode(&mut &bytes[..]);
    }
}
