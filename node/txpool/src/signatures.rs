//! Signature checks of an ingress batch: one ed25519 batch for everything, culprits found by halving, and a cap
//! on bad signatures per sender.
//!
//! A batch that fails names its first bad signature ([`verify_batch`] checked everything before it one by one); the
//! unknown rest is split in two and each half verified again, so `k` bad signatures cost `O(k · log n)` batches.
//! Forged transactions on real member keys pass every state check, so without a bound one request of `n` forgeries
//! would cost `n · log n` verifications. Once a sender's bad signatures reach [`PoolConfig::max_bad_signatures`]
//! its remaining transactions are not verified at all ([`SignatureVerdict::Unchecked`]); the caller refuses them
//! ([`PoolError::Unverified`]) and, when the sender is a gossip peer, strikes it for the bad ones.
//!
//! [`PoolConfig::max_bad_signatures`]: crate::PoolConfig::max_bad_signatures
//! [`PoolError::Unverified`]: crate::PoolError::Unverified

use std::collections::HashMap;

use yima_runtime::transaction::verify_batch;
use yima_runtime::{ChainContext, SignedTransaction};

/// What the check found for one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignatureVerdict {
    /// The signature verifies.
    Good,
    /// It does not.
    Bad,
    /// Not checked: its sender had reached the cap of bad signatures.
    Unchecked,
}

/// Verifies `txs` (sent by `senders[i]`, any ids that tell senders apart) in as few batches as bad signatures
/// allow, stopping for a sender at `max_bad` (at least 1) bad signatures. `before_batch` runs before each batch.
pub(crate) fn verify(
    txs: &[&SignedTransaction],
    senders: &[usize],
    max_bad: usize,
    ctx: ChainContext,
    before_batch: &dyn Fn(),
) -> Vec<SignatureVerdict> {
    debug_assert_eq!(txs.len(), senders.len());
    let max_bad = max_bad.max(1);
    let mut verdicts = vec![SignatureVerdict::Unchecked; txs.len()];
    let mut bad_by_sender: HashMap<usize, usize> = HashMap::new();
    // Chunks of indices still unknown, the next to verify last.
    let mut pending: Vec<Vec<usize>> = vec![(0..txs.len()).collect()];
    while let Some(mut chunk) = pending.pop() {
        chunk.retain(|&i| bad_by_sender.get(&senders[i]).copied().unwrap_or(0) < max_bad);
        if chunk.is_empty() {
            continue;
        }
        before_batch();
        let refs: Vec<&SignedTransaction> = chunk.iter().map(|&i| txs[i]).collect();
        match verify_batch(&refs, &ctx.genesis_hash, ctx.spec_version) {
            Ok(()) => {
                for &i in &chunk {
                    verdicts[i] = SignatureVerdict::Good;
                }
            }
            Err(k) => {
                for &i in &chunk[..k] {
                    verdicts[i] = SignatureVerdict::Good;
                }
                let culprit = chunk[k];
                verdicts[culprit] = SignatureVerdict::Bad;
                *bad_by_sender.entry(senders[culprit]).or_insert(0) += 1;
                let rest = &chunk[k + 1..];
                let (first, second) = rest.split_at(rest.len() / 2);
                pending.push(second.to_vec());
                pending.push(first.to_vec());
            }
        }
    }
    verdicts
}
