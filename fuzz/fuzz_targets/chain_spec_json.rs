//! Untrusted chain spec JSON → `ChainSpec::from_json_bytes` and its genesis (what `yima-node --chain FILE` and
//! `yima verify --chain FILE` read): must never panic; a spec that parses serialises and parses back to itself,
//! and building its genesis in memory returns a genesis or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_chain_spec::ChainSpec;

fuzz_target!(|data: &[u8]| {
    if let Ok(spec) = ChainSpec::from_json_bytes(data, "fuzz input") {
        let again = ChainSpec::from_json_bytes(spec.to_json_pretty().as_bytes(), "re-serialised")
            .expect("a parsed spec serialises to a spec");
        assert_eq!(again, spec);
        let _ = spec.genesis_in_memory();
    }
});
