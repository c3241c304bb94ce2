use super::*;

#[test]
fn plain_and_encrypted_round_trip_with_0600() {
    let dir = tempfile::tempdir().unwrap();
    let key = generate();
    let plain = dir.path().join("plain.key");
    let info = write(&plain, &key, None).unwrap();
    assert!(!info.encrypted);
    assert_eq!(load(&plain, || None).unwrap().to_bytes(), key.to_bytes());
    assert!(matches!(
        write(&plain, &key, None),
        Err(KeyError::Exists(_))
    ));

    let enc = dir.path().join("enc.key");
    write(&enc, &key, Some("correct horse")).unwrap();
    assert!(inspect(&enc).unwrap().encrypted);
    assert_eq!(inspect(&enc).unwrap().account, info.account);
    assert_eq!(
        load(&enc, || Some("correct horse".into()))
            .unwrap()
            .to_bytes(),
        key.to_bytes()
    );
    assert!(matches!(
        load(&enc, || Some("wrong".into())),
        Err(KeyError::WrongPassphrase(_))
    ));
    assert!(matches!(
        load(&enc, || None),
        Err(KeyError::PassphraseNeeded(_))
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&enc).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[cfg(unix)]
#[test]
fn readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.key");
    write(&path, &generate(), None).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = load(&path, || None).unwrap_err();
    assert!(
        matches!(err, KeyError::Permissions { mode: 0o644, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("chmod 600"));
}

#[test]
fn an_edited_account_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.key");
    write(&path, &generate(), Some("pw")).unwrap();
    let other = AccountId::from(generate().verifying_key()).to_string();
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let edited = text.replace(json["account"].as_str().unwrap(), &other);
    std::fs::remove_file(&path).unwrap();
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o.open(&path).unwrap().write_all(edited.as_bytes()).unwrap();
    assert!(matches!(
        load(&path, || Some("pw".into())),
        Err(KeyError::WrongPassphrase(_))
    ));
}

/// A key file is untrusted input (anyone can hand one to `yima`): its scrypt parameters must not make the loader
/// allocate what the file asks for. N = 2^40 with r = 8 asks 128·r·N = 1 PiB: before the check the process
/// aborted ("memory allocation … failed"); now the file is refused before anything is derived or asked.
#[test]
fn attack_a_key_file_asking_for_huge_scrypt_memory_is_refused_before_deriving() {
    let text = r#"{"version":1,"account":"0x00","cipher":"scrypt-xchacha20poly1305",
        "kdf":{"logN":40,"r":8,"p":1,"salt":"0x00"},"nonce":"0x000000000000000000000000000000000000000000000000",
        "ciphertext":"0x00"}"#;
    let asked = std::cell::Cell::new(false);
    let result = load_str(Path::new("evil.key"), text, || {
        asked.set(true);
        Some("pw".into())
    });
    assert!(
        matches!(&result, Err(KeyError::Malformed { reason, .. }) if reason.contains("kdf")),
        "{:?}",
        result.map(|_| ())
    );
    assert!(
        !asked.get(),
        "the passphrase is not asked for a file that cannot be used"
    );
}
