//! Untrusted bytes → a stored commit certificate (`decode_certificate`: what a node or an auditor reads from a
//! store, a proof or value sync): must never panic; whatever decodes re-encodes to the same bytes (the decoder
//! promises one encoding per certificate), and verifying it against the fixture chain's validators must return a
//! verdict, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_consensus::{decode_certificate, encode_certificate, verify_certificate};

fuzz_target!(|data: &[u8]| {
    if let Ok(certificate) = decode_certificate(data) {
        assert_eq!(
            encode_certificate(&certificate).as_deref(),
            Ok(data),
            "a decoded certificate is its canonical encoding"
        );
        let genesis = yima_fuzz::genesis();
        let _ = verify_certificate(
            &certificate,
            &genesis.header.hash(),
            &certificate.value_id.0,
            certificate.height.0,
            &genesis.validators,
        );
    }
});
