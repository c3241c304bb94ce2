//! The unified social credit code (统一社会信用代码, USCC) of GB 32100-2015 that every organisation carries.
//!
//! A USCC is 18 characters over the 31-symbol alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY` (the digits and the
//! capital letters without I, O, S, V and Z). The 18th character is a check character: with the values of the
//! first 17 characters (their positions in the alphabet) weighted by 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8,
//! 24, 10, 30, 28, the check value is `31 − (Σ mod 31)`, with 31 written as `0` (DOMAIN.md §2).
//!
//! Only the alphabet and the check character are validated: the registration-authority, type and
//! administrative-division fields are not interpreted.
//!
//! A [`Uscc`] value is always valid and canonical (upper case): [`Uscc::parse`] upper-cases its input, and SCALE
//! decoding refuses bytes that are not a valid upper-case code, so that one organisation has exactly one storage key.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The 31 symbols of the USCC alphabet; a symbol's value is its index.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of the first 17 characters.
pub const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Number of characters in a USCC.
pub const LEN: usize = 18;

/// A valid unified social credit code, stored as its 18 upper-case ASCII characters.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uscc([u8; LEN]);

/// Why a string is not a USCC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    /// Not 18 characters long.
    #[error("a USCC has 18 characters, got {got}")]
    WrongLength {
        /// How many characters the input has.
        got: usize,
    },
    /// A character outside the alphabet (`position` counts from 1).
    #[error(
        "character '{character}' at position {position} is not in the USCC alphabet \
         (0-9 and A-Z without I, O, S, V, Z)"
    )]
    InvalidCharacter {
        /// The offending character, as given.
        character: char,
        /// Its position, counting from 1.
        position: usize,
    },
    /// The 18th character does not match the first 17.
    #[error("USCC check character is '{found}', expected '{expected}'")]
    CheckMismatch {
        /// The check character given (upper-cased).
        found: char,
        /// The check character the first 17 characters call for.
        expected: char,
    },
}

fn value_of(symbol: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == symbol).map(|p| p as u32)
}

fn check_symbol(body: &[u32; LEN - 1]) -> u8 {
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET[check as usize]
}

impl Uscc {
    /// Parses and validates a USCC; lower-case letters are accepted and upper-cased.
    pub fn parse(s: &str) -> Result<Uscc, UsccError> {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != LEN {
            return Err(UsccError::WrongLength { got: chars.len() });
        }
        let mut bytes = [0u8; LEN];
        for (i, c) in chars.iter().enumerate() {
            let upper = c.to_ascii_uppercase();
            if !upper.is_ascii() || value_of(upper as u8).is_none() {
                return Err(UsccError::InvalidCharacter {
                    character: *c,
                    position: i + 1,
                });
            }
            bytes[i] = upper as u8;
        }
        Self::from_bytes(bytes)
    }

    /// Validates 18 canonical (upper-case ASCII) bytes.
    pub fn from_bytes(bytes: [u8; LEN]) -> Result<Uscc, UsccError> {
        let mut body = [0u32; LEN - 1];
        for (i, &b) in bytes.iter().enumerate() {
            let v = value_of(b).ok_or(UsccError::InvalidCharacter {
                character: char::from(b),
                position: i + 1,
            })?;
            if let Some(slot) = body.get_mut(i) {
                *slot = v;
            }
        }
        let expected = check_symbol(&body);
        if bytes[LEN - 1] != expected {
            return Err(UsccError::CheckMismatch {
                found: char::from(bytes[LEN - 1]),
                expected: char::from(expected),
            });
        }
        Ok(Uscc(bytes))
    }

    /// The check character that completes `body` (the first 17 characters, upper case), or `None` when one of
    /// them is not in the alphabet. Tools use it to mint test codes.
    pub fn check_character(body: &[u8; LEN - 1]) -> Option<char> {
        let mut values = [0u32; LEN - 1];
        for (slot, &b) in values.iter_mut().zip(body) {
            *slot = value_of(b)?;
        }
        Some(char::from(check_symbol(&values)))
    }

    /// The 18 ASCII bytes.
    pub fn as_bytes(&self) -> &[u8; LEN] {
        &self.0
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a Uscc holds ASCII only")
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uscc({})", self.as_str())
    }
}

impl FromStr for Uscc {
    type Err = UsccError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uscc::parse(s)
    }
}

impl Encode for Uscc {
    fn size_hint(&self) -> usize {
        LEN
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        dest.write(&self.0)
    }
}

impl EncodeLike for Uscc {}

impl Decode for Uscc {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        let bytes = <[u8; LEN]>::decode(input)?;
        Uscc::from_bytes(bytes).map_err(|_| "not a valid upper-case USCC (GB 32100-2015)".into())
    }
}

impl MaxEncodedLen for Uscc {
    fn max_encoded_len() -> usize {
        LEN
    }
}

impl Serialize for Uscc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Uscc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Uscc::parse(&s).map_err(serde::de::Error::custom)
    }
}
