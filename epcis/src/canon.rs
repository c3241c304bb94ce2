//! Canonical forms of single values for the CBV 2.0 event hash (rules 5–7 and 14–18 of the algorithm): trimmed,
//! CBV URNs and CURIEs expanded to Web URIs, numbers without trailing zeros, EPC URIs and Digital Links as
//! constrained canonical Digital Links (`https://id.gs1.org`, no query string, only the finest key).

use crate::cbv::{BIZ_STEP, BTT, DISPOSITION, ERROR_REASON, SDT};
use crate::urn::{is_epc_urn, urn_to_digital_link, GS1_DL_HOST};

/// The GS1 Web vocabulary (`gs1:` values and bare sensor types).
pub const GS1_VOC: &str = "https://gs1.org/voc/";

/// A value anywhere in an event (not a timestamp, not a vocabulary field, which have their own rules).
pub fn value(s: &str) -> String {
    let t = s.trim();
    for vocab in [BIZ_STEP, DISPOSITION, BTT, SDT, ERROR_REASON] {
        if t.starts_with(vocab.urn_prefix) {
            return vocab.canonical(t);
        }
    }
    if let Some(expanded) = expand_curie(t) {
        return expanded;
    }
    if let Some(number) = number_text(t) {
        return number;
    }
    if is_epc_urn(t) {
        return urn_to_digital_link(t).unwrap_or_else(|_| t.to_owned());
    }
    constrained_digital_link(t).unwrap_or_else(|| t.to_owned())
}

/// A value of a GS1 Web vocabulary field (sensor `type`, `exception`): a bare word gets the `gs1:` namespace.
pub fn gs1_term(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty() && !t.contains(':') {
        return format!("{GS1_VOC}{t}");
    }
    value(t)
}

/// `gs1:`, `cbv:` and `epcis:` compact URIs expanded; `None` for anything else.
fn expand_curie(t: &str) -> Option<String> {
    let (prefix, local) = t.split_once(':')?;
    let base = match prefix {
        "gs1" => GS1_VOC,
        "cbv" => "https://ref.gs1.org/cbv/",
        "epcis" => "https://ref.gs1.org/epcis/",
        _ => return None,
    };
    Some(format!("{base}{local}"))
}

/// A JSON number, or a string that is a decimal number, written as the hash wants: `1` not `1.0`, `0.3434`.
pub fn number_text(t: &str) -> Option<String> {
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !digits(e) {
            return None;
        }
    }
    let x: f64 = t.parse().ok()?;
    Some(format_number(x))
}

/// Formats `x` the way the reference implementation does (Python's `str` of an int or a float).
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e38 {
        return format!("{}", x as i128);
    }
    if x.abs() < 1e-4 {
        // Python writes small floats in exponent form with at least two exponent digits: 1e-05.
        let s = format!("{x:e}");
        if let Some((m, e)) = s.split_once("e-") {
            return format!("{m}e-{e:0>2}");
        }
        return s;
    }
    format!("{x}")
}

/// GS1 primary keys of a Digital Link path, and which of their qualifiers the constrained form keeps (in order of
/// preference; the first present wins).
const KEYS: &[(&str, &[&str])] = &[
    ("01", &["21", "10", "235"]),
    ("00", &[]),
    ("253", &[]),
    ("255", &[]),
    ("401", &[]),
    ("402", &[]),
    ("414", &["254"]),
    ("417", &[]),
    ("8003", &[]),
    ("8004", &[]),
    ("8006", &["21", "10"]),
    ("8010", &["8011"]),
    ("8017", &[]),
    ("8018", &[]),
];

/// A Digital Link URI (any host) in its constrained canonical form; `None` if `t` is not one.
pub fn constrained_digital_link(t: &str) -> Option<String> {
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))?;
    let path = rest.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let start = segments
        .iter()
        .position(|s| KEYS.iter().any(|(k, _)| k == s))?;
    let pairs = &segments[start..];
    if pairs.len() % 2 != 0 || pairs.iter().any(|s| s.is_empty()) {
        return None;
    }
    let (key, qualifiers) = KEYS.iter().find(|(k, _)| *k == pairs[0])?;
    let mut key_value = pairs[1].to_owned();
    let numeric = matches!(*key, "00" | "01" | "414" | "417");
    if numeric && !key_value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if *key == "01" {
        if key_value.len() > 14 {
            return None;
        }
        key_value = format!("{key_value:0>14}");
    }
    let mut out = format!("{GS1_DL_HOST}/{key}/{key_value}");
    let pair_value = |ai: &str| pairs.chunks(2).skip(1).find(|c| c[0] == ai).map(|c| c[1]);
    if let Some((ai, v)) = qualifiers
        .iter()
        .find_map(|ai| pair_value(ai).map(|v| (ai, v)))
    {
        out.push_str(&format!("/{ai}/{v}"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digital_links_are_constrained() {
        assert_eq!(
            value("https://id.gs1.de/01/04012345999990/10/L1/21/XYZ-1234?17=261231"),
            "https://id.gs1.org/01/04012345999990/21/XYZ-1234"
        );
        assert_eq!(
            value("https://example.com/01/9521234543213/10/L1"),
            "https://id.gs1.org/01/09521234543213/10/L1"
        );
        assert_eq!(
            value("https://id.example.com/253/4012345000054987"),
            "https://id.gs1.org/253/4012345000054987"
        );
        assert_eq!(
            value("http://transaction.acme.com/po/12345678"),
            "http://transaction.acme.com/po/12345678"
        );
        assert_eq!(
            value("urn:epc:id:sgln:0614141.07346.0"),
            "https://id.gs1.org/414/0614141073467"
        );
    }

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(value("1.0"), "1");
        assert_eq!(value(" 0.34340 "), "0.3434");
        assert_eq!(value("+01:00"), "+01:00");
        assert_eq!(format_number(26.1), "26.1");
        assert_eq!(format_number(0.00001), "1e-05");
    }

    #[test]
    fn vocabularies_expand() {
        assert_eq!(
            value("urn:epcglobal:cbv:btt:po"),
            "https://ref.gs1.org/cbv/BTT-po"
        );
        assert_eq!(value("gs1:Temperature"), "https://gs1.org/voc/Temperature");
        assert_eq!(
            gs1_term("ALARM_CONDITION"),
            "https://gs1.org/voc/ALARM_CONDITION"
        );
    }
}
