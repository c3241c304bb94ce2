//! `trace_history` (一码统管) and `trace_recall` (一键排查): the runtime's query layer over the node's RocksDB
//! event index and state, read from one snapshot so history and custody are of the same height.
//!
//! `trace_chain(code, at)`: every event naming one code up to height `at`, with its SCALE bytes — what the
//! code's history summary in state commits (`yima_trace::history`). A client proves the summary with
//! `state_get` of the key `Trace:Codes:` ++ SCALE(code) at the same height and checks the hops against it
//! (`yima_client::history`): for the traced code, each container it was in and each transformation input.
//!
//! **Codes** are taken in any form a scanner yields (`TraceCode::parse`): bare digits (SSCC-18, NMPA-20),
//! GS1 element strings (`(01)…(21)…`, with symbology identifier or FNC1/GS), GS1 Digital Link URIs or paths
//! (`https://id.example.com/01/…/21/…`, `/00/…`) and cold-chain codes (`CL…`).
//!
//! **Recall targets**  are a code as above, or a lot written as a Digital Link or element
//! string with a GTIN and a lot and no serial, or `{product}/{lot}` (`8612345/202601A`): the runtime's
//! `RecallTarget::parse` reads them (pure, fuzzed by `fuzz/`'s `rpc_params`).

use jsonrpsee::proc_macros::rpc;
use jsonrpsee::types::ErrorObjectOwned;

use crate::trace_json::{ChainJson, EventRefJson, OrgEventsJson, RecallJson, TraceJson};

/// Longest code or target text accepted.
pub const MAX_CODE_TEXT: usize = 512;

/// Trace and recall.
#[rpc(server, client)]
pub trait TraceApi {
    /// The history of `code` (any scanned form) and its custody now: the hops from `cursor` (default 0), at most
    /// `limit` (default and most [`crate::page::MAX_HOPS`]); `nextCursor` continues ([`crate::page`]).
    #[method(name = "trace_history", blocking)]
    fn history(
        &self,
        code: String,
        cursor: Option<u64>,
        limit: Option<u64>,
    ) -> Result<TraceJson, ErrorObjectOwned>;

    /// Every code downstream of `target` — a lot or a code, see the module docs — with who holds it now: the
    /// codes from `cursor` (default 0), at most `limit` (default and most [`crate::page::MAX_ROWS`]); `nextCursor`
    /// continues.
    #[method(name = "trace_recall", blocking)]
    fn recall(
        &self,
        target: String,
        cursor: Option<u64>,
        limit: Option<u64>,
    ) -> Result<RecallJson, ErrorObjectOwned>;

    /// Every custody event naming `code` (any scanned form) up to block `at` (default: the finalized head), in
    /// chain order, with its SCALE bytes: the hops from `cursor` (default 0), at most `limit` (default and most
    /// [`crate::page::MAX_HOPS`]); `nextCursor` continues. What the code's history summary at `at` commits.
    #[method(name = "trace_chain", blocking)]
    fn chain(
        &self,
        code: String,
        at: Option<u64>,
        cursor: Option<u64>,
        limit: Option<u64>,
    ) -> Result<ChainJson, ErrorObjectOwned>;

    /// The custody events organisation `org` captured (its history of hops), in chain order, from event `from`
    /// (default: the first) on, at most `limit` (default and most [`crate::page::MAX_HOPS`]); `next` continues.
    /// Each event is provable with `proof_event`; that none is left out is the node's word (the chain commits no
    /// per-organisation summary).
    #[method(name = "trace_orgEvents", blocking)]
    fn org_events(
        &self,
        org: u32,
        from: Option<EventRefJson>,
        limit: Option<u64>,
    ) -> Result<OrgEventsJson, ErrorObjectOwned>;
}
