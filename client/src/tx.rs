//! Building and signing transactions: [`Signer`] (a key with its nonces) and [`TxBuilder`] (the chain a
//! transaction is signed for: genesis hash, runtime version, validity window).

use ed25519_dalek::SigningKey;
use parity_scale_codec::Encode;
use yima_frame::{AccountId, BlockNumber, Hash};
use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};

use crate::nonce::NonceManager;

/// Default validity: a transaction not included within this many blocks after signing expires (so a crashed
/// client's leftovers cannot land much later). Within the chain's default validity window
/// ([`yima_system::DEFAULT_MAX_VALIDITY_BLOCKS`]): a node refuses a transaction valid for longer
/// (`ValidityTooLong`).
pub const DEFAULT_VALIDITY_BLOCKS: u64 = 14_400;

const _: () = assert!(
    DEFAULT_VALIDITY_BLOCKS <= yima_system::DEFAULT_MAX_VALIDITY_BLOCKS,
    "the client's default validity must fit the chain's default validity window"
);

/// Signs calls for one chain.
#[derive(Clone, Debug)]
pub struct TxBuilder {
    /// The chain's genesis hash.
    pub genesis_hash: Hash,
    /// The runtime version signed into the payload.
    pub spec_version: u32,
    /// Blocks of validity after the head at signing.
    pub validity: u64,
}

impl TxBuilder {
    /// For the chain `genesis_hash` and this build's runtime version.
    pub fn new(genesis_hash: Hash) -> Self {
        Self {
            genesis_hash,
            spec_version: SPEC_VERSION,
            validity: DEFAULT_VALIDITY_BLOCKS,
        }
    }

    /// Signs `call` as `key` with `nonce`, valid until `head + validity`.
    pub fn sign(
        &self,
        key: &SigningKey,
        nonce: u64,
        head: BlockNumber,
        call: RuntimeCall,
    ) -> Signed {
        let tx = SignedTransaction::sign(
            key,
            &self.genesis_hash,
            self.spec_version,
            nonce,
            head.saturating_add(self.validity),
            call,
        );
        Signed::new(tx)
    }

    /// Signs `call` with the signer's next nonce from `nonces`.
    pub async fn sign_next(
        &self,
        nonces: &NonceManager,
        key: &SigningKey,
        head: BlockNumber,
        call: RuntimeCall,
    ) -> crate::Result<Signed> {
        let nonce = nonces.next(AccountId::from(key.verifying_key())).await?;
        Ok(self.sign(key, nonce, head, call))
    }
}

/// A signed transaction with its encoding and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The transaction.
    pub tx: SignedTransaction,
    /// Its SCALE bytes (what is submitted).
    pub bytes: Vec<u8>,
    /// Its hash (`0x…`, as the node reports it).
    pub hash: String,
}

impl Signed {
    /// Wraps `tx`.
    pub fn new(tx: SignedTransaction) -> Self {
        let bytes = tx.encode();
        let hash = tx.hash().to_string();
        Self { tx, bytes, hash }
    }
}
