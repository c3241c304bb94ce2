//! How a proposer fills a block when more is offered than fits: a policy of the proposer, not a rule of the
//! chain (a validator checks only the block's limits, see [`crate::executive`]).
//!
//! - **Fair shares.** While transactions of other organisations wait, one organisation may use at most
//!   [`ORG_SHARE_DIVISOR`]⁻¹ of the block's weight; its further transactions wait for a later block. One member
//!   whose transactions are heavy (or made heavy on purpose: an OBSERVE bomb runs to the per-transaction
//!   limit and is included as failed) thus takes at most its share plus one transaction per block, and the
//!   others' transactions go in beside it. An organisation alone in the pool may fill the block.
//! - **Crossing the limit.** A transaction that would take the block past its weight limit is deferred, and
//!   filling goes on with the next (a smaller one may fit), up to [`MAX_CROSSINGS`] times; then everything
//!   left is deferred, so a pool of heavy transactions costs a bounded amount of wasted execution.
//! - **Nonce order.** Once a transaction of an account is deferred, so is every later one of that account
//!   (they would fail as `Future` in this block and be dropped from the pool).

use std::collections::{HashMap, HashSet};

use yima_frame::{AccountId, OrgId, Weight};

use crate::transaction::SignedTransaction;
use crate::Membership;

/// An organisation's share of a contended block is one part in this many of its weight limit.
pub const ORG_SHARE_DIVISOR: u64 = 5;

/// Transactions deferred for crossing the block's weight limit before the proposer stops trying more.
pub const MAX_CROSSINGS: u32 = 3;

/// The proposer's bookkeeping while it fills one block.
pub(crate) struct Filler {
    share: Weight,
    org_of: HashMap<usize, OrgId>,
    used: HashMap<OrgId, Weight>,
    left: HashMap<OrgId, usize>,
    left_total: usize,
    held_back: HashSet<AccountId>,
    crossings: u32,
}

impl Filler {
    /// Bookkeeping for `candidates` (indices into `txs`) under `block_limit`. Must run inside the block's
    /// externalities, outside any transaction's meter: it resolves each signer's organisation from state (the
    /// proposer's own work, bounded by the block's transaction count, weighing nothing in the block).
    pub(crate) fn new(
        txs: &[SignedTransaction],
        candidates: &[usize],
        block_limit: Weight,
    ) -> Self {
        let mut orgs: HashMap<AccountId, Option<OrgId>> = HashMap::new();
        let mut org_of = HashMap::new();
        let mut left: HashMap<OrgId, usize> = HashMap::new();
        for &i in candidates {
            let signer = txs[i].signer;
            let org = *orgs
                .entry(signer)
                .or_insert_with(|| Membership::resolve_signer(&signer).ok().map(|s| s.org));
            if let Some(org) = org {
                org_of.insert(i, org);
                *left.entry(org).or_default() += 1;
            }
        }
        Self {
            share: Weight(block_limit.units() / ORG_SHARE_DIVISOR),
            left_total: org_of.len(),
            org_of,
            used: HashMap::new(),
            left,
            held_back: HashSet::new(),
            crossings: 0,
        }
    }

    /// Whether transaction `index` should wait for a later block: its account already has one waiting, or its
    /// organisation has used its share while others' transactions wait.
    pub(crate) fn holds_back(&self, index: usize, tx: &SignedTransaction) -> bool {
        if self.held_back.contains(&tx.signer) {
            return true;
        }
        let Some(org) = self.org_of.get(&index) else {
            return false;
        };
        let used = self.used.get(org).copied().unwrap_or_default();
        let others_waiting = self.left_total > self.left.get(org).copied().unwrap_or(0);
        used >= self.share && others_waiting
    }

    /// Transaction `index` waits for a later block, and so does the rest of its account's.
    pub(crate) fn defer(&mut self, index: usize, tx: &SignedTransaction) {
        self.held_back.insert(tx.signer);
        self.settle(index, Weight::ZERO);
    }

    /// Transaction `index` was decided (included weighing `weight`, or refused weighing nothing).
    pub(crate) fn settle(&mut self, index: usize, weight: Weight) {
        if let Some(org) = self.org_of.remove(&index) {
            let used = self.used.entry(org).or_default();
            *used = used.saturating_add(weight);
            if let Some(n) = self.left.get_mut(&org) {
                *n = n.saturating_sub(1);
            }
            self.left_total = self.left_total.saturating_sub(1);
        }
    }

    /// Transaction `index` would cross the block's limit: it waits; `true` when the proposer should stop
    /// trying more.
    pub(crate) fn crossed(&mut self, index: usize, tx: &SignedTransaction) -> bool {
        self.defer(index, tx);
        self.crossings += 1;
        self.crossings >= MAX_CROSSINGS
    }
}
