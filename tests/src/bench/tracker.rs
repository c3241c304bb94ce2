//! Following finalization: one task timestamps each header of node 0's `chain_subscribeFinalizedHeads` as it
//! arrives, another fetches the blocks and matches their transaction hashes against what the clients submitted,
//! recording submit → finalized latency and the finalized events over time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::testnet::{next_head, subscribe_finalized, NodeRpc};

/// A submitted transaction not yet seen finalized.
struct Pending {
    client: usize,
    submitted: Instant,
    events: u32,
}

/// One finalized transaction of the load.
#[derive(Clone, Copy, Debug)]
pub struct Finalized {
    /// When its block's header reached the tracker.
    pub at: Instant,
    /// When its client sent it.
    pub submitted: Instant,
    /// Custody events it carried.
    pub events: u32,
}

/// One finalized block.
#[derive(Clone, Copy, Debug)]
pub struct BlockSeen {
    /// Height.
    pub number: u64,
    /// When its header arrived.
    pub at: Instant,
    /// Transactions in it (all, not only the load's).
    pub txs: usize,
}

/// Shared between the clients and the tracker's tasks.
pub struct Tracker {
    pending: Mutex<HashMap<String, Pending>>,
    finalized: Mutex<Vec<Finalized>>,
    blocks: Mutex<Vec<BlockSeen>>,
    per_client: Vec<AtomicU64>,
    height: watch::Sender<u64>,
}

impl Tracker {
    /// A tracker for `clients` clients.
    pub fn new(clients: usize) -> Arc<Self> {
        Arc::new(Self {
            pending: Mutex::new(HashMap::new()),
            finalized: Mutex::new(Vec::new()),
            blocks: Mutex::new(Vec::new()),
            per_client: (0..clients).map(|_| AtomicU64::new(0)).collect(),
            height: watch::channel(0).0,
        })
    }

    /// Records a transaction about to be sent (before sending, so a quick finalization is never missed).
    pub fn register(&self, client: usize, hash: &str, submitted: Instant, events: u32) {
        self.pending.lock().expect("tracker lock").insert(
            hash.to_string(),
            Pending {
                client,
                submitted,
                events,
            },
        );
    }

    /// Forgets a transaction the pool refused.
    pub fn forget(&self, hash: &str) {
        self.pending.lock().expect("tracker lock").remove(hash);
    }

    /// Transactions of client `client` finalized so far.
    pub fn finalized_of(&self, client: usize) -> u64 {
        self.per_client[client].load(Ordering::Acquire)
    }

    /// Submitted transactions not yet finalized.
    pub fn pending(&self) -> usize {
        self.pending.lock().expect("tracker lock").len()
    }

    /// Changes with every finalized height.
    pub fn heights(&self) -> watch::Receiver<u64> {
        self.height.subscribe()
    }

    /// Every finalized transaction of the load so far.
    pub fn finalized(&self) -> Vec<Finalized> {
        self.finalized.lock().expect("tracker lock").clone()
    }

    /// Every finalized block so far.
    pub fn blocks(&self) -> Vec<BlockSeen> {
        self.blocks.lock().expect("tracker lock").clone()
    }

    fn on_block(&self, number: u64, at: Instant, hashes: &[String]) {
        {
            let mut pending = self.pending.lock().expect("tracker lock");
            let mut finalized = self.finalized.lock().expect("tracker lock");
            for hash in hashes {
                if let Some(p) = pending.remove(hash) {
                    finalized.push(Finalized {
                        at,
                        submitted: p.submitted,
                        events: p.events,
                    });
                    self.per_client[p.client].fetch_add(1, Ordering::Release);
                }
            }
        }
        self.blocks.lock().expect("tracker lock").push(BlockSeen {
            number,
            at,
            txs: hashes.len(),
        });
        self.height.send_replace(number);
    }

    /// Follows `rpc`'s finalized blocks above `from` until the returned tasks are aborted.
    pub async fn follow(
        self: &Arc<Self>,
        rpc: NodeRpc,
        from: u64,
    ) -> anyhow::Result<Vec<JoinHandle<anyhow::Result<()>>>> {
        let ws = rpc.ws().await?;
        let mut heads = subscribe_finalized(&ws).await?;
        let (tx, mut rx) = mpsc::unbounded_channel::<(u64, Instant)>();
        let reader = tokio::spawn(async move {
            let _ws = ws;
            loop {
                let header = next_head(&mut heads).await?;
                if tx.send((header.number, Instant::now())).is_err() {
                    return Ok(());
                }
            }
        });
        let me = self.clone();
        let fetcher = tokio::spawn(async move {
            let mut done = from;
            while let Some((number, at)) = rx.recv().await {
                // Headers skipped by a lagging subscription get the time of the next one seen.
                while done < number {
                    done += 1;
                    let block = rpc
                        .block(done)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("finalized block {done} missing"))?;
                    me.on_block(done, at, &block.transaction_hashes);
                }
            }
            Ok(())
        });
        Ok(vec![reader, fetcher])
    }
}
