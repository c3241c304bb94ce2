//! Pseudonymous person ids as the chain names them (`yima-person-id`): a member's key checked against the
//! chain's derivation, then resident ids turned into the ids the vaccine, drug and attestation calls take.
//!
//! The chain's derivation is read from its chain spec ([`Chain::person_id_scheme`], offline) or from the node's
//! state with its proof checked ([`NodeClient::person_id_scheme`]). [`PersonIds::for_chain`] refuses a key that
//! is not the chain's, so a pharmacy with a stale or mistyped key file learns it before it writes ids no other
//! member can match. Resident ids never leave this process: only their HMACs do.

use parity_scale_codec::Decode;
use yima_attestation::PseudonymousId;
use yima_frame::storage::StorageValue;
pub use yima_person_id::{
    Derivation, KeyError, PersonIdKey, PersonIdScheme, ResidentId, ResidentIdError, SchemeError,
};

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;
use crate::Chain;

/// Why no id can be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonIdError {
    /// The chain's genesis names no derivation.
    #[error(
        "this chain names no person-id derivation (its genesis has no `attestation.person_id`): members cannot \
         agree on ids; ask the chain's regulator to name one"
    )]
    NoScheme,
    /// The key is not the chain's.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The text is not a resident id.
    #[error(transparent)]
    ResidentId(#[from] ResidentIdError),
}

/// A member's person-id key, checked to be its chain's.
#[derive(Debug)]
pub struct PersonIds {
    key: PersonIdKey,
}

impl PersonIds {
    /// `key`, if it is the key `scheme` (the chain's) commits to.
    pub fn for_chain(
        scheme: Option<PersonIdScheme>,
        key: PersonIdKey,
    ) -> std::result::Result<PersonIds, PersonIdError> {
        let scheme = scheme.ok_or(PersonIdError::NoScheme)?;
        scheme.check_key(&key)?;
        let Derivation::HmacSha256Gb11643 = scheme.derivation;
        Ok(PersonIds { key })
    }

    /// The pseudonymous id of the person whose resident id is `text` (any spelling [`ResidentId::parse`] reads).
    pub fn derive(&self, text: &str) -> std::result::Result<PseudonymousId, PersonIdError> {
        Ok(self.derive_id(&ResidentId::parse(text)?))
    }

    /// The pseudonymous id of a resident id already read.
    pub fn derive_id(&self, id: &ResidentId) -> PseudonymousId {
        PseudonymousId(self.key.derive(id))
    }
}

/// Reads a person-id key file (64 hex digits).
pub fn read_key_file(path: &std::path::Path) -> Result<PersonIdKey> {
    let text = std::fs::read_to_string(path).map_err(|source| ClientError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    PersonIdKey::from_hex(&text).map_err(|e| ClientError::Other(format!("{}: {e}", path.display())))
}

/// Writes a new random key to `path` (created, never overwritten; 0600 on Unix) and returns it.
pub fn generate_key_file(path: &std::path::Path) -> Result<PersonIdKey> {
    use std::io::Write as _;
    let mut bytes = [0u8; yima_person_id::KEY_BYTES];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let key = PersonIdKey::from_bytes(bytes);
    zeroize::Zeroize::zeroize(&mut bytes);
    let io = |source| ClientError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(key.to_hex().as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(key)
}

impl Chain {
    /// The chain's person-id derivation, as its spec's genesis names it.
    pub fn person_id_scheme(&self) -> Option<PersonIdScheme> {
        self.spec.genesis.attestation.person_id
    }
}

impl NodeClient {
    /// The chain's person-id derivation from the node's state at the finalized head, proven.
    pub async fn person_id_scheme(&self) -> Result<Option<PersonIdScheme>> {
        let v = self
            .state_get(yima_attestation::PersonIdDerivation::KEY, None)
            .await?;
        v.value
            .map(|bytes| {
                PersonIdScheme::decode(&mut &bytes[..]).map_err(|e| {
                    ClientError::BadProof(format!("the person-id derivation does not decode: {e}"))
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dev_chains_name_the_dev_key_and_another_key_is_refused() {
        let chain = Chain::load("dev").unwrap();
        let ids = PersonIds::for_chain(chain.person_id_scheme(), PersonIdKey::dev()).unwrap();
        assert_eq!(
            ids.derive("330106198503150016").unwrap(),
            yima_chain_spec::demo::people::person("recipient 1")
        );
        assert!(matches!(
            ids.derive("330106198503150017"),
            Err(PersonIdError::ResidentId(ResidentIdError::CheckCharacter))
        ));
        let wrong =
            PersonIds::for_chain(chain.person_id_scheme(), PersonIdKey::from_bytes([1; 32]));
        assert!(matches!(wrong, Err(PersonIdError::Scheme(_))));
        assert_eq!(
            PersonIds::for_chain(None, PersonIdKey::dev()).unwrap_err(),
            PersonIdError::NoScheme
        );
    }

    #[test]
    fn a_generated_key_file_reads_back_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("person-id.key");
        let key = generate_key_file(&path).unwrap();
        assert_eq!(read_key_file(&path).unwrap().commitment(), key.commitment());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(generate_key_file(&path).is_err());
        assert_eq!(read_key_file(&path).unwrap().commitment(), key.commitment());
        std::fs::write(&path, "not a key").unwrap();
        assert!(read_key_file(&path)
            .unwrap_err()
            .to_string()
            .contains("64 hex digits"));
    }
}
