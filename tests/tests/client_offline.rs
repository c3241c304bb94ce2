//! The `yima` CLI's bad input without a chain: a node that is down (clear message after retries with
//! backoff), key files readable by others or with a wrong passphrase, CSV rows that fail their checks (every one
//! listed with its line, nothing submitted), person ids derived offline against the chain spec's derivation.

mod client_support;

use client_support::{fails, ok, ok_json, run, yima};

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

/// `yima person-id` against the dev chain spec, no node: the demo's ids from their resident ids in any spelling;
/// a batch with one mistyped id prints nothing and names the line; another chain's key is refused before
/// anything is derived; a new key's file is 0600 and the chain spec entry it prints names its commitment.
#[test]
fn person_ids_derive_under_the_chain_s_key_only_and_a_bad_batch_prints_nothing() {
    use yima_chain_spec::demo::people::person;
    let url = dead_url();
    let hex_of = |label: &str| format!("0x{}", hex::encode(person(label).0));
    let one = ok(
        &mut yima(&url),
        &[
            "--chain",
            "dev",
            "person-id",
            "derive",
            "--dev-id-key",
            "330106 19850315 0016",
        ],
    );
    assert_eq!(one, format!("{}\n", hex_of("recipient 1")));

    let batch = "330106198503150016\n\n33010619920708002x\n";
    let (out, stdout, _) = run(
        yima(&url).write_stdin(batch),
        &["--chain", "dev", "person-id", "derive", "--dev-id-key"],
    );
    assert!(out.status.success());
    assert_eq!(
        stdout,
        format!("{}\n{}\n", hex_of("recipient 1"), hex_of("recipient 2"))
    );

    let typo = "330106198503150016\n330106198503150017\n";
    let (out, stdout, stderr) = run(
        yima(&url).write_stdin(typo),
        &["--chain", "dev", "person-id", "derive", "--dev-id-key"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("resident id 2 of 2") && stderr.contains("check character"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("33010619850315"),
        "the message repeats an id: {stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("person-id.key");
    let k = key.to_str().unwrap();
    let entry = ok_json(&mut yima(&url), &["person-id", "generate-key", "--out", k]);
    assert_eq!(entry["derivation"], "hmac-sha256-gb11643");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let stderr = fails(
        &mut yima(&url),
        &[
            "--chain",
            "dev",
            "person-id",
            "derive",
            "--id-key",
            k,
            "330106198503150016",
        ],
        1,
    );
    assert!(
        stderr.contains("is not the chain's")
            && stderr.contains(entry["key_commitment"].as_str().unwrap()),
        "{stderr}"
    );
    fails(
        &mut yima(&url),
        &["person-id", "generate-key", "--out", k],
        1,
    );
}
