//! What a phase measured, and the store check after the run: latency percentiles, finalized events per second
//! in the measured window, CPU seconds per 1,000 events, bytes on disk per event, and the count of captured
//! events and failed transactions read back from a node's own RocksDB store.

use std::path::Path;
use std::time::{Duration, Instant};

use yima_runtime::RuntimeEvent;
use yima_storage::{Store, StoreOptions};

use super::tracker::{BlockSeen, Finalized};

/// One phase's figures.
#[derive(Clone, Debug)]
pub struct PhaseReport {
    /// `max` or `rate N/s`.
    pub name: String,
    /// Length of the measured window.
    pub window: Duration,
    /// Load transactions finalized in the window.
    pub txs: u64,
    /// Load events finalized in the window.
    pub events: u64,
    /// Blocks finalized in the window.
    pub blocks: usize,
    /// CPU seconds of all node processes in the window.
    pub cpu_seconds: f64,
    /// Submit → finalized of the load transactions sent in the window, sorted.
    pub latencies: Vec<Duration>,
    /// Transactions sent in the window that were not finalized by the end of the drain.
    pub lost: u64,
}

impl PhaseReport {
    /// Figures for the window `[from, to)` from what the tracker saw; `sent_in_window` counts the transactions the
    /// clients sent in that window.
    pub fn new(
        name: String,
        from: Instant,
        to: Instant,
        finalized: &[Finalized],
        blocks: &[BlockSeen],
        cpu_seconds: f64,
        sent_in_window: u64,
    ) -> Self {
        let in_window = |t: Instant| t >= from && t < to;
        let done: Vec<&Finalized> = finalized.iter().filter(|f| in_window(f.at)).collect();
        let mut latencies: Vec<Duration> = finalized
            .iter()
            .filter(|f| in_window(f.submitted))
            .map(|f| f.at - f.submitted)
            .collect();
        latencies.sort();
        let lost = sent_in_window.saturating_sub(latencies.len() as u64);
        Self {
            name,
            window: to - from,
            txs: done.len() as u64,
            events: done.iter().map(|f| u64::from(f.events)).sum(),
            blocks: blocks.iter().filter(|b| in_window(b.at)).count(),
            cpu_seconds,
            latencies,
            lost,
        }
    }

    /// Finalized events per second.
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.window.as_secs_f64()
    }

    /// The `p` quantile (0..=1) of latency, by nearest rank.
    pub fn latency(&self, p: f64) -> Option<Duration> {
        let n = self.latencies.len();
        (n > 0).then(|| self.latencies[((n as f64 * p).ceil() as usize).clamp(1, n) - 1])
    }

    /// Node CPU seconds per 1,000 finalized events.
    pub fn cpu_per_1000_events(&self) -> f64 {
        self.cpu_seconds / (self.events.max(1) as f64 / 1_000.0)
    }

    /// One line per figure.
    pub fn render(&self) -> String {
        let ms = |d: Option<Duration>| {
            d.map(|d| format!("{:.0} ms", d.as_secs_f64() * 1e3))
                .unwrap_or_else(|| "–".into())
        };
        format!(
            "phase {}: {:.1} s window, {} blocks ({:.2}/s), {} txs, {} events finalized\n  \
             finalized events/s: {:.0}   (txs/s {:.0})\n  \
             latency submit→finalized: p50 {}  p99 {}  max {}  (n = {}, not finalized: {})\n  \
             node CPU: {:.2} s in the window = {:.3} CPU-s per 1,000 events ({:.0} % of 2 cores)\n",
            self.name,
            self.window.as_secs_f64(),
            self.blocks,
            self.blocks as f64 / self.window.as_secs_f64(),
            self.txs,
            self.events,
            self.events_per_second(),
            self.txs as f64 / self.window.as_secs_f64(),
            ms(self.latency(0.50)),
            ms(self.latency(0.99)),
            ms(self.latencies.last().copied()),
            self.latencies.len(),
            self.lost,
            self.cpu_seconds,
            self.cpu_per_1000_events(),
            100.0 * self.cpu_seconds / self.window.as_secs_f64() / 2.0,
        )
    }
}

/// What a node's store holds after the run.
#[derive(Clone, Debug, Default)]
pub struct StoreCheck {
    /// Finalized height.
    pub head: u64,
    /// Transactions in all blocks.
    pub txs: u64,
    /// Transactions whose call failed.
    pub failed: u64,
    /// The first failure, in words.
    pub first_failure: Option<String>,
    /// Custody events captured (`Trace::Captured`).
    pub captured: u64,
}

/// Reads every block's events from the (stopped) node's store at `db`.
pub fn check_store(db: &Path) -> anyhow::Result<StoreCheck> {
    let store = Store::open(db, StoreOptions::default())?;
    let head = store.head_number()?.unwrap_or(0);
    let mut check = StoreCheck {
        head,
        ..StoreCheck::default()
    };
    for n in 1..=head {
        let block = store
            .block(n)?
            .ok_or_else(|| anyhow::anyhow!("block {n} missing"))?;
        check.txs += block.extrinsics.len() as u64;
        for raw in store.raw_events(n)? {
            match raw.decode::<RuntimeEvent>()?.event {
                RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => {
                    check.failed += 1;
                    check.first_failure.get_or_insert(format!("{error:?}"));
                }
                RuntimeEvent::Trace(yima_trace::Event::Captured { .. }) => check.captured += 1,
                _ => {}
            }
        }
    }
    Ok(check)
}
