//! Gossiped transactions into the pool.
//!
//! Received messages are queued to one ingress task, which coalesces whatever is waiting (up to
//! [`MAX_INGRESS_BATCH`] transactions) into ONE call of the pool's batched ingress ([`TransactionSink::import`]) on
//! the blocking pool: one state pass and one ed25519 batch for many messages. The pool is the executive's
//! `Preverified`, so what it admits here is never verified again when a block holding it is executed.
//!
//! Each message then gets its verdict, and gossipsub forwards only what the local pool admitted:
//!
//! - **reject** if any of its transactions is one no honest pool admits ([`is_peer_fault`]): malformed bytes, a
//!   bad signature, a signer that is not an active member, an expired transaction, one over the chain's size
//!   limit. An honest node only gossips what its own pool admitted, so the peer that forwarded it earns a strike
//!   (see [`worker`](crate::worker)); gossipsub does not forward a rejected message;
//! - **accept** if the pool admitted at least one of its transactions as ready (it can go into the next block):
//!   gossipsub forwards it to the rest of the mesh;
//! - **ignore** otherwise — nothing new, or only futures queued behind a missing nonce (sent on by the pool's
//!   re-gossip once ready), or refusals an honest sender may not have seen (already known, stale after a block,
//!   pool full, quota, nonce taken): not forwarded, no strike.
//!
//! This node never re-publishes what it received. Each call tells the pool which peer sent each transaction, so
//! the pool's cap on bad signatures applies per peer: a forger cannot get an honest peer's transactions, coalesced
//! into the same call, refused unchecked.

use std::collections::HashMap;
use std::sync::Arc;

use libp2p::gossipsub::{MessageAcceptance, MessageId};
use libp2p::PeerId;
use tokio::sync::mpsc;
use yima_frame::Hash;
use yima_runtime::transaction::DecodeError;
use yima_runtime::InvalidTransaction;
use yima_txpool::PoolError;

use crate::queue::QueueReceiver;

/// Most transactions handed to the pool in one ingress call.
pub const MAX_INGRESS_BATCH: usize = 8_192;

/// The node could not check transactions (its own failure, e.g. reading state); not the sender's fault.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the node could not check gossiped transactions: {0}")]
pub struct IngressError(pub String);

/// Where gossiped transactions go: the node's pool.
pub trait TransactionSink: Send + Sync + 'static {
    /// Checks and admits encoded transactions in one batch (decode, state, one signature batch), one result per
    /// transaction, in order — `yima_txpool::SharedPool::submit_bytes_from` against the latest committed state.
    /// `senders[i]` tells which peer sent `txs[i]` (small ids, one per peer in this call).
    fn import(
        &self,
        txs: Vec<Vec<u8>>,
        senders: &[usize],
    ) -> Result<Vec<Result<Hash, PoolError>>, IngressError>;

    /// Which of `admitted` (hashes [`TransactionSink::import`] just admitted) are ready, i.e. can go into the
    /// next block — `yima_txpool::Pool::is_ready`. A message is forwarded only if it brought a ready one: a
    /// queued future costs the mesh no signature check until it can be included (the pool's re-gossip sends it
    /// then).
    fn ready(&self, admitted: &[Hash]) -> Vec<bool>;
}

/// Whether a refusal earns the sender a strike: honest senders gossip only what their pool admitted, so malformed
/// bytes, bad signatures, non-members' transactions, expired ones and ones over the chain's size limit do not
/// come from an honest pool. The last three depend on the state, and an honest sender may rarely lose a race (a
/// block committed while the message was in flight); strikes decay, so such a race never bans it.
pub fn is_peer_fault(error: &PoolError) -> bool {
    matches!(
        error,
        PoolError::Decode(DecodeError::Malformed(_) | DecodeError::TooLarge { .. })
            | PoolError::Invalid(
                InvalidTransaction::BadSignature
                    | InvalidTransaction::Signer(_)
                    | InvalidTransaction::Expired { .. }
                    | InvalidTransaction::TooLarge { .. }
            )
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
    /// Whether the pool judged it (`false`: the node failed to check it; neither forwarded nor blamed).
    pub(crate) judged: bool,
}

/// Runs until the swarm task drops its sender.
pub(crate) async fn run(
    sink: Arc<dyn TransactionSink>,
    mut received: QueueReceiver,
    verdicts: mpsc::UnboundedSender<Verdict>,
) {
    while let Some(first) = received.recv().await {
        let mut queued = vec![first];
        let mut count = queued[0].message.txs.len();
        while count < MAX_INGRESS_BATCH {
            match received.try_recv() {
                Ok(m) => {
                    count += m.message.txs.len();
                    queued.push(m);
                }
                Err(_) => break,
            }
        }
        // The messages' bytes stay counted against the queue's budget until they are judged.
        let mut budget = Vec::with_capacity(queued.len());
        let mut sizes = Vec::with_capacity(queued.len());
        let mut all = Vec::with_capacity(count);
        let mut senders = Vec::with_capacity(count);
        let mut peers: HashMap<PeerId, usize> = HashMap::new();
        let mut heads = Vec::with_capacity(queued.len());
        for mut q in queued {
            let m = std::mem::take(&mut q.message.txs);
            let next = peers.len();
            let sender = *peers.entry(q.message.source).or_insert(next);
            sizes.push(m.len());
            senders.extend(std::iter::repeat_n(sender, m.len()));
            all.extend(m);
            heads.push((q.message.id.clone(), q.message.source));
            budget.push(q);
        }
        let sink = sink.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let results = sink.import(all, &senders)?;
            let admitted: Vec<Hash> = results.iter().filter_map(|r| r.clone().ok()).collect();
            let mut ready = sink.ready(&admitted).into_iter();
            let judged: Vec<(Result<Hash, PoolError>, bool)> = results
                .into_iter()
                .map(|r| {
                    let ready = r.is_ok() && ready.next().unwrap_or(false);
                    (r, ready)
                })
                .collect();
            Ok(judged)
        })
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
                    judged: false,
                },
                Some(results) => judge(id, source, results.by_ref().take(size)),
            };
            if verdicts.send(verdict).is_err() {
                return;
            }
        }
        drop(budget);
    }
}

/// The verdict on one message from its transactions' results, each with whether it was admitted as ready.
fn judge(
    id: MessageId,
    source: PeerId,
    results: impl Iterator<Item = (Result<Hash, PoolError>, bool)>,
) -> Verdict {
    let mut admitted = 0;
    let mut ready = 0;
    let mut fault = None;
    for (result, is_ready) in results {
        match result {
            Ok(_) => {
                admitted += 1;
                ready += usize::from(is_ready);
            }
            Err(e) if is_peer_fault(&e) => {
                fault.get_or_insert_with(|| e.to_string());
            }
            Err(_) => {}
        }
    }
    let acceptance = if fault.is_some() {
        MessageAcceptance::Reject
    } else if ready > 0 {
        MessageAcceptance::Accept
    } else {
        MessageAcceptance::Ignore
    };
    Verdict {
        id,
        source,
        acceptance,
        admitted,
        fault,
        judged: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_no_honest_pool_admits_blames_the_sender_and_nothing_new_is_not_forwarded() {
        let faults = [
            PoolError::Invalid(InvalidTransaction::BadSignature),
            PoolError::Decode(DecodeError::Malformed("truncated".into())),
            PoolError::Decode(DecodeError::TooLarge { size: 2, limit: 1 }),
            PoolError::Invalid(InvalidTransaction::TooLarge { size: 2, limit: 1 }),
            PoolError::Invalid(InvalidTransaction::Expired {
                valid_until: 1,
                block: 2,
            }),
            PoolError::Invalid(InvalidTransaction::Signer(
                yima_membership::Error::UnknownAccount,
            )),
        ];
        let benign = [
            PoolError::AlreadyKnown,
            PoolError::NonceTaken { nonce: 1 },
            PoolError::Full {
                transactions: 1,
                bytes: 1,
            },
            PoolError::OrganisationLimit { limit: 1 },
            PoolError::FutureLimit { limit: 1 },
            PoolError::CoolingDown { at: 1, until: 2 },
            PoolError::Unverified { limit: 1 },
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
            [
                (Ok(Hash::default()), true),
                (Err(PoolError::AlreadyKnown), false),
            ]
            .into_iter(),
        );
        assert!(matches!(v.acceptance, MessageAcceptance::Accept) && v.admitted == 1);
        // Only futures: admitted but not forwarded (re-gossiped once ready), no strike.
        let v = judge(id.clone(), peer, [(Ok(Hash::default()), false)].into_iter());
        assert!(matches!(v.acceptance, MessageAcceptance::Ignore) && v.admitted == 1);
        assert!(v.fault.is_none());
        // Nothing new: not forwarded, no strike.
        let v = judge(
            id.clone(),
            peer,
            benign.iter().cloned().map(|e| (Err(e), false)),
        );
        assert!(matches!(v.acceptance, MessageAcceptance::Ignore) && v.fault.is_none());
        for fault in &faults {
            let v = judge(
                id.clone(),
                peer,
                [(Ok(Hash::default()), true), (Err(fault.clone()), false)].into_iter(),
            );
            assert!(matches!(v.acceptance, MessageAcceptance::Reject), "{fault}");
            assert_eq!(v.fault.as_deref(), Some(fault.to_string().as_str()));
        }
    }

    /// Records the senders of each import call; admits everything.
    struct Record(std::sync::Mutex<Vec<Vec<usize>>>);

    impl TransactionSink for Record {
        fn import(
            &self,
            txs: Vec<Vec<u8>>,
            senders: &[usize],
        ) -> Result<Vec<Result<Hash, PoolError>>, IngressError> {
            self.0.lock().unwrap().push(senders.to_vec());
            Ok(txs.iter().map(|_| Ok(Hash::default())).collect())
        }

        fn ready(&self, admitted: &[Hash]) -> Vec<bool> {
            vec![true; admitted.len()]
        }
    }

    #[tokio::test]
    async fn queued_messages_go_to_the_pool_in_one_call_that_tells_each_transactions_peer() {
        let (queue, received) = crate::queue::channel(16, 1 << 20);
        let (a, b) = (PeerId::random(), PeerId::random());
        for (n, peer) in [(2u8, a), (1, b), (1, a)] {
            queue
                .try_send(Received {
                    id: MessageId(vec![n]),
                    source: peer,
                    txs: vec![vec![n]; n as usize],
                })
                .unwrap();
        }
        drop(queue);
        let (verdicts_tx, mut verdicts) = mpsc::unbounded_channel();
        let sink = Arc::new(Record(Default::default()));
        run(sink.clone(), received, verdicts_tx).await;
        assert_eq!(*sink.0.lock().unwrap(), vec![vec![0, 0, 1, 0]]);
        let mut sources = Vec::new();
        while let Ok(v) = verdicts.try_recv() {
            assert!(matches!(v.acceptance, MessageAcceptance::Accept));
            sources.push((v.source, v.admitted));
        }
        assert_eq!(sources, vec![(a, 2), (b, 1), (a, 1)]);
    }
}
