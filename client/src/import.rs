//! Batched, resumable imports of custody events: events in file order, `events_per_tx` per trace `capture`
//! call, signed with consecutive nonces, submitted in chunks of up to `chunk_txs` transactions in flight, each
//! chunk awaited to finality; the [`Journal`] makes a rerun skip what is on chain.
//!
//! Atomicity: parsing is all-or-nothing (the callers refuse a file with any bad event before anything is
//! signed, listing every bad event with its line and index). On chain each `capture` call is all-or-nothing;
//! a refused call is reported with the ids of its events and the import goes on with the rest (later events may
//! depend on it and be refused too); the run then fails, and a rerun retries only the refused and missing events.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use parity_scale_codec::Encode;
use serde::Serialize;
use yima_consensus::proof::TrustAnchor;
use yima_frame::AccountId;
use yima_runtime::RuntimeCall;
use yima_trace::epcis::EpcisEvent;

use crate::error::{ClientError, Result};
use crate::journal::{Entry, Journal};
use crate::nonce::NonceManager;
use crate::rpc::NodeClient;
use crate::submit::{submit_all, Included, Watcher};
use crate::tx::{Signed, TxBuilder};

/// One event to import.
#[derive(Clone, Debug)]
pub struct ImportEvent {
    /// Its id (the CBV 2.0 event hash for EPCIS; a row hash for CSV).
    pub id: String,
    /// Where it is in the input, for people (`line 12`, `event 3`).
    pub place: String,
    /// The event.
    pub event: EpcisEvent,
}

/// How to import.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// Events per `capture` call (the chain allows at most 1,000; the transaction at most 256 KiB).
    pub events_per_tx: usize,
    /// Transactions in flight at once (the pool keeps at most 4,096 per account).
    pub chunk_txs: usize,
    /// Give up after this long without a transaction finalized.
    pub timeout: Duration,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            events_per_tx: 200,
            chunk_txs: 16,
            timeout: Duration::from_secs(120),
        }
    }
}

/// A refused `capture` call.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusedBatch {
    /// The transaction.
    pub tx: String,
    /// Its block.
    pub block: u64,
    /// Where its events are in the input (first and last).
    pub places: (String, String),
    /// How many events.
    pub events: usize,
    /// Why.
    pub error: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Events in the input.
    pub total: usize,
    /// Events skipped: the journal shows them on chain.
    pub skipped: usize,
    /// Events of a previous run confirmed on chain now.
    pub recovered: usize,
    /// Events imported by this run.
    pub imported: usize,
    /// Transactions this run submitted.
    pub transactions: usize,
    /// Refused calls.
    pub refused: Vec<RefusedBatch>,
    /// Wall time of submission and finality, seconds.
    pub seconds: f64,
    /// Imported events per second.
    pub events_per_second: f64,
}

/// Progress for a progress bar: (events settled, events to import).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    hex::decode(text.trim_start_matches("0x")).ok()
}

/// Who imports, into which chain, how.
pub struct Importer<'a> {
    /// The node.
    pub client: &'a NodeClient,
    /// Signs for the node's chain.
    pub builder: &'a TxBuilder,
    /// Outcome proofs are verified against it when given.
    pub anchor: Option<TrustAnchor>,
    /// The signing key.
    pub key: &'a SigningKey,
    /// Batching and waits.
    pub options: ImportOptions,
}

impl Importer<'_> {
    /// Imports `events`, journaled in `journal`.
    pub async fn run(
        &self,
        events: Vec<ImportEvent>,
        journal: &mut Journal,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        import(self, events, journal, progress).await
    }
}

async fn import(
    importer: &Importer<'_>,
    events: Vec<ImportEvent>,
    journal: &mut Journal,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let Importer {
        client,
        builder,
        anchor,
        key,
        options,
    } = *importer;
    let mut report = ImportReport {
        total: events.len(),
        ..ImportReport::default()
    };
    let account = AccountId::from(key.verifying_key());
    let mut on_chain = journal.imported();
    let mut watcher = Watcher::new(client, anchor).await?;

    // Transactions a previous run signed but did not see finalized.
    let in_flight = journal.in_flight();
    let nonces = NonceManager::new(client.clone());
    if !in_flight.is_empty() {
        let from = in_flight
            .iter()
            .filter_map(|e| match e {
                Entry::Signed { head, .. } => Some(*head),
                Entry::Done { .. } => None,
            })
            .min()
            .unwrap_or(0);
        watcher.scan_from(from + 1);
        let hashes: Vec<String> = in_flight
            .iter()
            .filter_map(|e| match e {
                Entry::Signed { tx, .. } => Some(tx.clone()),
                Entry::Done { .. } => None,
            })
            .collect();
        let mut settled = watcher.find(&hashes).await?;
        let found: HashSet<String> = settled.iter().map(|i| i.hash.clone()).collect();
        let mut resubmit = Vec::new();
        for e in &in_flight {
            if let Entry::Signed {
                tx, bytes, nonce, ..
            } = e
            {
                if found.contains(tx) {
                    continue;
                }
                let Some(b) = hex_bytes(bytes) else { continue };
                // Resubmit one by one: a used nonce means the transaction is lost (or just landed).
                match client.submit(&b).await {
                    Ok(_) => resubmit.push((tx.clone(), *nonce)),
                    Err(ClientError::Rpc { message, .. })
                        if message.contains("already in the pool") =>
                    {
                        resubmit.push((tx.clone(), *nonce))
                    }
                    Err(ClientError::Rpc { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if let Some(max) = resubmit.iter().map(|(_, n)| *n).max() {
            nonces.bump(account, max + 1).await?;
        }
        let wait: Vec<String> = resubmit.into_iter().map(|(h, _)| h).collect();
        if !wait.is_empty() {
            settled.extend(watcher.wait(&wait, options.timeout, |_| {}).await?);
        }
        // Lost ones (nonce used by nothing we can find) may have landed meanwhile: look once more.
        let lost: Vec<String> = hashes
            .iter()
            .filter(|h| !settled.iter().any(|i| &i.hash == *h))
            .cloned()
            .collect();
        if !lost.is_empty() {
            settled.extend(watcher.find(&lost).await?);
        }
        let done: Vec<Entry> = settled
            .iter()
            .map(|i| Entry::Done {
                tx: i.hash.clone(),
                block: i.block,
                error: i.error.clone(),
            })
            .collect();
        journal.append(&done)?;
        let now = journal.imported();
        report.recovered = now.difference(&on_chain).count();
        on_chain = now;
    }

    let todo: Vec<ImportEvent> = events
        .into_iter()
        .filter(|e| !on_chain.contains(&e.id))
        .collect();
    report.skipped = (report.total - todo.len()).saturating_sub(report.recovered);
    let batches: Vec<&[ImportEvent]> = todo.chunks(options.events_per_tx.max(1)).collect();
    let to_import = todo.len();
    let started = Instant::now();
    let mut settled_events = 0;
    progress(0, to_import);
    for chunk in batches.chunks(options.chunk_txs.max(1)) {
        let head = client.finalized_head().await?.number;
        let first = nonces.reserve(account, chunk.len() as u64).await?;
        let signed: Vec<Signed> = chunk
            .iter()
            .enumerate()
            .map(|(i, batch)| {
                let call = RuntimeCall::Trace(yima_trace::Call::Capture {
                    events: batch.iter().map(|e| e.event.clone()).collect(),
                });
                builder.sign(key, first + i as u64, head, call)
            })
            .collect();
        let entries: Vec<Entry> = chunk
            .iter()
            .zip(&signed)
            .map(|(batch, s)| Entry::Signed {
                events: batch.iter().map(|e| e.id.clone()).collect(),
                tx: s.hash.clone(),
                nonce: s.tx.nonce,
                head,
                bytes: crate::hex0x(&s.tx.encode()),
            })
            .collect();
        journal.append(&entries)?;
        let hashes = submit_all(client, &signed).await?;
        report.transactions += hashes.len();
        let sizes: Vec<usize> = chunk.iter().map(|b| b.len()).collect();
        let base = settled_events;
        let included = watcher
            .wait(&hashes, options.timeout, |n| {
                progress(
                    base + sizes[..n.min(sizes.len())].iter().sum::<usize>(),
                    to_import,
                )
            })
            .await?;
        settled_events += sizes.iter().sum::<usize>();
        let done: Vec<Entry> = included
            .iter()
            .map(|i| Entry::Done {
                tx: i.hash.clone(),
                block: i.block,
                error: i.error.clone(),
            })
            .collect();
        journal.append(&done)?;
        for (batch, inc) in chunk.iter().zip(&included) {
            record(&mut report, batch, inc);
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    report.events_per_second = if report.seconds > 0.0 {
        report.imported as f64 / report.seconds
    } else {
        0.0
    };
    Ok(report)
}

fn record(report: &mut ImportReport, batch: &[ImportEvent], included: &Included) {
    match &included.error {
        None => report.imported += batch.len(),
        Some(error) => report.refused.push(RefusedBatch {
            tx: included.hash.clone(),
            block: included.block,
            places: (
                batch.first().map(|e| e.place.clone()).unwrap_or_default(),
                batch.last().map(|e| e.place.clone()).unwrap_or_default(),
            ),
            events: batch.len(),
            error: error.clone(),
        }),
    }
}
