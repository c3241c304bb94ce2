//! `yima key generate|inspect|rotate`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;
use yima_client::submit::submit_and_wait;
use yima_client::{keystore, ClientError};
use yima_frame::AccountId;
use yima_runtime::RuntimeCall;

use crate::common::{CmdResult, Global};
use crate::output;

/// Key commands.
#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Write a new random key to a file (mode 0600; never overwrites).
    Generate(GenerateArgs),
    /// Show a key file's account (checks its permissions; does not decrypt).
    Inspect {
        /// The key file.
        file: PathBuf,
    },
    /// Replace the signing key (--key / --dev-key) by a new one on chain (membership `rotate_key`), then write
    /// the new key file.
    Rotate(GenerateArgs),
}

/// Where and how to write a key.
#[derive(Args)]
pub(crate) struct GenerateArgs {
    /// The new key file.
    #[arg(long)]
    out: PathBuf,
    /// Encrypt it with a passphrase (scrypt + XChaCha20-Poly1305).
    #[arg(long)]
    encrypt: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyOut {
    file: PathBuf,
    account: String,
    encrypted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    rotated_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<u64>,
}

fn show(g: &Global, out: &KeyOut) -> CmdResult {
    if g.json {
        return output::json(out);
    }
    println!("account   {}", out.account);
    println!("file      {}", out.file.display());
    println!("encrypted {}", if out.encrypted { "yes" } else { "no" });
    if let (Some(old), Some(block)) = (&out.rotated_from, out.block) {
        println!("rotated   from {old} in block {block}");
    }
    Ok(())
}

pub(crate) async fn run(g: &Global, command: KeyCommand) -> CmdResult {
    match command {
        KeyCommand::Generate(a) => {
            let pass = if a.encrypt {
                Some(g.new_passphrase()?)
            } else {
                None
            };
            let info = keystore::write(&a.out, &keystore::generate(), pass.as_deref())?;
            show(
                g,
                &KeyOut {
                    file: a.out,
                    account: info.account,
                    encrypted: info.encrypted,
                    rotated_from: None,
                    block: None,
                },
            )
        }
        KeyCommand::Inspect { file } => {
            let info = keystore::inspect(&file)?;
            show(
                g,
                &KeyOut {
                    file,
                    account: info.account,
                    encrypted: info.encrypted,
                    rotated_from: None,
                    block: None,
                },
            )
        }
        KeyCommand::Rotate(a) => {
            if a.out.exists() {
                return Err(keystore::KeyError::Exists(a.out).into());
            }
            let old = g.signer()?;
            let pass = if a.encrypt {
                Some(g.new_passphrase()?)
            } else {
                None
            };
            let new = keystore::generate();
            let client = g.client()?;
            let (builder, anchor) = g.builder(&client).await?;
            let head = client.finalized_head().await?.number;
            let nonce = client.nonce(&AccountId::from(old.verifying_key())).await?;
            let call = RuntimeCall::Membership(yima_membership::Call::RotateKey {
                new: AccountId::from(new.verifying_key()),
            });
            let tx = builder.sign(&old, nonce, head, call);
            // Written before submission (create-only, 0600) so the new key is never lost; removed if refused.
            let info = keystore::write(&a.out, &new, pass.as_deref())?;
            let included = match submit_and_wait(&client, Some(anchor), &tx, g.timeout()).await {
                Ok(i) => i.into_result(),
                Err(e) => Err(e),
            };
            let included = match included {
                Ok(i) => i,
                // Refused for sure: the new key is useless. On any other error (timeout, node down) the
                // rotation may still land, so the new key file stays.
                Err(e @ (ClientError::Rejected { .. } | ClientError::Failed { .. })) => {
                    let _ = std::fs::remove_file(&a.out);
                    return Err(e.into());
                }
                Err(e) => {
                    return Err(format!(
                        "{e}; the new key is kept in {} in case the rotation lands — check with `yima key inspect`",
                        a.out.display()
                    )
                    .into())
                }
            };
            show(
                g,
                &KeyOut {
                    file: a.out,
                    account: info.account,
                    encrypted: info.encrypted,
                    rotated_from: Some(AccountId::from(old.verifying_key()).to_string()),
                    block: Some(included.block),
                },
            )
        }
    }
}
