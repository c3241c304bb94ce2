//! GS1 element strings: the AI-and-value sequences of GS1-128, GS1 DataMatrix, GS1 QR and DataBar symbols.
//!
//! Two forms are read:
//!
//! - **Bracketed** (the human-readable interpretation): `(01)09521234543213(10)LOT1(21)SER1`. Each AI is 2 to 4
//!   digits in brackets; a value runs to the next bracketed AI or the end, spaces around it are ignored.
//!   A variable-length value that itself contains a bracketed number such as `(10)` cannot be told apart from an
//!   AI in this form: use the raw form or a Digital Link for such values.
//! - **Raw** (as a scanner transmits it): `0109521234543213` `10LOT1` GS `21SER1`, where GS is ASCII 29 (the
//!   FNC1 separator). A value of an AI with a predefined length (00, 01, 02, 11–17, 20, 31nn–36nn, 410–417; see
//!   [`crate::ai`]) ends at its length; any other at the next GS or the end. A leading symbology identifier
//!   announcing GS1 data — `]C1` (GS1-128), `]d2` (GS1 DataMatrix), `]Q3` (GS1 QR), `]e0` (GS1 DataBar), `]J1`
//!   (GS1 DotCode) — and a leading GS are skipped; any other `]xx` is refused.
//!
//! Every AI of [`crate::ai::TABLE`] is read: those with a field of [`Gs1Key`] into it, the others into
//! [`Gs1Key::attributes`]. An AI missing from the table is refused with its number (in the raw form the AI's
//! length comes from its first two digits, per the GS1 General Specifications). The same AI twice, or a value
//! that breaks its AI's rule, is refused too. AIs may come in any order.
//!
//! **Writing** ([`Gs1Key::element_string`], [`Gs1Key::element_string_raw`]): the primary key; then the AIs of
//! predefined length (17 and such attributes) in AI order; then 22, 10 and 21; then the other attributes in AI
//! order, with a GS after each of these last values but the final one.

use crate::ai::{ai_length, spec};
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

fn unknown(ai: &str) -> CodeError {
    CodeError::UnknownAi {
        ai: ai.into(),
        place: AiPlace::ElementString,
    }
}

/// Stores one AI and value read from an element string.
fn store(key: &mut Gs1Key, ai_text: &str, value: &str) -> Result<(), CodeError> {
    let spec = spec(ai_text).ok_or_else(|| unknown(ai_text))?;
    let Some(ai) = Ai::from_code(ai_text) else {
        return key.insert_attribute(ai_text, spec, value);
    };
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
        let fixed = spec(ai_text)
            .ok_or_else(|| unknown(ai_text))?
            .predefined_len();
        // A predefined-length value ends after its length (or early, at a GS or the end, and is then refused as
        // too short); any other at the next GS.
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

/// One AI and value to write, and whether a GS must follow it when it is not last.
struct Element<'a> {
    ai: &'a str,
    value: String,
    needs_gs: bool,
}

/// The AIs of `key` in output order (see the module docs).
fn elements(key: &Gs1Key) -> Vec<Element<'_>> {
    let typed = |ai: Ai, value: &str| Element {
        ai: ai.code(),
        value: value.to_owned(),
        needs_gs: ai.fixed_len().is_none(),
    };
    let mut out = Vec::with_capacity(6 + key.attributes.len());
    out.extend(key.gtin.map(|gtin| typed(Ai::Gtin, gtin.as_str())));
    out.extend(key.sscc.map(|sscc| typed(Ai::Sscc, sscc.as_str())));
    out.extend(key.gln.map(|gln| typed(Ai::Gln, gln.as_str())));
    out.extend(key.giai.map(|giai| typed(Ai::Giai, giai.as_str())));
    let (variable, mut fixed): (Vec<_>, Vec<_>) = key
        .attributes
        .iter()
        .map(|(ai, value)| Element {
            ai,
            value: value.clone(),
            needs_gs: spec(ai).is_none_or(|spec| spec.predefined_len().is_none()),
        })
        .partition(|e| e.needs_gs);
    if let Some(date) = key.expiry {
        let at = fixed.partition_point(|e| e.ai < Ai::Expiry.code());
        fixed.insert(at, typed(Ai::Expiry, &format_yymmdd(date)));
    }
    out.extend(fixed);
    out.extend(key.cpv.as_deref().map(|cpv| typed(Ai::Cpv, cpv)));
    out.extend(key.lot.map(|lot| typed(Ai::Lot, lot.as_str())));
    out.extend(key.serial.map(|serial| typed(Ai::Serial, serial.as_str())));
    out.extend(variable);
    out
}

/// The bracketed form of a validated key.
pub(crate) fn format_bracketed(key: &Gs1Key) -> String {
    elements(key)
        .iter()
        .map(|e| format!("({}){}", e.ai, e.value))
        .collect()
}

/// The raw form of a validated key: a GS after each variable-length value that is not last.
pub(crate) fn format_raw(key: &Gs1Key) -> String {
    let elements = elements(key);
    let mut out = String::new();
    for (k, e) in elements.iter().enumerate() {
        out.push_str(e.ai);
        out.push_str(&e.value);
        if e.needs_gs && k + 1 < elements.len() {
            out.push(GS);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_need_two_to_four_digits() {
        assert_eq!(bracketed_ai_at(b"(01)", 0), Some(2));
        assert_eq!(bracketed_ai_at(b"(8004)", 0), Some(4));
        assert_eq!(bracketed_ai_at(b"(1)", 0), None);
        assert_eq!(bracketed_ai_at(b"(12345)", 0), None);
        assert_eq!(bracketed_ai_at(b"(AB)", 0), None);
    }
}
