//! Property tests over the AI table: random valid element strings, in any order and either form, read into the
//! `Gs1Key` they describe (attributes included), which writes them back; AI-shaped garbage never panics.

use proptest::prelude::*;
use yima_codes::ai::{self, DlRole};
use yima_codes::{parse_digital_link, parse_element_string, CodeError, Gs1Key};

use crate::ai_table::{valid_value, TYPED};
use crate::props::{base, check_parse, gs1_key, symbology};

const GS: char = '\u{1d}';

/// A random AI of the table without a field of its own (each table entry equally likely, so that the 318
/// measures do not crowd out the rest), with a random valid value.
fn attribute() -> impl Strategy<Value = (String, String)> {
    let entries: Vec<Vec<String>> = ai::TABLE
        .iter()
        .map(|spec| {
            spec.ais()
                .filter(|ai| !TYPED.contains(&ai.as_str()))
                .collect::<Vec<_>>()
        })
        .filter(|ais| !ais.is_empty())
        .collect();
    (
        prop::sample::select(entries),
        any::<prop::sample::Index>(),
        proptest::collection::vec(any::<u8>(), 160),
    )
        .prop_map(|(ais, index, seed)| {
            let ai = index.get(&ais).clone();
            let value = valid_value(ai::spec(&ai).unwrap(), &seed);
            (ai, value)
        })
}

/// A valid key with up to 8 attributes.
fn key_with_attributes() -> impl Strategy<Value = Gs1Key> {
    (gs1_key(), proptest::collection::vec(attribute(), 0..8)).prop_map(|(mut key, attributes)| {
        for (ai, value) in attributes {
            match key.insert(&ai, &value) {
                Ok(()) | Err(CodeError::DuplicateAi { .. }) => {}
                Err(e) => panic!("({ai}){value}: {e}"),
            }
        }
        key
    })
}

/// Every (AI, value) of a key, typed fields included, in no particular order.
fn pairs(key: &Gs1Key) -> Vec<(String, String)> {
    let mut out = key.attributes.clone();
    let mut push = |ai: &str, value: Option<String>| {
        if let Some(value) = value {
            out.push((ai.into(), value));
        }
    };
    push("01", key.gtin.map(|g| g.as_str().to_owned()));
    push("00", key.sscc.map(|s| s.as_str().to_owned()));
    push("414", key.gln.map(|g| g.as_str().to_owned()));
    push("8004", key.giai.map(|g| g.as_str().to_owned()));
    push("22", key.cpv.clone());
    push("10", key.lot.map(|l| l.as_str().to_owned()));
    push("21", key.serial.map(|s| s.as_str().to_owned()));
    push(
        "17",
        key.expiry
            .map(|(y, m, d)| format!("{:02}{m:02}{d:02}", y % 100)),
    );
    out
}

/// Whether a value could be mistaken for a bracketed AI (see the `element_string` docs).
fn bracket_safe(pairs: &[(String, String)]) -> bool {
    !pairs.iter().any(|(_, v)| {
        v.match_indices('(').any(|(i, _)| {
            let rest = &v[i + 1..];
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            (2..=4).contains(&n) && rest.as_bytes().get(n) == Some(&b')')
        })
    })
}

fn predefined(ai: &str) -> bool {
    ai::spec(ai).unwrap().predefined_len().is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The generators' output reads back into the same key.
    #[test]
    fn keys_with_attributes_round_trip(key in key_with_attributes(), base in base(), prefix in symbology()) {
        let raw = key.element_string_raw().unwrap();
        prop_assert_eq!(parse_element_string(&format!("{prefix}{raw}")), Ok(key.clone()));
        if bracket_safe(&pairs(&key)) {
            prop_assert_eq!(parse_element_string(&key.element_string().unwrap()), Ok(key.clone()));
        }
        let key_in_attributes = key
            .attributes
            .iter()
            .find(|(ai, _)| ai::spec(ai).unwrap().dl != DlRole::Attribute);
        match (key.digital_link(&base), key_in_attributes) {
            (Ok(uri), None) => prop_assert_eq!(parse_digital_link(&uri), Ok(key.clone())),
            (Err(CodeError::NotInDigitalLink { ai }), Some((first, _))) => prop_assert_eq!(&ai, first),
            (other, _) => prop_assert!(false, "{:?}", other),
        }
    }

    /// Element strings built by hand, in a random order, with a GS exactly where one is needed (and sometimes
    /// a needless one after a predefined-length value), read into the key they came from.
    #[test]
    fn shuffled_element_strings_read_into_their_key(
        key in key_with_attributes(),
        order in any::<u64>(),
        extra_gs in any::<u64>(),
        prefix in symbology(),
    ) {
        let mut elements = pairs(&key);
        // A deterministic shuffle driven by `order`.
        let mut state = order;
        for i in (1..elements.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            elements.swap(i, (state >> 33) as usize % (i + 1));
        }
        let mut raw = prefix.to_owned();
        let mut bracketed = String::new();
        for (k, (ai, value)) in elements.iter().enumerate() {
            raw.push_str(ai);
            raw.push_str(value);
            let last = k + 1 == elements.len();
            if !last && (!predefined(ai) || extra_gs >> (k % 64) & 1 == 1) {
                raw.push(GS);
            }
            bracketed.push_str(&format!("({ai}){value}"));
        }
        prop_assert_eq!(parse_element_string(&raw), Ok(key.clone()), "{:?}", raw);
        if bracket_safe(&elements) {
            prop_assert_eq!(parse_element_string(&bracketed), Ok(key.clone()), "{}", bracketed);
        }
    }

    /// Strings made of table AIs and random values, valid or not: no panic; what parses writes back.
    #[test]
    fn ai_shaped_strings_never_panic(
        parts in proptest::collection::vec(
            (attribute(), r"[0-9A-Za-z%/()\x1d é-]{0,12}", 0u8..4),
            1..6,
        ),
        bracketed in any::<bool>(),
    ) {
        let mut s = if bracketed { "(01)09521234543213".to_owned() } else { "]d20109521234543213".to_owned() };
        for ((ai, value), noise, how) in parts {
            let value = match how {
                0 => value,
                1 => noise,
                2 => format!("{value}{noise}"),
                _ => value.chars().skip(1).collect(),
            };
            if bracketed {
                s.push_str(&format!("({ai}){value}"));
            } else {
                s.push_str(&format!("{ai}{value}{GS}"));
            }
        }
        check_parse(&s)?;
        let query: String = s.replace(['(', ')', GS], "&");
        check_parse(&format!("/01/09521234543213?{query}"))?;
    }
}
