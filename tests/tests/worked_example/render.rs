//! Rendering the worked example's calls, traces and recalls as the Markdown tables of
//! `docs/trace-worked-example.md`.

use super::*;

pub(crate) fn band(t: &TemperatureRange) -> String {
    format!(
        "{} to {} °C",
        t.min_centi_celsius as f64 / 100.0,
        t.max_centi_celsius as f64 / 100.0
    )
}

pub(crate) fn short(code: &TraceCode) -> String {
    code.canonical()
}

pub(crate) fn codes(list: &[TraceCode]) -> String {
    match list {
        [] => "(all)".into(),
        [first, _, _, ..] => format!(
            "{} … {} ({} codes)",
            short(first),
            short(&list[list.len() - 1]),
            list.len()
        ),
        few => few.iter().map(short).collect::<Vec<_>>().join(", "),
    }
}

/// One line per event, for the tables.
pub(crate) fn describe(e: &EpcisEvent) -> String {
    let step = e.biz_step.cbv();
    let mut s = match &e.body {
        EventBody::Object {
            action: a, epcs, ..
        } => {
            format!("Object {} *{step}* {}", a.cbv(), codes(epcs))
        }
        EventBody::Aggregation {
            action: a,
            parent,
            children,
        } => format!(
            "Aggregation {} *{step}* {} ⊃ {}",
            a.cbv(),
            short(parent),
            codes(children)
        ),
        EventBody::Transformation { inputs, outputs } => {
            format!(
                "Transformation *{step}* {} → {}",
                codes(inputs),
                codes(outputs)
            )
        }
        EventBody::Transaction {
            action: a,
            biz_transactions,
            epcs,
        } => format!(
            "Transaction {} *{step}* {:?} {}",
            a.cbv(),
            biz_transactions.iter().map(|b| b.kind).collect::<Vec<_>>(),
            codes(epcs)
        ),
    };
    if let Some(to) = e.destination {
        let _ = write!(s, " → {}", org_key(to));
    }
    if let Some(ilmd) = &e.ilmd {
        let _ = write!(s, " (lot {})", ilmd.lot.lot.as_str());
    }
    for r in &e.sensors {
        let _ = write!(
            s,
            " [{} to {} °C]",
            r.min as f64 / 100.0,
            r.max as f64 / 100.0
        );
    }
    if !e.certifications.is_empty() {
        let _ = write!(s, " [{} certificate(s)]", e.certifications.len());
    }
    s
}

/// The name of a shipped attestation schema, e.g. “batch release (批签发)”.
fn schema_name(schema: yima_attestation::SchemaId) -> String {
    yima_attestation::schemas::builtin()
        .into_iter()
        .find(|s| s.id == schema)
        .map_or_else(|| format!("schema {schema}"), |s| s.name)
}

fn lot_ref(product: &ProductId, lot: &LotNumber) -> String {
    format!("lot {} / {}", product.as_str(), lot.as_str())
}

/// An attestation or certificate id, shortened for the tables.
fn id(hash: &yima_frame::Hash) -> String {
    format!("`{}…`", &hash.to_hex()[..8])
}

/// The lines the document shows for one call: a capture's events, or what a domain call asks for.
pub(crate) fn describe_call(call: &RuntimeCall) -> Vec<String> {
    use yima_cold_chain::Call as ColdChain;
    let line = match call {
        RuntimeCall::Trace(yima_trace::Call::Capture { events }) => {
            return events.iter().map(describe).collect()
        }
        RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product,
            name,
            category,
            temperature,
            ..
        }) => format!(
            "register product {} “{}” ({category:?}{})",
            product.as_str(),
            String::from_utf8_lossy(name),
            temperature
                .map(|t| format!(", {}", band(&t)))
                .unwrap_or_default()
        ),
        RuntimeCall::Trace(yima_trace::Call::ApproveProduct { product, licence }) => format!(
            "**Trace::ApproveProduct** {} (licence SHA-256 {})",
            product.as_str(),
            id(licence)
        ),
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema,
            subject: yima_attestation::Subject::Lot(l),
            digest,
            ..
        }) => format!(
            "**Attestation::Attest** {} on {} (document SHA-256 {})",
            schema_name(*schema),
            lot_ref(&l.product, &l.lot),
            id(digest)
        ),
        RuntimeCall::ColdChain(ColdChain::DeclareEntry { entry: e }) => format!(
            "**ColdChain::DeclareEntry** {}: declaration {}, origin {}, port {}, consignment {}, {} {}",
            lot_ref(&e.lot.product, &e.lot.lot),
            e.declaration.as_str(),
            String::from_utf8_lossy(&e.origin.0),
            e.port.as_str(),
            short(&e.consignment),
            e.quantity,
            e.uom.map_or("pieces".into(), |u| String::from_utf8_lossy(&u).into_owned())
        ),
        RuntimeCall::ColdChain(ColdChain::Clear { lot, certificate }) => format!(
            "**ColdChain::Clear** {} citing inspection/quarantine certificate {}",
            lot_ref(&lot.product, &lot.lot),
            id(certificate)
        ),
        RuntimeCall::ColdChain(ColdChain::IssueCodes {
            lot,
            count,
            disinfection,
        }) => format!(
            "**ColdChain::IssueCodes** {count} cold-chain codes into {} citing disinfection certificate {}",
            lot_ref(&lot.product, &lot.lot),
            id(disinfection)
        ),
        RuntimeCall::ColdChain(ColdChain::CarrierHop {
            codes: list,
            to,
            vehicle,
            gps_track,
            temperature: t,
        }) => format!(
            "**ColdChain::CarrierHop** {} → {} by {} (GPS track SHA-256 {}) [{} to {} °C]",
            codes(list),
            org_key(*to),
            String::from_utf8_lossy(vehicle),
            id(gps_track),
            t.min as f64 / 100.0,
            t.max as f64 / 100.0
        ),
        RuntimeCall::Vaccine(yima_vaccine::Call::Administer { record: r }) => format!(
            "**Vaccine::Administer** {} of batch {} from {}, supplied by {} (vaccinator and recipient by \
             pseudonymous id only)",
            short(&r.code),
            r.batch.as_str(),
            String::from_utf8_lossy(&r.equipment),
            org_key(r.cdc)
        ),
        other => format!("{other:?}"),
    };
    vec![line]
}

pub(crate) fn relation(r: Relation) -> &'static str {
    match r {
        Relation::Own => "own",
        Relation::Container => "container",
        Relation::Upstream => "upstream",
        Relation::Downstream => "downstream",
    }
}

pub(crate) fn render_calls(out: &mut String, log: &[(u64, &str, Vec<String>)]) {
    out.push_str(
        "The transactions, one row each, in block order; under a domain pallet's call (**bold**), ↳ the custody \
         events it recorded through the trace core:\n\n",
    );
    out.push_str(
        "| block | signed by | call, or the events it captures (in order) |\n|---|---|---|\n",
    );
    for (block, who, lines) in log {
        let _ = writeln!(out, "| {block} | `{who}` | {} |", lines.join("<br>"));
    }
    out.push('\n');
}

pub(crate) fn render_trace(out: &mut String, t: &Trace) {
    out.push_str(
        "| # | block / index | relation | org | subject | event |\n|---|---|---|---|---|---|\n",
    );
    for (i, h) in t.hops.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} / {} | {} | `{}` | `{}` | {} |",
            i + 1,
            h.at.block,
            h.at.index,
            relation(h.relation),
            org_key(h.org),
            short(&h.subject),
            describe(h.epcis())
        );
    }
    let list = |codes: &[TraceCode]| {
        if codes.is_empty() {
            "none".to_string()
        } else {
            codes
                .iter()
                .map(|c| format!("`{}`", short(c)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(
        out,
        "\nUpstream: {}. Downstream: {}.",
        list(&t.upstream),
        list(&t.downstream)
    );
    out.push_str("\nContainer spans followed:\n\n| code | in container | packed at | unpacked at |\n|---|---|---|---|\n");
    for s in &t.containers {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            short(&s.code),
            short(&s.container),
            s.packed,
            s.unpacked
                .map_or("still inside".to_string(), |u| u.to_string())
        );
    }
    out.push('\n');
}

pub(crate) fn render_recall(out: &mut String, r: &Recall) {
    out.push_str(
        "| code | lot | holder | status | root | excursion |\n|---|---|---|---|---|---|\n",
    );
    for row in &r.rows {
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | {:?} | `{}` | {} |",
            short(&row.code),
            row.lot.as_ref().map_or("–", |l| l.lot.as_str()),
            org_key(row.holder),
            row.status,
            short(&row.root),
            if row.excursion { "yes" } else { "no" }
        );
    }
    let holders: Vec<String> = r
        .holders
        .iter()
        .map(|(o, n)| format!("`{}` {n}", org_key(*o)))
        .collect();
    let _ = writeln!(out, "\nPer holder: {}.\n", holders.join(", "));
}

pub(crate) type Step = (u64, Relation, &'static str, BizStep);

pub(crate) fn steps(t: &Trace) -> Vec<Step> {
    t.hops
        .iter()
        .map(|h| (h.at.block, h.relation, org_key(h.org), h.epcis().biz_step))
        .collect()
}
