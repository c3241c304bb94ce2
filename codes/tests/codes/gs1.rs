//! GS1 mod-10 keys: published examples, normalisation, and every rejection rule.

use yima_codes::{gs1_check_digit, CodeError, CodeKind, Gln, Gtin, Sscc};

/// Published examples, each checked against the algorithm (see the check_digit test).
const GTINS: [(&str, &str); 4] = [
    ("09521234543213", "09521234543213"), // GTIN-14, DOMAIN.md §2
    ("4006381333931", "04006381333931"),  // GTIN-13
    ("036000291452", "00036000291452"),   // GTIN-12 (UPC-A)
    ("96385074", "00000096385074"),       // GTIN-8
];
const SSCC: &str = "106141411234567897";
const GLN: &str = "0614141000012";

#[test]
fn check_digit_follows_domain_rule() {
    for code in GTINS.iter().map(|(c, _)| *c).chain([SSCC, GLN]) {
        let (body, check) = code.as_bytes().split_at(code.len() - 1);
        assert_eq!(gs1_check_digit(body), check[0] - b'0', "{code}");
    }
    assert_eq!(gs1_check_digit(b""), 0);
    assert_eq!(gs1_check_digit(b"000000000001"), 7);
}

#[test]
fn published_examples_parse_and_normalise_to_14_digits() {
    for (given, normalised) in GTINS {
        let gtin = Gtin::parse(given).unwrap();
        assert_eq!(gtin.as_str(), normalised);
        assert_eq!(gtin.to_string(), normalised);
        assert_eq!(Gtin::parse(normalised), Ok(gtin));
    }
    assert_eq!(Sscc::parse(SSCC).unwrap().as_str(), SSCC);
    assert_eq!(Gln::parse(GLN).unwrap().as_str(), GLN);
}

/// Every single-digit change of every example is caught by the check digit.
#[test]
fn flipping_any_digit_breaks_the_check() {
    type Parse = fn(&str) -> Result<(), CodeError>;
    let codes: Vec<(&str, Parse)> = vec![
        (GTINS[0].0, |s| Gtin::parse(s).map(drop)),
        (GTINS[1].0, |s| Gtin::parse(s).map(drop)),
        (GTINS[2].0, |s| Gtin::parse(s).map(drop)),
        (GTINS[3].0, |s| Gtin::parse(s).map(drop)),
        (SSCC, |s| Sscc::parse(s).map(drop)),
        (GLN, |s| Gln::parse(s).map(drop)),
    ];
    for (code, parse) in codes {
        for i in 0..code.len() {
            for d in b'0'..=b'9' {
                let mut bytes = code.as_bytes().to_vec();
                if bytes[i] == d {
                    continue;
                }
                bytes[i] = d;
                let flipped = String::from_utf8(bytes).unwrap();
                assert!(
                    matches!(parse(&flipped), Err(CodeError::CheckDigit { .. })),
                    "{flipped} accepted"
                );
            }
        }
    }
}

#[test]
fn wrong_check_digit_names_both_digits() {
    let err = Gtin::parse("0000000000013").unwrap_err();
    assert_eq!(
        err,
        CodeError::CheckDigit {
            kind: CodeKind::Gtin,
            found: 3,
            expected: 7
        }
    );
    assert_eq!(err.to_string(), "GTIN check digit is 3, expected 7");
    assert_eq!(
        Sscc::parse("106141411234567890").unwrap_err().to_string(),
        "SSCC check digit is 0, expected 7"
    );
    assert_eq!(
        Gln::parse("0614141000013").unwrap_err().to_string(),
        "GLN check digit is 3, expected 2"
    );
}

#[test]
fn wrong_lengths_are_refused() {
    assert_eq!(
        Sscc::parse("10614141123456789").unwrap_err().to_string(),
        "SSCC must have 18 digits, got 17"
    );
    assert_eq!(
        Gtin::parse("09521234543").unwrap_err().to_string(),
        "GTIN must have 8, 12, 13 or 14 digits, got 11"
    );
    assert_eq!(
        Gtin::parse("").unwrap_err(),
        CodeError::WrongLength {
            kind: CodeKind::Gtin,
            expected: "8, 12, 13 or 14",
            got: 0
        }
    );
    assert_eq!(
        Gln::parse("06141410000122").unwrap_err().to_string(),
        "GLN must have 13 digits, got 14"
    );
}

#[test]
fn non_digits_are_refused_with_their_position() {
    assert_eq!(
        Gtin::parse("0952A234543213").unwrap_err().to_string(),
        "character 'A' at position 5 is not allowed in a GTIN (digits only)"
    );
    assert_eq!(
        Sscc::parse("１06141411234567897").unwrap_err(),
        CodeError::NotADigit {
            kind: CodeKind::Sscc,
            character: '１',
            position: 1
        }
    );
    assert!(matches!(
        Gln::parse(" 614141000012"),
        Err(CodeError::NotADigit { .. })
    ));
}

#[test]
fn integer_forms_round_trip_and_refuse_too_many_digits() {
    let gtin = Gtin::parse("09521234543213").unwrap();
    assert_eq!(gtin.to_u64(), 9_521_234_543_213);
    assert_eq!(Gtin::from_u64(9_521_234_543_213), Ok(gtin));
    assert_eq!(
        Gtin::from_u64(100_000_000_000_000),
        Err(CodeError::WrongLength {
            kind: CodeKind::Gtin,
            expected: "14",
            got: 15
        })
    );
    assert!(matches!(
        Gtin::from_u64(9_521_234_543_210),
        Err(CodeError::CheckDigit { .. })
    ));
    assert_eq!(Gtin::from_digits(*b"09521234543213"), Ok(gtin));
    assert_eq!(format!("{gtin:?}"), "Gtin(09521234543213)");
    assert_eq!("09521234543213".parse::<Gtin>(), Ok(gtin));
}

#[test]
fn ordering_is_numeric() {
    let a = Gtin::parse("96385074").unwrap();
    let b = Gtin::parse("036000291452").unwrap();
    assert!(a < b);
}

/// An all-zero key has a valid check digit (0) but GS1 never issues it: every way in refuses it.
#[test]
fn all_zero_keys_are_refused() {
    for zeros in [
        "00000000",
        "000000000000",
        "0000000000000",
        "00000000000000",
    ] {
        assert_eq!(
            Gtin::parse(zeros),
            Err(CodeError::AllZeros {
                kind: CodeKind::Gtin
            }),
            "{zeros}"
        );
    }
    assert_eq!(
        Gtin::parse("00000000000000").unwrap_err().to_string(),
        "a GTIN of all zeros is not issued by GS1"
    );
    assert_eq!(
        Gtin::from_u64(0),
        Err(CodeError::AllZeros {
            kind: CodeKind::Gtin
        })
    );
    assert_eq!(
        Sscc::from_digits([b'0'; 18]).unwrap_err().to_string(),
        "an SSCC of all zeros is not issued by GS1"
    );
    assert_eq!(
        Gln::parse("0000000000000").unwrap_err().to_string(),
        "a GLN of all zeros is not issued by GS1"
    );
    use parity_scale_codec::{Decode, Encode};
    assert!(Gtin::decode(&mut &0u64.encode()[..]).is_err());
    assert!(Sscc::decode(&mut &0u64.encode()[..]).is_err());
    assert!(Gln::decode(&mut &0u64.encode()[..]).is_err());
    assert!(serde_json::from_str::<Gtin>("\"00000000000000\"").is_err());
    // The smallest keys GS1 could issue are fine.
    assert!(Gtin::parse("00000000000017").is_ok());
}
