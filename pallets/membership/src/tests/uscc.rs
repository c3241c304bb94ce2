//! USCC parsing (GB 32100-2015): valid codes, every error kind, encodings, and properties of the check character.

use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;

use crate::uscc::{ALPHABET, LEN};
use crate::{Uscc, UsccError};

/// Completes a 17-character body with its check character.
fn complete(body: &str) -> String {
    let bytes: [u8; 17] = body.as_bytes().try_into().expect("17 characters");
    let check = Uscc::check_character(&bytes).expect("body in the alphabet");
    format!("{body}{check}")
}

#[test]
fn the_published_example_is_valid() {
    let u = Uscc::parse("91350100M000100Y43").unwrap();
    assert_eq!(u.to_string(), "91350100M000100Y43");
    assert_eq!(u.as_bytes(), b"91350100M000100Y43");
    assert_eq!(format!("{u:?}"), "Uscc(91350100M000100Y43)");
    assert_eq!("91350100M000100Y43".parse::<Uscc>(), Ok(u));
}

#[test]
fn computed_codes_are_valid_including_check_values_zero_and_letters() {
    // Worked by hand from the weights; they cover a check value of 0 and letter check characters.
    for code in [
        "113300000024820769",
        "91330100MA2AXXXX07",
        "91330000MA27U00L1E",
        "121000004000000010",
        "91310000MA1FL0000N",
        "91330106MA2B00000U",
        "91330200MA2C00000W",
        "91330100000000001C",
    ] {
        assert_eq!(
            Uscc::parse(code).map(|u| u.to_string()),
            Ok(code.to_string())
        );
        assert_eq!(complete(&code[..17]), code);
    }
}

#[test]
fn lower_case_is_accepted_and_upper_cased() {
    let u = Uscc::parse("91330100ma2axxxx07").unwrap();
    assert_eq!(u.as_str(), "91330100MA2AXXXX07");
    assert_eq!(u, Uscc::parse("91330100MA2AXXXX07").unwrap());
}

#[test]
fn wrong_length_is_refused_with_the_count() {
    let e = Uscc::parse("91350100M000100Y4").unwrap_err();
    assert_eq!(e, UsccError::WrongLength { got: 17 });
    assert_eq!(e.to_string(), "a USCC has 18 characters, got 17");
    assert_eq!(
        Uscc::parse("91350100M000100Y433"),
        Err(UsccError::WrongLength { got: 19 })
    );
    assert_eq!(Uscc::parse(""), Err(UsccError::WrongLength { got: 0 }));
    // Whitespace is not trimmed.
    assert_eq!(
        Uscc::parse(" 91350100M000100Y43"),
        Err(UsccError::WrongLength { got: 19 })
    );
    // Characters, not bytes: 18 CJK characters are 54 bytes but 18 characters, so they fail on the alphabet.
    assert!(matches!(
        Uscc::parse(&"统".repeat(18)),
        Err(UsccError::InvalidCharacter {
            character: '统',
            position: 1
        })
    ));
}

#[test]
fn each_excluded_letter_is_refused_with_its_position() {
    for (letter, lower) in [('I', 'i'), ('O', 'o'), ('S', 's'), ('V', 'v'), ('Z', 'z')] {
        let code: String = "91350100M000100Y43"
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 4 { letter } else { c })
            .collect();
        let e = Uscc::parse(&code).unwrap_err();
        assert_eq!(
            e,
            UsccError::InvalidCharacter {
                character: letter,
                position: 5
            }
        );
        let lower_code = code.replace(letter, &lower.to_string());
        assert_eq!(
            Uscc::parse(&lower_code),
            Err(UsccError::InvalidCharacter {
                character: lower,
                position: 5
            })
        );
    }
    assert_eq!(
        Uscc::parse("9135010IM000100Y43").unwrap_err().to_string(),
        "character 'I' at position 8 is not in the USCC alphabet (0-9 and A-Z without I, O, S, V, Z)"
    );
    assert_eq!(
        Uscc::parse("91350100M000100Y4-"),
        Err(UsccError::InvalidCharacter {
            character: '-',
            position: 18
        })
    );
}

#[test]
fn a_wrong_check_character_is_refused_with_the_expected_one() {
    let e = Uscc::parse("91350100M000100Y44").unwrap_err();
    assert_eq!(
        e,
        UsccError::CheckMismatch {
            found: '4',
            expected: '3'
        }
    );
    assert_eq!(e.to_string(), "USCC check character is '4', expected '3'");
    assert_eq!(
        Uscc::parse("91330100ma2axxxx0a"),
        Err(UsccError::CheckMismatch {
            found: 'A',
            expected: '7'
        })
    );
}

#[test]
fn json_is_the_string_and_invalid_strings_are_refused() {
    let u = Uscc::parse("91350100M000100Y43").unwrap();
    let json = serde_json::to_string(&u).unwrap();
    assert_eq!(json, r#""91350100M000100Y43""#);
    assert_eq!(serde_json::from_str::<Uscc>(&json).unwrap(), u);
    assert_eq!(
        serde_json::from_str::<Uscc>(r#""91350100m000100y43""#).unwrap(),
        u
    );
    let err = serde_json::from_str::<Uscc>(r#""91350100M000100Y44""#).unwrap_err();
    assert!(err.to_string().contains("expected '3'"), "{err}");
}

#[test]
fn scale_is_the_18_bytes_and_decoding_refuses_non_canonical_bytes() {
    let u = Uscc::parse("91350100M000100Y43").unwrap();
    assert_eq!(u.encode(), b"91350100M000100Y43".to_vec());
    assert_eq!(Uscc::decode(&mut &u.encode()[..]), Ok(u));
    // Lower case would give one organisation two storage keys: refused.
    assert!(Uscc::decode(&mut &b"91350100m000100y43"[..]).is_err());
    assert!(Uscc::decode(&mut &b"91350100M000100Y44"[..]).is_err());
    assert!(Uscc::decode(&mut &b"91350100M000100Y4"[..]).is_err());
}

fn body() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(ALPHABET.to_vec()), 17)
        .prop_map(|b| String::from_utf8(b).unwrap())
}

proptest! {
    #[test]
    fn any_body_with_its_check_character_parses(body in body()) {
        let code = complete(&body);
        prop_assert_eq!(Uscc::parse(&code).map(|u| u.to_string()), Ok(code.clone()));
        prop_assert_eq!(Uscc::parse(&code.to_lowercase()).map(|u| u.to_string()), Ok(code));
    }

    #[test]
    fn changing_any_one_character_breaks_the_code(
        body in body(),
        position in 0..LEN,
        replacement in proptest::sample::select(ALPHABET.to_vec()),
    ) {
        let code = complete(&body);
        let mut bytes = code.clone().into_bytes();
        prop_assume!(bytes[position] != replacement);
        bytes[position] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(
            matches!(Uscc::parse(&changed), Err(UsccError::CheckMismatch { .. })),
            "{} → {} still parses", code, changed
        );
    }

    #[test]
    fn a_character_outside_the_alphabet_is_named(
        body in body(),
        position in 0..LEN,
        bad in proptest::sample::select(b"IOSVZ-_ ./".to_vec()),
    ) {
        let mut bytes = complete(&body).into_bytes();
        bytes[position] = bad;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(
            Uscc::parse(&changed),
            Err(UsccError::InvalidCharacter { character: char::from(bad), position: position + 1 })
        );
    }
}
