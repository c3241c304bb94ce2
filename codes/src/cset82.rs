//! Values over GS1 character set 82: [`LotNumber`] (AI 10) and [`SerialNumber`] (AI 21).
//!
//! GS1 character set 82 is the printable-ASCII subset `!"%&'()*+,-./0-9:;<=>?A-Z_a-z` (no space, `#`, `$`, `@`,
//! `[`, `\`, `]`, `^`, `` ` ``, `{`, `|`, `}`, `~`). A lot or serial number has 1 to 20 of these characters.
//! Values are case-sensitive and kept exactly as given.
//!
//! Both types hold their bytes inline (`[u8; 20]` plus a length, zero-padded), so they are `Copy`; ordering is
//! the byte order of the text. SCALE encodes them like a `String` (compact length, then the bytes); decoding
//! refuses a length outside 1..=20 before reading, and any byte outside the set.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Compact, Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::digits::ascii_str;
use crate::error::{CodeError, TextField};

/// The most characters a lot number, serial number or CPV may have.
pub const MAX_LEN: usize = 20;

/// Whether `c` is in GS1 character set 82.
pub fn is_cset82(c: char) -> bool {
    matches!(c, '!' | '"' | '%'..='/' | '0'..='9' | ':'..='?' | 'A'..='Z' | '_' | 'a'..='z')
}

/// Checks a lot, serial or CPV value: 1 to 20 characters, all in set 82.
pub(crate) fn validate_text(s: &str, field: TextField) -> Result<(), CodeError> {
    let got = s.chars().count();
    if got == 0 || got > MAX_LEN {
        return Err(CodeError::TextLength { field, got });
    }
    match s.chars().enumerate().find(|(_, c)| !is_cset82(*c)) {
        Some((i, character)) => Err(CodeError::TextCharacter {
            field,
            character,
            position: i + 1,
        }),
        None => Ok(()),
    }
}

macro_rules! cset82_value {
    ($(#[$meta:meta])* $name:ident, $field:expr, $decode_error:literal) => {
        $(#[$meta])*
        // Field order matters for the derived `Ord`: the zero-padded bytes first give text order (no valid
        // character is 0).
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name {
            bytes: [u8; MAX_LEN],
            len: u8,
        }

        impl $name {
            /// Validates a value: 1 to 20 characters of GS1 character set 82.
            pub fn parse(s: &str) -> Result<Self, CodeError> {
                validate_text(s, $field)?;
                let mut bytes = [0u8; MAX_LEN];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                // 1..=20 after validation.
                Ok(Self { bytes, len: s.len() as u8 })
            }

            /// Validates raw bytes (as SCALE carries them).
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, CodeError> {
                match std::str::from_utf8(bytes) {
                    Ok(s) => Self::parse(s),
                    Err(e) => {
                        let at = e.valid_up_to();
                        Err(CodeError::TextCharacter {
                            field: $field,
                            character: char::from(bytes[at]),
                            position: at + 1,
                        })
                    }
                }
            }

            /// The bytes of the value (ASCII).
            pub fn as_bytes(&self) -> &[u8] {
                &self.bytes[..usize::from(self.len)]
            }

            /// The value as text.
            pub fn as_str(&self) -> &str {
                ascii_str(self.as_bytes())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = CodeError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl Encode for $name {
            fn size_hint(&self) -> usize {
                1 + usize::from(self.len)
            }

            fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
                self.as_bytes().encode_to(dest)
            }
        }

        impl EncodeLike for $name {}

        impl Decode for $name {
            fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
                let len = <Compact<u32>>::decode(input)?.0 as usize;
                if len == 0 || len > MAX_LEN {
                    return Err($decode_error.into());
                }
                let mut bytes = [0u8; MAX_LEN];
                input.read(&mut bytes[..len])?;
                Self::from_bytes(&bytes[..len]).map_err(|_| $decode_error.into())
            }
        }

        impl MaxEncodedLen for $name {
            fn max_encoded_len() -> usize {
                // A compact length of at most 63 takes one byte.
                1 + MAX_LEN
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

cset82_value!(
    /// A batch or lot number, GS1 AI (10): 1 to 20 characters of GS1 character set 82.
    LotNumber,
    TextField::Lot,
    "not a valid lot number (1 to 20 characters of GS1 character set 82)"
);

cset82_value!(
    /// A serial number, GS1 AI (21): 1 to 20 characters of GS1 character set 82. With a [`Gtin`](crate::Gtin)
    /// it names one item.
    SerialNumber,
    TextField::Serial,
    "not a valid serial number (1 to 20 characters of GS1 character set 82)"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_82_has_82_characters() {
        assert_eq!(
            (0u8..=127).filter(|&b| is_cset82(char::from(b))).count(),
            82
        );
    }

    #[test]
    fn max_encoded_len_is_a_one_byte_compact_plus_twenty() {
        let longest = LotNumber::parse("ABCDEFGHIJKLMNOPQRST").unwrap();
        assert_eq!(longest.encode().len(), LotNumber::max_encoded_len());
        assert_eq!(LotNumber::max_encoded_len(), 21);
    }
}
