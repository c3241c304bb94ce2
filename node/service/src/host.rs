//! [`NodeHost`]: the consensus [`Host`] over the RocksDB [`Store`], the runtime's [`Executive`] and the
//! transaction [`Pool`].
//!
//! - Blocks are built from [`Pool::ready`] with the pool as `Preverified` (a pooled transaction's signature was
//!   checked at ingress and is not checked again).
//! - Each block is executed once: the built or executed result (state update and events) is cached by block hash
//!   until [`Host::commit`] writes it — block, certificate, state, events and indexes in the store's one write
//!   batch — after which the pool drops what the block included and re-checks the rest.
//! - Undecided proposals live in the store's `undecided` column family.
//! - The validators of a height are read from the state after the previous block.
//! - A restart resumes from the store's head.
//! - Building, executing and committing a block are timed into [`Metrics`].
//! - Transactions [`NodeHost::submit`] admits (RPC ingress) are gossiped once the network is connected
//!   ([`NodeHost::set_network`]).

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use parity_scale_codec::{Decode, Encode};
use tokio::sync::broadcast;
use yima_consensus::evidence::Equivocation;
use yima_consensus::{Host, HostError, UndecidedBlock};
use yima_frame::event::RawEvent;
use yima_frame::externalities::Externalities;
use yima_frame::state::{KeyValues, StateBackend, StateChanges, StateError, StateUpdate};
use yima_frame::{AccountId, BlockNumber, Hash};
use yima_membership::Validator;
use yima_runtime::{
    Block, BlockError, ChainContext, Executive, Header, Membership, System, SPEC_VERSION,
};
use yima_storage::{RocksState, StorageError, Store};
use yima_txpool::{Pool, PoolConfig, SharedPool};

use crate::metrics::Metrics;

/// Most transactions offered to one block (the executive defers what does not fit the chain's limits).
const MAX_BLOCK_TXS: usize = 20_000;
/// Most encoded bytes offered to one block: about 45,000 custody events, under a second of execution on every
/// validator. The chain allows 16 MiB, but a proposal every validator needs seconds to execute outruns the
/// round's propose timeout again and again (seen with 200,000 events in flight on a debug 4-validator net:
/// no decision by round 29); smaller blocks keep heights deciding, and a busy pool fills the next ones.
const MAX_BLOCK_BYTES: usize = 4 * 1024 * 1024;

/// Share of the proposer's time budget after which [`Host::build_block`] stops taking transactions (the rest
/// wait for the next block): the last one taken may still run to the chain's per-transaction weight.
const STOP_AT_BUDGET_FRACTION: f64 = 0.75;

/// A built or executed block waiting for its decision.
struct Executed {
    update: StateUpdate,
    events: Vec<RawEvent>,
}

/// The node as consensus sees it. Shared (`Arc`) between consensus, RPC and the service.
pub struct NodeHost {
    store: Store,
    executive: Executive,
    genesis: Hash,
    pool: SharedPool,
    executed: Mutex<HashMap<Hash, Executed>>,
    finalized: broadcast::Sender<Header>,
    metrics: Metrics,
    /// The gossip network, once started: what [`NodeHost::submit`] admits is published to it.
    network: OnceLock<yima_network::NetworkHandle>,
}

fn local(e: impl std::fmt::Display) -> HostError {
    HostError::Local(e.to_string())
}

/// The state as of one past version, read-only: enough to read single values (the validator set) at a
/// committed height.
struct StateAt {
    state: RocksState,
    version: BlockNumber,
}

impl StateBackend for StateAt {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
        Ok(self.state.get_at(key, self.version)?)
    }

    fn scan_prefix(&self, _prefix: &[u8]) -> Result<KeyValues, StateError> {
        Err(StateError::Backend(
            "prefix scans of a past state are not supported".into(),
        ))
    }

    fn version(&self) -> Option<u64> {
        Some(self.version)
    }

    fn root(&self) -> Hash {
        self.state.root_at(self.version).unwrap_or_default()
    }

    fn prepare(&self, _version: u64, _changes: StateChanges) -> Result<StateUpdate, StateError> {
        Err(StateError::Backend("a past state is read-only".into()))
    }
}

impl NodeHost {
    /// A host over `store`, which must hold genesis.
    pub fn new(store: Store, pool_config: PoolConfig) -> Result<Arc<Self>, HostError> {
        let genesis = store
            .genesis_hash()
            .map_err(local)?
            .ok_or_else(|| local("the store holds no genesis"))?;
        let executive = Executive::new(ChainContext {
            genesis_hash: genesis,
            spec_version: SPEC_VERSION,
        });
        let (finalized, _) = broadcast::channel(256);
        Ok(Arc::new(Self {
            store,
            executive,
            genesis,
            pool: SharedPool::new(pool_config, executive),
            executed: Mutex::new(HashMap::new()),
            finalized,
            metrics: Metrics::new(),
            network: OnceLock::new(),
        }))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The node's Prometheus metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The transaction pool (lock briefly).
    pub fn pool(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock()
    }

    /// The pool's ingress, which checks transactions without holding the pool's lock.
    pub fn pool_ingress(&self) -> &SharedPool {
        &self.pool
    }

    fn executed(&self) -> MutexGuard<'_, HashMap<Hash, Executed>> {
        self.executed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Headers of blocks as they are committed.
    pub fn subscribe_finalized(&self) -> broadcast::Receiver<Header> {
        self.finalized.subscribe()
    }

    /// The state at the head, for the pool and for queries.
    pub fn state(&self) -> Result<Arc<dyn StateBackend>, StorageError> {
        Ok(Arc::new(self.store.state()?))
    }

    /// Submits encoded transactions to the pool, checked against the head's state; what the pool admits as
    /// ready is gossiped (RPC ingress; gossip ingress goes through `yima_network::TransactionSink` and is not re-published).
    pub fn submit(
        &self,
        txs: Vec<Vec<u8>>,
    ) -> Result<Vec<Result<Hash, yima_txpool::PoolError>>, StorageError> {
        let state = self.state()?;
        let network = self.network.get();
        let copies = network.map(|_| txs.clone());
        let results = self.pool.submit_bytes(txs, state);
        self.metrics.observe_ingress(&results);
        if let (Some(network), Some(copies)) = (network, copies) {
            // Only what can go into the next block: futures are gossiped once ready, by re-gossip.
            let admitted: Vec<(Vec<u8>, Hash)> = copies
                .into_iter()
                .zip(&results)
                .filter_map(|(tx, r)| Some((tx, *r.as_ref().ok()?)))
                .collect();
            let hashes: Vec<Hash> = admitted.iter().map(|(_, h)| *h).collect();
            let ready = self.pool.ready_among(&hashes);
            network.publish(
                admitted
                    .into_iter()
                    .zip(ready)
                    .filter(|(_, ready)| *ready)
                    .map(|((tx, _), _)| tx)
                    .collect(),
            );
        }
        Ok(results)
    }

    /// Connects the gossip network (once, at start).
    pub fn set_network(&self, network: yima_network::NetworkHandle) {
        let _ = self.network.set(network);
    }

    /// The gossip network, once started.
    pub fn network(&self) -> Option<&yima_network::NetworkHandle> {
        self.network.get()
    }

    /// The head's header and the state at that head, consistent with each other.
    fn head_and_state(&self) -> Result<(Header, RocksState), HostError> {
        let state = self.store.state().map_err(local)?;
        let number = state.head().ok_or_else(|| local("no genesis"))?;
        let header = self
            .store
            .header(number)
            .map_err(local)?
            .ok_or_else(|| local(format!("header {number} missing")))?;
        Ok((header, state))
    }
}

impl Host for NodeHost {
    fn genesis_hash(&self) -> Hash {
        self.genesis
    }

    fn latest(&self) -> Result<(BlockNumber, Header), HostError> {
        let header = self
            .store
            .head()
            .map_err(local)?
            .ok_or_else(|| local("no genesis"))?;
        Ok((header.number, header))
    }

    fn validators_for(&self, height: BlockNumber) -> Result<Vec<Validator>, HostError> {
        let state = self.store.state().map_err(local)?;
        let head = state.head().ok_or_else(|| local("no genesis"))?;
        let version = height
            .checked_sub(1)
            .ok_or_else(|| local("no validators decide height 0"))?;
        if version > head {
            return Err(local(format!(
                "no validator set known for height {height} (head {head})"
            )));
        }
        let backend: Arc<dyn StateBackend> = if version == head {
            Arc::new(state)
        } else {
            Arc::new(StateAt { state, version })
        };
        Ok(Externalities::new(backend).execute_with(Membership::validators))
    }

    fn build_block(
        &self,
        height: BlockNumber,
        _round: u32,
        proposer: AccountId,
        budget: Duration,
    ) -> Result<Block, HostError> {
        let (parent, state) = self.head_and_state()?;
        if parent.number + 1 != height {
            return Err(local(format!(
                "asked to build {height} on {}",
                parent.number
            )));
        }
        let (txs, verified) = {
            let pool = self.pool();
            let txs = pool.ready(MAX_BLOCK_TXS, MAX_BLOCK_BYTES);
            let verified = pool.verified_set(&txs);
            (txs, verified)
        };
        let timestamp = yima_consensus::clock::now_ms().max(parent.timestamp + 1);
        let started = Instant::now();
        // The runtime asks before each transaction; the one it then runs may take up to the chain's
        // per-transaction weight, so stop taking more at three quarters of the budget.
        let deadline = started + budget.mul_f64(STOP_AT_BUDGET_FRACTION);
        let built = self
            .executive
            .build_block_until(
                Arc::new(state),
                &parent,
                proposer,
                timestamp,
                txs,
                &|tx| verified.contains(tx),
                &|| Instant::now() >= deadline,
            )
            .map_err(local)?;
        self.metrics.observe_execution(started.elapsed());
        if !built.rejected.is_empty() || !built.deferred.is_empty() {
            let dropped = self.pool().on_block_built(&built.rejected, &built.deferred);
            for (hash, reason) in dropped {
                tracing::debug!(%hash, %reason, "dropped from the pool");
            }
        }
        let block = built.block;
        self.executed().insert(
            block.hash(),
            Executed {
                update: built.update,
                events: built.events,
            },
        );
        Ok(block)
    }

    fn execute(&self, block: &Block) -> Result<(), HostError> {
        let hash = block.hash();
        if self.executed().contains_key(&hash) {
            return Ok(());
        }
        let (parent, state) = self.head_and_state()?;
        let verified = self.pool().verified_set(&block.extrinsics);
        let started = Instant::now();
        let executed = self
            .executive
            .execute_block(Arc::new(state), &parent, block, &|tx| verified.contains(tx));
        self.metrics.observe_execution(started.elapsed());
        match executed {
            Ok(done) => {
                self.executed().insert(
                    hash,
                    Executed {
                        update: done.update,
                        events: done.events,
                    },
                );
                Ok(())
            }
            Err(BlockError::State(e)) => Err(local(e)),
            Err(e) => Err(HostError::InvalidBlock(e.to_string())),
        }
    }

    fn commit(&self, block: &Block, certificate: &[u8]) -> Result<(), HostError> {
        let hash = block.hash();
        let cached = self.executed().remove(&hash);
        let executed = match cached {
            Some(e) => e,
            None => {
                // Not executed by this process (a restart between decision and commit): execute it now.
                self.execute(block)?;
                self.executed()
                    .remove(&hash)
                    .ok_or_else(|| local(format!("block {hash} vanished after execution")))?
            }
        };
        let exhausted = yima_runtime::outcome::weight_exhausted(block, &executed.events);
        let started = Instant::now();
        self.store
            .commit_block(block, certificate, executed.update, &executed.events)
            .map_err(local)?;
        self.metrics.observe_commit(
            block.header.number,
            block.extrinsics.len(),
            started.elapsed(),
        );
        // Other candidates at this height were built on the old head: never committed now.
        self.executed().clear();
        let state = self.state().map_err(local)?;
        let (outcome, cooling) = {
            let mut pool = self.pool();
            let outcome = pool.on_block_committed(block, state.clone());
            (outcome, pool.on_weight_exhausted(&exhausted, state))
        };
        if !exhausted.is_empty() {
            tracing::warn!(
                number = block.header.number,
                accounts = ?exhausted,
                dropped = cooling.len(),
                "transactions ran out of weight: their accounts cool down, their organisations wait"
            );
            self.metrics.observe_weight_exhausted(exhausted.len());
        }
        tracing::debug!(
            number = block.header.number,
            %hash,
            txs = block.extrinsics.len(),
            pool_dropped = outcome.dropped.len(),
            pool_aged_out = outcome.aged_out.len(),
            "committed"
        );
        let _ = self.finalized.send(block.header.clone());
        Ok(())
    }

    fn store_undecided(&self, proposal: &UndecidedBlock) -> Result<(), HostError> {
        self.store
            .store_undecided(
                proposal.height,
                proposal.round,
                &proposal.block.hash(),
                &proposal.encode(),
            )
            .map_err(local)
    }

    fn undecided(&self, height: BlockNumber, round: u32) -> Result<Vec<UndecidedBlock>, HostError> {
        self.store
            .undecided(height, round)
            .map_err(local)?
            .into_iter()
            .map(|(_, bytes)| UndecidedBlock::decode(&mut &bytes[..]).map_err(local))
            .collect()
    }

    fn undecided_by_hash(
        &self,
        height: BlockNumber,
        hash: &Hash,
    ) -> Result<Option<UndecidedBlock>, HostError> {
        self.store
            .undecided_by_hash(height, hash)
            .map_err(local)?
            .map(|bytes| UndecidedBlock::decode(&mut &bytes[..]).map_err(local))
            .transpose()
    }

    fn decided(
        &self,
        range: RangeInclusive<BlockNumber>,
    ) -> Result<Vec<(Block, Vec<u8>)>, HostError> {
        let head = self.store.head_number().map_err(local)?.unwrap_or(0);
        let (start, end) = ((*range.start()).max(1), (*range.end()).min(head));
        let mut out = Vec::new();
        for h in start..=end {
            let block = self.store.block(h).map_err(local)?;
            let cert = self.store.certificate(h).map_err(local)?;
            if let (Some(block), Some(cert)) = (block, cert) {
                out.push((block, cert));
            }
        }
        Ok(out)
    }

    fn history_min_height(&self) -> Result<BlockNumber, HostError> {
        Ok(1)
    }

    fn record_evidence(&self, evidence: &[Equivocation]) -> Result<(), HostError> {
        let records: Vec<_> = evidence
            .iter()
            .map(|e| (e.height, e.id(), e.encode()))
            .collect();
        self.store.put_evidence(&records).map_err(local)?;
        for e in evidence {
            self.metrics.observe_equivocation(e.kind.name());
        }
        Ok(())
    }

    fn max_block_bytes(&self) -> Result<u32, HostError> {
        let state = self.store.state().map_err(local)?;
        let backend: Arc<dyn StateBackend> = Arc::new(state);
        Ok(Externalities::new(backend).execute_with(|| System::limits().max_block_bytes))
    }

    fn has_pending_work(&self) -> bool {
        self.pool().ready_len() > 0
    }

    /// A hostile proposal stream counts against its publisher on the gossip network (same peer id: the
    /// network key is the consensus key), whose strikes decay and ban at the limit.
    fn proposal_part_strike(&self, publisher: &yima_consensus::ConsensusPeerId, reason: &str) {
        tracing::warn!(%publisher, "hostile proposal stream: {reason}");
        let Some(network) = self.network() else {
            return;
        };
        match yima_network::PeerId::from_bytes(&publisher.to_bytes()) {
            Ok(peer) => network.strike(peer, format!("proposal stream: {reason}")),
            Err(e) => tracing::debug!(%publisher, "no gossip peer id for the publisher: {e}"),
        }
    }
}
