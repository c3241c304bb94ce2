//! `TraceCode::parse` over every form a scanner yields, the canonical form, and the refusals.

use yima_codes::{
    CodeError, CodeKind, ColdChainCode, Gln, Gtin, NmpaCode, NmpaProductCode, ProductId,
    SerialNumber, Sscc, TraceCode,
};

const GS: char = '\u{1d}';
const GTIN: &str = "09521234543213";
const SSCC: &str = "106141411234567897";
const NMPA: &str = "81234567890123456789";

fn sgtin(serial: &str) -> TraceCode {
    TraceCode::Sgtin {
        gtin: Gtin::parse(GTIN).unwrap(),
        serial: SerialNumber::parse(serial).unwrap(),
    }
}

#[test]
fn every_form_of_one_item_gives_one_code() {
    let expected = sgtin("SER1");
    for scanned in [
        "(01)09521234543213(10)LOT1(21)SER1",
        "(01)09521234543213(17)261231(21)SER1",
        "]d2010952123454321310LOT1\u{1d}21SER1",
        "]Q3010952123454321321SER1",
        "\u{1d}01095212345432131726123121SER1",
        "01095212345432131726123121SER1",
        "https://id.example.com/01/09521234543213/10/LOT1/21/SER1?17=261231",
        "http://other.example.org/gs1/01/9521234543213/21/SER1/",
        "/01/09521234543213/21/SER1",
        "  /01/09521234543213/21/SER1\r\n",
    ] {
        assert_eq!(TraceCode::parse(scanned), Ok(expected), "{scanned:?}");
    }
    assert_eq!(expected.canonical(), "/01/09521234543213/21/SER1");
    assert_eq!(expected.to_string(), expected.canonical());
}

#[test]
fn sscc_forms() {
    let expected = TraceCode::Sscc(Sscc::parse(SSCC).unwrap());
    for scanned in [
        SSCC.to_owned(),
        format!("00{SSCC}"),
        format!("]C100{SSCC}"),
        format!("(00){SSCC}"),
        format!("https://x.example/00/{SSCC}"),
        format!("/00/{SSCC}"),
    ] {
        assert_eq!(TraceCode::parse(&scanned), Ok(expected), "{scanned}");
    }
    assert_eq!(expected.canonical(), format!("/00/{SSCC}"));
}

#[test]
fn nmpa_and_cold_chain() {
    let nmpa = TraceCode::parse(NMPA).unwrap();
    assert_eq!(nmpa, TraceCode::Nmpa(NmpaCode::parse(NMPA).unwrap()));
    assert_eq!(nmpa.canonical(), NMPA);
    let cold = TraceCode::parse("cl3301000000000001k\n").unwrap();
    assert_eq!(
        cold,
        TraceCode::ColdChain(ColdChainCode::new(330_100, 1).unwrap())
    );
    assert_eq!(cold.canonical(), "CL3301000000000001K");
    assert_eq!(nmpa.digital_link("https://x.example"), None);
    assert_eq!(cold.element_string(), None);
}

#[test]
fn a_gtin_without_serial_is_a_product_not_an_item() {
    let message = "a GTIN names a product, not an item: add its serial (AI 21)";
    for scanned in [
        GTIN,
        "4006381333931",
        "(01)09521234543213(10)LOT1",
        "0109521234543213",
        "https://x.example/01/09521234543213/10/LOT1?17=261231",
    ] {
        let err = TraceCode::parse(scanned).unwrap_err();
        assert!(
            matches!(err, CodeError::GtinWithoutSerial { .. }),
            "{scanned}"
        );
        assert_eq!(err.to_string(), message);
    }
    assert_eq!(
        TraceCode::parse(GTIN),
        Err(CodeError::GtinWithoutSerial {
            gtin: Gtin::parse(GTIN).unwrap()
        })
    );
}

#[test]
fn a_gln_is_a_place() {
    assert_eq!(
        TraceCode::parse("https://x.example/414/0614141000012"),
        Err(CodeError::GlnNotTraceable {
            gln: Gln::parse("0614141000012").unwrap()
        })
    );
    assert_eq!(
        TraceCode::parse("(414)0614141000012")
            .unwrap_err()
            .to_string(),
        "a GLN names a location, not a traceable item"
    );
}

#[test]
fn bare_numbers_are_read_by_length() {
    assert_eq!(
        TraceCode::parse("10614141123456789")
            .unwrap_err()
            .to_string(),
        "SSCC must have 18 digits, got 17"
    );
    assert_eq!(
        TraceCode::parse("1061414112345678970")
            .unwrap_err()
            .to_string(),
        "SSCC must have 18 digits, got 19"
    );
    assert_eq!(
        TraceCode::parse("71234567890123456789")
            .unwrap_err()
            .to_string(),
        "NMPA drug code must start with 8"
    );
    assert_eq!(
        TraceCode::parse("812345678901234567890")
            .unwrap_err()
            .to_string(),
        "NMPA drug code must have 20 digits, got 21"
    );
    // A GTIN-13 starting with 8 is a GTIN, not a short NMPA code.
    assert!(matches!(
        TraceCode::parse("8001234567897"),
        Err(CodeError::GtinWithoutSerial { .. })
    ));
    assert_eq!(
        TraceCode::parse("0952123454321"),
        Err(CodeError::CheckDigit {
            kind: CodeKind::Gtin,
            found: 1,
            expected: 4
        })
    );
    assert_eq!(TraceCode::parse("12345"), Err(CodeError::Unrecognised));
    // A 20-digit raw element string: (01) + (21) with a numeric serial.
    assert_eq!(TraceCode::parse("01095212345432132112"), Ok(sgtin("12")));
}

#[test]
fn nothing_and_nonsense() {
    assert_eq!(TraceCode::parse(""), Err(CodeError::Empty));
    assert_eq!(TraceCode::parse(" \r\n"), Err(CodeError::Empty));
    assert_eq!(TraceCode::parse("hello"), Err(CodeError::Unrecognised));
    assert!(TraceCode::parse("hello")
        .unwrap_err()
        .to_string()
        .starts_with("not a trace code"));
    assert_eq!(
        TraceCode::parse("CLASS"),
        Err(CodeError::ColdChainLength { got: 5 })
    );
}

#[test]
fn product_of_each_kind() {
    assert_eq!(
        sgtin("A").product(),
        Some(ProductId::Gtin(Gtin::parse(GTIN).unwrap()))
    );
    assert_eq!(
        TraceCode::parse(NMPA).unwrap().product(),
        Some(ProductId::Nmpa(NmpaProductCode::parse("8123456").unwrap()))
    );
    assert_eq!(TraceCode::parse(SSCC).unwrap().product(), None);
    assert_eq!(
        TraceCode::parse("CL3301000000000001K").unwrap().product(),
        None
    );
}

#[test]
fn product_id_parse_and_display() {
    let gtin = ProductId::parse("4006381333931").unwrap();
    assert_eq!(gtin.to_string(), "04006381333931");
    let nmpa = ProductId::parse("8123456").unwrap();
    assert_eq!(nmpa.to_string(), "8123456");
    assert_eq!(
        ProductId::parse("7123456").unwrap_err().to_string(),
        "NMPA product code must start with 8"
    );
    assert_eq!(ProductId::parse("ABC"), Err(CodeError::NotAProductId));
    assert_eq!(ProductId::parse(""), Err(CodeError::Empty));
    assert!(matches!(
        ProductId::parse("123456789"),
        Err(CodeError::WrongLength { .. })
    ));
}

#[test]
fn digital_link_and_element_string_of_gs1_codes() {
    let code = sgtin("A/B");
    assert_eq!(code.canonical(), "/01/09521234543213/21/A%2FB");
    assert_eq!(
        code.digital_link("https://id.example.com/"),
        Some("https://id.example.com/01/09521234543213/21/A%2FB".to_owned())
    );
    assert_eq!(
        code.element_string(),
        Some("(01)09521234543213(21)A/B".to_owned())
    );
    assert_eq!(TraceCode::parse(&code.canonical()), Ok(code));
    let raw = code.to_gs1_key().unwrap().element_string_raw().unwrap();
    assert_eq!(raw, "010952123454321321A/B");
    assert_eq!(TraceCode::parse(&format!("]d2{raw}")), Ok(code));
    assert!(!raw.contains(GS));
}
