//! `yima records …`: read back what the domain commands wrote — a record card, a purchase window, a
//! prescription, a pharmacist, a black box, a customs entry, the attestations about a subject, an
//! organisation — each recomputed from state proofs checked against the block's state root
//! (`yima_client::records`). Personal records are signed for with the member's key (`--key`/`--dev-key`).

use clap::Subcommand;
use serde::Serialize;
use yima_client::records::{Checked, Reading};
use yima_membership::uscc::Uscc;
use yima_rpc_api::params;

use crate::common::{Failure, Global};
use crate::output;
use crate::person_id::PersonKey;

/// `yima records`.
#[derive(Subcommand)]
pub(crate) enum RecordsCommand {
    /// A recipient's vaccination record card, every dose in order. Personal: read by a vaccination site, a
    /// CDC or a regulator, signing with its member key (--key/--dev-key); the node logs the read.
    RecordCard {
        /// The recipient: a resident id (derived under the chain's key) or a 0x… pseudonymous id.
        person: String,
        #[command(flatten)]
        key: PersonKey,
    },
    /// A buyer's purchases of controlled compound preparations and what they may still buy. Personal: read
    /// by a pharmacy or a regulator, signing with its member key.
    PurchaseWindow {
        /// The buyer: a resident id or a 0x… pseudonymous id.
        person: String,
        #[command(flatten)]
        key: PersonKey,
    },
    /// A prescription: lines, review, what was dispensed. Personal: read by a hospital, a pharmacy or a
    /// regulator, signing with its member key.
    Prescription {
        /// Its id: the SHA-256 of the prescription document (0x…).
        id: String,
    },
    /// A pharmacist's licence and every pharmacy binding they had.
    Pharmacist {
        /// The pharmacist: a resident id or a 0x… pseudonymous id.
        person: String,
        #[command(flatten)]
        key: PersonKey,
    },
    /// A drug batch's black box: its WMS, SCADA and LIMS anchors.
    BlackBox {
        /// The lot, `{product}/{lot}`.
        lot: String,
    },
    /// An imported cold-chain lot's customs record: declaration, clearance, tests, release, disposal.
    CustomsEntry {
        /// The lot, `{product}/{lot}`.
        lot: String,
    },
    /// Every attestation about a subject, in issuing order, with whether each holds now. A person subject
    /// is read by a member, signing with its key.
    Attestations {
        /// `code:CODE`, `lot:PRODUCT/LOT`, `org:USCC`, `equipment:ID`, `location:ID` or `person:ID` (a
        /// resident id or a 0x… pseudonymous id).
        subject: String,
        #[command(flatten)]
        key: PersonKey,
    },
    /// A unit of special equipment: kind, place, user, maintenance firm, status, last maintenance and inspection,
    /// insurance, open lapses. Its records themselves: `yima records attestations equipment:NUMBER`.
    Equipment {
        /// Its registration number (e.g. 梯11浙A00123(19)) or its GIAI in any scanned form (/8004/…).
        code: String,
    },
    /// A member organisation by USCC: kind, status, company prefixes, the attestations about it.
    Organisation {
        /// Its unified social credit code.
        uscc: String,
    },
    /// The custody events an organisation captured, oldest first, each proven against the chain's trust anchor
    /// (that none is left out is the node's word: the chain commits no per-organisation summary).
    OrgEvents {
        /// The organisation: its USCC, or its id on this chain.
        org: String,
        /// Start at this event, `BLOCK/INDEX` (the `next` a previous page printed).
        #[arg(long)]
        from: Option<String>,
        /// How many events (at most 500).
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

/// Runs `yima records …`.
pub(crate) async fn run(g: &Global, c: RecordsCommand) -> Result<(), Failure> {
    let client = g.client()?;
    match c {
        RecordsCommand::RecordCard { person, key } => {
            let who = key.person(g, &person).await?;
            let member = member(g, &client).await?;
            let reading = member.reading();
            show(g, client.record_card(&who, reading).await?)
        }
        RecordsCommand::PurchaseWindow { person, key } => {
            let who = key.person(g, &person).await?;
            let member = member(g, &client).await?;
            let reading = member.reading();
            show(g, client.purchase_window(&who, reading).await?)
        }
        RecordsCommand::Prescription { id } => {
            let id = crate::tx::hash("prescription id", &id)?;
            let member = member(g, &client).await?;
            let reading = member.reading();
            let answer = client.prescription(&id, reading).await?;
            if answer.value.is_none() {
                return Err(format!(
                    "no prescription {id} on this chain (proven at block {})",
                    answer.height
                )
                .into());
            }
            show(g, answer)
        }
        RecordsCommand::Pharmacist { person, key } => {
            let who = key.person(g, &person).await?;
            let answer = client.pharmacist(&who).await?;
            if answer.value.is_none() {
                return Err(format!(
                    "{person} was never bound to a pharmacy (proven at block {})",
                    answer.height
                )
                .into());
            }
            show(g, answer)
        }
        RecordsCommand::BlackBox { lot } => {
            let lot = params::parse_lot(&lot).map_err(|e| Failure::from(e.0))?;
            show(g, client.black_box(&lot).await?)
        }
        RecordsCommand::CustomsEntry { lot } => {
            let lot = params::parse_lot(&lot).map_err(|e| Failure::from(e.0))?;
            show(g, client.customs_entry(&lot).await?)
        }
        RecordsCommand::Equipment { code } => {
            let unit = params::parse_equipment(&code).map_err(|e| Failure::from(e.0))?;
            let answer = client.equipment(&unit).await?;
            if answer.value.is_none() {
                return Err(format!(
                    "no unit is registered under {code} (proven at block {})",
                    answer.height
                )
                .into());
            }
            show(g, answer)
        }
        RecordsCommand::Attestations { subject, key } => {
            let subject = match subject.strip_prefix("person:") {
                Some(person) => {
                    yima_attestation::types::Subject::Person(key.person(g, person).await?)
                }
                None => params::parse_subject(&subject).map_err(|e| Failure::from(e.0))?,
            };
            let answer = if let yima_attestation::types::Subject::Person(_) = subject {
                let member = member(g, &client).await?;
                let reading = member.reading();
                client.attestations_about(&subject, Some(reading)).await?
            } else {
                client.attestations_about(&subject, None).await?
            };
            show(g, answer)
        }
        RecordsCommand::OrgEvents { org, from, limit } => {
            let id = match org.trim().parse::<u32>() {
                Ok(id) => id,
                Err(_) => {
                    let uscc = Uscc::parse(org.trim()).map_err(|e| {
                        format!("{org:?} is neither an organisation id nor a USCC: {e}")
                    })?;
                    client
                        .organisation(&uscc)
                        .await?
                        .value
                        .ok_or_else(|| format!("no member organisation has USCC {uscc}"))?
                        .id
                }
            };
            let from = from.as_deref().map(event_ref).transpose()?;
            let anchor = g.anchor(&client).await?;
            let page = client.org_history(id, from, Some(limit), &anchor).await?;
            if g.json {
                return output::json(&serde_json::json!({
                    "org": id,
                    "events": page.events,
                    "next": page.next,
                }));
            }
            let mut t = output::table(&["block/event", "time", "bizStep", "event", "codes"]);
            for e in &page.events {
                let codes: Vec<&String> = e
                    .event
                    .epc_list
                    .iter()
                    .chain(&e.event.child_epcs)
                    .chain(&e.event.output_epc_list)
                    .collect();
                let shown = match codes.len() {
                    0 => "—".to_string(),
                    1 => codes[0].clone(),
                    n => format!("{} (+{} more)", codes[0], n - 1),
                };
                t.add_row(vec![
                    format!("{}/{}", e.at.block, e.at.index),
                    output::time(e.event.event_time),
                    e.event.biz_step.clone(),
                    format!(
                        "{} {}",
                        e.event.kind,
                        e.event.action.as_deref().unwrap_or("")
                    ),
                    shown,
                ]);
            }
            println!("{t}");
            println!(
                "{} event(s) of organisation {id}, each proven",
                page.events.len()
            );
            if let Some(n) = page.next {
                println!("more: --from {}/{}", n.block, n.index);
            }
            Ok(())
        }
        RecordsCommand::Organisation { uscc } => {
            let uscc =
                Uscc::parse(uscc.trim()).map_err(|e| format!("{uscc:?} is not a USCC: {e}"))?;
            let answer = client.organisation(&uscc).await?;
            if answer.value.is_none() {
                return Err(format!(
                    "no member organisation has USCC {uscc} (proven at block {})",
                    answer.height
                )
                .into());
            }
            show(g, answer)
        }
    }
}

/// `BLOCK/INDEX`.
fn event_ref(text: &str) -> Result<yima_rpc_api::trace_json::EventRefJson, Failure> {
    let parsed = text
        .split_once('/')
        .and_then(|(b, i)| Some((b.trim().parse().ok()?, i.trim().parse().ok()?)));
    let (block, index) = parsed
        .ok_or_else(|| Failure::from(format!("--from {text:?}: write BLOCK/INDEX, e.g. 12/3")))?;
    Ok(yima_rpc_api::trace_json::EventRefJson { block, index })
}

/// The member key signing a personal read, and the chain it signs for.
struct Member {
    key: ed25519_dalek::SigningKey,
    genesis: yima_frame::Hash,
}

impl Member {
    fn reading(&self) -> Reading<'_> {
        Reading {
            key: &self.key,
            genesis: &self.genesis,
        }
    }
}

async fn member(g: &Global, client: &yima_client::NodeClient) -> Result<Member, Failure> {
    let key = g.signer().map_err(|e| {
        Failure::from(format!(
            "{}: a personal record is read by a member, who signs the request",
            e.message
        ))
    })?;
    Ok(Member {
        key,
        genesis: g.anchor(client).await?.genesis_hash,
    })
}

/// Prints a proven answer: its JSON with `--json`, else its fields and lists as tables.
fn show<T: Serialize>(g: &Global, answer: Checked<T>) -> Result<(), Failure> {
    let value =
        serde_json::to_value(&answer.value).map_err(|e| format!("cannot write JSON: {e}"))?;
    if g.json {
        return output::json(&serde_json::json!({
            "value": value,
            "height": answer.height,
            "stateRoot": answer.state_root.to_string(),
        }));
    }
    let Some(fields) = value.as_object() else {
        return output::json(&value);
    };
    let mut t = output::table(&["field", "value"]);
    let mut lists = Vec::new();
    for (name, v) in fields {
        match v {
            serde_json::Value::Array(rows)
                if rows.iter().all(|r| r.is_object()) && !rows.is_empty() =>
            {
                lists.push((name, rows))
            }
            other => {
                t.add_row(vec![name.clone(), cell(other)]);
            }
        }
    }
    println!("{t}");
    for (name, rows) in lists {
        let headers: Vec<&str> = rows[0]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut list = output::table(&headers);
        for row in rows {
            list.add_row(headers.iter().map(|h| cell(&row[*h])).collect::<Vec<_>>());
        }
        println!("{name}:\n{list}");
    }
    println!(
        "proven at block {} against state root {}",
        answer.height, answer.state_root
    );
    Ok(())
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
