//! GS1 EPC URIs (`urn:epc:id:…`, `urn:epc:class:…`) ⇄ canonical GS1 Digital Link URIs (`https://id.gs1.org/…`).
//!
//! An EPC URI splits a GS1 key at the end of the GS1 company prefix (`urn:epc:id:sgtin:0614141.107346.2017`:
//! prefix `0614141`, then indicator digit `1` and item reference `07346`); a Digital Link carries the key whole
//! with its check digit (`/01/10614141073464/21/2017`). The conversion to Digital Link drops the split and adds
//! the check digit; the way back needs the company prefix length (6 to 12 digits), which the key alone does not
//! tell (GS1 assigns prefixes of varying length), so [`digital_link_to_urn`] takes it.
//!
//! | scheme | EPC URI | Digital Link path |
//! |--------|---------|-------------------|
//! | SGTIN  | `urn:epc:id:sgtin:{cp}.{indicator}{item}.{serial}` | `/01/{gtin14}/21/{serial}` |
//! | SSCC   | `urn:epc:id:sscc:{cp}.{extension}{serial ref}` | `/00/{sscc18}` |
//! | SGLN   | `urn:epc:id:sgln:{cp}.{location ref}.{ext}` | `/414/{gln}` (and `/254/{ext}` unless `ext` is `0`) |
//! | PGLN   | `urn:epc:id:pgln:{cp}.{party ref}` | `/417/{gln}` |
//! | GIAI   | `urn:epc:id:giai:{cp}.{asset ref}` | `/8004/{cp}{asset ref}` |
//! | LGTIN  | `urn:epc:class:lgtin:{cp}.{indicator}{item}.{lot}` | `/01/{gtin14}/10/{lot}` |
//!
//! Serials, lots and asset references pass through unchanged: both forms percent-encode the same few characters.

use yima_codes::gs1_check_digit;

/// The host of canonical GS1 Digital Link URIs.
pub const GS1_DL_HOST: &str = "https://id.gs1.org";

/// Why an EPC URI or a Digital Link could not be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrnError {
    /// Not `urn:epc:id:{scheme}:…` / `urn:epc:class:{scheme}:…` with a scheme listed in the module docs.
    #[error(
        "`{0}` is not an EPC URI of a scheme Yima reads (sgtin, sscc, sgln, pgln, giai, lgtin)"
    )]
    UnknownScheme(String),
    /// The parts are not the scheme's (wrong count, not digits, wrong total length).
    #[error("`{uri}` is not a valid {scheme} EPC URI: {why}")]
    Malformed {
        /// The URI read.
        uri: String,
        /// The scheme.
        scheme: &'static str,
        /// What is wrong, in words.
        why: &'static str,
    },
    /// The company prefix length asked for is outside 6–12 or does not fit the key.
    #[error("a GS1 company prefix has 6 to 12 digits and must fit the key; {0} does not")]
    PrefixLength(usize),
    /// The Digital Link has no key this module converts.
    #[error("`{0}` is not a Digital Link of an SGTIN, SSCC, GLN, party GLN or LGTIN")]
    NotConvertible(String),
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `digits` with its GS1 mod-10 check digit appended.
fn with_check(digits: &str) -> String {
    format!("{digits}{}", gs1_check_digit(digits.as_bytes()))
}

/// Whether `s` starts like an EPC URI (identifier, class or pattern).
pub fn is_epc_urn(s: &str) -> bool {
    s.starts_with("urn:epc:id:")
        || s.starts_with("urn:epc:class:")
        || s.starts_with("urn:epc:idpat:")
}

/// Converts an EPC URI (table in the module docs) into its canonical Digital Link under [`GS1_DL_HOST`].
pub fn urn_to_digital_link(uri: &str) -> Result<String, UrnError> {
    let (scheme, body) = if let Some(rest) = uri.strip_prefix("urn:epc:id:") {
        rest.split_once(':')
            .ok_or_else(|| UrnError::UnknownScheme(uri.into()))?
    } else if let Some(rest) = uri.strip_prefix("urn:epc:class:") {
        match rest.split_once(':') {
            Some(("lgtin", body)) => ("lgtin", body),
            _ => return Err(UrnError::UnknownScheme(uri.into())),
        }
    } else {
        return Err(UrnError::UnknownScheme(uri.into()));
    };
    let parts: Vec<&str> = body.split('.').collect();
    let bad = |scheme: &'static str, why: &'static str| UrnError::Malformed {
        uri: uri.into(),
        scheme,
        why,
    };
    let prefix_ok = |cp: &str| all_digits(cp) && (6..=12).contains(&cp.len());
    match scheme {
        "sgtin" | "lgtin" => {
            let name = if scheme == "sgtin" { "SGTIN" } else { "LGTIN" };
            let [cp, ir, tail] = parts[..] else {
                return Err(bad(name, "it needs three dot-separated parts"));
            };
            if !prefix_ok(cp) || !all_digits(ir) || cp.len() + ir.len() != 13 {
                return Err(bad(
                    name,
                    "company prefix and indicator+item reference must be 13 digits together",
                ));
            }
            if tail.is_empty() {
                return Err(bad(name, "the serial or lot is empty"));
            }
            let gtin = with_check(&format!("{}{cp}{}", &ir[..1], &ir[1..]));
            let ai = if scheme == "sgtin" { "21" } else { "10" };
            Ok(format!("{GS1_DL_HOST}/01/{gtin}/{ai}/{tail}"))
        }
        "sscc" => {
            let [cp, sr] = parts[..] else {
                return Err(bad("SSCC", "it needs two dot-separated parts"));
            };
            if !prefix_ok(cp) || !all_digits(sr) || cp.len() + sr.len() != 17 {
                return Err(bad(
                    "SSCC",
                    "company prefix and extension+serial reference must be 17 digits together",
                ));
            }
            let sscc = with_check(&format!("{}{cp}{}", &sr[..1], &sr[1..]));
            Ok(format!("{GS1_DL_HOST}/00/{sscc}"))
        }
        "sgln" => {
            let [cp, lr, ext] = parts[..] else {
                return Err(bad("SGLN", "it needs three dot-separated parts"));
            };
            if !prefix_ok(cp) || !(lr.is_empty() || all_digits(lr)) || cp.len() + lr.len() != 12 {
                return Err(bad(
                    "SGLN",
                    "company prefix and location reference must be 12 digits together",
                ));
            }
            if ext.is_empty() {
                return Err(bad("SGLN", "the extension is empty (0 means none)"));
            }
            let gln = with_check(&format!("{cp}{lr}"));
            Ok(if ext == "0" {
                format!("{GS1_DL_HOST}/414/{gln}")
            } else {
                format!("{GS1_DL_HOST}/414/{gln}/254/{ext}")
            })
        }
        "pgln" => {
            let [cp, pr] = parts[..] else {
                return Err(bad("PGLN", "it needs two dot-separated parts"));
            };
            if !prefix_ok(cp) || !(pr.is_empty() || all_digits(pr)) || cp.len() + pr.len() != 12 {
                return Err(bad(
                    "PGLN",
                    "company prefix and party reference must be 12 digits together",
                ));
            }
            Ok(format!(
                "{GS1_DL_HOST}/417/{}",
                with_check(&format!("{cp}{pr}"))
            ))
        }
        "giai" => {
            let [cp, asset] = parts[..] else {
                return Err(bad("GIAI", "it needs two dot-separated parts"));
            };
            if !prefix_ok(cp) || asset.is_empty() {
                return Err(bad(
                    "GIAI",
                    "it needs a company prefix and an asset reference",
                ));
            }
            Ok(format!("{GS1_DL_HOST}/8004/{cp}{asset}"))
        }
        _ => Err(UrnError::UnknownScheme(uri.into())),
    }
}

/// Converts a Digital Link (any host; the query string is ignored) of an SGTIN, SSCC, GLN (`/414`, with an
/// optional `/254` extension), party GLN (`/417`) or LGTIN (`/01/…/10/…` without serial) into its EPC URI, splitting
/// the key after `company_prefix_len` digits (6 to 12).
pub fn digital_link_to_urn(dl: &str, company_prefix_len: usize) -> Result<String, UrnError> {
    let cp_len = company_prefix_len;
    if !(6..=12).contains(&cp_len) {
        return Err(UrnError::PrefixLength(cp_len));
    }
    let not = || UrnError::NotConvertible(dl.into());
    let path = dl.split(['?', '#']).next().unwrap_or_default();
    let after_scheme = path.split_once("://").map_or(path, |(_, rest)| rest);
    let segments: Vec<&str> = after_scheme.split('/').skip(1).collect();
    let start = segments
        .iter()
        .position(|s| matches!(*s, "01" | "00" | "414" | "417"))
        .ok_or_else(not)?;
    let pairs = &segments[start..];
    let value = |ai: &str| {
        pairs
            .chunks(2)
            .find(|c| c.len() == 2 && c[0] == ai)
            .map(|c| c[1])
    };
    let key = pairs
        .get(1)
        .copied()
        .filter(|k| all_digits(k))
        .ok_or_else(not)?;
    match pairs[0] {
        "01" => {
            let gtin = format!("{key:0>14}");
            if gtin.len() != 14 || cp_len > 12 {
                return Err(not());
            }
            let (indicator, rest) = gtin.split_at(1);
            let (cp, item) = rest[..12].split_at(cp_len);
            if let Some(serial) = value("21") {
                Ok(format!("urn:epc:id:sgtin:{cp}.{indicator}{item}.{serial}"))
            } else if let Some(lot) = value("10") {
                Ok(format!("urn:epc:class:lgtin:{cp}.{indicator}{item}.{lot}"))
            } else {
                Err(not())
            }
        }
        "00" => {
            if key.len() != 18 {
                return Err(not());
            }
            let (extension, rest) = key.split_at(1);
            let (cp, serial_ref) = rest[..16].split_at(cp_len);
            Ok(format!("urn:epc:id:sscc:{cp}.{extension}{serial_ref}"))
        }
        ai @ ("414" | "417") => {
            if key.len() != 13 {
                return Err(not());
            }
            let (cp, reference) = key[..12].split_at(cp_len);
            if ai == "417" {
                Ok(format!("urn:epc:id:pgln:{cp}.{reference}"))
            } else {
                let ext = value("254").unwrap_or("0");
                Ok(format!("urn:epc:id:sgln:{cp}.{reference}.{ext}"))
            }
        }
        _ => Err(not()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgtin_sscc_sgln_from_published_examples() {
        // The SGTIN, SGLN and SSCC of the GS1 EPC Tag Data Standard's examples, as the hash algorithm's
        // reference vectors convert them.
        assert_eq!(
            urn_to_digital_link("urn:epc:id:sgtin:0614141.107346.2017").unwrap(),
            "https://id.gs1.org/01/10614141073464/21/2017"
        );
        assert_eq!(
            urn_to_digital_link("urn:epc:id:sgln:0614141.07346.1234").unwrap(),
            "https://id.gs1.org/414/0614141073467/254/1234"
        );
        assert_eq!(
            urn_to_digital_link("urn:epc:id:sscc:0614141.1234567890").unwrap(),
            "https://id.gs1.org/00/106141412345678908"
        );
        assert_eq!(
            urn_to_digital_link("urn:epc:id:pgln:4012345.00000").unwrap(),
            "https://id.gs1.org/417/4012345000009"
        );
        assert_eq!(
            urn_to_digital_link("urn:epc:class:lgtin:4012345.012345.998877").unwrap(),
            "https://id.gs1.org/01/04012345123456/10/998877"
        );
    }

    #[test]
    fn back_to_urn_with_the_prefix_length() {
        assert_eq!(
            digital_link_to_urn("https://id.gs1.org/01/10614141073464/21/2017", 7).unwrap(),
            "urn:epc:id:sgtin:0614141.107346.2017"
        );
        assert_eq!(
            digital_link_to_urn("https://example.com/414/0614141073467/254/1234?x=1", 7).unwrap(),
            "urn:epc:id:sgln:0614141.07346.1234"
        );
        assert_eq!(
            digital_link_to_urn("https://id.gs1.org/01/10614141073464/21/2017", 13),
            Err(UrnError::PrefixLength(13))
        );
    }

    #[test]
    fn malformed_urns_are_refused() {
        assert!(matches!(
            urn_to_digital_link("urn:epc:id:sgtin:0614141.10734.2017"),
            Err(UrnError::Malformed {
                scheme: "SGTIN",
                ..
            })
        ));
        assert!(matches!(
            urn_to_digital_link("urn:epc:id:grai:0614141.12345.400"),
            Err(UrnError::UnknownScheme(_))
        ));
    }
}
