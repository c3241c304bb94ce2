//! State reads with their proofs checked on the client: `state_get`'s JMT proof against the `state_root` of
//! the header at that height (`chain_getHeader`). The header itself is the node's word; to trust it without the
//! node, prove an event of that block with [`crate::bundle`], which checks its commit certificate.

use parity_scale_codec::Decode;
use yima_frame::storage::StorageMap;
use yima_frame::{AccountId, Hash};

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;
use yima_rpc_api::reads::{ReadError, ReadSource, StateRead, StateReads, Verified};

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

impl NodeClient {
    /// The `state_root` and time of the header at `height`, what an answer `method` read there is checked against
    /// (the node's word, see the module docs).
    pub(crate) async fn state_root_at(&self, height: u64, method: &str) -> Result<(Hash, u64)> {
        let header = self
            .header(height)
            .await?
            .ok_or_else(|| ClientError::BadResponse {
                method: method.into(),
                reason: format!(
                    "the answer was read at block {height}, which the node has no header of"
                ),
            })?;
        let root = Hash::from_hex(&header.state_root).map_err(|e| ClientError::BadResponse {
            method: "chain_getHeader".into(),
            reason: e.to_string(),
        })?;
        Ok((root, header.timestamp))
    }

    /// `state_get(key, at)` with the proof verified against the header's `state_root` (the same check as every
    /// read-back's, [`yima_rpc_api::reads::Verified`]).
    pub async fn state_get(&self, key: &[u8], at: Option<u64>) -> Result<ProvenValue> {
        let answer = self.state_get_raw(key, at).await?;
        let (root, _) = self.state_root_at(answer.height, "state_get").await?;
        let reads = StateReads {
            height: answer.height,
            state_root: answer.state_root,
            reads: vec![StateRead {
                key: answer.key,
                value: answer.value,
                proof: answer.proof,
            }],
        };
        let bad = |e: ReadError| {
            ClientError::BadProof(format!(
                "state_get of key 0x{} at height {}: {e}",
                hex::encode(key),
                answer.height
            ))
        };
        let value = Verified::check(&reads, root)
            .and_then(|mut proven| proven.read(key))
            .map_err(bad)?;
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
