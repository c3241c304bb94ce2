//! GS1 element strings: the AI-and-value sequences of GS1-128, GS1 DataMatrix, GS1 QR and DataBar symbols.
//!
//! Two forms are read:
//!
//! - **Bracketed** (the human-readable interpretation): `(01)09521234543213(10)LOT1(21)SER1`. Each AI is 2 to 4
//!   digits in brackets; a value runs to the next bracketed AI or the end, spaces around it are ignored.
//!   A variable-length value that itself contains a bracketed number such as `(10)` cannot be told apart from an
//!   AI in this form: use the raw form or a Digital Link for such values.
//! - **Raw** (as a scanner transmits it): `0109521234543213` `10LOT1` GS `21SER1`, where GS is ASCII 29 (the
//!   FNC1 separator). A value of a fixed-length AI (01, 00, 17, 414) ends at its length; a variable-length one
//!   (10, 21, 22) at the next GS or the end. A leading symbology identifier announcing GS1 data — `]C1`
//!   (GS1-128), `]d2` (GS1 DataMatrix), `]Q3` (GS1 QR), `]e0` (GS1 DataBar), `]J1` (GS1 DotCode) — and a leading
//!   GS are skipped; any other `]xx` is refused.
//!
//! Only the AIs listed in [`crate::gs1_key`] are read; any other is refused with its number (in the raw form
//! the AI's length comes from its first two digits, per the GS1 General Specifications). The same AI twice,
//! or a value that breaks its AI's rules, is refused too. AIs may come in any order.

use crate::error::{AiPlace, CodeError};
use crate::gs1_key::{format_yymmdd, Ai, Gs1Key};

/// The group separator (ASCII 29) that stands for FNC1 between element strings.
pub const GS: char = '\u{1d}';

/// Symbology identifiers that announce GS1 data.
pub const GS1_SYMBOLOGY_IDENTIFIERS: [&str; 5] = ["]C1", "]d2", "]e0", "]J1", "]Q3"];

/// Parses a GS1 element string in either form (see the module docs).
pub fn parse_element_string(s: &str) -> Result<Gs1Key, CodeError> {
    let mut start = 0;
    if s.starts_with(']') {
        let id: String = s.chars().take(3).collect();
        if !GS1_SYMBOLOGY_IDENTIFIERS.contains(&id.as_str()) {
            return Err(CodeError::SymbologyIdentifier { found: id });
        }
        // The identifier is three ASCII characters.
        start = 3;
    }
    let key = if s[start..].starts_with('(') {
        parse_bracketed(s, start)?
    } else {
        parse_raw(s, start)?
    };
    key.validate()?;
    Ok(key)
}

/// The character position (from 1) of byte offset `i` in `s`.
fn position(s: &str, i: usize) -> usize {
    s.get(..i).map_or(i, |head| head.chars().count()) + 1
}

/// If a bracketed AI such as `(01)` starts at byte `i`, the number of its digits.
fn bracketed_ai_at(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'(') {
        return None;
    }
    let digits = b[i + 1..]
        .iter()
        .take(5)
        .take_while(|c| c.is_ascii_digit())
        .count();
    ((2..=4).contains(&digits) && b.get(i + 1 + digits) == Some(&b')')).then_some(digits)
}

/// Stores one AI and value read from an element string.
fn store(key: &mut Gs1Key, ai_text: &str, value: &str) -> Result<(), CodeError> {
    let ai = Ai::from_code(ai_text).ok_or_else(|| CodeError::UnknownAi {
        ai: ai_text.into(),
        place: AiPlace::ElementString,
    })?;
    if value.is_empty() {
        return Err(CodeError::MissingValue {
            ai: ai.code().into(),
        });
    }
    if let Some(expected) = ai.fixed_len() {
        let got = value.chars().count();
        if got != expected {
            return Err(CodeError::AiValueLength {
                ai: ai.code().into(),
                expected,
                got,
            });
        }
    }
    key.set(ai, value)
}

fn parse_bracketed(s: &str, start: usize) -> Result<Gs1Key, CodeError> {
    let b = s.as_bytes();
    let mut key = Gs1Key::default();
    let mut i = start;
    while i < b.len() {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        let Some(n) = bracketed_ai_at(b, i) else {
            return Err(CodeError::MalformedElementString {
                position: position(s, i),
                reason: "expected an application identifier in brackets, such as (01)",
            });
        };
        let ai = &s[i + 1..i + 1 + n];
        let value_start = i + n + 2;
        let mut end = value_start;
        while end < b.len() && bracketed_ai_at(b, end).is_none() {
            end += 1;
        }
        // `end` is the end of the string or a '(', so on a character boundary.
        store(&mut key, ai, s[value_start..end].trim_matches(' '))?;
        i = end;
    }
    Ok(key)
}

/// The length of a GS1 application identifier from its first two digits (GS1 General Specifications; prefixes
/// with no AIs assigned count as 2).
fn ai_length(prefix: u8) -> usize {
    match prefix {
        23..=25 | 40..=42 | 71 => 3,
        31..=36 | 39 | 43 | 70 | 72 | 80..=82 => 4,
        _ => 2,
    }
}

fn parse_raw(s: &str, start: usize) -> Result<Gs1Key, CodeError> {
    let b = s.as_bytes();
    let gs = GS as u8;
    let mut key = Gs1Key::default();
    let mut i = start;
    while i < b.len() {
        if b[i] == gs {
            i += 1;
            continue;
        }
        if !(i + 2 <= b.len() && b[i].is_ascii_digit() && b[i + 1].is_ascii_digit()) {
            return Err(CodeError::MalformedElementString {
                position: position(s, i),
                reason: "expected a GS1 application identifier (digits)",
            });
        }
        let n = ai_length((b[i] - b'0') * 10 + (b[i + 1] - b'0'));
        if i + n > b.len() || !b[i..i + n].iter().all(u8::is_ascii_digit) {
            return Err(CodeError::MalformedElementString {
                position: position(s, i),
                reason: "application identifier cut short",
            });
        }
        let ai_text = &s[i..i + n];
        i += n;
        let rest = &s[i..];
        let fixed = Ai::from_code(ai_text).and_then(Ai::fixed_len);
        // A fixed-length value ends after its length (or early, at a GS or the end, and is then refused as
        // too short); a variable-length one at the next GS.
        let len = match fixed {
            Some(chars) => rest
                .char_indices()
                .enumerate()
                .find(|&(count, (_, c))| count == chars || c == GS)
                .map_or(rest.len(), |(_, (k, _))| k),
            None => rest.find(GS).unwrap_or(rest.len()),
        };
        store(&mut key, ai_text, &rest[..len])?;
        i += len;
    }
    Ok(key)
}

/// The AIs of `key` in output order with their values: primary key, expiry, then CPV, lot and serial.
fn elements(key: &Gs1Key) -> Vec<(Ai, String)> {
    let mut out = Vec::with_capacity(5);
    if let Some(gtin) = key.gtin {
        out.push((Ai::Gtin, gtin.as_str().to_owned()));
    }
    if let Some(sscc) = key.sscc {
        out.push((Ai::Sscc, sscc.as_str().to_owned()));
    }
    if let Some(gln) = key.gln {
        out.push((Ai::Gln, gln.as_str().to_owned()));
    }
    if let Some(date) = key.expiry {
        out.push((Ai::Expiry, format_yymmdd(date)));
    }
    if let Some(cpv) = &key.cpv {
        out.push((Ai::Cpv, cpv.clone()));
    }
    if let Some(lot) = key.lot {
        out.push((Ai::Lot, lot.as_str().to_owned()));
    }
    if let Some(serial) = key.serial {
        out.push((Ai::Serial, serial.as_str().to_owned()));
    }
    out
}

/// The bracketed form of a validated key.
pub(crate) fn format_bracketed(key: &Gs1Key) -> String {
    elements(key)
        .iter()
        .map(|(ai, value)| format!("({}){value}", ai.code()))
        .collect()
}

/// The raw form of a validated key: a GS after each variable-length value that is not last.
pub(crate) fn format_raw(key: &Gs1Key) -> String {
    let elements = elements(key);
    let mut out = String::new();
    for (k, (ai, value)) in elements.iter().enumerate() {
        out.push_str(ai.code());
        out.push_str(value);
        if ai.fixed_len().is_none() && k + 1 < elements.len() {
            out.push(GS);
        }
    }
    out
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
    }

    #[test]
    fn brackets_need_two_to_four_digits() {
        assert_eq!(bracketed_ai_at(b"(01)", 0), Some(2));
        assert_eq!(bracketed_ai_at(b"(8004)", 0), Some(4));
        assert_eq!(bracketed_ai_at(b"(1)", 0), None);
        assert_eq!(bracketed_ai_at(b"(12345)", 0), None);
        assert_eq!(bracketed_ai_at(b"(AB)", 0), None);
    }
}
