//! Untrusted bytes → `SignedTransaction`: must never panic, and whatever decodes must re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::Encode;
use yima_runtime::SignedTransaction;

fuzz_target!(|data: &[u8]| {
    if let Ok(tx) = SignedTransaction::decode_checked(data, 256 * 1024) {
        assert_eq!(tx.encode(), data, "decoding must be canonical");
    }
});
