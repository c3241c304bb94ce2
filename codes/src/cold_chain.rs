//! Our cold-chain food trace code (冷链食品追溯码), issued on chain when imported goods enter the supervised
//! first-stop warehouse (DOMAIN.md §2, §4). The format is ours; this module is its specification.
//!
//! # Scheme
//!
//! ```text
//! CL 330100 0000000001 K
//! ── ────── ────────── ─
//! │  │      │          └ check character, ISO/IEC 7064 MOD 37,36 over the 16 digits
//! │  │      └ serial: 10 digits, assigned by the issuer (zero-padded)
//! │  └ issuer: the supervised warehouse's 6-digit registration number (zero-padded)
//! └ literal "CL"
//! ```
//!
//! 19 characters in all. The check character is computed with the ISO/IEC 7064 **MOD 37,36** hybrid system over
//! the 16 digits (the `CL` prefix is not included), alphabet `0-9A-Z` with values 0–35:
//!
//! ```text
//! p ← 36
//! for each digit d:   s ← (p + d) mod 36, with 0 written as 36;   p ← 2·s mod 37
//! check value ← (37 − p) mod 36          (so that one more step with it would give s = 1)
//! ```
//!
//! The check catches every single-character substitution. It catches most, **not all**, transpositions of
//! adjacent digits: a swap goes undetected when the running value happens to come out the same, about 1 swap in
//! 180 on random codes (0.56 %); e.g. `CL3310000000000001K` is as valid as `CL3301000000000001K` below. That is
//! the known limit of the ISO/IEC 7064 hybrid systems; codes are scanned, not typed, so we accept it.
//!
//! The canonical form is upper case; [`ColdChainCode::parse`] also accepts `cl…` and a lower-case check letter.
//!
//! # Worked example (by hand)
//!
//! Issuer 330100, serial 1 → digits `3301000000000001`:
//!
//! ```text
//! digit    3   3   0   1   0   0   0   0   0   0   0   0   0   0   0   1
//! p in    36   6  18  36   2   4   8  16  32  27  17  34  31  25  13  26
//! s        3   9  18   1   2   4   8  16  32  27  17  34  31  25  13  27
//! p out    6  18  36   2   4   8  16  32  27  17  34  31  25  13  26  17
//! ```
//!
//! check value = (37 − 17) mod 36 = 20 → `K`, so the code is `CL3301000000000001K`. More vectors (checked
//! against a second, independent implementation):
//!
//! | issuer | serial       | code                   |
//! |--------|--------------|------------------------|
//! | 0      | 0            | `CL00000000000000009`  |
//! | 1      | 1            | `CL0000010000000001V`  |
//! | 123456 | 1234567890   | `CL1234561234567890C`  |
//! | 999999 | 9999999999   | `CL9999999999999999C`  |
//!
//! The implementation is also checked against the published GRid example `A1-2425G-ABC1234002-M`, which uses the
//! same MOD 37,36 system.
//!
//! # Encoding
//!
//! SCALE encodes a code as its issuer (`u32`, little-endian) then its serial (`u64`): 12 bytes; the check
//! character is derived, so it cannot be wrong. Decoding refuses an issuer ≥ 10⁶ or a serial ≥ 10¹⁰. Serde uses
//! the 19-character string.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::digits::{ascii_str, digits_of, value_of};
use crate::error::{CodeError, CodeKind};

/// Characters in a cold-chain code.
pub const COLD_CHAIN_LEN: usize = 19;

/// Issuer numbers are below this (6 digits).
pub const MAX_ISSUER: u32 = 1_000_000;

/// Serials are below this (10 digits).
pub const MAX_SERIAL: u64 = 10_000_000_000;

/// The MOD 37,36 alphabet; a character's value is its index.
const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A cold-chain trace code `CL` + 6-digit issuer + 10-digit serial + MOD 37,36 check character.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColdChainCode([u8; COLD_CHAIN_LEN]);

/// The value of an upper-case alphanumeric ASCII character (`0-9` → 0–9, `A-Z` → 10–35).
fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// The ISO/IEC 7064 MOD 37,36 check character for upper-case alphanumeric ASCII `data`, or `None` when a
/// character is outside `0-9A-Z`.
pub(crate) fn mod37_36(data: &[u8]) -> Option<u8> {
    let mut p = 36u32;
    for &c in data {
        let mut s = (p + value(c)?) % 36;
        if s == 0 {
            s = 36;
        }
        p = (2 * s) % 37;
    }
    Some(ALPHABET[((37 - p) % 36) as usize])
}

impl ColdChainCode {
    /// Builds the code for `issuer` (below 1 000 000) and `serial` (below 10¹⁰), computing its check character.
    pub fn new(issuer: u32, serial: u64) -> Result<ColdChainCode, CodeError> {
        let issuer_digits =
            digits_of::<6>(u64::from(issuer)).ok_or(CodeError::ColdChainIssuer { issuer })?;
        let serial_digits = digits_of::<10>(serial).ok_or(CodeError::ColdChainSerial { serial })?;
        let mut bytes = [0u8; COLD_CHAIN_LEN];
        bytes[..2].copy_from_slice(b"CL");
        bytes[2..8].copy_from_slice(&issuer_digits);
        bytes[8..18].copy_from_slice(&serial_digits);
        // Digits only, so always Some.
        bytes[18] = mod37_36(&bytes[2..18]).unwrap_or(b'0');
        Ok(ColdChainCode(bytes))
    }

    /// Parses and verifies a code; `cl` and a lower-case check letter are accepted and upper-cased.
    pub fn parse(s: &str) -> Result<ColdChainCode, CodeError> {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != COLD_CHAIN_LEN {
            return Err(CodeError::ColdChainLength { got: chars.len() });
        }
        if !chars[0].eq_ignore_ascii_case(&'C') || !chars[1].eq_ignore_ascii_case(&'L') {
            return Err(CodeError::ColdChainPrefix {
                found: chars[..2].iter().collect(),
            });
        }
        let mut bytes = [0u8; COLD_CHAIN_LEN];
        bytes[..2].copy_from_slice(b"CL");
        for (i, &c) in chars.iter().enumerate().take(18).skip(2) {
            if !c.is_ascii_digit() {
                return Err(CodeError::NotADigit {
                    kind: CodeKind::ColdChain,
                    character: c,
                    position: i + 1,
                });
            }
            bytes[i] = c as u8;
        }
        let check = chars[18].to_ascii_uppercase();
        if !check.is_ascii_alphanumeric() {
            return Err(CodeError::ColdChainCheckCharacter {
                character: chars[18],
            });
        }
        bytes[18] = check as u8;
        let expected = mod37_36(&bytes[2..18]).unwrap_or(b'0');
        if bytes[18] != expected {
            return Err(CodeError::ColdChainCheck {
                found: check,
                expected: char::from(expected),
            });
        }
        Ok(ColdChainCode(bytes))
    }

    /// The issuer: the supervised warehouse's registration number.
    pub fn issuer(&self) -> u32 {
        // Six digits fit a u32.
        value_of(&self.0[2..8]) as u32
    }

    /// The serial within the issuer.
    pub fn serial(&self) -> u64 {
        value_of(&self.0[8..18])
    }

    /// The check character.
    pub fn check_character(&self) -> char {
        char::from(self.0[18])
    }

    /// The 19 ASCII bytes.
    pub fn as_bytes(&self) -> &[u8; COLD_CHAIN_LEN] {
        &self.0
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        ascii_str(&self.0)
    }
}

impl fmt::Display for ColdChainCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ColdChainCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ColdChainCode({})", self.as_str())
    }
}

impl FromStr for ColdChainCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ColdChainCode::parse(s)
    }
}

impl Encode for ColdChainCode {
    fn size_hint(&self) -> usize {
        12
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        self.issuer().encode_to(dest);
        self.serial().encode_to(dest);
    }
}

impl EncodeLike for ColdChainCode {}

impl Decode for ColdChainCode {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        let issuer = u32::decode(input)?;
        let serial = u64::decode(input)?;
        ColdChainCode::new(issuer, serial).map_err(|_| {
            "not a valid cold-chain code (issuer below 10^6, serial below 10^10)".into()
        })
    }
}

impl MaxEncodedLen for ColdChainCode {
    fn max_encoded_len() -> usize {
        12
    }
}

impl Serialize for ColdChainCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ColdChainCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ColdChainCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_grid_example() {
        // GRid A1-2425G-ABC1234002-M (ISO/IEC 7064 MOD 37,36).
        assert_eq!(mod37_36(b"A12425GABC1234002"), Some(b'M'));
    }

    #[test]
    fn refuses_characters_outside_the_alphabet() {
        assert_eq!(mod37_36(b"12a"), None);
    }
}
