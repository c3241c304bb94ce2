//! The GS1 application identifiers (AIs) this crate knows, and the rule each one's value must follow.
//!
//! [`spec`] looks an AI up in [`TABLE`], which follows the GS1 General Specifications (and the GS1 Syntax
//! Dictionary that encodes them). An entry gives:
//!
//! - the value's [`Format`]: `N6` (exactly 6 digits), `N..8` (1 to 8 digits), `X..20` (1 to 20 characters of GS1
//!   character set 82), or digits followed by a further part, such as `N13 [X..17]` for AI 253;
//! - whether the AI has a **predefined length** (GS1 General Specifications figure 7.8.5-1: 00, 01, 02, 11–17,
//!   20, 31nn–36nn, 410–417): in a raw element string its value ends after that length and needs no GS (FNC1)
//!   after it. Every other value ends at the next GS or at the end of the data, even one of fixed length;
//! - [`Lint`]s, the checks on the content: mod-10 check digits of embedded keys (with all zeros refused for a
//!   GTIN or GLN, which GS1 never issues), `YYMMDD` dates (a day of `00` only for AIs 11–17, where it means the
//!   end of the month), `hhmm` times, the `0` that starts AI 8003 and the piece/total of AI 8006;
//! - its [`DlRole`] in a GS1 Digital Link: primary key, key qualifier (both belong in the path) or data
//!   attribute (the query string).
//!
//! Pairing rules between AIs (such as "02 needs 37") are not checked, except those of [`crate::gs1_key`].

use std::fmt;

use crate::cset82::is_cset82;
use crate::error::{CodeError, CodeKind};
use crate::gs1::gs1_check_digit;

mod table;
pub use table::TABLE;

/// The characters a value, or a part of one, may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Charset {
    /// ASCII digits (`N` in GS1 notation).
    Digits,
    /// GS1 character set 82 (`X`), see [`crate::cset82`].
    Cset82,
}

impl Charset {
    /// Whether `c` belongs to the set.
    pub fn allows(self, c: char) -> bool {
        match self {
            Charset::Digits => c.is_ascii_digit(),
            Charset::Cset82 => is_cset82(c),
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Charset::Digits => "digits",
            Charset::Cset82 => "characters of GS1 character set 82",
        }
    }
}

impl fmt::Display for Charset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Charset::Digits => "digits only",
            Charset::Cset82 => "GS1 character set 82",
        })
    }
}

/// The shape of an AI's value; `Display` says it in words ("1 to 8 digits").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `N{n}`: exactly `n` digits.
    Digits(u8),
    /// `N..{n}`: 1 to `n` digits.
    DigitsUpTo(u8),
    /// `X..{n}`: 1 to `n` characters of GS1 character set 82.
    TextUpTo(u8),
    /// `N{digits}` followed by `min..=max` characters of `tail`; with `optional`, the tail may also be absent.
    DigitsThen {
        /// How many digits come first.
        digits: u8,
        /// What the rest is made of.
        tail: Charset,
        /// The shortest tail (when present).
        min: u8,
        /// The longest tail.
        max: u8,
        /// Whether the tail may be left out.
        optional: bool,
    },
}

impl Format {
    /// Whether a value of `len` characters has an allowed length.
    pub fn allows_len(self, len: usize) -> bool {
        match self {
            Format::Digits(n) => len == usize::from(n),
            Format::DigitsUpTo(n) | Format::TextUpTo(n) => (1..=usize::from(n)).contains(&len),
            Format::DigitsThen {
                digits,
                min,
                max,
                optional,
                ..
            } => {
                let digits = usize::from(digits);
                (optional && len == digits)
                    || (digits + usize::from(min)..=digits + usize::from(max)).contains(&len)
            }
        }
    }

    /// The character set at `index` (from 0).
    pub fn charset_at(self, index: usize) -> Charset {
        match self {
            Format::Digits(_) | Format::DigitsUpTo(_) => Charset::Digits,
            Format::TextUpTo(_) => Charset::Cset82,
            Format::DigitsThen { digits, tail, .. } if index >= usize::from(digits) => tail,
            Format::DigitsThen { .. } => Charset::Digits,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Format::Digits(n) => write!(f, "{n} digits"),
            Format::DigitsUpTo(n) => write!(f, "1 to {n} digits"),
            Format::TextUpTo(n) => write!(f, "1 to {n} characters of GS1 character set 82"),
            Format::DigitsThen {
                digits,
                tail,
                min,
                max,
                optional,
            } => {
                write!(f, "{digits} digits then ")?;
                if optional {
                    f.write_str("optionally ")?;
                }
                match (min == max, optional && min == 1) {
                    (true, _) => write!(f, "{min}")?,
                    (false, true) => write!(f, "up to {max}")?,
                    (false, false) => write!(f, "{min} to {max}")?,
                }
                write!(f, " {}", tail.unit())
            }
        }
    }
}

/// A check on the content of a value whose format is right. Positions count bytes from 0; a lint on an
/// optional part applies only when the value reaches that far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lint {
    /// `len` digits from `at` end with their GS1 mod-10 check digit; with a `zeros` kind, all zeros is refused.
    CheckDigit {
        /// Where the key starts.
        at: u8,
        /// Its length, check digit included.
        len: u8,
        /// The key's kind when GS1 never issues it as all zeros (GTIN, GLN).
        zeros: Option<CodeKind>,
    },
    /// A `YYMMDD` date at `at`; `day00` allows a day of `00` (AIs 11–17: the end of the month).
    Date {
        /// Where it starts.
        at: u8,
        /// Whether day `00` is allowed.
        day00: bool,
    },
    /// An `hhmm` time at `at`.
    Time {
        /// Where it starts.
        at: u8,
    },
    /// The first digit is `0` (AI 8003).
    LeadingZero,
    /// `ppTT` at `at`: piece `pp` of `TT` pieces, `01 ≤ pp ≤ TT` (AI 8006).
    PieceOfTotal {
        /// Where it starts.
        at: u8,
    },
}

/// Where an AI goes in a GS1 Digital Link URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DlRole {
    /// A primary key (`/01/…`): the path.
    PrimaryKey,
    /// A key qualifier (`/21/…`): the path, after its key.
    Qualifier,
    /// A data attribute: the query string (`?15=…`).
    Attribute,
}

/// One entry of [`TABLE`]: a single AI, or a range of AIs that share their rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AiSpec {
    /// The first AI of the entry.
    pub first: &'static str,
    /// The last AI of the entry (the same length as `first`; equal to it for a single AI).
    pub last: &'static str,
    /// With `decimals`, only AIs whose last digit is 0 to 5 (the measures, `310n`: n decimal places).
    pub decimals: bool,
    /// The GS1 data title.
    pub title: &'static str,
    /// The value's shape.
    pub format: Format,
    /// Whether the AI has a predefined length (no GS needed after it in a raw element string).
    pub predefined: bool,
    /// Content checks.
    pub lints: &'static [Lint],
    /// Where it goes in a Digital Link.
    pub dl: DlRole,
}

impl AiSpec {
    /// Whether `ai` belongs to this entry.
    pub fn matches(&self, ai: &str) -> bool {
        ai.len() == self.first.len()
            && ai.bytes().all(|b| b.is_ascii_digit())
            && (self.first..=self.last).contains(&ai)
            && (!self.decimals || ai.ends_with(['0', '1', '2', '3', '4', '5']))
    }

    /// Every AI of the entry, in order.
    pub fn ais(&self) -> impl Iterator<Item = String> + '_ {
        let width = self.first.len();
        let (first, last) = (number(self.first), number(self.last));
        (first..=last)
            .map(move |n| format!("{n:0width$}"))
            .filter(|ai| self.matches(ai))
    }

    /// The value's length in a raw element string if the AI has a predefined length.
    pub fn predefined_len(&self) -> Option<usize> {
        match (self.predefined, self.format) {
            (true, Format::Digits(n)) => Some(usize::from(n)),
            _ => None,
        }
    }

    /// Checks `value` of `ai`: not empty, then its length, its characters and its lints, each with its own error.
    pub fn validate(&self, ai: &str, value: &str) -> Result<(), CodeError> {
        if value.is_empty() {
            return Err(CodeError::MissingValue { ai: ai.into() });
        }
        let got = value.chars().count();
        if !self.format.allows_len(got) {
            return Err(match self.format {
                Format::Digits(n) => CodeError::AiValueLength {
                    ai: ai.into(),
                    expected: usize::from(n),
                    got,
                },
                format => CodeError::AiValueFormat {
                    ai: ai.into(),
                    format,
                    got,
                },
            });
        }
        for (i, character) in value.chars().enumerate() {
            let charset = self.format.charset_at(i);
            if !charset.allows(character) {
                return Err(CodeError::AiValueCharacter {
                    ai: ai.into(),
                    character,
                    position: i + 1,
                    charset,
                });
            }
        }
        // All ASCII from here on, so byte positions are character positions.
        self.lints
            .iter()
            .try_for_each(|lint| lint.check(ai, value.as_bytes()))
    }
}

/// The number written by at most 4 ASCII digits.
fn number(digits: &str) -> u16 {
    digits
        .bytes()
        .fold(0, |n, b| n * 10 + u16::from(b.wrapping_sub(b'0') % 10))
}

/// Days in `month` of a two-digit year (a leap year every 4 years holds for 1901–2099).
fn days_in_month(yy: u8, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if yy % 4 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl Lint {
    fn check(self, ai: &str, value: &[u8]) -> Result<(), CodeError> {
        let two = |i: usize| (value[i] - b'0') * 10 + (value[i + 1] - b'0');
        let refuse = |rule: &'static str| {
            Err(CodeError::AiValueContent {
                ai: ai.into(),
                value: String::from_utf8_lossy(value).into_owned(),
                rule,
            })
        };
        match self {
            Lint::CheckDigit { at, len, zeros } => {
                let Some(key) = value.get(usize::from(at)..usize::from(at) + usize::from(len))
                else {
                    return Ok(());
                };
                let (body, check) = key.split_at(key.len() - 1);
                let expected = gs1_check_digit(body);
                let found = check[0] - b'0';
                if found != expected {
                    return Err(CodeError::AiCheckDigit {
                        ai: ai.into(),
                        found,
                        expected,
                    });
                }
                match zeros {
                    Some(kind) if key.iter().all(|&b| b == b'0') => {
                        Err(CodeError::AllZeros { kind })
                    }
                    _ => Ok(()),
                }
            }
            Lint::Date { at, day00 } => {
                let at = usize::from(at);
                if value.len() < at + 6 {
                    return Ok(());
                }
                let (yy, month, day) = (two(at), two(at + 2), two(at + 4));
                if !(1..=12).contains(&month) {
                    return refuse("YYMMDD month must be 01 to 12");
                }
                if day == 0 && !day00 {
                    return refuse("YYMMDD day 00 is only allowed in AIs 11 to 17");
                }
                if day > days_in_month(yy, month) {
                    return refuse("YYMMDD day does not exist in that month");
                }
                Ok(())
            }
            Lint::Time { at } => {
                let at = usize::from(at);
                if value.len() < at + 4 {
                    return Ok(());
                }
                if two(at) > 23 {
                    return refuse("hhmm hour must be 00 to 23");
                }
                if two(at + 2) > 59 {
                    return refuse("hhmm minutes must be 00 to 59");
                }
                Ok(())
            }
            Lint::LeadingZero if value.first() != Some(&b'0') => {
                refuse("the first digit must be 0")
            }
            Lint::LeadingZero => Ok(()),
            Lint::PieceOfTotal { at } => {
                let at = usize::from(at);
                if value.len() < at + 4 {
                    return Ok(());
                }
                let (piece, total) = (two(at), two(at + 2));
                if total == 0 {
                    return refuse("the total number of pieces must not be 00");
                }
                if piece == 0 || piece > total {
                    return refuse("the piece number must be 01 up to the total number of pieces");
                }
                Ok(())
            }
        }
    }
}

/// The length of a GS1 application identifier from its first two digits (GS1 General Specifications; prefixes
/// with no AIs assigned count as 2). The raw element string parser reads AIs by it, so that an AI missing from
/// [`TABLE`] can still be named.
pub fn ai_length(prefix: u8) -> usize {
    match prefix {
        23..=25 | 40..=42 | 71 => 3,
        31..=36 | 39 | 43 | 70 | 72 | 80..=82 => 4,
        _ => 2,
    }
}

/// The entry for `ai`, if this crate knows it.
pub fn spec(ai: &str) -> Option<&'static AiSpec> {
    TABLE.iter().find(|spec| spec.matches(ai))
}

/// Every AI this crate knows, with its entry, in table order.
pub fn all() -> impl Iterator<Item = (String, &'static AiSpec)> {
    TABLE
        .iter()
        .flat_map(|spec| spec.ais().map(move |ai| (ai, spec)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_lengths_follow_the_prefix_table() {
        assert_eq!(ai_length(1), 2);
        assert_eq!(ai_length(41), 3);
        assert_eq!(ai_length(31), 4);
        assert_eq!(ai_length(71), 3);
        assert_eq!(ai_length(99), 2);
        for (ai, _) in all() {
            assert_eq!(ai.len(), ai_length(number(&ai[..2]) as u8), "{ai}");
        }
    }

    #[test]
    fn the_table_is_in_order_without_overlaps() {
        let ais: Vec<String> = all().map(|(ai, _)| ai).collect();
        assert!(ais.windows(2).all(|w| w[0] < w[1]), "{ais:?}");
        for (ai, spec) in all() {
            assert_eq!(spec.first.len(), spec.last.len());
            assert!(std::ptr::eq(super::spec(&ai).unwrap(), spec), "{ai}");
            // Predefined lengths are exactly the GS1 list.
            let prefix = number(&ai[..2]);
            let predefined = matches!(prefix, 0..=2 | 11..=17 | 20 | 31..=36 | 41);
            assert_eq!(spec.predefined, predefined, "{ai}");
            assert_eq!(spec.predefined_len().is_some(), predefined, "{ai}");
        }
        assert_eq!(
            all()
                .filter(|(ai, _)| ai.starts_with('3') && ai.len() == 4)
                .count(),
            318
        );
    }
}
