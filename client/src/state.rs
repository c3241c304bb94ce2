//! State reads with their proofs checked on the client: `state_get`'s JMT proof against the `state_root` of
//! the header at that height (`chain_getHeader`). The header itself is the node's word; to trust it without the
//! node, prove an event of that block with [`crate::bundle`], which checks its commit certificate.

use parity_scale_codec::Decode;
use yima_frame::state::{verify_state_proof, StateProof};
use yima_frame::storage::StorageMap;
use yima_frame::{AccountId, Hash};

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;

/// A verified value of one key at one height.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenValue {
    /// The height read.
    pub height: u64,
    /// The state root the proof was checked against.
    pub state_root: Hash,
    /// The value (SCALE), `None` when the key is not set.
    pub value: Option<Vec<u8>>,
}

fn decode_hex(what: &str, text: &str) -> Result<Vec<u8>> {
    hex::decode(text.trim_start_matches("0x")).map_err(|e| ClientError::BadResponse {
        method: "state_get".into(),
        reason: format!("{what} is not hex: {e}"),
    })
}

impl NodeClient {
    /// `state_get(key, at)` with the proof verified against the header's `state_root`.
    pub async fn state_get(&self, key: &[u8], at: Option<u64>) -> Result<ProvenValue> {
        let answer = self.state_get_raw(key, at).await?;
        let header = self
            .header(answer.height)
            .await?
            .ok_or_else(|| ClientError::BadResponse {
                method: "chain_getHeader".into(),
                reason: format!(
                    "no header at height {} the state was read at",
                    answer.height
                ),
            })?;
        if header.state_root != answer.state_root {
            return Err(ClientError::BadProof(format!(
                "state_get answered with state root {} but header {} has {}",
                answer.state_root, answer.height, header.state_root
            )));
        }
        let root = Hash::from_hex(&header.state_root).map_err(|e| ClientError::BadResponse {
            method: "chain_getHeader".into(),
            reason: e.to_string(),
        })?;
        let value = answer
            .value
            .as_deref()
            .map(|v| decode_hex("value", v))
            .transpose()?;
        let proof: StateProof = borsh::from_slice(&decode_hex("proof", &answer.proof)?)
            .map_err(|e| ClientError::BadProof(format!("the state proof does not decode: {e}")))?;
        verify_state_proof(root, key, value.as_deref(), &proof).map_err(|e| {
            ClientError::BadProof(format!(
                "state proof of key 0x{} at height {}: {e}",
                hex::encode(key),
                answer.height
            ))
        })?;
        Ok(ProvenValue {
            height: answer.height,
            state_root: root,
            value,
        })
    }

    /// The attestation `id` at the finalized head (`None`: no such attestation), proven.
    pub async fn attestation(&self, id: &Hash) -> Result<Option<yima_attestation::Attestation>> {
        let key = yima_attestation::Attestations::storage_key(id);
        let v = self.state_get(&key, None).await?;
        v.value
            .map(|bytes| {
                yima_attestation::Attestation::decode(&mut &bytes[..]).map_err(|e| {
                    ClientError::BadProof(format!("attestation {id} does not decode: {e}"))
                })
            })
            .transpose()
    }

    /// The next nonce of `account` at the finalized head, proven.
    pub async fn nonce(&self, account: &AccountId) -> Result<u64> {
        let key = yima_system::Nonces::storage_key(account);
        let v = self.state_get(&key, None).await?;
        match v.value {
            None => Ok(0),
            Some(bytes) => u64::decode(&mut &bytes[..]).map_err(|e| {
                ClientError::BadProof(format!("the nonce of {account} does not decode: {e}"))
            }),
        }
    }
}
