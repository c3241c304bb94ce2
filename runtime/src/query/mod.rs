//! # The query layer: trace (一码统管) and recall (一键排查)
//!
//! Custody hops are events, not state (DESIGN.md §3): every accepted custody event is a `Trace::Captured`
//! runtime event, committed by its block's `events_root`. This module rebuilds histories from those events and
//! answers recalls from them plus current custody state, as **pure functions** over two narrow traits:
//!
//! - [`EventIndex`]: events by code and codes by lot, each event at an [`EventRef`] (block, position) that an
//!   inclusion proof names. The node implements it on RocksDB (written in the block's write batch);
//!   [`MemoryIndex`] implements it in memory, fed with each block's events ([`MemoryIndex::ingest`]).
//! - [`CustodyView`]: each code's current custody. [`StateCustody`] reads it from chain state with the trace
//!   pallet's own resolution rules.
//!
//! [`trace`] walks a code's own events, its containers' events while it was inside them, upstream through
//! transformation inputs to origin and downstream through contents and outputs; every [`Hop`] carries its
//! [`EventRef`] so a proof can be attached, and lists the regulators' clearances of the code's excursion flag
//! (its own, and its containers' while it was inside them). [`recall`] lists every code downstream of a lot or a
//! code ([`RecallTarget::parse`] reads either from text) with its holder, and how many each holder has, and what
//! the regulator decided about each lot's hold ([`lot_holds`]: held, released, disposed).
//!
//! ```text
//! blocks ──events──▶ MemoryIndex / RocksDB index ──▶ trace(code)            ──▶ hops + EventRefs ──▶ proofs
//!                                                  └▶ recall(lot | code) ◀── StateCustody (state)
//! ```
//!
//! [`complete::check_trace`] checks a trace against the history summaries state commits (the node's badge).
//!
//! Results never depend on hash-map iteration order: every list is sorted (hops by [`EventRef`], codes by
//! [`yima_codes::TraceCode`]'s order).

pub mod complete;
mod custody;
mod hash;
mod holds;
mod index;
mod memory;
mod recall;
mod target;
mod trace;

pub use custody::{CodeCustody, CustodyView, StateCustody};
pub use holds::{lot_holds, HoldSource, HoldState, LotHold};
pub use index::{Clearance, CodeEvent, EventIndex, EventRef, IndexedEvent, Role};
pub use memory::{IngestError, MemoryIndex};
pub use recall::{recall, Recall, RecallRow, RecallTarget};
pub use target::TargetError;
pub use trace::{trace, ContainerSpan, Hop, Relation, Trace, MAX_CONTAINER_LEVELS};

use yima_codes::TraceCode;
use yima_trace::types::LotKey;

/// Why a query has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The index has no event naming the code.
    #[error("unknown code {0}: no custody event on this chain names it (check the code, or wait for its commissioning block)")]
    UnknownCode(TraceCode),
    /// The index has no code in the lot.
    #[error("unknown lot {} / {}: no code was commissioned in it on this chain", .0.product.as_str(), .0.lot.as_str())]
    UnknownLot(LotKey),
    /// The index names an event it cannot return: the index is inconsistent.
    #[error("the index names event {0} but cannot return it: the event index is inconsistent, rebuild it")]
    MissingEvent(EventRef),
    /// The index names a code that state does not know: index and state are from different heights.
    #[error("code {0} is indexed but not in state: the event index and the state are from different blocks")]
    NotInState(TraceCode),
}

#[cfg(test)]
mod tests {
    use parity_scale_codec::Encode;
    use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};

    use crate::RuntimeEvent;

    /// `MemoryIndex` recognises custody events by their first two bytes; the composition must keep them.
    #[test]
    fn captured_events_start_with_the_prefix_the_memory_index_checks() {
        let event = RuntimeEvent::Trace(yima_trace::Event::Captured {
            org: 1,
            index: 0,
            event: EpcisEvent::new(
                EventBody::Object {
                    action: Action::Observe,
                    epcs: vec![],
                    quantities: vec![],
                },
                0,
                0,
                BizStep::Other,
            ),
        });
        assert_eq!(&event.encode()[..2], &super::memory::CAPTURED_PREFIX);
    }
}
