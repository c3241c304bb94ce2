//! Gossiped transactions into the pool.
//!
//! Received messages are queued to one ingress task, which coalesces whatever is waiting (up to
//! [`MAX_INGRESS_BATCH`] transactions) into ONE call of the pool's batched ingress ([`TransactionSink::import`]) on
//! the blocking pool: one state pass and one ed25519 batch for many messages. The pool is the executive's
//! `Preverified`, so what it admits here is never verified again when a block holding it is executed.
//!
//! Each message then gets its verdict:
//!
//! - **reject** if any of its transactions does not decode or carries a bad signature — an honest node only
//!   gossips what its own pool admitted, so the peer that forwarded it is faulty (it earns a strike, see
//!   `service`); gossipsub does not forward a rejected message;
//! - **accept** otherwise, including transactions refused for reasons an honest sender may not have seen
//!   (already known, stale after a block, pool full, nonce taken): gossipsub then forwards the message to the
//!   rest of the mesh. This node never re-publishes what it received.

use std::sync::Arc;

use libp2p::gossipsub::{MessageAcceptance, MessageId};
use libp2p::PeerId;
use tokio::sync::mpsc;
use yima_frame::Hash;
use yima_runtime::transaction::DecodeError;
use yima_runtime::InvalidTransaction;
use yima_txpool::PoolError;

/// Most transactions handed to the pool in one ingress call.
pub const MAX_INGRESS_BATCH: usize = 8_192;

/// The node could not check transactions (its own failure, e.g. reading state); not the sender's fault.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the node could not check gossiped transactions: {0}")]
pub struct IngressError(pub String);

/// Where gossiped transactions go: the node's pool.
pub trait TransactionSink: Send + Sync + 'static {
    /// Checks and admits encoded transactions in one batch (decode, state, one signature batch), one result per
    /// transaction, in order — `yima_txpool::Pool::submit_bytes` against the latest committed state.
    fn import(&self, txs: Vec<Vec<u8>>) -> Result<Vec<Result<Hash, PoolError>>, IngressError>;
}

/// Whether a refusal proves the sender faulty: honest senders gossip only what their pool admitted, and
/// malformed bytes and bad signatures do not depend on the state. (A transaction over the size limit does not
/// count: the limit is state, and the sender may have admitted it under another height's limit.)
pub fn is_peer_fault(error: &PoolError) -> bool {
    matches!(
        error,
        PoolError::Decode(DecodeError::Malformed(_))
            | PoolError::Invalid(InvalidTransaction::BadSignature)
    )
}

/// A received message waiting for the pool.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) id: MessageId,
    pub(crate) source: PeerId,
    pub(crate) txs: Vec<Vec<u8>>,
}

/// The pool's verdict on one message.
#[derive(Debug)]
pub(crate) struct Verdict {
    pub(crate) id: MessageId,
    pub(crate) source: PeerId,
    pub(crate) acceptance: MessageAcceptance,
    /// Transactions admitted (new to this pool).
    pub(crate) admitted: usize,
    /// Why the message was rejected, if it was.
    pub(crate) fault: Option<String>,
}

/// Runs until the swarm task drops its sender.
pub(crate) async fn run(
    sink: Arc<dyn TransactionSink>,
    mut received: mpsc::Receiver<Received>,
    verdicts: mpsc::UnboundedSender<Verdict>,
) {
    while let Some(first) = received.recv().await {
        let mut messages = vec![first];
        let mut count = messages[0].txs.len();
        while count < MAX_INGRESS_BATCH {
            match received.try_recv() {
                Ok(m) => {
                    count += m.txs.len();
                    messages.push(m);
                }
                Err(_) => break,
            }
        }
        let mut sizes = Vec::with_capacity(messages.len());
        let mut all = Vec::with_capacity(count);
        let mut heads = Vec::with_capacity(messages.len());
        for m in messages {
            sizes.push(m.txs.len());
            all.extend(m.txs);
            heads.push((m.id, m.source));
        }
        let sink = sink.clone();
        let outcome = tokio::task::spawn_blocking(move || sink.import(all))
            .await
            .unwrap_or_else(|e| Err(IngressError(format!("pool ingress panicked: {e}"))));
        let results = match outcome {
            Ok(results) if results.len() == count => Some(results),
            Ok(results) => {
                tracing::error!(
                    expected = count,
                    got = results.len(),
                    "the pool returned a wrong number of verdicts"
                );
                None
            }
            Err(e) => {
                tracing::warn!("{e}");
                None
            }
        };
        let mut results = results.map(Vec::into_iter);
        for ((id, source), size) in heads.into_iter().zip(sizes) {
            let verdict = match results.as_mut() {
                // Our own failure: neither forward nor blame.
                None => Verdict {
                    id,
                    source,
                    acceptance: MessageAcceptance::Ignore,
                    admitted: 0,
                    fault: None,
                },
                Some(results) => judge(id, source, results.by_ref().take(size)),
            };
            if verdicts.send(verdict).is_err() {
                return;
            }
        }
    }
}

fn judge(
    id: MessageId,
    source: PeerId,
    results: impl Iterator<Item = Result<Hash, PoolError>>,
) -> Verdict {
    let mut admitted = 0;
    let mut fault = None;
    for result in results {
        match result {
            Ok(_) => admitted += 1,
            Err(e) if is_peer_fault(&e) => {
                fault.get_or_insert_with(|| e.to_string());
            }
            Err(_) => {}
        }
    }
    Verdict {
        id,
        source,
        acceptance: if fault.is_some() {
            MessageAcceptance::Reject
        } else {
            MessageAcceptance::Accept
        },
        admitted,
        fault,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_decoding_and_signature_failures_blame_the_sender() {
        let faults = [
            PoolError::Invalid(InvalidTransaction::BadSignature),
            PoolError::Decode(DecodeError::Malformed("truncated".into())),
        ];
        let benign = [
            PoolError::Decode(DecodeError::TooLarge { size: 2, limit: 1 }),
            PoolError::AlreadyKnown,
            PoolError::NonceTaken { nonce: 1 },
            PoolError::Full {
                transactions: 1,
                bytes: 1,
            },
            PoolError::Invalid(InvalidTransaction::Stale {
                expected: 2,
                got: 1,
            }),
        ];
        assert!(faults.iter().all(is_peer_fault));
        assert!(!benign.iter().any(is_peer_fault));

        let peer = PeerId::random();
        let id = MessageId(vec![1]);
        let v = judge(
            id.clone(),
            peer,
            [Ok(Hash::default()), Err(PoolError::AlreadyKnown)].into_iter(),
        );
        assert!(matches!(v.acceptance, MessageAcceptance::Accept) && v.admitted == 1);
        let v = judge(
            id,
            peer,
            [Ok(Hash::default()), Err(faults[0].clone())].into_iter(),
        );
        assert!(matches!(v.acceptance, MessageAcceptance::Reject));
        assert!(v.fault.unwrap().contains("signature"), "names the reason");
    }
}
