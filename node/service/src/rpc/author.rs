//! `author_*`: submitting transactions, and the operator's view of the pool.
//!
//! Transactions come in as hex SCALE bytes of a `SignedTransaction` and go through the pool's checks; a refusal
//! is JSON-RPC error [`INVALID_TX`] with the pool's reason as message.

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

use super::error::{bad_params, decode_hex, node_error, unsafe_method, INVALID_TX};
use super::Rpc;

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
#[rpc(server)]
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

impl AuthorApiServer for Rpc {
    fn submit_transaction(&self, transaction: String) -> Result<String, ErrorObjectOwned> {
        let bytes = decode_hex("a transaction (its SCALE encoding)", &transaction)?;
        let mut results = self.host.submit(vec![bytes]).map_err(node_error)?;
        match results.pop() {
            Some(Ok(hash)) => Ok(hash.to_string()),
            Some(Err(e)) => Err(ErrorObjectOwned::owned(
                INVALID_TX,
                e.to_string(),
                None::<()>,
            )),
            None => Err(node_error("the pool returned no outcome")),
        }
    }

    fn submit_batch(
        &self,
        transactions: Vec<String>,
    ) -> Result<Vec<SubmitOutcome>, ErrorObjectOwned> {
        if transactions.len() > MAX_SUBMIT_BATCH {
            return Err(bad_params(format!(
                "{} transactions in one batch; at most {MAX_SUBMIT_BATCH}: split it",
                transactions.len()
            )));
        }
        let bytes = transactions
            .iter()
            .map(|t| decode_hex("a transaction (its SCALE encoding)", t))
            .collect::<Result<Vec<_>, _>>()?;
        let results = self.host.submit(bytes).map_err(node_error)?;
        Ok(results
            .into_iter()
            .map(|r| match r {
                Ok(hash) => SubmitOutcome {
                    hash: Some(hash.to_string()),
                    error: None,
                },
                Err(e) => SubmitOutcome {
                    hash: None,
                    error: Some(e.to_string()),
                },
            })
            .collect())
    }

    fn pending_transactions(
        &self,
        ext: &jsonrpsee::Extensions,
        limit: Option<usize>,
    ) -> Result<PendingPool, ErrorObjectOwned> {
        if !self.operator(ext) {
            return Err(unsafe_method("author_pendingTransactions"));
        }
        let limit = limit.unwrap_or(MAX_PENDING_LISTED);
        if limit > MAX_PENDING_LISTED {
            return Err(bad_params(format!(
                "limit {limit} is above {MAX_PENDING_LISTED}"
            )));
        }
        let pool = self.host.pool();
        Ok(PendingPool {
            ready: pool.ready_len(),
            future: pool.future_len(),
            transactions: pool
                .ready(limit, usize::MAX)
                .iter()
                .map(|tx| PendingTransaction {
                    hash: tx.hash().to_string(),
                    signer: tx.signer.to_string(),
                    nonce: tx.nonce,
                    valid_until: tx.valid_until,
                })
                .collect(),
        })
    }
}
