//! Seeding a fresh `demo` chain with the demo histories ([`yima_chain_spec::demo`]): what makes
//! `yima-node --dev` show real traces at once.
//!
//! The histories are ordinary signed transactions (the dev keys sign them, nonces counting up from zero), put
//! into this node's pool like any enterprise's submission; consensus then records them in the first blocks.
//! Only a chain still at genesis is seeded, so a restarted dev node never submits them twice.

use yima_chain_spec::ChainSpec;

use crate::host::NodeHost;

/// The chain id the demo histories are written for.
pub const DEMO_CHAIN_ID: &str = "yima_demo";

/// How many blocks the demo transactions stay valid.
const VALID_FOR_BLOCKS: u64 = 1_000;

/// Why the demo could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The store could not be read.
    #[error("reading the store to seed the demo: {0}")]
    Store(#[from] yima_storage::StorageError),
    /// The pool refused a demo transaction: the demo script and the runtime disagree.
    #[error("the pool refused demo transaction {index}: {reason} (the demo script in chain-spec/src/demo no longer fits the runtime)")]
    Refused {
        /// Its position in the script.
        index: usize,
        /// The pool's reason.
        reason: String,
    },
}

/// Submits the demo script when `spec` is the demo chain and the store is at genesis; returns how many
/// transactions went into the pool (0 when there was nothing to do).
pub fn seed(host: &NodeHost, spec: &ChainSpec) -> Result<usize, SeedError> {
    if spec.id != DEMO_CHAIN_ID || host.store().head_number()?.unwrap_or(0) > 0 {
        return Ok(0);
    }
    let Some(genesis) = host.store().genesis_hash()? else {
        return Ok(0);
    };
    // The equipment history is dated by the clock: its maintenance records must be valid in the first blocks.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let script = yima_chain_spec::demo::signed_script(&genesis, VALID_FOR_BLOCKS, now);
    let count = script.len();
    let outcomes = host.submit(
        script
            .into_iter()
            .map(|tx| parity_scale_codec::Encode::encode(&tx))
            .collect(),
    )?;
    for (index, outcome) in outcomes.into_iter().enumerate() {
        if let Err(e) = outcome {
            return Err(SeedError::Refused {
                index,
                reason: e.to_string(),
            });
        }
    }
    tracing::info!(transactions = count, "demo histories submitted");
    Ok(count)
}
