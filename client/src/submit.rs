//! Submission and finality: [`Watcher`] follows finalized blocks (WebSocket subscription, every block fetched in
//! order even when the subscription skips) until every awaited transaction is included, then settles each
//! transaction's outcome.
//!
//! Outcome: the node has no "receipt" method, so the client finds the transaction's last event — its
//! `ExtrinsicSuccess` or `ExtrinsicFailed` — by binary search over `proof_event(block, i)` (events are in phase
//! order: initialisation, transaction 0, 1, …, finalisation), and, given a [`TrustAnchor`], verifies that event's
//! proof offline: a confirmed transaction is confirmed by the chain's validators, not by the node's word.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use jsonrpsee::core::client::Subscription;
use jsonrpsee::ws_client::WsClient;
use parity_scale_codec::DecodeLimit;
use yima_consensus::proof::{EventProof, TrustAnchor};
use yima_frame::{EventRecord, Phase};
use yima_runtime::{describe_error, RuntimeEvent};

use crate::error::{ClientError, Result};
use crate::rpc::{next_item, NodeClient};
use crate::types::HeaderJson;

/// What happened to a transaction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Included {
    /// Its hash.
    pub hash: String,
    /// The finalized block including it.
    pub block: u64,
    /// Its position in the block.
    pub extrinsic: u32,
    /// `None` on success, the runtime's reason on failure.
    pub error: Option<String>,
    /// Index of its outcome event in the block (its proof is `proof_event(block, outcome_event)`).
    pub outcome_event: u32,
}

impl Included {
    /// Turns a failed call into an error.
    pub fn into_result(self) -> Result<Self> {
        match &self.error {
            None => Ok(self),
            Some(reason) => Err(ClientError::Failed {
                hash: self.hash.clone(),
                block: self.block,
                reason: reason.clone(),
            }),
        }
    }
}

/// Follows finalized blocks from the moment it was created.
pub struct Watcher {
    client: NodeClient,
    _ws: WsClient,
    heads: Subscription<HeaderJson>,
    next_block: u64,
    anchor: Option<TrustAnchor>,
}

fn phase_rank(p: &Phase) -> (u8, u32) {
    match p {
        Phase::Initialization => (0, 0),
        Phase::ApplyExtrinsic(i) => (1, *i),
        Phase::Finalization => (2, 0),
    }
}

impl Watcher {
    /// Subscribes before anything is submitted, so no block is missed; outcome proofs are verified against
    /// `anchor` when given.
    pub async fn new(client: &NodeClient, anchor: Option<TrustAnchor>) -> Result<Self> {
        let ws = client.ws().await?;
        let heads = client.subscribe_heads(&ws).await?;
        let head = client.finalized_head().await?;
        Ok(Self {
            client: client.clone(),
            _ws: ws,
            heads,
            next_block: head.number + 1,
            anchor,
        })
    }

    /// Scans blocks from `from` on (e.g. a journal's signing height) instead of from the head at creation.
    pub fn scan_from(&mut self, from: u64) {
        self.next_block = self.next_block.min(from.max(1));
    }

    /// Fetches finalized blocks up to the current head, noting where the watched transactions are.
    async fn scan(
        &mut self,
        head: u64,
        watched: &mut HashMap<String, Option<(u64, u32)>>,
    ) -> Result<bool> {
        let mut progressed = false;
        while self.next_block <= head {
            let number = self.next_block;
            let block =
                self.client
                    .block(number)
                    .await?
                    .ok_or_else(|| ClientError::BadResponse {
                        method: "chain_getBlock".into(),
                        reason: format!("finalized block {number} is missing"),
                    })?;
            for (i, h) in block.transaction_hashes.iter().enumerate() {
                if let Some(slot @ None) = watched.get_mut(h.as_str()) {
                    *slot = Some((number, i as u32));
                    progressed = true;
                }
            }
            self.next_block += 1;
        }
        Ok(progressed)
    }

    /// Which of `hashes` are already in finalized blocks (from where the watcher starts up to the current
    /// head), with their outcomes; does not wait.
    pub async fn find(&mut self, hashes: &[String]) -> Result<Vec<Included>> {
        let mut watched: HashMap<String, Option<(u64, u32)>> =
            hashes.iter().map(|h| (h.clone(), None)).collect();
        let head = self.client.finalized_head().await?.number;
        self.scan(head, &mut watched).await?;
        let found: Vec<(String, (u64, u32))> = hashes
            .iter()
            .filter_map(|h| watched[h].map(|at| (h.clone(), at)))
            .collect();
        self.settle(found).await
    }

    /// Waits until every transaction of `hashes` is in a finalized block, and settles each outcome; `progress`
    /// is called with the number included so far. Fails after `timeout` without progress.
    pub async fn wait(
        &mut self,
        hashes: &[String],
        timeout: Duration,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<Included>> {
        let mut watched: HashMap<String, Option<(u64, u32)>> =
            hashes.iter().map(|h| (h.clone(), None)).collect();
        let mut deadline = Instant::now() + timeout;
        let mut head = self.client.finalized_head().await?.number;
        loop {
            if self.scan(head, &mut watched).await? {
                deadline = Instant::now() + timeout;
            }
            let included = watched.values().filter(|v| v.is_some()).count();
            progress(included);
            if included == watched.len() {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            head = match tokio::time::timeout(left, next_item(&mut self.heads, "finalized heads"))
                .await
            {
                Ok(h) => h?.number,
                Err(_) => {
                    return Err(ClientError::Timeout {
                        what: format!(
                            "{} transaction(s) to be finalized",
                            watched.len() - included
                        ),
                        secs: timeout.as_secs(),
                    })
                }
            };
        }
        let found = hashes
            .iter()
            .map(|h| (h.clone(), watched[h].expect("every hash found")))
            .collect();
        self.settle(found).await
    }

    /// The outcome of each transaction at its place.
    async fn settle(&self, found: Vec<(String, (u64, u32))>) -> Result<Vec<Included>> {
        let mut by_block: BTreeMap<u64, Vec<(usize, u32)>> = BTreeMap::new();
        for (k, (_, (block, ext))) in found.iter().enumerate() {
            by_block.entry(*block).or_default().push((k, *ext));
        }
        let mut out: Vec<Option<Included>> = vec![None; found.len()];
        for (block, txs) in by_block {
            let mut cache = HashMap::new();
            for (k, ext) in txs {
                let (event, error) = self.outcome(block, ext, &mut cache).await?;
                out[k] = Some(Included {
                    hash: found[k].0.clone(),
                    block,
                    extrinsic: ext,
                    error,
                    outcome_event: event,
                });
            }
        }
        Ok(out
            .into_iter()
            .map(|o| o.expect("every outcome settled"))
            .collect())
    }

    async fn record(
        &self,
        block: u64,
        index: u32,
        cache: &mut HashMap<u32, (EventRecord<RuntimeEvent>, u32, String)>,
    ) -> Result<(EventRecord<RuntimeEvent>, u32)> {
        if let Some((r, leaves, _)) = cache.get(&index) {
            return Ok((r.clone(), *leaves));
        }
        let p = self.client.event_proof(block, index).await?;
        let bytes = hex::decode(p.record.trim_start_matches("0x")).map_err(|e| {
            ClientError::BadResponse {
                method: "proof_event".into(),
                reason: e.to_string(),
            }
        })?;
        let record = EventRecord::<RuntimeEvent>::decode_all_with_depth_limit(64, &mut &bytes[..])
            .map_err(|e| ClientError::BadResponse {
                method: "proof_event".into(),
                reason: format!("event record: {e}"),
            })?;
        cache.insert(index, (record.clone(), p.leaves, p.bundle));
        Ok((record, p.leaves))
    }

    /// The outcome event of transaction `ext` of `block`: (its index, `None` | the failure).
    async fn outcome(
        &self,
        block: u64,
        ext: u32,
        cache: &mut HashMap<u32, (EventRecord<RuntimeEvent>, u32, String)>,
    ) -> Result<(u32, Option<String>)> {
        let (_, leaves) = self.record(block, 0, cache).await?;
        let target = (1u8, ext);
        // Last index whose phase ≤ ApplyExtrinsic(ext).
        let (mut lo, mut hi) = (0u32, leaves);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (r, _) = self.record(block, mid, cache).await?;
            if phase_rank(&r.phase) <= target {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let missing = || ClientError::BadResponse {
            method: "proof_event".into(),
            reason: format!("block {block} has no outcome event for its transaction {ext}"),
        };
        let index = lo.checked_sub(1).ok_or_else(missing)?;
        let (record, _) = self.record(block, index, cache).await?;
        if record.phase != Phase::ApplyExtrinsic(ext) {
            return Err(missing());
        }
        let error = match &record.event {
            RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess) => None,
            RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => {
                Some(describe_error(error))
            }
            _ => return Err(missing()),
        };
        if let Some(anchor) = &self.anchor {
            let bundle = &cache[&index].2;
            let bytes = hex::decode(bundle.trim_start_matches("0x"))
                .map_err(|e| ClientError::BadProof(e.to_string()))?;
            let proof =
                EventProof::from_bytes(&bytes).map_err(|e| ClientError::BadProof(e.to_string()))?;
            proof.verify(anchor).map_err(|e| {
                ClientError::BadProof(format!(
                    "outcome of transaction {ext} in block {block}: {e}"
                ))
            })?;
        }
        Ok((index, error))
    }
}

/// Most hex bytes in one `author_submitBatch` request (the node reads at most 16 MiB).
const MAX_SUBMIT_HEX: usize = 8 * 1024 * 1024;
/// Most transactions in one `author_submitBatch` (the node's limit).
const MAX_SUBMIT_COUNT: usize = 10_000;

/// Submits `txs` (already signed) in `author_submitBatch` requests kept under the node's limits and returns
/// each hash; a refusal is an error, except "already in the pool" (a resubmission).
pub async fn submit_all(client: &NodeClient, txs: &[crate::tx::Signed]) -> Result<Vec<String>> {
    let mut hashes = Vec::with_capacity(txs.len());
    let mut start = 0;
    while start < txs.len() {
        let mut end = start;
        let mut size = 0;
        while end < txs.len() && end - start < MAX_SUBMIT_COUNT {
            size += 2 * txs[end].bytes.len() + 4;
            if end > start && size > MAX_SUBMIT_HEX {
                break;
            }
            end += 1;
        }
        let chunk = &txs[start..end];
        let bytes: Vec<Vec<u8>> = chunk.iter().map(|t| t.bytes.clone()).collect();
        let outcomes = client.submit_batch(&bytes).await?;
        for (tx, o) in chunk.iter().zip(outcomes) {
            match (o.hash, o.error) {
                (Some(h), _) => hashes.push(h),
                (None, Some(e)) if e.contains("already in the pool") => {
                    hashes.push(tx.hash.clone())
                }
                (None, e) => {
                    return Err(ClientError::Rejected {
                        hash: tx.hash.clone(),
                        reason: e.unwrap_or_else(|| "no reason given".into()),
                    })
                }
            }
        }
        start = end;
    }
    Ok(hashes)
}

/// Submits one signed transaction and waits for its finalized outcome.
pub async fn submit_and_wait(
    client: &NodeClient,
    anchor: Option<TrustAnchor>,
    tx: &crate::tx::Signed,
    timeout: Duration,
) -> Result<Included> {
    let mut watcher = Watcher::new(client, anchor).await?;
    let hashes = submit_all(client, std::slice::from_ref(tx)).await?;
    let mut included = watcher.wait(&hashes, timeout, |_| {}).await?;
    Ok(included.remove(0))
}
