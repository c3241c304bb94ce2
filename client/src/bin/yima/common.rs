//! What every command shares: global options, the node client, the signer, the chain, errors with exit codes.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use ed25519_dalek::SigningKey;
use yima_client::{keystore, Chain, ClientError, NodeClient, RetryPolicy, TxBuilder};
use yima_consensus::proof::TrustAnchor;
use yima_frame::Hash;

/// Global options.
#[derive(Args, Clone, Debug)]
pub(crate) struct Global {
    /// The node's RPC URL (HTTP; WebSocket on the same port).
    #[arg(long, global = true, env = "YIMA_URL", default_value = yima_client::rpc::DEFAULT_URL)]
    pub(crate) url: String,
    /// Print one JSON document instead of tables.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Key file of the signing account.
    #[arg(long, global = true, env = "YIMA_KEY")]
    pub(crate) key: Option<PathBuf>,
    /// Sign with a well-known development key (dev/local/demo chains only), e.g. `dave`.
    #[arg(long, global = true, conflicts_with = "key")]
    pub(crate) dev_key: Option<String>,
    /// File holding the key file's passphrase (else YIMA_PASSPHRASE, else asked on a terminal).
    #[arg(long, global = true)]
    pub(crate) passphrase_file: Option<PathBuf>,
    /// Chain spec (preset name or JSON file) to sign for and check proofs against; by default the node's
    /// genesis is used.
    #[arg(long, global = true)]
    pub(crate) chain: Option<String>,
    /// Seconds to wait for finality without progress.
    #[arg(long, global = true, env = "YIMA_TIMEOUT", default_value_t = 120)]
    pub(crate) timeout: u64,
    /// Attempts to reach a node that does not answer (backoff 0.25 s doubling to 4 s).
    #[arg(long, global = true, env = "YIMA_RETRIES", default_value_t = 6)]
    pub(crate) retries: u32,
}

/// A failure with its exit status.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: i32,
    pub(crate) message: String,
}

impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Self {
        Self {
            code: 1,
            message: e.to_string(),
        }
    }
}

impl From<keystore::KeyError> for Failure {
    fn from(e: keystore::KeyError) -> Self {
        ClientError::from(e).into()
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self { code: 1, message }
    }
}

pub(crate) type CmdResult = Result<(), Failure>;

impl Global {
    /// The node client; prints each retry to stderr.
    pub(crate) fn client(&self) -> Result<NodeClient, Failure> {
        let retry = RetryPolicy {
            attempts: self.retries.max(1),
            ..RetryPolicy::default()
        };
        Ok(
            NodeClient::new(&self.url, retry)?.on_retry(|url, attempt, pause| {
                eprintln!(
                    "node at {url} does not answer (attempt {attempt}); retrying in {:.2} s",
                    pause.as_secs_f64()
                )
            }),
        )
    }

    /// The wait bound.
    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout.max(1))
    }

    fn passphrase(&self) -> Option<String> {
        if let Some(path) = &self.passphrase_file {
            return std::fs::read_to_string(path)
                .ok()
                .map(|s| s.trim_end_matches(['\n', '\r']).to_string());
        }
        if let Ok(p) = std::env::var("YIMA_PASSPHRASE") {
            return Some(p);
        }
        if std::io::stdin().is_terminal() {
            return rpassword::prompt_password("passphrase: ").ok();
        }
        None
    }

    /// A new passphrase for a key file being written (file, variable, or asked twice on a terminal).
    pub(crate) fn new_passphrase(&self) -> Result<String, Failure> {
        if self.passphrase_file.is_some() || std::env::var("YIMA_PASSPHRASE").is_ok() {
            return self
                .passphrase()
                .ok_or_else(|| Failure::from("cannot read the passphrase file".to_string()));
        }
        if !std::io::stdin().is_terminal() {
            return Err(
                "--encrypt needs a passphrase: --passphrase-file FILE or YIMA_PASSPHRASE"
                    .to_string()
                    .into(),
            );
        }
        let a = rpassword::prompt_password("new passphrase: ").map_err(|e| e.to_string())?;
        let b = rpassword::prompt_password("again: ").map_err(|e| e.to_string())?;
        if a != b {
            return Err("the passphrases differ".to_string().into());
        }
        Ok(a)
    }

    /// The signing key (`--key` or `--dev-key`).
    pub(crate) fn signer(&self) -> Result<SigningKey, Failure> {
        if let Some(name) = &self.dev_key {
            return Ok(yima_chain_spec::dev_keys::dev_key(name));
        }
        let path = self.key.as_ref().ok_or_else(|| {
            Failure::from(
                "this command signs: give --key FILE (see `yima key generate`) or --dev-key NAME"
                    .to_string(),
            )
        })?;
        Ok(keystore::load(path, || self.passphrase())?)
    }

    /// The chain's genesis hash and trust anchor: from `--chain`, or from the node's genesis header.
    pub(crate) async fn anchor(&self, client: &NodeClient) -> Result<TrustAnchor, Failure> {
        if let Some(chain) = &self.chain {
            let chain = Chain::load(chain)?;
            let node_genesis = client.header(0).await?.map(|h| h.hash);
            if let Some(g) = node_genesis {
                if !g.eq_ignore_ascii_case(&chain.genesis_hash.to_string()) {
                    return Err(format!(
                        "the node's genesis is {g} but the chain spec's is {}: the node is on another chain; pass the right --chain or --url",
                        chain.genesis_hash
                    )
                    .into());
                }
            }
            return Ok(chain.anchor);
        }
        let genesis = client
            .header(0)
            .await?
            .ok_or_else(|| Failure::from("the node has no genesis header".to_string()))?;
        let parse = |s: &str| {
            Hash::from_hex(s).map_err(|e| Failure::from(format!("node's genesis header: {e}")))
        };
        Ok(TrustAnchor {
            genesis_hash: parse(&genesis.hash)?,
            validators_hash: parse(&genesis.next_validators_hash)?,
        })
    }

    /// A transaction builder for the node's chain, with its anchor.
    pub(crate) async fn builder(
        &self,
        client: &NodeClient,
    ) -> Result<(TxBuilder, TrustAnchor), Failure> {
        let anchor = self.anchor(client).await?;
        Ok((TxBuilder::new(anchor.genesis_hash), anchor))
    }
}
