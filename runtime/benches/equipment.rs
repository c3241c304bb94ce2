//! The equipment register's deadline check per block (`cargo bench -p yima-runtime --bench equipment`): the
//! equipment pallet's `on_initialize`, run as the executive runs it before a block's transactions, over a chain
//! of 1,000 and of 100,000 registered boilers (one inspection deadline each, ten falling due per second a day
//! after registration):
//!
//! 1. a quiet block a second after the head, no deadline due: the cost must not grow with the number of units;
//! 2. the block that reaches the first 1,000 deadlines at once: the cost of opening 1,000 lapses (flag, index,
//!    event), which depends on the deadlines due, not on the units.
//!
//! Each run starts from the head's committed state in fresh externalities; besides criterion's times the bench
//! prints the state reads, writes and events of each case (the externalities' meter), which are exact.

#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use common::{org, BenchChain, BenchOrg, GENESIS_MS, GOVERNOR, OPERATOR};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use yima_codes::RegistrationNumber;
use yima_frame::pallet::Hooks;
use yima_frame::{Hash, Moment};
use yima_membership::OrgKind;
use yima_runtime::{Equipment, RuntimeCall, System};

const ORGS: [BenchOrg; 2] = [
    org(
        "regulator",
        OrgKind::Regulator,
        "11330100MA2Y00000E",
        100,
        GOVERNOR,
    ),
    org(
        "plant",
        OrgKind::Manufacturer,
        "91330100MA2Y00303G",
        1,
        OPERATOR,
    ),
];

/// Registrations per block.
const PER_BLOCK: usize = 5_000;
/// Deadlines falling due in each second.
const PER_SECOND: u64 = 10;
/// When the first deadline falls due: a day after genesis.
const FIRST_DUE: Moment = GENESIS_MS + 86_400_000;

fn boiler(n: usize) -> RegistrationNumber {
    RegistrationNumber::parse(&format!("锅3A浙A{n:06}(20)")).expect("a valid number")
}

fn register(n: usize) -> RuntimeCall {
    RuntimeCall::Equipment(yima_equipment::Call::Register {
        unit: boiler(n),
        giai: None,
        area: 330_106,
        address: format!("Demo 工业园 {n} 号锅炉房").into_bytes(),
        user: 1,
        rescue: b"96333".to_vec(),
        inspection_due: FIRST_DUE + (n as u64 / PER_SECOND) * 1_000,
    })
}

/// A chain with `units` boilers registered.
fn chain(units: usize) -> BenchChain {
    let mut chain = BenchChain::new("equipment", &ORGS);
    for start in (0..units).step_by(PER_BLOCK) {
        let calls = (start..units.min(start + PER_BLOCK))
            .map(register)
            .collect();
        let txs = chain.spread("regulator", calls);
        chain.commit(txs);
    }
    chain
}

/// Runs the deadline hook of the block after the head at `time`; returns the meter's reads, writes and events.
fn hook(chain: &BenchChain, time: Moment) -> (u64, u64, u64) {
    let mut ext = chain.externalities();
    ext.execute_with(|| {
        let number = chain.head.number + 1;
        System::initialize(number, Hash::default(), time);
        <Equipment as Hooks>::on_initialize(number);
        let usage = yima_frame::externalities::meter().usage;
        (usage.reads, usage.writes, usage.events)
    })
}

fn deadline_check(c: &mut Criterion) {
    let mut g = c.benchmark_group("equipment_deadline_check");
    g.sample_size(20);
    for units in [1_000, 100_000] {
        let chain = chain(units);
        let quiet = chain.head.timestamp + 1_000;
        // The block whose time reaches the first 1,000 deadlines.
        let busy = FIRST_DUE + (1_000 / PER_SECOND - 1) * 1_000;
        for (case, time) in [("quiet_block", quiet), ("1000_due", busy)] {
            let (reads, writes, events) = hook(&chain, time);
            println!(
                "equipment_deadline_check/{case}/{units}_units: {reads} reads, {writes} writes, {events} events"
            );
            g.bench_function(format!("{case}/{units}_units"), |b| {
                b.iter_batched(|| (), |()| hook(&chain, time), BatchSize::SmallInput)
            });
        }
    }
    g.finish();
}

criterion_group!(benches, deadline_check);
criterion_main!(benches);
