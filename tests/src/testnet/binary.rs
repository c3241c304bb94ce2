//! Finding the `yima-node` binary the Testnet runs.
//!
//! `YIMA_NODE_BIN` names it explicitly. Otherwise the binary is built once per process with
//! `cargo build -p yima-node` into the same target directory and profile as the running executable (a test
//! binary in `<target>/<profile>/deps/`, or a tool such as `yima-bench` in `<target>/<profile>/`), so
//! `cargo test` on a clean clone works without building the node first, and a release bench runs a release node.
//! A debug (test) build has the `byzantine` feature, so a Testnet can start a lying validator; a release build
//! does not.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Environment variable naming a prebuilt `yima-node` binary.
pub const NODE_BIN_ENV: &str = "YIMA_NODE_BIN";

/// The `yima-node` binary, built on first use (once per process). Panics with the build's error if it cannot
/// be built: nothing of a Testnet can run without it.
pub fn node_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| match locate() {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    })
}

fn locate() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os(NODE_BIN_ENV) {
        let path = PathBuf::from(path);
        anyhow::ensure!(
            path.is_file(),
            "{NODE_BIN_ENV}={} is not a file: point it at a built yima-node or unset it to build one",
            path.display()
        );
        return Ok(path);
    }
    let exe = std::env::current_exe()?;
    let mut dir = exe
        .parent()
        .ok_or_else(|| anyhow::anyhow!("{} has no parent directory", exe.display()))?;
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir = dir.parent().unwrap_or(dir);
    }
    let profile_dir = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow::anyhow!("cannot tell the cargo profile from {}", dir.display()))?;
    let profile = match profile_dir {
        "debug" => "dev",
        other => other,
    };
    let target_dir = dir
        .parent()
        .ok_or_else(|| anyhow::anyhow!("{} has no target directory", dir.display()))?;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or_else(|| anyhow::anyhow!("the yima-tests crate is not inside the workspace"))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut args = vec![
        "build",
        "-p",
        "yima-node",
        "--bin",
        "yima-node",
        "--profile",
        profile,
    ];
    if profile == "dev" {
        // Test builds can start a lying validator (`--byzantine`, issue 14); release builds — what the benches
        // measure — are production builds, without it.
        args.extend(["--features", "byzantine"]);
    }
    let status = Command::new(&cargo)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(&args)
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    anyhow::ensure!(
        status.success(),
        "`cargo {}` failed ({status}); fix the build or set {NODE_BIN_ENV}",
        args.join(" ")
    );
    let bin = dir.join(format!("yima-node{}", std::env::consts::EXE_SUFFIX));
    anyhow::ensure!(
        bin.is_file(),
        "cargo built yima-node but {} does not exist; set {NODE_BIN_ENV}",
        bin.display()
    );
    Ok(bin)
}

/// Whether the node's command line has `flag` (e.g. `--node-key`), read once from `yima-node --help`.
pub fn node_has_flag(flag: &str) -> bool {
    static HELP: OnceLock<String> = OnceLock::new();
    let help = HELP.get_or_init(|| {
        Command::new(node_binary())
            .arg("--help")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    });
    help.split(|c: char| c.is_whitespace() || c == ',' || c == '=')
        .any(|word| word == flag)
}
