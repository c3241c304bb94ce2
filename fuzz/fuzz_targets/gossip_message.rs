//! Untrusted gossip bytes → `GossipMessage` (`yima-network`'s wire format, what every peer's transaction batch
//! arrives as): must never panic, and whatever decodes must re-encode to the same bytes and decode back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_network::wire::GossipMessage;

fuzz_target!(|data: &[u8]| {
    if let Some(message) = GossipMessage::from_bytes(data) {
        let bytes = message.to_bytes();
        assert_eq!(
            bytes, data,
            "a received message is exactly one canonical message"
        );
        assert_eq!(GossipMessage::from_bytes(&bytes).as_ref(), Some(&message));
        let GossipMessage::Transactions(txs) = &message;
        assert!(
            bytes.len() <= GossipMessage::encoded_bound(txs.len(), txs.iter().map(Vec::len).sum())
        );
    }
});
