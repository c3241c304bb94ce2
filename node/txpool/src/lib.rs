//! # yima-txpool
//!
//! The node's transaction pool: a synchronous, I/O-free data structure. The node wraps it in a mutex and drives it
//! from its tasks (RPC and gossip ingress, block building, block commit, periodic re-gossip); nothing here blocks,
//! spawns or reads a clock.
//!
//! ## Ingress ([`Pool::submit`], [`Pool::submit_bytes`])
//!
//! A batch of transactions goes through, in this order, each step refusing what it can before the next, more
//! expensive one runs:
//!
//! 1. decoding (`submit_bytes`: [`SignedTransaction::decode_checked`] under the chain's transaction size limit);
//! 2. pool-local checks: already in the pool ([`PoolError::AlreadyKnown`], also for a repeat inside the batch), another
//!    transaction of the signer already holds that nonce ([`PoolError::NonceTaken`]), the pool is full
//!    ([`PoolError::Full`]);
//! 3. [`Executive::check_transactions`] in one pass over the state: size, validity window, active member, nonce.
//!    [`InvalidTransaction::Future`] is not a refusal: the transaction is queued until its predecessors arrive;
//! 4. signatures, in ONE ed25519 batch for everything still standing
//!    ([`yima_runtime::transaction::verify_batch`]); when the batch fails the culprits are found by halving, so `k`
//!    bad signatures cost `O(k · log n)` batches, never one batch per bad signature over the whole rest;
//! 5. admission, lowest nonce distance first (so a batch holding nonces `n..n+k` of one account is admitted in
//!    nonce order whatever its order on the wire): [`PoolError::NonceTaken`] inside the batch,
//!    [`PoolError::NonceGapTooLarge`], [`PoolError::AccountLimit`], [`PoolError::Full`].
//!
//! State checks run before signatures (as in [`Executive::validate_transaction`]) because they are two orders of
//! magnitude cheaper: stale re-gossip of included transactions, expired or non-member transactions never cost a
//! signature check. Claiming a nonce slot inside a batch happens only after the signature verified, so a forged
//! copy cannot take the slot of the genuine transaction.
//!
//! The result has one entry per submitted transaction, in order. `Ok(hash)` means *new and admitted*: the network
//! layer gossips exactly those (and nothing that came back [`PoolError::AlreadyKnown`]).
//!
//! ## Policies
//!
//! - **No replacement.** There are no fees, so there is nothing to rank two transactions of one signer and nonce
//!   by; the first one admitted keeps the slot ([`PoolError::NonceTaken`]) until it is included, found invalid or
//!   expires (`valid_until`).
//! - **No eviction.** When the pool is full a new transaction is refused with [`PoolError::Full`], whatever it is;
//!   nothing in the pool is displaced. Without fees no transaction is "better" than another, and evicting the
//!   newest arrivals to admit newer ones would only churn. Space comes back as blocks include transactions and as
//!   queued ones expire or turn stale. Futures are bounded per account by [`PoolConfig::max_nonce_gap`] and
//!   [`PoolConfig::max_per_account`], and every transaction by its `valid_until`.
//! - **Nonce gap.** The gap of a transaction is how far its nonce lies beyond the account's *frontier*: the
//!   account's next nonce in state plus the length of its contiguous chain already pooled. A nonce at the frontier
//!   has gap 0 (it extends the ready chain); a gap above [`PoolConfig::max_nonce_gap`] is refused.
//!
//! ## Ordering ([`Pool::ready`])
//!
//! Per account, transactions are kept by nonce. A transaction is *ready* when every nonce from the account's next
//! nonce in state up to its own is pooled. [`Pool::ready`] merges the accounts' ready chains by arrival: at each
//! step it takes, among the accounts' next ready transactions, the one that arrived first. Within an account the
//! order is always the nonce order; across accounts it is first come, first served.
//!
//! ## Verified once ([`Pool::is_verified`], [`Pool::verified_set`])
//!
//! Everything in the pool passed the signature check at ingress. The node passes [`Pool::is_verified`] (or a
//! [`VerifiedSet`] taken under the lock) as the [`yima_runtime::executive::Preverified`] of `build_block` and
//! `execute_block`, so a block of pooled transactions is not verified again. The test is full structural equality
//! with the pooled transaction (signer, nonce, validity, call and signature), never a lookup by nonce or by
//! signature alone, so an altered copy of a pooled transaction is verified like any other.
//!
//! ## After a block ([`Pool::on_block_committed`], [`Pool::on_block_built`])
//!
//! On commit the pool removes the block's transactions, then re-runs [`Executive::check_transactions`] over
//! everything left in one pass against the new state: stale (nonce used), expired and no-longer-member
//! transactions are dropped, futures whose predecessors were included become ready. The proposer's own build
//! results ([`Pool::on_block_built`]) drop what is invalid whatever block is decided at that height.
//!
//! ## Re-gossip ([`Pool::pending_for_gossip`])
//!
//! Gossip is best effort: a peer that was offline or joined late never saw a transaction. Every
//! [`PoolConfig::regossip_after_blocks`] blocks a transaction still in the pool is handed out again, oldest first,
//! by [`Pool::pending_for_gossip`]. Peers that hold it answer [`PoolError::AlreadyKnown`] for the price of a hash
//! lookup. The network layer must give a re-gossiped transaction a message id its gossip cache no longer holds
//! (or space re-gossip beyond that cache's lifetime).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::sync::Arc;

use parity_scale_codec::Encode;
use yima_frame::externalities::Externalities;
use yima_frame::state::StateBackend;
use yima_frame::{sha256, AccountId, BlockNumber, Hash};
use yima_runtime::transaction::{verify_batch, DecodeError};
use yima_runtime::{Block, Executive, InvalidTransaction, SignedTransaction, System};

/// Default [`PoolConfig::max_transactions`]: four full blocks at the default block limit (10,000 transactions).
pub const DEFAULT_MAX_TRANSACTIONS: usize = 40_000;
/// Default [`PoolConfig::max_bytes`]: 64 MiB of encoded transactions, four full blocks at the default block limit
/// (16 MiB).
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Default [`PoolConfig::max_per_account`]: a tenth of the pool, so ten busy importers cannot lock everyone out.
pub const DEFAULT_MAX_PER_ACCOUNT: usize = 4_096;
/// Default [`PoolConfig::max_nonce_gap`]: room for a few batches of one account arriving out of order by gossip.
pub const DEFAULT_MAX_NONCE_GAP: u64 = 1_024;
/// Default [`PoolConfig::regossip_after_blocks`]: about ten seconds at one block a second.
pub const DEFAULT_REGOSSIP_AFTER_BLOCKS: u64 = 10;

/// The pool's bounds.
///
/// Memory: the pool holds at most `max_transactions` transactions of at most `max_bytes` encoded bytes in total.
/// Each costs its decoded form (about the size of its encoding plus 200 bytes) and about 200 bytes of bookkeeping
/// (its hash and its places in two maps); so the defaults bound the pool near 64 MiB + 40,000 × 0.4 KiB ≈ 80 MiB,
/// more only if decoded calls are much larger than their encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// Most transactions held, ready and queued together.
    pub max_transactions: usize,
    /// Most encoded bytes held (the sum of the transactions' SCALE sizes).
    pub max_bytes: usize,
    /// Most transactions of one signer held.
    pub max_per_account: usize,
    /// Furthest a nonce may lie beyond the account's frontier (next nonce in state + contiguous pooled chain) and
    /// still be queued; 0 queues nothing out of order.
    pub max_nonce_gap: u64,
    /// Committed blocks after which a transaction still pooled is handed out again by
    /// [`Pool::pending_for_gossip`].
    pub regossip_after_blocks: u64,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_transactions: DEFAULT_MAX_TRANSACTIONS,
            max_bytes: DEFAULT_MAX_BYTES,
            max_per_account: DEFAULT_MAX_PER_ACCOUNT,
            max_nonce_gap: DEFAULT_MAX_NONCE_GAP,
            regossip_after_blocks: DEFAULT_REGOSSIP_AFTER_BLOCKS,
        }
    }
}

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
}

/// What committing a block did to the pool.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommitOutcome {
    /// Pooled transactions the block included, removed.
    pub included: Vec<Hash>,
    /// Transactions dropped because they can no longer be included, with the reason.
    pub dropped: Vec<(Hash, InvalidTransaction)>,
    /// Transactions that were queued and are ready now.
    pub promoted: usize,
}

/// The pooled transactions among a block's, taken under the pool's lock so that executing the block does not hold
/// it: `set.contains(tx)` is what [`Pool::is_verified`] would have answered.
#[derive(Debug, Clone, Default)]
pub struct VerifiedSet {
    txs: HashMap<(AccountId, u64), Arc<SignedTransaction>>,
}

impl VerifiedSet {
    /// Whether `tx` is, byte for byte, a transaction the pool verified.
    pub fn contains(&self, tx: &SignedTransaction) -> bool {
        self.txs
            .get(&(tx.signer, tx.nonce))
            .is_some_and(|pooled| **pooled == *tx)
    }

    /// How many of the block's transactions were found verified.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }
}

#[derive(Clone, Debug)]
struct Entry {
    tx: Arc<SignedTransaction>,
    hash: Hash,
    /// SCALE size.
    bytes: usize,
    /// Admission sequence number (unique, increasing).
    arrival: u64,
    /// The pool's height when last handed out for gossip (admission counts: the caller gossips new ones).
    gossiped_at: BlockNumber,
}

#[derive(Clone, Debug)]
struct Account {
    /// The account's next nonce in the state the pool last checked against.
    next_nonce: u64,
    /// Length of the contiguous chain `next_nonce, next_nonce + 1, …` in `txs`.
    ready: usize,
    /// Every pooled transaction of the account, all with nonce ≥ `next_nonce`.
    txs: BTreeMap<u64, Entry>,
}

impl Account {
    fn new(next_nonce: u64) -> Self {
        Self {
            next_nonce,
            ready: 0,
            txs: BTreeMap::new(),
        }
    }

    /// The first nonce neither in state nor in the ready chain.
    fn frontier(&self) -> u64 {
        self.next_nonce + self.ready as u64
    }

    /// Extends the ready chain over whatever follows it.
    fn extend_ready(&mut self) {
        let mut next = self.frontier();
        while self.txs.contains_key(&next) {
            self.ready += 1;
            next += 1;
        }
    }
}

/// A transaction that passed the pool-local checks.
struct Candidate {
    index: usize,
    tx: SignedTransaction,
    hash: Hash,
    bytes: usize,
    /// The account's next nonce in the state checked against.
    expected: u64,
}

/// The transaction pool. See the crate documentation for its rules.
#[derive(Clone, Debug)]
pub struct Pool {
    config: PoolConfig,
    executive: Executive,
    accounts: HashMap<AccountId, Account>,
    by_hash: HashMap<Hash, (AccountId, u64)>,
    bytes: usize,
    ready_len: usize,
    next_arrival: u64,
    /// The latest committed height the pool has seen (its clock for re-gossip).
    height: BlockNumber,
    /// Test seam: called before each signature batch.
    #[cfg(test)]
    pub(crate) verify_hook: tests::VerifyHook,
}

impl Pool {
    /// An empty pool for the chain `executive` runs.
    pub fn new(config: PoolConfig, executive: Executive) -> Self {
        Self {
            config,
            executive,
            accounts: HashMap::new(),
            by_hash: HashMap::new(),
            bytes: 0,
            ready_len: 0,
            next_arrival: 0,
            height: 0,
            #[cfg(test)]
            verify_hook: tests::VerifyHook::default(),
        }
    }

    /// The pool's bounds.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// Transactions held, ready and queued.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// Whether the pool holds nothing.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Encoded bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Transactions ready for the next block.
    pub fn ready_len(&self) -> usize {
        self.ready_len
    }

    /// Transactions queued behind a missing nonce.
    pub fn future_len(&self) -> usize {
        self.len() - self.ready_len
    }

    /// Accounts with at least one pooled transaction.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    /// Whether the transaction with this hash is pooled.
    pub fn contains(&self, hash: &Hash) -> bool {
        self.by_hash.contains_key(hash)
    }

    /// The pooled transaction with this hash.
    pub fn get(&self, hash: &Hash) -> Option<&SignedTransaction> {
        self.entry(hash).map(|e| &*e.tx)
    }

    /// Whether `tx` is, byte for byte, a pooled transaction — so its signature was verified at ingress and
    /// `build_block`/`execute_block` need not verify it again. Pass `&|tx| pool.is_verified(tx)` as their
    /// `Preverified`, or take a [`Pool::verified_set`] to release the pool's lock first.
    pub fn is_verified(&self, tx: &SignedTransaction) -> bool {
        self.accounts
            .get(&tx.signer)
            .and_then(|a| a.txs.get(&tx.nonce))
            .is_some_and(|e| *e.tx == *tx)
    }

    /// The transactions among `txs` the pool verified, to answer [`Pool::is_verified`] without the pool.
    pub fn verified_set(&self, txs: &[SignedTransaction]) -> VerifiedSet {
        let txs = txs
            .iter()
            .filter_map(|tx| {
                let entry = self.accounts.get(&tx.signer)?.txs.get(&tx.nonce)?;
                (*entry.tx == *tx).then(|| ((tx.signer, tx.nonce), entry.tx.clone()))
            })
            .collect();
        VerifiedSet { txs }
    }

    /// Decodes and submits transactions received as bytes (RPC, gossip): see [`Pool::submit`]. Bytes longer than
    /// the chain's transaction size limit (read from `state`) are refused before decoding.
    pub fn submit_bytes(
        &mut self,
        txs: Vec<Vec<u8>>,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        let limit = Externalities::new(state.clone())
            .execute_with(|| System::limits().max_transaction_bytes) as usize;
        let decoded = txs
            .iter()
            .map(|bytes| SignedTransaction::decode_checked(bytes, limit).map_err(PoolError::from))
            .collect();
        self.submit_inner(decoded, state)
    }

    /// Submits transactions checked against `state` (the latest committed state). Returns one result per
    /// transaction, in order: `Ok(hash)` for each one admitted now (gossip those), the reason for each one
    /// refused. See the crate documentation for the order of the checks.
    pub fn submit(
        &mut self,
        txs: Vec<SignedTransaction>,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        self.submit_inner(txs.into_iter().map(Ok).collect(), state)
    }

    fn submit_inner(
        &mut self,
        txs: Vec<Result<SignedTransaction, PoolError>>,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        if let Some(version) = state.version() {
            self.height = self.height.max(version);
        }
        let count = txs.len();
        let mut results: Vec<Option<Result<Hash, PoolError>>> = vec![None; count];
        let arrival_base = self.next_arrival;
        self.next_arrival += count as u64;

        // 1–2. Decoding verdicts and pool-local checks.
        let full = self.room_for(1).err();
        let mut batch_hashes = HashSet::with_capacity(count);
        let mut candidates = Vec::with_capacity(count);
        for (index, tx) in txs.into_iter().enumerate() {
            let tx = match tx {
                Ok(tx) => tx,
                Err(e) => {
                    results[index] = Some(Err(e));
                    continue;
                }
            };
            let encoded = tx.encode();
            let hash = sha256(&encoded);
            let refusal = if self.by_hash.contains_key(&hash) || !batch_hashes.insert(hash) {
                Some(PoolError::AlreadyKnown)
            } else if self.nonce_taken(&tx.signer, tx.nonce) {
                Some(PoolError::NonceTaken { nonce: tx.nonce })
            } else {
                full.clone()
            };
            match refusal {
                Some(e) => results[index] = Some(Err(e)),
                None => candidates.push(Candidate {
                    index,
                    tx,
                    hash,
                    bytes: encoded.len(),
                    expected: 0,
                }),
            }
        }

        // 3. State, one pass.
        if !candidates.is_empty() {
            let refs: Vec<&SignedTransaction> = candidates.iter().map(|c| &c.tx).collect();
            let checks = self.executive.check_transactions(state, &refs);
            let mut kept = Vec::with_capacity(candidates.len());
            for (mut c, check) in candidates.into_iter().zip(checks) {
                match check {
                    Ok(_) => c.expected = c.tx.nonce,
                    Err(InvalidTransaction::Future { expected, .. }) => c.expected = expected,
                    Err(e) => {
                        results[c.index] = Some(Err(e.into()));
                        continue;
                    }
                }
                kept.push(c);
            }
            candidates = kept;
        }

        // 4. Signatures, one batch.
        if !candidates.is_empty() {
            let refs: Vec<&SignedTransaction> = candidates.iter().map(|c| &c.tx).collect();
            let mut bad = vec![false; refs.len()];
            self.find_bad_signatures(&refs, 0, &mut bad);
            let mut kept = Vec::with_capacity(candidates.len());
            for (c, bad) in candidates.into_iter().zip(bad) {
                if bad {
                    results[c.index] = Some(Err(InvalidTransaction::BadSignature.into()));
                } else {
                    kept.push(c);
                }
            }
            candidates = kept;
        }

        // 5. Admission, nearest nonces first.
        candidates.sort_by_key(|c| (c.tx.nonce.saturating_sub(c.expected), c.index));
        for c in candidates {
            let index = c.index;
            results[index] = Some(self.admit(c, arrival_base + index as u64));
        }

        results
            .into_iter()
            .map(|r| r.expect("every submitted transaction gets a verdict"))
            .collect()
    }

    /// Places a checked, verified transaction, or says why not.
    fn admit(&mut self, c: Candidate, arrival: u64) -> Result<Hash, PoolError> {
        let signer = c.tx.signer;
        let nonce = c.tx.nonce;
        if let Some(account) = self.accounts.get(&signer) {
            // The pool's view of the account is authoritative between commits: a state newer than the pool's
            // (a block committed, `on_block_committed` not yet called) only makes the nonce look further ahead.
            if nonce < account.next_nonce {
                return Err(InvalidTransaction::Stale {
                    expected: account.next_nonce,
                    got: nonce,
                }
                .into());
            }
            if account.txs.contains_key(&nonce) {
                return Err(PoolError::NonceTaken { nonce });
            }
        }
        let frontier = self
            .accounts
            .get(&signer)
            .map_or(c.expected, Account::frontier);
        if nonce > frontier && nonce - frontier > self.config.max_nonce_gap {
            return Err(PoolError::NonceGapTooLarge {
                nonce,
                next: frontier,
                max_gap: self.config.max_nonce_gap,
            });
        }
        if self
            .accounts
            .get(&signer)
            .is_some_and(|a| a.txs.len() >= self.config.max_per_account)
        {
            return Err(PoolError::AccountLimit {
                limit: self.config.max_per_account,
            });
        }
        self.room_for(c.bytes)?;

        let entry = Entry {
            tx: Arc::new(c.tx),
            hash: c.hash,
            bytes: c.bytes,
            arrival,
            gossiped_at: self.height,
        };
        let account = self
            .accounts
            .entry(signer)
            .or_insert_with(|| Account::new(c.expected));
        account.txs.insert(nonce, entry);
        let before = account.ready;
        account.extend_ready();
        self.ready_len += account.ready - before;
        self.by_hash.insert(c.hash, (signer, nonce));
        self.bytes += c.bytes;
        Ok(c.hash)
    }

    /// `Err(Full)` unless one more transaction of `bytes` fits.
    fn room_for(&self, bytes: usize) -> Result<(), PoolError> {
        if self.len() >= self.config.max_transactions || self.bytes + bytes > self.config.max_bytes
        {
            return Err(PoolError::Full {
                transactions: self.len(),
                bytes: self.bytes,
            });
        }
        Ok(())
    }

    fn nonce_taken(&self, signer: &AccountId, nonce: u64) -> bool {
        self.accounts
            .get(signer)
            .is_some_and(|a| a.txs.contains_key(&nonce))
    }

    /// Marks in `bad` (indexed like `txs`, from `offset`) the transactions whose signature fails, batch-verifying
    /// and halving the unknown rest after each culprit.
    fn find_bad_signatures(&self, txs: &[&SignedTransaction], offset: usize, bad: &mut [bool]) {
        if txs.is_empty() {
            return;
        }
        #[cfg(test)]
        self.verify_hook.call();
        let ctx = self.executive.context();
        if let Err(i) = verify_batch(txs, &ctx.genesis_hash, ctx.spec_version) {
            // `verify_batch` checked 0..i one by one (good) and i (bad); what follows is unknown.
            bad[offset + i] = true;
            let rest = &txs[i + 1..];
            let mid = rest.len() / 2;
            self.find_bad_signatures(&rest[..mid], offset + i + 1, bad);
            self.find_bad_signatures(&rest[mid..], offset + i + 1 + mid, bad);
        }
    }

    /// Up to `max_count` ready transactions of at most `max_bytes` encoded in total, in the order a block should
    /// hold them: each account's in nonce order from its next nonce, accounts interleaved by arrival (the first
    /// to arrive among the accounts' next ready transactions goes first). A transaction that does not fit in the
    /// bytes left is skipped with the rest of its account; smaller ones of other accounts may still fit.
    pub fn ready(&self, max_count: usize, max_bytes: usize) -> Vec<SignedTransaction> {
        let mut heads: BinaryHeap<Reverse<(u64, AccountId, u64)>> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.ready > 0)
            .map(|(id, a)| Reverse((a.txs[&a.next_nonce].arrival, *id, a.next_nonce)))
            .collect();
        let mut out = Vec::with_capacity(max_count.min(self.ready_len));
        let mut bytes = 0usize;
        while out.len() < max_count {
            let Some(Reverse((_, id, nonce))) = heads.pop() else {
                break;
            };
            let account = &self.accounts[&id];
            let entry = &account.txs[&nonce];
            if bytes + entry.bytes > max_bytes {
                continue;
            }
            bytes += entry.bytes;
            out.push((*entry.tx).clone());
            let next = nonce + 1;
            if next < account.frontier() {
                heads.push(Reverse((account.txs[&next].arrival, id, next)));
            }
        }
        out
    }

    /// Updates the pool after `block` was committed; `state` is the state after it. Removes the block's
    /// transactions, then re-checks everything left against `state` in one pass: drops what is stale (nonce
    /// used), expired or signed by an account that is no longer an active member, and promotes queued
    /// transactions whose predecessors were included.
    pub fn on_block_committed(
        &mut self,
        block: &Block,
        state: Arc<dyn StateBackend>,
    ) -> CommitOutcome {
        self.height = self.height.max(block.header.number);
        let frontiers_before: HashMap<AccountId, u64> = self
            .accounts
            .iter()
            .map(|(id, a)| (*id, a.frontier()))
            .collect();

        let mut included = Vec::new();
        for tx in &block.extrinsics {
            if self.is_verified(tx) {
                if let Some(entry) = self.remove_entry(&tx.signer, tx.nonce) {
                    included.push(entry.hash);
                }
            }
        }

        let dropped = self.revalidate(state);

        let promoted = self
            .accounts
            .iter()
            .map(|(id, a)| {
                let old_end = frontiers_before.get(id).copied().unwrap_or(a.next_nonce);
                a.frontier().saturating_sub(old_end.max(a.next_nonce)) as usize
            })
            .sum();
        CommitOutcome {
            included,
            dropped,
            promoted,
        }
    }

    /// Re-runs the state checks over every pooled transaction; drops the invalid, resets each account's next nonce
    /// and ready chain.
    fn revalidate(&mut self, state: Arc<dyn StateBackend>) -> Vec<(Hash, InvalidTransaction)> {
        let (keys, verdicts) = {
            let mut keys = Vec::with_capacity(self.len());
            let mut refs = Vec::with_capacity(self.len());
            for (id, account) in &self.accounts {
                for (nonce, entry) in &account.txs {
                    keys.push((*id, *nonce));
                    refs.push(&*entry.tx);
                }
            }
            let verdicts = self.executive.check_transactions(state, &refs);
            (keys, verdicts)
        };

        let mut next_nonce: HashMap<AccountId, u64> = HashMap::with_capacity(self.accounts.len());
        let mut invalid = Vec::new();
        for ((id, nonce), verdict) in keys.into_iter().zip(verdicts) {
            match verdict {
                Ok(_) => {
                    next_nonce.insert(id, nonce);
                }
                Err(InvalidTransaction::Future { expected, .. }) => {
                    next_nonce.insert(id, expected);
                }
                Err(e) => {
                    if let InvalidTransaction::Stale { expected, .. } = e {
                        next_nonce.insert(id, expected);
                    }
                    invalid.push((id, nonce, e));
                }
            }
        }

        let mut dropped = Vec::with_capacity(invalid.len());
        for (id, nonce, e) in invalid {
            if let Some(entry) = self.remove_entry(&id, nonce) {
                dropped.push((entry.hash, e));
            }
        }
        for (id, next) in next_nonce {
            if let Some(account) = self.accounts.get_mut(&id) {
                self.ready_len -= account.ready;
                account.next_nonce = next;
                account.ready = 0;
                account.extend_ready();
                self.ready_len += account.ready;
            }
        }
        // Every account left had a transaction that was Ok or Future, so its next nonce was reset above.
        dropped
    }

    /// Takes the proposer's build results into account: of `rejected`, drops the pooled transactions that cannot
    /// be included whatever block is decided at this height — stale, expired, too large, bad signature — and
    /// keeps those refused as [`InvalidTransaction::Future`] (their predecessor was rejected) or for their
    /// signer (the refusing block may have changed the signer's standing and may not be decided);
    /// [`Pool::on_block_committed`] settles those. `deferred` transactions keep their place: they are offered
    /// first again, as they arrived first. Returns the dropped transactions with the reason.
    pub fn on_block_built(
        &mut self,
        rejected: &[(SignedTransaction, InvalidTransaction)],
        deferred: &[SignedTransaction],
    ) -> Vec<(Hash, InvalidTransaction)> {
        // Deferred transactions stay as they are; the parameter documents the build contract.
        let _ = deferred;
        let mut dropped = Vec::new();
        for (tx, error) in rejected {
            let certain = matches!(
                error,
                InvalidTransaction::Stale { .. }
                    | InvalidTransaction::Expired { .. }
                    | InvalidTransaction::TooLarge { .. }
                    | InvalidTransaction::BadSignature
            );
            if certain && self.is_verified(tx) {
                if let Some(entry) = self.remove_entry(&tx.signer, tx.nonce) {
                    dropped.push((entry.hash, error.clone()));
                }
            }
        }
        dropped
    }

    /// Up to `max_count` pooled transactions (ready and queued) that were last gossiped at least
    /// [`PoolConfig::regossip_after_blocks`] committed blocks ago, oldest arrival first, stamped as gossiped now.
    /// Call it periodically (e.g. after each commit) and gossip the result; new transactions are gossiped by the
    /// caller when [`Pool::submit`] admits them and are not returned here until they have aged.
    pub fn pending_for_gossip(&mut self, max_count: usize) -> Vec<SignedTransaction> {
        let height = self.height;
        let after = self.config.regossip_after_blocks;
        let mut due: Vec<(u64, AccountId, u64)> = self
            .accounts
            .iter()
            .flat_map(|(id, a)| {
                a.txs
                    .iter()
                    .filter(|(_, e)| height.saturating_sub(e.gossiped_at) >= after)
                    .map(move |(nonce, e)| (e.arrival, *id, *nonce))
            })
            .collect();
        due.sort_unstable();
        due.truncate(max_count);
        due.into_iter()
            .map(|(_, id, nonce)| {
                let entry = self
                    .accounts
                    .get_mut(&id)
                    .and_then(|a| a.txs.get_mut(&nonce))
                    .expect("collected from the pool just above");
                entry.gossiped_at = height;
                (*entry.tx).clone()
            })
            .collect()
    }

    fn entry(&self, hash: &Hash) -> Option<&Entry> {
        let (id, nonce) = self.by_hash.get(hash)?;
        self.accounts.get(id)?.txs.get(nonce)
    }

    /// Removes one transaction, keeping every total right; a removal inside a ready chain cuts the chain there.
    fn remove_entry(&mut self, signer: &AccountId, nonce: u64) -> Option<Entry> {
        let account = self.accounts.get_mut(signer)?;
        let entry = account.txs.remove(&nonce)?;
        if nonce < account.frontier() {
            let cut = (nonce - account.next_nonce) as usize;
            self.ready_len -= account.ready - cut;
            account.ready = cut;
        }
        if account.txs.is_empty() {
            self.accounts.remove(signer);
        }
        self.by_hash.remove(&entry.hash);
        self.bytes -= entry.bytes;
        Some(entry)
    }
}

#[cfg(test)]
mod tests;
