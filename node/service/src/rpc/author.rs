//! `author_*`: submitting transactions, and the operator's view of the pool.
//!
//! Transactions come in as hex SCALE bytes of a `SignedTransaction` and go through the pool's checks; a refusal
//! is JSON-RPC error [`INVALID_TX`] with the pool's reason as message.

use jsonrpsee::types::ErrorObjectOwned;

use super::error::{bad_params, decode_hex, node_error, unsafe_method, INVALID_TX};
use super::Rpc;

pub use yima_rpc_api::author::{
    AuthorApiServer, PendingPool, PendingTransaction, SubmitOutcome, MAX_PENDING_LISTED,
    MAX_SUBMIT_BATCH,
};

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
