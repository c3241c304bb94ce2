//! NMPA drug traceability codes and product codes.

use yima_codes::{CodeError, CodeKind, NmpaCode, NmpaProductCode};

const CODE: &str = "81234567890123456789";

#[test]
fn a_valid_code_and_its_product_code() {
    let code = NmpaCode::parse(CODE).unwrap();
    assert_eq!(code.as_str(), CODE);
    assert_eq!(code.product_code().as_str(), "8123456");
    assert_eq!(
        code.product_code(),
        NmpaProductCode::parse("8123456").unwrap()
    );
    assert_eq!(code.unit_serial(), "7890123456789");
    assert_eq!(NmpaCode::from_digits(*b"81234567890123456789"), Ok(code));
    assert_eq!(format!("{code:?}"), "NmpaCode(81234567890123456789)");
}

#[test]
fn no_check_digit_is_invented() {
    // Any digits after the 8 are fine: the last digit is not a check digit.
    for last in b'0'..=b'9' {
        let mut s = CODE.as_bytes().to_vec();
        s[19] = last;
        assert!(NmpaCode::parse(std::str::from_utf8(&s).unwrap()).is_ok());
    }
}

#[test]
fn must_start_with_8() {
    let err = NmpaCode::parse("71234567890123456789").unwrap_err();
    assert_eq!(
        err,
        CodeError::NmpaPrefix {
            kind: CodeKind::NmpaCode,
            found: '7'
        }
    );
    assert_eq!(err.to_string(), "NMPA drug code must start with 8");
    assert_eq!(
        NmpaProductCode::parse("6123456").unwrap_err().to_string(),
        "NMPA product code must start with 8"
    );
}

#[test]
fn must_have_the_right_number_of_digits() {
    assert_eq!(
        NmpaCode::parse("8123456789012345678")
            .unwrap_err()
            .to_string(),
        "NMPA drug code must have 20 digits, got 19"
    );
    assert_eq!(
        NmpaProductCode::parse("81234567").unwrap_err().to_string(),
        "NMPA product code must have 7 digits, got 8"
    );
    assert_eq!(
        NmpaCode::parse("8123456789012345678X")
            .unwrap_err()
            .to_string(),
        "character 'X' at position 20 is not allowed in an NMPA drug code (digits only)"
    );
}

#[test]
fn product_code_integer_form() {
    let p = NmpaProductCode::parse("8123456").unwrap();
    assert_eq!(p.to_u32(), 8_123_456);
    assert_eq!(NmpaProductCode::from_u32(8_123_456), Ok(p));
    assert!(matches!(
        NmpaProductCode::from_u32(7_999_999),
        Err(CodeError::NmpaPrefix { .. })
    ));
    assert!(matches!(
        NmpaProductCode::from_u32(80_000_000),
        Err(CodeError::WrongLength { .. })
    ));
}
