//! What trace and recall read: accepted custody events, found by code and by lot, and regulators' clearances of
//! excursion flags, found by code.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use parity_scale_codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use yima_codes::TraceCode;
use yima_frame::{BlockNumber, Hash, OrgId};
use yima_trace::epcis::EpcisEvent;
use yima_trace::types::LotKey;

/// Where an event is on the chain: its block and its position among **all** of that block's events (the leaf
/// index of its record under the header's `events_root`), which is exactly what an inclusion proof
/// ([`crate::merkle::prove`]) names. Orders as the chain does: by block, then by position.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, Serialize, Deserialize,
)]
pub struct EventRef {
    /// The block.
    pub block: BlockNumber,
    /// The event's position among the block's events.
    pub index: u32,
}

impl EventRef {
    /// Before every event.
    pub const MIN: EventRef = EventRef { block: 0, index: 0 };
    /// After every event (an interval still open).
    pub const MAX: EventRef = EventRef {
        block: BlockNumber::MAX,
        index: u32::MAX,
    };

    /// The event at `index` of `block`.
    pub const fn new(block: BlockNumber, index: u32) -> Self {
        Self { block, index }
    }
}

impl fmt::Display for EventRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}/{}", self.block, self.index)
    }
}

/// The part a code plays in an event it is indexed under.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// In the `epcs` of an object or transaction event.
    #[codec(index = 0)]
    Epc,
    /// The parent (container) of an aggregation event.
    #[codec(index = 1)]
    Parent,
    /// A child of an aggregation event.
    #[codec(index = 2)]
    Child,
    /// An input of a transformation.
    #[codec(index = 3)]
    Input,
    /// An output of a transformation.
    #[codec(index = 4)]
    Output,
}

/// One entry of a code's event list: where the event is and what part the code plays in it. 16 bytes, so a
/// code's list is dense; the role lets a walk skip events that cannot lead anywhere without reading them (an
/// item's commissioning or sale never leads downstream).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, Serialize, Deserialize,
)]
pub struct CodeEvent {
    /// The event's block.
    pub block: BlockNumber,
    /// The event's position in its block.
    pub index: u32,
    /// The code's part in it.
    pub role: Role,
}

impl CodeEvent {
    /// Where the event is.
    #[inline]
    pub const fn at(&self) -> EventRef {
        EventRef {
            block: self.block,
            index: self.index,
        }
    }
}

/// One accepted custody event: a `Trace::Captured` runtime event and where it is.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct IndexedEvent {
    /// Where it is.
    pub at: EventRef,
    /// The organisation that captured it (signed the transaction).
    pub org: OrgId,
    /// The event.
    pub event: EpcisEvent,
}

/// A regulator's clearance of a code's excursion flag: a `Trace::ExcursionCleared` runtime event and where it is
/// (its inclusion proof names `at` like a hop's).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, Serialize, Deserialize,
)]
pub struct Clearance {
    /// Where the event is.
    pub at: EventRef,
    /// The code whose own flag was cleared (a container clears what is still packed inside it).
    pub code: TraceCode,
    /// The regulator organisation.
    pub by: OrgId,
    /// Digest of the decision document.
    pub reason: Hash,
}

/// The event index trace and recall read. The node implements it on RocksDB (written in the same batch as the
/// block); [`super::MemoryIndex`] implements it in memory for tests, tools and benchmarks.
///
/// Slices come back as [`Cow`] so an in-memory index lends its own storage (no copy) while a database index
/// returns what it read; events come back behind an [`Arc`] so a hop shares the index's copy. The trait is
/// object-safe: trace and recall accept `&dyn EventIndex`.
pub trait EventIndex {
    /// Every indexed event that names `code` (in its epcs, as parent or child, as input or output) with the
    /// code's role in it, in chain order. Empty for a code the index has never seen.
    fn events_of_code(&self, code: &TraceCode) -> Cow<'_, [CodeEvent]>;

    /// The event at `at`, if it is an indexed custody event.
    fn event(&self, at: EventRef) -> Option<Arc<IndexedEvent>>;

    /// The codes commissioned into `lot` (by commissioning or as transformation outputs), in chain order.
    /// Logistic units (SSCCs) have no lot.
    fn codes_of_lot(&self, lot: &LotKey) -> Cow<'_, [TraceCode]>;

    /// The clearances of `code`'s own excursion flag, in chain order. An index that does not keep clearances
    /// returns none (the default); [`super::MemoryIndex`] keeps them.
    fn clearances_of_code(&self, code: &TraceCode) -> Cow<'_, [Clearance]> {
        let _ = code;
        Cow::Borrowed(&[])
    }
}

impl<T: EventIndex + ?Sized> EventIndex for &T {
    fn events_of_code(&self, code: &TraceCode) -> Cow<'_, [CodeEvent]> {
        (**self).events_of_code(code)
    }

    fn event(&self, at: EventRef) -> Option<Arc<IndexedEvent>> {
        (**self).event(at)
    }

    fn codes_of_lot(&self, lot: &LotKey) -> Cow<'_, [TraceCode]> {
        (**self).codes_of_lot(lot)
    }

    fn clearances_of_code(&self, code: &TraceCode) -> Cow<'_, [Clearance]> {
        (**self).clearances_of_code(code)
    }
}
