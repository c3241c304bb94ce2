//! `yima-bench`: custody-event load against real nodes on loopback.
//!
//! 1. A [`Testnet`] of `validators` release-built nodes whose genesis is the `local` preset plus `clients ×
//!    accounts` operator accounts of its manufacturer; the manufacturer registers the product (a setup
//!    transaction, waited for).
//! 2. **Maximum load**: each client sends signed `capture` transactions of `events_per_tx` commissioning events
//!    (new codes each) to its node (client `c` → node `c mod nodes`) in `author_submitBatch` batches, keeping a
//!    window of unfinalized transactions; after a warm-up the finalized events of the measured window give
//!    events/s, the node processes' CPU time (`/proc/<pid>/stat`) CPU seconds per 1,000 events.
//! 3. **Latency**: the same at a fixed offered rate (by default half the measured maximum), batches every 50 ms;
//!    submit → finalized is measured per transaction (finalized = node 0's finalized-head notification).
//! 4. The nodes are stopped (SIGTERM); bytes on disk per event = each node's `chains/` directory over the events
//!    finalized; node 0's store is read back to count captured events and failed transactions.
//!
//! Transactions are signed before each phase starts, so the clients spend no CPU on signing while measuring.

mod attack;
mod clients;
mod presign;
mod report;
mod tracker;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use attack::{run_attack, AttackReport};
pub use clients::{run_client, ClientOutcome, Pace};
pub use presign::{account_names, ClientKeys, Prepared};
pub use report::{check_store, PhaseReport, StoreCheck};
pub use tracker::{BlockSeen, Finalized, Tracker};

use crate::testnet::{dir_bytes, Testnet};
use crate::workload::{add_operators, register_product, Signer, MANUFACTURER, MANUFACTURER_USCC};

/// How to run the bench.
#[derive(Clone, Debug)]
pub struct BenchConfig {
    /// Validators.
    pub validators: usize,
    /// Client tasks.
    pub clients: usize,
    /// Operator accounts per client (nonces advance in parallel across them).
    pub accounts_per_client: usize,
    /// Custody events per signed transaction.
    pub events_per_tx: u32,
    /// Measured seconds per phase.
    pub duration: Duration,
    /// Unmeasured seconds at the start of each phase.
    pub warmup: Duration,
    /// Transactions per `author_submitBatch` at maximum load.
    pub batch: usize,
    /// Unfinalized events each client keeps in flight at maximum load.
    pub window_events: u64,
    /// Most events per second the maximum-load phase can reach (bounds the transactions signed beforehand).
    pub max_rate: f64,
    /// Skip the maximum-load phase and offer this many events per second in the latency phase.
    pub rate: Option<f64>,
    /// Skip the latency phase.
    pub skip_latency: bool,
    /// `--idle-block-secs` of the nodes.
    pub idle_block_secs: u64,
    /// `RUST_LOG` of the nodes.
    pub log_filter: String,
}

/// Everything a run measured.
#[derive(Clone, Debug)]
pub struct BenchReport {
    /// The maximum-load phase.
    pub max: Option<PhaseReport>,
    /// The fixed-rate phase.
    pub latency: Option<PhaseReport>,
    /// Bytes under each node's `chains/` directory after the run.
    pub disk_bytes: Vec<u64>,
    /// Node 0's store, read back.
    pub store: StoreCheck,
    /// Client outcomes of every phase.
    pub clients: Vec<ClientOutcome>,
    /// Where the nodes' logs were kept.
    pub kept: Option<std::path::PathBuf>,
}

fn cpu_total(net: &Testnet) -> f64 {
    (0..net.len())
        .filter_map(|i| net.node(i).cpu_seconds())
        .sum()
}

/// Runs one phase: `clients` tasks with `txs[c]` each, paced by `pace`, for `warmup + duration`, then waits
/// (bounded) for what was sent to finalize.
async fn phase(
    net: &Testnet,
    tracker: &Arc<Tracker>,
    config: &BenchConfig,
    name: String,
    txs: Vec<Vec<Prepared>>,
    batch: usize,
    pace: Pace,
) -> anyhow::Result<(PhaseReport, Vec<ClientOutcome>)> {
    let start = Instant::now();
    let from = start + config.warmup;
    let end = from + config.duration;
    let mut tasks = Vec::new();
    for (c, txs) in txs.into_iter().enumerate() {
        let rpc = net.rpc(c % net.len()).clone();
        tasks.push(tokio::spawn(run_client(
            c,
            rpc,
            tracker.clone(),
            txs,
            batch,
            pace,
            end,
        )));
    }
    let finalized_before = tracker.finalized().len();
    // CPU time of the node processes, sampled every 250 ms from the window's start to its end.
    tokio::time::sleep_until(from.into()).await;
    let mut cpu = vec![(Instant::now(), cpu_total(net))];
    let mut sampler = tokio::time::interval(Duration::from_millis(250));
    while Instant::now() < end {
        sampler.tick().await;
        cpu.push((Instant::now(), cpu_total(net)));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await??);
    }
    // Drain: what was sent finalizes (bounded), so latency counts slow transactions rather than dropping them.
    let drain_until = Instant::now() + Duration::from_secs(60);
    let mut heights = tracker.heights();
    while tracker.pending() > 0 && Instant::now() < drain_until {
        let _ = tokio::time::timeout_at(drain_until.into(), heights.changed()).await;
    }
    let finalized = tracker.finalized();
    // Clients that ran out of prepared transactions before the end: measure up to the last finalization.
    let mut end = end;
    if outcomes.iter().all(|o| o.unsent.is_empty()) {
        if let Some(last) = finalized[finalized_before..].iter().map(|f| f.at).max() {
            if last < end && last > from {
                eprintln!(
                    "the clients ran out of signed transactions {:.1} s early: raise --max-rate",
                    (end - last).as_secs_f64()
                );
                end = last + Duration::from_millis(1);
            }
        }
    }
    let sent_in_window = finalized[finalized_before..]
        .iter()
        .filter(|f| f.submitted >= from && f.submitted < end)
        .count() as u64
        + tracker.pending() as u64;
    let report = PhaseReport::new(
        name,
        from,
        end,
        &finalized,
        &tracker.blocks(),
        cpu_between(&cpu, from, end),
        sent_in_window,
    );
    Ok((report, outcomes))
}

/// CPU seconds between the samples nearest to `from` and `to`.
fn cpu_between(samples: &[(Instant, f64)], from: Instant, to: Instant) -> f64 {
    let at = |t: Instant| {
        samples
            .iter()
            .min_by_key(|(when, _)| if *when > t { *when - t } else { t - *when })
            .map(|(_, c)| *c)
            .unwrap_or(0.0)
    };
    at(to) - at(from)
}

/// Signs `counts[c]` transactions for each client `c`, one thread per client.
fn prepare(
    keys: &mut [ClientKeys],
    genesis: &yima_frame::Hash,
    counts: &[usize],
    events_per_tx: u32,
) -> Vec<Vec<Prepared>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = keys
            .iter_mut()
            .zip(counts)
            .map(|(k, &n)| s.spawn(move || k.prepare(genesis, n, events_per_tx)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("signing thread"))
            .collect()
    })
}

/// Runs the bench; progress goes to stderr.
pub async fn run(config: BenchConfig) -> anyhow::Result<BenchReport> {
    let mut spec = yima_chain_spec::presets::local();
    let names: Vec<String> = (0..config.clients)
        .flat_map(|c| account_names(c, config.accounts_per_client))
        .collect();
    add_operators(&mut spec, MANUFACTURER_USCC, &names);
    let mut net = Testnet::builder(config.validators)
        .chain_spec(spec)
        .idle_block_secs(config.idle_block_secs)
        .log_filter(&config.log_filter)
        .start()
        .await?;
    let genesis = net.genesis_hash();
    eprintln!(
        "{} validator(s) up on 127.0.0.1 ({}); registering the product",
        config.validators,
        net.dir().display()
    );
    let register = Signer::dev(MANUFACTURER, 0).sign(&genesis, register_product());
    let hash = net.rpc(0).submit(&register).await?;
    net.wait_finalized(0, &hash, 0, net.timeout()).await?;

    let tracker = Tracker::new(config.clients);
    let head = net.rpc(0).finalized_head().await?.number;
    let followers = tracker.follow(net.rpc(0).clone(), head).await?;
    let mut keys: Vec<ClientKeys> = (0..config.clients)
        .map(|c| ClientKeys::new(c, config.accounts_per_client))
        .collect();
    let per_tx = f64::from(config.events_per_tx);
    let seconds = (config.warmup + config.duration).as_secs_f64();
    let mut all_outcomes = Vec::new();
    // What a phase did not send, per client: the next phase sends it first (nonce order).
    let mut carried: Vec<Vec<Prepared>> = vec![Vec::new(); config.clients];

    let mut max = None;
    let rate = match config.rate {
        Some(r) => r,
        None => {
            let per_client =
                (config.max_rate * seconds / per_tx / config.clients as f64).ceil() as usize;
            let signing = Instant::now();
            let counts = vec![per_client; config.clients];
            let txs = prepare(&mut keys, &genesis, &counts, config.events_per_tx);
            eprintln!(
                "signed {} transactions of {} event(s) in {:.1} s; maximum load for {:?} + {:?} warm-up",
                per_client * config.clients,
                config.events_per_tx,
                signing.elapsed().as_secs_f64(),
                config.duration,
                config.warmup
            );
            let window = (config.window_events as f64 / per_tx).ceil().max(1.0) as u64;
            let (report, mut outcomes) = phase(
                &net,
                &tracker,
                &config,
                "max".into(),
                txs,
                config.batch,
                Pace::Window(window),
            )
            .await?;
            eprint!("{}", report.render());
            let rate = report.events_per_second() / 2.0;
            for (c, o) in outcomes.iter_mut().enumerate() {
                carried[c] = std::mem::take(&mut o.unsent);
            }
            all_outcomes.extend(outcomes);
            max = Some(report);
            rate
        }
    };

    let mut latency = None;
    if !config.skip_latency {
        let tx_rate = rate / per_tx;
        let per_client = (tx_rate * seconds * 1.2 / config.clients as f64).ceil() as usize + 1;
        let counts: Vec<usize> = carried
            .iter()
            .map(|c| per_client.saturating_sub(c.len()))
            .collect();
        let fresh = prepare(&mut keys, &genesis, &counts, config.events_per_tx);
        let txs: Vec<Vec<Prepared>> = carried
            .into_iter()
            .zip(fresh)
            .map(|(mut old, new)| {
                old.extend(new);
                old
            })
            .collect();
        eprintln!("latency at {rate:.0} events/s offered ({tx_rate:.1} tx/s)");
        let (report, outcomes) = phase(
            &net,
            &tracker,
            &config,
            format!("rate {rate:.0} events/s"),
            txs,
            usize::MAX,
            Pace::Rate {
                per_second: tx_rate / config.clients as f64,
                tick: Duration::from_millis(50),
            },
        )
        .await?;
        eprint!("{}", report.render());
        all_outcomes.extend(outcomes);
        latency = Some(report);
    }

    for f in followers {
        f.abort();
    }
    net.terminate_all()?;
    let disk_bytes: Vec<u64> = (0..net.len())
        .map(|i| dir_bytes(&net.node(i).config.base_path.join("chains")))
        .collect();
    let db = net.store_path(0);
    let store = check_store(&db)?;
    let kept = std::env::var_os("YIMA_TESTNET_KEEP")
        .is_some()
        .then(|| net.keep());
    Ok(BenchReport {
        max,
        latency,
        disk_bytes,
        store,
        clients: all_outcomes,
        kept,
    })
}
