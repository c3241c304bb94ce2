//! Pool tests against a real chain: the `local` preset's genesis in a [`MemoryState`], transactions signed with the
//! dev keys, blocks built and executed by the runtime's `Executive`. Inside the crate so every test can also check
//! the pool's internal bookkeeping ([`assert_consistent`]).

mod attacks;
mod commit;
mod ingress;
mod ordering;
mod penalties;
mod verified;

use std::sync::Arc;

use yima_chain_spec::dev_keys::{dev_account, dev_key};
use yima_chain_spec::presets;
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{AccountId, BlockNumber};
use yima_membership::Call as MembershipCall;
use yima_runtime::executive::{BuiltBlock, Preverified};
use yima_runtime::{ChainContext, Executive, Header, RuntimeCall, SignedTransaction, SPEC_VERSION};

use crate::{Pool, PoolConfig};

/// The `local` preset's members, all able to sign: alice, bob, charlie (regulator), dave (manufacturer).
pub(crate) const MEMBERS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// One node's view of the `local` chain.
pub(crate) struct Chain {
    pub(crate) state: Arc<MemoryState>,
    pub(crate) head: Header,
    pub(crate) exec: Executive,
}

impl Chain {
    pub(crate) fn local() -> Self {
        let (genesis, state) = presets::local().genesis_in_memory().unwrap();
        let exec = Executive::new(ChainContext {
            genesis_hash: genesis.header.hash(),
            spec_version: SPEC_VERSION,
        });
        Chain {
            state,
            head: genesis.header,
            exec,
        }
    }

    pub(crate) fn backend(&self) -> Arc<dyn StateBackend> {
        self.state.clone()
    }

    pub(crate) fn pool(&self) -> Pool {
        Pool::new(PoolConfig::default(), self.exec)
    }

    pub(crate) fn pool_with(&self, config: PoolConfig) -> Pool {
        Pool::new(config, self.exec)
    }

    /// `name` approves proposal `tag` (a call that is always includable; `tag` tells transactions apart).
    pub(crate) fn tx(&self, name: &str, nonce: u64, tag: u32) -> SignedTransaction {
        self.tx_until(name, nonce, tag, self.head.number + 100)
    }

    pub(crate) fn tx_until(
        &self,
        name: &str,
        nonce: u64,
        tag: u32,
        valid_until: BlockNumber,
    ) -> SignedTransaction {
        self.sign(
            name,
            nonce,
            valid_until,
            RuntimeCall::Membership(MembershipCall::Approve { id: tag }),
        )
    }

    /// A governance proposal of about `size` bytes (refused when it runs, but includable).
    pub(crate) fn big_tx(&self, name: &str, nonce: u64, size: usize) -> SignedTransaction {
        let action = yima_membership::Action::AdmitOrganisation {
            name: vec![b'x'; size],
            kind: yima_membership::OrgKind::Manufacturer,
            uscc: yima_membership::Uscc::parse("91330100MA2Y00303G").unwrap(),
            admin: account("eve"),
            prefixes: vec![],
        };
        self.sign(
            name,
            nonce,
            self.head.number + 100,
            RuntimeCall::Membership(MembershipCall::Propose { action }),
        )
    }

    pub(crate) fn sign(
        &self,
        name: &str,
        nonce: u64,
        valid_until: BlockNumber,
        call: RuntimeCall,
    ) -> SignedTransaction {
        SignedTransaction::sign(
            &dev_key(name),
            &self.exec.context().genesis_hash,
            SPEC_VERSION,
            nonce,
            valid_until,
            call,
        )
    }

    /// Builds the next block from `txs` (proposer alice) without committing it.
    pub(crate) fn build(
        &self,
        txs: Vec<SignedTransaction>,
        preverified: Preverified<'_>,
    ) -> BuiltBlock {
        self.exec
            .build_block(
                self.backend(),
                &self.head,
                dev_account("alice"),
                self.head.timestamp + 1_000,
                txs,
                preverified,
            )
            .unwrap()
    }

    /// Commits a built block.
    pub(crate) fn commit(&mut self, built: &BuiltBlock) {
        self.state.commit(built.update.clone()).unwrap();
        self.head = built.block.header.clone();
    }

    /// Builds and commits the next block.
    pub(crate) fn produce(&mut self, txs: Vec<SignedTransaction>) -> BuiltBlock {
        let built = self.build(txs, &|_| false);
        assert!(built.rejected.is_empty(), "{:?}", built.rejected);
        self.commit(&built);
        built
    }
}

/// A copy of a transaction whose signature no longer verifies.
pub(crate) fn forged(tx: &SignedTransaction) -> SignedTransaction {
    let mut tx = tx.clone();
    tx.signature[0] ^= 1;
    tx
}

pub(crate) fn account(name: &str) -> AccountId {
    dev_account(name)
}

/// Recomputes every total and index of the pool from scratch and compares.
pub(crate) fn assert_consistent(pool: &Pool) {
    let mut len = 0;
    let mut bytes = 0;
    let mut ready = 0;
    for (id, account) in &pool.accounts {
        assert!(!account.txs.is_empty(), "empty account kept");
        assert!(account.txs.len() <= pool.config.max_per_account);
        for (nonce, entry) in &account.txs {
            assert!(*nonce >= account.next_nonce, "stale nonce kept");
            assert_eq!(entry.tx.signer, *id);
            assert_eq!(entry.tx.nonce, *nonce);
            assert_eq!(entry.hash, entry.tx.hash());
            assert_eq!(
                entry.bytes,
                parity_scale_codec::Encode::encoded_size(&*entry.tx)
            );
            assert_eq!(pool.by_hash.get(&entry.hash), Some(&(*id, *nonce)));
            len += 1;
            bytes += entry.bytes;
        }
        let mut chain = 0;
        while account.txs.contains_key(&(account.next_nonce + chain)) {
            chain += 1;
        }
        assert_eq!(account.ready as u64, chain, "ready chain length");
        ready += account.ready;
    }
    let mut per_org = std::collections::HashMap::new();
    for account in pool.accounts.values() {
        *per_org.entry(account.org).or_insert(0usize) += account.txs.len();
        if account.futures() > 0 {
            assert!(pool
                .with_futures
                .contains(&account.txs.values().next().unwrap().tx.signer));
        }
    }
    assert_eq!(per_org, pool.per_org, "per-organisation counts");
    assert!(per_org
        .values()
        .all(|n| *n <= pool.config.max_per_organisation));
    assert_eq!(len, pool.by_hash.len());
    assert_eq!(bytes, pool.bytes);
    assert_eq!(ready, pool.ready_len);
    assert!(len <= pool.config.max_transactions);
    assert!(bytes <= pool.config.max_bytes);
}

/// Unwraps a batch's results, all expected admitted.
pub(crate) fn all_ok(results: Vec<Result<yima_frame::Hash, crate::PoolError>>) {
    for (i, r) in results.iter().enumerate() {
        assert!(r.is_ok(), "transaction {i}: {r:?}");
    }
}

/// A test seam: a function the pool calls before each signature batch (to observe or pause verification).
#[derive(Clone, Default)]
pub(crate) struct VerifyHook(Option<Arc<dyn Fn() + Send + Sync>>);

impl VerifyHook {
    pub(crate) fn new(f: impl Fn() + Send + Sync + 'static) -> Self {
        Self(Some(Arc::new(f)))
    }

    pub(crate) fn call(&self) {
        if let Some(f) = &self.0 {
            f();
        }
    }
}

impl std::fmt::Debug for VerifyHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VerifyHook")
    }
}
