//! Untrusted key file text → `yima_client::keystore::load_str` (what `yima` reads from a key file anyone may
//! hand it): must never panic, never derive with costs the file dictates beyond the loader's bound, and a key it
//! returns must be the key of the account the file names. The passphrase is given only for KDF parameters at
//! most as costly as a real file's, so runs stay fast; the bound check runs whether or not it is given.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use yima_client::keystore::load_str;
use yima_frame::AccountId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cheap = serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        let kdf = &v["kdf"];
        kdf["logN"].as_u64().is_some_and(|n| n <= 10)
            && kdf["r"].as_u64().is_some_and(|r| r <= 8)
            && kdf["p"].as_u64().is_some_and(|p| p <= 1)
    });
    let loaded = load_str(Path::new("fuzz.key"), text, || cheap.then(|| "fuzz".into()));
    if let Ok(key) = loaded {
        let account = AccountId::from(key.verifying_key()).to_string();
        let named: serde_json::Value = serde_json::from_str(text).expect("a loaded file is JSON");
        assert_eq!(named["account"].as_str(), Some(account.as_str()));
    }
});
