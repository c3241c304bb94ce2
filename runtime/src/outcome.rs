//! What a block's events say about its transactions, for the node's own policies (not consensus rules).

use yima_frame::event::RawEvent;
use yima_frame::{AccountId, DispatchError, Phase};

use crate::header::Block;
use crate::RuntimeEvent;

/// The signers of the block's transactions that were stopped at the per-transaction weight limit
/// ([`DispatchError::WeightExhausted`]), in block order. Such a transaction costs every validator the whole
/// limit and does nothing; the pool uses this to make its signer wait (see `yima_txpool`'s penalties).
///
/// Only those events are decoded; a block's other events are skipped by their first three bytes.
pub fn weight_exhausted(block: &Block, events: &[RawEvent]) -> Vec<AccountId> {
    let failed = RuntimeEvent::System(yima_system::Event::ExtrinsicFailed {
        error: DispatchError::WeightExhausted { used: 0, limit: 0 },
    });
    // The runtime event's variant index, the system event's and the error's: such records start with these.
    let prefix: Vec<u8> = parity_scale_codec::Encode::encode(&failed)[..3].to_vec();
    events
        .iter()
        .filter(|e| e.event.starts_with(&prefix))
        .filter_map(|e| {
            let Phase::ApplyExtrinsic(index) = e.phase else {
                return None;
            };
            match e.decode::<RuntimeEvent>().ok()?.event {
                RuntimeEvent::System(yima_system::Event::ExtrinsicFailed {
                    error: DispatchError::WeightExhausted { .. },
                }) => block.extrinsics.get(index as usize).map(|tx| tx.signer),
                _ => None,
            }
        })
        .collect()
}
