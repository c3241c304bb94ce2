//! `yima trace`, `recall`, `alerts`, `health`.

use clap::Args;
use yima_client::rpc::next_item;
use yima_client::types::{CustodyJson, TraceJson};

use crate::common::{CmdResult, Global};
use crate::output;

/// `trace CODE`.
#[derive(Args)]
pub(crate) struct TraceArgs {
    /// The code, as a scanner yields it: digits, `(01)…(21)…`, or a Digital Link URL.
    code: String,
}

/// `recall LOT|CODE`.
#[derive(Args)]
pub(crate) struct RecallArgs {
    /// A lot (`{product}/{lot}`, `(01)…(10)…`, `/01/…/10/…`) or a code.
    target: String,
}

/// `attestation ID`.
#[derive(Args)]
pub(crate) struct AttestationArgs {
    /// The attestation id (0x…).
    id: String,
}

/// `alerts`.
#[derive(Args)]
pub(crate) struct AlertsArgs {
    /// Keep following (otherwise stop after --count alerts).
    #[arg(long)]
    follow: bool,
    /// Stop after this many alerts (without --follow; default 1).
    #[arg(long)]
    count: Option<usize>,
}

fn custody_line(c: &CustodyJson) -> String {
    let mut s = format!("held by {}, {}", output::org(c.holder), c.status);
    if let Some(to) = c.in_transit_to {
        s.push_str(&format!(" to {}", output::org(to)));
    }
    if let Some(lot) = &c.lot {
        s.push_str(&format!(", lot {}/{}", lot.product, lot.lot));
    }
    if c.excursion {
        s.push_str(", TEMPERATURE EXCURSION");
    }
    if c.expired {
        s.push_str(", EXPIRED");
    }
    s
}

fn print_tree(t: &TraceJson) {
    println!("{}", t.code);
    match &t.current {
        Some(c) => println!("│  now: {} (height {})", custody_line(c), t.height),
        None => println!("│  now: no current custody (height {})", t.height),
    }
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let hops: Vec<String> = t
        .hops
        .iter()
        .map(|h| {
            let e = &h.event;
            let time = output::time(e.event_time);
            let step = e.biz_step.as_str();
            let mut line = format!(
                "{time}  {step:<14} by {}  [block {} event {}]",
                output::org(h.org),
                h.at.block,
                h.at.index
            );
            if h.relation != yima_runtime::query::Relation::Own {
                line.push_str(&format!("  ({} {})", relation_name(h.relation), h.subject));
            }
            if let Some(d) = &e.disposition {
                line.push_str(&format!("  → {d}"));
            }
            line
        })
        .collect();
    sections.push((format!("hops ({})", hops.len()), hops));
    if !t.containers.is_empty() {
        sections.push((
            "containers".into(),
            t.containers
                .iter()
                .map(|c| {
                    let un = c
                        .unpacked
                        .map(|u| format!(", unpacked at block {} event {}", u.block, u.index))
                        .unwrap_or_default();
                    format!(
                        "{} in {} since block {} event {}{un}",
                        c.code, c.container, c.packed.block, c.packed.index
                    )
                })
                .collect(),
        ));
    }
    if !t.clearances.is_empty() {
        sections.push((
            "excursion cleared by a regulator".into(),
            t.clearances
                .iter()
                .map(|c| {
                    format!(
                        "{} by {}, decision {}  [block {} event {}]",
                        c.code,
                        output::org(c.by),
                        c.reason,
                        c.at.block,
                        c.at.index
                    )
                })
                .collect(),
        ));
    }
    if !t.holds.is_empty() {
        sections.push((
            "holds on its lot".into(),
            t.holds
                .iter()
                .map(|h| {
                    let mut line = format!(
                        "{} {} by {} at block {}",
                        h.source,
                        h.state,
                        output::org(h.by),
                        h.at
                    );
                    if let Some(d) = &h.decision {
                        line.push_str(&format!(", citing {d}"));
                    }
                    line
                })
                .collect(),
        ));
    }
    if !t.upstream.is_empty() {
        sections.push(("made from (upstream)".into(), t.upstream.clone()));
    }
    if !t.downstream.is_empty() {
        sections.push(("made into (downstream)".into(), t.downstream.clone()));
    }
    let n = sections.len();
    for (i, (title, items)) in sections.into_iter().enumerate() {
        let last = i + 1 == n;
        println!("{}─ {title}", if last { "└" } else { "├" });
        let bar = if last { " " } else { "│" };
        let m = items.len();
        for (j, item) in items.into_iter().enumerate() {
            println!("{bar}  {}─ {item}", if j + 1 == m { "└" } else { "├" });
        }
    }
}

/// `trace`: the node's answer, refused unless it is complete against the histories the chain commits
/// (`NodeClient::check_history`).
pub(crate) async fn trace(g: &Global, a: TraceArgs) -> CmdResult {
    let checked = g.client()?.check_history(&a.code).await?;
    let t = checked.trace;
    if g.json {
        return output::json(&t);
    }
    print_tree(&t);
    println!(
        "complete up to block {}: every own, container and upstream hop the chain commits is shown (the histories of {} code(s), checked against the state root this node serves for that block — for proof that does not trust the node, `yima proof` then `yima verify`{})",
        t.height,
        checked.history.codes.len(),
        if checked.history.downstream > 0 {
            "; downstream hops are not checked"
        } else {
            ""
        }
    );
    Ok(())
}

pub(crate) async fn recall(g: &Global, a: RecallArgs) -> CmdResult {
    let r = g.client()?.recall(&a.target).await?;
    if g.json {
        return output::json(&r);
    }
    let what = match (&r.lot, &r.code) {
        (Some(l), _) => format!("lot {}/{}", l.product, l.lot),
        (None, Some(c)) => format!("code {c}"),
        _ => a.target.clone(),
    };
    println!(
        "recall of {what} at height {}: {} code(s)",
        r.height,
        r.rows.len()
    );
    let mut t = output::table(&["holder", "code", "status", "quantity", "container", "flags"]);
    for row in &r.rows {
        let c = &row.custody;
        let quantity = r
            .holders
            .iter()
            .find(|h| h.org == c.holder)
            .map(|h| h.quantity);
        let mut flags = Vec::new();
        if c.excursion {
            flags.push("excursion");
        }
        if c.expired {
            flags.push("expired");
        }
        t.add_row(vec![
            output::org(c.holder),
            row.code.clone(),
            c.status.clone(),
            quantity.map(|q| q.to_string()).unwrap_or_default(),
            if c.root == row.code {
                String::new()
            } else {
                c.root.clone()
            },
            flags.join(","),
        ]);
    }
    println!("{t}");
    if !r.holders.is_empty() {
        let mut h = output::table(&["holder", "quantity"]);
        for holder in &r.holders {
            h.add_row(vec![output::org(holder.org), holder.quantity.to_string()]);
        }
        println!("{h}");
    }
    if !r.holds.is_empty() {
        let mut h = output::table(&["lot", "hold", "state", "by", "block", "decision"]);
        for hold in &r.holds {
            h.add_row(vec![
                format!("{}/{}", hold.lot.product, hold.lot.lot),
                hold.source.clone(),
                hold.state.clone(),
                output::org(hold.by),
                hold.at.to_string(),
                hold.decision.clone().unwrap_or_default(),
            ]);
        }
        println!("{h}");
    }
    Ok(())
}

pub(crate) async fn alerts(g: &Global, a: AlertsArgs) -> CmdResult {
    let client = g.client()?;
    let ws = client.ws().await?;
    let mut sub = client.subscribe_alerts(&ws).await?;
    let limit = if a.follow {
        usize::MAX
    } else {
        a.count.unwrap_or(1)
    };
    if !g.json {
        eprintln!("waiting for alerts from {} (Ctrl-C to stop)", client.url());
    }
    let mut seen = 0;
    while seen < limit {
        let alert = tokio::select! {
            item = next_item(&mut sub, "alerts") => item?,
            _ = tokio::signal::ctrl_c() => break,
        };
        if g.json {
            // One JSON document per line, so a script can follow the stream.
            println!(
                "{}",
                serde_json::to_string(&alert).map_err(|e| e.to_string())?
            );
        } else {
            let codes = if alert.codes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", alert.codes.join(", "))
            };
            println!(
                "block {} event {}  {}/{}{codes}: {}",
                alert.block, alert.index, alert.pallet, alert.kind, alert.message
            );
        }
        seen += 1;
    }
    Ok(())
}

pub(crate) async fn health(g: &Global) -> CmdResult {
    let client = g.client()?;
    let h = client.health().await?;
    let version = client.version().await?;
    if g.json {
        return output::json(&serde_json::json!({
            "url": client.url(),
            "version": version,
            "finalized": h.best_number,
            "poolReady": h.pool_ready,
            "poolTotal": h.pool_total,
        }));
    }
    println!("node      {} ({version})", client.url());
    println!("finalized {}", h.best_number);
    println!("pool      {} ready, {} in all", h.pool_ready, h.pool_total);
    Ok(())
}

pub(crate) async fn attestation(g: &Global, a: AttestationArgs) -> CmdResult {
    let id = yima_frame::Hash::from_hex(&a.id).map_err(|e| format!("{:?}: {e}", a.id))?;
    let Some(att) = g.client()?.attestation(&id).await? else {
        return Err(format!("attestation {id} is not on this chain").into());
    };
    let time = |ms: u64| output::time(ms);
    let doc = serde_json::json!({
        "id": id.to_string(),
        "schema": att.schema,
        "issuerOrg": att.issuer_org,
        "issuer": att.issuer.to_string(),
        "subject": format!("{:?}", att.subject),
        "digest": att.digest.to_string(),
        "uri": att.uri.as_deref().map(String::from_utf8_lossy),
        "validFrom": time(att.valid_from),
        "validUntil": att.valid_until.map(time),
        "issuedAt": att.issued_at,
        "revoked": att.revoked.map(|r| serde_json::json!({
            "by": r.by, "reason": r.reason.to_string(), "at": r.at, "time": time(r.time),
        })),
    });
    if g.json {
        return output::json(&doc);
    }
    let mut t = output::table(&["field", "value"]);
    if let Some(map) = doc.as_object() {
        for (k, v) in map {
            t.add_row(vec![
                k.clone(),
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
            ]);
        }
    }
    println!("{t}");
    println!("(read with its state proof checked against the finalized header's state root)");
    Ok(())
}

/// A hop's relation as the trace prints it (`own`, `container`, `upstream`, `downstream`).
fn relation_name(r: yima_runtime::query::Relation) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
