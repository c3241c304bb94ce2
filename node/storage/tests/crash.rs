//! Crash safety: a child process commits blocks in a loop and is killed with SIGKILL at a random moment; the
//! reopened store must be at a block at least as high as the last one the child reported committed, with every
//! block readable, the tree's root at the head equal to the head's state root, the flat state equal to a
//! replay in memory, and the next block committing normally.
//!
//! The child is this test binary itself, running the `#[ignore]`d `crash_child` test with
//! `YIMA_STORAGE_CRASH_DIR` set. It prints `committing N` before and `committed N` after each
//! `commit_block`; the parent kills it either a random few milliseconds after a random number of commits
//! (anywhere in the cycle: building, writing, between blocks) or within half a millisecond of a
//! `committing` line (inside the write and its fsync). After each kill the store must hold every reported
//! block and at most the one that was in flight. Seeds are printed; set `YIMA_STORAGE_CRASH_SEED` to
//! replay one.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::BlockNumber;
use yima_storage::{Store, StoreOptions};

const CHILD_DIR: &str = "YIMA_STORAGE_CRASH_DIR";
const CHILD_SYNC: &str = "YIMA_STORAGE_CRASH_SYNC";
const SEED: &str = "YIMA_STORAGE_CRASH_SEED";
/// Databases, each killed `KILLS` times.
const ROUNDS: usize = 4;
const KILLS: usize = 4;

/// The child: commits standard blocks forever, reporting each. Does nothing unless started by the parent.
#[test]
#[ignore = "helper process of kill_9_at_any_moment_loses_nothing_committed"]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let sync = std::env::var(CHILD_SYNC).is_ok_and(|v| v == "1");
    let store = Store::open(
        Path::new(&dir),
        StoreOptions {
            sync,
            ..StoreOptions::default()
        },
    )
    .unwrap();
    let genesis = genesis(Arc::new(MemoryState::new()));
    store.init_genesis(&genesis).unwrap();
    let exec = executive(&genesis.header);
    let mut out = std::io::stdout().lock();
    // Bounded, and stops when the parent is gone (writing to a closed pipe fails).
    for _ in 0..100_000 {
        let head = store.head().unwrap().unwrap();
        let built = build(&exec, Arc::new(store.state().unwrap()), &head);
        let n = built.block.header.number;
        if writeln!(out, "committing {n}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
        store
            .commit_block(&built.block, &certificate(n), built.update, &built.events)
            .unwrap();
        if writeln!(out, "committed {n}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Where to kill the child.
#[derive(Clone, Copy, Debug)]
enum KillPoint {
    /// After it reported this many commits, plus a delay: anywhere in the build-and-commit cycle.
    AfterCommits(usize, Duration),
    /// Right after it announced the commit of its n-th block, plus a short delay: inside `commit_block`
    /// (the checks, the batch, the write, the fsync) or just after it.
    InsideCommit(usize, Duration),
}

/// Runs the child on `dir`, kills it at `point`. Returns the highest block it reported committed.
fn run_and_kill(dir: &Path, sync: bool, point: KillPoint) -> Option<BlockNumber> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir)
        .env(CHILD_SYNC, if sync { "1" } else { "0" })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut last = None;
    let (prefix, wanted, delay) = match point {
        KillPoint::AfterCommits(n, delay) => ("committed ", n, delay),
        KillPoint::InsideCommit(n, delay) => ("committing ", n, delay),
    };
    let mut seen = 0;
    while seen < wanted {
        let line = lines
            .next()
            .expect("the child exited before reporting enough progress")
            .unwrap();
        if let Some(n) = line.strip_prefix("committed ") {
            last = Some(n.parse().unwrap());
        }
        if line.starts_with(prefix) {
            seen += 1;
        }
    }
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    child.kill().unwrap(); // SIGKILL
                           // Commits reported between our last read and the kill count too.
    for line in lines.map_while(Result::ok) {
        if let Some(n) = line.strip_prefix("committed ") {
            last = Some(n.parse().unwrap());
        }
    }
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child was killed, not finished");
    last
}

/// Everything a restart relies on.
fn check_store(dir: &Path, reported: Option<BlockNumber>, previous: BlockNumber) -> BlockNumber {
    let store = open(dir);
    let head = store.head().unwrap().expect("genesis survives");
    let n = head.number;
    let floor = reported.unwrap_or(previous);
    assert!(n >= floor, "head {n} lost a reported commit {reported:?}");
    assert!(n >= previous, "head {n} went back from {previous}");
    assert!(
        n <= floor + 1,
        "at most the one commit in flight is unreported"
    );

    // Every block readable and chained, and its events are the leaves of its events_root.
    let mut parent: Option<yima_runtime::Header> = None;
    for k in 0..=n {
        let block = store
            .block(k)
            .unwrap()
            .unwrap_or_else(|| panic!("block {k} of {n}"));
        if let Some(p) = &parent {
            assert_eq!(block.header.parent_hash, p.hash());
            assert_eq!(store.certificate(k).unwrap(), Some(certificate(k)));
        }
        assert_eq!(
            yima_runtime::merkle::root(&store.events(k).unwrap()),
            block.header.events_root
        );
        parent = Some(block.header);
    }

    // The tree's root at the head is the head's state root; the flat state is what a replay gives.
    let state = store.state().unwrap();
    assert_eq!(state.version(), Some(n));
    assert_eq!(state.tree_root(n).unwrap(), head.state_root);
    assert_eq!(state.root(), head.state_root);
    let mut memory = MemoryChain::new();
    for k in 1..=n {
        let block = store.block(k).unwrap().unwrap();
        let executed = memory
            .exec
            .execute_block(memory.state.clone(), &memory.head, &block, &|_| false)
            .unwrap();
        assert_eq!(executed.events, store.raw_events(k).unwrap());
        memory.state.commit(executed.update).unwrap();
        memory.head = block.header;
    }
    assert_eq!(
        state.scan_prefix(&[]).unwrap(),
        memory.state.scan_prefix(&[]).unwrap(),
        "flat state at {n}"
    );
    // The index has every block's items.
    let index = state.index();
    for k in 2..=n {
        for code in (0..ITEMS).map(|j| item(k, j)) {
            assert!(!yima_runtime::query::EventIndex::events_of_code(&index, &code).is_empty());
        }
    }
    n
}

#[test]
fn kill_9_at_any_moment_loses_nothing_committed() {
    let seed: u64 = std::env::var(SEED)
        .ok()
        .map(|s| s.parse().unwrap())
        .unwrap_or_else(rand::random);
    eprintln!("crash test seed {seed} (set {SEED}={seed} to replay)");
    let mut rng = StdRng::seed_from_u64(seed);
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let sync = round % 2 == 1;
        let mut head = 0;
        for kill in 0..KILLS {
            let point = if rng.gen_bool(0.5) {
                KillPoint::AfterCommits(
                    rng.gen_range(1..=6),
                    Duration::from_micros(rng.gen_range(0..8_000)),
                )
            } else {
                KillPoint::InsideCommit(
                    rng.gen_range(1..=6),
                    Duration::from_micros(rng.gen_range(0..600)),
                )
            };
            let reported = run_and_kill(dir.path(), sync, point);
            head = check_store(dir.path(), reported, head);
            eprintln!(
                "round {round} kill {kill}: sync {sync}, {point:?}, last reported {reported:?}, reopened at {head}"
            );
        }
        // And the chain goes on in this process.
        let store = open(dir.path());
        let genesis = store.header(0).unwrap().unwrap();
        let next = produce(&store, &executive(&genesis));
        assert_eq!(next.block.header.number, head + 1);
        assert_eq!(store.head_number().unwrap(), Some(head + 1));
    }
}
