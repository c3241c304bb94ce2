//! The queue between the swarm task and the ingress task, bounded in messages AND in bytes.
//!
//! A message-count bound alone lets peers queue `count × max message size` (1,024 × 4 MiB = 4 GiB) of
//! transactions waiting for the pool. Here every queued message holds a share of a byte budget (a semaphore of
//! [`NetworkConfig::ingress_queue_bytes`](crate::NetworkConfig) permits, one per byte) from the moment it is queued
//! until the pool has judged it; a message that does not fit is refused at once (`QueueFull`) and the swarm
//! task drops it unforwarded (re-gossip brings honest transactions back).

use std::sync::Arc;

use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use crate::ingress::Received;

/// The queue has no room for the message (too many messages, or too many bytes waiting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the gossip ingress queue is full ({bytes} bytes of messages waiting for the pool is the most); the message is dropped and its transactions come back by re-gossip")]
pub(crate) struct QueueFull {
    /// The byte bound.
    pub(crate) bytes: usize,
}

/// A message in the queue with its share of the byte budget; the share is released when this is dropped.
#[derive(Debug)]
pub(crate) struct Queued {
    pub(crate) message: Received,
    _bytes: OwnedSemaphorePermit,
}

/// The swarm task's end.
#[derive(Debug)]
pub(crate) struct QueueSender {
    messages: mpsc::Sender<Queued>,
    budget: Arc<Semaphore>,
    max_bytes: u32,
}

/// The ingress task's end.
pub(crate) type QueueReceiver = mpsc::Receiver<Queued>;

/// A queue of at most `max_messages` messages and `max_bytes` bytes of transactions (each at least 1 and at most
/// `u32::MAX`).
pub(crate) fn channel(max_messages: usize, max_bytes: usize) -> (QueueSender, QueueReceiver) {
    let max_bytes = u32::try_from(max_bytes.max(1)).unwrap_or(u32::MAX);
    let (messages, receiver) = mpsc::channel(max_messages.max(1));
    let sender = QueueSender {
        messages,
        budget: Arc::new(Semaphore::new(max_bytes as usize)),
        max_bytes,
    };
    (sender, receiver)
}

impl QueueSender {
    /// Queues `message` if both bounds leave room for it.
    pub(crate) fn try_send(&self, message: Received) -> Result<(), QueueFull> {
        let full = QueueFull {
            bytes: self.max_bytes as usize,
        };
        let size: usize = message.txs.iter().map(Vec::len).sum();
        let size = u32::try_from(size.max(1)).map_err(|_| full)?;
        let permit = self
            .budget
            .clone()
            .try_acquire_many_owned(size)
            .map_err(|_| full)?;
        self.messages
            .try_send(Queued {
                message,
                _bytes: permit,
            })
            .map_err(|_| full)
    }
}

#[cfg(test)]
mod tests {
    use libp2p::gossipsub::MessageId;
    use libp2p::PeerId;

    use super::*;

    fn message(bytes: usize) -> Received {
        Received {
            id: MessageId(vec![1]),
            source: PeerId::random(),
            txs: vec![vec![0; bytes]],
        }
    }

    #[test]
    fn the_queue_refuses_past_its_byte_bound_and_frees_bytes_once_judged() {
        let (sender, mut receiver) = channel(1_024, 1_000);
        sender.try_send(message(600)).unwrap();
        // Far below the message bound, over the byte bound.
        assert_eq!(
            sender.try_send(message(401)),
            Err(QueueFull { bytes: 1_000 })
        );
        sender.try_send(message(400)).unwrap();
        assert_eq!(sender.try_send(message(1)), Err(QueueFull { bytes: 1_000 }));
        // Taking a message off the queue keeps its bytes counted until it is dropped (judged).
        let first = receiver.try_recv().unwrap();
        assert_eq!(first.message.txs[0].len(), 600);
        assert!(sender.try_send(message(600)).is_err());
        drop(first);
        sender.try_send(message(600)).unwrap();
        // A single message larger than the whole budget never fits.
        let (sender, _receiver) = channel(8, 100);
        assert!(sender.try_send(message(101)).is_err());
    }

    #[test]
    fn the_message_bound_still_holds() {
        let (sender, _receiver) = channel(2, 1_000_000);
        sender.try_send(message(1)).unwrap();
        sender.try_send(message(1)).unwrap();
        assert!(sender.try_send(message(1)).is_err());
    }
}
