//! Untrusted bytes → an equivocation record (`Equivocation`, SCALE: what `chain_getEvidence` serves and a client
//! decodes and checks): must never panic, and checking it against the fixture chain must return a verdict.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{DecodeAll, Encode};
use yima_consensus::evidence::Equivocation;

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = Equivocation::decode_all(&mut &data[..]) {
        assert_eq!(record.encode(), data);
        let _ = record.id();
        let _ = record.verify(&yima_fuzz::genesis().header.hash());
    }
});
