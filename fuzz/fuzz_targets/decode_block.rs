//! Untrusted bytes → `Block`: must never panic, and whatever decodes must re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::Encode;

fuzz_target!(|data: &[u8]| {
    if let Ok(block) = yima_runtime::transaction::decode_block(data) {
        assert_eq!(block.encode(), data, "decoding must be canonical");
    }
});
