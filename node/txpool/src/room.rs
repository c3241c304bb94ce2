//! Room for one more transaction: the pool's bounds, the account and organisation quotas, and the eviction of
//! queued futures that keeps room for ready transactions.
//!
//! A transaction that can go into the next block (ready) may evict futures; a future never evicts anything. The
//! victim is the highest nonce of the account holding the most futures within the bound that is exceeded — the
//! signer's own account, its organisation, or the whole pool — so a flood of gapped nonces pays first, and a
//! future is never evicted in favour of another future.

use yima_frame::{AccountId, OrgId};

use crate::{Pool, PoolError};

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
}
