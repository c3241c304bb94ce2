//! GS1 Digital Link: host independence, percent-encoding, ordering rules, the query, and writing.

use yima_codes::{
    parse_digital_link, AiPlace, CodeError, Gln, Gs1Key, Gtin, LotNumber, SerialNumber, Sscc,
    TextField,
};

const GTIN: &str = "09521234543213";
const SSCC: &str = "106141411234567897";

fn gtin() -> Gtin {
    Gtin::parse(GTIN).unwrap()
}

fn sgtin_key(serial: &str) -> Gs1Key {
    Gs1Key {
        gtin: Some(gtin()),
        serial: Some(SerialNumber::parse(serial).unwrap()),
        ..Gs1Key::default()
    }
}

#[test]
fn the_brief_example_reads_completely() {
    let key =
        parse_digital_link("https://id.example.com/01/09521234543213/10/LOT1/21/SER1?17=261231")
            .unwrap();
    assert_eq!(
        key,
        Gs1Key {
            gtin: Some(gtin()),
            lot: Some(LotNumber::parse("LOT1").unwrap()),
            serial: Some(SerialNumber::parse("SER1").unwrap()),
            expiry: Some((2026, 12, 31)),
            ..Gs1Key::default()
        }
    );
    assert_eq!(
        Gs1Key::parse_digital_link("/01/09521234543213/10/LOT1/21/SER1?17=261231"),
        Ok(key)
    );
}

#[test]
fn any_host_any_scheme_case_and_a_stem() {
    let expected = sgtin_key("SER1");
    for uri in [
        "https://id.example.com/01/09521234543213/21/SER1",
        "http://localhost:9944/01/09521234543213/21/SER1",
        "HTTPS://ID.EXAMPLE.COM/01/09521234543213/21/SER1",
        "https://yima.gov.example/resolver/v1/01/09521234543213/21/SER1",
        "https://user@example.com:8443/01/09521234543213/21/SER1#section",
        "/01/09521234543213/21/SER1",
    ] {
        assert_eq!(parse_digital_link(uri), Ok(expected.clone()), "{uri}");
    }
}

#[test]
fn trailing_slash_is_allowed_but_not_empty_segments() {
    assert_eq!(
        parse_digital_link("https://x.example/01/09521234543213/21/SER1/"),
        Ok(sgtin_key("SER1"))
    );
    assert_eq!(
        parse_digital_link("https://x.example/01//09521234543213/21/SER1"),
        Err(CodeError::MalformedDigitalLink {
            reason: "empty path segment (//)"
        })
    );
}

#[test]
fn short_gtins_in_the_path_are_padded_to_14() {
    for (given, padded) in [
        ("96385074", "00000096385074"),
        ("036000291452", "00036000291452"),
        ("4006381333931", "04006381333931"),
    ] {
        let key = parse_digital_link(&format!("https://x.example/01/{given}/21/A")).unwrap();
        assert_eq!(key.gtin.unwrap().as_str(), padded);
    }
}

#[test]
fn percent_encoded_values_are_decoded() {
    let key = parse_digital_link("https://x.example/01/09521234543213/10/L%2f1/21/AB%2FC%25%3F%26")
        .unwrap();
    assert_eq!(key.lot.unwrap().as_str(), "L/1");
    assert_eq!(key.serial.unwrap().as_str(), "AB/C%?&");
    // Raw sub-delimiters are legal in a path and in set 82.
    let key = parse_digital_link("/01/09521234543213/21/a!'()*+,:;=").unwrap();
    assert_eq!(key.serial.unwrap().as_str(), "a!'()*+,:;=");
}

#[test]
fn decoded_characters_outside_set_82_are_refused() {
    assert_eq!(
        parse_digital_link("/01/09521234543213/21/A%20B").unwrap_err(),
        CodeError::TextCharacter {
            field: TextField::Serial,
            character: ' ',
            position: 2
        }
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213/10/caf%C3%A9")
            .unwrap_err()
            .to_string(),
        "character 'é' at position 4 is not allowed in a lot number (GS1 character set 82)"
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213/21/caf\u{e9}")
            .unwrap_err()
            .to_string(),
        "character 'é' at position 4 is not allowed in a serial number (GS1 character set 82)"
    );
    assert!(matches!(
        parse_digital_link("/01/09521234543213/21/A%23"),
        Err(CodeError::TextCharacter { character: '#', .. })
    ));
    assert_eq!(
        parse_digital_link("/01/09521234543213/21/A%FF"),
        Err(CodeError::NotUtf8 { ai: "21".into() })
    );
}

#[test]
fn broken_percent_encoding_is_refused() {
    assert_eq!(
        parse_digital_link("/01/09521234543213/21/A%G1")
            .unwrap_err()
            .to_string(),
        "invalid percent-encoding '%G1' in a Digital Link"
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213/21/A%"),
        Err(CodeError::PercentEncoding { found: "%".into() })
    );
}

#[test]
fn qualifiers_must_keep_their_order() {
    let err =
        parse_digital_link("https://x.example/01/09521234543213/21/SER1/10/LOT1").unwrap_err();
    assert_eq!(
        err,
        CodeError::QualifierOrder {
            earlier: "10".into(),
            later: "21".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "Digital Link qualifier /10/ must come before /21/"
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213/10/LOT1/22/V1")
            .unwrap_err()
            .to_string(),
        "Digital Link qualifier /22/ must come before /10/"
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213/21/A/21/B"),
        Err(CodeError::DuplicateAi { ai: "21".into() })
    );
    let all = parse_digital_link("/01/09521234543213/22/V1/10/LOT1/21/SER1").unwrap();
    assert_eq!(all.cpv.as_deref(), Some("V1"));
}

#[test]
fn the_primary_key_comes_first_and_alone() {
    assert_eq!(
        parse_digital_link("/10/LOT1/01/09521234543213")
            .unwrap_err()
            .to_string(),
        "Digital Link path must start with a primary key (/01/, /00/ or /414/), found /10/"
    );
    assert_eq!(
        parse_digital_link(&format!("/01/{GTIN}/00/{SSCC}"))
            .unwrap_err()
            .to_string(),
        "only one GS1 primary key is allowed, found (01) and (00)"
    );
    assert_eq!(
        parse_digital_link(&format!("/00/{SSCC}/21/A"))
            .unwrap_err()
            .to_string(),
        "Digital Link qualifier /21/ is not allowed after /00/"
    );
}

#[test]
fn unknown_and_misplaced_ais_are_named() {
    // (99) used to be the example: it is a data attribute now, refused in the path as such (below).
    let err = parse_digital_link("/01/09521234543213/89/X").unwrap_err();
    assert_eq!(
        err,
        CodeError::UnknownAi {
            ai: "89".into(),
            place: AiPlace::DigitalLinkPath
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown GS1 application identifier (89) in Digital Link path"
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213/99/X"),
        Err(CodeError::AttributeInPath { ai: "99".into() })
    );
    // A GIAI takes no qualifier.
    assert_eq!(
        parse_digital_link("/8004/0614141ABC/21/1"),
        Err(CodeError::QualifierNotAllowed {
            qualifier: "21".into(),
            key: "8004".into()
        })
    );
    assert!(matches!(
        parse_digital_link("/01/09521234543213/lot/X"),
        Err(CodeError::UnknownAi { ai, .. }) if ai == "lot"
    ));
    assert_eq!(
        parse_digital_link("/01/09521234543213/17/261231")
            .unwrap_err()
            .to_string(),
        "AI (17) is a data attribute: it belongs in the Digital Link query (?17=…), not the path"
    );
    assert_eq!(
        parse_digital_link("/01/09521234543213?21=SER1")
            .unwrap_err()
            .to_string(),
        "AI (21) is a key or key qualifier: it belongs in the Digital Link path, not the query"
    );
}

#[test]
fn missing_values_and_missing_keys() {
    assert_eq!(
        parse_digital_link("/01/09521234543213/21")
            .unwrap_err()
            .to_string(),
        "AI (21) has no value"
    );
    assert_eq!(
        parse_digital_link("https://x.example/"),
        Err(CodeError::NoGs1Key)
    );
    assert_eq!(
        parse_digital_link("https://x.example/about/us"),
        Err(CodeError::NoGs1Key)
    );
    assert_eq!(
        parse_digital_link("https://x.example?17=261231"),
        Err(CodeError::NoGs1Key)
    );
    assert_eq!(
        parse_digital_link("ftp://x.example/01/09521234543213")
            .unwrap_err()
            .to_string(),
        "malformed Digital Link: expected http://, https:// or a path starting with /"
    );
    assert_eq!(
        parse_digital_link("https:///01/09521234543213"),
        Err(CodeError::MalformedDigitalLink {
            reason: "no host after the scheme"
        })
    );
    assert!(matches!(
        parse_digital_link("/01/09521234543217/21/A"),
        Err(CodeError::CheckDigit {
            found: 7,
            expected: 3,
            ..
        })
    ));
}

#[test]
fn expiry_in_the_query() {
    let expiry = |q: &str| parse_digital_link(&format!("/01/{GTIN}/21/A?{q}")).map(|k| k.expiry);
    assert_eq!(expiry("17=261231"), Ok(Some((2026, 12, 31))));
    assert_eq!(expiry("17=261200"), Ok(Some((2026, 12, 31))));
    assert_eq!(expiry("17=260200"), Ok(Some((2026, 2, 28))));
    assert_eq!(expiry("17=280200"), Ok(Some((2028, 2, 29))));
    assert_eq!(expiry("17=000229"), Ok(Some((2000, 2, 29))));
    assert_eq!(expiry("17=991231"), Ok(Some((2099, 12, 31))));
    assert_eq!(
        expiry("linkType=gs1:pip&17=261231&3103=000189"),
        Ok(Some((2026, 12, 31)))
    );
    assert_eq!(expiry("linkType=all"), Ok(None));
    assert_eq!(
        expiry("17=261331").unwrap_err().to_string(),
        "expiry month (AI 17) must be 01 to 12, got 13"
    );
    assert_eq!(
        expiry("17=260230").unwrap_err().to_string(),
        "expiry date (AI 17) 2026-02-30 does not exist"
    );
    assert_eq!(
        expiry("17=270229").unwrap_err().to_string(),
        "expiry date (AI 17) 2027-02-29 does not exist"
    );
    assert_eq!(
        expiry("17=2612").unwrap_err().to_string(),
        "AI (17) must have 6 digits, got 4"
    );
    assert_eq!(
        expiry("17=26123A").unwrap_err().to_string(),
        "character 'A' at position 6 is not allowed in an expiry date (AI 17) (digits only)"
    );
    assert_eq!(
        expiry("17=261231&17=261130"),
        Err(CodeError::DuplicateAi { ai: "17".into() })
    );
    assert_eq!(
        expiry("17="),
        Err(CodeError::MissingValue { ai: "17".into() })
    );
}

#[test]
fn sscc_and_gln_keys() {
    let key = parse_digital_link(&format!("https://x.example/00/{SSCC}")).unwrap();
    assert_eq!(key.sscc, Some(Sscc::parse(SSCC).unwrap()));
    let key = parse_digital_link("https://x.example/414/0614141000012").unwrap();
    assert_eq!(key.gln, Some(Gln::parse("0614141000012").unwrap()));
    assert_eq!(
        parse_digital_link(&format!("/00/{SSCC}?17=261231")),
        Err(CodeError::NeedsGtin { ai: "17".into() })
    );
}

#[test]
fn writing_puts_qualifiers_in_order_and_encodes_values() {
    let key = Gs1Key {
        gtin: Some(gtin()),
        cpv: Some("V1".into()),
        lot: Some(LotNumber::parse("L/1").unwrap()),
        serial: Some(SerialNumber::parse("S?1%").unwrap()),
        expiry: Some((2026, 12, 31)),
        ..Gs1Key::default()
    };
    let uri = key.digital_link("https://id.example.com/").unwrap();
    assert_eq!(
        uri,
        "https://id.example.com/01/09521234543213/22/V1/10/L%2F1/21/S%3F1%25?17=261231"
    );
    assert_eq!(parse_digital_link(&uri), Ok(key));
    let sscc = Gs1Key {
        sscc: Some(Sscc::parse(SSCC).unwrap()),
        ..Gs1Key::default()
    };
    assert_eq!(sscc.digital_link(""), Ok(format!("/00/{SSCC}")));
}

#[test]
fn hand_built_keys_are_validated_before_writing() {
    assert_eq!(Gs1Key::default().digital_link(""), Err(CodeError::NoGs1Key));
    let lot_only = Gs1Key {
        lot: Some(LotNumber::parse("L1").unwrap()),
        sscc: Some(Sscc::parse(SSCC).unwrap()),
        ..Gs1Key::default()
    };
    assert_eq!(
        lot_only.validate(),
        Err(CodeError::NeedsGtin { ai: "10".into() })
    );
    let bad_cpv = Gs1Key {
        gtin: Some(gtin()),
        cpv: Some("has space".into()),
        ..Gs1Key::default()
    };
    assert_eq!(
        bad_cpv.validate().unwrap_err().to_string(),
        "character ' ' at position 4 is not allowed in a consumer product variant (GS1 character set 82)"
    );
    let bad_date = Gs1Key {
        gtin: Some(gtin()),
        expiry: Some((2100, 1, 1)),
        ..Gs1Key::default()
    };
    assert_eq!(
        bad_date.validate().unwrap_err().to_string(),
        "expiry year (AI 17) must be 2000 to 2099, got 2100"
    );
    let two = Gs1Key {
        gtin: Some(gtin()),
        gln: Some(Gln::parse("0614141000012").unwrap()),
        ..Gs1Key::default()
    };
    assert_eq!(
        two.validate(),
        Err(CodeError::MultiplePrimaryKeys {
            first: "01".into(),
            second: "414".into()
        })
    );
}

#[test]
fn a_giai_is_a_primary_key_of_equipment() {
    let key = parse_digital_link("https://id.example.com/8004/0614141ELEV%2F07?linkType=gs1:pip")
        .unwrap();
    assert_eq!(
        key.giai.map(|g| g.to_string()).as_deref(),
        Some("0614141ELEV/07")
    );
    assert_eq!(key.digital_link("").unwrap(), "/8004/0614141ELEV%2F07");
    assert_eq!(key.element_string().unwrap(), "(8004)0614141ELEV/07");
    assert_eq!(
        yima_codes::Gs1Key::parse_element_string("(8004)0614141ELEV/07").unwrap(),
        key
    );
    // Equipment, not goods.
    assert!(matches!(
        key.to_trace_code(),
        Err(CodeError::GiaiNotTraceable { .. })
    ));
    assert!(matches!(
        yima_codes::TraceCode::parse("/8004/0614141ELEV%2F07"),
        Err(CodeError::GiaiNotTraceable { .. })
    ));
    // One primary key only, and the GIAI's own rules.
    assert_eq!(
        parse_digital_link("/8004/0614141ABC/00/106141412345678908"),
        Err(CodeError::MultiplePrimaryKeys {
            first: "8004".into(),
            second: "00".into()
        })
    );
    assert_eq!(
        parse_digital_link("/8004/ABCDEFG"),
        Err(CodeError::GiaiPrefix)
    );
    assert_eq!(
        parse_digital_link("/8004/0614"),
        Err(CodeError::GiaiLength { got: 4 })
    );
}
