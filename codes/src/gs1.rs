//! GS1 numeric keys: the mod-10 check digit and the [`Gtin`], [`Sscc`] and [`Gln`] types.
//!
//! **Check digit** (DOMAIN.md §2): starting from the rightmost digit before the check digit, the digits are
//! weighted 3, 1, 3, 1, …; the check digit is `(10 − Σ mod 10) mod 10`. Leading zeros weigh nothing, which is why
//! a GTIN-8, -12 or -13 left-padded with zeros to 14 digits keeps its check digit.
//!
//! **Types.** Each holds its digits as ASCII (so [`Gtin::as_str`] and friends are free) and is valid by
//! construction: parsing, [`from_digits`](Gtin::from_digits), [`from_u64`](Gtin::from_u64), SCALE decoding and
//! serde all check the length, the digits and the check digit, and refuse a key of all zeros
//! ([`CodeError::AllZeros`]): its check digit is right, but GS1 never issues it.
//!
//! **Encoding.** SCALE encodes each key as the little-endian `u64` of the number its digits write (8 bytes instead
//! of 14, 18 or 13): an SSCC is below 10¹⁸ < 2⁶³. Decoding refuses numbers with too many digits and numbers whose
//! last digit is not the check digit, so every byte string that decodes re-encodes to itself. Serde uses the digit
//! string.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::digits::{ascii_str, digits_of, require_digit_bytes, require_digits, value_of};
use crate::error::{CodeError, CodeKind};

/// The GS1 mod-10 check digit (its value, `0..=9`, not ASCII) for `digits_without_check`, ASCII digits such as
/// the first 13 digits of a GTIN-14. Bytes that are not ASCII digits give a meaningless result, never a panic.
///
/// ```
/// assert_eq!(yima_codes::gs1_check_digit(b"0952123454321"), 3);
/// ```
pub fn gs1_check_digit(digits_without_check: &[u8]) -> u8 {
    let sum: u32 = digits_without_check
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d.wrapping_sub(b'0') % 10);
            if i % 2 == 0 {
                3 * v
            } else {
                v
            }
        })
        .sum();
    // Below 10, so the cast cannot truncate.
    ((10 - sum % 10) % 10) as u8
}

/// Validates `N` ASCII digits whose last is the GS1 mod-10 check digit, and that are not all zeros.
fn validate_mod10(digits: &[u8], kind: CodeKind) -> Result<(), CodeError> {
    require_digit_bytes(digits, kind)?;
    let (body, check) = digits.split_at(digits.len() - 1);
    let expected = gs1_check_digit(body);
    let found = check[0] - b'0';
    if found != expected {
        return Err(CodeError::CheckDigit {
            kind,
            found,
            expected,
        });
    }
    if digits.iter().all(|&d| d == b'0') {
        return Err(CodeError::AllZeros { kind });
    }
    Ok(())
}

/// Everything the three GS1 keys share, given the type, its length, its [`CodeKind`] and the length in words.
macro_rules! gs1_key {
    ($(#[$meta:meta])* $name:ident, $len:literal, $kind:expr, $decode_error:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Number of digits, check digit included.
            pub const LEN: usize = $len;

            /// Validates the ASCII digits of a complete key (check digit included).
            pub fn from_digits(digits: [u8; $len]) -> Result<Self, CodeError> {
                validate_mod10(&digits, $kind)?;
                Ok(Self(digits))
            }

            /// Validates the number the key's digits write (the form SCALE uses).
            pub fn from_u64(value: u64) -> Result<Self, CodeError> {
                let digits = digits_of::<$len>(value).ok_or(CodeError::WrongLength {
                    kind: $kind,
                    expected: stringify!($len),
                    got: value.to_string().len(),
                })?;
                Self::from_digits(digits)
            }

            /// The number the key's digits write.
            pub fn to_u64(&self) -> u64 {
                value_of(&self.0)
            }

            /// The ASCII digits.
            pub fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }

            /// The digits as text.
            pub fn as_str(&self) -> &str {
                ascii_str(&self.0)
            }
        }

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

        impl Encode for $name {
            fn size_hint(&self) -> usize {
                8
            }

            fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
                self.to_u64().encode_to(dest)
            }
        }

        impl EncodeLike for $name {}

        impl Decode for $name {
            fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
                let value = u64::decode(input)?;
                Self::from_u64(value).map_err(|_| $decode_error.into())
            }
        }

        impl MaxEncodedLen for $name {
            fn max_encoded_len() -> usize {
                8
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

gs1_key!(
    /// A Global Trade Item Number, normalised to 14 digits: a GTIN-8, -12 or -13 is left-padded with zeros
    /// (DOMAIN.md §2), so one product has exactly one `Gtin`. It names a *product*; an item is a GTIN plus a
    /// serial (see [`TraceCode::Sgtin`](crate::TraceCode::Sgtin)).
    Gtin,
    14,
    CodeKind::Gtin,
    "not a valid GTIN (14 digits, GS1 mod-10)"
);

gs1_key!(
    /// A Serial Shipping Container Code: 18 digits with a GS1 mod-10 check digit. It names one logistic unit
    /// (a case, pallet or container).
    Sscc,
    18,
    CodeKind::Sscc,
    "not a valid SSCC (18 digits, GS1 mod-10)"
);

gs1_key!(
    /// A Global Location Number: 13 digits with a GS1 mod-10 check digit. It names a party or a place.
    Gln,
    13,
    CodeKind::Gln,
    "not a valid GLN (13 digits, GS1 mod-10)"
);

/// Parses exactly `N` digits of a fixed-length key.
fn parse_fixed<const N: usize>(
    s: &str,
    kind: CodeKind,
    expected: &'static str,
) -> Result<[u8; N], CodeError> {
    require_digits(s, kind)?;
    <[u8; N]>::try_from(s.as_bytes()).map_err(|_| CodeError::WrongLength {
        kind,
        expected,
        got: s.len(),
    })
}

impl Gtin {
    /// Parses a GTIN-8, -12, -13 or -14 (digits only) and normalises it to 14 digits.
    pub fn parse(s: &str) -> Result<Gtin, CodeError> {
        require_digits(s, CodeKind::Gtin)?;
        let n = s.len();
        if !matches!(n, 8 | 12 | 13 | 14) {
            return Err(CodeError::WrongLength {
                kind: CodeKind::Gtin,
                expected: "8, 12, 13 or 14",
                got: n,
            });
        }
        let mut digits = [b'0'; 14];
        digits[14 - n..].copy_from_slice(s.as_bytes());
        Gtin::from_digits(digits)
    }
}

impl Sscc {
    /// Parses an SSCC: exactly 18 digits.
    pub fn parse(s: &str) -> Result<Sscc, CodeError> {
        Sscc::from_digits(parse_fixed::<18>(s, CodeKind::Sscc, "18")?)
    }
}

impl Gln {
    /// Parses a GLN: exactly 13 digits.
    pub fn parse(s: &str) -> Result<Gln, CodeError> {
        Gln::from_digits(parse_fixed::<13>(s, CodeKind::Gln, "13")?)
    }
}
