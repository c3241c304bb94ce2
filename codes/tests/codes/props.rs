//! Property tests: random valid codes of every kind round-trip through every form; random bytes and random
//! strings never panic, and whatever they yield is canonical.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use proptest::prelude::*;
use yima_codes::{
    gs1_check_digit, parse_digital_link, parse_element_string, ColdChainCode, Gln, Gs1Key, Gtin,
    LotNumber, NmpaCode, NmpaProductCode, ProductId, SerialNumber, Sscc, TraceCode,
};

const SET_82: &str = r#"[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]"#;

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

/// GS1 never issues a key of all zeros, and the types refuse it.
fn not_all_zeros(body: &str) -> bool {
    body.bytes().any(|b| b != b'0')
}

fn with_check(body: String) -> String {
    let check = gs1_check_digit(body.as_bytes());
    format!("{body}{check}")
}

/// A GTIN as it may be written: 8, 12, 13 or 14 digits.
fn gtin_text() -> impl Strategy<Value = String> {
    prop_oneof![digits(7), digits(11), digits(12), digits(13)]
        .prop_filter("not all zeros", |b| not_all_zeros(b))
        .prop_map(with_check)
}

fn gtin() -> impl Strategy<Value = Gtin> {
    gtin_text().prop_map(|s| Gtin::parse(&s).unwrap())
}

fn sscc() -> impl Strategy<Value = Sscc> {
    digits(17)
        .prop_filter("not all zeros", |b| not_all_zeros(b))
        .prop_map(|b| Sscc::parse(&with_check(b)).unwrap())
}

fn gln() -> impl Strategy<Value = Gln> {
    digits(12)
        .prop_filter("not all zeros", |b| not_all_zeros(b))
        .prop_map(|b| Gln::parse(&with_check(b)).unwrap())
}

fn text82() -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("{SET_82}{{1,20}}")).unwrap()
}

fn serial() -> impl Strategy<Value = SerialNumber> {
    text82().prop_map(|s| SerialNumber::parse(&s).unwrap())
}

fn lot() -> impl Strategy<Value = LotNumber> {
    text82().prop_map(|s| LotNumber::parse(&s).unwrap())
}

fn nmpa() -> impl Strategy<Value = NmpaCode> {
    digits(19).prop_map(|rest| NmpaCode::parse(&format!("8{rest}")).unwrap())
}

fn cold_chain() -> impl Strategy<Value = ColdChainCode> {
    (0u32..1_000_000, 0u64..10_000_000_000).prop_map(|(i, s)| ColdChainCode::new(i, s).unwrap())
}

fn expiry() -> impl Strategy<Value = (u16, u8, u8)> {
    (2000u16..=2099, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
        let last = match m {
            4 | 6 | 9 | 11 => 30,
            2 if y % 4 == 0 => 29,
            2 => 28,
            _ => 31,
        };
        (y, m, d.min(last))
    })
}

fn trace_code() -> impl Strategy<Value = TraceCode> {
    prop_oneof![
        (gtin(), serial()).prop_map(|(gtin, serial)| TraceCode::Sgtin { gtin, serial }),
        sscc().prop_map(TraceCode::Sscc),
        nmpa().prop_map(TraceCode::Nmpa),
        cold_chain().prop_map(TraceCode::ColdChain),
    ]
}

pub(crate) fn gs1_key() -> impl Strategy<Value = Gs1Key> {
    prop_oneof![
        (
            gtin(),
            proptest::option::of(text82()),
            proptest::option::of(lot()),
            proptest::option::of(serial()),
            proptest::option::of(expiry())
        )
            .prop_map(|(gtin, cpv, lot, serial, expiry)| Gs1Key {
                gtin: Some(gtin),
                cpv,
                lot,
                serial,
                expiry,
                ..Gs1Key::default()
            }),
        sscc().prop_map(|sscc| Gs1Key {
            sscc: Some(sscc),
            ..Gs1Key::default()
        }),
        gln().prop_map(|gln| Gs1Key {
            gln: Some(gln),
            ..Gs1Key::default()
        }),
    ]
}

/// A Digital Link base: any scheme case, any host, an optional non-numeric stem, an optional trailing slash.
pub(crate) fn base() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        r"(https|http|HTTPS)://[a-z0-9]{1,12}(\.[a-z]{2,5}){0,2}(:[0-9]{2,5})?(/[a-z]{1,6}){0,2}/?",
    )
    .unwrap()
}

pub(crate) fn symbology() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "]d2", "]Q3", "]C1", "]e0", "]J1", "\u{1d}"])
}

/// Whether a value written in brackets could be mistaken for a bracketed AI (see `element_string` docs).
fn bracket_safe(key: &Gs1Key) -> bool {
    let looks_like_ai = |v: &str| {
        v.match_indices('(').any(|(i, _)| {
            let rest = &v[i + 1..];
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            (2..=4).contains(&n) && rest.as_bytes().get(n) == Some(&b')')
        })
    };
    let values = [
        key.cpv.clone(),
        key.lot.map(|l| l.as_str().to_owned()),
        key.serial.map(|s| s.as_str().to_owned()),
    ];
    !values.iter().flatten().any(|v| looks_like_ai(v))
}

fn decode_is_canonical<T: Decode + Encode + std::fmt::Debug>(
    bytes: &[u8],
) -> Result<(), TestCaseError> {
    let mut input = bytes;
    if let Ok(value) = T::decode(&mut input) {
        let consumed = bytes.len() - input.len();
        prop_assert_eq!(value.encode(), &bytes[..consumed], "{:?}", value);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn canonical_string_round_trips(code in trace_code()) {
        let canonical = code.canonical();
        prop_assert_eq!(TraceCode::parse(&canonical), Ok(code));
        prop_assert_eq!(code.to_string(), canonical.clone());
        prop_assert_eq!(canonical.parse::<TraceCode>(), Ok(code));
    }

    #[test]
    fn digital_link_round_trips(code in trace_code(), base in base()) {
        match code.digital_link(&base) {
            Some(uri) => prop_assert_eq!(TraceCode::parse(&uri), Ok(code)),
            None => prop_assert!(matches!(code, TraceCode::Nmpa(_) | TraceCode::ColdChain(_))),
        }
    }

    #[test]
    fn element_string_round_trips(code in trace_code(), prefix in symbology()) {
        if let Some(key) = code.to_gs1_key() {
            let raw = key.element_string_raw().unwrap();
            prop_assert_eq!(TraceCode::parse(&format!("{prefix}{raw}")), Ok(code));
            if bracket_safe(&key) {
                prop_assert_eq!(TraceCode::parse(&code.element_string().unwrap()), Ok(code));
            }
        }
    }

    #[test]
    fn gs1_keys_round_trip_through_every_form(key in gs1_key(), base in base(), prefix in symbology()) {
        prop_assert_eq!(parse_digital_link(&key.digital_link(&base).unwrap()), Ok(key.clone()));
        let raw = key.element_string_raw().unwrap();
        prop_assert_eq!(parse_element_string(&format!("{prefix}{raw}")), Ok(key.clone()));
        if bracket_safe(&key) {
            prop_assert_eq!(parse_element_string(&key.element_string().unwrap()), Ok(key.clone()));
        }
    }

    #[test]
    fn short_gtins_in_a_digital_link_are_padded(text in gtin_text(), serial in serial()) {
        let mut uri = format!("https://id.example.com/01/{text}/21/");
        for b in serial.as_str().bytes() {
            uri.push_str(&format!("%{b:02x}"));
        }
        let code = TraceCode::parse(&uri).unwrap();
        let expected = TraceCode::Sgtin { gtin: Gtin::parse(&format!("{text:0>14}")).unwrap(), serial };
        prop_assert_eq!(code, expected);
    }

    #[test]
    fn scale_round_trips(code in trace_code()) {
        let bytes = code.encode();
        prop_assert!(bytes.len() <= TraceCode::max_encoded_len());
        prop_assert_eq!(TraceCode::decode(&mut &bytes[..]), Ok(code));
        if let Some(product) = code.product() {
            let bytes = product.encode();
            prop_assert_eq!(ProductId::decode(&mut &bytes[..]), Ok(product));
        }
    }

    #[test]
    fn serde_round_trips(code in trace_code()) {
        let json = serde_json::to_string(&code).unwrap();
        prop_assert_eq!(serde_json::from_str::<TraceCode>(&json).unwrap(), code);
    }

    #[test]
    fn random_bytes_never_panic_and_decode_canonically(
        variant in 0u8..6,
        tail in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let bytes = [vec![variant], tail].concat();
        decode_is_canonical::<TraceCode>(&bytes)?;
        decode_is_canonical::<ProductId>(&bytes)?;
        decode_is_canonical::<Gtin>(&bytes)?;
        decode_is_canonical::<Sscc>(&bytes)?;
        decode_is_canonical::<Gln>(&bytes)?;
        decode_is_canonical::<LotNumber>(&bytes)?;
        decode_is_canonical::<SerialNumber>(&bytes)?;
        decode_is_canonical::<NmpaCode>(&bytes)?;
        decode_is_canonical::<NmpaProductCode>(&bytes)?;
        decode_is_canonical::<ColdChainCode>(&bytes)?;
    }

    /// Valid payloads behind a random variant byte, so that decoding gets past the first field.
    #[test]
    fn near_valid_bytes_decode_canonically(code in trace_code(), flip in any::<(usize, u8)>()) {
        let mut bytes = code.encode();
        let i = flip.0 % bytes.len();
        bytes[i] ^= flip.1;
        decode_is_canonical::<TraceCode>(&bytes)?;
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check_parse(&s)?;
    }

    #[test]
    fn scanner_like_strings_never_panic(
        s in r"(\]d2|\]Q3|\]C1|https://x/|/|\(|CL|cl|8|0)?[0-9A-Za-z()%/?=&#:\x1d\] é.-]{0,60}",
    ) {
        check_parse(&s)?;
    }

    #[test]
    fn any_digit_change_breaks_a_gtin(text in gtin_text(), pos in any::<usize>(), delta in 1u8..10) {
        let mut bytes = text.into_bytes();
        let i = pos % bytes.len();
        bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
        prop_assert!(Gtin::parse(std::str::from_utf8(&bytes).unwrap()).is_err());
    }

    #[test]
    fn cold_chain_check_catches_substitutions(code in cold_chain(), pos in 2usize..18, delta in 1u8..10) {
        let bytes = code.as_bytes();
        let mut changed = *bytes;
        changed[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        prop_assert!(ColdChainCode::parse(std::str::from_utf8(&changed).unwrap()).is_err());
    }
}

/// Every parser on `s`: no panic; a parsed trace code is canonical.
pub(crate) fn check_parse(s: &str) -> Result<(), TestCaseError> {
    if let Ok(code) = TraceCode::parse(s) {
        prop_assert_eq!(TraceCode::parse(&code.canonical()), Ok(code));
    }
    if let Ok(key) = parse_digital_link(s) {
        prop_assert_eq!(parse_digital_link(&key.digital_link("").unwrap()), Ok(key));
    }
    if let Ok(key) = parse_element_string(s) {
        prop_assert_eq!(
            parse_element_string(&key.element_string_raw().unwrap()),
            Ok(key)
        );
    }
    let _ = ProductId::parse(s);
    let _ = Gtin::parse(s);
    let _ = Sscc::parse(s);
    let _ = Gln::parse(s);
    let _ = NmpaCode::parse(s);
    let _ = NmpaProductCode::parse(s);
    let _ = ColdChainCode::parse(s);
    let _ = LotNumber::parse(s);
    Ok(())
}
