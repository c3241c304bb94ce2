//! Complete histories checked on the client: a `trace_history` answer against what the chain commits.
//!
//! Every code's record in state carries the count and hash-chain head of the custody events that name it
//! (`yima_trace::history`). [`NodeClient::check_history`] reads the trace, then for the code, every container
//! it was in and every transformation input (as the committed chains themselves reveal them) the events naming
//! it (`trace_chain`) and its record with its state proof (`state_get` of `Trace:Codes:` ++ SCALE(code)) at the
//! trace's height, and runs the pure [`yima_trace::history::check_history`]: a hop the node left out, added,
//! reordered, altered or took from another code is refused with [`ClientError::IncompleteHistory`], naming it.
//!
//! Trust: the state proof is checked against the `state_root` of the header at that height as the node serves
//! it (see [`crate::state`]); a bundle's certified header removes that trust. Downstream hops (what was packed
//! into the code or made from it) are shown but their completeness is not checked.

use std::collections::BTreeMap;

use parity_scale_codec::DecodeAll;
use yima_codes::TraceCode;
use yima_frame::storage::StorageMap;
use yima_trace::epcis::EpcisEvent;
use yima_trace::history::{
    self, Chain, CheckedHistory, HistoryError, HistorySummary, Position, ProvenHop, Relation,
    ShownHop,
};
use yima_trace::types::CodeState;

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;
use crate::types::{ChainJson, TraceJson};

/// Most codes (the traced code, its containers, its inputs) one check reads the chains of.
pub const MAX_CHAINS: usize = 1_000;

/// A trace whose own, container and upstream hops are exactly the committed histories.
#[derive(Clone, Debug)]
pub struct CheckedTrace {
    /// The node's answer.
    pub trace: TraceJson,
    /// What the check established (each hop's relation and subject).
    pub history: CheckedHistory,
    /// The checked chains, by code: the proven events themselves.
    pub chains: BTreeMap<TraceCode, Chain>,
}

impl CheckedTrace {
    /// The checked event at `at`, if it is in one of the chains.
    pub fn event(&self, at: Position) -> Option<&ProvenHop> {
        self.chains
            .values()
            .flat_map(|c| c.hops.iter())
            .find(|h| h.at == at)
    }
}

fn bad(method: &str, reason: impl Into<String>) -> ClientError {
    ClientError::BadResponse {
        method: method.into(),
        reason: reason.into(),
    }
}

fn parse_code(method: &str, text: &str) -> Result<TraceCode> {
    TraceCode::parse(text).map_err(|e| bad(method, format!("{text:?} is not a trace code: {e}")))
}

/// The runtime query's relation as the history check names it.
fn relation(r: yima_runtime::query::Relation) -> Relation {
    use yima_runtime::query::Relation as Shown;
    match r {
        Shown::Own => Relation::Own,
        Shown::Container => Relation::Container,
        Shown::Upstream => Relation::Upstream,
        Shown::Downstream => Relation::Downstream,
    }
}

/// The hops of a trace answer as the check reads them: where, what relation, which code.
pub fn shown_hops(trace: &TraceJson) -> Result<Vec<ShownHop>> {
    trace
        .hops
        .iter()
        .map(|h| {
            Ok(ShownHop {
                at: Position::new(h.at.block, h.at.index),
                relation: relation(h.relation),
                subject: parse_code("trace_history", &h.subject)?,
            })
        })
        .collect()
}

/// The hops of `trace_chain` pages, decoded.
fn chain_hops(page: &ChainJson) -> Result<Vec<ProvenHop>> {
    page.hops
        .iter()
        .map(|h| {
            let bytes = hex::decode(h.event.trim_start_matches("0x"))
                .map_err(|e| bad("trace_chain", format!("event is not hex: {e}")))?;
            let event = EpcisEvent::decode_all(&mut &bytes[..])
                .map_err(|e| bad("trace_chain", format!("event does not decode: {e}")))?;
            Ok(ProvenHop {
                at: Position::new(h.at.block, h.at.index),
                org: h.org,
                event,
            })
        })
        .collect()
}

/// Checks `trace` against `chains` (each the proven summary and the served hops of a code).
pub fn check_trace(
    trace: &TraceJson,
    chains: &BTreeMap<TraceCode, Chain>,
) -> Result<CheckedHistory> {
    let code = parse_code("trace_history", &trace.code)?;
    let shown = shown_hops(trace)?;
    history::check_history(&code, chains, &shown).map_err(|source| ClientError::IncompleteHistory {
        code: trace.code.clone(),
        source,
    })
}

impl NodeClient {
    /// The events naming `code` up to block `at` (`trace_chain`, every page) and its history summary at `at`,
    /// proven by `state_get`. Not yet checked against each other: see [`yima_trace::history::check_chain`].
    pub async fn trace_chain(&self, code: &TraceCode, at: u64) -> Result<Chain> {
        let text = code.to_string();
        let mut page: ChainJson = self.trace_chain_page(&text, Some(at), None).await?;
        let mut hops = chain_hops(&page)?;
        while let Some(cursor) = page.next_cursor.take() {
            page = self.trace_chain_page(&text, Some(at), Some(cursor)).await?;
            hops.extend(chain_hops(&page)?);
        }
        let proven = self
            .state_get(&yima_trace::Codes::storage_key(code), Some(at))
            .await?;
        let summary = match proven.value {
            None => HistorySummary::default(),
            Some(bytes) => {
                CodeState::decode_all(&mut &bytes[..])
                    .map_err(|e| {
                        ClientError::BadProof(format!("the record of {code} does not decode: {e}"))
                    })?
                    .history
            }
        };
        Ok(Chain { summary, hops })
    }

    /// `trace_history(code)` checked complete against the chain (see the module docs).
    pub async fn check_history(&self, code: &str) -> Result<CheckedTrace> {
        let trace = self.trace(code).await?;
        let traced = parse_code("trace_history", &trace.code)?;
        let mut chains = BTreeMap::new();
        // The chains reveal which others they rest on (containers, inputs): fetch until none is missing.
        loop {
            match history::derive(&traced, &chains) {
                Ok(_) => break,
                Err(HistoryError::NoChain { code, .. }) if chains.len() < MAX_CHAINS => {
                    let chain = self.trace_chain(&code, trace.height).await?;
                    chains.insert(code, chain);
                }
                Err(source) => {
                    return Err(ClientError::IncompleteHistory {
                        code: trace.code.clone(),
                        source,
                    })
                }
            }
        }
        let history = check_trace(&trace, &chains)?;
        Ok(CheckedTrace {
            trace,
            history,
            chains,
        })
    }
}
