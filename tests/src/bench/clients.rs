//! A load client: sends its prepared transactions to one node with `author_submitBatch`, either as fast as a
//! window of unfinalized transactions allows (maximum load) or at a fixed rate (latency at a given load).
//! Transactions the pool refuses for lack of room are sent again after the next finalized block.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::presign::Prepared;
use super::tracker::Tracker;
use crate::testnet::NodeRpc;

/// How a client paces itself.
#[derive(Clone, Copy, Debug)]
pub enum Pace {
    /// Keep at most this many of its transactions submitted but not finalized.
    Window(u64),
    /// This many transactions per second, sent every `tick` in one batch.
    Rate {
        /// Transactions per second.
        per_second: f64,
        /// Batch interval.
        tick: Duration,
    },
}

/// What one client did.
#[derive(Clone, Debug, Default)]
pub struct ClientOutcome {
    /// Transactions the pool admitted.
    pub admitted: u64,
    /// Refusals for lack of room (sent again later).
    pub retried: u64,
    /// Transactions refused for another reason (never sent again).
    pub refused: u64,
    /// The first such refusal's reason.
    pub first_refusal: Option<String>,
    /// Prepared transactions never admitted (the phase ended first), in nonce order: the next phase sends them
    /// first, or their signers' later nonces would wait behind them.
    pub unsent: Vec<Prepared>,
}

fn is_transient(reason: &str) -> bool {
    reason.contains("full") || reason.contains("already has") || reason.contains("too far ahead")
}

/// Runs client `id` against `rpc` until `end` or until its transactions run out.
pub async fn run_client(
    id: usize,
    rpc: NodeRpc,
    tracker: Arc<Tracker>,
    txs: Vec<Prepared>,
    batch: usize,
    pace: Pace,
    end: Instant,
) -> anyhow::Result<ClientOutcome> {
    let mut queue: VecDeque<Prepared> = txs.into();
    let mut retry: Vec<Prepared> = Vec::new();
    let mut out = ClientOutcome::default();
    let mut heights = tracker.heights();
    let mut ticker = match pace {
        Pace::Rate { tick, .. } => {
            let mut t = tokio::time::interval(tick);
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            Some(t)
        }
        Pace::Window(_) => None,
    };
    let mut credit = 0.0f64;
    while Instant::now() < end && (!queue.is_empty() || !retry.is_empty()) {
        let take = match pace {
            Pace::Window(window) => {
                let outstanding = out.admitted.saturating_sub(tracker.finalized_of(id));
                if outstanding + batch as u64 > window || (queue.is_empty() && !retry.is_empty()) {
                    // Wait for the next finalized block (it frees room in the window and in the pool).
                    let left = end.saturating_duration_since(Instant::now());
                    let _ = tokio::time::timeout(left, heights.changed()).await;
                    for tx in retry.drain(..).rev() {
                        queue.push_front(tx);
                    }
                    continue;
                }
                batch
            }
            Pace::Rate { per_second, tick } => {
                if let Some(t) = ticker.as_mut() {
                    t.tick().await;
                }
                credit += per_second * tick.as_secs_f64();
                let n = credit.floor() as usize;
                credit -= n as f64;
                if heights.has_changed().unwrap_or(false) {
                    heights.mark_unchanged();
                    for tx in retry.drain(..).rev() {
                        queue.push_front(tx);
                    }
                }
                n
            }
        };
        let chunk: Vec<Prepared> = (0..take).map_while(|_| queue.pop_front()).collect();
        if chunk.is_empty() {
            continue;
        }
        let hexes: Vec<String> = chunk.iter().map(|p| p.hex.clone()).collect();
        let sent_at = Instant::now();
        for p in &chunk {
            tracker.register(id, &p.hash, sent_at, p.events);
        }
        let outcomes = rpc.submit_batch(&hexes).await?;
        anyhow::ensure!(
            outcomes.len() == chunk.len(),
            "author_submitBatch answered {} outcomes for {} transactions",
            outcomes.len(),
            chunk.len()
        );
        for (p, outcome) in chunk.into_iter().zip(outcomes) {
            match outcome.error {
                None => out.admitted += 1,
                Some(reason) if reason.contains("already in the pool") => out.admitted += 1,
                Some(reason) if is_transient(&reason) => {
                    tracker.forget(&p.hash);
                    out.retried += 1;
                    retry.push(p);
                }
                Some(reason) => {
                    tracker.forget(&p.hash);
                    out.refused += 1;
                    out.first_refusal.get_or_insert(reason);
                }
            }
        }
    }
    // Refused-for-room transactions hold earlier nonces than the queue's.
    out.unsent = retry.into_iter().chain(queue).collect();
    Ok(out)
}
