//! Genesis: the runtime's part of a chain spec turned into the initial state and the genesis header.
//! The same configuration always gives the same state root and the same genesis hash.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use yima_frame::externalities::Externalities;
use yima_frame::state::{StateBackend, StateUpdate};
use yima_frame::{AccountId, GenesisBuild, GenesisError, Hash, Moment};
use yima_membership::{validator_set_hash, Validator};

use crate::executive::events_root;
use crate::header::Header;
use crate::merkle::EMPTY_ROOT;
use crate::Membership;

/// Every pallet's genesis section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeGenesisConfig {
    /// Genesis time, ms UTC; the first block's timestamp must be later.
    pub timestamp: Moment,
    /// Block limits.
    #[serde(default)]
    pub system: yima_system::GenesisConfig,
    /// Organisations, accounts, roles, validators, governance parameters.
    pub membership: yima_membership::GenesisConfig,
    /// Capture limits.
    #[serde(default)]
    pub trace: yima_trace::GenesisConfig,
    /// Attestation schemas (the shipped DOMAIN.md §4 list when omitted).
    #[serde(default)]
    pub attestation: yima_attestation::GenesisConfig,
}

/// The built genesis: header, the state to commit as version 0, and the first validator set.
#[derive(Debug)]
pub struct Genesis {
    /// The genesis header; its hash identifies the chain.
    pub header: Header,
    /// The state writes and tree nodes to commit as version 0.
    pub update: StateUpdate,
    /// The validators that decide block 1.
    pub validators: Vec<Validator>,
}

/// Builds genesis over `state`, which must be empty (no version committed).
pub fn build_genesis(
    config: &RuntimeGenesisConfig,
    state: Arc<dyn StateBackend>,
) -> Result<Genesis, GenesisError> {
    if let Some(v) = state.version() {
        return Err(GenesisError::new(
            "Runtime",
            format!("the state already holds version {v}; genesis needs an empty database (use a new --base-path)"),
        ));
    }
    let mut externalities = Externalities::new(state);
    let validators = externalities.execute_with(|| -> Result<_, GenesisError> {
        config.system.build()?;
        config.membership.build()?;
        config.trace.build()?;
        config.attestation.build()?;
        Ok(Membership::validators())
    })?;
    let (changes, events) = externalities.drain();
    let update = externalities
        .backend()
        .prepare(0, changes)
        .map_err(|e| GenesisError::new("Runtime", e.to_string()))?;
    let validators_hash = validator_set_hash(&validators);
    let header = Header {
        parent_hash: Hash::default(),
        number: 0,
        timestamp: config.timestamp,
        proposer: AccountId::default(),
        state_root: update.root,
        extrinsics_root: EMPTY_ROOT,
        events_root: events_root(&events),
        validators_hash,
        next_validators_hash: validators_hash,
    };
    Ok(Genesis {
        header,
        update,
        validators,
    })
}
