//! Untrusted JSON-RPC parameters → the node's parsers of codes and lots (`trace_history`, `trace_chain`,
//! `trace_recall`: `yima_node::rpc::trace::{parse_code, parse_recall_target}`): must never panic; a code parsed
//! must parse back from its canonical form to the same code, and a code is also a recall target naming itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_codes::TraceCode;
use yima_node::rpc::trace::{parse_code, parse_recall_target};
use yima_runtime::query::RecallTarget;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = parse_code(text) {
        let canonical = code.to_string();
        assert_eq!(
            TraceCode::parse(&canonical).as_ref(),
            Ok(&code),
            "{canonical:?}"
        );
        if let Ok(RecallTarget::Code(again)) = parse_recall_target(&canonical) {
            assert_eq!(again, code, "the recall target of {canonical:?}");
        }
    }
    let _ = parse_recall_target(text);
});
