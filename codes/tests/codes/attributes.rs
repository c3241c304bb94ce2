//! Data attributes beyond the AIs with a field (production date, best before, weights, internal data, …): read from
//! real-world element strings and Digital Links, kept in `Gs1Key::attributes`, written back.

use yima_codes::{
    parse_digital_link, parse_element_string, AiPlace, CodeError, Gs1Key, Gtin, LotNumber,
    SerialNumber, Sscc, TraceCode,
};

const GS: char = '\u{1d}';

fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(ai, v)| (ai.to_string(), v.to_string()))
        .collect()
}

/// The drug pack of the brief: GTIN, expiry, lot, production date (11), serial.
fn drug_pack() -> Gs1Key {
    Gs1Key {
        gtin: Some(Gtin::parse("09521234543213").unwrap()),
        lot: Some(LotNumber::parse("LOT1").unwrap()),
        serial: Some(SerialNumber::parse("SER1").unwrap()),
        expiry: Some((2026, 12, 31)),
        attributes: attrs(&[("11", "260101")]),
        ..Gs1Key::default()
    }
}

#[test]
fn a_real_drug_datamatrix_scans() {
    // A GS after the lot (variable length), none after the predefined-length (17) and (11).
    let scanned = format!("]d201095212345432131726123110LOT1{GS}1126010121SER1");
    assert_eq!(parse_element_string(&scanned), Ok(drug_pack()));
    assert_eq!(
        TraceCode::parse(&scanned).unwrap().canonical(),
        "/01/09521234543213/21/SER1"
    );
    assert_eq!(
        parse_element_string("(01)09521234543213(17)261231(10)LOT1(11)260101(21)SER1"),
        Ok(drug_pack())
    );
    assert_eq!(
        parse_digital_link(
            "https://id.example.com/01/09521234543213/10/LOT1/21/SER1?17=261231&11=260101&linkType=gs1:pip"
        ),
        Ok(drug_pack())
    );
}

#[test]
fn real_world_attributes_of_every_kind() {
    // A food case: GTIN, net weight 0.5 kg (3103), count 12 (30), best before (15), harvest date range (7007),
    // additional id (240), customer part number (241), company-internal data (91, 99), lot.
    let raw = format!(
        "]C1010952123454321331030005001526123110LOT1{GS}3012{GS}240ADD-1{GS}241CUST/7{GS}\
         7007260101260131{GS}70032612312359{GS}91INTERNAL{GS}99X%Y"
    );
    let key = parse_element_string(&raw).unwrap();
    assert_eq!(key.lot.unwrap().as_str(), "LOT1");
    assert_eq!(
        key.attributes,
        attrs(&[
            ("15", "261231"),
            ("240", "ADD-1"),
            ("241", "CUST/7"),
            ("30", "12"),
            ("3103", "000500"),
            ("7003", "2612312359"),
            ("7007", "260101260131"),
            ("91", "INTERNAL"),
            ("99", "X%Y"),
        ])
    );
    assert_eq!(key.attribute("3103"), Some("000500"));
    assert_eq!(key.attribute("3102"), None);
    // Written back in GS1's order: predefined lengths first, so fewer GS.
    assert_eq!(
        key.element_string().unwrap(),
        "(01)09521234543213(15)261231(3103)000500(10)LOT1(240)ADD-1(241)CUST/7(30)12\
         (7003)2612312359(7007)260101260131(91)INTERNAL(99)X%Y"
    );
    assert_eq!(
        key.element_string_raw().unwrap(),
        format!(
            "010952123454321315261231310300050010LOT1{GS}240ADD-1{GS}241CUST/7{GS}3012{GS}\
             70032612312359{GS}7007260101260131{GS}91INTERNAL{GS}99X%Y"
        )
    );
    assert_eq!(
        key.digital_link("https://id.example.com").unwrap(),
        "https://id.example.com/01/09521234543213/10/LOT1?15=261231&240=ADD-1&241=CUST%2F7&30=12\
         &3103=000500&7003=2612312359&7007=260101260131&91=INTERNAL&99=X%25Y"
    );
    for written in [
        key.element_string().unwrap(),
        key.element_string_raw().unwrap(),
    ] {
        assert_eq!(parse_element_string(&written), Ok(key.clone()), "{written}");
    }
    assert_eq!(
        parse_digital_link(&key.digital_link("").unwrap()),
        Ok(key.clone())
    );
}

#[test]
fn each_ai_class_in_the_raw_form() {
    let base = Gs1Key {
        gtin: Some(Gtin::parse("09521234543213").unwrap()),
        serial: Some(SerialNumber::parse("S1").unwrap()),
        ..Gs1Key::default()
    };
    let with = |pairs: &[(&str, &str)]| Gs1Key {
        attributes: attrs(pairs),
        ..base.clone()
    };
    // Predefined length, no GS, followed by another AI.
    assert_eq!(
        parse_element_string("0109521234543213112601013102001234410061414100001221S1"),
        Ok(with(&[
            ("11", "260101"),
            ("3102", "001234"),
            ("410", "0614141000012")
        ]))
    );
    // Variable length at the end, and before a GS.
    assert_eq!(
        parse_element_string(&format!("010952123454321321S1{GS}30120")),
        Ok(with(&[("30", "120")]))
    );
    assert_eq!(
        parse_element_string(&format!("010952123454321330120{GS}21S1")),
        Ok(with(&[("30", "120")]))
    );
    // Without the GS, a variable-length value runs on and breaks its rule.
    assert_eq!(
        parse_element_string("01095212345432133012021S1"),
        Err(CodeError::AiValueCharacter {
            ai: "30".into(),
            character: 'S',
            position: 6,
            charset: yima_codes::ai::Charset::Digits
        })
    );
    assert_eq!(
        parse_element_string("01095212345432133012345678921S1"),
        Err(CodeError::AiValueFormat {
            ai: "30".into(),
            format: yima_codes::ai::Format::DigitsUpTo(8),
            got: 13
        })
    );
    // Fixed length but not predefined (8006, 422): ends at a GS like any variable-length value.
    assert_eq!(
        parse_element_string(&format!("0109521234543213422156{GS}21S1")),
        Ok(with(&[("422", "156")]))
    );
    assert_eq!(
        parse_element_string("010952123454321342215621S1"),
        Err(CodeError::AiValueLength {
            ai: "422".into(),
            expected: 3,
            got: 7
        })
    );
    // A predefined-length value cut short by a GS, or by the end.
    assert_eq!(
        parse_element_string(&format!("01095212345432131126010{GS}21S1")),
        Err(CodeError::AiValueLength {
            ai: "11".into(),
            expected: 6,
            got: 5
        })
    );
    assert_eq!(
        parse_element_string("01095212345432133103000"),
        Err(CodeError::AiValueLength {
            ai: "3103".into(),
            expected: 6,
            got: 3
        })
    );
}

#[test]
fn attribute_rules_in_element_strings() {
    assert_eq!(
        parse_element_string("(01)09521234543213(15)261231(15)261130"),
        Err(CodeError::DuplicateAi { ai: "15".into() })
    );
    assert_eq!(
        parse_element_string("(01)09521234543213(15)"),
        Err(CodeError::MissingValue { ai: "15".into() })
    );
    assert_eq!(
        parse_element_string("(01)09521234543213(15)261331")
            .unwrap_err()
            .to_string(),
        "AI (15) value 261331 is not valid: YYMMDD month must be 01 to 12"
    );
    // An SSCC label: (00), (401) consignment, (403) route, (410) ship-to.
    let key = parse_element_string(&format!(
        "]C1001061414112345678974100614141000012401CONS-1{GS}403R7"
    ))
    .unwrap();
    assert_eq!(key.sscc, Some(Sscc::parse("106141411234567897").unwrap()));
    assert_eq!(
        key.attributes,
        attrs(&[("401", "CONS-1"), ("403", "R7"), ("410", "0614141000012")])
    );
    assert_eq!(
        TraceCode::parse(&key.element_string_raw().unwrap()),
        Ok(TraceCode::Sscc(key.sscc.unwrap()))
    );
    // (401) is a key: it fits neither the Digital Link path nor its query.
    assert_eq!(
        key.digital_link("").unwrap_err().to_string(),
        "AI (401) is a GS1 key or key qualifier that a Digital Link cannot carry besides its primary key: \
         use an element string"
    );
}

#[test]
fn digital_link_query_attributes() {
    let read = |q: &str| parse_digital_link(&format!("/01/09521234543213/21/A?{q}"));
    let key = read("11=260101&15=261231&3103=000500&17=261231").unwrap();
    assert_eq!(key.expiry, Some((2026, 12, 31)));
    assert_eq!(
        key.attributes,
        attrs(&[("11", "260101"), ("15", "261231"), ("3103", "000500")])
    );
    assert_eq!(
        key.digital_link("").unwrap(),
        "/01/09521234543213/21/A?11=260101&15=261231&17=261231&3103=000500"
    );
    // Percent-decoded, then checked against the AI's rule.
    assert_eq!(read("91=A%2FB").unwrap().attribute("91"), Some("A/B"));
    assert_eq!(
        read("91=A%20B").unwrap_err().to_string(),
        "character ' ' at position 2 is not allowed in AI (91) (GS1 character set 82)"
    );
    assert_eq!(read("91=%FF"), Err(CodeError::NotUtf8 { ai: "91".into() }));
    assert_eq!(
        read("3103=0005"),
        Err(CodeError::AiValueLength {
            ai: "3103".into(),
            expected: 6,
            got: 4
        })
    );
    assert_eq!(
        read("15=261231&15=261231"),
        Err(CodeError::DuplicateAi { ai: "15".into() })
    );
    assert_eq!(read("15"), Err(CodeError::MissingValue { ai: "15".into() }));
    // Not AIs: ignored, as before.
    assert_eq!(
        read("linkType=gs1:epil&1=x&12345=y&context=dscsa")
            .unwrap()
            .attributes,
        vec![]
    );
    // Keys and qualifiers stay refused in the query, known to the table or not.
    for ai in ["01", "21", "414", "8004", "235", "254", "8020"] {
        assert_eq!(
            read(&format!("{ai}=X")),
            Err(CodeError::KeyInQuery { ai: ai.into() }),
            "{ai}"
        );
    }
    // An AI missing from the table would be lost: refused with its number.
    assert_eq!(
        read("4330=001250").unwrap_err(),
        CodeError::UnknownAi {
            ai: "4330".into(),
            place: AiPlace::DigitalLinkQuery
        }
    );
    assert_eq!(
        read("3106=000500").unwrap_err().to_string(),
        "unknown GS1 application identifier (3106) in Digital Link query"
    );
    // Attributes belong in the query, not the path.
    assert_eq!(
        parse_digital_link("/01/09521234543213/15/261231"),
        Err(CodeError::AttributeInPath { ai: "15".into() })
    );
}

#[test]
fn all_zero_keys_are_refused() {
    assert_eq!(
        parse_element_string("(01)00000000000000(21)A")
            .unwrap_err()
            .to_string(),
        "a GTIN of all zeros is not issued by GS1"
    );
    assert_eq!(
        TraceCode::parse("/01/00000000/21/A")
            .unwrap_err()
            .to_string(),
        "a GTIN of all zeros is not issued by GS1"
    );
    assert_eq!(
        TraceCode::parse("000000000000000000")
            .unwrap_err()
            .to_string(),
        "an SSCC of all zeros is not issued by GS1"
    );
    assert_eq!(
        parse_digital_link("/414/0000000000000")
            .unwrap_err()
            .to_string(),
        "a GLN of all zeros is not issued by GS1"
    );
}
