//! Whether a trace is the whole history the chain commits: the node's own check of its index against state.
//!
//! Every code's record in state carries its [`HistorySummary`] (count and hash-chain head of the custody events
//! naming it, kept by the trace pallet as events are deposited). [`check_trace`] reads, for the traced code and
//! every code its trace rests on (containers while it was inside, transformation inputs upstream), the events
//! the index files under it, and runs the pallet's pure [`history::check_history`]: each code's events must hash
//! to its committed summary, and the trace must show exactly the hops those chains determine. An index that lost
//! or invented an event, or a trace that left a hop out, fails naming the code and the hop or count.
//!
//! This is what the node can check about itself (its index against its state). A client that does not trust
//! the node runs the same pure check on what the node serves (`trace_chain` and `state_get` proofs) and an auditor
//! on a bundle's proven events: see ARCHITECTURE.md, "What a bundle proves".

use std::collections::BTreeMap;

use yima_codes::TraceCode;
use yima_frame::BlockNumber;
use yima_trace::history::{
    self, Chain, CheckedHistory, HistoryError, HistorySummary, Position, ProvenHop, ShownHop,
};

use super::{EventIndex, EventRef, Hop, Relation, Trace};

/// Most chains one check reads (a trace resting on more is refused, not read without bound).
pub const MAX_CHAINS: usize = 1_000;

/// Why a trace is not the committed history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncompleteTrace {
    /// The chains and the trace disagree (a hop missing, added, mislabelled, or a chain not its summary).
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The index names an event it cannot return.
    #[error("the index names event {0} but cannot return it: the event index is inconsistent, rebuild it")]
    MissingEvent(EventRef),
    /// The trace rests on more chains than one check reads.
    #[error("the trace rests on more than {MAX_CHAINS} codes' histories: too many to check in one request")]
    TooManyChains,
}

/// The relation of `relation` in the pallet's terms.
fn relation(relation: Relation) -> history::Relation {
    match relation {
        Relation::Own => history::Relation::Own,
        Relation::Container => history::Relation::Container,
        Relation::Upstream => history::Relation::Upstream,
        Relation::Downstream => history::Relation::Downstream,
    }
}

/// `hops` as the pallet's [`history::check_history`] takes what a trace shows.
pub fn shown_hops(hops: &[Hop]) -> Vec<ShownHop> {
    hops.iter()
        .map(|h| ShownHop {
            at: Position::new(h.at.block, h.at.index),
            relation: relation(h.relation),
            subject: h.subject,
        })
        .collect()
}

/// The events `index` files under `code` up to block `height`, with `summary`.
pub fn chain_from_index(
    index: &dyn EventIndex,
    code: &TraceCode,
    height: BlockNumber,
    summary: HistorySummary,
) -> Result<Chain, IncompleteTrace> {
    let refs = index.events_of_code(code);
    let hops = refs
        .iter()
        .take_while(|r| r.block <= height)
        .map(|r| {
            let e = index
                .event(r.at())
                .ok_or(IncompleteTrace::MissingEvent(r.at()))?;
            Ok(ProvenHop {
                at: Position::new(e.at.block, e.at.index),
                org: e.org,
                event: e.event.clone(),
            })
        })
        .collect::<Result<Vec<_>, IncompleteTrace>>()?;
    Ok(Chain { summary, hops })
}

/// Checks that `trace`, read from `index` at block `height`, shows exactly the history the chain commits;
/// `summary_of` reads a code's committed summary in state at `height` (the default one for a code state does not
/// know). See the module docs.
pub fn check_trace(
    index: &dyn EventIndex,
    summary_of: &dyn Fn(&TraceCode) -> HistorySummary,
    trace: &Trace,
    height: BlockNumber,
) -> Result<CheckedHistory, IncompleteTrace> {
    let mut chains = BTreeMap::new();
    // The chains reveal which others they rest on (containers, inputs): read until none is missing.
    loop {
        match history::derive(&trace.code, &chains) {
            Ok(_) => break,
            Err(HistoryError::NoChain { code, .. }) if chains.len() < MAX_CHAINS => {
                let chain = chain_from_index(index, &code, height, summary_of(&code))?;
                chains.insert(code, chain);
            }
            Err(HistoryError::NoChain { .. }) => return Err(IncompleteTrace::TooManyChains),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(history::check_history(
        &trace.code,
        &chains,
        &shown_hops(&trace.hops),
    )?)
}
