//! `yima import epcis|csv` and `yima export epcis`, through `yima-epcis` (EPCIS 2.0 JSON-LD ⇄ on-chain events,
//! CBV 2.0 event hash as each event's id).
//!
//! Parties: EPCIS names organisations by GLN or URI, the chain by org id. `--parties FILE` maps them (a JSON
//! object `{"urn:epc:id:pgln:4012345.00000": 7, …}`, keys in any form `PartyId::parse` reads); `urn:yima:org:N`
//! always means org N. Export names organisations back by the same file, else `urn:yima:org:N`.
//!
//! CSV custody logs (`import csv`): a header row and one event per row — `eventTime` (RFC 3339), `code` (any
//! scanned form), `bizStep` (CBV), and optional `disposition`, `source`, `destination` (org ids), `readPoint`,
//! and for commissioning `lotNumber`, `productionDate`, `itemExpirationDate`. Each row becomes an EPCIS 2.0
//! ObjectEvent (ADD when commissioning, else OBSERVE), so CSV and EPCIS share one mapping and one event hash.
//!
//! Bad input is all-or-nothing: every bad event (index and line) or row is listed and nothing is signed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use yima_client::import::{ImportEvent, ImportOptions, ImportReport, Importer};
use yima_client::journal::Journal;
use yima_codes::TraceCode;
use yima_consensus::proof::EventProof;
use yima_epcis::PartyId;
use yima_frame::OrgId;
use yima_runtime::RuntimeEvent;

use crate::common::{CmdResult, Failure, Global};
use crate::output;

/// The URI form of an org id.
const ORG_URN: &str = "urn:yima:org:";

/// `import …`.
#[derive(Subcommand)]
pub(crate) enum ImportCommand {
    /// An EPCIS 2.0 JSON-LD document (EPCISDocument, EPCISQueryDocument, or a JSON array of events).
    Epcis(ImportArgs),
    /// A CSV custody log (see `yima import csv --help`).
    #[command(
        long_about = "A CSV custody log: a header row, then one event per row. Columns: eventTime (RFC 3339), \
code (any scanned form), bizStep (CBV, e.g. shipping); optional: disposition, source, destination (org ids), \
readPoint, and for commissioning lotNumber, productionDate, itemExpirationDate (dates YYYY-MM-DD)."
    )]
    Csv(ImportArgs),
}

/// Import options.
#[derive(Args)]
pub(crate) struct ImportArgs {
    /// The input file.
    file: PathBuf,
    /// Party → org id mapping (JSON object).
    #[arg(long)]
    parties: Option<PathBuf>,
    /// Events per transaction (one trace `capture` call each; at most 1,000).
    #[arg(long, default_value_t = 200)]
    batch: usize,
    /// Transactions in flight at once (each chunk is awaited to finality before the next is signed; a chunk
    /// of many thousand events makes one heavy block).
    #[arg(long, default_value_t = 16)]
    in_flight: usize,
    /// The journal that makes a rerun resume (default FILE.yima-journal).
    #[arg(long)]
    journal: Option<PathBuf>,
}

/// `export …`.
#[derive(Subcommand)]
pub(crate) enum ExportCommand {
    /// EPCIS 2.0 JSON-LD of every custody event of the codes and lots given (each proven before it is written).
    Epcis(ExportArgs),
}

/// Export options.
#[derive(Args)]
pub(crate) struct ExportArgs {
    /// Codes (any scanned form) or lots (`{product}/{lot}`, `(01)…(10)…`).
    #[arg(required = true)]
    targets: Vec<String>,
    /// Write here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Org id → party mapping (the same file as for import).
    #[arg(long)]
    parties: Option<PathBuf>,
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

fn parties(path: Option<&Path>) -> Result<HashMap<PartyId, OrgId>, Failure> {
    let Some(path) = path else {
        return Ok(HashMap::new());
    };
    let map: BTreeMap<String, OrgId> = serde_json::from_str(&read(path)?).map_err(|e| {
        format!(
            "{}: a JSON object of party → org id is expected: {e}",
            path.display()
        )
    })?;
    Ok(map
        .into_iter()
        .map(|(k, v)| (PartyId::parse(&k), v))
        .collect())
}

fn resolve(map: &HashMap<PartyId, OrgId>, party: &PartyId) -> Option<OrgId> {
    if let Some(org) = map.get(party) {
        return Some(*org);
    }
    match party {
        PartyId::Other(s) => s.strip_prefix(ORG_URN).and_then(|n| n.parse().ok()),
        PartyId::Gln(_) => None,
    }
}

/// EPCIS events of a document, or every problem in it.
fn epcis_events(text: &str, map: &HashMap<PartyId, OrgId>) -> Result<Vec<ImportEvent>, Failure> {
    let resolver = |p: &PartyId| resolve(map, p);
    let parsed = yima_epcis::parse_events(text, &resolver).map_err(|e| e.to_string())?;
    let mut events = Vec::with_capacity(parsed.len());
    let mut problems = Vec::new();
    for p in parsed {
        match p {
            Ok(e) => events.push(ImportEvent {
                id: e
                    .event
                    .event_id
                    .map(|h| h.to_string())
                    .unwrap_or_else(|| format!("event-{}", e.index)),
                place: format!("event {} (line {})", e.index, e.line),
                event: e.event,
            }),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "{} event(s) cannot be imported; nothing was submitted. Fix them and run again:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )
        .into());
    }
    Ok(events)
}

fn offset_of(time: &str) -> String {
    let t = time.trim();
    if t.ends_with('Z') || t.ends_with('z') {
        return "+00:00".into();
    }
    let tail = &t[t.len().saturating_sub(6)..];
    if tail.len() == 6
        && (tail.starts_with('+') || tail.starts_with('-'))
        && tail.as_bytes()[3] == b':'
    {
        tail.to_string()
    } else {
        "+00:00".into()
    }
}

/// A CSV custody log as an EPCIS 2.0 document (one ObjectEvent per row), or every bad row.
pub(crate) fn csv_document(text: &str) -> Result<(Value, Vec<usize>), Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("CSV header: {e}"))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(time_c), Some(code_c), Some(step_c)) =
        (col("eventTime"), col("code"), col("bizStep"))
    else {
        return Err(
            "the CSV header must name at least eventTime, code and bizStep"
                .to_string()
                .into(),
        );
    };
    let opt = |name: &str| col(name);
    let (disp_c, src_c, dst_c, rp_c) = (
        opt("disposition"),
        opt("source"),
        opt("destination"),
        opt("readPoint"),
    );
    let (lot_c, prod_c, exp_c) = (
        opt("lotNumber"),
        opt("productionDate"),
        opt("itemExpirationDate"),
    );
    let mut events = Vec::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 2, |p| p.line() as usize);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|s| !s.is_empty());
        let code = match TraceCode::parse(get(Some(code_c)).unwrap_or("")) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("line {line}, column code: {e}"));
                continue;
            }
        };
        let time = get(Some(time_c)).unwrap_or("");
        let step = get(Some(step_c)).unwrap_or("");
        let commissioning =
            step.eq_ignore_ascii_case("commissioning") || step.ends_with(":commissioning");
        let mut e = json!({
            "type": "ObjectEvent",
            "action": if commissioning { "ADD" } else { "OBSERVE" },
            "eventTime": time,
            "eventTimeZoneOffset": offset_of(time),
            "epcList": [yima_epcis::ids::epc_uri(&code)],
            "bizStep": step,
        });
        if let Some(d) = get(disp_c) {
            e["disposition"] = json!(d);
        }
        if let Some(r) = get(rp_c) {
            e["readPoint"] = json!({ "id": r });
        }
        if let Some(s) = get(src_c) {
            e["sourceList"] =
                json!([{ "type": "owning_party", "source": format!("{ORG_URN}{s}") }]);
        }
        if let Some(d) = get(dst_c) {
            e["destinationList"] =
                json!([{ "type": "owning_party", "destination": format!("{ORG_URN}{d}") }]);
        }
        if let Some(lot) = get(lot_c) {
            e["ilmd"] = json!({
                "lotNumber": lot,
                "productionDate": get(prod_c).unwrap_or(""),
                "itemExpirationDate": get(exp_c).unwrap_or(""),
            });
        }
        events.push(e);
        lines.push(line);
    }
    if !problems.is_empty() {
        return Err(format!(
            "{} row(s) cannot be imported; nothing was submitted. Fix them and run again:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )
        .into());
    }
    let doc = json!({
        "@context": [yima_epcis::EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "1970-01-01T00:00:00Z",
        "epcisBody": { "eventList": events },
    });
    Ok((doc, lines))
}

fn print_report(g: &Global, r: &ImportReport) -> CmdResult {
    if g.json {
        output::json(r)?;
    } else {
        println!(
            "{} event(s): {} imported in {} transaction(s), {} already on chain, {} confirmed from the last run",
            r.total, r.imported, r.transactions, r.skipped, r.recovered
        );
        if r.imported > 0 {
            println!(
                "throughput {:.0} events/s ({:.1} s to finality)",
                r.events_per_second, r.seconds
            );
        }
        if !r.refused.is_empty() {
            let mut t = output::table(&[
                "transaction",
                "block",
                "events",
                "from",
                "to",
                "refused because",
            ]);
            for b in &r.refused {
                t.add_row(vec![
                    b.tx.clone(),
                    b.block.to_string(),
                    b.events.to_string(),
                    b.places.0.clone(),
                    b.places.1.clone(),
                    b.error.clone(),
                ]);
            }
            println!("{t}");
        }
    }
    if r.refused.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} transaction(s) were refused on chain (listed above); fix the cause and run again: only the refused and missing events are retried",
            r.refused.len()
        )
        .into())
    }
}

pub(crate) async fn import(g: &Global, command: ImportCommand) -> CmdResult {
    let (args, csv) = match command {
        ImportCommand::Epcis(a) => (a, false),
        ImportCommand::Csv(a) => (a, true),
    };
    let text = read(&args.file)?;
    let map = parties(args.parties.as_deref())?;
    let events = if csv {
        let (doc, lines) = csv_document(&text)?;
        let mut events = epcis_events(&doc.to_string(), &map)
            .map_err(|e| Failure::from(format!("{} (event n is data row n+1)", e.message)))?;
        for (e, line) in events.iter_mut().zip(lines) {
            e.place = format!("line {line}");
        }
        events
    } else {
        epcis_events(&text, &map)?
    };
    if events.is_empty() {
        return Err(format!("{} holds no events", args.file.display()).into());
    }
    let key = g.signer()?;
    let client = g.client()?;
    let (builder, anchor) = g.builder(&client).await?;
    let journal_path = args
        .journal
        .clone()
        .unwrap_or_else(|| Journal::path_for(&args.file));
    let mut journal = Journal::open(&journal_path)?;
    let bar = output::progress(events.len() as u64, "importing", g.json);
    let options = ImportOptions {
        events_per_tx: args.batch.clamp(1, 1000),
        chunk_txs: args.in_flight.max(1),
        timeout: g.timeout(),
    };
    let importer = Importer {
        client: &client,
        builder: &builder,
        anchor: Some(anchor),
        key: &key,
        options,
    };
    let report = importer
        .run(events, &mut journal, &mut |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await;
    bar.finish_and_clear();
    print_report(g, &report?)
}

pub(crate) async fn export(g: &Global, a: ExportArgs) -> CmdResult {
    let client = g.client()?;
    let anchor = g.anchor(&client).await?;
    let mut places = std::collections::BTreeSet::new();
    for target in &a.targets {
        let codes = if TraceCode::parse(target).is_ok() {
            vec![target.clone()]
        } else {
            client
                .recall(target)
                .await?
                .rows
                .into_iter()
                .map(|r| r.code)
                .collect()
        };
        for code in codes {
            for hop in client.trace(&code).await?.hops {
                places.insert((hop.at.block, hop.at.index));
            }
        }
    }
    let mut events = Vec::with_capacity(places.len());
    for (block, index) in places {
        let p = client.event_proof(block, index).await?;
        let bytes = hex::decode(p.bundle.trim_start_matches("0x")).map_err(|e| e.to_string())?;
        let proof = EventProof::from_bytes(&bytes).map_err(|e| e.to_string())?;
        let verified = proof.verify(&anchor).map_err(|e| {
            format!("the node's proof of event {index} of block {block} does not verify: {e}")
        })?;
        if let RuntimeEvent::Trace(yima_trace::Event::Captured { event, .. }) =
            verified.record.event
        {
            events.push(event);
        }
    }
    let map = parties(a.parties.as_deref())?;
    let reverse: HashMap<OrgId, PartyId> = map.into_iter().map(|(p, o)| (o, p)).collect();
    let namer = |org: OrgId| {
        Some(
            reverse
                .get(&org)
                .cloned()
                .unwrap_or_else(|| PartyId::Other(format!("{ORG_URN}{org}"))),
        )
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let doc = yima_epcis::export_document(&events, &namer, now);
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    match &a.out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            if !g.json {
                eprintln!("{} event(s) written to {}", events.len(), path.display());
            }
        }
        None => print!("{text}"),
    }
    Ok(())
}
