//! The `yima` CLI's bad input without a chain: a node that is down (clear message after retries with
//! backoff), key files readable by others or with a wrong passphrase, CSV rows that fail their checks (every one
//! listed with its line, nothing submitted).

mod client_support;

use client_support::{fails, ok_json, yima};

/// A loopback port nothing listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_node_that_is_down_is_named_after_retries() {
    let url = dead_url();
    let stderr = fails(&mut yima(&url), &["health"], 1);
    assert!(
        stderr.contains("cannot reach the node at") && stderr.contains("after 3 attempt(s)"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("retrying in").count(), 2, "{stderr}");
}

#[cfg(unix)]
#[test]
fn key_files_with_open_permissions_or_a_wrong_passphrase_are_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let url = dead_url();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    let k = key.to_str().unwrap();
    let made = ok_json(
        yima(&url).env("YIMA_PASSPHRASE", "right"),
        &["key", "generate", "--out", k, "--encrypt"],
    );
    let inspected = ok_json(&mut yima(&url), &["key", "inspect", k]);
    assert_eq!(made["account"], inspected["account"]);
    // Never overwritten.
    let stderr = fails(&mut yima(&url), &["key", "generate", "--out", k], 1);
    assert!(stderr.contains("already exists"), "{stderr}");
    // Wrong passphrase: refused before any network use.
    let stderr = fails(
        yima(&url).env("YIMA_PASSPHRASE", "wrong"),
        &[
            "tx",
            "--key",
            k,
            "trace",
            "recall-code",
            "--code",
            "(01)09521234543213(21)A1",
            "--reason",
            "x",
        ],
        1,
    );
    assert!(stderr.contains("wrong passphrase"), "{stderr}");
    // Readable by others.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stderr = fails(&mut yima(&url), &["key", "inspect", k], 1);
    assert!(
        stderr.contains("644") && stderr.contains("chmod 600"),
        "{stderr}"
    );
}

#[test]
fn bad_csv_rows_are_all_listed_and_nothing_is_submitted() {
    let url = dead_url();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("log.csv");
    std::fs::write(
        &csv,
        "eventTime,code,bizStep\n\
         2026-06-03T08:00:00+08:00,(01)09521234543213(21)A1,shipping\n\
         2026-06-03T08:00:00+08:00,(01)09521234543214(21)A2,shipping\n\
         2026-06-03T08:00:00+08:00,(01)09521234543213(21)A3,shipping\n\
         2026-06-03T08:00:00+08:00,(01)09521234543213(21)A4,nonsense\n",
    )
    .unwrap();
    let stderr = fails(
        &mut yima(&url),
        &["--dev-key", "dave", "import", "csv", csv.to_str().unwrap()],
        1,
    );
    assert!(
        stderr.contains("line 3") && stderr.contains("nothing was submitted"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("cannot reach the node"),
        "parsing comes first: {stderr}"
    );
    assert!(!dir.path().join("log.csv.yima-journal").exists());
}

#[test]
fn verify_of_a_file_that_is_no_bundle_fails_with_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.json");
    std::fs::write(&file, "{\"format\": \"something else\"}").unwrap();
    let stderr = fails(
        &mut yima(&dead_url()),
        &["verify", file.to_str().unwrap(), "--chain-spec", "local"],
        3,
    );
    assert!(stderr.contains("not a yima audit bundle"), "{stderr}");
}
