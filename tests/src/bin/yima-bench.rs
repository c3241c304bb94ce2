//! `yima-bench`: starts `--validators` yima-node processes on loopback, loads them with signed custody events
//! from `--clients` tasks and prints finalized events/s, submit → finalized latency p50/p99 at a fixed load, CPU
//! seconds per 1,000 events and bytes on disk per event. See [`yima_tests::bench`].
//!
//! `cargo run --release -p yima-tests --bin yima-bench -- --validators 4 --clients 8 --events-per-tx 1 --duration 30`
//!
//! With `--attack KIND` (see [`yima_tests::attack`]) it runs only the latency phase, at `--rate` events/s (half
//! the maximum measured without attack), while the attack runs, and prints one row of the attack table:
//! `yima-bench --attack observe-bomb --rate 400` (`--attack all` runs each kind on a fresh Testnet).

use std::time::Duration;

use clap::Parser;
use yima_tests::attack::{AttackKind, AttackSize};
use yima_tests::bench::{run, run_attack, BenchConfig};

/// Which attack to run beside the honest load.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum AttackArg {
    /// Every kind, one fresh Testnet each.
    All,
    /// OBSERVE events on a big pallet.
    ObserveBomb,
    /// Gapped-nonce transactions filling the pools.
    NonceFlood,
    /// Member keys with garbage signatures.
    ForgedSignatures,
    /// Expensive concurrent readers on the RPC port.
    ReaderFlood,
}

impl AttackArg {
    fn kinds(self) -> Vec<AttackKind> {
        match self {
            AttackArg::All => AttackKind::ALL.to_vec(),
            AttackArg::ObserveBomb => vec![AttackKind::ObserveBomb],
            AttackArg::NonceFlood => vec![AttackKind::NonceFlood],
            AttackArg::ForgedSignatures => vec![AttackKind::ForgedSignatures],
            AttackArg::ReaderFlood => vec![AttackKind::ReaderFlood],
        }
    }
}

/// Custody-event load against real Yima nodes on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "yima-bench", about, long_about = None)]
struct Args {
    /// Validators (separate processes).
    #[arg(long, default_value_t = 4)]
    validators: usize,
    /// Client tasks sending load (client c sends to node c mod validators).
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Operator accounts per client.
    #[arg(long, default_value_t = 16)]
    accounts: usize,
    /// Custody events per signed transaction (1 = one signature per event; 100 = batched).
    #[arg(long, default_value_t = 1)]
    events_per_tx: u32,
    /// Measured seconds of each phase.
    #[arg(long, default_value_t = 30)]
    duration: u64,
    /// Unmeasured seconds at the start of each phase.
    #[arg(long, default_value_t = 5)]
    warmup: u64,
    /// Transactions per author_submitBatch call at maximum load [default: 2,000 events' worth, at least 1].
    #[arg(long)]
    batch: Option<usize>,
    /// Unfinalized events each client keeps in flight at maximum load.
    #[arg(long, default_value_t = 3_000)]
    window_events: u64,
    /// Ceiling of the maximum-load phase in events/s (how many transactions are signed beforehand)
    /// [default: 15,000 for 1 event per transaction, 80,000 otherwise].
    #[arg(long)]
    max_rate: Option<f64>,
    /// Skip the maximum-load phase and measure latency at this many events/s [default: half the maximum].
    #[arg(long)]
    rate: Option<f64>,
    /// Skip the latency phase.
    #[arg(long)]
    no_latency: bool,
    /// Seconds between empty blocks when idle.
    #[arg(long, default_value_t = 1)]
    idle_block_secs: u64,
    /// RUST_LOG of the nodes.
    #[arg(long, default_value = "info")]
    node_log: String,
    /// Run this attack beside honest load at `--rate` (latency phase only).
    #[arg(long, value_enum)]
    attack: Option<AttackArg>,
    /// Attack at the CI tests' size instead of the issue's (10,000-item pallet, 40 accounts …).
    #[arg(long)]
    small_attack: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let events = args.events_per_tx.max(1);
    let config = BenchConfig {
        validators: args.validators.max(1),
        clients: args.clients.max(1),
        accounts_per_client: args.accounts.max(1),
        events_per_tx: events,
        duration: Duration::from_secs(args.duration.max(1)),
        warmup: Duration::from_secs(args.warmup),
        batch: args
            .batch
            .unwrap_or_else(|| (2_000 / events as usize).max(1)),
        window_events: args.window_events,
        max_rate: args
            .max_rate
            .unwrap_or(if events == 1 { 15_000.0 } else { 80_000.0 }),
        rate: args.rate,
        skip_latency: args.no_latency,
        idle_block_secs: args.idle_block_secs,
        log_filter: args.node_log.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    if let Some(attack) = args.attack {
        let size = if args.small_attack {
            AttackSize::small()
        } else {
            AttackSize::issue()
        };
        let mut rows = Vec::new();
        for kind in attack.kinds() {
            let report = runtime.block_on(run_attack(config.clone(), kind, size.clone()))?;
            eprint!("{}", report.honest.render());
            eprintln!("{}", report.row());
            rows.push(report.row());
        }
        println!(
            "yima-bench --attack: {} validator(s), honest {} clients at {:.0} events/s, {} s measured after {} s \
             warm-up, attack size {}",
            config.validators,
            config.clients,
            config.rate.unwrap_or_default(),
            config.duration.as_secs(),
            config.warmup.as_secs(),
            if args.small_attack { "small" } else { "issue" }
        );
        println!("| attack | honest p50 | honest p99 | honest lost | blocks/s | longest block gap | attacker |");
        println!("|---|---|---|---|---|---|---|");
        for row in rows {
            println!("{row}");
        }
        return Ok(());
    }
    let report = runtime.block_on(run(config.clone()))?;

    println!(
        "yima-bench: {} validator(s), {} clients × {} accounts, {} event(s) per signed transaction, {} s measured \
         after {} s warm-up per phase",
        config.validators,
        config.clients,
        config.accounts_per_client,
        config.events_per_tx,
        config.duration.as_secs(),
        config.warmup.as_secs()
    );
    for phase in [&report.max, &report.latency].into_iter().flatten() {
        print!("{}", phase.render());
    }
    let events = report.store.captured.max(1);
    let per_node: Vec<String> = report
        .disk_bytes
        .iter()
        .map(|b| format!("{:.1} MB", *b as f64 / 1e6))
        .collect();
    println!(
        "disk: {} per node = {:.0} bytes per event per node (all nodes: {:.0})",
        per_node.join(", "),
        report.disk_bytes.iter().sum::<u64>() as f64
            / report.disk_bytes.len() as f64
            / events as f64,
        report.disk_bytes.iter().sum::<u64>() as f64 / events as f64,
    );
    let s = &report.store;
    println!(
        "node 0's store: head {}, {} transactions, {} failed{}, {} custody events captured",
        s.head,
        s.txs,
        s.failed,
        s.first_failure
            .as_ref()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default(),
        s.captured
    );
    let admitted: u64 = report.clients.iter().map(|c| c.admitted).sum();
    let retried: u64 = report.clients.iter().map(|c| c.retried).sum();
    let refused: u64 = report.clients.iter().map(|c| c.refused).sum();
    println!(
        "clients: {admitted} admitted, {retried} pool-full retries, {refused} refused{}",
        report
            .clients
            .iter()
            .find_map(|c| c.first_refusal.clone())
            .map(|r| format!(" (first: {r})"))
            .unwrap_or_default()
    );
    if let Some(dir) = &report.kept {
        println!("node logs and stores kept in {}", dir.display());
    }
    anyhow::ensure!(
        s.failed == 0 && refused == 0,
        "the load must be valid: {} failed transactions, {refused} refused",
        s.failed
    );
    Ok(())
}
