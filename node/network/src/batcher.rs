//! Batching outgoing transactions into gossip messages.
//!
//! One gossip message costs a signature (gossipsub signs and checks every message), a message id and a round of
//! framing, whatever it carries; a transaction costs its bytes. So transactions go out in batches: a batch is
//! flushed when it reaches [`BatchConfig::max_bytes`] or [`BatchConfig::max_transactions`], or
//! [`BatchConfig::max_delay`] after its first transaction, whichever comes first. At thousands of transactions a
//! second that is a few messages per flush interval; an isolated transaction waits at most `max_delay`.

use std::time::Duration;

use tokio::time::Instant;

use crate::wire::GossipMessage;

/// When a batch is flushed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchConfig {
    /// Encoded transaction bytes that flush a batch.
    pub max_bytes: usize,
    /// Transactions that flush a batch.
    pub max_transactions: usize,
    /// Longest a transaction waits for its batch to fill.
    pub max_delay: Duration,
}

impl Default for BatchConfig {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024,
            max_transactions: 2_048,
            max_delay: Duration::from_millis(20),
        }
    }
}

/// The batch being filled.
#[derive(Debug)]
pub struct Batcher {
    config: BatchConfig,
    txs: Vec<Vec<u8>>,
    bytes: usize,
    deadline: Option<Instant>,
}

impl Batcher {
    /// An empty batcher.
    pub fn new(config: BatchConfig) -> Self {
        Self {
            config,
            txs: Vec::new(),
            bytes: 0,
            deadline: None,
        }
    }

    /// Adds transactions; returns the messages that filled up (zero or more), in order.
    pub fn push(&mut self, txs: Vec<Vec<u8>>, now: Instant) -> Vec<GossipMessage> {
        let mut full = Vec::new();
        for tx in txs {
            // A transaction that would overflow the batch goes into the next one.
            if !self.txs.is_empty() && self.bytes + tx.len() > self.config.max_bytes {
                full.extend(self.take());
            }
            if self.txs.is_empty() {
                self.deadline = Some(now + self.config.max_delay);
            }
            self.bytes += tx.len();
            self.txs.push(tx);
            if self.bytes >= self.config.max_bytes || self.txs.len() >= self.config.max_transactions
            {
                full.extend(self.take());
            }
        }
        full
    }

    /// When the pending batch must go out, if there is one.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Takes the pending batch as a message, if any.
    pub fn take(&mut self) -> Option<GossipMessage> {
        self.deadline = None;
        self.bytes = 0;
        (!self.txs.is_empty()).then(|| GossipMessage::Transactions(std::mem::take(&mut self.txs)))
    }

    /// Transactions waiting.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(messages: &[GossipMessage]) -> Vec<usize> {
        messages
            .iter()
            .map(|GossipMessage::Transactions(t)| t.len())
            .collect()
    }

    #[test]
    fn flushes_on_count_on_bytes_and_by_deadline() {
        let now = Instant::now();
        let mut b = Batcher::new(BatchConfig {
            max_bytes: 100,
            max_transactions: 3,
            max_delay: Duration::from_millis(5),
        });
        assert!(b.push(vec![vec![0; 10]], now).is_empty());
        assert_eq!(b.deadline(), Some(now + Duration::from_millis(5)));
        // Count: the third transaction fills the batch.
        let out = b.push(vec![vec![0; 10], vec![0; 10], vec![0; 10]], now);
        assert_eq!(count(&out), vec![3]);
        assert_eq!(b.len(), 1);
        // Bytes: 10 + 95 would overflow, so the pending one leaves alone and the big one fills its own batch.
        let out = b.push(vec![vec![0; 95], vec![0; 5]], now);
        assert_eq!(count(&out), vec![1, 2]);
        assert!(b.is_empty() && b.deadline().is_none());
        // A transaction larger than a batch travels alone.
        let out = b.push(vec![vec![0; 500]], now);
        assert_eq!(count(&out), vec![1]);
        // Deadline: the caller takes what is pending.
        b.push(vec![vec![1]], now);
        assert_eq!(b.take(), Some(GossipMessage::Transactions(vec![vec![1]])));
        assert_eq!(b.take(), None);
    }
}
