//! Room for one more transaction: the pool's bounds, the account and organisation quotas, and the eviction of
//! queued futures that keeps room for ready transactions; and the screen that refuses, before their signatures
//! are verified, the transactions admission would refuse anyway.
//!
//! A transaction that can go into the next block (ready) may evict futures; a future never evicts anything. The
//! victim is the highest nonce of the account holding the most futures within the bound that is exceeded — the
//! signer's own account, its organisation, or the whole pool — so a flood of gapped nonces pays first, and a
//! future is never evicted in favour of another future.

use std::collections::{HashMap, HashSet};

use yima_frame::{AccountId, OrgId};
use yima_runtime::InvalidTransaction;

use crate::{Account, Ingress, Pool, PoolError};

/// Where a bound applies, and so where a future may be evicted to respect it.
#[derive(Clone, Copy, Debug)]
enum Scope {
    Account(AccountId),
    Organisation(OrgId),
    Pool,
}

impl Pool {
    /// Makes room for one more transaction of `signer` (of organisation `org`) of `bytes` encoded: `Ok` when it
    /// fits every bound — after evicting futures if it is `ready` — else the first bound it exceeds.
    pub(crate) fn make_room(
        &mut self,
        signer: &AccountId,
        org: OrgId,
        bytes: usize,
        ready: bool,
    ) -> Result<(), PoolError> {
        loop {
            let (scope, error) = if self
                .accounts
                .get(signer)
                .is_some_and(|a| a.txs.len() >= self.config.max_per_account)
            {
                (
                    Scope::Account(*signer),
                    PoolError::AccountLimit {
                        limit: self.config.max_per_account,
                    },
                )
            } else if !ready
                && self.organisation_futures(org) >= self.config.max_futures_per_organisation
            {
                // Nothing to evict for a future: its bound is only ever met by refusing it.
                return Err(PoolError::FutureLimit {
                    limit: self.config.max_futures_per_organisation,
                });
            } else if self.organisation_len(org) >= self.config.max_per_organisation {
                (
                    Scope::Organisation(org),
                    PoolError::OrganisationLimit {
                        limit: self.config.max_per_organisation,
                    },
                )
            } else if let Err(full) = self.room_for(bytes) {
                (Scope::Pool, full)
            } else {
                return Ok(());
            };
            if !ready || !self.evict_future(scope) {
                return Err(error);
            }
        }
    }

    /// Evicts one future within `scope`; `false` if there is none.
    fn evict_future(&mut self, scope: Scope) -> bool {
        let accounts = &self.accounts;
        self.with_futures
            .retain(|id| accounts.get(id).is_some_and(|a| a.futures() > 0));
        let victim = self
            .with_futures
            .iter()
            .map(|id| (id, &self.accounts[id]))
            .filter(|(id, a)| match scope {
                Scope::Account(signer) => **id == signer,
                Scope::Organisation(org) => a.org == org,
                Scope::Pool => true,
            })
            .max_by_key(|(id, a)| (a.futures(), **id))
            .map(|(id, a)| {
                let nonce = *a
                    .txs
                    .keys()
                    .next_back()
                    .expect("an account with futures holds transactions");
                (*id, nonce)
            });
        let Some((id, nonce)) = victim else {
            return false;
        };
        self.remove_entry(&id, nonce);
        self.evicted += 1;
        true
    }

    /// Futures queued for accounts of `org` (one pass over the accounts that hold futures).
    pub(crate) fn organisation_futures(&self, org: OrgId) -> usize {
        self.with_futures
            .iter()
            .filter_map(|id| self.accounts.get(id))
            .filter(|a| a.org == org)
            .map(Account::futures)
            .sum()
    }

    /// Step 3½, after the state checks and before the signatures: refuses what admission would refuse against
    /// the pool as it is now, whatever the signature — a nonce the pool holds as used or taken, a gap past
    /// [`crate::PoolConfig::max_nonce_gap`], and a future past a bound (futures evict nothing). A flood of
    /// gapped nonces re-sent once the pool is full thus costs a state read each, not a signature check.
    /// Nothing is refused that admission would take: a batch's own chain of nonces counts as ready, and the
    /// bounds are judged without the batch's other transactions (admission judges again, in nonce order).
    pub(crate) fn screen_room(&self, ingress: &mut Ingress) {
        let Ingress {
            results,
            candidates,
            ..
        } = ingress;
        let in_batch: HashSet<(AccountId, u64)> = candidates
            .iter()
            .map(|c| (c.tx.signer, c.tx.nonce))
            .collect();
        let mut frontiers: HashMap<AccountId, u64> = HashMap::new();
        let mut org_futures: HashMap<OrgId, usize> = HashMap::new();
        candidates.retain(|c| {
            let signer = c.tx.signer;
            let nonce = c.tx.nonce;
            let pooled = self.accounts.get(&signer);
            // The frontier once the batch's own consecutive nonces are in, as admission (in nonce order) sees it.
            let frontier = *frontiers.entry(signer).or_insert_with(|| {
                let mut f = pooled.map_or(c.expected, Account::frontier);
                while in_batch.contains(&(signer, f)) {
                    f += 1;
                }
                f
            });
            let refusal = if let Some(next) = pooled.map(|a| a.next_nonce).filter(|&n| nonce < n) {
                Some(
                    InvalidTransaction::Stale {
                        expected: next,
                        got: nonce,
                    }
                    .into(),
                )
            } else if nonce > frontier && nonce - frontier > self.config.max_nonce_gap {
                Some(PoolError::NonceGapTooLarge {
                    nonce,
                    next: frontier,
                    max_gap: self.config.max_nonce_gap,
                })
            } else if nonce > frontier {
                let org = pooled.map_or(c.org, |a| a.org);
                let futures = *org_futures
                    .entry(org)
                    .or_insert_with(|| self.organisation_futures(org));
                if pooled.is_some_and(|a| a.txs.len() >= self.config.max_per_account) {
                    Some(PoolError::AccountLimit {
                        limit: self.config.max_per_account,
                    })
                } else if futures >= self.config.max_futures_per_organisation {
                    Some(PoolError::FutureLimit {
                        limit: self.config.max_futures_per_organisation,
                    })
                } else if self.organisation_len(org) >= self.config.max_per_organisation {
                    Some(PoolError::OrganisationLimit {
                        limit: self.config.max_per_organisation,
                    })
                } else {
                    self.room_for(c.bytes).err()
                }
            } else {
                None
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
}
