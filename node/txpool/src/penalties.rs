//! Penalties for transactions that ran out of weight.
//!
//! A transaction stopped at the chain's per-transaction weight limit (`DispatchError::WeightExhausted`) changed
//! nothing, yet cost every validator the whole limit. The proposer's fair share (`yima_runtime::fill`) lets one
//! organisation's such transactions into a contended block one at a time; a member that keeps sending them (an
//! OBSERVE bomb from each of its keys in turn) would still add the whole limit to every block. So, after a block
//! holding one is committed ([`Pool::on_weight_exhausted`]):
//!
//! - its **account** is refused ([`PoolError::CoolingDown`]) for [`PoolConfig::exhaustion_cooldown_blocks`]
//!   blocks, before any state read or signature check, and its pooled transactions are dropped;
//! - its **organisation** is throttled for as long: its pooled transactions are offered to a block
//!   ([`Pool::ready`]) only when no other organisation's are ready, and then one per block, so its other keys'
//!   bombs wait while honest members' transactions flow, and go in one at a time only when the chain is
//!   otherwise idle (each cooling its own account down).
//!
//! A later exhaustion of the same account or organisation restarts its cooldown. Every node sees the same
//! blocks, so every pool applies the same penalties; the chain's rules do not change (such a transaction is
//! still valid, and a block holding it is still accepted). An honest member whose transaction was too heavy
//! reads why in its `ExtrinsicFailed` event and in the pool's refusal, and splits the work.

use std::collections::HashMap;
use std::sync::Arc;

use yima_frame::externalities::Externalities;
use yima_frame::state::StateBackend;
use yima_frame::{AccountId, BlockNumber, Hash, OrgId};
use yima_runtime::Membership;

use crate::{Pool, PoolError};

/// Who is cooling down, and until when.
#[derive(Clone, Debug, Default)]
pub(crate) struct Penalties {
    /// Account → (block of its exhausted transaction, first block it is taken again).
    accounts: HashMap<AccountId, (BlockNumber, BlockNumber)>,
    /// Organisation → first block it is no longer throttled.
    organisations: HashMap<OrgId, BlockNumber>,
}

impl Penalties {
    /// The refusal for a transaction of `account`, while it cools down.
    pub(crate) fn refusal(&self, account: &AccountId) -> Option<PoolError> {
        self.accounts
            .get(account)
            .map(|&(at, until)| PoolError::CoolingDown { at, until })
    }

    /// Whether `org`'s transactions wait for a block no other organisation's fill.
    pub(crate) fn throttles(&self, org: OrgId) -> bool {
        self.organisations.contains_key(&org)
    }

    /// Whether any organisation is throttled (the fast path of [`Pool::ready`]).
    pub(crate) fn any_throttled(&self) -> bool {
        !self.organisations.is_empty()
    }

    /// Forgets the penalties that end at or before `height`.
    pub(crate) fn expire(&mut self, height: BlockNumber) {
        self.accounts.retain(|_, &mut (_, until)| until > height);
        self.organisations.retain(|_, &mut until| until > height);
    }
}

impl Pool {
    /// Takes note that the transactions of `signers` in the block just committed (at the pool's height) were
    /// stopped at the chain's per-transaction weight limit (`yima_runtime::outcome::weight_exhausted`): each
    /// account cools down and its organisation is throttled (see the module documentation); `state` (after the
    /// block) names the organisation of an account the pool no longer holds. Returns the pooled transactions
    /// of those accounts, dropped.
    pub fn on_weight_exhausted(
        &mut self,
        signers: &[AccountId],
        state: Arc<dyn StateBackend>,
    ) -> Vec<Hash> {
        if signers.is_empty() {
            return Vec::new();
        }
        let at = self.height;
        let until = at.saturating_add(self.config.exhaustion_cooldown_blocks);
        let unknown: Vec<AccountId> = signers
            .iter()
            .filter(|s| !self.accounts.contains_key(s))
            .copied()
            .collect();
        let resolved: HashMap<AccountId, OrgId> = Externalities::new(state).execute_with(|| {
            unknown
                .iter()
                .filter_map(|s| Some((*s, Membership::resolve_signer(s).ok()?.org)))
                .collect()
        });
        let mut dropped = Vec::new();
        for signer in signers {
            let org = self
                .accounts
                .get(signer)
                .map(|a| a.org)
                .or_else(|| resolved.get(signer).copied());
            self.penalties.accounts.insert(*signer, (at, until));
            if let Some(org) = org {
                self.penalties.organisations.insert(org, until);
            }
            let nonces: Vec<u64> = self
                .accounts
                .get(signer)
                .map(|a| a.txs.keys().copied().collect())
                .unwrap_or_default();
            dropped.extend(
                nonces
                    .into_iter()
                    .filter_map(|n| self.remove_entry(signer, n))
                    .map(|e| e.hash),
            );
        }
        dropped
    }

    /// Whether `account` is cooling down after a transaction of it ran out of weight (see
    /// [`Pool::on_weight_exhausted`]): the block of that transaction and the first block it is taken again.
    pub fn cooling_down(&self, account: &AccountId) -> Option<(BlockNumber, BlockNumber)> {
        self.penalties.accounts.get(account).copied()
    }
}
