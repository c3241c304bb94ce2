//! `state_get`: one state value at any stored height, with its Jellyfish Merkle proof against that height's
//! `state_root` — what an auditor checks with `yima_frame::state::verify_state_proof` (DESIGN.md §3, "this
//! certificate was not revoked at height H").
//!
//! Keys are raw storage keys (`"Pallet:Item:" ++ SCALE(key)`, see `yima_frame::storage`) as hex. The proof is
//! the `jmt` `SparseMerkleProof` in **borsh**, the tree crate's own binary form (it has no SCALE codec; a
//! verifier decodes it with `borsh::from_slice::<yima_frame::state::StateProof>`).

use jsonrpsee::types::ErrorObjectOwned;

use super::error::{bad_params, decode_hex, node_error, not_on_chain, to_hex};
use super::Rpc;

pub use yima_rpc_api::state::{StateApiServer, StateValue, MAX_KEY_BYTES};

impl StateApiServer for Rpc {
    fn get(&self, key: String, at: Option<u64>) -> Result<StateValue, ErrorObjectOwned> {
        let key_bytes = decode_hex("the storage key", &key)?;
        if key_bytes.is_empty() || key_bytes.len() > MAX_KEY_BYTES {
            return Err(bad_params(format!(
                "a storage key is 1 to {MAX_KEY_BYTES} bytes; got {}",
                key_bytes.len()
            )));
        }
        if let Some(record) = yima_rpc_api::records::personal_key(&key_bytes) {
            return Err(super::records::access_denied(format!(
                "key {key} is part of a personal record: read it with {} and a signed grant",
                record.method()
            )));
        }
        let state = self.host.store().state().map_err(node_error)?;
        let head = state.head().ok_or_else(|| node_error("no genesis"))?;
        let height = at.unwrap_or(head);
        if height > head {
            return Err(not_on_chain(format!(
                "block {height} is not on this chain yet: the finalized head is {head}"
            )));
        }
        let (value, proof) = state.prove(&key_bytes, height).map_err(node_error)?;
        let state_root = state.root_at(height).map_err(node_error)?;
        let proof = borsh::to_vec(&proof).map_err(node_error)?;
        Ok(StateValue {
            key: to_hex(&key_bytes),
            value: value.as_deref().map(to_hex),
            height,
            state_root: state_root.to_string(),
            proof: to_hex(&proof),
        })
    }
}
