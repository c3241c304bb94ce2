//! The text forms of the read-backs' parameters, parsed the same way by the node (from a JSON-RPC call) and
//! the client (from a command line): a lot as `{product}/{lot}`, a subject as `KIND:VALUE`.

use yima_attestation::types::{LotRef, PseudonymousId, Subject};
use yima_codes::{LotNumber, ProductId, TraceCode};
use yima_frame::Hash;
use yima_membership::uscc::Uscc;
use yima_trace::types::LotKey;

/// Longest parameter text accepted (a Digital Link code is far below).
pub const MAX_PARAM_BYTES: usize = 512;

/// A parameter that does not parse; the message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

fn bounded(text: &str) -> Result<&str, ParamError> {
    if text.len() > MAX_PARAM_BYTES {
        return Err(ParamError(format!(
            "a parameter is at most {MAX_PARAM_BYTES} bytes; got {}",
            text.len()
        )));
    }
    Ok(text.trim())
}

/// A lot written `{product}/{lot}` (a GTIN-14 or 7-digit NMPA product code, then the lot number).
pub fn parse_lot(text: &str) -> Result<LotKey, ParamError> {
    let text = bounded(text)?;
    let (p, l) = text
        .split_once('/')
        .ok_or_else(|| ParamError(format!("{text:?}: write a lot as {{product}}/{{lot}}")))?;
    Ok(LotKey {
        product: ProductId::parse(p)
            .map_err(|e| ParamError(format!("{p:?} is not a product id: {e}")))?,
        lot: LotNumber::parse(l)
            .map_err(|e| ParamError(format!("{l:?} is not a lot number: {e}")))?,
    })
}

/// A unit of equipment: its registration number, or its GIAI in any scanned form.
pub fn parse_equipment(text: &str) -> Result<yima_codes::EquipmentCode, ParamError> {
    let text = bounded(text)?;
    yima_codes::EquipmentCode::parse(text)
        .map_err(|e| ParamError(format!("{text:?} names no unit of equipment: {e}")))
}

/// `{product}/{lot}`, what [`parse_lot`] reads.
pub fn lot_text(lot: &LotKey) -> String {
    format!("{}/{}", lot.product.as_str(), lot.lot.as_str())
}

/// A person's pseudonymous id: 64 hex digits, `0x` optional (`yima person-id derive` computes it).
pub fn parse_person(text: &str) -> Result<PseudonymousId, ParamError> {
    let text = bounded(text)?;
    let id = Hash::from_hex(text).map_err(|e| {
        ParamError(format!(
            "{text:?} is not a pseudonymous id ({e}): derive one with `yima person-id derive`"
        ))
    })?;
    Ok(PseudonymousId(id.0))
}

/// A subject written `KIND:VALUE`: `code:CODE`, `lot:PRODUCT/LOT`, `org:USCC`, `equipment:ID`, `location:ID`
/// or `person:PSEUDONYMOUS-ID`.
pub fn parse_subject(text: &str) -> Result<Subject, ParamError> {
    let text = bounded(text)?;
    let (kind, value) = text.split_once(':').ok_or_else(|| {
        ParamError(format!(
            "subject {text:?}: write KIND:VALUE, e.g. code:(01)…(21)…, lot:PRODUCT/LOT, org:USCC"
        ))
    })?;
    let subject = match kind {
        "code" => Subject::Code(
            TraceCode::parse(value)
                .map_err(|e| ParamError(format!("{value:?} is not a trace code: {e}")))?,
        ),
        "lot" => {
            let l = parse_lot(value)?;
            Subject::Lot(LotRef {
                product: l.product,
                lot: l.lot,
            })
        }
        "org" => Subject::Organisation(
            Uscc::parse(value).map_err(|e| ParamError(format!("{value:?} is not a USCC: {e}")))?,
        ),
        "equipment" => Subject::Equipment(value.as_bytes().to_vec()),
        "location" => Subject::Location(value.as_bytes().to_vec()),
        "person" => Subject::Person(parse_person(value)?),
        other => {
            return Err(ParamError(format!(
                "unknown subject kind {other:?}: use code, lot, org, equipment, location or person"
            )))
        }
    };
    if !subject.is_well_formed() {
        return Err(ParamError(format!(
            "subject {text:?} is malformed: equipment and location ids are 1 to 64 printable characters, \
             a person id is not all zeros"
        )));
    }
    Ok(subject)
}

/// `KIND:VALUE`, what [`parse_subject`] reads.
pub fn subject_text(subject: &Subject) -> String {
    match subject {
        Subject::Code(c) => format!("code:{c}"),
        Subject::Lot(l) => format!("lot:{}/{}", l.product.as_str(), l.lot.as_str()),
        Subject::Organisation(u) => format!("org:{u}"),
        Subject::Equipment(id) => format!("equipment:{}", String::from_utf8_lossy(id)),
        Subject::Location(id) => format!("location:{}", String::from_utf8_lossy(id)),
        Subject::Person(p) => format!("person:{}", Hash(p.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_read_back_from_their_text() {
        for text in [
            "lot:06901234567892/L1",
            "org:91350100M000100Y43",
            "equipment:31101101002019120001",
            "location:6901234000017",
            "person:0x0101010101010101010101010101010101010101010101010101010101010101",
        ] {
            let subject = parse_subject(text).unwrap();
            assert_eq!(subject_text(&subject), text);
            assert_eq!(parse_subject(&subject_text(&subject)).unwrap(), subject);
        }
    }

    #[test]
    fn bad_subjects_say_what_to_write() {
        for (text, says) in [
            ("L1", "KIND:VALUE"),
            ("pallet:1", "unknown subject kind"),
            ("lot:L1", "{product}/{lot}"),
            ("org:123", "not a USCC"),
            ("person:0x12", "yima person-id derive"),
            (
                "person:0x0000000000000000000000000000000000000000000000000000000000000000",
                "malformed",
            ),
            ("equipment:", "malformed"),
        ] {
            let e = parse_subject(text).unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
        }
        let long = format!("equipment:{}", "x".repeat(MAX_PARAM_BYTES));
        assert!(parse_subject(&long)
            .unwrap_err()
            .to_string()
            .contains("at most"));
    }
}
