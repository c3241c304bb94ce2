//! [`SharedPool`]: the pool behind its own lock, with ingress that verifies first and locks briefly to admit.
//!
//! Ingress costs little under the lock — a hash and a nonce lookup per transaction before the checks (so gossip
//! duplicates cost no state read and no signature), the pool's bounds between the state checks and the
//! signatures (so what the pool would refuse anyway costs no signature), the admission after them — and
//! everything expensive runs without it: decoding, the state checks (one pass over a state snapshot) and the
//! signature batches. Block
//! building, block execution ([`Pool::verified_set`]) and RPC readers take the same lock and never wait for a
//! signature batch, however many forged transactions a request carries.
//!
//! Between the two locked steps another caller may admit a transaction of the same account; admission re-checks
//! everything that can change (already pooled, nonce taken, stale, gap, quotas, room), so the outcome is one
//! [`Pool::submit`] could have produced.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use yima_frame::state::StateBackend;
use yima_frame::Hash;
use yima_runtime::{Executive, SignedTransaction};

use crate::{Checker, Ingress, Pool, PoolConfig, PoolError};

/// The node's pool: [`Pool`] behind a mutex it owns, with ingress that does not hold it while verifying.
#[derive(Debug)]
pub struct SharedPool {
    pool: Mutex<Pool>,
    checker: Checker,
}

impl SharedPool {
    /// An empty pool for the chain `executive` runs.
    pub fn new(config: PoolConfig, executive: Executive) -> Self {
        let pool = Pool::new(config, executive);
        Self {
            checker: pool.checker.clone(),
            pool: Mutex::new(pool),
        }
    }

    /// The pool, locked: keep the guard briefly (reads, block results, commits).
    pub fn lock(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`Pool::submit_bytes`] with the decoding, state checks and signatures outside the lock; one sender.
    pub fn submit_bytes(
        &self,
        txs: Vec<Vec<u8>>,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        let senders = vec![0; txs.len()];
        self.submit_bytes_from(txs, &senders, state)
    }

    /// [`SharedPool::submit_bytes`] of transactions from several senders: `senders[i]` tells who sent `txs[i]`
    /// (gossip: one id per peer), and [`PoolConfig::max_bad_signatures`] applies to each sender alone, so one
    /// forger's transactions cannot get another sender's refused unchecked.
    pub fn submit_bytes_from(
        &self,
        txs: Vec<Vec<u8>>,
        senders: &[usize],
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        let ingress = Ingress::decode(txs, senders, &state);
        self.submit_ingress(ingress, state)
    }

    /// [`Pool::submit`] with the state checks and signatures outside the lock.
    pub fn submit(
        &self,
        txs: Vec<SignedTransaction>,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        let senders = vec![0; txs.len()];
        let ingress = Ingress::new(txs.into_iter().map(Ok).collect(), &senders, &state);
        self.submit_ingress(ingress, state)
    }

    fn submit_ingress(
        &self,
        mut ingress: Ingress,
        state: Arc<dyn StateBackend>,
    ) -> Vec<Result<Hash, PoolError>> {
        self.lock().screen(&mut ingress);
        self.checker.check_state(&mut ingress, state);
        self.lock().screen_room(&mut ingress);
        self.checker.check_signatures(&mut ingress);
        self.lock().admit_all(ingress)
    }

    /// Which of these pooled transactions are ready ([`Pool::is_ready`]), under one short lock: the network
    /// forwards those and leaves futures to re-gossip.
    pub fn ready_among(&self, hashes: &[Hash]) -> Vec<bool> {
        let pool = self.lock();
        hashes.iter().map(|h| pool.is_ready(h)).collect()
    }

    /// Test seam: the function called before each signature batch.
    #[cfg(test)]
    pub(crate) fn set_verify_hook(&mut self, hook: crate::tests::VerifyHook) {
        self.checker.verify_hook = hook;
    }
}
