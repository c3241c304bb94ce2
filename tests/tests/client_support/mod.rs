//! Running the `yima` binary from the client tests: built once per test process into the target directory and
//! profile the node binary uses (as the Testnet harness builds `yima-node`), then run with `assert_cmd`.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;
use yima_tests::testnet::node_binary;

/// The `yima` binary, built on first use.
pub fn yima_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let node = node_binary();
        let dir = node
            .parent()
            .expect("the node binary is in a profile directory");
        let profile = match dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev".to_string(),
            Some(other) => other.to_string(),
            None => panic!("cannot tell the cargo profile from {}", dir.display()),
        };
        let target = dir
            .parent()
            .expect("a profile directory is inside the target directory");
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("tests/ is in the workspace");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(workspace)
            .env("CARGO_TARGET_DIR", target)
            .args([
                "build",
                "-p",
                "yima-client",
                "--bin",
                "yima",
                "--profile",
                &profile,
            ])
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "`cargo build -p yima-client --bin yima` failed"
        );
        dir.join(format!("yima{}", std::env::consts::EXE_SUFFIX))
    })
}

/// `yima` against the node at `url`, with `YIMA_*` variables cleared, 3 attempts and a 120 s wait (as variables,
/// so a test may still pass `--retries` / `--timeout`).
pub fn yima(url: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(yima_bin());
    cmd.env_remove("YIMA_KEY")
        .env_remove("YIMA_PASSPHRASE")
        .env("YIMA_URL", url)
        .env("YIMA_RETRIES", "3")
        .env("YIMA_TIMEOUT", "120");
    cmd
}

/// Runs `cmd` with `args`; returns the output (stdout, stderr as text) without judging it.
pub fn run(cmd: &mut assert_cmd::Command, args: &[&str]) -> (Output, String, String) {
    let out = cmd.args(args).output().expect("yima runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

/// Runs and expects success; returns stdout.
pub fn ok(cmd: &mut assert_cmd::Command, args: &[&str]) -> String {
    let (out, stdout, stderr) = run(cmd, args);
    assert!(
        out.status.success(),
        "yima {args:?} failed ({}):\n{stderr}\n{stdout}",
        out.status
    );
    stdout
}

/// Runs with `--json` and expects success; returns the JSON.
pub fn ok_json(cmd: &mut assert_cmd::Command, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let stdout = ok(cmd, &all);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("yima {args:?} printed no JSON ({e}):\n{stdout}"))
}

/// Runs and expects failure with `code`; returns stderr.
pub fn fails(cmd: &mut assert_cmd::Command, args: &[&str], code: i32) -> String {
    let (out, stdout, stderr) = run(cmd, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "yima {args:?}: expected exit {code}:\n{stderr}\n{stdout}"
    );
    stderr
}

/// A file under the test data directory.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/client_data")
        .join(name)
}
