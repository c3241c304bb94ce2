//! Untrusted scanner text → `TraceCode`: must never panic, and whatever parses must parse back from its canonical
//! form to the same code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_codes::TraceCode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = TraceCode::parse(text) {
        let canonical = code.canonical();
        assert_eq!(
            TraceCode::parse(&canonical),
            Ok(code),
            "the canonical form {canonical:?} must parse back"
        );
    }
});
