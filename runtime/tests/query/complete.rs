//! `query::complete::check_trace` — the node's check of a trace against the history summaries state commits —
//! on the pallet journey of the scenario tests: the honest trace passes resting on the item's, its case's and its
//! pallet's chains; an index that lost one of the pallet's events, and a trace that left a hop out, are refused
//! naming the code and the count or the hop.

use std::borrow::Cow;
use std::sync::Arc;

use yima_codes::TraceCode;
use yima_frame::storage::StorageMap;
use yima_runtime::query::complete::{check_trace, IncompleteTrace};
use yima_runtime::query::{trace, CodeEvent, EventIndex, EventRef, IndexedEvent, MemoryIndex};
use yima_trace::history::{HistoryError, HistorySummary};
use yima_trace::types::LotKey;

use crate::common::trace::*;
use crate::scenario::pallet_journey;

/// The index of a node that lost one event.
struct Lost<'a> {
    index: &'a MemoryIndex,
    lost: EventRef,
}

impl EventIndex for Lost<'_> {
    fn events_of_code(&self, code: &TraceCode) -> Cow<'_, [CodeEvent]> {
        let kept = self.index.events_of_code(code);
        Cow::Owned(
            kept.iter()
                .filter(|e| e.at() != self.lost)
                .copied()
                .collect(),
        )
    }

    fn event(&self, at: EventRef) -> Option<Arc<IndexedEvent>> {
        (at != self.lost).then(|| self.index.event(at)).flatten()
    }

    fn codes_of_lot(&self, lot: &LotKey) -> Cow<'_, [TraceCode]> {
        self.index.codes_of_lot(lot)
    }
}

fn summaries(c: &IndexedChain) -> impl Fn(&TraceCode) -> HistorySummary + '_ {
    move |code| {
        c.chain.read(|| {
            yima_trace::Codes::get(code)
                .map(|s| s.history)
                .unwrap_or_default()
        })
    }
}

#[test]
fn the_honest_trace_is_the_committed_history() {
    let c = pallet_journey();
    let t = trace(&c.index, &item(1)).unwrap();
    let checked = check_trace(&c.index, &summaries(&c), &t, c.chain.head.number).unwrap();
    assert_eq!(
        checked.codes.into_iter().collect::<Vec<_>>(),
        {
            let mut codes = vec![item(1), sscc(0), sscc(9)];
            codes.sort();
            codes
        },
        "the item's, its case's and its pallet's chains"
    );
    assert_eq!(checked.hops.len(), t.hops.len());
}

#[test]
fn an_index_that_lost_a_container_event_is_caught() {
    let c = pallet_journey();
    // The pallet's receiving at the distributor (block 3).
    let lost = EventRef::new(3, 0);
    let index = Lost {
        index: &c.index,
        lost,
    };
    let t = trace(&index, &item(1)).unwrap();
    assert!(t.hops.iter().all(|h| h.at != lost), "the trace lost it too");
    let e = check_trace(&index, &summaries(&c), &t, c.chain.head.number).unwrap_err();
    assert!(
        matches!(e, IncompleteTrace::History(HistoryError::Missing { code, .. }) if code == sscc(9)),
        "{e}"
    );
    assert!(e.to_string().contains("1 hop(s) left out"), "{e}");
}

#[test]
fn a_trace_that_leaves_a_hop_out_is_caught() {
    let c = pallet_journey();
    let mut t = trace(&c.index, &item(1)).unwrap();
    let left_out = t.hops.remove(3).at;
    let e = check_trace(&c.index, &summaries(&c), &t, c.chain.head.number).unwrap_err();
    assert!(
        matches!(e, IncompleteTrace::History(HistoryError::NotShown { at, .. }) if at.block == left_out.block),
        "{e}"
    );
    assert!(e.to_string().contains("left out"), "{e}");
}
