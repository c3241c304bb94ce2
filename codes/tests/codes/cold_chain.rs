//! Our cold-chain code: the hand-derived vectors of the module docs, and every rejection rule.

use yima_codes::{CodeError, CodeKind, ColdChainCode};

/// (issuer, serial, code) — the table in `cold_chain`'s docs.
const VECTORS: [(u32, u64, &str); 5] = [
    (330_100, 1, "CL3301000000000001K"),
    (0, 0, "CL00000000000000009"),
    (1, 1, "CL0000010000000001V"),
    (123_456, 1_234_567_890, "CL1234561234567890C"),
    (999_999, 9_999_999_999, "CL9999999999999999C"),
];

#[test]
fn vectors_build_and_parse() {
    for (issuer, serial, text) in VECTORS {
        let code = ColdChainCode::new(issuer, serial).unwrap();
        assert_eq!(code.as_str(), text);
        assert_eq!(code.issuer(), issuer);
        assert_eq!(code.serial(), serial);
        assert_eq!(code.check_character(), text.chars().last().unwrap());
        assert_eq!(ColdChainCode::parse(text), Ok(code));
        assert_eq!(ColdChainCode::parse(&text.to_lowercase()), Ok(code));
    }
}

#[test]
fn wrong_check_character_names_both() {
    let err = ColdChainCode::parse("CL3301000000000299K").unwrap_err();
    assert_eq!(
        err,
        CodeError::ColdChainCheck {
            found: 'K',
            expected: 'Q'
        }
    );
    assert_eq!(
        err.to_string(),
        "cold-chain code check character is 'K', expected 'Q'"
    );
    assert_eq!(
        ColdChainCode::parse("CL3301000000000299Q")
            .unwrap()
            .serial(),
        299
    );
}

#[test]
fn every_single_substitution_is_caught() {
    for (_, _, text) in VECTORS {
        let bytes = text.as_bytes();
        for i in 2..19 {
            for c in (b'0'..=b'9').chain(b'A'..=b'Z') {
                if c == bytes[i] || (i < 18 && !c.is_ascii_digit()) {
                    continue;
                }
                let mut changed = bytes.to_vec();
                changed[i] = c;
                let changed = String::from_utf8(changed).unwrap();
                assert!(
                    ColdChainCode::parse(&changed).is_err(),
                    "{changed} accepted"
                );
            }
        }
    }
}

/// The documented limit: a hybrid MOD 37,36 check misses a few adjacent transpositions, such as this one.
#[test]
fn most_adjacent_transpositions_are_caught_but_not_all() {
    assert_eq!(
        ColdChainCode::parse("CL3310000000000001K"),
        Ok(ColdChainCode::new(331_000, 1).unwrap())
    );
    let (mut swaps, mut caught) = (0, 0);
    for issuer in (0..1_000_000).step_by(9_973) {
        for serial in [0, 1, 42, 299, 1_234_567_890, 9_999_999_999] {
            let code = ColdChainCode::new(issuer, serial).unwrap();
            let bytes = code.as_bytes();
            for i in 2..17 {
                if bytes[i] != bytes[i + 1] {
                    let mut swapped = *bytes;
                    swapped.swap(i, i + 1);
                    swaps += 1;
                    caught += usize::from(
                        ColdChainCode::parse(std::str::from_utf8(&swapped).unwrap()).is_err(),
                    );
                }
            }
        }
    }
    assert!(
        caught * 100 >= swaps * 98,
        "{caught} of {swaps} transpositions caught"
    );
}

#[test]
fn issuer_and_serial_ranges() {
    assert_eq!(
        ColdChainCode::new(1_000_000, 0).unwrap_err().to_string(),
        "cold-chain issuer number must be below 1000000, got 1000000"
    );
    assert_eq!(
        ColdChainCode::new(0, 10_000_000_000)
            .unwrap_err()
            .to_string(),
        "cold-chain serial must be below 10000000000, got 10000000000"
    );
}

#[test]
fn malformed_codes_are_refused_by_rule() {
    assert_eq!(
        ColdChainCode::parse("CL330100").unwrap_err().to_string(),
        "cold-chain code must have 19 characters, got 8"
    );
    assert_eq!(
        ColdChainCode::parse("CX3301000000000001K").unwrap_err(),
        CodeError::ColdChainPrefix { found: "CX".into() }
    );
    assert_eq!(
        ColdChainCode::parse("CX3301000000000001K")
            .unwrap_err()
            .to_string(),
        "cold-chain code must start with CL"
    );
    assert_eq!(
        ColdChainCode::parse("CL33010000000000001K").unwrap_err(),
        CodeError::ColdChainLength { got: 20 }
    );
    assert_eq!(
        ColdChainCode::parse("CL330100A000000001K").unwrap_err(),
        CodeError::NotADigit {
            kind: CodeKind::ColdChain,
            character: 'A',
            position: 9
        }
    );
    assert_eq!(
        ColdChainCode::parse("CL330100A000000001K")
            .unwrap_err()
            .to_string(),
        "character 'A' at position 9 is not allowed in a cold-chain code (digits only)"
    );
    assert_eq!(
        ColdChainCode::parse("CL3301000000000001#")
            .unwrap_err()
            .to_string(),
        "cold-chain code check character '#' is not one of 0-9A-Z"
    );
    assert_eq!(
        ColdChainCode::parse("CL330100000000000éK").unwrap_err(),
        CodeError::NotADigit {
            kind: CodeKind::ColdChain,
            character: 'é',
            position: 18
        }
    );
}
