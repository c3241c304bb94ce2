//! What the fuzz targets share: the chain they verify against. `client/benches/fixtures/spec.json` is the spec of
//! a real local testnet whose audit bundle (`bundle.json` beside it) verifies, so proofs, certificates and
//! bundles mutated from the seeds reach the checks past "wrong chain".

use std::sync::OnceLock;

use yima_chain_spec::ChainSpec;
use yima_consensus::TrustAnchor;
use yima_runtime::genesis::Genesis;

/// The fixture chain spec's JSON.
pub const SPEC_JSON: &str = include_str!("../../client/benches/fixtures/spec.json");

/// The fixture chain's genesis (built once per process).
pub fn genesis() -> &'static Genesis {
    static GENESIS: OnceLock<Genesis> = OnceLock::new();
    GENESIS.get_or_init(|| {
        ChainSpec::from_json_bytes(SPEC_JSON.as_bytes(), "the fixture spec")
            .and_then(|spec| spec.genesis_in_memory())
            .expect("the fixture spec builds")
            .0
    })
}

/// What an auditor of the fixture chain trusts.
pub fn anchor() -> TrustAnchor {
    TrustAnchor::from_genesis(&genesis().header)
}
