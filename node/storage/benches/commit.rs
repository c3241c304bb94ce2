//! `commit_block` throughput for blocks of 1,000 trace events, and the bytes on disk each event costs.
//!
//! Blocks are built once in memory (the executive's work is not measured); each measured iteration commits
//! one prebuilt block — header, body, certificate, state changes, tree nodes, events and index entries in one
//! write batch — to a fresh RocksDB store. Every block after the first carries one `capture` of 1,000
//! events: 500 commissionings of new items and 500 storing observations of the previous block's items (the
//! second block commissions 1,000). Run with
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-storage cargo bench -p yima-storage --bench commit
//! ```

#![allow(missing_docs)] // criterion's macros generate undocumented items

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yima_frame::state::MemoryState;
use yima_frame::BlockNumber;
use yima_runtime::executive::BuiltBlock;
use yima_runtime::{Genesis, RuntimeCall};
use yima_storage::{Store, StoreOptions};
use yima_trace::epcis::{Action, BizStep, Location};

const EVENTS: usize = 1_000;
/// Blocks of 1,000 events built ahead (plus the block registering the product).
const BLOCKS: usize = 24;

/// The capture of block `n` (n ≥ 2).
fn capture_call(n: BlockNumber, time: u64) -> RuntimeCall {
    let mut events = Vec::with_capacity(EVENTS);
    let new = if n == 2 { EVENTS } else { EVENTS / 2 };
    for j in 0..new {
        events.push(commissioning(vec![item(n, j)], Some(lot(n)), time));
    }
    if n > 2 {
        for j in 0..EVENTS - new {
            let mut e = object(
                Action::Observe,
                vec![item(n - 1, j)],
                BizStep::Storing,
                time,
            );
            e.biz_location = Some(Location::Other(format!("WH-{n}").into_bytes()));
            events.push(e);
        }
    }
    capture(events)
}

/// Genesis and `BLOCKS + 1` blocks built on the in-memory state.
fn prebuild() -> (Genesis, Vec<BuiltBlock>) {
    let state = Arc::new(MemoryState::new());
    let genesis = genesis(state.clone());
    state.commit(genesis.update.clone()).unwrap();
    let exec = executive(&genesis.header);
    let mut head = genesis.header.clone();
    let mut blocks = Vec::new();
    for n in 1..=(BLOCKS as BlockNumber + 1) {
        let time = head.timestamp + 1_000;
        let calls = if n == 1 {
            calls(1, time)
        } else {
            vec![("bob", capture_call(n, time))]
        };
        let txs = sign(&exec, state.clone(), n + 10, calls);
        let built = build_with(&exec, state.clone(), &head, txs);
        assert_all_ok(&built);
        state.commit(built.update.clone()).unwrap();
        head = built.block.header.clone();
        blocks.push(built);
    }
    (genesis, blocks)
}

fn fresh_store(dir: &std::path::Path, sync: bool, genesis: &Genesis, first: &BuiltBlock) -> Store {
    let store = Store::open(
        dir,
        StoreOptions {
            sync,
            ..StoreOptions::default()
        },
    )
    .unwrap();
    store.init_genesis(genesis).unwrap();
    store
        .commit_block(
            &first.block,
            &certificate(1),
            first.update.clone(),
            &first.events,
        )
        .unwrap();
    store
}

fn commit(c: &mut Criterion) {
    let (genesis, blocks) = prebuild();
    let (first, rest) = blocks.split_first().unwrap();
    let certificate = vec![0xCE; 4 + 64 * 3]; // about a 3-validator Malachite certificate

    let mut group = c.benchmark_group("storage");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(EVENTS as u64));
    for sync in [false, true] {
        group.bench_function(format!("commit_block/1000_trace_events/sync={sync}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut left = iters as usize;
                while left > 0 {
                    let dir = tempfile::tempdir().unwrap();
                    let store = fresh_store(dir.path(), sync, &genesis, first);
                    for built in rest.iter().take(left) {
                        let update = built.update.clone();
                        let start = Instant::now();
                        store
                            .commit_block(&built.block, &certificate, update, &built.events)
                            .unwrap();
                        total += start.elapsed();
                        left -= 1;
                    }
                }
                total
            })
        });
    }
    group.finish();

    // Bytes on disk per event: every block into one store, flushed to table files.
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store(dir.path(), false, &genesis, first);
    store.flush().unwrap();
    let base: u64 = store.table_bytes().unwrap().iter().map(|(_, b)| b).sum();
    let base_per_cf = store.table_bytes().unwrap();
    for built in rest {
        store
            .commit_block(
                &built.block,
                &certificate,
                built.update.clone(),
                &built.events,
            )
            .unwrap();
    }
    store.flush().unwrap();
    let events = (rest.len() * EVENTS) as f64;
    let per_cf = store.table_bytes().unwrap();
    let total: u64 = per_cf.iter().map(|(_, b)| b).sum();
    println!(
        "storage/bytes_per_event: {:.0} bytes of table files per trace event ({} blocks of {EVENTS} events, lz4, \
         after flush; tree and flat state included)",
        total.saturating_sub(base) as f64 / events,
        rest.len()
    );
    for ((name, bytes), (_, before)) in per_cf.iter().zip(&base_per_cf) {
        println!(
            "  {name:>12}: {:>7.1} bytes/event",
            bytes.saturating_sub(*before) as f64 / events
        );
    }
    let dir_bytes: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "storage/directory_bytes: {dir_bytes} bytes in the database directory for {} events (incl. WAL, MANIFEST, LOG)",
        events as u64
    );
}

criterion_group!(benches, commit);
criterion_main!(benches);
