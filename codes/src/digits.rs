//! Helpers for codes made of ASCII digits: validation with a precise error, and conversion to and from the
//! integers the SCALE encodings use.

use crate::error::{CodeError, CodeKind};

/// Checks that every character of `s` is an ASCII digit, naming the first one that is not.
pub(crate) fn require_digits(s: &str, kind: CodeKind) -> Result<(), CodeError> {
    match s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, character)) => Err(CodeError::NotADigit {
            kind,
            character,
            position: i + 1,
        }),
        None => Ok(()),
    }
}

/// Checks that every byte is an ASCII digit, naming the first one that is not.
pub(crate) fn require_digit_bytes(bytes: &[u8], kind: CodeKind) -> Result<(), CodeError> {
    match bytes.iter().enumerate().find(|(_, b)| !b.is_ascii_digit()) {
        Some((i, &b)) => Err(CodeError::NotADigit {
            kind,
            character: char::from(b),
            position: i + 1,
        }),
        None => Ok(()),
    }
}

/// The number written by ASCII digits (at most 19 of them, so that it fits a `u64`).
pub(crate) fn value_of(digits: &[u8]) -> u64 {
    debug_assert!(digits.len() <= 19);
    digits.iter().fold(0u64, |acc, d| {
        acc * 10 + u64::from(d.wrapping_sub(b'0') % 10)
    })
}

/// `value` as exactly `N` ASCII digits, left-padded with zeros; `None` when it needs more than `N` digits.
pub(crate) fn digits_of<const N: usize>(mut value: u64) -> Option<[u8; N]> {
    let mut out = [b'0'; N];
    for slot in out.iter_mut().rev() {
        // `value % 10` is below 10, so the cast cannot truncate.
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    (value == 0).then_some(out)
}

/// ASCII bytes as `&str`; callers only pass bytes they have validated as ASCII.
pub(crate) fn ascii_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_round_trip() {
        assert_eq!(digits_of::<5>(42), Some(*b"00042"));
        assert_eq!(digits_of::<2>(100), None);
        assert_eq!(value_of(b"00042"), 42);
        assert_eq!(value_of(b"9999999999999999999"), 9_999_999_999_999_999_999);
    }

    #[test]
    fn names_the_first_non_digit() {
        assert_eq!(
            require_digits("12é4", CodeKind::Gtin),
            Err(CodeError::NotADigit {
                kind: CodeKind::Gtin,
                character: 'é',
                position: 3
            })
        );
    }
}
