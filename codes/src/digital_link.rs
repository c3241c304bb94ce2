//! GS1 Digital Link URIs: `https://{any host}[/{stem}]/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]`,
//! `…/00/{sscc}`, `…/414/{gln}`, `…/8004/{giai}` (equipment), with data attributes in the query string (`?17=YYMMDD&15=YYMMDD&3103=000500`).
//!
//! **Reading** ([`parse_digital_link`]):
//! - `http://` or `https://` (any case) and any host, or a bare path starting with `/` (our canonical form). The
//!   fragment (`#…`) is ignored.
//! - Leading path segments that are not all digits are the URI stem (e.g. `/dl/01/…`) and are skipped. From the
//!   first all-digit segment on, the path is AI/value pairs: the first AI must be a primary key (01, 00, 414 or 8004);
//!   after 01 only the qualifiers 22, 10 and 21 may follow, in that order, each at most once; 00, 414 and 8004 take no
//!   qualifier here. A data attribute in the path (17, 15, …) is refused (it belongs in the query string), as is
//!   any other AI, with its number. A trailing `/` is allowed; an empty segment (`//`) is not.
//! - A GTIN of 8, 12 or 13 digits is left-padded to 14.
//! - Values are percent-decoded (`%2F` → `/`, either hex case); a `%` without two hex digits is refused, and the
//!   decoded value must then obey its AI's rules (GS1 character set 82 for 22, 10 and 21).
//! - Query: every data attribute of [`crate::ai::TABLE`] is read, percent-decoded and checked against its AI's
//!   rule: 17 into [`Gs1Key::expiry`], the others into [`Gs1Key::attributes`]. Keys and key qualifiers there
//!   (01, 00, 414, 22, 10, 21, 8004, …) are refused, and so is a name of 2 to 4 digits that is no AI of the table
//!   (it would be lost). Other parameters (`linkType`, …) are not AIs and are ignored.
//!
//! **Writing** ([`Gs1Key::digital_link`](crate::Gs1Key::digital_link)): the qualifiers in order, then the
//! expiry and attributes in the query in AI order; values percent-encoded except for the URI-unreserved
//! characters `A-Z a-z 0-9 - . _ ~` (hex in upper case), so that each key has exactly one URI under a given base.

use crate::ai::{spec, DlRole};
use crate::error::{AiPlace, CodeError};
use crate::gs1_key::{format_yymmdd, Ai, Gs1Key};

/// Parses a GS1 Digital Link URI (see the module docs).
pub fn parse_digital_link(s: &str) -> Result<Gs1Key, CodeError> {
    let s = s.split('#').next().unwrap_or("");
    let (before_query, query) = match s.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (s, None),
    };
    let path = strip_scheme_and_host(before_query)?;
    let mut segments: Vec<&str> = match path.strip_prefix('/') {
        Some(p) => p.split('/').collect(),
        None => Vec::new(),
    };
    if segments.last() == Some(&"") {
        segments.pop();
    }
    if segments.iter().any(|seg| seg.is_empty()) {
        return Err(CodeError::MalformedDigitalLink {
            reason: "empty path segment (//)",
        });
    }
    let first_ai = segments
        .iter()
        .position(|seg| seg.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(CodeError::NoGs1Key)?;

    let mut key = Gs1Key::default();
    let mut primary: Option<Ai> = None;
    let mut last_qualifier: Option<(u8, Ai)> = None;
    for pair in segments[first_ai..].chunks(2) {
        let ai = path_ai(pair[0])?;
        match primary {
            None if ai.is_primary_key() => primary = Some(ai),
            None => {
                return Err(CodeError::PrimaryKeyFirst {
                    found: pair[0].into(),
                })
            }
            Some(first) if ai.is_primary_key() => {
                return Err(CodeError::MultiplePrimaryKeys {
                    first: first.code().into(),
                    second: ai.code().into(),
                })
            }
            Some(first) if first != Ai::Gtin => {
                return Err(CodeError::QualifierNotAllowed {
                    qualifier: ai.code().into(),
                    key: first.code().into(),
                })
            }
            Some(_) => {
                let rank = match ai {
                    Ai::Cpv => 1,
                    Ai::Lot => 2,
                    _ => 3,
                };
                if let Some((last_rank, last)) = last_qualifier {
                    if rank == last_rank {
                        return Err(CodeError::DuplicateAi {
                            ai: ai.code().into(),
                        });
                    }
                    if rank < last_rank {
                        return Err(CodeError::QualifierOrder {
                            earlier: ai.code().into(),
                            later: last.code().into(),
                        });
                    }
                }
                last_qualifier = Some((rank, ai));
            }
        }
        let raw = pair.get(1).ok_or_else(|| CodeError::MissingValue {
            ai: ai.code().into(),
        })?;
        key.set(ai, &percent_decode(raw, ai.code())?)?;
    }
    if let Some(query) = query {
        read_query(&mut key, query)?;
    }
    key.validate()?;
    Ok(key)
}

/// The path of an `http(s)://host/path` URI, or `s` itself when it is a path.
fn strip_scheme_and_host(s: &str) -> Result<&str, CodeError> {
    if s.starts_with('/') {
        return Ok(s);
    }
    let after_scheme = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            let head = s.get(..scheme.len())?;
            head.eq_ignore_ascii_case(scheme)
                .then(|| &s[scheme.len()..])
        })
        .ok_or(CodeError::MalformedDigitalLink {
            reason: "expected http://, https:// or a path starting with /",
        })?;
    let slash = after_scheme.find('/').unwrap_or(after_scheme.len());
    if slash == 0 {
        return Err(CodeError::MalformedDigitalLink {
            reason: "no host after the scheme",
        });
    }
    Ok(&after_scheme[slash..])
}

/// The AI a path segment names, refusing what may not appear in a path.
fn path_ai(segment: &str) -> Result<Ai, CodeError> {
    match (Ai::from_code(segment), spec(segment)) {
        (_, Some(spec)) if spec.dl == DlRole::Attribute => {
            Err(CodeError::AttributeInPath { ai: segment.into() })
        }
        (Some(ai), _) => Ok(ai),
        _ => Err(CodeError::UnknownAi {
            ai: segment.into(),
            place: AiPlace::DigitalLinkPath,
        }),
    }
}

/// Reads the query string: the data attributes, refusing keys, qualifiers and unknown AIs, ignoring the
/// parameters that are not AIs.
fn read_query(key: &mut Gs1Key, query: &str) -> Result<(), CodeError> {
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        let Some(spec) = spec(name) else {
            if (2..=4).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CodeError::UnknownAi {
                    ai: name.into(),
                    place: AiPlace::DigitalLinkQuery,
                });
            }
            continue;
        };
        if spec.dl != DlRole::Attribute {
            return Err(CodeError::KeyInQuery { ai: name.into() });
        }
        let value = percent_decode(value, name)?;
        match Ai::from_code(name) {
            Some(ai) => key.set(ai, &value)?,
            None => key.insert_attribute(name, spec, &value)?,
        }
    }
    Ok(())
}

fn hex_value(h: u8) -> Option<u8> {
    // A hex digit's value is below 16.
    char::from(h).to_digit(16).map(|v| v as u8)
}

/// Percent-decodes the value of `ai`.
pub(crate) fn percent_decode(s: &str, ai: &str) -> Result<String, CodeError> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let byte = match (
            b.get(i + 1).copied().and_then(hex_value),
            b.get(i + 2).copied().and_then(hex_value),
        ) {
            (Some(hi), Some(lo)) => hi * 16 + lo,
            _ => {
                return Err(CodeError::PercentEncoding {
                    found: s[i..].chars().take(3).collect(),
                })
            }
        };
        out.push(byte);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| CodeError::NotUtf8 { ai: ai.into() })
}

/// Percent-encodes everything but the URI-unreserved characters.
pub(crate) fn percent_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
}

/// The Digital Link path (and query) of a validated key, after `base` without its trailing slashes.
pub(crate) fn format_digital_link(key: &Gs1Key, base: &str) -> String {
    let mut out = base.trim_end_matches('/').to_owned();
    if let Some(gtin) = key.gtin {
        out.push_str("/01/");
        out.push_str(gtin.as_str());
        let qualifiers = [
            ("/22/", key.cpv.as_deref()),
            ("/10/", key.lot.as_ref().map(|l| l.as_str())),
            ("/21/", key.serial.as_ref().map(|s| s.as_str())),
        ];
        for (ai, value) in qualifiers {
            if let Some(value) = value {
                out.push_str(ai);
                percent_encode(value, &mut out);
            }
        }
    } else if let Some(sscc) = key.sscc {
        out.push_str("/00/");
        out.push_str(sscc.as_str());
    } else if let Some(gln) = key.gln {
        out.push_str("/414/");
        out.push_str(gln.as_str());
    } else if let Some(giai) = key.giai {
        out.push_str("/8004/");
        percent_encode(giai.as_str(), &mut out);
    }
    let expiry = key
        .expiry
        .map(|date| (Ai::Expiry.code(), format_yymmdd(date)));
    let mut query: Vec<(&str, String)> = key
        .attributes
        .iter()
        .map(|(ai, value)| (ai.as_str(), value.clone()))
        .collect();
    if let Some(expiry) = expiry {
        let at = query.partition_point(|(ai, _)| *ai < expiry.0);
        query.insert(at, expiry);
    }
    for (k, (ai, value)) in query.iter().enumerate() {
        out.push(if k == 0 { '?' } else { '&' });
        out.push_str(ai);
        out.push('=');
        percent_encode(value, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_round_trips_set_82() {
        let all: String = (0u8..=127)
            .map(char::from)
            .filter(|&c| crate::cset82::is_cset82(c))
            .collect();
        let mut encoded = String::new();
        percent_encode(&all, &mut encoded);
        assert!(!encoded.contains('/') && !encoded.contains('?'));
        assert_eq!(percent_decode(&encoded, "21").unwrap(), all);
    }

    #[test]
    fn refuses_a_lone_percent() {
        assert_eq!(
            percent_decode("A%2", "21"),
            Err(CodeError::PercentEncoding { found: "%2".into() })
        );
    }
}
