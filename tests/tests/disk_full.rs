//! A full disk under a running validator (issue 14's fault campaign): the node's chain directory (RocksDB store
//! and consensus WAL) is moved onto a small tmpfs of its own (mounted by the test; root is needed), the node is
//! restarted on it and finalizes, then a file fills the tmpfs to the last byte. The node must stop by itself with
//! a message naming the cause (no restart loop, no silent stall), and once the file is removed a restart must
//! recover: every block it had finalized is still there under the same hash, and it finalizes again.
//!
//! Waits follow finalized heights or the process's exit; no sleep stands in for a condition.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use yima_tests::testnet::Testnet;

/// A tmpfs mounted at a path, unmounted on drop (even when the test fails).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Self {
        std::fs::create_dir_all(at).expect("the mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a tmpfs at {} failed ({status}): this test needs root (it runs as root in CI)",
            at.display()
        );
        Self(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros to `path` until the file system refuses (ENOSPC); returns how many bytes went in.
fn fill(path: &Path) -> u64 {
    let mut file = std::fs::File::create(path).expect("the filler file");
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match file.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling {}: {e}", path.display()),
        }
    }
    let _ = file.sync_all();
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_the_node_naming_the_cause_and_it_recovers_with_space() {
    let mut net = Testnet::start(1).await.expect("one validator starts");
    let t = net.timeout();
    net.wait_for_height(0, 2, t).await.expect("it finalizes");

    // The chain directory (store and consensus WAL) onto a 64 MiB tmpfs of its own.
    net.terminate_all().expect("a clean stop");
    let chain_dir = net
        .store_path(0)
        .parent()
        .expect("the store is in the chain directory")
        .to_path_buf();
    let moved = chain_dir.with_extension("before-tmpfs");
    std::fs::rename(&chain_dir, &moved).expect("move the chain directory aside");
    let disk = Tmpfs::mount(&chain_dir, "64m");
    let copied = Command::new("cp")
        .arg("-a")
        .arg(moved.join("."))
        .arg(&chain_dir)
        .status()
        .expect("run cp");
    assert!(copied.success(), "copying the chain onto the tmpfs");
    net.start_node(0).await.expect("it restarts on the tmpfs");
    let before = net.rpc(0).finalized_head().await.expect("its head").number;
    net.wait_for_height(0, before + 2, t)
        .await
        .expect("it finalizes on the tmpfs");
    let head = net.rpc(0).finalized_head().await.expect("its head").number;
    let hashes = net.rpc(0).block_hashes(head).await.expect("its hashes");

    // The disk fills up.
    let filler = disk.0.join("filler");
    let written = fill(&filler);
    println!("filled the tmpfs with {written} bytes at height {head}");
    let exit = net.wait_exit(0).await.expect("the node stops by itself");
    let log = net
        .node(0)
        .logs()
        .last()
        .map(|path| std::fs::read_to_string(path).expect("its log"))
        .unwrap_or_default();
    assert!(
        !exit.contains("exit status: 0"),
        "a node that cannot write must not exit as if all were well: {exit}\n{log}"
    );
    for cause in ["No space left on device", "check free disk space"] {
        assert!(
            log.contains(cause),
            "the log does not say {cause:?}:\n{log}"
        );
    }
    println!("{exit}");

    // Space again: it recovers with everything it had finalized, and goes on.
    std::fs::remove_file(&filler).expect("remove the filler");
    net.start_node(0).await.expect("it restarts with space");
    let resumed = net.rpc(0).finalized_head().await.expect("its head").number;
    assert!(
        resumed >= head,
        "it lost finalized blocks: {resumed} < {head}"
    );
    net.wait_for_height(0, resumed + 2, t)
        .await
        .expect("it finalizes again");
    assert_eq!(
        net.rpc(0).block_hashes(head).await.expect("its hashes"),
        hashes,
        "a block it had finalized changed"
    );
    net.terminate_all().expect("a clean stop");
    drop(disk);
}
