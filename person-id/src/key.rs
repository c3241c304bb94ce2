//! The chain's person-id key: a 32-byte secret, HMAC-SHA-256 under it, and its public commitment.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use yima_frame::Hash;
use zeroize::Zeroize;

use crate::ResidentId;

/// Bytes of a key.
pub const KEY_BYTES: usize = 32;

/// What the commitment hashes before the key: a commitment is never an HMAC output or another protocol's hash.
const COMMITMENT_TAG: &[u8] = b"yima person-id key commitment v1\0";

/// The dev and test chains' key: public, so anyone can reproduce the demo's ids. Never for a real chain.
const DEV_SEED: &[u8] = b"yima dev person-id key: public, never for a real chain";

/// The secret every member of one chain derives person ids under. Its bytes are wiped when dropped, and neither
/// `Debug` nor any message prints them.
#[derive(Clone)]
pub struct PersonIdKey {
    bytes: [u8; KEY_BYTES],
    /// HMAC's inner and outer states after the key's block: each derivation then hashes only the id.
    keyed: Hmac<Sha256>,
}

/// Why a key file is not a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not 64 hex digits.
    #[error(
        "a person-id key is 64 hex digits (32 bytes) on one line; this has {0} characters that are not that — \
         use the file the regulator handed out, or `yima person-id generate-key` for a new chain"
    )]
    NotHex(usize),
}

impl PersonIdKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> PersonIdKey {
        let keyed =
            <Hmac<Sha256> as Mac>::new_from_slice(&bytes).expect("HMAC takes keys of any length");
        PersonIdKey { bytes, keyed }
    }

    /// A key from 64 hex digits (optional `0x`, surrounding whitespace ignored): a key file's text.
    pub fn from_hex(text: &str) -> Result<PersonIdKey, KeyError> {
        let t = text.trim();
        let t = t.strip_prefix("0x").unwrap_or(t);
        let mut bytes = [0u8; KEY_BYTES];
        hex::decode_to_slice(t, &mut bytes).map_err(|_| KeyError::NotHex(t.len()))?;
        let key = Self::from_bytes(bytes);
        bytes.zeroize();
        Ok(key)
    }

    /// The key as a key file holds it: 64 hex digits and a newline.
    pub fn to_hex(&self) -> String {
        format!("{}\n", hex::encode(self.bytes))
    }

    /// The dev, local and demo chains' key (public: see [`DEV_SEED`]).
    pub fn dev() -> PersonIdKey {
        Self::from_bytes(Sha256::digest(DEV_SEED).into())
    }

    /// What the chain spec names instead of the key: SHA-256 over a tag and the key. It reveals nothing of the key
    /// (32 random bytes) and tells a member whether its key is the chain's.
    pub fn commitment(&self) -> Hash {
        let mut h = Sha256::new();
        h.update(COMMITMENT_TAG);
        h.update(self.bytes);
        Hash(h.finalize().into())
    }

    /// The person's pseudonymous id: HMAC-SHA-256(key, the 18 normalised characters of their resident id).
    pub fn derive(&self, id: &ResidentId) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(id.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

impl Drop for PersonIdKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for PersonIdKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonIdKey(commitment {})", self.commitment())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_rfc_2104_hmac_sha256_over_the_normalised_id() {
        // Reference value by a second implementation (Python: hmac.new(bytes(32*[7]), b"11010519491231002X",
        // "sha256").hexdigest()).
        let key = PersonIdKey::from_bytes([7; 32]);
        let id = ResidentId::parse("110105 19491231 002x").unwrap();
        assert_eq!(
            hex::encode(key.derive(&id)),
            "e36da84fef3a1c6a3ea976b0ae4b9fe3dec7f484c700ccc7492e231095d58ec5"
        );
        // The first-generation form of the same person: the same id.
        assert_eq!(
            key.derive(&ResidentId::parse("110105491231002").unwrap()),
            key.derive(&id)
        );
    }

    #[test]
    fn another_key_gives_another_id_and_another_commitment() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        let (a, b) = (PersonIdKey::dev(), PersonIdKey::from_bytes([7; 32]));
        assert_ne!(a.derive(&id), b.derive(&id));
        assert_ne!(a.commitment(), b.commitment());
        assert_eq!(a.commitment(), PersonIdKey::dev().commitment());
    }

    #[test]
    fn key_files_round_trip_and_bad_ones_say_what_a_key_is() {
        let key = PersonIdKey::from_bytes([0xab; 32]);
        let text = key.to_hex();
        assert_eq!(
            PersonIdKey::from_hex(&text).unwrap().commitment(),
            key.commitment()
        );
        assert_eq!(
            PersonIdKey::from_hex(&format!("0x{}", text.trim()))
                .unwrap()
                .commitment(),
            key.commitment()
        );
        let err = PersonIdKey::from_hex("abcd").unwrap_err();
        assert_eq!(err, KeyError::NotHex(4));
        assert!(err.to_string().contains("64 hex digits"));
    }

    #[test]
    fn debug_shows_the_commitment_not_the_key() {
        let key = PersonIdKey::from_bytes([0xab; 32]);
        let shown = format!("{key:?}");
        assert!(!shown.contains("abababab"), "{shown}");
        assert!(shown.contains("commitment"));
    }
}
