//! Primitive types shared by every pallet, the runtime, the node and the client.

use std::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// Height of a block; genesis is 0.
pub type BlockNumber = u64;

/// Milliseconds since the Unix epoch, UTC. Set by the block proposer, never read from a clock in the runtime.
pub type Moment = u64;

/// Sequential identifier of an admitted organisation.
pub type OrgId = u32;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Hash {
    Hash(Sha256::digest(data).into())
}

macro_rules! bytes32 {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
        )]
        pub struct $name(pub [u8; 32]);

        impl $name {
            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }

            /// Lower-case hex without a prefix.
            pub fn to_hex(&self) -> String {
                hex::encode(self.0)
            }

            /// Parses 64 hex digits, with or without a `0x` prefix.
            pub fn from_hex(s: &str) -> Result<Self, HexError> {
                let s = s.strip_prefix("0x").unwrap_or(s);
                let mut out = [0u8; 32];
                hex::decode_to_slice(s, &mut out).map_err(|_| HexError {
                    what: stringify!($name),
                    got: s.len(),
                })?;
                Ok(Self(out))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "0x{}", self.to_hex())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "0x{}…", &self.to_hex()[..12])
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_string())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::from_hex(&s).map_err(serde::de::Error::custom)
            }
        }

        impl From<[u8; 32]> for $name {
            fn from(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }
        }
    };
}

bytes32!(
    /// An account: the 32-byte ed25519 public key that signs its transactions.
    AccountId
);
bytes32!(
    /// A SHA-256 digest.
    Hash
);

/// A hex string that is not 32 bytes of hex.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} must be 64 hex digits (32 bytes, optional 0x prefix); got {got} characters that are not that")]
pub struct HexError {
    what: &'static str,
    got: usize,
}

impl AccountId {
    /// The ed25519 verifying key, or `None` when the bytes are not a valid curve point.
    pub fn verifying_key(&self) -> Option<ed25519_dalek::VerifyingKey> {
        ed25519_dalek::VerifyingKey::from_bytes(&self.0).ok()
    }
}

impl From<ed25519_dalek::VerifyingKey> for AccountId {
    fn from(key: ed25519_dalek::VerifyingKey) -> Self {
        Self(key.to_bytes())
    }
}

/// One role an account may hold inside its organisation. The discriminant is the role's bit in [`Roles`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the accounts of its own organisation (add, suspend, set roles).
    #[codec(index = 0)]
    Admin,
    /// Submits custody records and other operational transactions for its organisation.
    #[codec(index = 1)]
    Operator,
    /// Records inspection and test results, issues attestations.
    #[codec(index = 2)]
    Inspector,
    /// Votes in regulator governance (M-of-N approvals); only meaningful in a regulator organisation.
    #[codec(index = 3)]
    Governance,
}

impl Role {
    /// Every role, in bit order.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Operator,
        Role::Inspector,
        Role::Governance,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of [`Role`]s, one bit each.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen)]
pub struct Roles(u8);

impl Roles {
    /// No role at all.
    pub const NONE: Roles = Roles(0);

    /// The set holding exactly `roles`.
    pub fn of(roles: &[Role]) -> Self {
        Roles(roles.iter().fold(0, |acc, r| acc | r.bit()))
    }

    /// Whether `role` is in the set.
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// The roles in the set, in bit order.
    pub fn to_vec(self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| self.contains(*r))
            .collect()
    }

    /// The raw bits; bits above the known roles are never set by [`Roles::of`].
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether the set only holds known roles (a decoded value may carry unknown bits).
    pub fn is_known(self) -> bool {
        self.0 & !Roles::of(&Role::ALL).0 == 0
    }
}

impl fmt::Debug for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.to_vec()).finish()
    }
}

impl Serialize for Roles {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_vec().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Roles {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Roles::of(&Vec::<Role>::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_published_vector() {
        assert_eq!(
            sha256(b"abc").to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hex_round_trips_and_rejects_short_input() {
        let h = sha256(b"x");
        assert_eq!(Hash::from_hex(&h.to_string()).unwrap(), h);
        assert!(Hash::from_hex("0xabcd").is_err());
        assert!(AccountId::from_hex(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn roles_are_a_set() {
        let r = Roles::of(&[Role::Admin, Role::Inspector]);
        assert!(r.contains(Role::Admin) && r.contains(Role::Inspector));
        assert!(!r.contains(Role::Operator));
        assert_eq!(r.to_vec(), vec![Role::Admin, Role::Inspector]);
        assert!(r.is_known());
        assert!(!Roles(0x80).is_known());
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"["admin","inspector"]"#);
        assert_eq!(serde_json::from_str::<Roles>(&json).unwrap(), r);
    }
}
