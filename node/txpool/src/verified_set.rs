//! [`VerifiedSet`]: which of a block's transactions the pool already verified, read once under its lock.

use std::collections::HashMap;
use std::sync::Arc;

use yima_frame::AccountId;
use yima_runtime::SignedTransaction;

/// The pooled transactions among a block's, taken under the pool's lock so that executing the block does not hold
/// it: `set.contains(tx)` is what [`Pool::is_verified`] would have answered.
#[derive(Debug, Clone, Default)]
pub struct VerifiedSet {
    pub(crate) txs: HashMap<(AccountId, u64), Arc<SignedTransaction>>,
}

impl VerifiedSet {
    /// Whether `tx` is, byte for byte, a transaction the pool verified.
    pub fn contains(&self, tx: &SignedTransaction) -> bool {
        self.txs
            .get(&(tx.signer, tx.nonce))
            .is_some_and(|pooled| **pooled == *tx)
    }

    /// How many of the block's transactions were found verified.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }
}
