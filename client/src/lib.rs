//! `yima-client`: the typed client of a Yima chain (what subxt is to Substrate) under the `yima` CLI.
//!
//! - [`keystore`] — ed25519 key files (0600, optionally scrypt + XChaCha20-Poly1305 encrypted);
//! - [`chain`] — a chain from its spec: genesis hash and the [`yima_consensus::proof::TrustAnchor`];
//! - [`tx`], [`nonce`] — signing every pallet's calls (`yima_runtime::RuntimeCall`), nonces for many
//!   transactions in flight;
//! - [`rpc`], [`types`] — JSON-RPC over HTTP, subscriptions over WebSocket, retries with backoff;
//! - [`submit`] — submission, finality, outcome (proven); [`receipt`] — a transaction's own events (proven);
//! - [`state`] — state reads with their JMT proofs checked; [`records`] — read-back of every domain record
//!   (record card, purchase window, prescription, pharmacist, black box, customs entry, attestations by subject,
//!   organisation), recomputed from proven state with the node's own read-back (`yima-rpc-api`);
//! - [`person_id`] — pseudonymous person ids: a resident id (GB 11643 checked) under the chain's key, the key
//!   checked against the derivation the chain names;
//! - [`org_history`] — an organisation's custody events, each proven against the trust anchor;
//! - [`history`] — a trace checked complete against the histories the chain commits (`check_history`);
//! - [`bundle`], [`derive`], [`completeness`] — audit bundles and their offline verification, complete
//!   histories included (the verifier is the node's own, `yima_consensus::proof`, not a copy);
//! - [`journal`], [`import`] — batched, resumable imports (CSV custody logs; EPCIS through `yima-epcis`).

pub mod bundle;
pub mod chain;
pub mod completeness;
pub mod derive;
pub mod error;
pub mod history;
pub mod import;
pub mod journal;
pub mod keystore;
pub mod nonce;
pub mod org_history;
pub mod person_id;
pub mod receipt;
pub mod records;
pub mod rpc;
pub mod state;
pub mod submit;
pub mod tx;
pub mod types;

pub use bundle::{AuditBundle, Link, VerifyError};
pub use chain::Chain;
pub use error::{ClientError, Result};
pub use rpc::{NodeClient, RetryPolicy};
pub use tx::{Signed, TxBuilder};

/// `0x`-prefixed lower-case hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}
