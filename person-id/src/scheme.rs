//! What a chain names about its person ids: the derivation and a commitment to its key (genesis, then state).

use parity_scale_codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use yima_frame::Hash;

use crate::{PersonIdKey, ResidentId};

/// How pseudonymous ids are derived from resident ids.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Derivation {
    /// HMAC-SHA-256 under the chain's key over the 18 normalised characters of a GB 11643 resident id
    /// ([`PersonIdKey::derive`]).
    #[codec(index = 0)]
    HmacSha256Gb11643,
}

/// A chain's person-id derivation: named in the chain spec's genesis, kept in state by the attestation pallet.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonIdScheme {
    /// The derivation.
    pub derivation: Derivation,
    /// [`PersonIdKey::commitment`] of the chain's key.
    pub key_commitment: Hash,
}

/// Why a key cannot derive ids for a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    /// The key is not the one the chain names.
    #[error(
        "this person-id key (commitment {ours}) is not the chain's (commitment {chain}): ids derived with it \
         would match no other member's; use the key file the chain's regulator handed out"
    )]
    WrongKey {
        /// The key's commitment.
        ours: Hash,
        /// The chain's.
        chain: Hash,
    },
}

impl PersonIdScheme {
    /// The scheme of a chain whose members hold `key`.
    pub fn for_key(key: &PersonIdKey) -> PersonIdScheme {
        PersonIdScheme {
            derivation: Derivation::HmacSha256Gb11643,
            key_commitment: key.commitment(),
        }
    }

    /// Accepts `key` if it is the chain's.
    pub fn check_key(&self, key: &PersonIdKey) -> Result<(), SchemeError> {
        let ours = key.commitment();
        if ours != self.key_commitment {
            return Err(SchemeError::WrongKey {
                ours,
                chain: self.key_commitment,
            });
        }
        Ok(())
    }

    /// The person's id on this chain, after checking `key` is the chain's.
    pub fn derive(&self, key: &PersonIdKey, id: &ResidentId) -> Result<[u8; 32], SchemeError> {
        self.check_key(key)?;
        let Derivation::HmacSha256Gb11643 = self.derivation;
        Ok(key.derive(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_with_another_key_is_told_before_deriving() {
        let scheme = PersonIdScheme::for_key(&PersonIdKey::dev());
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(
            scheme.derive(&PersonIdKey::dev(), &id),
            Ok(PersonIdKey::dev().derive(&id))
        );
        let err = scheme
            .derive(&PersonIdKey::from_bytes([1; 32]), &id)
            .unwrap_err();
        assert!(matches!(err, SchemeError::WrongKey { .. }));
        assert!(err.to_string().contains("regulator handed out"));
    }

    #[test]
    fn the_chain_spec_names_it_in_json() {
        let scheme = PersonIdScheme::for_key(&PersonIdKey::dev());
        let json = serde_json::to_value(scheme).unwrap();
        assert_eq!(json["derivation"], "hmac-sha256-gb11643");
        assert_eq!(
            serde_json::from_value::<PersonIdScheme>(json).unwrap(),
            scheme
        );
    }
}
