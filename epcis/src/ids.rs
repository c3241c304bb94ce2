//! EPCs, EPC classes and locations between their EPCIS forms and the chain's types.
//!
//! | chain | read from | written as |
//! |-------|-----------|------------|
//! | SGTIN, SSCC ([`TraceCode`]) | Digital Link (any host), EPC URI, `urn:yima:code:{code}`, any form [`TraceCode::parse`] reads | `https://id.gs1.org/01/{gtin}/21/{serial}`, `https://id.gs1.org/00/{sscc}` |
//! | NMPA and cold-chain codes | `urn:yima:code:{code}` or the bare code | `urn:yima:code:{code}` |
//! | lot of a GTIN ([`LotKey`]) | `urn:epc:class:lgtin:…`, Digital Link `/01/{gtin}/10/{lot}` | `https://id.gs1.org/01/{gtin}/10/{lot}` |
//! | lot of an NMPA product | `urn:yima:lot:{product}:{lot}` | the same |
//! | [`Location::Gln`] | `urn:epc:id:sgln:{cp}.{ref}.0`, Digital Link `/414/{gln}` | `https://id.gs1.org/414/{gln}` |
//! | [`Location::Other`] | any other id of at most [`MAX_ID_BYTES`] bytes, kept as given | the same |

use yima_codes::{Gs1Key, LotNumber, ProductId, TraceCode};
use yima_trace::epcis::{Location, MAX_ID_BYTES};
use yima_trace::types::LotKey;

use crate::error::Problem;
use crate::party::gln_of_digital_link;
use crate::urn::{is_epc_urn, urn_to_digital_link, GS1_DL_HOST};

const CODE_URN: &str = "urn:yima:code:";
const LOT_URN: &str = "urn:yima:lot:";

fn bad_code(value: &str) -> impl FnOnce(yima_codes::CodeError) -> Problem + '_ {
    move |source| Problem::BadCode {
        value: value.to_owned(),
        source,
    }
}

/// Reads an EPC into a trace code.
pub fn read_epc(s: &str) -> Result<TraceCode, Problem> {
    let t = s.trim();
    if let Some(code) = t.strip_prefix(CODE_URN) {
        return TraceCode::parse(code).map_err(bad_code(t));
    }
    if is_epc_urn(t) {
        let dl = urn_to_digital_link(t)?;
        return TraceCode::parse(&dl).map_err(bad_code(t));
    }
    TraceCode::parse(t).map_err(bad_code(t))
}

/// The EPC of a trace code.
pub fn epc_uri(code: &TraceCode) -> String {
    code.digital_link(GS1_DL_HOST)
        .unwrap_or_else(|| format!("{CODE_URN}{}", code.canonical()))
}

/// Reads a quantity element's `epcClass` into a lot.
pub fn read_class(s: &str) -> Result<LotKey, Problem> {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix(LOT_URN) {
        let (product, lot) = rest
            .split_once(':')
            .ok_or(Problem::WrongType("urn:yima:lot:{product}:{lot}"))?;
        return Ok(LotKey {
            product: ProductId::parse(product).map_err(bad_code(t))?,
            lot: LotNumber::parse(lot).map_err(bad_code(t))?,
        });
    }
    let dl = if is_epc_urn(t) {
        urn_to_digital_link(t)?
    } else {
        t.to_owned()
    };
    let key = Gs1Key::parse_digital_link(&dl).map_err(bad_code(t))?;
    match (key.gtin, key.lot, key.serial) {
        (Some(gtin), Some(lot), None) => Ok(LotKey { product: ProductId::Gtin(gtin), lot }),
        _ => Err(Problem::WrongType(
            "a lot class: urn:epc:class:lgtin:… or a Digital Link /01/{gtin}/10/{lot} without serial",
        )),
    }
}

/// The `epcClass` of a lot.
pub fn class_uri(lot: &LotKey) -> String {
    match lot.product {
        ProductId::Gtin(gtin) => {
            let key = Gs1Key {
                gtin: Some(gtin),
                lot: Some(lot.lot),
                ..Gs1Key::default()
            };
            key.digital_link(GS1_DL_HOST)
                .unwrap_or_else(|_| format!("{LOT_URN}{}:{}", lot.product, lot.lot.as_str()))
        }
        ProductId::Nmpa(_) => format!("{LOT_URN}{}:{}", lot.product, lot.lot.as_str()),
    }
}

/// Reads a `readPoint` / `bizLocation` id.
pub fn read_location(s: &str) -> Result<Location, Problem> {
    let t = s.trim();
    let dl = if t.starts_with("urn:epc:id:sgln:") {
        Some(urn_to_digital_link(t)?)
    } else {
        Some(t.to_owned())
    };
    if let Some(gln) = dl.as_deref().and_then(gln_of_digital_link) {
        if dl.as_deref().is_some_and(|d| d.contains("/414/")) {
            return Ok(Location::Gln(gln));
        }
    }
    if t.is_empty() {
        return Err(Problem::Missing("a location needs an id"));
    }
    if t.len() > MAX_ID_BYTES {
        return Err(Problem::TooLong {
            value: t.to_owned(),
            len: t.len(),
            max: MAX_ID_BYTES,
        });
    }
    Ok(Location::Other(t.as_bytes().to_vec()))
}

/// The id of a location.
pub fn location_uri(location: &Location) -> String {
    match location {
        Location::Gln(gln) => format!("{GS1_DL_HOST}/414/{gln}"),
        Location::Other(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epcs_in_every_form() {
        let code = read_epc("urn:epc:id:sgtin:0614141.107346.2017").unwrap();
        assert_eq!(
            epc_uri(&code),
            "https://id.gs1.org/01/10614141073464/21/2017"
        );
        assert_eq!(read_epc(&epc_uri(&code)), Ok(code));
        let nmpa = read_epc("81234567890123456789");
        if let Ok(nmpa) = nmpa {
            assert_eq!(read_epc(&epc_uri(&nmpa)), Ok(nmpa));
        }
        assert!(matches!(
            read_epc("https://id.gs1.org/01/10614141073465/21/2017"),
            Err(Problem::BadCode { .. })
        ));
    }

    #[test]
    fn classes_and_locations() {
        let lot = read_class("urn:epc:class:lgtin:4012345.012345.998877").unwrap();
        assert_eq!(
            class_uri(&lot),
            "https://id.gs1.org/01/04012345123456/10/998877"
        );
        assert_eq!(read_class(&class_uri(&lot)), Ok(lot));
        let gln = read_location("urn:epc:id:sgln:0614141.07346.0").unwrap();
        assert_eq!(location_uri(&gln), "https://id.gs1.org/414/0614141073467");
        assert_eq!(read_location(&location_uri(&gln)), Ok(gln));
        let ext = read_location("urn:epc:id:sgln:0614141.07346.1234").unwrap();
        assert_eq!(
            ext,
            Location::Other(b"urn:epc:id:sgln:0614141.07346.1234".to_vec())
        );
        assert!(matches!(
            read_location(&"x".repeat(65)),
            Err(Problem::TooLong { len: 65, .. })
        ));
    }
}
