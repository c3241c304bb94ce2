//! The Executive: the one place where transactions meet state.
//!
//! - [`Executive::validate_transaction`]: may this transaction go into the next block? (the pool's ingress check)
//! - [`Executive::apply_transaction`]: apply one checked transaction inside a block; a refused call is still
//!   included — nonce consumed, `ExtrinsicFailed`, its writes rolled back.
//! - [`Executive::build_block`] / [`Executive::build_block_until`]: the proposer's path, from a list of
//!   transactions to a block with every root, stopping at the block's limits or when the proposer's time is up.
//! - [`Executive::execute_block`]: the validator's path, re-executing a received block and checking every root
//!   in its header.
//!
//! **Weights** (see `yima_frame::weight`): each transaction runs under a meter limited to the chain's
//! `max_transaction_weight`, charged first its base weight (`BlockLimits::transaction_base_weight`, by size) and
//! then every state access its call makes. A transaction that passes the limit is stopped there, its writes
//! and events undone, and included as failed (`DispatchError::WeightExhausted`, nonce consumed), weighing the
//! limit. The block's transactions together may weigh at most `max_block_weight`: a validator refuses a block
//! whose transactions cross it ([`BlockError::WeightLimitExceeded`]), deciding the same way on the same state
//! as every other, so the rule is part of consensus. How a proposer fills a contended block — fair shares
//! between organisations, what it defers when a transaction would cross the limit — is its own policy
//! ([`crate::fill`]).
//!
//! Signatures are checked in batches (ed25519-dalek batch verification) before any transaction runs, and a
//! transaction the caller already verified (the pool at ingress) is not verified again.

use std::collections::HashMap;
use std::sync::Arc;

use parity_scale_codec::Encode;
use yima_frame::event::RawEvent;
use yima_frame::externalities::{self as ext, Externalities};
use yima_frame::pallet::Hooks;
use yima_frame::state::{StateBackend, StateError, StateUpdate};
use yima_frame::{
    AccountId, BlockNumber, DispatchError, DispatchResult, Hash, Moment, Origin, Phase, Signer,
    Weight,
};
use yima_membership::validator_set_hash;

use crate::fill::Filler;
use crate::header::{Block, Header};
use crate::merkle;
use crate::transaction::{invalid_signatures, SignedTransaction};
use crate::validity::{account_standing, check_nonce, check_window};
use crate::{Membership, System};

/// What identifies the chain a transaction is signed for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainContext {
    /// Hash of the genesis header.
    pub genesis_hash: Hash,
    /// The runtime's spec version.
    pub spec_version: u32,
}

/// Why a transaction cannot be included in the next block. Nothing about it reaches state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTransaction {
    /// The signature does not verify: wrong key, altered bytes, or signed for another chain or spec version.
    #[error("bad signature: the transaction was altered, signed with another key, or signed for another chain or runtime version; re-sign it for this chain")]
    BadSignature,
    /// The nonce was already used.
    #[error("nonce {got} was already used (the account's next nonce is {expected}): this is a replay or a resubmission")]
    Stale {
        /// The account's next nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// The nonce is ahead of the account's next nonce.
    #[error("nonce {got} is in the future (the account's next nonce is {expected}); submit the missing nonces first")]
    Future {
        /// The account's next nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// `valid_until` has passed.
    #[error("transaction expired: valid until block {valid_until}, the block being built is {block}; sign it again with a later valid_until")]
    Expired {
        /// The transaction's last valid block.
        valid_until: BlockNumber,
        /// The block it would go into.
        block: BlockNumber,
    },
    /// The signer is not an active member.
    #[error("signer refused: {0}")]
    Signer(yima_membership::Error),
    /// Larger than a transaction may be.
    #[error("transaction is {size} bytes; the chain's limit is {limit}")]
    TooLarge {
        /// Encoded size.
        size: usize,
        /// The limit in force.
        limit: u32,
    },
    /// `valid_until` is further ahead than the chain's validity window allows.
    #[error("transaction is valid until block {valid_until} but may be valid at most until block {max} ({window} blocks after block {block}); sign it again with an earlier valid_until")]
    ValidityTooLong {
        /// The transaction's last valid block.
        valid_until: BlockNumber,
        /// The latest `valid_until` accepted now.
        max: BlockNumber,
        /// The block it would go into.
        block: BlockNumber,
        /// The chain's `max_validity_blocks`.
        window: u64,
    },
}

/// Why a block is not valid on its parent.
#[derive(Debug, thiserror::Error)]
pub enum BlockError {
    /// The header does not name the given parent.
    #[error("block's parent_hash {got} is not the parent's hash {expected}")]
    ParentMismatch {
        /// Hash of the parent given.
        expected: Hash,
        /// The header's parent_hash.
        got: Hash,
    },
    /// The number is not the parent's plus one.
    #[error("block number {got} does not follow the parent's {parent}")]
    NumberMismatch {
        /// The parent's number.
        parent: BlockNumber,
        /// The block's number.
        got: BlockNumber,
    },
    /// Time must move forward.
    #[error("block timestamp {got} ms is not after the parent's {parent} ms")]
    TimestampNotAfterParent {
        /// The parent's timestamp.
        parent: Moment,
        /// The block's timestamp.
        got: Moment,
    },
    /// Only a validator of the current set may propose.
    #[error("proposer {0} is not in the validator set")]
    ProposerNotValidator(AccountId),
    /// More transactions than a block may hold.
    #[error("block holds {count} transactions; the limit is {limit}")]
    TooManyTransactions {
        /// Transactions in the block.
        count: usize,
        /// The limit in force.
        limit: u32,
    },
    /// The body is larger than a block may be.
    #[error("block body is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// Encoded size of the transactions.
        size: usize,
        /// The limit in force.
        limit: u32,
    },
    /// The block's transactions weigh more than a block may.
    #[error("transaction {index} takes the block's weight past its limit ({used} used, limit {limit}); the proposer must defer it to a later block")]
    WeightLimitExceeded {
        /// The transaction that crossed the limit.
        index: usize,
        /// Weight of the block's transactions up to and including it, when it was stopped.
        used: u64,
        /// The chain's `max_block_weight`.
        limit: u64,
    },
    /// A transaction in the block cannot be included.
    #[error("transaction {index} of the block is invalid: {error}")]
    InvalidTransaction {
        /// Its position in the block.
        index: usize,
        /// Why.
        error: InvalidTransaction,
    },
    /// A root or hash in the header differs from what execution produced.
    #[error("header {field} is {claimed} but executing the block gives {computed}")]
    RootMismatch {
        /// Which header field.
        field: &'static str,
        /// What the header says.
        claimed: Hash,
        /// What execution produced.
        computed: Hash,
    },
    /// The state backend failed (not the block's fault).
    #[error(transparent)]
    State(#[from] StateError),
}

/// A block built by the proposer, with what committing it takes.
#[derive(Debug)]
pub struct BuiltBlock {
    /// The block, header complete.
    pub block: Block,
    /// The state writes and tree nodes to commit with it.
    pub update: StateUpdate,
    /// The block's events, as hashed into `events_root`.
    pub events: Vec<RawEvent>,
    /// Transactions left out because they are invalid now, with the reason.
    pub rejected: Vec<(SignedTransaction, InvalidTransaction)>,
    /// Valid transactions that did not fit under the block limits (count, bytes, weight) or were not reached
    /// before the proposer's time was up; offer them to the next block.
    pub deferred: Vec<SignedTransaction>,
    /// The weight of the block's transactions.
    pub weight: Weight,
}

/// A received block after successful execution.
#[derive(Debug)]
pub struct ExecutedBlock {
    /// The state writes and tree nodes to commit with it.
    pub update: StateUpdate,
    /// The block's events, as hashed into `events_root`.
    pub events: Vec<RawEvent>,
    /// The weight of the block's transactions.
    pub weight: Weight,
}

/// Whether a transaction's signature was already checked by the caller.
pub type Preverified<'a> = &'a dyn Fn(&SignedTransaction) -> bool;

/// Asked before each transaction while a block is built: `true` stops filling the block (the rest is
/// deferred). The node answers from its clock, which the runtime may not read.
pub type StopNow<'a> = &'a dyn Fn() -> bool;

/// Builds, executes and validates blocks for one chain.
#[derive(Clone, Copy, Debug)]
pub struct Executive {
    ctx: ChainContext,
}

/// How a block run treats an invalid transaction.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Proposer: leave it out.
    Build,
    /// Validator: the block is invalid.
    Execute,
}

/// What applying one transaction inside a block came to.
enum Applied {
    /// Included, with the call's outcome and the weight charged to the block.
    Included {
        outcome: DispatchResult,
        weight: Weight,
    },
    /// It would take the block past its weight limit (before its own): nothing was written.
    OverBlock {
        /// Weight it had used when stopped.
        used: Weight,
    },
}

/// What a block run decided, by index into the offered transactions (so executing never copies the body).
struct BlockRun {
    included: Vec<usize>,
    rejected: Vec<(usize, InvalidTransaction)>,
    deferred: Vec<usize>,
    weight: Weight,
    validators_hash: Hash,
    next_validators_hash: Hash,
    proposer_is_validator: bool,
}

impl Executive {
    /// An executive for the chain identified by `ctx`.
    pub fn new(ctx: ChainContext) -> Self {
        Self { ctx }
    }

    /// The chain this executive is for.
    pub fn context(&self) -> ChainContext {
        self.ctx
    }

    /// Checks whether `tx` may go into the block after the state's latest one: size, validity window, nonce
    /// (exactly the next one), active signer, signature. Writes nothing.
    pub fn validate_transaction(
        &self,
        state: Arc<dyn StateBackend>,
        tx: &SignedTransaction,
    ) -> Result<Signer, InvalidTransaction> {
        let mut externalities = Externalities::new(state);
        externalities.execute_with(|| {
            let limit = System::limits().max_transaction_bytes;
            let size = tx.encoded_size();
            if size > limit as usize {
                return Err(InvalidTransaction::TooLarge { size, limit });
            }
            let signer = self.check(tx, System::block_number() + 1)?;
            if !tx.verify_signature(&self.ctx.genesis_hash, self.ctx.spec_version) {
                return Err(InvalidTransaction::BadSignature);
            }
            Ok(signer)
        })
    }

    /// Checks a batch of transactions against the latest state for everything but their signatures — size,
    /// validity window, active signer, nonce — in one pass over the state (the pool's ingress path; it
    /// verifies signatures itself, in a batch). A nonce ahead of the account's is reported as
    /// [`InvalidTransaction::Future`] after every other check passed, so a pool may queue it.
    pub fn check_transactions(
        &self,
        state: Arc<dyn StateBackend>,
        txs: &[&SignedTransaction],
    ) -> Vec<Result<Signer, InvalidTransaction>> {
        let mut externalities = Externalities::new(state);
        externalities.execute_with(|| {
            let limits = System::limits();
            let next_block = System::block_number() + 1;
            // Each signer's standing and nonce are read once per batch, however many of its transactions the
            // batch holds (a pool re-checks thousands of one account's queued transactions after each block).
            let mut accounts: HashMap<AccountId, Result<(Signer, u64), InvalidTransaction>> =
                HashMap::new();
            txs.iter()
                .map(|tx| {
                    let size = tx.encoded_size();
                    let limit = limits.max_transaction_bytes;
                    if size > limit as usize {
                        return Err(InvalidTransaction::TooLarge { size, limit });
                    }
                    check_window(tx, next_block, limits.max_validity_blocks)?;
                    let (signer, expected) = accounts
                        .entry(tx.signer)
                        .or_insert_with(|| account_standing(&tx.signer))
                        .clone()?;
                    check_nonce(tx, expected)?;
                    Ok(signer)
                })
                .collect()
        })
    }

    /// Everything but the signature: validity window, signer, nonce (last, so that `Future` means "valid but
    /// early"). Must run inside externalities.
    fn check(
        &self,
        tx: &SignedTransaction,
        block: BlockNumber,
    ) -> Result<Signer, InvalidTransaction> {
        check_window(tx, block, System::limits().max_validity_blocks)?;
        let (signer, expected) = account_standing(&tx.signer)?;
        check_nonce(tx, expected)?;
        Ok(signer)
    }

    /// Applies transaction `index` of the block being executed, whose signature is already verified, under the
    /// chain's per-transaction weight limit. Must run inside the block's externalities after
    /// [`System::initialize`]. `Err` means the transaction cannot be included (nothing was written);
    /// `Ok(outcome)` means it was included, with the call's outcome ([`DispatchError::WeightExhausted`] when it
    /// passed its weight limit).
    pub fn apply_transaction(
        &self,
        index: u32,
        tx: &SignedTransaction,
    ) -> Result<DispatchResult, InvalidTransaction> {
        let limits = System::limits();
        match self.apply_weighed(index, tx, limits.transaction_weight(), Weight::MAX)? {
            Applied::Included { outcome, .. } => Ok(outcome),
            Applied::OverBlock { .. } => unreachable!("no block limit was given"),
        }
    }

    /// Applies `tx` with at most `tx_limit` weight, and at most `block_left` (what the block has left). Writes
    /// nothing when it returns `Err` or [`Applied::OverBlock`].
    fn apply_weighed(
        &self,
        index: u32,
        tx: &SignedTransaction,
        tx_limit: Weight,
        block_left: Weight,
    ) -> Result<Applied, InvalidTransaction> {
        let block = System::block_number();
        let base = yima_system::BlockLimits::transaction_base_weight(tx.encoded_size());
        let run = ext::metered(tx_limit.min(block_left), || {
            ext::consume(base);
            let signer = self.check(tx, block)?;
            System::inc_account_nonce(&tx.signer);
            ext::set_phase(Phase::ApplyExtrinsic(index));
            let origin = Origin::Signed(signer);
            let outcome = ext::transactional(|| tx.call.clone().dispatch(&origin));
            System::note_applied(index, &outcome);
            Ok(outcome)
        });
        match run {
            Ok((Ok(outcome), weight)) => Ok(Applied::Included { outcome, weight }),
            Ok((Err(invalid), _)) => Err(invalid),
            Err(exhausted) if tx_limit <= block_left => {
                // Its own limit: included as failed, weighing the limit. The check is repeated because the
                // run was undone; it reads the same state, so it passes again.
                self.check(tx, block)?;
                System::inc_account_nonce(&tx.signer);
                let outcome = Err(DispatchError::WeightExhausted {
                    used: exhausted.used.units(),
                    limit: tx_limit.units(),
                });
                System::note_applied(index, &outcome);
                Ok(Applied::Included {
                    outcome,
                    weight: tx_limit,
                })
            }
            Err(exhausted) => Ok(Applied::OverBlock {
                used: exhausted.used,
            }),
        }
    }

    /// Builds the block after `parent` from `txs` (in order), leaving out invalid ones and deferring what does
    /// not fit. The result is not committed: the caller commits `update` if consensus decides the block.
    /// [`Self::build_block_until`] without a time budget.
    pub fn build_block(
        &self,
        state: Arc<dyn StateBackend>,
        parent: &Header,
        proposer: AccountId,
        timestamp: Moment,
        txs: Vec<SignedTransaction>,
        preverified: Preverified<'_>,
    ) -> Result<BuiltBlock, BlockError> {
        self.build_block_until(
            state,
            parent,
            proposer,
            timestamp,
            txs,
            preverified,
            &|| false,
        )
    }

    /// Builds the block after `parent` from `txs` (in order), leaving out invalid ones and deferring what does
    /// not fit the block's limits (count, bytes, weight) or the proposer's policy ([`crate::fill`]: fair
    /// shares between organisations, a few tries past a transaction that would cross the weight limit) and,
    /// once `stop` answers `true` (asked before each transaction), everything not yet applied. The result is not committed: the caller commits `update` if
    /// consensus decides the block.
    #[allow(clippy::too_many_arguments)]
    pub fn build_block_until(
        &self,
        state: Arc<dyn StateBackend>,
        parent: &Header,
        proposer: AccountId,
        timestamp: Moment,
        txs: Vec<SignedTransaction>,
        preverified: Preverified<'_>,
        stop: StopNow<'_>,
    ) -> Result<BuiltBlock, BlockError> {
        check_time(parent, timestamp)?;
        let number = parent.number + 1;
        let parent_hash = parent.hash();
        let mut externalities = Externalities::new(state);
        let run = externalities.execute_with(|| {
            self.run_block(
                Mode::Build,
                number,
                parent_hash,
                timestamp,
                &proposer,
                &txs,
                preverified,
                stop,
            )
        })?;
        if !run.proposer_is_validator {
            return Err(BlockError::ProposerNotValidator(proposer));
        }
        let mut offered: Vec<Option<SignedTransaction>> = txs.into_iter().map(Some).collect();
        let mut take = |i: usize| {
            offered[i]
                .take()
                .expect("each offered transaction is decided once")
        };
        let included: Vec<SignedTransaction> = run.included.iter().map(|&i| take(i)).collect();
        let rejected = run
            .rejected
            .into_iter()
            .map(|(i, e)| (take(i), e))
            .collect();
        let deferred = run.deferred.iter().map(|&i| take(i)).collect();
        let (changes, events) = externalities.drain();
        let update = externalities.backend().prepare(number, changes)?;
        let header = Header {
            parent_hash,
            number,
            timestamp,
            proposer,
            state_root: update.root,
            extrinsics_root: extrinsics_root(&included),
            events_root: events_root(&events),
            validators_hash: run.validators_hash,
            next_validators_hash: run.next_validators_hash,
        };
        Ok(BuiltBlock {
            block: Block {
                header,
                extrinsics: included,
            },
            update,
            events,
            rejected,
            deferred,
            weight: run.weight,
        })
    }

    /// Executes `block` on `parent` and checks every field of its header. The result is not committed.
    pub fn execute_block(
        &self,
        state: Arc<dyn StateBackend>,
        parent: &Header,
        block: &Block,
        preverified: Preverified<'_>,
    ) -> Result<ExecutedBlock, BlockError> {
        let header = &block.header;
        let parent_hash = parent.hash();
        if header.parent_hash != parent_hash {
            return Err(BlockError::ParentMismatch {
                expected: parent_hash,
                got: header.parent_hash,
            });
        }
        if header.number != parent.number + 1 {
            return Err(BlockError::NumberMismatch {
                parent: parent.number,
                got: header.number,
            });
        }
        check_time(parent, header.timestamp)?;
        let mut externalities = Externalities::new(state);
        let run = externalities.execute_with(|| {
            self.run_block(
                Mode::Execute,
                header.number,
                parent_hash,
                header.timestamp,
                &header.proposer,
                &block.extrinsics,
                preverified,
                &|| false,
            )
        })?;
        if !run.proposer_is_validator {
            return Err(BlockError::ProposerNotValidator(header.proposer));
        }
        let (changes, events) = externalities.drain();
        let update = externalities.backend().prepare(header.number, changes)?;
        compare(
            "validators_hash",
            header.validators_hash,
            run.validators_hash,
        )?;
        compare(
            "next_validators_hash",
            header.next_validators_hash,
            run.next_validators_hash,
        )?;
        compare(
            "extrinsics_root",
            header.extrinsics_root,
            extrinsics_root(&block.extrinsics),
        )?;
        compare("events_root", header.events_root, events_root(&events))?;
        compare("state_root", header.state_root, update.root)?;
        Ok(ExecutedBlock {
            update,
            events,
            weight: run.weight,
        })
    }

    /// The body of both paths; runs inside the block's externalities.
    #[allow(clippy::too_many_arguments)]
    fn run_block(
        &self,
        mode: Mode,
        number: BlockNumber,
        parent_hash: Hash,
        timestamp: Moment,
        proposer: &AccountId,
        txs: &[SignedTransaction],
        preverified: Preverified<'_>,
        stop: StopNow<'_>,
    ) -> Result<BlockRun, BlockError> {
        let validators = Membership::validators();
        let proposer_is_validator = validators.iter().any(|v| &v.key == proposer);
        let validators_hash = validator_set_hash(&validators);
        let limits = System::limits();

        System::initialize(number, parent_hash, timestamp);
        <Membership as Hooks>::on_initialize(number);
        // Equipment deadlines the block's time reached raise their lapse alerts before any transaction.
        <crate::Equipment as Hooks>::on_initialize(number);

        let mut rejected = Vec::new();
        let mut deferred = Vec::new();
        let mut candidates: Vec<usize> = Vec::with_capacity(txs.len());
        let mut bytes = 0usize;
        for (index, tx) in txs.iter().enumerate() {
            let size = tx.encoded_size();
            if size > limits.max_transaction_bytes as usize {
                let error = InvalidTransaction::TooLarge {
                    size,
                    limit: limits.max_transaction_bytes,
                };
                match mode {
                    Mode::Execute => return Err(BlockError::InvalidTransaction { index, error }),
                    Mode::Build => rejected.push((index, error)),
                }
                continue;
            }
            let full = candidates.len() >= limits.max_transactions as usize
                || bytes + size > limits.max_block_bytes as usize;
            match (mode, full) {
                (Mode::Build, true) => deferred.push(index),
                (Mode::Execute, true) if candidates.len() >= limits.max_transactions as usize => {
                    return Err(BlockError::TooManyTransactions {
                        count: candidates.len() + 1,
                        limit: limits.max_transactions,
                    })
                }
                (Mode::Execute, true) => {
                    return Err(BlockError::TooLarge {
                        size: bytes + size,
                        limit: limits.max_block_bytes,
                    })
                }
                (_, false) => {
                    bytes += size;
                    candidates.push(index);
                }
            }
        }

        // Signatures first, in one batch; a bad one is dropped (build) or fails the block (execute).
        let bad_signature = self.bad_signatures(txs, &candidates, preverified);
        let mut included = Vec::with_capacity(candidates.len());
        let mut weight = Weight::ZERO;
        let block_limit = limits.block_weight();
        let mut filler = (mode == Mode::Build).then(|| Filler::new(txs, &candidates, block_limit));
        let mut remaining = candidates.into_iter();
        while let Some(index) = remaining.next() {
            if let Some(filler) = filler.as_mut() {
                if stop() {
                    deferred.push(index);
                    deferred.extend(remaining.by_ref());
                    break;
                }
                if filler.holds_back(index, &txs[index]) {
                    filler.defer(index, &txs[index]);
                    deferred.push(index);
                    continue;
                }
            }
            let applied = if bad_signature.contains(&index) {
                Err(InvalidTransaction::BadSignature)
            } else {
                self.apply_weighed(
                    included.len() as u32,
                    &txs[index],
                    limits.transaction_weight(),
                    block_limit.saturating_sub(weight),
                )
            };
            match (applied, mode) {
                (Ok(Applied::Included { weight: w, .. }), _) => {
                    weight = weight.saturating_add(w);
                    included.push(index);
                    if let Some(filler) = filler.as_mut() {
                        filler.settle(index, w);
                    }
                }
                (Ok(Applied::OverBlock { .. }), Mode::Build) => {
                    deferred.push(index);
                    let stop_trying = filler
                        .as_mut()
                        .is_some_and(|f| f.crossed(index, &txs[index]));
                    if stop_trying {
                        deferred.extend(remaining.by_ref());
                        break;
                    }
                }
                (Ok(Applied::OverBlock { used }), Mode::Execute) => {
                    return Err(BlockError::WeightLimitExceeded {
                        index,
                        used: weight.saturating_add(used).units(),
                        limit: block_limit.units(),
                    })
                }
                (Err(error), Mode::Build) => {
                    rejected.push((index, error));
                    if let Some(filler) = filler.as_mut() {
                        filler.settle(index, Weight::ZERO);
                    }
                }
                (Err(error), Mode::Execute) => {
                    return Err(BlockError::InvalidTransaction { index, error })
                }
            }
        }
        // Deferred in input order, whichever limit deferred them.
        deferred.sort_unstable();

        ext::set_phase(Phase::Finalization);
        <Membership as Hooks>::on_finalize(number);
        let next_validators_hash = validator_set_hash(&Membership::validators());
        Ok(BlockRun {
            included,
            rejected,
            deferred,
            weight,
            validators_hash,
            next_validators_hash,
            proposer_is_validator,
        })
    }

    /// Indices (among `candidates`, into `txs`) whose signatures fail, checking only those the caller has not
    /// verified, in one batch.
    fn bad_signatures(
        &self,
        txs: &[SignedTransaction],
        candidates: &[usize],
        preverified: Preverified<'_>,
    ) -> Vec<usize> {
        let (indices, unchecked): (Vec<usize>, Vec<&SignedTransaction>) = candidates
            .iter()
            .map(|&i| (i, &txs[i]))
            .filter(|(_, tx)| !preverified(tx))
            .unzip();
        invalid_signatures(&unchecked, &self.ctx.genesis_hash, self.ctx.spec_version)
            .into_iter()
            .map(|k| indices[k])
            .collect()
    }
}

/// A header field must equal what execution produced.
fn compare(field: &'static str, claimed: Hash, computed: Hash) -> Result<(), BlockError> {
    if claimed == computed {
        Ok(())
    } else {
        Err(BlockError::RootMismatch {
            field,
            claimed,
            computed,
        })
    }
}

fn check_time(parent: &Header, timestamp: Moment) -> Result<(), BlockError> {
    if timestamp <= parent.timestamp {
        return Err(BlockError::TimestampNotAfterParent {
            parent: parent.timestamp,
            got: timestamp,
        });
    }
    Ok(())
}

/// The Merkle root over the block's SCALE-encoded transactions.
pub fn extrinsics_root(txs: &[SignedTransaction]) -> Hash {
    let leaves: Vec<[u8; 32]> = txs
        .iter()
        .map(|tx| merkle::leaf_hash(&tx.encode()))
        .collect();
    merkle::root_of_hashes(&leaves)
}

/// The Merkle root over the block's SCALE-encoded event records.
pub fn events_root(events: &[RawEvent]) -> Hash {
    let leaves: Vec<[u8; 32]> = events
        .iter()
        .map(|e| merkle::leaf_hash(&e.record_bytes()))
        .collect();
    merkle::root_of_hashes(&leaves)
}
