//! Signed transactions: the only way anything enters the chain.
//!
//! The signature covers `SCALE(genesis_hash, spec_version, signer, nonce, valid_until, call)`, so a transaction
//! cannot be replayed on another chain, under another runtime version, or twice on this one (the nonce), and it
//! stops being includable after `valid_until`.

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _};
use parity_scale_codec::{Decode, DecodeLimit, Encode};
use yima_frame::{sha256, AccountId, BlockNumber, Hash};

use crate::composition::RuntimeCall;

/// Nesting depth SCALE decoding of untrusted transaction bytes may reach.
pub const MAX_DECODE_DEPTH: u32 = 64;

/// A call signed by a member account.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct SignedTransaction {
    /// The signing account (its ed25519 public key).
    pub signer: AccountId,
    /// The signer's next nonce.
    pub nonce: u64,
    /// The last block number this transaction may be included in.
    pub valid_until: BlockNumber,
    /// What to do.
    pub call: RuntimeCall,
    /// ed25519 signature over [`signing_payload`].
    pub signature: [u8; 64],
}

/// The bytes a transaction's signature covers.
pub fn signing_payload(
    genesis_hash: &Hash,
    spec_version: u32,
    signer: &AccountId,
    nonce: u64,
    valid_until: BlockNumber,
    call: &RuntimeCall,
) -> Vec<u8> {
    (genesis_hash, spec_version, signer, nonce, valid_until, call).encode()
}

/// Why bytes are not a transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Longer than the chain's transaction size limit.
    #[error("transaction is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// Bytes received.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Not a SCALE-encoded transaction (truncated, trailing bytes, unknown call index, too deeply nested …).
    #[error("bytes are not a SCALE-encoded SignedTransaction: {0}")]
    Malformed(String),
}

impl SignedTransaction {
    /// Signs `call` as `key` for the chain with `genesis_hash` at `spec_version`.
    pub fn sign(
        key: &SigningKey,
        genesis_hash: &Hash,
        spec_version: u32,
        nonce: u64,
        valid_until: BlockNumber,
        call: RuntimeCall,
    ) -> Self {
        let signer = AccountId::from(key.verifying_key());
        let payload = signing_payload(
            genesis_hash,
            spec_version,
            &signer,
            nonce,
            valid_until,
            &call,
        );
        let signature = key.sign(&payload).to_bytes();
        Self {
            signer,
            nonce,
            valid_until,
            call,
            signature,
        }
    }

    /// The bytes this transaction's signature must cover on the given chain and version.
    pub fn payload(&self, genesis_hash: &Hash, spec_version: u32) -> Vec<u8> {
        signing_payload(
            genesis_hash,
            spec_version,
            &self.signer,
            self.nonce,
            self.valid_until,
            &self.call,
        )
    }

    /// Checks the signature on its own (the executive batches checks instead where it can).
    pub fn verify_signature(&self, genesis_hash: &Hash, spec_version: u32) -> bool {
        let Some(key) = self.signer.verifying_key() else {
            return false;
        };
        key.verify(
            &self.payload(genesis_hash, spec_version),
            &Signature::from_bytes(&self.signature),
        )
        .is_ok()
    }

    /// The transaction hash: SHA-256 of its SCALE encoding (what the pool and RPC call it by).
    pub fn hash(&self) -> Hash {
        sha256(&self.encode())
    }

    /// Decodes untrusted bytes: at most `max_bytes`, bounded nesting, nothing left over.
    pub fn decode_checked(bytes: &[u8], max_bytes: usize) -> Result<Self, DecodeError> {
        if bytes.len() > max_bytes {
            return Err(DecodeError::TooLarge {
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        Self::decode_all_with_depth_limit(MAX_DECODE_DEPTH, &mut &bytes[..])
            .map_err(|e| DecodeError::Malformed(e.to_string()))
    }
}

/// Verifies many signatures at once; on failure, finds the first bad one.
///
/// Returns `Ok(())` when all hold, or `Err(i)` with the index (into `txs`) of the first transaction whose
/// signature does not.
pub fn verify_batch(
    txs: &[&SignedTransaction],
    genesis_hash: &Hash,
    spec_version: u32,
) -> Result<(), usize> {
    let payloads: Vec<Vec<u8>> = txs
        .iter()
        .map(|tx| tx.payload(genesis_hash, spec_version))
        .collect();
    let mut keys = Vec::with_capacity(txs.len());
    for (i, tx) in txs.iter().enumerate() {
        match tx.signer.verifying_key() {
            Some(k) => keys.push(k),
            None => return Err(i),
        }
    }
    let messages: Vec<&[u8]> = payloads.iter().map(|p| p.as_slice()).collect();
    let signatures: Vec<Signature> = txs
        .iter()
        .map(|tx| Signature::from_bytes(&tx.signature))
        .collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok() {
        return Ok(());
    }
    // Batch failed: find the culprit one by one (rare: only a bad block or a bad client pays for this).
    for (i, ((msg, sig), key)) in messages.iter().zip(&signatures).zip(&keys).enumerate() {
        if key.verify(msg, sig).is_err() {
            return Err(i);
        }
    }
    Ok(())
}

/// Every index (into `txs`) whose signature does not verify: one batch check, and only when it fails a single
/// pass of individual checks, so a block full of bad signatures costs at most one batch plus one check each.
pub fn invalid_signatures(
    txs: &[&SignedTransaction],
    genesis_hash: &Hash,
    spec_version: u32,
) -> Vec<usize> {
    match verify_batch(txs, genesis_hash, spec_version) {
        Ok(()) => Vec::new(),
        Err(first) => std::iter::once(first)
            .chain(
                (first + 1..txs.len())
                    .filter(|&i| !txs[i].verify_signature(genesis_hash, spec_version)),
            )
            .collect(),
    }
}

/// Decodes a whole block from untrusted bytes with bounded nesting and nothing left over.
pub fn decode_block(bytes: &[u8]) -> Result<crate::header::Block, DecodeError> {
    crate::header::Block::decode_all_with_depth_limit(MAX_DECODE_DEPTH, &mut &bytes[..])
        .map_err(|e| DecodeError::Malformed(e.to_string()))
}
