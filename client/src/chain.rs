//! What the client knows of a chain without a node: its chain spec, genesis hash and trust anchor.

use std::path::Path;

use yima_chain_spec::ChainSpec;
use yima_consensus::proof::TrustAnchor;
use yima_frame::Hash;

use crate::error::{ClientError, Result};

/// A chain as its spec defines it.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The chain spec.
    pub spec: ChainSpec,
    /// Its genesis hash (signed into every transaction).
    pub genesis_hash: Hash,
    /// What offline verification trusts.
    pub anchor: TrustAnchor,
}

impl Chain {
    /// The chain of `spec` (genesis built in memory).
    pub fn from_spec(spec: ChainSpec) -> Result<Self> {
        let (genesis, _) = spec.genesis_in_memory().map_err(|e| {
            ClientError::Other(format!("the chain spec's genesis cannot be built: {e}"))
        })?;
        Ok(Self {
            genesis_hash: genesis.header.hash(),
            anchor: TrustAnchor::from_genesis(&genesis.header),
            spec,
        })
    }

    /// A preset name (`dev`, `local`, `demo`) or a chain spec JSON file.
    pub fn load(chain: &str) -> Result<Self> {
        let spec = if Path::new(chain).exists() {
            ChainSpec::from_json_file(Path::new(chain))
        } else {
            ChainSpec::load(chain)
        }
        .map_err(|e| ClientError::Other(format!("chain spec {chain:?}: {e}")))?;
        Self::from_spec(spec)
    }
}
