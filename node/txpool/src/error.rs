//! [`PoolError`]: why the pool refused a transaction, and a short name of each kind for metrics.

use yima_frame::BlockNumber;
use yima_runtime::transaction::DecodeError;
use yima_runtime::InvalidTransaction;

/// Why the pool refused a transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// The bytes are not a transaction.
    #[error("cannot decode the transaction: {0}")]
    Decode(#[from] DecodeError),
    /// The transaction cannot go into a block (the reason says what to do).
    #[error("invalid transaction: {0}")]
    Invalid(#[from] InvalidTransaction),
    /// The very same transaction is already pooled.
    #[error("the transaction is already in the pool; nothing to do, it will be included")]
    AlreadyKnown,
    /// Another transaction of the same signer holds that nonce.
    #[error("another transaction of this account with nonce {nonce} is already in the pool and is not replaced (there are no fees); wait until it is included or expires, then sign with the next free nonce")]
    NonceTaken {
        /// The contested nonce.
        nonce: u64,
    },
    /// The nonce is too far ahead of what the pool can chain it to.
    #[error("nonce {nonce} is too far ahead: this account's next missing nonce is {next} and the pool queues at most {max_gap} beyond it; submit the missing nonces first")]
    NonceGapTooLarge {
        /// The transaction's nonce.
        nonce: u64,
        /// The first nonce of the account neither in state nor pooled.
        next: u64,
        /// The pool's [`PoolConfig::max_nonce_gap`].
        max_gap: u64,
    },
    /// The signer has as many transactions pooled as it may.
    #[error("this account already has {limit} transactions in the pool, the most one account may have; wait until some are included, then resubmit")]
    AccountLimit {
        /// The pool's [`PoolConfig::max_per_account`].
        limit: usize,
    },
    /// The pool is at its bound.
    #[error(
        "the transaction pool is full ({transactions} transactions / {bytes} bytes); retry later"
    )]
    Full {
        /// Transactions pooled.
        transactions: usize,
        /// Encoded bytes pooled.
        bytes: usize,
    },
    /// The signer's organisation has as many transactions pooled as it may.
    #[error("the signer's organisation already has {limit} transactions in the pool, the most one organisation may have; wait until some are included, then resubmit")]
    OrganisationLimit {
        /// The pool's [`PoolConfig::max_per_organisation`].
        limit: usize,
    },
    /// Not checked: the same request (or gossip peer) already carried too many bad signatures.
    #[error("not checked: this request carried {limit} transactions with bad signatures, the most the pool verifies from one sender; fix the signing client and resubmit the rest")]
    Unverified {
        /// The pool's [`PoolConfig::max_bad_signatures`].
        limit: usize,
    },
    /// The signer's organisation already has as many transactions queued behind missing nonces as the pool keeps.
    #[error("the signer's organisation already has {limit} transactions queued behind missing nonces, the most the pool keeps; submit the missing nonces first (each account's transactions in nonce order)")]
    FutureLimit {
        /// [`PoolConfig::max_futures_per_organisation`].
        limit: usize,
    },
    /// A transaction of this account was stopped at the chain's per-transaction weight limit.
    #[error("a transaction of this account ran out of weight in block {at} (it reads or writes too much state at once); the pool takes none of its transactions before block {until}: split such work into smaller transactions")]
    CoolingDown {
        /// The block whose transaction ran out of weight.
        at: BlockNumber,
        /// The block from which the account's transactions are taken again.
        until: BlockNumber,
    },
}

impl PoolError {
    /// A short, stable name of the refusal's kind, for metrics labels and logs.
    pub fn reason(&self) -> &'static str {
        match self {
            PoolError::Decode(_) => "malformed",
            PoolError::Invalid(InvalidTransaction::BadSignature) => "bad_signature",
            PoolError::Invalid(InvalidTransaction::Stale { .. }) => "stale",
            PoolError::Invalid(InvalidTransaction::Expired { .. }) => "expired",
            PoolError::Invalid(InvalidTransaction::Signer(_)) => "not_a_member",
            PoolError::Invalid(_) => "invalid",
            PoolError::AlreadyKnown => "already_known",
            PoolError::NonceTaken { .. } => "nonce_taken",
            PoolError::NonceGapTooLarge { .. } => "nonce_gap",
            PoolError::AccountLimit { .. } => "account_limit",
            PoolError::Full { .. } => "full",
            PoolError::OrganisationLimit { .. } => "organisation_limit",
            PoolError::Unverified { .. } => "unverified",
            PoolError::FutureLimit { .. } => "future_limit",
            PoolError::CoolingDown { .. } => "cooling_down",
        }
    }
}
