//! Lot and serial numbers: GS1 character set 82, 1 to 20 characters.

use yima_codes::{CodeError, LotNumber, SerialNumber, TextField};

const SET_82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

#[test]
fn every_set_82_character_is_accepted() {
    assert_eq!(SET_82.len(), 82);
    for chunk in SET_82.as_bytes().chunks(20) {
        let s = std::str::from_utf8(chunk).unwrap();
        assert_eq!(LotNumber::parse(s).unwrap().as_str(), s);
        assert_eq!(SerialNumber::parse(s).unwrap().as_str(), s);
    }
}

#[test]
fn characters_outside_set_82_are_refused_with_their_position() {
    assert_eq!(
        LotNumber::parse("LOTé1").unwrap_err().to_string(),
        "character 'é' at position 4 is not allowed in a lot number (GS1 character set 82)"
    );
    for (i, bad) in [
        ' ', '#', '$', '@', '[', '\\', ']', '^', '`', '{', '|', '}', '~', '\u{1d}', '\0',
    ]
    .into_iter()
    .enumerate()
    {
        let s = format!("A{bad}");
        assert_eq!(
            SerialNumber::parse(&s),
            Err(CodeError::TextCharacter {
                field: TextField::Serial,
                character: bad,
                position: 2
            }),
            "case {i}"
        );
    }
}

#[test]
fn length_must_be_1_to_20() {
    assert_eq!(
        LotNumber::parse("").unwrap_err().to_string(),
        "lot number must have 1 to 20 characters, got 0"
    );
    assert_eq!(
        SerialNumber::parse("ABCDEFGHIJKLMNOPQRSTU")
            .unwrap_err()
            .to_string(),
        "serial number must have 1 to 20 characters, got 21"
    );
    assert!(SerialNumber::parse("ABCDEFGHIJKLMNOPQRST").is_ok());
    // Characters, not bytes, are counted.
    assert_eq!(
        LotNumber::parse(&"é".repeat(11)),
        Err(CodeError::TextCharacter {
            field: TextField::Lot,
            character: 'é',
            position: 1
        })
    );
}

#[test]
fn values_are_case_sensitive_and_ordered_as_text() {
    let a = SerialNumber::parse("A").unwrap();
    let ab = SerialNumber::parse("AB").unwrap();
    let b = SerialNumber::parse("B").unwrap();
    let lower = SerialNumber::parse("a").unwrap();
    assert!(a < ab && ab < b && b < lower);
    assert_ne!(a, lower);
    assert_eq!(format!("{a:?}"), "SerialNumber(\"A\")");
}

#[test]
fn from_bytes_refuses_non_utf8() {
    assert_eq!(
        LotNumber::from_bytes(b"AB\xff"),
        Err(CodeError::TextCharacter {
            field: TextField::Lot,
            character: '\u{ff}',
            position: 3
        })
    );
}
