//! [`Readers`]: the bounded share of tokio's blocking pool that RPC and web readers may hold, so block
//! execution (which consensus runs on the same pool) never waits for a reader.
//!
//! Every store read on behalf of a caller — a web page, an audit bundle, a proof, a trace, alerts of a new
//! block — runs through [`Readers::run`]: at most [`Readers::permits`] at a time (`--rpc-readers`, default the
//! machine's cores), the rest wait their turn, and past [`Readers::max_waiting`] waiting callers a new one is
//! refused at once ([`ReaderError::Busy`]) instead of queueing without bound. Tokio's pool keeps its other
//! threads (512 by default) for consensus.
//!
//! [`ReaderGate`] is the same bound as a JSON-RPC middleware, around the methods jsonrpsee runs on the
//! blocking pool itself, in two lanes with a [`Readers`] each: the heavy ones whose cost grows with a code's
//! history or a lot's size ([`HEAVY_READER_METHODS`]), and the light ones bounded by a block or a single value
//! ([`LIGHT_READER_METHODS`]), so a flood of traces and recalls cannot starve a client following blocks.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use jsonrpsee::core::middleware::{Batch, BatchEntry, Notification, RpcServiceT};
use jsonrpsee::types::{ErrorObjectOwned, Request};
use jsonrpsee::MethodResponse;
use prometheus_client::metrics::counter::Counter;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Callers that may wait for a reader, per permit, before new ones are refused.
pub const WAITING_PER_READER: usize = 64;

/// The methods jsonrpsee runs on the blocking pool that read the store for the caller and whose cost grows
/// with what they read (a code's history, a lot, a proof's headers).
pub const HEAVY_READER_METHODS: [&str; 13] = [
    "trace_history",
    "trace_orgEvents",
    "trace_recall",
    "trace_chain",
    "proof_event",
    "records_recordCard",
    "records_purchaseWindow",
    "records_prescription",
    "records_pharmacist",
    "records_blackBox",
    "records_customsEntry",
    "records_attestations",
    "records_organisation",
];

/// The methods jsonrpsee runs on the blocking pool that read a bounded amount: one block, one or two state
/// values, a page of evidence.
pub const LIGHT_READER_METHODS: [&str; 4] = [
    "state_get",
    "chain_getBlock",
    "chain_getEvidence",
    "records_equipment",
];

/// Error code: every reader is busy and too many callers wait (retry later).
pub const NODE_BUSY: i32 = 1040;

/// Why a reader did not run.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// Too many callers already wait for a reader.
    #[error("the node is busy answering {waiting} other readers: retry in a moment")]
    Busy {
        /// How many wait.
        waiting: usize,
    },
    /// The reader panicked or was cancelled.
    #[error("the read failed: {0} (see the node's log)")]
    Failed(String),
}

impl From<ReaderError> for ErrorObjectOwned {
    fn from(e: ReaderError) -> Self {
        let code = match e {
            ReaderError::Busy { .. } => NODE_BUSY,
            ReaderError::Failed(_) => super::NODE_ERROR,
        };
        ErrorObjectOwned::owned(code, e.to_string(), None::<()>)
    }
}

/// The readers' share of the blocking pool. Cheap to clone; clones share the bound.
#[derive(Clone, Debug)]
pub struct Readers {
    permits: Arc<Semaphore>,
    size: usize,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    /// Counts the callers refused as [`ReaderError::Busy`] (the node's metrics).
    busy: Counter,
}

impl Default for Readers {
    /// As many readers as the machine has cores.
    fn default() -> Self {
        Self::new(default_readers())
    }
}

/// The machine's cores (at least one): `--rpc-readers`' default.
pub fn default_readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Decrements the waiting count when a wait ends, however it ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Readers {
    /// At most `size` (at least one) readers at a time, and [`WAITING_PER_READER`] waiting callers per reader.
    pub fn new(size: usize) -> Self {
        let size = size.max(1);
        Self {
            permits: Arc::new(Semaphore::new(size)),
            size,
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: size * WAITING_PER_READER,
            busy: Counter::default(),
        }
    }

    /// The same readers, counting busy refusals in `busy` (`yima_rpc_busy_total`).
    pub fn counting(mut self, busy: Counter) -> Self {
        self.busy = busy;
        self
    }

    /// How many readers may run at once.
    pub fn permits(&self) -> usize {
        self.size
    }

    /// How many callers may wait before new ones are refused.
    pub fn max_waiting(&self) -> usize {
        self.max_waiting
    }

    /// How many readers run now.
    pub fn running(&self) -> usize {
        self.size - self.permits.available_permits()
    }

    /// A reader's turn: at once if one is free, after a wait if fewer than [`Readers::max_waiting`] callers
    /// wait, else [`ReaderError::Busy`].
    pub async fn acquire(&self) -> Result<OwnedSemaphorePermit, ReaderError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(permit);
        }
        let waiting = self.waiting.fetch_add(1, Ordering::AcqRel);
        let _waiting = Waiting(&self.waiting);
        if waiting >= self.max_waiting {
            self.busy.inc();
            return Err(ReaderError::Busy { waiting });
        }
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ReaderError::Failed(e.to_string()))
    }

    /// Runs `read` on the blocking pool when a reader is free.
    pub async fn run<T: Send + 'static>(
        &self,
        read: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ReaderError> {
        let permit = self.acquire().await?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            read()
        })
        .await
        .map_err(|e| ReaderError::Failed(e.to_string()))
    }
}

impl Readers {
    /// Runs `read` when a reader is free, however many wait (for the node's own readers, such as the alert
    /// hub, that must not be refused).
    pub async fn run_in_turn<T: Send + 'static>(
        &self,
        read: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ReaderError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ReaderError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            read()
        })
        .await
        .map_err(|e| ReaderError::Failed(e.to_string()))
    }
}

/// The JSON-RPC middleware that runs [`HEAVY_READER_METHODS`] and [`LIGHT_READER_METHODS`] only with a
/// reader's turn of their lane.
#[derive(Clone, Debug)]
pub struct ReaderGate<S> {
    service: S,
    heavy: Readers,
    light: Readers,
}

impl<S> ReaderGate<S> {
    /// `service` behind `heavy` (the node's readers, shared with the web pages and alerts) and `light`.
    pub fn new(service: S, heavy: Readers, light: Readers) -> Self {
        Self {
            service,
            heavy,
            light,
        }
    }

    /// The lane of `method`, if it reads the store.
    fn lane(&self, method: &str) -> Option<&Readers> {
        if HEAVY_READER_METHODS.contains(&method) {
            Some(&self.heavy)
        } else if LIGHT_READER_METHODS.contains(&method) {
            Some(&self.light)
        } else {
            None
        }
    }
}

impl<S> RpcServiceT for ReaderGate<S>
where
    S: RpcServiceT<
            MethodResponse = MethodResponse,
            BatchResponse = MethodResponse,
            NotificationResponse = MethodResponse,
        > + Send
        + Sync
        + Clone
        + 'static,
{
    type MethodResponse = MethodResponse;
    type NotificationResponse = MethodResponse;
    type BatchResponse = MethodResponse;

    fn call<'a>(&self, request: Request<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let service = self.service.clone();
        let readers = self.lane(request.method_name()).cloned();
        async move {
            let Some(readers) = readers else {
                return service.call(request).await;
            };
            match readers.acquire().await {
                Ok(_permit) => service.call(request).await,
                Err(e) => MethodResponse::error(request.id, ErrorObjectOwned::from(e)),
            }
        }
    }

    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        // jsonrpsee runs a batch's calls one after the other, past this middleware's `call`: a batch with a
        // reader method takes one reader's turn for the whole batch, in the heavy lane if any call is heavy.
        let service = self.service.clone();
        let lanes: Vec<&Readers> = batch
            .iter()
            .filter_map(|entry| match entry {
                Ok(BatchEntry::Call(r)) => self.lane(r.method_name()),
                _ => None,
            })
            .collect();
        let readers = lanes
            .iter()
            .find(|lane| std::ptr::eq(**lane, &self.heavy))
            .or(lanes.first())
            .map(|lane| (*lane).clone());
        async move {
            let Some(readers) = readers else {
                return service.batch(batch).await;
            };
            match readers.acquire().await {
                Ok(_permit) => service.batch(batch).await,
                Err(e) => {
                    MethodResponse::error(jsonrpsee::types::Id::Null, ErrorObjectOwned::from(e))
                }
            }
        }
    }

    fn notification<'a>(
        &self,
        n: Notification<'a>,
    ) -> impl Future<Output = MethodResponse> + Send + 'a {
        self.service.notification(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_waiting_bound_a_reader_is_refused_at_once() {
        let busy = Counter::default();
        let readers = Readers::new(1).counting(busy.clone());
        let held = readers.acquire().await.unwrap();
        assert_eq!(readers.running(), 1);
        let mut waiters = Vec::new();
        for _ in 0..readers.max_waiting() {
            let r = readers.clone();
            waiters.push(tokio::spawn(async move { r.acquire().await.map(drop) }));
        }
        // Every waiter is parked on the semaphore before the next caller comes.
        while readers.waiting.load(Ordering::Acquire) < readers.max_waiting() {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            readers.acquire().await,
            Err(ReaderError::Busy { .. })
        ));
        assert_eq!(busy.get(), 1, "the refusal is counted");
        drop(held);
        for w in waiters {
            w.await.unwrap().unwrap();
        }
        assert_eq!(readers.run(|| 7).await.unwrap(), 7);
        assert_eq!(readers.running(), 0);
    }
}
