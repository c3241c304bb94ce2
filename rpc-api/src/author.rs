//! `author_*`: submitting transactions, and the operator's view of the pool.
//!
//! Transactions come in as hex SCALE bytes of a `SignedTransaction` and go through the pool's checks; a refusal
//! is JSON-RPC error error 1010 (`INVALID_TX`) with the pool's reason as message.

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

/// Most transactions in one `author_submitBatch`.
pub const MAX_SUBMIT_BATCH: usize = 10_000;
/// Most transactions `author_pendingTransactions` lists; also its default.
pub const MAX_PENDING_LISTED: usize = 10_000;

/// One outcome of `author_submitBatch`: the hash, or the pool's reason.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SubmitOutcome {
    /// The transaction hash when admitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hash: Option<String>,
    /// Why it was refused.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

/// One pooled transaction as `author_pendingTransactions` lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PendingTransaction {
    /// Its hash.
    pub hash: String,
    /// Its signer.
    pub signer: String,
    /// Its nonce.
    pub nonce: u64,
    /// The last block that may include it.
    pub valid_until: u64,
}

/// `author_pendingTransactions`: the pool's size and its ready transactions in the order the next block takes
/// them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PendingPool {
    /// Transactions ready for the next block.
    pub ready: usize,
    /// Transactions waiting for a predecessor's nonce.
    pub future: usize,
    /// The first ready transactions, in block order (at most the limit asked for).
    pub transactions: Vec<PendingTransaction>,
}

/// Submitting transactions; listing the pool (operator only).
#[rpc(server, client)]
pub trait AuthorApi {
    /// Submits one transaction (hex SCALE bytes); returns its hash.
    #[method(name = "author_submitTransaction")]
    fn submit_transaction(&self, transaction: String) -> Result<String, ErrorObjectOwned>;

    /// Submits many transactions at once (signatures checked in one batch); one outcome each, in order.
    #[method(name = "author_submitBatch", blocking)]
    fn submit_batch(
        &self,
        transactions: Vec<String>,
    ) -> Result<Vec<SubmitOutcome>, ErrorObjectOwned>;

    /// **Operator method.** The pool's size and up to `limit` (default and most: [`MAX_PENDING_LISTED`]) ready
    /// transactions in block order.
    #[method(name = "author_pendingTransactions", with_extensions)]
    fn pending_transactions(&self, limit: Option<usize>) -> Result<PendingPool, ErrorObjectOwned>;
}
