//! Untrusted EPCIS 2.0 JSON-LD → on-chain events: the parser must never panic, and whatever imports must export
//! and import again to the same events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_epcis::{export_document, parse_document, PartyId};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let resolver = |_: &PartyId| Some(1);
    let namer = |_: u32| Some(PartyId::Other("urn:example:org:1".into()));
    if let Ok(imported) = parse_document(text, &resolver) {
        let events: Vec<_> = imported.into_iter().map(|i| i.event).collect();
        let document = export_document(&events, &namer, 0).to_string();
        let again = parse_document(&document, &resolver).expect("an exported document imports");
        let again: Vec<_> = again.into_iter().map(|i| i.event).collect();
        assert_eq!(again, events, "export → import must give the events back");
    }
});
