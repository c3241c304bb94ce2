//! # yima-txpool
//!
//! The node's transaction pool: a synchronous, I/O-free data structure ([`Pool`]) and the node's handle on it
//! ([`SharedPool`]), which owns the pool's lock and runs the expensive part of ingress — decoding, state checks,
//! signatures — outside it. The node drives it from its tasks (RPC and gossip ingress, block building, block
//! commit, periodic re-gossip); nothing here blocks on I/O, spawns or reads a clock (the pool's clock is the
//! committed height).
//!
//! ## Ingress ([`Pool::submit`], [`Pool::submit_bytes`])
//!
//! A batch of transactions goes through, in this order, each step refusing what it can before the next, more
//! expensive one runs:
//!
//! 1. decoding (`submit_bytes`: [`SignedTransaction::decode_checked`] under the chain's transaction size limit);
//! 2. pool-local checks: already in the pool ([`PoolError::AlreadyKnown`], also for a repeat inside the batch), the
//!    signer cooling down after a transaction ran out of weight ([`PoolError::CoolingDown`]), another
//!    transaction of the signer already holds that nonce ([`PoolError::NonceTaken`]), the pool is full of ready
//!    transactions, with no future left to evict ([`PoolError::Full`]);
//! 3. [`Executive::check_transactions`] in one pass over the state: size, validity window, active member, nonce
//!    (each signer read once per batch). [`InvalidTransaction::Future`] is not a refusal: the transaction is
//!    queued until its predecessors arrive. Then, against the pool as it is, what admission would refuse
//!    whatever the signature: a used or taken nonce, a gap too large, a future past a bound (futures evict
//!    nothing) — so a flood of gapped nonces re-sent to a full pool costs no signature check;
//! 4. signatures, in ONE ed25519 batch for everything still standing
//!    ([`yima_runtime::transaction::verify_batch`]); when the batch fails the culprits are found by halving, so `k`
//!    bad signatures cost `O(k · log n)` batches, never one batch per bad signature over the whole rest; once a
//!    sender's bad signatures reach [`PoolConfig::max_bad_signatures`] the rest of what it sent is refused
//!    unchecked ([`PoolError::Unverified`]);
//! 5. admission, lowest nonce distance first (so a batch holding nonces `n..n+k` of one account is admitted in
//!    nonce order whatever its order on the wire): [`PoolError::NonceTaken`] inside the batch,
//!    [`PoolError::NonceGapTooLarge`], [`PoolError::AccountLimit`], [`PoolError::FutureLimit`],
//!    [`PoolError::OrganisationLimit`], [`PoolError::Full`] — a *ready* transaction first evicts queued futures to
//!    make room (see Policies).
//!
//! [`SharedPool`] runs step 1 and steps 3–4 without the lock, and takes it briefly for step 2 (a hash lookup per
//! transaction) and step 5, so block building, block execution and RPC readers never wait for a signature batch.
//!
//! State checks run before signatures (as in [`Executive::validate_transaction`]) because they are two orders of
//! magnitude cheaper: stale re-gossip of included transactions, expired or non-member transactions never cost a
//! signature check. Claiming a nonce slot inside a batch happens only after the signature verified, so a forged
//! copy cannot take the slot of the genuine transaction.
//!
//! The result has one entry per submitted transaction, in order. `Ok(hash)` means *new and admitted*: the network
//! layer gossips those that are ready ([`Pool::is_ready`]; futures once they become ready, by re-gossip) and
//! nothing that came back [`PoolError::AlreadyKnown`].
//!
//! ## Policies
//!
//! - **No replacement.** There are no fees, so there is nothing to rank two transactions of one signer and nonce
//!   by; the first one admitted keeps the slot ([`PoolError::NonceTaken`]) until it is included, found invalid or
//!   expires (`valid_until`).
//! - **Ready before future.** A *ready* transaction (its nonce is the account's frontier, so it can go into the
//!   next block) that meets a full pool, or its account's or organisation's quota, evicts queued futures to make
//!   room: the highest nonce of the account holding the most futures (within that account or organisation when
//!   the quota is theirs). A future never evicts anything and is refused with [`PoolError::Full`] (or the quota's
//!   error). Ready transactions never displace each other: without fees none is "better", and evicting the newest
//!   arrivals to admit newer ones would only churn. So accounts flooding gapped nonces hold the pool's free
//!   space, never the room of a transaction that can be included.
//! - **Futures age out.** A transaction still queued behind a missing nonce [`PoolConfig::future_lifetime_blocks`]
//!   committed blocks after its admission is dropped ([`CommitOutcome::aged_out`]): a predecessor that never
//!   comes does not hold the slot until `valid_until`.
//! - **Quotas.** One account holds at most [`PoolConfig::max_per_account`] transactions, one organisation (the
//!   signer's, from membership state) at most [`PoolConfig::max_per_organisation`], of which at most
//!   [`PoolConfig::max_futures_per_organisation`] futures, so neither one key nor one member organisation's many
//!   keys can take the pool, or make every node verify a flood of transactions that cannot be included.
//! - **Out of weight** (`penalties.rs`). After a block in which a transaction was stopped at the chain's
//!   per-transaction weight limit ([`Pool::on_weight_exhausted`]), its account is refused
//!   ([`PoolError::CoolingDown`]) and its organisation's transactions wait while others' are ready, for
//!   [`PoolConfig::exhaustion_cooldown_blocks`].
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
//! everything left in one pass against the new state (one standing and nonce read per account, however many
//! of its transactions wait): stale (nonce used), expired and no-longer-member
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

mod config;
mod error;
mod ingress;
mod penalties;
mod room;
mod shared;
mod signatures;
mod verified_set;

use ingress::{Candidate, Checker, Ingress};
use penalties::Penalties;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::sync::Arc;

use parity_scale_codec::Encode;
use yima_frame::externalities::Externalities;
use yima_frame::state::StateBackend;
use yima_frame::{sha256, AccountId, BlockNumber, Hash, OrgId};
use yima_runtime::{Block, Executive, InvalidTransaction, Membership, SignedTransaction, System};

pub use config::*;
pub use error::PoolError;
pub use shared::SharedPool;
use signatures::SignatureVerdict;
pub use verified_set::VerifiedSet;

/// What committing a block did to the pool.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommitOutcome {
    /// Pooled transactions the block included, removed.
    pub included: Vec<Hash>,
    /// Transactions dropped because they can no longer be included, with the reason.
    pub dropped: Vec<(Hash, InvalidTransaction)>,
    /// Transactions that were queued and are ready now.
    pub promoted: usize,
    /// Queued transactions dropped because they waited [`PoolConfig::future_lifetime_blocks`] for a missing nonce.
    pub aged_out: Vec<Hash>,
}

#[derive(Clone, Debug)]
struct Entry {
    tx: Arc<SignedTransaction>,
    hash: Hash,
    /// SCALE size.
    bytes: usize,
    /// Admission sequence number (unique, increasing).
    arrival: u64,
    /// The pool's height when last handed out for gossip (admission counts for a ready transaction: the caller
    /// gossips it); `None` for a future never gossiped (handed out once it is ready).
    gossiped_at: Option<BlockNumber>,
    /// The pool's height at admission (futures age from it).
    admitted_at: BlockNumber,
}

#[derive(Clone, Debug)]
struct Account {
    /// The account's next nonce in the state the pool last checked against.
    next_nonce: u64,
    /// Length of the contiguous chain `next_nonce, next_nonce + 1, …` in `txs`.
    ready: usize,
    /// Every pooled transaction of the account, all with nonce ≥ `next_nonce`.
    txs: BTreeMap<u64, Entry>,
    /// The signer's organisation when its first pooled transaction was admitted.
    org: OrgId,
}

impl Account {
    fn new(next_nonce: u64, org: OrgId) -> Self {
        Self {
            next_nonce,
            ready: 0,
            txs: BTreeMap::new(),
            org,
        }
    }

    /// Transactions queued behind a missing nonce.
    fn futures(&self) -> usize {
        self.txs.len() - self.ready
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
    /// The latest committed height the pool has seen (its clock for re-gossip and ageing).
    height: BlockNumber,
    /// Transactions pooled per organisation.
    per_org: HashMap<OrgId, usize>,
    /// Accounts that may hold futures (a superset, pruned when eviction looks): where eviction looks.
    with_futures: HashSet<AccountId>,
    /// Futures evicted to admit ready transactions, since the start.
    evicted: u64,
    /// Accounts and organisations whose transactions ran out of weight.
    penalties: Penalties,
    checker: Checker,
}

impl Pool {
    /// An empty pool for the chain `executive` runs.
    pub fn new(config: PoolConfig, executive: Executive) -> Self {
        Self {
            executive,
            accounts: HashMap::new(),
            by_hash: HashMap::new(),
            bytes: 0,
            ready_len: 0,
            next_arrival: 0,
            height: 0,
            per_org: HashMap::new(),
            with_futures: HashSet::new(),
            evicted: 0,
            penalties: Penalties::default(),
            checker: Checker {
                executive,
                max_bad_signatures: config.max_bad_signatures.max(1),
                #[cfg(test)]
                verify_hook: tests::VerifyHook::default(),
            },
            config,
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

    /// Transactions pooled whose signers belong to organisation `org`.
    pub fn organisation_len(&self, org: OrgId) -> usize {
        self.per_org.get(&org).copied().unwrap_or(0)
    }

    /// Futures evicted to make room for ready transactions since the pool was created.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// Whether the transaction with this hash is pooled.
    pub fn contains(&self, hash: &Hash) -> bool {
        self.by_hash.contains_key(hash)
    }

    /// Whether the transaction with this hash is pooled and ready (can go into the next block). Only ready
    /// transactions are gossiped: a queued future costs no peer a signature check until it can be included.
    pub fn is_ready(&self, hash: &Hash) -> bool {
        self.by_hash
            .get(hash)
            .is_some_and(|(id, nonce)| self.accounts.get(id).is_some_and(|a| *nonce < a.frontier()))
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
        let senders = vec![0; txs.len()];
        let ingress = Ingress::decode(txs, &senders, &state);
        self.submit_ingress(ingress, state)
    }

    /// Submits transactions checked against `state` (the latest committed state). Returns one result per
    /// transaction, in order: `Ok(hash)` for each one admitted now (gossip those), the reason for each one
    /// refused. See the crate documentation for the order of the checks. Everything runs on `&mut self`: a pool
    /// behind a lock holds it throughout; [`SharedPool`] does not.
    pub fn submit(
        &mut self,
        txs: Vec<SignedTransaction>,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        let senders = vec![0; txs.len()];
        let ingress = Ingress::new(txs.into_iter().map(Ok).collect(), &senders, &state);
        self.submit_ingress(ingress, state)
    }

    fn submit_ingress(
        &mut self,
        mut ingress: Ingress,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        self.screen(&mut ingress);
        self.checker.check_state(&mut ingress, state);
        self.screen_room(&mut ingress);
        self.checker.check_signatures(&mut ingress);
        self.admit_all(ingress)
    }

    /// Step 2, the pool-local checks (a hash and a nonce lookup each): already pooled, repeated in the batch,
    /// nonce taken, pool full of ready transactions (nothing to evict).
    fn screen(&self, ingress: &mut Ingress) {
        let full = self.room_for(1).err().filter(|_| self.future_len() == 0);
        let mut batch_hashes = HashSet::with_capacity(ingress.candidates.len());
        let Ingress {
            results,
            candidates,
            ..
        } = ingress;
        candidates.retain(|c| {
            let refusal = if self.by_hash.contains_key(&c.hash) || !batch_hashes.insert(c.hash) {
                Some(PoolError::AlreadyKnown)
            } else if let Some(cooling) = self.penalties.refusal(&c.tx.signer) {
                Some(cooling)
            } else if self.nonce_taken(&c.tx.signer, c.tx.nonce) {
                Some(PoolError::NonceTaken { nonce: c.tx.nonce })
            } else {
                full.clone()
            };
            match refusal {
                Some(e) => {
                    results[c.index] = Some(Err(e));
                    false
                }
                None => true,
            }
        });
    }

    /// Step 5: admits what is left, nearest nonces first; one verdict per submitted transaction.
    fn admit_all(&mut self, ingress: Ingress) -> Vec<Result<Hash, PoolError>> {
        let Ingress {
            mut results,
            mut candidates,
            version,
        } = ingress;
        if let Some(version) = version {
            self.height = self.height.max(version);
        }
        let arrival_base = self.next_arrival;
        self.next_arrival += results.len() as u64;
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
        // Another caller may have admitted it since step 2 (the lock was released in between).
        if self.by_hash.contains_key(&c.hash) {
            return Err(PoolError::AlreadyKnown);
        }
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
        let org = self.accounts.get(&signer).map_or(c.org, |a| a.org);
        self.make_room(&signer, org, c.bytes, nonce == frontier)?;

        let entry = Entry {
            tx: Arc::new(c.tx),
            hash: c.hash,
            bytes: c.bytes,
            arrival,
            gossiped_at: None,
            admitted_at: self.height,
        };
        let account = self
            .accounts
            .entry(signer)
            .or_insert_with(|| Account::new(c.expected, org));
        account.txs.insert(nonce, entry);
        let before = account.ready;
        account.extend_ready();
        self.ready_len += account.ready - before;
        if nonce < account.frontier() {
            // Ready: the caller gossips it now (a future is gossiped once it is ready, by re-gossip).
            if let Some(entry) = account.txs.get_mut(&nonce) {
                entry.gossiped_at = Some(self.height);
            }
        }
        if account.futures() > 0 {
            self.with_futures.insert(signer);
        }
        *self.per_org.entry(org).or_insert(0) += 1;
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

    /// Up to `max_count` ready transactions of at most `max_bytes` encoded in total, in the order a block should
    /// hold them: each account's in nonce order from its next nonce, accounts interleaved by arrival (the first
    /// to arrive among the accounts' next ready transactions goes first). A transaction that does not fit in the
    /// bytes left is skipped with the rest of its account; smaller ones of other accounts may still fit.
    pub fn ready(&self, max_count: usize, max_bytes: usize) -> Vec<SignedTransaction> {
        // Throttled organisations' transactions wait while any other organisation's are ready (penalties.rs).
        let waits = |a: &Account| self.penalties.throttles(a.org);
        let others_ready = self.penalties.any_throttled()
            && self.accounts.values().any(|a| a.ready > 0 && !waits(a));
        let mut heads: BinaryHeap<Reverse<(u64, AccountId, u64)>> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.ready > 0 && !(others_ready && waits(a)))
            .map(|(id, a)| Reverse((a.txs[&a.next_nonce].arrival, *id, a.next_nonce)))
            .collect();
        // When they do go in (nothing else is ready), one transaction per throttled organisation and block.
        let mut throttled_taken: HashSet<OrgId> = HashSet::new();
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
            if waits(account) && !throttled_taken.insert(account.org) {
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
        let aged_out = self.age_futures();
        self.penalties.expire(self.height);

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
            aged_out,
        }
    }

    /// Drops the futures admitted [`PoolConfig::future_lifetime_blocks`] or more blocks ago.
    fn age_futures(&mut self) -> Vec<Hash> {
        let (height, lifetime) = (self.height, self.config.future_lifetime_blocks);
        let old: Vec<(AccountId, u64)> = self
            .with_futures
            .iter()
            .filter_map(|id| Some((id, self.accounts.get(id)?)))
            .flat_map(|(id, a)| {
                a.txs
                    .range(a.frontier()..)
                    .filter(|(_, e)| height.saturating_sub(e.admitted_at) >= lifetime)
                    .map(move |(nonce, _)| (*id, *nonce))
            })
            .collect();
        old.into_iter()
            .filter_map(|(id, nonce)| self.remove_entry(&id, nonce))
            .map(|e| e.hash)
            .collect()
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
                if account.futures() > 0 {
                    self.with_futures.insert(id);
                }
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

    /// Up to `max_count` ready transactions that were last gossiped at least
    /// [`PoolConfig::regossip_after_blocks`] committed blocks ago, or never (futures that became ready), oldest
    /// arrival first, stamped as gossiped now. Call it periodically (e.g. after each commit) and gossip the
    /// result; new ready transactions are gossiped by the caller when [`Pool::submit`] admits them
    /// ([`Pool::is_ready`]) and are not returned here until they have aged. Futures are never gossiped.
    pub fn pending_for_gossip(&mut self, max_count: usize) -> Vec<SignedTransaction> {
        let height = self.height;
        let after = self.config.regossip_after_blocks;
        let mut due: Vec<(u64, AccountId, u64)> = self
            .accounts
            .iter()
            .flat_map(|(id, a)| {
                a.txs
                    .range(..a.frontier())
                    .filter(|(_, e)| {
                        e.gossiped_at
                            .is_none_or(|at| height.saturating_sub(at) >= after)
                    })
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
                entry.gossiped_at = Some(height);
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
            if account.futures() > 0 {
                self.with_futures.insert(*signer);
            }
        }
        let org = account.org;
        if account.txs.is_empty() {
            self.accounts.remove(signer);
        }
        if let Some(count) = self.per_org.get_mut(&org) {
            *count -= 1;
            if *count == 0 {
                self.per_org.remove(&org);
            }
        }
        self.by_hash.remove(&entry.hash);
        self.bytes -= entry.bytes;
        Some(entry)
    }
}

#[cfg(test)]
mod tests;
