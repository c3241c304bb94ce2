//! Untrusted bytes → `EventProof` (an auditor's proof, read from a bundle or the `proof_event` RPC): must never
//! panic; whatever decodes is the one canonical encoding (`from_bytes` promises it: decode → encode == input),
//! and verifying it against the fixture chain must return a verdict, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_consensus::EventProof;

fuzz_target!(|data: &[u8]| {
    if let Ok(proof) = EventProof::from_bytes(data) {
        assert_eq!(
            proof.to_bytes(),
            data,
            "a decoded proof is its canonical encoding"
        );
        let _ = proof.verify(&yima_fuzz::anchor());
    }
});
