//! Untrusted JSON-RPC parameters → the parsers behind `trace_history`, `trace_chain` and `trace_recall`
//! (`TraceCode::parse` for codes, `RecallTarget::parse` for lots and codes; `yima-node` only bounds the length
//! first): must never panic; a code is a recall target naming itself, and a lot read back from its
//! `{product}/{lot}` form is the same lot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_codes::TraceCode;
use yima_runtime::query::RecallTarget;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = TraceCode::parse(text) {
        let canonical = code.canonical();
        assert_eq!(
            RecallTarget::parse(&canonical),
            Ok(RecallTarget::Code(code)),
            "the canonical form {canonical:?} as a recall target"
        );
    }
    if let Ok(RecallTarget::Lot(lot)) = RecallTarget::parse(text) {
        let written = format!("{}/{}", lot.product.as_str(), lot.lot.as_str());
        assert_eq!(
            RecallTarget::parse(&written),
            Ok(RecallTarget::Lot(lot)),
            "the lot of {text:?} written as {written:?}"
        );
    }
});
