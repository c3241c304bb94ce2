//! The chain spec file format and its loading, saving and genesis building.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{GenesisError, Hash};
use yima_runtime::{build_genesis, Genesis, RuntimeGenesisConfig};

/// What kind of chain a spec describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainType {
    /// A single-node development chain.
    Development,
    /// Several nodes on one machine.
    Local,
    /// A real network.
    Live,
}

/// A chain spec: everything a node needs to join the chain from genesis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    /// Short machine id, e.g. `yima_dev`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Protocol id the nodes' network protocols are named with; nodes of another protocol id cannot talk.
    pub protocol_id: String,
    /// What kind of chain this is.
    pub chain_type: ChainType,
    /// Multiaddresses of nodes to connect to first.
    #[serde(default)]
    pub boot_nodes: Vec<String>,
    /// libp2p peer ids allowed to connect (the permissioned network); more can be admitted on chain.
    #[serde(default)]
    pub allowed_peers: Vec<String>,
    /// The runtime's genesis.
    pub genesis: RuntimeGenesisConfig,
}

/// Why a chain spec cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ChainSpecError {
    /// The file could not be read or written.
    #[error("chain spec file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid chain spec.
    #[error("chain spec {origin} is not valid JSON for a chain spec: {source} (compare with `yima-node build-spec --chain dev`)")]
    Json {
        /// Where it came from.
        origin: String,
        /// The parse error, with line and column.
        source: serde_json::Error,
    },
    /// The genesis section does not build.
    #[error(transparent)]
    Genesis(#[from] GenesisError),
    /// No preset has that name.
    #[error("unknown chain '{0}': use dev, local, demo or the path of a chain spec JSON file")]
    UnknownPreset(String),
}

impl ChainSpec {
    /// A preset by name, or the spec file at that path.
    pub fn load(chain: &str) -> Result<Self, ChainSpecError> {
        match crate::presets::by_name(chain) {
            Some(spec) => Ok(spec),
            None if Path::new(chain).exists() => Self::from_json_file(Path::new(chain)),
            None => Err(ChainSpecError::UnknownPreset(chain.to_string())),
        }
    }

    /// Reads a spec from a JSON file.
    pub fn from_json_file(path: &Path) -> Result<Self, ChainSpecError> {
        let bytes = std::fs::read(path).map_err(|source| ChainSpecError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json_bytes(&bytes, &path.display().to_string())
    }

    /// Parses a spec from JSON bytes; `origin` names where they came from in errors.
    pub fn from_json_bytes(bytes: &[u8], origin: &str) -> Result<Self, ChainSpecError> {
        serde_json::from_slice(bytes).map_err(|source| ChainSpecError::Json {
            origin: origin.to_string(),
            source,
        })
    }

    /// The spec as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a chain spec always serialises")
    }

    /// Writes the spec as pretty JSON.
    pub fn write_json_file(&self, path: &Path) -> Result<(), ChainSpecError> {
        std::fs::write(path, self.to_json_pretty()).map_err(|source| ChainSpecError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Builds genesis into `state`, which must be empty; the caller commits `Genesis::update`.
    pub fn build_genesis(&self, state: Arc<dyn StateBackend>) -> Result<Genesis, ChainSpecError> {
        Ok(build_genesis(&self.genesis, state)?)
    }

    /// Builds genesis in memory and returns it with its state committed there.
    pub fn genesis_in_memory(&self) -> Result<(Genesis, Arc<MemoryState>), ChainSpecError> {
        let state = Arc::new(MemoryState::new());
        let genesis = self.build_genesis(state.clone())?;
        state
            .commit(genesis.update.clone())
            .map_err(|e| GenesisError::new("Runtime", e.to_string()))?;
        Ok((genesis, state))
    }

    /// The genesis hash, which identifies the chain (and is signed into every transaction).
    pub fn genesis_hash(&self) -> Result<Hash, ChainSpecError> {
        Ok(self
            .build_genesis(Arc::new(MemoryState::new()))?
            .header
            .hash())
    }
}
