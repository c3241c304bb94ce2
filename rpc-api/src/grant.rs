//! [`ReadGrant`]: a member's signature asking to read one personal record (a record card, a purchase window,
//! a prescription, the attestations about a person), which the node checks before it answers.
//!
//! The grant signs, under the domain [`GRANT_DOMAIN`]: the chain's genesis hash, the method, the record asked
//! for (its SCALE key) and an expiry. So it cannot be replayed on another chain, for another method or another
//! person, nor after it expires; and it expires at most [`MAX_GRANT_MS`] after the node's clock, so a stolen
//! grant is worth minutes. The node then checks that the account is an active member of an active
//! organisation of a kind the record names ([`crate::records::PersonalRecord::readers`]), and logs the read.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use parity_scale_codec::Encode;
use serde::{Deserialize, Serialize};
use yima_frame::{AccountId, Hash, Moment};

/// What every read grant signs first.
pub const GRANT_DOMAIN: &[u8] = b"yima-read-grant/1";
/// Longest a grant may live past the node's clock: 5 minutes.
pub const MAX_GRANT_MS: Moment = 5 * 60 * 1000;

/// A signed request to read one personal record.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReadGrant {
    /// The member account asking.
    pub account: AccountId,
    /// When the grant stops counting, ms since the Unix epoch.
    pub expires: Moment,
    /// Its ed25519 signature (hex) over [`grant_message`].
    pub signature: String,
}

/// Why a grant does not count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// Its time is past.
    #[error("the read grant expired at {expires} ms; the node's clock says {now}: sign a new one")]
    Expired {
        /// Its expiry.
        expires: Moment,
        /// The node's clock.
        now: Moment,
    },
    /// It lives too long.
    #[error("a read grant may expire at most {} s ahead of the node's clock; this one expires {} s ahead: sign one that expires sooner (check the clocks)", MAX_GRANT_MS / 1000, (.expires - .now) / 1000)]
    TooLong {
        /// Its expiry.
        expires: Moment,
        /// The node's clock.
        now: Moment,
    },
    /// Its signature does not verify for this chain, method, record and expiry.
    #[error("the read grant's signature does not verify for account {0} on this chain, method and record")]
    BadSignature(AccountId),
}

/// The bytes a grant signs.
pub fn grant_message(genesis: &Hash, method: &str, record: &[u8], expires: Moment) -> Vec<u8> {
    (GRANT_DOMAIN, genesis, method.as_bytes(), record, expires).encode()
}

impl ReadGrant {
    /// `key`'s grant to read `record` (the SCALE key of what is asked) with `method` on the chain of `genesis`,
    /// until `expires`.
    pub fn sign(
        key: &SigningKey,
        genesis: &Hash,
        method: &str,
        record: &[u8],
        expires: Moment,
    ) -> Self {
        let signature = key.sign(&grant_message(genesis, method, record, expires));
        Self {
            account: AccountId::from(key.verifying_key()),
            expires,
            signature: format!("0x{}", hex::encode(signature.to_bytes())),
        }
    }

    /// Whether the grant counts at `now` (the node's clock) for `method` and `record` on `genesis`'s chain.
    /// Who the account is, and whether it may read, is the node's next check.
    pub fn check(
        &self,
        genesis: &Hash,
        method: &str,
        record: &[u8],
        now: Moment,
    ) -> Result<(), GrantError> {
        if self.expires <= now {
            return Err(GrantError::Expired {
                expires: self.expires,
                now,
            });
        }
        if self.expires - now > MAX_GRANT_MS {
            return Err(GrantError::TooLong {
                expires: self.expires,
                now,
            });
        }
        let bad = || GrantError::BadSignature(self.account);
        let bytes = hex::decode(self.signature.trim_start_matches("0x")).map_err(|_| bad())?;
        let signature = Signature::from_slice(&bytes).map_err(|_| bad())?;
        let key = self.account.verifying_key().ok_or_else(bad)?;
        key.verify(
            &grant_message(genesis, method, record, self.expires),
            &signature,
        )
        .map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Moment = 1_800_000_000_000;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn a_grant_counts_only_for_its_chain_method_record_and_time() {
        let genesis = Hash([7; 32]);
        let grant = ReadGrant::sign(
            &key(1),
            &genesis,
            "records_recordCard",
            b"wang",
            NOW + 60_000,
        );
        assert_eq!(
            grant.check(&genesis, "records_recordCard", b"wang", NOW),
            Ok(())
        );

        let bad = GrantError::BadSignature(grant.account);
        assert_eq!(
            grant.check(&Hash([8; 32]), "records_recordCard", b"wang", NOW),
            Err(bad.clone())
        );
        assert_eq!(
            grant.check(&genesis, "records_purchaseWindow", b"wang", NOW),
            Err(bad.clone())
        );
        assert_eq!(
            grant.check(&genesis, "records_recordCard", b"zhao", NOW),
            Err(bad.clone())
        );
        let mut later = grant.clone();
        later.expires += 1;
        assert_eq!(
            later.check(&genesis, "records_recordCard", b"wang", NOW),
            Err(bad.clone())
        );
        let mut other = grant.clone();
        other.account = AccountId::from(key(2).verifying_key());
        assert!(matches!(
            other.check(&genesis, "records_recordCard", b"wang", NOW),
            Err(GrantError::BadSignature(_))
        ));
        let mut garbled = grant.clone();
        garbled.signature = "0x1234".into();
        assert_eq!(
            garbled.check(&genesis, "records_recordCard", b"wang", NOW),
            Err(bad)
        );
    }

    #[test]
    fn a_grant_lives_minutes() {
        let genesis = Hash([7; 32]);
        let expired = ReadGrant::sign(&key(1), &genesis, "m", b"r", NOW);
        assert!(matches!(
            expired.check(&genesis, "m", b"r", NOW),
            Err(GrantError::Expired { .. })
        ));
        let long = ReadGrant::sign(&key(1), &genesis, "m", b"r", NOW + MAX_GRANT_MS + 1);
        let e = long.check(&genesis, "m", b"r", NOW).unwrap_err();
        assert!(matches!(e, GrantError::TooLong { .. }));
        assert!(e.to_string().contains("expires sooner"), "{e}");
        let longest = ReadGrant::sign(&key(1), &genesis, "m", b"r", NOW + MAX_GRANT_MS);
        assert_eq!(longest.check(&genesis, "m", b"r", NOW), Ok(()));
    }
}
