//! `yima person-id`: pseudonymous person ids under the chain's key — derive them from resident ids, make a new
//! chain's key, show the chain's derivation.

use std::io::{BufRead as _, BufWriter, Write as _};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use yima_attestation::PseudonymousId;
use yima_client::person_id::{self, PersonIdKey, PersonIdScheme, PersonIds};
use yima_client::Chain;

use crate::common::{CmdResult, Failure, Global};

/// `yima person-id …`.
#[derive(Subcommand)]
pub(crate) enum PersonIdCommand {
    /// Resident ids to the pseudonymous ids the chain's calls take, one `0x…` a line.
    ///
    /// Resident ids: GB 11643, 18 characters or a 15-digit first-generation id; arguments, else one a line on
    /// stdin. Output in the same order. The key is
    /// checked against the chain's derivation first (`--chain`'s genesis, else the node's state, proven); a bad
    /// check character refuses the whole batch, naming the line, and prints nothing. Resident ids never leave
    /// this machine.
    Derive(DeriveArgs),
    /// A new chain's person-id key, and the entry its chain spec must name.
    ///
    /// The key is written 0600 and never overwritten; the `person_id` entry goes in the chain spec's
    /// `attestation` genesis. The regulator runs this once per chain and hands the key file to member
    /// organisations off chain; anyone holding it can re-identify every person on chain by trying resident ids.
    GenerateKey {
        /// Where to write the key.
        #[arg(long)]
        out: PathBuf,
    },
    /// The chain's person-id derivation: algorithm and key commitment.
    ///
    /// Read from `--chain`'s genesis, else from the node's state with its proof checked.
    Scheme,
}

/// `yima person-id derive`.
#[derive(Args)]
pub(crate) struct DeriveArgs {
    /// Resident ids; none: read one a line from stdin.
    ids: Vec<String>,
    #[command(flatten)]
    key: PersonKey,
}

/// How a command that names people gets their pseudonymous ids: a person is given as `0x…` (an id already
/// derived) or as a resident id, derived here under the chain's key.
#[derive(Args, Clone, Debug)]
pub(crate) struct PersonKey {
    /// The chain's person-id key file, to derive the ids of people given by resident id.
    #[arg(long, env = "YIMA_PERSON_ID_KEY", conflicts_with = "dev_id_key")]
    id_key: Option<PathBuf>,
    /// Use the public person-id key of the dev, local and demo chains.
    #[arg(long)]
    dev_id_key: bool,
}

impl PersonKey {
    /// The pseudonymous id of `text`: `0x` and 64 hex digits as given, else a resident id derived under the
    /// chain's key (checked against the chain first).
    pub(crate) async fn person(&self, g: &Global, text: &str) -> Result<PseudonymousId, Failure> {
        if text.trim().starts_with("0x") {
            return yima_rpc_api::params::parse_person(text)
                .map_err(|e| format!("person: {} (or give a resident id)", e.0).into());
        }
        let ids = self.checked(g).await?;
        ids.derive(text)
            .map_err(|e| Failure::from(format!("person: {e}")))
    }

    /// The key given, checked against the chain's derivation.
    async fn checked(&self, g: &Global) -> Result<PersonIds, Failure> {
        let key = match (&self.id_key, self.dev_id_key) {
            (Some(path), _) => person_id::read_key_file(path)?,
            (None, true) => PersonIdKey::dev(),
            (None, false) => {
                return Err(Failure::from(
                    "a resident id needs the chain's person-id key: --id-key FILE (or YIMA_PERSON_ID_KEY), \
                     --dev-id-key on dev chains, or give the person's id as 0x…"
                        .to_string(),
                ))
            }
        };
        Ok(PersonIds::for_chain(scheme(g).await?, key).map_err(yima_client::ClientError::from)?)
    }
}

/// Runs `yima person-id …`.
pub(crate) async fn run(g: &Global, command: PersonIdCommand) -> CmdResult {
    match command {
        PersonIdCommand::Derive(args) => derive(g, args).await,
        PersonIdCommand::GenerateKey { out } => {
            let key = person_id::generate_key_file(&out)?;
            let scheme = PersonIdScheme::for_key(&key);
            if g.json {
                println!("{}", json(&scheme)?);
            } else {
                println!("key written to {} (0600): hand it to member organisations off chain, never publish it", out.display());
                println!("the chain spec's genesis names it as attestation.person_id:");
                println!("{}", json(&scheme)?);
            }
            Ok(())
        }
        PersonIdCommand::Scheme => {
            let scheme = scheme(g).await?.ok_or_else(|| {
                Failure::from(yima_client::ClientError::from(
                    person_id::PersonIdError::NoScheme,
                ))
            })?;
            if g.json {
                println!("{}", json(&scheme)?);
            } else {
                println!(
                    "derivation      {}",
                    serde_json::to_value(scheme.derivation)
                        .map_err(|e| e.to_string())?
                        .as_str()
                        .unwrap_or("?")
                );
                println!("key commitment  {}", scheme.key_commitment);
            }
            Ok(())
        }
    }
}

fn json(scheme: &PersonIdScheme) -> Result<String, Failure> {
    serde_json::to_string_pretty(scheme).map_err(|e| Failure::from(e.to_string()))
}

/// The chain's derivation: from `--chain` offline, else from the node (proven).
async fn scheme(g: &Global) -> Result<Option<PersonIdScheme>, Failure> {
    match &g.chain {
        Some(chain) => Ok(Chain::load(chain)?.person_id_scheme()),
        None => Ok(g.client()?.person_id_scheme().await?),
    }
}

async fn derive(g: &Global, args: DeriveArgs) -> CmdResult {
    let ids = args.key.checked(g).await?;
    let from_stdin = args.ids.is_empty();
    let lines: Vec<String> = if from_stdin {
        std::io::stdin()
            .lock()
            .lines()
            .collect::<Result<_, _>>()
            .map_err(|e| Failure::from(format!("cannot read stdin: {e}")))?
    } else {
        args.ids
    };
    // Every id checked before anything is printed: a batch is all or nothing.
    let mut derived = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        // Blank lines on stdin are skipped (a trailing newline, a spacer); a blank argument is an error.
        if from_stdin && line.trim().is_empty() {
            continue;
        }
        let id = ids.derive(line).map_err(|e| {
            Failure::from(format!(
                "resident id {} of {}: {e}; nothing was printed",
                n + 1,
                lines.len()
            ))
        })?;
        derived.push(id);
    }
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    if g.json {
        let hex: Vec<String> = derived
            .iter()
            .map(|id| format!("0x{}", hex::encode(id.0)))
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string(&hex).map_err(|e| e.to_string())?
        )
    } else {
        derived
            .iter()
            .try_for_each(|id| writeln!(out, "0x{}", hex::encode(id.0)))
    }
    .and_then(|()| out.flush())
    .map_err(|e| Failure::from(format!("cannot write stdout: {e}")))
}
