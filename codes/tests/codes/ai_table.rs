//! The AI table: every AI's length and character rules, the content lints, and the messages that name them.

use yima_codes::ai::{self, Charset, Format, Lint};
use yima_codes::{gs1_check_digit, AiSpec, CodeError, CodeKind, Gs1Key, Gtin};

pub(crate) const SET_82: &[u8] =
    b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// The AIs with a field of their own in `Gs1Key`: their values keep their typed errors.
pub(crate) const TYPED: [&str; 8] = ["00", "01", "10", "17", "21", "22", "414", "8004"];

/// A valid value for `spec`, chosen by `seed` (any length; missing bytes have a fixed fallback).
pub(crate) fn valid_value(spec: &AiSpec, seed: &[u8]) -> String {
    let byte = |i: usize| {
        seed.get(i)
            .copied()
            .unwrap_or_else(|| (i as u8).wrapping_mul(7).wrapping_add(3))
    };
    let (head, tail, tail_len) = match spec.format {
        Format::Digits(n) => (usize::from(n), Charset::Digits, 0),
        Format::DigitsUpTo(n) => (1 + usize::from(byte(0) % n), Charset::Digits, 0),
        Format::TextUpTo(n) => (0, Charset::Cset82, 1 + usize::from(byte(0) % n)),
        Format::DigitsThen {
            digits,
            tail,
            min,
            max,
            optional,
        } => {
            let len = if optional && byte(0) % 2 == 0 {
                0
            } else {
                min + byte(1) % (max - min + 1)
            };
            (usize::from(digits), tail, usize::from(len))
        }
    };
    let mut v: Vec<u8> = (0..head + tail_len)
        .map(|i| match (i < head, tail) {
            (true, _) | (false, Charset::Digits) => b'0' + byte(2 + i) % 10,
            (false, Charset::Cset82) => SET_82[usize::from(byte(2 + i)) % 82],
        })
        .collect();
    for (k, lint) in spec.lints.iter().enumerate() {
        let b = |j: usize| byte(100 + 10 * k + j);
        let mut put = |at: usize, n: u8| {
            if v.len() >= at + 2 {
                v[at] = b'0' + n / 10;
                v[at + 1] = b'0' + n % 10;
            }
        };
        match *lint {
            Lint::CheckDigit { at, len, .. } => {
                let (at, end) = (usize::from(at), usize::from(at + len) - 1);
                if v[at..end].iter().all(|&d| d == b'0') {
                    v[at] = b'1';
                }
                v[end] = b'0' + gs1_check_digit(&v[at..end]);
            }
            Lint::Date { at, day00 } => {
                let at = usize::from(at);
                put(at, b(0) % 100);
                put(at + 2, 1 + b(1) % 12);
                put(
                    at + 4,
                    if day00 && b(2) % 4 == 0 {
                        0
                    } else {
                        1 + b(3) % 28
                    },
                );
            }
            Lint::Time { at } => {
                put(usize::from(at), b(0) % 24);
                put(usize::from(at) + 2, b(1) % 60);
            }
            Lint::LeadingZero => v[0] = b'0',
            Lint::PieceOfTotal { at } => {
                let total = 1 + b(0) % 99;
                put(usize::from(at), 1 + b(1) % total);
                put(usize::from(at) + 2, total);
            }
        }
    }
    String::from_utf8(v).unwrap()
}

fn gtin_key() -> Gs1Key {
    Gs1Key {
        gtin: Some(Gtin::parse("09521234543213").unwrap()),
        ..Gs1Key::default()
    }
}

fn insert(ai: &str, value: &str) -> Result<Gs1Key, CodeError> {
    let mut key = gtin_key();
    key.insert(ai, value)?;
    key.validate()?;
    Ok(key)
}

fn longest(format: Format) -> usize {
    match format {
        Format::Digits(n) | Format::DigitsUpTo(n) | Format::TextUpTo(n) => usize::from(n),
        Format::DigitsThen { digits, max, .. } => usize::from(digits + max),
    }
}

#[test]
fn the_brief_lists_every_ai_in_the_table() {
    let mut required: Vec<String> = [
        "00", "01", "02", "10", "11", "12", "13", "15", "16", "17", "20", "21", "22", "235", "240",
        "241", "250", "251", "253", "254", "30", "37", "400", "401", "402", "403", "420", "421",
        "422", "7003", "7007", "8003", "8004", "8006", "8017", "8018", "8020", "90",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    required.extend((410..=417).map(|n| n.to_string()));
    required.extend((91..=99).map(|n| n.to_string()));
    required.extend(["3100", "3105", "3375", "3695", "3303", "3103"].map(String::from));
    for ai in &required {
        assert!(ai::spec(ai).is_some(), "{ai}");
    }
    for missing in [
        "3106", "3170", "3380", "3580", "3700", "4330", "7040", "89", "03", "1", "01a",
    ] {
        assert!(ai::spec(missing).is_none(), "{missing}");
    }
}

#[test]
fn lengths_follow_the_general_specifications() {
    let format = |ai: &str| ai::spec(ai).unwrap().format;
    assert_eq!(format("11"), Format::Digits(6));
    assert_eq!(format("20"), Format::Digits(2));
    assert_eq!(format("3103"), Format::Digits(6));
    assert_eq!(format("30"), Format::DigitsUpTo(8));
    assert_eq!(format("37"), Format::DigitsUpTo(8));
    assert_eq!(format("240"), Format::TextUpTo(30));
    assert_eq!(format("235"), Format::TextUpTo(28));
    assert_eq!(format("8020"), Format::TextUpTo(25));
    assert_eq!(format("90"), Format::TextUpTo(30));
    assert_eq!(format("95"), Format::TextUpTo(90));
    assert_eq!(format("402"), Format::Digits(17));
    assert_eq!(format("7003"), Format::Digits(10));
    assert_eq!(format("8006"), Format::Digits(18));
    assert_eq!(format("8017"), Format::Digits(18));
    assert_eq!(
        format("253").to_string(),
        "13 digits then optionally up to 17 characters of GS1 character set 82"
    );
    assert_eq!(
        format("421").to_string(),
        "3 digits then 1 to 9 characters of GS1 character set 82"
    );
    assert_eq!(
        format("7007").to_string(),
        "6 digits then optionally 6 digits"
    );
    assert_eq!(
        format("8003").to_string(),
        "14 digits then optionally up to 16 characters of GS1 character set 82"
    );
    let predefined = |ai: &str| ai::spec(ai).unwrap().predefined_len();
    assert_eq!(predefined("02"), Some(14));
    assert_eq!(predefined("15"), Some(6));
    assert_eq!(predefined("3375"), Some(6));
    assert_eq!(predefined("416"), Some(13));
    assert_eq!(
        predefined("8006"),
        None,
        "fixed length, but not predefined: needs a GS"
    );
    assert_eq!(predefined("422"), None);
    assert_eq!(predefined("7003"), None);
}

/// Every AI of the table: a valid value is kept; empty, one character too long, and a character outside its set
/// are each refused with the error that names the AI and the rule.
#[test]
fn every_ai_refuses_wrong_lengths_and_characters() {
    let mut checked = 0;
    for (ai, spec) in ai::all() {
        if TYPED.contains(&ai.as_str()) {
            continue;
        }
        let good = valid_value(spec, &[]);
        let key = insert(&ai, &good).unwrap_or_else(|e| panic!("({ai}){good}: {e}"));
        assert_eq!(key.attribute(&ai), Some(good.as_str()));
        assert_eq!(
            insert(&ai, ""),
            Err(CodeError::MissingValue { ai: ai.clone() })
        );

        let too_long = format!(
            "{good}{}",
            "1".repeat(longest(spec.format) + 1 - good.len())
        );
        let got = too_long.len();
        let expected = match spec.format {
            Format::Digits(n) => CodeError::AiValueLength {
                ai: ai.clone(),
                expected: usize::from(n),
                got,
            },
            format => CodeError::AiValueFormat {
                ai: ai.clone(),
                format,
                got,
            },
        };
        assert_eq!(insert(&ai, &too_long), Err(expected), "({ai})");

        let last = good.len() - 1;
        let (bad, charset) = match spec.format.charset_at(last) {
            Charset::Digits => ('A', Charset::Digits),
            Charset::Cset82 => ('#', Charset::Cset82),
        };
        let wrong = format!("{}{bad}", &good[..last]);
        assert_eq!(
            insert(&ai, &wrong),
            Err(CodeError::AiValueCharacter {
                ai: ai.clone(),
                character: bad,
                position: last + 1,
                charset
            }),
            "({ai})"
        );
        checked += 1;
    }
    assert!(checked > 350, "{checked}");
}

#[test]
fn messages_name_the_ai_and_the_rule() {
    let err = |ai: &str, value: &str| insert(ai, value).unwrap_err().to_string();
    assert_eq!(err("11", "26010"), "AI (11) must have 6 digits, got 5");
    assert_eq!(
        err("3103", "0005000"),
        "AI (3103) must have 6 digits, got 7"
    );
    assert_eq!(
        err("30", "123456789"),
        "AI (30) must have 1 to 8 digits, got 9 characters"
    );
    assert_eq!(
        err("240", &"A".repeat(31)),
        "AI (240) must have 1 to 30 characters of GS1 character set 82, got 31 characters"
    );
    assert_eq!(
        err("30", "12A"),
        "character 'A' at position 3 is not allowed in AI (30) (digits only)"
    );
    assert_eq!(
        err("91", "A B"),
        "character ' ' at position 2 is not allowed in AI (91) (GS1 character set 82)"
    );
    assert_eq!(
        err("421", "2A6BERLIN"),
        "character 'A' at position 2 is not allowed in AI (421) (digits only)"
    );
    assert_eq!(
        err("421", "276"),
        "AI (421) must have 3 digits then 1 to 9 characters of GS1 character set 82, got 3 characters"
    );
}

#[test]
fn dates_are_checked() {
    for ai in ["11", "12", "13", "15", "16"] {
        assert!(insert(ai, "260101").is_ok(), "{ai}");
        assert!(
            insert(ai, "261200").is_ok(),
            "day 00 means the end of the month, in ({ai})"
        );
        assert!(insert(ai, "280229").is_ok(), "leap year, in ({ai})");
        assert_eq!(
            insert(ai, "261301"),
            Err(CodeError::AiValueContent {
                ai: ai.into(),
                value: "261301".into(),
                rule: "YYMMDD month must be 01 to 12"
            })
        );
        assert_eq!(
            insert(ai, "270229").unwrap_err().to_string(),
            format!("AI ({ai}) value 270229 is not valid: YYMMDD day does not exist in that month")
        );
        assert!(insert(ai, "260431").is_err(), "({ai})");
        assert!(insert(ai, "260001").is_err(), "({ai})");
        assert!(matches!(
            insert(ai, "2601O1"),
            Err(CodeError::AiValueCharacter { character: 'O', .. })
        ));
    }
    assert_eq!(
        insert("7006", "260100").unwrap_err().to_string(),
        "AI (7006) value 260100 is not valid: YYMMDD day 00 is only allowed in AIs 11 to 17"
    );
    // 7003: YYMMDDhhmm.
    assert!(insert("7003", "2612312359").is_ok());
    assert_eq!(
        insert("7003", "2612312400").unwrap_err().to_string(),
        "AI (7003) value 2612312400 is not valid: hhmm hour must be 00 to 23"
    );
    assert_eq!(
        insert("7003", "2612311260").unwrap_err().to_string(),
        "AI (7003) value 2612311260 is not valid: hhmm minutes must be 00 to 59"
    );
    assert!(insert("7003", "2602301200").is_err());
    // 7007: a date, or a range of two.
    assert!(insert("7007", "260101").is_ok());
    assert!(insert("7007", "260101260131").is_ok());
    assert!(insert("7007", "260101261331").is_err());
    assert!(matches!(
        insert("7007", "2601012601"),
        Err(CodeError::AiValueFormat { .. })
    ));
}

fn with_check(body: &str) -> String {
    format!("{body}{}", gs1_check_digit(body.as_bytes()))
}

#[test]
fn embedded_keys_have_their_check_digit() {
    assert!(insert("410", "0614141000012").is_ok());
    assert_eq!(
        insert("410", "0614141000013").unwrap_err().to_string(),
        "AI (410) check digit is 3, expected 2"
    );
    assert!(insert("02", "09521234543213").is_ok());
    assert_eq!(
        insert("02", "09521234543210"),
        Err(CodeError::AiCheckDigit {
            ai: "02".into(),
            found: 0,
            expected: 3
        })
    );
    assert!(insert("402", &with_check("0614141000000001")).is_ok());
    assert!(insert("8017", &with_check("06141410000000001")).is_ok());
    let gsrn = with_check("06141410000000001");
    let wrong = format!("{}{}", &gsrn[..17], (gsrn.as_bytes()[17] - b'0' + 1) % 10);
    assert!(matches!(
        insert("8018", &wrong),
        Err(CodeError::AiCheckDigit { .. })
    ));
    // 253 and 255: a 13-digit key, then an optional serial.
    assert!(insert("253", "0614141000012").is_ok());
    assert!(insert("253", "0614141000012ABC-1").is_ok());
    assert!(insert("253", "0614141000019ABC").is_err());
    assert!(insert("255", "0614141000012123").is_ok());
    // 8003: a 0, a 13-digit GRAI, an optional serial.
    assert!(insert("8003", "00614141000012SER1").is_ok());
    assert_eq!(
        insert("8003", "10614141000012").unwrap_err().to_string(),
        "AI (8003) value 10614141000012 is not valid: the first digit must be 0"
    );
    assert!(matches!(
        insert("8003", "00614141000013"),
        Err(CodeError::AiCheckDigit { .. })
    ));
}

#[test]
fn all_zero_keys_are_refused_wherever_they_appear() {
    let message = |kind: CodeKind| CodeError::AllZeros { kind }.to_string();
    assert_eq!(
        message(CodeKind::Gtin),
        "a GTIN of all zeros is not issued by GS1"
    );
    assert_eq!(
        insert("02", "00000000000000"),
        Err(CodeError::AllZeros {
            kind: CodeKind::Gtin
        })
    );
    assert_eq!(
        insert("416", "0000000000000"),
        Err(CodeError::AllZeros {
            kind: CodeKind::Gln
        })
    );
    assert_eq!(
        insert("8006", "000000000000000102"),
        Err(CodeError::AllZeros {
            kind: CodeKind::Gtin
        })
    );
}

#[test]
fn itip_piece_of_total() {
    assert!(insert("8006", "095212345432130102").is_ok());
    assert!(insert("8006", "095212345432130202").is_ok());
    assert_eq!(
        insert("8006", "095212345432130302").unwrap_err().to_string(),
        "AI (8006) value 095212345432130302 is not valid: the piece number must be 01 up to the total number of pieces"
    );
    assert!(insert("8006", "095212345432130100").is_err());
    assert!(insert("8006", "095212345432130002").is_err());
}

#[test]
fn insert_routes_typed_ais_and_refuses_unknown_ones() {
    let mut key = Gs1Key::default();
    key.insert("01", "09521234543213").unwrap();
    key.insert("17", "261231").unwrap();
    key.insert("21", "SER1").unwrap();
    key.insert("15", "261130").unwrap();
    key.insert("11", "260101").unwrap();
    assert_eq!(key.expiry, Some((2026, 12, 31)));
    assert_eq!(key.serial.unwrap().as_str(), "SER1");
    assert_eq!(
        key.attributes,
        vec![
            ("11".into(), "260101".into()),
            ("15".into(), "261130".into())
        ]
    );
    assert_eq!(
        key.insert("15", "261130"),
        Err(CodeError::DuplicateAi { ai: "15".into() })
    );
    assert_eq!(
        key.insert("01", "09521234543213"),
        Err(CodeError::DuplicateAi { ai: "01".into() })
    );
    assert_eq!(
        key.insert("4330", "001250").unwrap_err().to_string(),
        "unknown GS1 application identifier (4330) in Gs1Key attributes"
    );
    assert_eq!(key.validate(), Ok(()));
}

#[test]
fn hand_built_attributes_are_validated() {
    let with = |attributes: &[(&str, &str)]| Gs1Key {
        attributes: attributes
            .iter()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect(),
        ..gtin_key()
    };
    assert_eq!(
        with(&[("11", "260101"), ("3103", "000500")]).validate(),
        Ok(())
    );
    assert_eq!(
        with(&[("3103", "000500"), ("11", "260101")])
            .validate()
            .unwrap_err()
            .to_string(),
        "attribute AI (11) must come before (3103): Gs1Key attributes are kept in AI order"
    );
    assert_eq!(
        with(&[("11", "260101"), ("11", "260102")]).validate(),
        Err(CodeError::DuplicateAi { ai: "11".into() })
    );
    assert_eq!(
        with(&[("17", "261231")])
            .validate()
            .unwrap_err()
            .to_string(),
        "AI (17) has its own field in Gs1Key: it cannot be one of the attributes"
    );
    assert!(matches!(
        with(&[("4330", "1")]).validate(),
        Err(CodeError::UnknownAi { .. })
    ));
    assert!(matches!(
        with(&[("11", "261301")]).validate(),
        Err(CodeError::AiValueContent { .. })
    ));
    assert_eq!(
        with(&[("11", "260101")]).element_string(),
        Ok("(01)09521234543213(11)260101".into())
    );
    assert!(with(&[("11", "261301")]).element_string_raw().is_err());
    assert!(with(&[("11", "261301")]).digital_link("").is_err());
}
