//! The GS1 Global Individual Asset Identifier ([`Giai`], AI 8004): the code an owner puts on one piece of
//! equipment — an elevator, a boiler, a crane — under its own GS1 Company Prefix.
//!
//! **Format** (GS1 General Specifications §3.9.13): the GS1 Company Prefix, then an individual asset reference,
//! 30 characters at most, all of GS1 character set 82. Without GS1's table of prefix lengths the prefix cannot be
//! told from the reference, so we check what every GIAI shares: it starts with **at least four digits** (the
//! shortest company prefix) and has at least one character after them, so 5 to 30 characters in all.
//!
//! **Where it appears**: `(8004)0614141ABC-7` in an element string, `/8004/0614141ABC-7` as a GS1 Digital Link
//! path (a primary key: no qualifier follows it); see [`crate::Gs1Key::giai`]. A GIAI names equipment, not goods:
//! [`crate::Gs1Key::to_trace_code`] refuses it ([`CodeError::GiaiNotTraceable`]), and the equipment register
//! resolves it to the unit's registration number ([`crate::equipment`]).
//!
//! **Encoding**: inline bytes (`[u8; 30]` and a length), so it is `Copy`; ordered by its text; SCALE encodes it
//! like a `String`, and decoding refuses what parsing refuses.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Compact, Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cset82::is_cset82;
use crate::digits::ascii_str;
use crate::error::CodeError;

/// The most characters of a GIAI.
pub const MAX_GIAI_LEN: usize = 30;
/// The digits every GIAI starts with at least (the shortest GS1 Company Prefix).
pub const MIN_PREFIX_DIGITS: usize = 4;

/// A GS1 Global Individual Asset Identifier (AI 8004); see the module docs.
// Field order matters for the derived `Ord`: the zero-padded bytes first give text order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Giai {
    bytes: [u8; MAX_GIAI_LEN],
    len: u8,
}

impl Giai {
    /// Validates a GIAI: 5 to 30 characters of GS1 character set 82, the first four digits.
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let got = s.chars().count();
        if got <= MIN_PREFIX_DIGITS || got > MAX_GIAI_LEN {
            return Err(CodeError::GiaiLength { got });
        }
        if let Some((i, character)) = s.chars().enumerate().find(|(_, c)| !is_cset82(*c)) {
            return Err(CodeError::GiaiCharacter {
                character,
                position: i + 1,
            });
        }
        if !s
            .bytes()
            .take(MIN_PREFIX_DIGITS)
            .all(|b| b.is_ascii_digit())
        {
            return Err(CodeError::GiaiPrefix);
        }
        let mut bytes = [0u8; MAX_GIAI_LEN];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        // 5..=30 ASCII characters after validation.
        Ok(Self {
            bytes,
            len: s.len() as u8,
        })
    }

    /// The GIAI as text.
    pub fn as_str(&self) -> &str {
        ascii_str(&self.bytes[..usize::from(self.len)])
    }

    /// Its canonical GS1 Digital Link path, `/8004/{giai}` (percent-encoded).
    pub fn digital_link_path(&self) -> String {
        let mut out = String::from("/8004/");
        crate::digital_link::percent_encode(self.as_str(), &mut out);
        out
    }
}

impl fmt::Display for Giai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Giai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Giai({:?})", self.as_str())
    }
}

impl FromStr for Giai {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Encode for Giai {
    fn size_hint(&self) -> usize {
        1 + usize::from(self.len)
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        self.as_str().as_bytes().encode_to(dest)
    }
}

impl EncodeLike for Giai {}

impl Decode for Giai {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        const INVALID: &str = "invalid GIAI";
        let len = <Compact<u32>>::decode(input)?.0 as usize;
        if len <= MIN_PREFIX_DIGITS || len > MAX_GIAI_LEN {
            return Err(INVALID.into());
        }
        let mut bytes = [0u8; MAX_GIAI_LEN];
        input.read(&mut bytes[..len])?;
        let text = std::str::from_utf8(&bytes[..len]).map_err(|_| INVALID)?;
        Self::parse(text).map_err(|_| INVALID.into())
    }
}

impl MaxEncodedLen for Giai {
    fn max_encoded_len() -> usize {
        // A compact length of at most 63 takes one byte.
        1 + MAX_GIAI_LEN
    }
}

impl Serialize for Giai {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Giai {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_prefix_and_a_reference() {
        let giai = Giai::parse("0614141ABC-7").unwrap();
        assert_eq!(giai.as_str(), "0614141ABC-7");
        assert_eq!(giai.digital_link_path(), "/8004/0614141ABC-7");
        let long = "0".repeat(4) + &"A".repeat(26);
        assert!(Giai::parse(&long).is_ok());
    }

    #[test]
    fn refuses_what_is_no_giai() {
        assert_eq!(Giai::parse("0614"), Err(CodeError::GiaiLength { got: 4 }));
        let long = "0".repeat(31);
        assert_eq!(Giai::parse(&long), Err(CodeError::GiaiLength { got: 31 }));
        assert_eq!(Giai::parse("06A4141"), Err(CodeError::GiaiPrefix));
        assert_eq!(
            Giai::parse("0614141 A"),
            Err(CodeError::GiaiCharacter {
                character: ' ',
                position: 8
            })
        );
        assert_eq!(
            Giai::parse("0614141电梯"),
            Err(CodeError::GiaiCharacter {
                character: '电',
                position: 8
            })
        );
    }

    #[test]
    fn scale_round_trips_and_refuses_invalid_bytes() {
        let giai = Giai::parse("95212345ELEV/01").unwrap();
        let bytes = giai.encode();
        assert_eq!(bytes, "95212345ELEV/01".encode());
        assert_eq!(Giai::decode(&mut &bytes[..]), Ok(giai));
        assert!(Giai::decode(&mut &"ABCD1234".encode()[..]).is_err());
        assert!(Giai::decode(&mut &"0614".encode()[..]).is_err());
    }
}
