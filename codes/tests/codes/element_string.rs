//! GS1 element strings, bracketed and raw (FNC1/GS-separated, with symbology identifiers).

use yima_codes::{
    parse_element_string, AiPlace, CodeError, Gs1Key, Gtin, LotNumber, SerialNumber, Sscc,
};

const GS: char = '\u{1d}';

fn full_key() -> Gs1Key {
    Gs1Key {
        gtin: Some(Gtin::parse("09521234543213").unwrap()),
        lot: Some(LotNumber::parse("LOT1").unwrap()),
        serial: Some(SerialNumber::parse("SER1").unwrap()),
        expiry: Some((2026, 12, 31)),
        ..Gs1Key::default()
    }
}

#[test]
fn bracketed_form() {
    assert_eq!(
        parse_element_string("(01)09521234543213(17)261231(10)LOT1(21)SER1"),
        Ok(full_key())
    );
    // Any order, spaces around values.
    assert_eq!(
        parse_element_string("(21) SER1 (10) LOT1 (17) 261231 (01) 09521234543213"),
        Ok(full_key())
    );
    // A bracket not followed by an AI stays in the value.
    let key = parse_element_string("(01)09521234543213(21)A(B)").unwrap();
    assert_eq!(key.serial.unwrap().as_str(), "A(B)");
}

#[test]
fn raw_form_with_and_without_symbology_identifiers() {
    let body = format!("01095212345432131726123110LOT1{GS}21SER1");
    for prefix in ["", "]d2", "]Q3", "]C1", "]e0", "]J1", "\u{1d}", "]d2\u{1d}"] {
        assert_eq!(
            parse_element_string(&format!("{prefix}{body}")),
            Ok(full_key()),
            "{prefix:?}"
        );
    }
    // A needless GS after a fixed-length value, and a trailing GS, are tolerated.
    assert_eq!(
        parse_element_string(&format!(
            "0109521234543213{GS}17261231{GS}10LOT1{GS}21SER1{GS}"
        )),
        Ok(full_key())
    );
    let sscc = parse_element_string("]C100106141411234567897").unwrap();
    assert_eq!(sscc.sscc, Some(Sscc::parse("106141411234567897").unwrap()));
}

/// AIs missing from the AI table (4330 maximum temperature, 3106 — no measure has 6 decimals —, 7040, 89).
/// (99), (3103) and (240) used to be the examples here: they are in the table now (see `attributes.rs`).
#[test]
fn unknown_ais_are_named() {
    let err = parse_element_string("(01)09521234543213(4330)001250").unwrap_err();
    assert_eq!(
        err,
        CodeError::UnknownAi {
            ai: "4330".into(),
            place: AiPlace::ElementString
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown GS1 application identifier (4330) in element string"
    );
    assert_eq!(
        parse_element_string("(01)09521234543213(89)X"),
        Err(CodeError::UnknownAi {
            ai: "89".into(),
            place: AiPlace::ElementString
        })
    );
    // Raw form: the AI's length comes from its first two digits.
    assert_eq!(
        parse_element_string("]d2010952123454321331060001892"),
        Err(CodeError::UnknownAi {
            ai: "3106".into(),
            place: AiPlace::ElementString
        })
    );
    assert_eq!(
        parse_element_string("]d20109521234543213704012345"),
        Err(CodeError::UnknownAi {
            ai: "7040".into(),
            place: AiPlace::ElementString
        })
    );
}

#[test]
fn symbology_identifiers_must_announce_gs1() {
    assert_eq!(
        parse_element_string("]E00109521234543213")
            .unwrap_err()
            .to_string(),
        "symbology identifier ]E0 does not announce GS1 data (expected ]C1, ]d2, ]e0, ]J1 or ]Q3)"
    );
    assert_eq!(
        parse_element_string("]d"),
        Err(CodeError::SymbologyIdentifier { found: "]d".into() })
    );
}

#[test]
fn fixed_lengths_are_enforced() {
    assert_eq!(
        parse_element_string("(01)9521234543213(21)A")
            .unwrap_err()
            .to_string(),
        "AI (01) must have 14 digits, got 13"
    );
    assert_eq!(
        parse_element_string("010952123454321"),
        Err(CodeError::AiValueLength {
            ai: "01".into(),
            expected: 14,
            got: 13
        })
    );
    assert_eq!(
        parse_element_string(&format!("0109521234{GS}21A")),
        Err(CodeError::AiValueLength {
            ai: "01".into(),
            expected: 14,
            got: 8
        })
    );
    assert_eq!(
        parse_element_string("(01)09521234543213(21)"),
        Err(CodeError::MissingValue { ai: "21".into() })
    );
}

#[test]
fn structure_errors_give_a_position() {
    assert_eq!(
        parse_element_string("(1)23").unwrap_err().to_string(),
        "malformed element string at position 1: expected an application identifier in brackets, such as (01)"
    );
    assert_eq!(
        parse_element_string("]d2AB"),
        Err(CodeError::MalformedElementString {
            position: 4,
            reason: "expected a GS1 application identifier (digits)"
        })
    );
    assert_eq!(
        parse_element_string("]d2010952123454321341"),
        Err(CodeError::MalformedElementString {
            position: 20,
            reason: "application identifier cut short"
        })
    );
}

#[test]
fn combination_rules() {
    assert_eq!(
        parse_element_string("(01)09521234543213(21)A(21)B"),
        Err(CodeError::DuplicateAi { ai: "21".into() })
    );
    assert_eq!(
        parse_element_string("(21)A").unwrap_err().to_string(),
        "AI (21) needs a GTIN (AI 01)"
    );
    assert_eq!(
        parse_element_string("(00)106141411234567897(01)09521234543213"),
        Err(CodeError::MultiplePrimaryKeys {
            first: "01".into(),
            second: "00".into()
        })
    );
    assert_eq!(parse_element_string(""), Err(CodeError::NoGs1Key));
    assert_eq!(
        parse_element_string("(01)09521234543213(10)LOT é")
            .unwrap_err()
            .to_string(),
        "character ' ' at position 4 is not allowed in a lot number (GS1 character set 82)"
    );
}

#[test]
fn writing_both_forms() {
    let key = full_key();
    assert_eq!(
        key.element_string(),
        Ok("(01)09521234543213(17)261231(10)LOT1(21)SER1".to_owned())
    );
    assert_eq!(
        key.element_string_raw(),
        Ok(format!("01095212345432131726123110LOT1{GS}21SER1"))
    );
    assert_eq!(Gs1Key::default().element_string(), Err(CodeError::NoGs1Key));
}
