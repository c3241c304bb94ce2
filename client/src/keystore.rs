//! Key files: one ed25519 account key per file, readable by its owner only, optionally passphrase-encrypted.
//!
//! Format (JSON, version 1):
//!
//! ```json
//! {"version":1,"account":"0x…","cipher":"none","secret":"0x<32-byte seed>"}
//! {"version":1,"account":"0x…","cipher":"scrypt-xchacha20poly1305","kdf":{"logN":15,"r":8,"p":1,"salt":"0x…"},
//!  "nonce":"0x<24 bytes>","ciphertext":"0x…"}
//! ```
//!
//! Encryption: the passphrase is stretched with scrypt (RustCrypto `scrypt`, N = 2^15, r = 8, p = 1: about 32 MiB
//! and a tenth of a second per try) into an XChaCha20-Poly1305 key (RustCrypto `chacha20poly1305`); the account
//! is the AEAD's associated data, so a file whose account was edited fails like a wrong passphrase. Files are
//! created with mode 0600 and refused on load when group or others may read them.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::SigningKey;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use yima_frame::AccountId;
use zeroize::Zeroizing;

/// Version of the key file format.
pub const KEY_FILE_VERSION: u32 = 1;
const CIPHER_NONE: &str = "none";
const CIPHER_SCRYPT: &str = "scrypt-xchacha20poly1305";
/// scrypt cost (log2 N) for new files.
pub const SCRYPT_LOG_N: u8 = 15;
/// Most memory a key file's scrypt parameters may ask (128 · r · N bytes): 8 times what new files use. A key
/// file is untrusted input; without a bound its `logN` alone could ask for petabytes and abort the process.
pub const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;
/// Most passes (`p`) a key file's scrypt parameters may ask (new files use 1).
pub const MAX_SCRYPT_P: u32 = 4;

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read or written.
    #[error("key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file exists (generation never overwrites).
    #[error("key file {0} already exists; choose another path or move the old file away first")]
    Exists(PathBuf),
    /// Group or others may access the file.
    #[error("key file {path} has permissions {mode:o}: group or others may read it. Run `chmod 600 {path}` (and consider the key exposed if others could read it)")]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its mode bits.
        mode: u32,
    },
    /// The file is not a key file of a known version.
    #[error("{path} is not a yima key file: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file is encrypted and no passphrase was given.
    #[error("key file {0} is encrypted: give its passphrase (--passphrase-file FILE, the YIMA_PASSPHRASE variable, or type it when asked on a terminal)")]
    PassphraseNeeded(PathBuf),
    /// Decryption failed.
    #[error("wrong passphrase for key file {0} (or the file was altered)")]
    WrongPassphrase(PathBuf),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kdf {
    #[serde(rename = "logN")]
    log_n: u8,
    r: u32,
    p: u32,
    salt: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFileJson {
    version: u32,
    account: String,
    cipher: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    kdf: Option<Kdf>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    ciphertext: Option<String>,
}

/// What a key file says without decrypting it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// The account (public key).
    pub account: String,
    /// Whether the secret is passphrase-encrypted.
    pub encrypted: bool,
}

/// A fresh random key (operating-system randomness).
pub fn generate() -> SigningKey {
    let mut seed = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut seed[..]);
    SigningKey::from_bytes(&seed)
}

fn derive(
    passphrase: &str,
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let params = scrypt::Params::new(log_n, r, p, 32).map_err(|e| e.to_string())?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(passphrase.as_bytes(), salt, &params, &mut key[..])
        .map_err(|e| e.to_string())?;
    Ok(key)
}

/// Checks a key file's scrypt parameters against [`MAX_SCRYPT_MEMORY`] and [`MAX_SCRYPT_P`] (and scrypt's own
/// rules) before anything is derived.
fn check_kdf(kdf: &Kdf) -> Result<(), String> {
    let memory = 1u64
        .checked_shl(u32::from(kdf.log_n))
        .filter(|_| kdf.log_n < 64)
        .and_then(|n| n.checked_mul(128 * u64::from(kdf.r)));
    if kdf.r == 0
        || kdf.p == 0
        || memory.is_none_or(|m| m > MAX_SCRYPT_MEMORY)
        || kdf.p > MAX_SCRYPT_P
    {
        return Err(format!(
            "logN {}, r {}, p {} ask for more than this build derives with (128·r·2^logN at most {} MiB, p at \
             most {MAX_SCRYPT_P}; `yima key generate` writes logN {SCRYPT_LOG_N}, r 8, p 1)",
            kdf.log_n,
            kdf.r,
            kdf.p,
            MAX_SCRYPT_MEMORY >> 20
        ));
    }
    scrypt::Params::new(kdf.log_n, kdf.r, kdf.p, 32).map_err(|e| e.to_string())?;
    Ok(())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `key` to a new file at `path` (mode 0600), encrypted when `passphrase` is given. Never overwrites.
pub fn write(path: &Path, key: &SigningKey, passphrase: Option<&str>) -> Result<KeyInfo, KeyError> {
    let account = AccountId::from(key.verifying_key()).to_string();
    let mut json = KeyFileJson {
        version: KEY_FILE_VERSION,
        account: account.clone(),
        cipher: CIPHER_NONE.into(),
        secret: None,
        kdf: None,
        nonce: None,
        ciphertext: None,
    };
    match passphrase {
        None => json.secret = Some(format!("0x{}", hex::encode(key.to_bytes()))),
        Some(pass) => {
            let mut salt = [0u8; 16];
            let mut nonce = [0u8; 24];
            rand::rngs::OsRng.fill_bytes(&mut salt);
            rand::rngs::OsRng.fill_bytes(&mut nonce);
            let (r, p) = (8, 1);
            let k =
                derive(pass, &salt, SCRYPT_LOG_N, r, p).map_err(|reason| KeyError::Malformed {
                    path: path.to_path_buf(),
                    reason,
                })?;
            let cipher = XChaCha20Poly1305::new((&*k).into());
            let seed = Zeroizing::new(key.to_bytes());
            let ciphertext = cipher
                .encrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &seed[..],
                        aad: account.as_bytes(),
                    },
                )
                .map_err(|e| KeyError::Malformed {
                    path: path.to_path_buf(),
                    reason: format!("encryption failed: {e}"),
                })?;
            json.cipher = CIPHER_SCRYPT.into();
            json.kdf = Some(Kdf {
                log_n: SCRYPT_LOG_N,
                r,
                p,
                salt: format!("0x{}", hex::encode(salt)),
            });
            json.nonce = Some(format!("0x{}", hex::encode(nonce)));
            json.ciphertext = Some(format!("0x{}", hex::encode(ciphertext)));
        }
    }
    let text = serde_json::to_string_pretty(&json).expect("key file JSON serialises");
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::Exists(path.to_path_buf())
        } else {
            KeyError::Io {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })?;
    file.write_all(text.as_bytes()).map_err(io(path))?;
    file.write_all(b"\n").map_err(io(path))?;
    file.sync_all().map_err(io(path))?;
    Ok(KeyInfo {
        account,
        encrypted: passphrase.is_some(),
    })
}

fn check_permissions(path: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)
            .map_err(io(path))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Permissions {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<KeyFileJson, KeyError> {
    check_permissions(path)?;
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    parse_json(path, &text)
}

/// The key file `text` (read from `path`, named in errors) as JSON of this version.
fn parse_json(path: &Path, text: &str) -> Result<KeyFileJson, KeyError> {
    let malformed = |reason: String| KeyError::Malformed {
        path: path.to_path_buf(),
        reason,
    };
    let json: KeyFileJson = serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
    if json.version != KEY_FILE_VERSION {
        return Err(malformed(format!(
            "format version {} (this build reads {KEY_FILE_VERSION})",
            json.version
        )));
    }
    Ok(json)
}

/// What a key file says, without its passphrase (permissions are checked).
pub fn inspect(path: &Path) -> Result<KeyInfo, KeyError> {
    let json = read_json(path)?;
    Ok(KeyInfo {
        account: json.account,
        encrypted: json.cipher != CIPHER_NONE,
    })
}

fn bytes<const N: usize>(path: &Path, what: &str, text: Option<&str>) -> Result<Vec<u8>, KeyError> {
    let malformed = |reason: String| KeyError::Malformed {
        path: path.to_path_buf(),
        reason,
    };
    let text = text.ok_or_else(|| malformed(format!("no {what}")))?;
    let v = hex::decode(text.trim_start_matches("0x"))
        .map_err(|e| malformed(format!("{what}: {e}")))?;
    if N != 0 && v.len() != N {
        return Err(malformed(format!("{what} is {} bytes, not {N}", v.len())));
    }
    Ok(v)
}

/// Loads the key in `path`; `passphrase` is asked only for an encrypted file.
pub fn load(
    path: &Path,
    passphrase: impl FnOnce() -> Option<String>,
) -> Result<SigningKey, KeyError> {
    load_json(path, read_json(path)?, passphrase)
}

/// The key in key file text `text` (what [`load`] reads from a file, without its permission check; `origin` names
/// the file in errors); `passphrase` is asked only for an encrypted key. Untrusted text never panics.
pub fn load_str(
    origin: &Path,
    text: &str,
    passphrase: impl FnOnce() -> Option<String>,
) -> Result<SigningKey, KeyError> {
    load_json(origin, parse_json(origin, text)?, passphrase)
}

fn load_json(
    path: &Path,
    json: KeyFileJson,
    passphrase: impl FnOnce() -> Option<String>,
) -> Result<SigningKey, KeyError> {
    let seed: Zeroizing<Vec<u8>> = match json.cipher.as_str() {
        CIPHER_NONE => Zeroizing::new(bytes::<32>(path, "secret", json.secret.as_deref())?),
        CIPHER_SCRYPT => {
            let kdf = json.kdf.as_ref().ok_or_else(|| KeyError::Malformed {
                path: path.to_path_buf(),
                reason: "no kdf parameters".into(),
            })?;
            check_kdf(kdf).map_err(|reason| KeyError::Malformed {
                path: path.to_path_buf(),
                reason: format!("kdf parameters: {reason}"),
            })?;
            let salt = bytes::<0>(path, "salt", Some(&kdf.salt))?;
            let nonce = bytes::<24>(path, "nonce", json.nonce.as_deref())?;
            let ciphertext = bytes::<0>(path, "ciphertext", json.ciphertext.as_deref())?;
            let pass = Zeroizing::new(
                passphrase().ok_or_else(|| KeyError::PassphraseNeeded(path.to_path_buf()))?,
            );
            let k = derive(&pass, &salt, kdf.log_n, kdf.r, kdf.p).map_err(|reason| {
                KeyError::Malformed {
                    path: path.to_path_buf(),
                    reason: format!("kdf parameters: {reason}"),
                }
            })?;
            let plain = XChaCha20Poly1305::new((&*k).into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ciphertext,
                        aad: json.account.as_bytes(),
                    },
                )
                .map_err(|_| KeyError::WrongPassphrase(path.to_path_buf()))?;
            Zeroizing::new(plain)
        }
        other => {
            return Err(KeyError::Malformed {
                path: path.to_path_buf(),
                reason: format!("unknown cipher {other:?}"),
            })
        }
    };
    let seed: [u8; 32] = seed[..].try_into().map_err(|_| KeyError::Malformed {
        path: path.to_path_buf(),
        reason: "the secret is not 32 bytes".into(),
    })?;
    let key = SigningKey::from_bytes(&seed);
    let account = AccountId::from(key.verifying_key()).to_string();
    if account != json.account {
        return Err(KeyError::Malformed {
            path: path.to_path_buf(),
            reason: format!(
                "the secret is the key of {account}, not of the account {} it names",
                json.account
            ),
        });
    }
    Ok(key)
}

#[cfg(test)]
mod tests;
