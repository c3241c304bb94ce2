//! Well-known development keys, derived from a name: `seed = SHA-256("yima dev seed //" ‖ name)`.
//! Anyone can derive them, so they only belong on dev, local and demo chains.

use ed25519_dalek::SigningKey;
use yima_frame::{sha256, AccountId};

/// The names the presets use, in order: the first four are the `local` validators.
pub const DEV_NAMES: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];

/// The signing key for a dev name.
pub fn dev_key(name: &str) -> SigningKey {
    SigningKey::from_bytes(&sha256(format!("yima dev seed //{name}").as_bytes()).0)
}

/// The account (public key) of a dev name.
pub fn dev_account(name: &str) -> AccountId {
    AccountId::from(dev_key(name).verifying_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_keys_are_stable_and_distinct() {
        assert_eq!(dev_account("alice"), dev_account("alice"));
        assert_ne!(dev_account("alice"), dev_account("bob"));
        assert!(dev_account("alice").verifying_key().is_some());
    }
}
