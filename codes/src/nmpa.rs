//! The NMPA drug traceability code (药品追溯码) and its 7-digit drug product code (药品标识码).
//!
//! An [`NmpaCode`] is 20 ASCII digits beginning with `8` (DOMAIN.md §2). Its leading 7 digits, the
//! [`NmpaProductCode`], identify the drug product and packaging level and are registered on chain by the
//! marketing-authorisation holder; the remaining 13 digits carry the unit serial. The code has **no check-digit
//! rule** that we know of, so none is invented here: validation is length, digits and the leading `8`. Whether the
//! product code is registered is for the trace pallet to check, not this crate.
//!
//! **Encoding.** SCALE encodes an [`NmpaCode`] as the little-endian `u64` of its 19 digits after the leading `8`
//! (20 digits do not fit a `u64`; 19 do), and an [`NmpaProductCode`] as the little-endian `u32` of its 7 digits.
//! Decoding refuses values out of range. Serde uses the digit string.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::digits::{ascii_str, digits_of, require_digit_bytes, require_digits, value_of};
use crate::error::{CodeError, CodeKind};

/// Digits in an NMPA drug traceability code.
pub const NMPA_CODE_LEN: usize = 20;

/// Digits in an NMPA drug product code.
pub const NMPA_PRODUCT_CODE_LEN: usize = 7;

/// A 20-digit NMPA drug traceability code: one drug unit.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NmpaCode([u8; NMPA_CODE_LEN]);

/// The 7-digit NMPA drug product code (药品标识码), the leading digits of an [`NmpaCode`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NmpaProductCode([u8; NMPA_PRODUCT_CODE_LEN]);

/// Checks digits, length and the leading `8`, in that order.
fn validate(
    bytes: &[u8],
    len: usize,
    kind: CodeKind,
    expected: &'static str,
) -> Result<(), CodeError> {
    require_digit_bytes(bytes, kind)?;
    if bytes.len() != len {
        return Err(CodeError::WrongLength {
            kind,
            expected,
            got: bytes.len(),
        });
    }
    if bytes[0] != b'8' {
        return Err(CodeError::NmpaPrefix {
            kind,
            found: char::from(bytes[0]),
        });
    }
    Ok(())
}

impl NmpaCode {
    /// Parses a 20-digit drug traceability code starting with `8`.
    pub fn parse(s: &str) -> Result<NmpaCode, CodeError> {
        require_digits(s, CodeKind::NmpaCode)?;
        validate(s.as_bytes(), NMPA_CODE_LEN, CodeKind::NmpaCode, "20")?;
        let mut bytes = [0u8; NMPA_CODE_LEN];
        bytes.copy_from_slice(s.as_bytes());
        Ok(NmpaCode(bytes))
    }

    /// Validates 20 ASCII digits.
    pub fn from_digits(digits: [u8; NMPA_CODE_LEN]) -> Result<NmpaCode, CodeError> {
        validate(&digits, NMPA_CODE_LEN, CodeKind::NmpaCode, "20")?;
        Ok(NmpaCode(digits))
    }

    /// The drug product code: the leading 7 digits.
    pub fn product_code(&self) -> NmpaProductCode {
        let mut bytes = [0u8; NMPA_PRODUCT_CODE_LEN];
        bytes.copy_from_slice(&self.0[..NMPA_PRODUCT_CODE_LEN]);
        NmpaProductCode(bytes)
    }

    /// The 13 digits after the product code, which carry the unit serial.
    pub fn unit_serial(&self) -> &str {
        ascii_str(&self.0[NMPA_PRODUCT_CODE_LEN..])
    }

    /// The ASCII digits.
    pub fn as_bytes(&self) -> &[u8; NMPA_CODE_LEN] {
        &self.0
    }

    /// The 20 digits as text.
    pub fn as_str(&self) -> &str {
        ascii_str(&self.0)
    }
}

impl NmpaProductCode {
    /// Parses a 7-digit product code starting with `8`.
    pub fn parse(s: &str) -> Result<NmpaProductCode, CodeError> {
        require_digits(s, CodeKind::NmpaProductCode)?;
        validate(
            s.as_bytes(),
            NMPA_PRODUCT_CODE_LEN,
            CodeKind::NmpaProductCode,
            "7",
        )?;
        let mut bytes = [0u8; NMPA_PRODUCT_CODE_LEN];
        bytes.copy_from_slice(s.as_bytes());
        Ok(NmpaProductCode(bytes))
    }

    /// Validates the number the 7 digits write (`8_000_000..=8_999_999`).
    pub fn from_u32(value: u32) -> Result<NmpaProductCode, CodeError> {
        let digits =
            digits_of::<NMPA_PRODUCT_CODE_LEN>(u64::from(value)).ok_or(CodeError::WrongLength {
                kind: CodeKind::NmpaProductCode,
                expected: "7",
                got: value.to_string().len(),
            })?;
        validate(
            &digits,
            NMPA_PRODUCT_CODE_LEN,
            CodeKind::NmpaProductCode,
            "7",
        )?;
        Ok(NmpaProductCode(digits))
    }

    /// The number the 7 digits write.
    pub fn to_u32(&self) -> u32 {
        // Seven digits fit a u32.
        value_of(&self.0) as u32
    }

    /// The ASCII digits.
    pub fn as_bytes(&self) -> &[u8; NMPA_PRODUCT_CODE_LEN] {
        &self.0
    }

    /// The 7 digits as text.
    pub fn as_str(&self) -> &str {
        ascii_str(&self.0)
    }
}

/// Display, Debug, FromStr and serde as the digit string.
macro_rules! as_text {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = CodeError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
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

as_text!(NmpaCode);
as_text!(NmpaProductCode);

impl Encode for NmpaCode {
    fn size_hint(&self) -> usize {
        8
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        value_of(&self.0[1..]).encode_to(dest)
    }
}

impl EncodeLike for NmpaCode {}

impl Decode for NmpaCode {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        let rest = u64::decode(input)?;
        let digits = digits_of::<{ NMPA_CODE_LEN - 1 }>(rest)
            .ok_or("not a valid NMPA drug code (the 19 digits after the 8 must be below 10^19)")?;
        let mut bytes = [b'8'; NMPA_CODE_LEN];
        bytes[1..].copy_from_slice(&digits);
        Ok(NmpaCode(bytes))
    }
}

impl MaxEncodedLen for NmpaCode {
    fn max_encoded_len() -> usize {
        8
    }
}

impl Encode for NmpaProductCode {
    fn size_hint(&self) -> usize {
        4
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        self.to_u32().encode_to(dest)
    }
}

impl EncodeLike for NmpaProductCode {}

impl Decode for NmpaProductCode {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        let value = u32::decode(input)?;
        NmpaProductCode::from_u32(value)
            .map_err(|_| "not a valid NMPA product code (7 digits starting with 8)".into())
    }
}

impl MaxEncodedLen for NmpaProductCode {
    fn max_encoded_len() -> usize {
        4
    }
}
