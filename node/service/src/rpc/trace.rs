//! `trace_history` (一码统管) and `trace_recall` (一键排查): the runtime's query layer over the node's RocksDB
//! event index and state, read from one snapshot so history and custody are of the same height.
//!
//! `trace_chain(code, at)`: every event naming one code up to height `at`, with its SCALE bytes — what the
//! code's history summary in state commits (`yima_trace::history`). A client proves the summary with
//! `state_get` of the key `Trace:Codes:` ++ SCALE(code) at the same height and checks the hops against it
//! (`yima_client::history`): for the traced code, each container it was in and each transformation input.
//!
//! **Codes** are taken in any form a scanner yields ([`TraceCode::parse`]): bare digits (SSCC-18, NMPA-20),
//! GS1 element strings (`(01)…(21)…`, with symbology identifier or FNC1/GS), GS1 Digital Link URIs or paths
//! (`https://id.example.com/01/…/21/…`, `/00/…`) and cold-chain codes (`CL…`).
//!
//! **Recall targets** ([`parse_recall_target`]) are a code as above, or a lot written as a Digital Link or element
//! string with a GTIN and a lot and no serial, or `{product}/{lot}` (`8612345/202601A`): the runtime's
//! [`RecallTarget::parse`] reads them (pure, fuzzed by `fuzz/`'s `rpc_params`).

use jsonrpsee::types::ErrorObjectOwned;
use yima_codes::TraceCode;
use yima_runtime::query::{self, CustodyView, EventIndex, QueryError, RecallTarget};

use super::error::{bad_params, guarded, node_error, not_on_chain};
use super::page::{self, MAX_HOPS, MAX_ROWS};
use super::trace_json::{
    ChainHopJson, ChainJson, EpcisJson, EventRefJson, LotHoldJson, OrgEventJson, OrgEventsJson,
    RecallJson, TraceJson,
};
use super::Rpc;

pub use yima_rpc_api::trace::{TraceApiServer, MAX_CODE_TEXT};

fn check_length(text: &str) -> Result<(), ErrorObjectOwned> {
    if text.len() > MAX_CODE_TEXT {
        return Err(bad_params(format!(
            "{} characters: a code is at most {MAX_CODE_TEXT}",
            text.len()
        )));
    }
    Ok(())
}

/// A code in any scanned form, or a JSON-RPC error naming the check that failed.
pub fn parse_code(text: &str) -> Result<TraceCode, ErrorObjectOwned> {
    check_length(text)?;
    TraceCode::parse(text).map_err(|e| bad_params(format!("{text:?} is not a trace code: {e}")))
}

/// A recall target ([`RecallTarget::parse`]: a lot or a code), or a JSON-RPC error naming the check that failed.
pub fn parse_recall_target(text: &str) -> Result<RecallTarget, ErrorObjectOwned> {
    check_length(text)?;
    RecallTarget::parse(text).map_err(|e| bad_params(e.to_string()))
}

fn query_error(e: QueryError) -> ErrorObjectOwned {
    match e {
        QueryError::UnknownCode(code) => not_on_chain(format!(
            "code {code} is not on this chain: no custody event names it (check the code, or wait for the block \
             that commissions it)"
        )),
        QueryError::UnknownLot(lot) => not_on_chain(format!(
            "lot {}/{} is not on this chain: no code was commissioned in it",
            lot.product.as_str(),
            lot.lot.as_str()
        )),
        other => node_error(other),
    }
}

impl TraceApiServer for Rpc {
    fn history(
        &self,
        code: String,
        cursor: Option<u64>,
        limit: Option<u64>,
    ) -> Result<TraceJson, ErrorObjectOwned> {
        let code = parse_code(&code)?;
        let page = page::rpc(cursor, limit, MAX_HOPS)?;
        guarded(|| {
            let state = self.host.store().state().map_err(node_error)?;
            let height = state.head().unwrap_or(0);
            let trace = query::trace(&state.index(), &code).map_err(query_error)?;
            let custody = state.custody();
            let current = custody.custody_of(&[code]).pop().flatten();
            let mut json = TraceJson::page(&trace, height, current.as_ref(), page);
            if let Some(lot) = current.as_ref().and_then(|c| c.lot.clone()) {
                let holds = custody.holds_of(std::slice::from_ref(&lot)).pop();
                json.holds = holds
                    .unwrap_or_default()
                    .iter()
                    .map(|h| LotHoldJson::new(&lot, h))
                    .collect();
            }
            Ok(json)
        })
    }

    fn recall(
        &self,
        target: String,
        cursor: Option<u64>,
        limit: Option<u64>,
    ) -> Result<RecallJson, ErrorObjectOwned> {
        let target = parse_recall_target(&target)?;
        let page = page::rpc(cursor, limit, MAX_ROWS)?;
        guarded(|| {
            let state = self.host.store().state().map_err(node_error)?;
            let height = state.head().unwrap_or(0);
            let recall =
                query::recall(&state.index(), &state.custody(), target).map_err(query_error)?;
            Ok(RecallJson::new(&recall, height).into_page(page))
        })
    }

    fn chain(
        &self,
        code: String,
        at: Option<u64>,
        cursor: Option<u64>,
        limit: Option<u64>,
    ) -> Result<ChainJson, ErrorObjectOwned> {
        let code = parse_code(&code)?;
        let page = page::rpc(cursor, limit, MAX_HOPS)?;
        guarded(|| {
            let state = self.host.store().state().map_err(node_error)?;
            let head = state.head().unwrap_or(0);
            let height = at.unwrap_or(head);
            if height > head {
                return Err(not_on_chain(format!(
                    "block {height} is not on this chain yet: the finalized head is {head}"
                )));
            }
            let index = state.index();
            let refs = index.events_of_code(&code);
            let upto = refs.partition_point(|r| r.block <= height);
            let (refs, next_cursor) = page.slice(&refs[..upto]);
            let hops = refs
                .iter()
                .map(|r| {
                    index
                        .event(r.at())
                        .map(|e| ChainHopJson::new(&e))
                        .ok_or_else(|| node_error(QueryError::MissingEvent(r.at())))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ChainJson {
                code: code.to_string(),
                height,
                hops,
                total: upto as u64,
                next_cursor,
            })
        })
    }

    fn org_events(
        &self,
        org: u32,
        from: Option<EventRefJson>,
        limit: Option<u64>,
    ) -> Result<OrgEventsJson, ErrorObjectOwned> {
        let page = page::rpc(None, limit, MAX_HOPS)?;
        let from = from.map_or(query::EventRef::MIN, |f| {
            query::EventRef::new(f.block, f.index)
        });
        guarded(|| {
            let state = self.host.store().state().map_err(node_error)?;
            let height = state.head().unwrap_or(0);
            let index = state.index();
            let mut refs = index
                .org_events(org, from, page.limit.saturating_add(1))
                .map_err(node_error)?;
            let next = (refs.len() > page.limit)
                .then(|| refs.pop())
                .flatten()
                .map(EventRefJson::from);
            let events = refs
                .iter()
                .map(|r| {
                    let e = index
                        .custody_event(*r)
                        .map_err(node_error)?
                        .ok_or_else(|| node_error(QueryError::MissingEvent(*r)))?;
                    Ok(OrgEventJson {
                        at: (*r).into(),
                        event: EpcisJson::from(&e.event),
                    })
                })
                .collect::<Result<Vec<_>, ErrorObjectOwned>>()?;
            Ok(OrgEventsJson {
                org,
                height,
                events,
                next,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_targets_refused_with_the_runtime_s_reason_or_for_their_length() {
        assert_eq!(
            parse_recall_target(" 8612345/202601A ").unwrap(),
            RecallTarget::parse("8612345/202601A").unwrap()
        );
        let refused = |s: &str| parse_recall_target(s).unwrap_err().message().to_owned();
        assert!(refused("/01/09521234543213").contains("neither one item"));
        assert!(refused("hello").contains("not a lot or a code"));
        assert!(refused(&"1".repeat(600)).contains("at most"));
    }
}
