//! The client's errors. Every message says what went wrong and what to do about it.

use std::path::PathBuf;

/// Why a client operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The node could not be reached (after the retries of the [`crate::rpc::RetryPolicy`]).
    #[error("cannot reach the node at {url} ({reason}) after {attempts} attempt(s): is `yima-node` running and listening there? Start it (e.g. `yima-node --dev`) or pass the right --url")]
    NodeDown {
        /// The URL tried.
        url: String,
        /// The transport error.
        reason: String,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The node answered the call with an error.
    #[error("the node refused {method}: {message} (error {code})")]
    Rpc {
        /// The method called.
        method: String,
        /// JSON-RPC error code.
        code: i32,
        /// The node's message.
        message: String,
    },
    /// The node answered with something this client cannot read.
    #[error("the node's answer to {method} is not what this client expects ({reason}); client and node versions may differ")]
    BadResponse {
        /// The method called.
        method: String,
        /// What was wrong.
        reason: String,
    },
    /// The node's pool refused a transaction.
    #[error("transaction {hash} was refused by the node: {reason}")]
    Rejected {
        /// The transaction hash.
        hash: String,
        /// The node's reason.
        reason: String,
    },
    /// A transaction was included but its call failed.
    #[error("transaction {hash} was included in block {block} but its call failed: {reason}")]
    Failed {
        /// The transaction hash.
        hash: String,
        /// The block including it.
        block: u64,
        /// The runtime's error.
        reason: String,
    },
    /// Waited too long.
    #[error("timed out after {secs} s waiting for {what}; the node may be stalled or not producing blocks — check `yima health`")]
    Timeout {
        /// What was awaited.
        what: String,
        /// The bound.
        secs: u64,
    },
    /// A key file problem.
    #[error(transparent)]
    Key(#[from] crate::keystore::KeyError),
    /// No person id can be derived: the chain names no derivation, the key is not the chain's, or the text is
    /// not a resident id.
    #[error(transparent)]
    PersonId(#[from] crate::person_id::PersonIdError),
    /// A proof the node served does not verify against the chain spec.
    #[error("the node served a proof that does not verify: {0}; the node may be faulty or on another chain")]
    BadProof(String),
    /// A code's history as the node served it is not the one the chain commits (a hop missing, added,
    /// reordered, altered or from another code).
    #[error("the node's history of {code} is not the one the chain commits: {source}; do not rely on this node's answer — ask another node")]
    IncompleteHistory {
        /// The traced code.
        code: String,
        /// What the check found.
        source: yima_trace::history::HistoryError,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Anything else, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

impl ClientError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Results of this crate.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;
