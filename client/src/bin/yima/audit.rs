//! `yima proof CODE --out bundle.json` and `yima verify bundle.json --chain-spec spec.json`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use serde::Serialize;
use yima_client::bundle::{AuditBundle, VerifiedHop};
use yima_client::Chain;

use crate::common::{CmdResult, Failure, Global};
use crate::output;

/// `proof`.
#[derive(Args)]
pub(crate) struct ProofArgs {
    /// The code, in any scanned form.
    code: String,
    /// Where to write the bundle (JSON).
    #[arg(long)]
    out: PathBuf,
}

/// `verify`.
#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// The bundle written by `yima proof`.
    bundle: PathBuf,
    /// The chain spec the bundle must be from (a JSON file, or a preset name: dev, local, demo).
    #[arg(long)]
    chain_spec: String,
}

pub(crate) async fn proof(g: &Global, a: ProofArgs) -> CmdResult {
    let client = g.client()?;
    let anchor = g.anchor(&client).await?;
    let bar = output::progress(0, "proving hops", g.json);
    let bundle = client
        .audit_bundle(&a.code, &anchor, |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await?;
    bar.finish_and_clear();
    let text = serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())?;
    std::fs::write(&a.out, text + "\n").map_err(|e| format!("{}: {e}", a.out.display()))?;
    if g.json {
        return output::json(&serde_json::json!({
            "code": bundle.code,
            "hops": bundle.hops.len(),
            "height": bundle.height,
            "out": a.out,
        }));
    }
    println!(
        "{}: {} hop(s) proven at height {}, written to {}",
        bundle.code,
        bundle.hops.len(),
        bundle.height,
        a.out.display()
    );
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyOut<'a> {
    ok: bool,
    code: &'a str,
    genesis_hash: &'a str,
    hops: Vec<VerifiedHop>,
    /// The block at whose end the histories are proven complete.
    complete_at: u64,
    /// Each code whose committed history was checked, with its event count.
    histories: BTreeMap<String, u32>,
    micros: u128,
}

pub(crate) fn verify(g: &Global, a: VerifyArgs) -> CmdResult {
    let text =
        std::fs::read_to_string(&a.bundle).map_err(|e| format!("{}: {e}", a.bundle.display()))?;
    let chain = Chain::load(&a.chain_spec)?;
    let started = Instant::now();
    let result = AuditBundle::from_json(&text)
        .and_then(|b| b.verify_complete(&chain.anchor).map(|v| (b, v)));
    let micros = started.elapsed().as_micros();
    match result {
        Ok((bundle, (hops, complete))) => {
            let histories: BTreeMap<String, u32> = complete
                .codes
                .iter()
                .map(|(c, n)| (c.to_string(), *n))
                .collect();
            if g.json {
                return output::json(&VerifyOut {
                    ok: true,
                    code: &bundle.code,
                    genesis_hash: &bundle.genesis_hash,
                    hops,
                    complete_at: complete.height,
                    histories,
                    micros,
                });
            }
            println!(
                "{} — {} hop(s) verified against {}",
                bundle.code,
                hops.len(),
                a.chain_spec
            );
            let mut t = output::table(&[
                "#",
                "block",
                "event",
                "event time",
                "organisation",
                "bizStep",
                "action",
                "relation",
                "subject",
                "signed power",
            ]);
            for (i, h) in hops.iter().enumerate() {
                t.add_row(vec![
                    (i + 1).to_string(),
                    h.block.to_string(),
                    h.index.to_string(),
                    output::time(h.event_time),
                    output::org(h.org),
                    h.biz_step.clone(),
                    format!("{} {}", h.event_type, h.action)
                        .trim_end()
                        .to_string(),
                    h.relation.clone(),
                    h.subject.clone(),
                    format!("{}/{}", h.signed_power, h.total_power),
                ]);
            }
            println!("{t}");
            println!("OK: every hop is in its block, every block certified by more than 2/3 of the validators reached from genesis; every column is read from the proven events, and every hop's relation to {} derived from them", bundle.code);
            let counts: Vec<String> = histories
                .iter()
                .map(|(c, n)| format!("{c} ({n})"))
                .collect();
            println!(
                "COMPLETE up to block {}: no own, container or upstream hop is missing — the hops are exactly the events the chain commits for {}{}",
                complete.height,
                counts.join(", "),
                if complete.downstream > 0 {
                    format!("; {} downstream hop(s) shown, their completeness not checked", complete.downstream)
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        Err(e) => {
            if g.json {
                output::json(&serde_json::json!({
                    "ok": false,
                    "link": e.link(),
                    "error": e.to_string(),
                }))?;
            }
            Err(Failure {
                code: 3,
                message: format!("verification FAILED: {e}"),
            })
        }
    }
}
