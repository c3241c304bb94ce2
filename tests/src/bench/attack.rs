//! Honest load under attack: the latency phase of the bench (signed custody events at a fixed rate, submit →
//! finalized per transaction) while an [`Attacker`] runs against the same nodes. Used by `yima-bench --attack
//! KIND` and by `tests/adversarial.rs`.

use std::time::{Duration, Instant};

use super::{account_names, ClientKeys, Tracker};
use super::{check_store, phase, prepare, Pace, PhaseReport, StoreCheck};
use crate::attack::{add_attackers, AttackKind, AttackOutcome, AttackSize, Attacker};
use crate::testnet::Testnet;
use crate::workload::{add_operators, register_product, Signer, MANUFACTURER, MANUFACTURER_USCC};

use super::BenchConfig;

/// What a run under attack measured.
#[derive(Clone, Debug)]
pub struct AttackReport {
    /// The attack.
    pub kind: AttackKind,
    /// The honest clients' phase: latency, blocks, transactions lost.
    pub honest: PhaseReport,
    /// What the attacker sent and what became of it.
    pub attack: AttackOutcome,
    /// Longest time between two consecutive finalized blocks during the measured window (an upper bound on the
    /// slowest block's execution, since a block is executed before it is finalized).
    pub longest_block_gap: Duration,
    /// Finalized blocks per second during the window.
    pub blocks_per_second: f64,
    /// Honest transactions the nodes refused (never sent again), and the first reason.
    pub honest_refused: (u64, Option<String>),
    /// Node 0's store, read back after the run: failed transactions (only the attacker's can fail) and why.
    pub store: StoreCheck,
}

impl AttackReport {
    /// One table row: attack | honest p50 | honest p99 | lost | blocks/s | longest gap | attacker outcome.
    pub fn row(&self) -> String {
        let refused = match &self.honest_refused {
            (0, _) => String::new(),
            (n, first) => format!(
                " ({n} refused{})",
                first
                    .as_deref()
                    .map(|f| format!(": {f}"))
                    .unwrap_or_default()
            ),
        };
        let ms = |d: Option<Duration>| {
            d.map(|d| format!("{:.0} ms", d.as_secs_f64() * 1e3))
                .unwrap_or_else(|| "—".into())
        };
        format!(
            "| {} | {} | {} | {} of {}{refused} | {:.2} | {:.2} s | {} |",
            self.kind.name(),
            ms(self.honest.latency(0.50)),
            ms(self.honest.latency(0.99)),
            self.honest.lost,
            self.honest.txs + self.honest.lost,
            self.blocks_per_second,
            self.longest_block_gap.as_secs_f64(),
            self.attack.render()
        )
    }
}

/// Starts a Testnet as [`super::run`] does (plus the attacker accounts), sets `kind` up, then runs honest
/// clients at `rate` events/s ([`BenchConfig::rate`], one event per transaction) for the warm-up and the measured
/// window while the attacker runs, and stops the nodes.
pub async fn run_attack(
    config: BenchConfig,
    kind: AttackKind,
    size: AttackSize,
) -> anyhow::Result<AttackReport> {
    let rate = config
        .rate
        .ok_or_else(|| anyhow::anyhow!("an attack run needs --rate (half the measured maximum)"))?;
    let mut spec = yima_chain_spec::presets::local();
    let names: Vec<String> = (0..config.clients)
        .flat_map(|c| account_names(c, config.accounts_per_client))
        .collect();
    add_operators(&mut spec, MANUFACTURER_USCC, &names);
    add_attackers(&mut spec, &size);
    let node_args: Vec<String> = size
        .pool_limit
        .map(|n| vec!["--pool-limit".to_string(), n.to_string()])
        .unwrap_or_default();
    let mut net = Testnet::builder(config.validators)
        .chain_spec(spec)
        .node_args(&node_args)
        .idle_block_secs(config.idle_block_secs)
        .log_filter(&config.log_filter)
        .start()
        .await?;
    let result = attack_on(&net, &config, rate, kind, size).await;
    if result.is_err() {
        eprintln!("{}", net.log_tails(20));
    }
    net.terminate_all()?;
    let db = net.store_path(0);
    let store = check_store(&db);
    if std::env::var_os("YIMA_TESTNET_KEEP").is_some() {
        eprintln!("node logs and stores kept in {}", net.keep().display());
    }
    let mut report = result?;
    report.store = store?;
    Ok(report)
}

async fn attack_on(
    net: &Testnet,
    config: &BenchConfig,
    rate: f64,
    kind: AttackKind,
    size: AttackSize,
) -> anyhow::Result<AttackReport> {
    let genesis = net.genesis_hash();
    let head = net.rpc(0).finalized_head().await?.number;
    let register = Signer::dev(MANUFACTURER, 0).sign(&genesis, register_product());
    let hash = net.rpc(0).submit(&register).await?;
    net.wait_finalized(0, &hash, head, net.timeout()).await?;
    eprintln!("setting up the {} attack", kind.name());
    let mut attacker = Attacker::prepare(net, kind, size).await?;

    let tracker = Tracker::new(config.clients);
    let head = net.rpc(0).finalized_head().await?.number;
    let followers = tracker.follow(net.rpc(0).clone(), head).await?;
    let mut keys: Vec<ClientKeys> = (0..config.clients)
        .map(|c| ClientKeys::new(c, config.accounts_per_client))
        .collect();
    let seconds = (config.warmup + config.duration).as_secs_f64();
    let per_client = (rate * seconds * 1.2 / config.clients as f64).ceil() as usize + 1;
    let txs = prepare(&mut keys, &genesis, &vec![per_client; config.clients], 1);

    eprintln!(
        "finalized heights at the attack's start: {}",
        heights(net).await
    );
    let start = Instant::now();
    let end = start + config.warmup + config.duration;
    let attack = tokio::spawn(async move { attacker.run(end).await });
    eprintln!(
        "honest load at {rate:.0} events/s for {:?} + {:?} warm-up while the attack runs",
        config.duration, config.warmup
    );
    let (honest, clients) = phase(
        net,
        &tracker,
        config,
        format!("honest {rate:.0} events/s under {}", kind.name()),
        txs,
        usize::MAX,
        Pace::Rate {
            per_second: rate / config.clients as f64,
            tick: Duration::from_millis(50),
        },
    )
    .await?;
    let mut outcome = attack.await??;
    for f in followers {
        f.abort();
    }
    eprintln!(
        "finalized heights at the attack's end: {}",
        heights(net).await
    );
    let last = net.rpc(0).finalized_head().await?.number;
    outcome.count_included(net.rpc(0), head + 1, last).await?;

    let from = start + config.warmup;
    let blocks: Vec<Instant> = tracker
        .blocks()
        .iter()
        .map(|b| b.at)
        .filter(|at| *at >= from && *at <= end)
        .collect();
    let longest_block_gap = std::iter::once(from)
        .chain(blocks.iter().copied())
        .chain(std::iter::once(end))
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| w[1].saturating_duration_since(w[0]))
        .max()
        .unwrap_or_default();
    let blocks_per_second = blocks.len() as f64 / config.duration.as_secs_f64();
    let honest_refused = (
        clients.iter().map(|c| c.refused).sum(),
        clients.iter().find_map(|c| c.first_refusal.clone()),
    );
    Ok(AttackReport {
        kind,
        honest,
        attack: outcome,
        longest_block_gap,
        blocks_per_second,
        honest_refused,
        store: StoreCheck::default(),
    })
}

/// Every node's finalized height (or why it did not answer), for the log: a node far behind the others during
/// an attack makes every height it proposes wait out the propose timeout.
async fn heights(net: &Testnet) -> String {
    let mut out = Vec::with_capacity(net.len());
    for i in 0..net.len() {
        out.push(match net.rpc(i).finalized_head().await {
            Ok(h) => h.number.to_string(),
            Err(e) => format!("? ({e})"),
        });
    }
    out.join(", ")
}
