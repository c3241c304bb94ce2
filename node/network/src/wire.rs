//! The gossip message format: SCALE, versioned by an explicit variant index.
//!
//! A message carries a batch of encoded `SignedTransaction`s, each as the bytes the pool decodes (so a receiver
//! decodes each under the chain's size limit, in the pool's batched ingress, and an undecodable one is the sender's
//! fault without spoiling the others' verdicts).

use parity_scale_codec::{Decode, DecodeLimit, Encode};

/// Nesting depth allowed when decoding a message (a message is two levels deep).
const DECODE_DEPTH: u32 = 4;

/// One gossip message.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum GossipMessage {
    /// Encoded transactions, each admitted by the sender's pool.
    #[codec(index = 0)]
    Transactions(Vec<Vec<u8>>),
}

impl GossipMessage {
    /// The message's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encode()
    }

    /// Decodes a received message; `None` when the bytes are not one message exactly.
    pub fn from_bytes(mut bytes: &[u8]) -> Option<Self> {
        let message = Self::decode_with_depth_limit(DECODE_DEPTH, &mut bytes).ok()?;
        bytes.is_empty().then_some(message)
    }

    /// How many bytes a batch of transactions of `payload` bytes in total, `count` of them, takes on the wire
    /// (an upper bound: compact lengths take at most 5 bytes below 1 GiB).
    pub fn encoded_bound(count: usize, payload: usize) -> usize {
        1 + 5 + count * 5 + payload
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_trailing_or_unknown_bytes() {
        let m = GossipMessage::Transactions(vec![vec![1, 2, 3], vec![], vec![9; 300]]);
        let bytes = m.to_bytes();
        assert!(bytes.len() <= GossipMessage::encoded_bound(3, 303));
        assert_eq!(GossipMessage::from_bytes(&bytes), Some(m));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(GossipMessage::from_bytes(&longer), None);
        let mut unknown = bytes;
        unknown[0] = 7;
        assert_eq!(GossipMessage::from_bytes(&unknown), None);
        assert_eq!(GossipMessage::from_bytes(&[]), None);
    }
}
