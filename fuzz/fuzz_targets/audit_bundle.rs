//! Untrusted audit bundle JSON → `AuditBundle::from_json` and `verify_complete` against a fixed chain spec (what
//! `yima verify` does with a bundle anyone may hand an auditor): must never panic, whatever the JSON, hex, SCALE
//! proofs, hop order or histories.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_client::bundle::AuditBundle;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bundle) = AuditBundle::from_json(text) {
        let _ = bundle.verify_complete(&yima_fuzz::anchor());
    }
});
