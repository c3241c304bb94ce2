//! The national resident id (公民身份号码, GB 11643-1999), read as people type it and normalised to one text.
//!
//! 18 characters: a 6-digit address code, the birth date `YYYYMMDD`, a 3-digit sequence and a check character,
//! ISO 7064 MOD 11-2 over the first 17 (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; Σ mod 11 → `1 0 X 9 8 7 6 5 4 3
//! 2`). A first-generation id (GB 11643-1989) has 15 digits — birth date `YYMMDD` in the 1900s, no check — and is
//! upgraded: `19` inserted before the year and the check character computed, as the issuing authority did.

use std::fmt;

/// GB 11643-1999's weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each value of Σ mod 11.
const CHECK: [u8; 11] = *b"10X98765432";

/// A resident id whose check character and birth date hold: 18 ASCII characters, the last a digit or `X`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResidentId([u8; 18]);

/// Why a text is not a resident id. Messages never repeat the id itself: they end up in logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    /// Neither 18 characters nor a first-generation 15.
    #[error(
        "a resident id has 18 characters (or 15 digits for a first-generation card); this has {0}"
    )]
    Length(usize),
    /// A character that is not a digit where one must be.
    #[error("character {position} of the resident id is not a digit (only the last may be X)")]
    NotDigit {
        /// 1-based position in the normalised id.
        position: usize,
    },
    /// The check character does not match the first 17 digits: a typo.
    #[error("the resident id's check character is wrong (GB 11643 MOD 11-2): check every digit for a typo")]
    CheckCharacter,
    /// The birth date is not a date.
    #[error("the resident id's birth date (characters 7 to 14) is not a date: check the digits")]
    BirthDate,
    /// The address code starts with 0.
    #[error(
        "the resident id's address code (its first 6 digits) cannot start with 0: check the digits"
    )]
    Address,
}

impl ResidentId {
    /// Reads a resident id: surrounding whitespace, inner spaces and hyphens are dropped, full-width digits and
    /// `Ｘ` read as ASCII, `x` as `X`; a 15-digit first-generation id is upgraded to 18 characters.
    pub fn parse(text: &str) -> Result<ResidentId, ResidentIdError> {
        let mut chars = [0u8; 18];
        let mut len = 0usize;
        for c in text.chars() {
            let ascii = match c {
                c if c.is_whitespace() || c == '-' => continue,
                '０'..='９' => b'0' + (c as u32 - '０' as u32) as u8,
                'x' | 'Ｘ' | 'ｘ' => b'X',
                c if c.is_ascii() => c as u8,
                // Any other character: counted, refused below as a non-digit or by length.
                _ => b'?',
            };
            if len < chars.len() {
                chars[len] = ascii;
            }
            len += 1;
        }
        match len {
            18 => Self::second_generation(chars),
            15 => Self::first_generation(&chars[..15]),
            n => Err(ResidentIdError::Length(n)),
        }
    }

    fn second_generation(chars: [u8; 18]) -> Result<ResidentId, ResidentIdError> {
        digits(&chars[..17])?;
        if !(chars[17].is_ascii_digit() || chars[17] == b'X') {
            return Err(ResidentIdError::NotDigit { position: 18 });
        }
        let id = Self::checked(chars)?;
        if check_character(&chars[..17]) != chars[17] {
            return Err(ResidentIdError::CheckCharacter);
        }
        Ok(id)
    }

    fn first_generation(old: &[u8]) -> Result<ResidentId, ResidentIdError> {
        digits(old)?;
        let mut chars = [0u8; 18];
        chars[..6].copy_from_slice(&old[..6]);
        chars[6..8].copy_from_slice(b"19");
        chars[8..17].copy_from_slice(&old[6..15]);
        chars[17] = check_character(&chars[..17]);
        Self::checked(chars)
    }

    /// Address and birth date checks, shared by both generations.
    fn checked(chars: [u8; 18]) -> Result<ResidentId, ResidentIdError> {
        if chars[0] == b'0' {
            return Err(ResidentIdError::Address);
        }
        let number = |r: std::ops::Range<usize>| {
            chars[r]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
        };
        let (year, month, day) = (number(6..10), number(10..12), number(12..14));
        if !(1800..=2199).contains(&year) || !(1..=12).contains(&month) {
            return Err(ResidentIdError::BirthDate);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(ResidentIdError::BirthDate);
        }
        Ok(ResidentId(chars))
    }

    /// The normalised 18 characters (what the derivation hashes).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII by construction")
    }

    /// The normalised 18 bytes.
    pub fn as_bytes(&self) -> &[u8; 18] {
        &self.0
    }
}

/// Never prints the id: a resident id is personal data.
impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResidentId(…)")
    }
}

fn digits(chars: &[u8]) -> Result<(), ResidentIdError> {
    match chars.iter().position(|c| !c.is_ascii_digit()) {
        Some(i) => Err(ResidentIdError::NotDigit { position: i + 1 }),
        None => Ok(()),
    }
}

/// The MOD 11-2 check character of 17 ASCII digits.
fn check_character(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// GB 11643-1999's own example.
    const STANDARD: &str = "11010519491231002X";

    #[test]
    fn the_standard_s_example_and_its_spellings_are_one_id() {
        let id = ResidentId::parse(STANDARD).unwrap();
        assert_eq!(id.as_str(), STANDARD);
        for spelling in [
            "11010519491231002x",
            " 110105 19491231 002X\n",
            "110105-19491231-002X",
            "１１０１０５１９４９１２３１００２Ｘ",
        ] {
            assert_eq!(ResidentId::parse(spelling), Ok(id), "{spelling:?}");
        }
    }

    #[test]
    fn a_first_generation_id_is_the_same_person_s_18_character_id() {
        // 110105 491231 002 → 110105 19491231 002 + check X.
        assert_eq!(
            ResidentId::parse("110105491231002").unwrap().as_str(),
            STANDARD
        );
    }

    #[test]
    fn typos_and_impossible_dates_are_refused() {
        use ResidentIdError::*;
        let refused = |s: &str| ResidentId::parse(s).unwrap_err();
        assert_eq!(refused("110105194912310021"), CheckCharacter);
        assert_eq!(refused("11010519491231002"), Length(17));
        assert_eq!(refused(""), Length(0));
        assert_eq!(refused("1101051949123100XX"), NotDigit { position: 17 });
        assert_eq!(refused("11010519491231002Y"), NotDigit { position: 18 });
        assert_eq!(refused("11010519491231002é"), NotDigit { position: 18 });
        assert_eq!(refused("110105194902300020"), BirthDate); // 30 February
        assert_eq!(refused("110105190002290020"), BirthDate); // 1900 is no leap year
        assert_eq!(refused("010105194912310020"), Address);
        // 2000 is a leap year: 29 February exists (check character computed).
        let mut leap = *b"11010520000229001?";
        leap[17] = check_character(&leap[..17]);
        assert!(ResidentId::parse(std::str::from_utf8(&leap).unwrap()).is_ok());
        // The message never repeats the id.
        assert!(!refused("110105194912310021").to_string().contains("1101"));
    }

    #[test]
    fn debug_never_prints_the_id() {
        let id = ResidentId::parse(STANDARD).unwrap();
        assert!(!format!("{id:?}").contains("110105"));
    }

    proptest! {
        /// Every 17 digits with a real date get exactly one check character that passes, and one digit changed
        /// anywhere is always caught (MOD 11-2 catches every single-digit error).
        #[test]
        fn one_check_character_and_every_single_digit_typo_caught(
            region in 110000u32..=829999,
            days in 0u32..365 * 100,
            seq in 0u32..1000,
            pos in 0usize..17,
            delta in 1u8..10,
        ) {
            let (month, day) = (days / 28 % 12 + 1, days % 28 + 1);
            let body = format!("{region:06}{:04}{month:02}{day:02}{seq:03}", 1920 + days / 365);
            let mut chars: [u8; 18] = [0; 18];
            chars[..17].copy_from_slice(body.as_bytes());
            chars[17] = check_character(&chars[..17]);
            let text = std::str::from_utf8(&chars).unwrap().to_string();
            prop_assert_eq!(ResidentId::parse(&text).map(|id| id.as_str().to_string()), Ok(text.clone()));
            let mut typo = chars;
            typo[pos] = b'0' + (typo[pos] - b'0' + delta) % 10;
            if let Ok(id) = ResidentId::parse(std::str::from_utf8(&typo).unwrap()) {
                prop_assert!(false, "a typo at {} passed as {}", pos + 1, id.as_str());
            }
        }
    }
}
