//! `state_get`: one state value at any stored height, with its Jellyfish Merkle proof against that height's
//! `state_root` — what an auditor checks with `yima_frame::state::verify_state_proof` (DESIGN.md §3, "this
//! certificate was not revoked at height H").
//!
//! Keys are raw storage keys (`"Pallet:Item:" ++ SCALE(key)`, see `yima_frame::storage`) as hex. The proof is
//! the `jmt` `SparseMerkleProof` in **borsh**, the tree crate's own binary form (it has no SCALE codec; a
//! verifier decodes it with `borsh::from_slice::<yima_frame::state::StateProof>`).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

/// Longest storage key accepted (the longest the pallets build is far below).
pub const MAX_KEY_BYTES: usize = 1024;

/// `state_get`'s answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StateValue {
    /// The key asked for (hex).
    pub key: String,
    /// Its value at `height` (hex SCALE), or `null` when absent.
    pub value: Option<String>,
    /// The height read.
    pub height: u64,
    /// The state root of that height (its header's `state_root`).
    pub state_root: String,
    /// The proof of `value` (or of absence) against `state_root`: hex of the borsh `SparseMerkleProof`.
    pub proof: String,
}

/// Authenticated state reads.
#[rpc(server, client)]
pub trait StateApi {
    /// The value of storage key `key` (hex) at block `at` (default: the finalized head), with its proof.
    #[method(name = "state_get", blocking)]
    fn get(&self, key: String, at: Option<u64>) -> Result<StateValue, ErrorObjectOwned>;
}
