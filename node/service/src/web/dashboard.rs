//! The regulator dashboard (`/dashboard`) and the recall view (`/recall/{lot}`, 一键排查).
//!
//! The dashboard shows chain health (height, finalized height — every committed block is final under
//! Tendermint — and connected gossip peers) and the alerts of the latest [`RECENT_BLOCKS`] blocks, server-side;
//! a dozen lines of inline script then subscribe to `alerts_subscribe` over the RPC port's WebSocket (the same
//! origin, no library, no CDN) and put each new alert on top, and refresh health from `/dashboard?format=json`.
//! The script writes only with `textContent`, so an alert's text cannot inject markup.

use std::sync::Arc;

use maud::{html, Markup, PreEscaped};
use serde::Serialize;
use yima_frame::externalities::Externalities;
use yima_frame::state::StateBackend;
use yima_frame::storage::StorageMap;
use yima_runtime::query::{self, QueryError};

use super::i18n::Lang;
use super::layout::{page, with_lang};
use crate::host::NodeHost;
use crate::rpc::alerts::{block_alerts, AlertJson};
use crate::rpc::trace_json::RecallJson;

/// How many of the latest blocks the dashboard reads alerts from when it opens: the default and the most of
/// one page (`?cursor={block}&limit={blocks}`, newest first; [`crate::rpc::page`]).
pub const RECENT_BLOCKS: u64 = 100;

/// Why the dashboard has no answer.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// A page parameter is out of bounds.
    #[error("{0}")]
    Malformed(String),
    /// The node failed.
    #[error("the node could not read its store: {0} (see the node's log)")]
    Node(String),
}

/// Chain health.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthJson {
    /// The head's number.
    pub height: u64,
    /// The finalized height (equal to the height: Tendermint finalizes every committed block).
    pub finalized: u64,
    /// Connected gossip peers.
    pub peers: usize,
}

/// The dashboard's data: health and recent alerts, newest first.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardJson {
    /// Health.
    pub health: HealthJson,
    /// Alerts of the page's blocks, newest first.
    pub alerts: Vec<AlertJson>,
    /// The next page's newest block (`?cursor=`); absent when the page reached block 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<u64>,
}

/// Reads the dashboard's data: the alerts of `limit` blocks (default and most [`RECENT_BLOCKS`]; 0 for health
/// only) from block `cursor` (default the head) down.
pub fn load(
    host: &Arc<NodeHost>,
    cursor: Option<u64>,
    limit: Option<u64>,
) -> Result<DashboardJson, DashboardError> {
    let node = |e: &dyn std::fmt::Display| DashboardError::Node(e.to_string());
    let limit = limit.unwrap_or(RECENT_BLOCKS);
    if limit > RECENT_BLOCKS {
        return Err(DashboardError::Malformed(format!(
            "limit {limit} is above {RECENT_BLOCKS} blocks, the most one page reads: follow nextCursor for more"
        )));
    }
    let height = host
        .store()
        .head_number()
        .map_err(|e| node(&e))?
        .unwrap_or(0);
    let peers = host.network().map(|n| n.peers().len()).unwrap_or(0);
    let top = cursor.unwrap_or(height).min(height);
    let bottom = top.saturating_sub(limit).saturating_add(1).max(1);
    let mut alerts = Vec::new();
    if limit > 0 {
        for block in (bottom..=top).rev() {
            let mut a = block_alerts(host, block).map_err(|e| node(&e))?;
            a.reverse();
            alerts.extend(a);
        }
    }
    Ok(DashboardJson {
        health: HealthJson {
            height,
            finalized: height,
            peers,
        },
        alerts,
        next_cursor: (limit > 0 && bottom > 1).then(|| bottom - 1),
    })
}

const SCRIPT: &str = r#"
(function(){
  var list=document.getElementById('live-alerts'), st=document.getElementById('ws-state');
  function set(id,v){var e=document.getElementById(id); if(e) e.textContent=String(v);}
  function add(a){var li=document.createElement('li'); li.className='alert-item live';
    var b=document.createElement('strong'); b.textContent=a.kind+' · '+a.pallet+' ';
    li.appendChild(b); li.appendChild(document.createTextNode(a.message+' (#'+a.block+'/'+a.index+')'));
    list.insertBefore(li,list.firstChild);}
  try{var ws=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/');
    ws.onopen=function(){st.textContent='●'; ws.send(JSON.stringify({jsonrpc:'2.0',id:1,method:'alerts_subscribe',params:[]}));};
    ws.onmessage=function(m){var d=JSON.parse(m.data); if(d.method==='alerts_alert'&&d.params) add(d.params.result);};
    ws.onclose=function(){st.textContent='○';};}catch(e){st.textContent='○';}
  setInterval(function(){fetch('/dashboard?format=json&limit=0').then(function(r){return r.json();}).then(function(d){
    set('h-height',d.health.height); set('h-finalized',d.health.finalized); set('h-peers',d.health.peers);});},5000);
})();
"#;

fn recall_form(lang: Lang, value: &str) -> Markup {
    let t = lang.t();
    html! {
        form.recall method="get" action="/recall" {
            input type="hidden" name="lang" value=(lang.code());
            input type="text" name="lot" value=(value) placeholder=(t.recall_prompt) aria-label=(t.recall_prompt);
            button type="submit" { (t.search) }
        }
    }
}

/// The dashboard page.
pub fn dashboard_page(data: &DashboardJson, lang: Lang, query: Option<&str>) -> Markup {
    let t = lang.t();
    let body = html! {
        h1 { (t.dashboard) }
        section id="health" {
            h2 { (t.health) }
            table { tbody {
                tr { th { (t.height) } td id="h-height" { (data.health.height) } }
                tr { th { (t.finalized) } td id="h-finalized" { (data.health.finalized) } }
                tr { th { (t.peers) } td id="h-peers" { (data.health.peers) } }
            } }
        }
        section id="alerts" {
            h2 { (t.live_alerts) " " span id="ws-state" title="WebSocket" { "○" } }
            ul id="live-alerts" {
                @for a in &data.alerts {
                    li.alert-item { strong { (a.kind) " · " (a.pallet) " " } (a.message) " (#" (a.block) "/" (a.index) ")"
                        @for c in a.codes.iter().take(3) {
                            " " a.code href=(with_lang(&scan_href(c), None, lang)) { (c) }
                        }
                    }
                }
            }
            @if data.alerts.is_empty() { p.muted { (t.waiting) } }
        }
        section id="recall" {
            h2 { (t.recall) }
            (recall_form(lang, ""))
        }
        script { (PreEscaped(SCRIPT)) }
    };
    page(
        lang,
        t.dashboard,
        &with_lang("/dashboard", query, lang.other()),
        body,
    )
}

fn scan_href(code: &str) -> String {
    if code.starts_with('/') {
        code.to_string()
    } else {
        format!("/code/{code}")
    }
}

/// Why a recall has no page.
#[derive(Debug, thiserror::Error)]
pub enum RecallError {
    /// Malformed target.
    #[error("{0}")]
    Malformed(String),
    /// Unknown lot or code.
    #[error("{0}")]
    NotOnChain(String),
    /// The node failed.
    #[error("the node could not read its store: {0} (see the node's log)")]
    Node(String),
}

/// The recall of `target` (a lot or a code in `trace_recall`'s forms) with the holders' names.
pub fn load_recall(
    host: &Arc<NodeHost>,
    target: &str,
) -> Result<(RecallJson, Vec<(u32, String)>), RecallError> {
    let target = crate::rpc::trace::parse_recall_target(target)
        .map_err(|e| RecallError::Malformed(e.message().to_owned()))?;
    let state = host
        .store()
        .state()
        .map_err(|e| RecallError::Node(e.to_string()))?;
    let height = state.head().unwrap_or(0);
    let recall = match query::recall(&state.index(), &state.custody(), target) {
        Ok(r) => r,
        Err(e @ (QueryError::UnknownCode(_) | QueryError::UnknownLot(_))) => {
            return Err(RecallError::NotOnChain(e.to_string()))
        }
        Err(e) => return Err(RecallError::Node(e.to_string())),
    };
    let json = RecallJson::new(&recall, height);
    let backend: Arc<dyn StateBackend> = Arc::new(state);
    let names = Externalities::new(backend).execute_with(|| {
        json.holders
            .iter()
            .map(|h| {
                let name = yima_membership::Organisations::get(&h.org)
                    .map(|o| String::from_utf8_lossy(&o.name).into_owned())
                    .unwrap_or_else(|| format!("#{}", h.org));
                (h.org, name)
            })
            .collect()
    });
    Ok((json, names))
}

/// The recall page: the form, the holders with quantities, every code with its status and holder.
pub fn recall_page(
    recall: Option<&(RecallJson, Vec<(u32, String)>)>,
    target: &str,
    lang: Lang,
    path: &str,
    query: Option<&str>,
) -> Markup {
    let t = lang.t();
    let name = |org: u32| -> String {
        recall
            .and_then(|(_, names)| names.iter().find(|(o, _)| *o == org))
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("#{org}"))
    };
    let body = html! {
        h1 { (t.recall) }
        section { (recall_form(lang, target)) }
        @if let Some((json, _)) = recall {
            section id="holders" {
                h2 { (t.holders) }
                table { thead { tr { th { (t.holders) } th { (t.quantity) } } }
                    tbody { @for h in &json.holders { tr.holder { td { (name(h.org)) } td { (h.quantity) } } } } }
            }
            section id="codes" {
                h2 { (t.codes) " (" (json.rows.len()) ")" }
                div.scroll { table {
                    thead { tr { th { (t.codes) } th { (t.holder) } th { (t.status) } } }
                    tbody { @for r in &json.rows {
                        tr { td { a.code href=(with_lang(&scan_href(&r.code), None, lang)) { (r.code) } }
                             td { (name(r.custody.holder)) }
                             td { (r.custody.status) @if r.custody.excursion { " · " (t.excursion) } @if r.custody.expired { " · " (t.status_expired) } } }
                    } }
                } }
                p.small.muted { (t.at_height) " " (json.height) }
            }
        }
    };
    page(lang, t.recall, &with_lang(path, query, lang.other()), body)
}
