//! The fuzz target's invariant (`fuzz/fuzz_targets/parse_epcis_document.rs`) on every sample and on mutations of
//! them, so it holds in ordinary test runs too: the parser never panics, and whatever imports exports and imports
//! back to the same events.

use std::path::Path;

use yima_epcis::{export_document, parse_document, PartyId};

fn invariant(text: &str) {
    let resolver = |_: &PartyId| Some(1);
    let namer = |_: u32| Some(PartyId::Other("urn:example:org:1".into()));
    if let Ok(imported) = parse_document(text, &resolver) {
        let events: Vec<_> = imported.into_iter().map(|i| i.event).collect();
        let document = export_document(&events, &namer, 0).to_string();
        let again = parse_document(&document, &resolver).expect("an exported document imports");
        let again: Vec<_> = again.into_iter().map(|i| i.event).collect();
        assert_eq!(again, events, "export → import must give the events back");
    }
}

fn samples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut texts = vec![];
    for dir in [root.clone(), root.join("bad")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    texts
}

#[test]
fn samples_and_their_mutations_never_panic_and_round_trip() {
    let texts = samples();
    assert!(texts.len() >= 20);
    let mut imported = 0;
    for text in &texts {
        invariant(text);
        imported += usize::from(parse_document(text, &|_: &PartyId| Some(1)).is_ok());
        // Truncations at every 7th byte, and a few single-byte edits at each line start.
        for cut in (0..text.len())
            .step_by(7)
            .filter(|c| text.is_char_boundary(*c))
        {
            invariant(&text[..cut]);
        }
        for (i, _) in text.match_indices('\n').step_by(3) {
            for replacement in ["0", "\"", "]", "x", "-1"] {
                let mut mutated = text.clone();
                if mutated.is_char_boundary(i + 1)
                    && i + 2 <= mutated.len()
                    && mutated.is_char_boundary(i + 2)
                {
                    mutated.replace_range(i + 1..i + 2, replacement);
                    invariant(&mutated);
                }
            }
        }
    }
    // All seven good samples import under a resolver that knows every party (the bad ones do not).
    assert!(imported >= 7, "{imported}");
}
