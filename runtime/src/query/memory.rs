//! [`MemoryIndex`]: the event index in memory, built from blocks' events as the executive returns them.

use std::borrow::Cow;
use std::sync::Arc;

use parity_scale_codec::Decode;
use yima_codes::TraceCode;
use yima_frame::event::RawEvent;
use yima_frame::BlockNumber;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};
use yima_trace::types::LotKey;

use super::hash::FxHashMap;
use super::index::{Clearance, CodeEvent, EventIndex, EventRef, IndexedEvent, Role};
use crate::RuntimeEvent;

/// Why a block's events could not be indexed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// Blocks must be ingested once each, in increasing order.
    #[error(
        "block {got} cannot be indexed after block {last}: index blocks once each, in chain order"
    )]
    OutOfOrder {
        /// The last block indexed.
        last: BlockNumber,
        /// The block offered.
        got: BlockNumber,
    },
    /// An event is not a runtime event of this runtime.
    #[error("event {at} does not decode as a runtime event ({error}): the index and the runtime disagree")]
    Decode {
        /// Where.
        at: EventRef,
        /// The codec's complaint.
        error: String,
    },
    /// A block with more events than an index can name.
    #[error("block {block} has more than 2^32 events")]
    TooManyEvents {
        /// The block.
        block: BlockNumber,
    },
}

/// The event index in memory: every `Trace::Captured` event of the ingested blocks, by code and by lot, and
/// every `Trace::ExcursionCleared` by code.
///
/// Events live in one slot array per block (position = the event's index in its block), so
/// [`EventIndex::event`] is two array reads; codes and lots map to their event refs and codes in chain order.
/// Lookups lend the index's own storage.
#[derive(Default)]
pub struct MemoryIndex {
    /// The first block ingested; `blocks[0]` is its slots.
    first: Option<BlockNumber>,
    /// Per block, one slot per event of the block; `Some` for custody events.
    blocks: Vec<Box<[Option<Arc<IndexedEvent>>]>>,
    by_code: FxHashMap<TraceCode, Entries>,
    by_lot: FxHashMap<LotKey, Vec<TraceCode>>,
    clearances: FxHashMap<TraceCode, Vec<Clearance>>,
    events: usize,
    entries: usize,
}

/// How many entries a code's list keeps inside the map itself (an item is commissioned, packed, sold: three).
const INLINE: usize = 3;

/// A code's entry list: short lists live in the hash map's bucket, so reading one costs no second cache miss
/// (recall reads the lists of a whole lot, and the miss on a separate allocation dominated it).
enum Entries {
    Inline {
        len: u8,
        entries: [CodeEvent; INLINE],
    },
    Heap(Vec<CodeEvent>),
}

impl Default for Entries {
    fn default() -> Self {
        Entries::Inline {
            len: 0,
            entries: [CodeEvent {
                block: 0,
                index: 0,
                role: Role::Epc,
            }; INLINE],
        }
    }
}

impl Entries {
    fn push(&mut self, entry: CodeEvent) {
        match self {
            Entries::Inline { len, entries } if usize::from(*len) < INLINE => {
                entries[usize::from(*len)] = entry;
                *len += 1;
            }
            Entries::Inline { entries, .. } => {
                let mut heap = Vec::with_capacity(INLINE * 2);
                heap.extend_from_slice(entries);
                heap.push(entry);
                *self = Entries::Heap(heap);
            }
            Entries::Heap(heap) => heap.push(entry),
        }
    }

    #[inline]
    fn as_slice(&self) -> &[CodeEvent] {
        match self {
            Entries::Inline { len, entries } => &entries[..usize::from(*len)],
            Entries::Heap(heap) => heap,
        }
    }
}

/// What the prefix of a SCALE-encoded `RuntimeEvent::Trace(yima_trace::Event::Captured { .. })` is: the
/// composition's pallet index then the pallet event's index (both stable by contract).
pub(super) const CAPTURED_PREFIX: [u8; 2] = [2, 1];

/// The prefix of a SCALE-encoded `RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared { .. })`.
pub(super) const CLEARED_PREFIX: [u8; 2] = [2, 7];

impl MemoryIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Indexes the events of `block` (as [`crate::BuiltBlock::events`] or [`crate::ExecutedBlock::events`]
    /// hold them): every `Trace::Captured` event by every code it names, every code it commissions by its
    /// lot, and every `Trace::ExcursionCleared` by its code. Blocks come once each, in increasing order; skipped blocks count as empty. Returns how many custody
    /// events were indexed. On error nothing of the block is indexed.
    pub fn ingest(
        &mut self,
        block: BlockNumber,
        events: &[RawEvent],
    ) -> Result<usize, IngestError> {
        let first = *self.first.get_or_insert(block);
        let next = first + self.blocks.len() as BlockNumber;
        if block < next {
            return Err(IngestError::OutOfOrder {
                last: next.wrapping_sub(1),
                got: block,
            });
        }
        if u32::try_from(events.len()).is_err() {
            return Err(IngestError::TooManyEvents { block });
        }
        // Decode first, so a bad event leaves the index untouched.
        let mut slots: Vec<Option<Arc<IndexedEvent>>> = Vec::with_capacity(events.len());
        let mut clearances = Vec::new();
        for (i, raw) in events.iter().enumerate() {
            let at = EventRef::new(block, i as u32);
            if !raw.event.starts_with(&CAPTURED_PREFIX) && !raw.event.starts_with(&CLEARED_PREFIX) {
                slots.push(None);
                continue;
            }
            let decoded =
                RuntimeEvent::decode(&mut &raw.event[..]).map_err(|e| IngestError::Decode {
                    at,
                    error: e.to_string(),
                })?;
            slots.push(match decoded {
                RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                    Some(Arc::new(IndexedEvent { at, org, event }))
                }
                RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared { code, by, reason }) => {
                    clearances.push(Clearance {
                        at,
                        code,
                        by,
                        reason,
                    });
                    None
                }
                _ => None,
            });
        }
        while first + (self.blocks.len() as BlockNumber) < block {
            self.blocks.push(Box::new([]));
        }
        let mut indexed = 0;
        for slot in slots.iter().flatten() {
            self.index_event(slot.at, &slot.event);
            indexed += 1;
        }
        self.blocks.push(slots.into_boxed_slice());
        for clearance in clearances {
            self.clearances
                .entry(clearance.code)
                .or_default()
                .push(clearance);
        }
        Ok(indexed)
    }

    fn index_event(&mut self, at: EventRef, event: &EpcisEvent) {
        let mut add = |codes: &[TraceCode], role: Role| {
            for code in codes {
                self.by_code.entry(*code).or_default().push(CodeEvent {
                    block: at.block,
                    index: at.index,
                    role,
                });
            }
            codes.len()
        };
        self.entries += match &event.body {
            EventBody::Object { epcs, .. } | EventBody::Transaction { epcs, .. } => {
                add(epcs, Role::Epc)
            }
            EventBody::Aggregation {
                parent, children, ..
            } => add(std::slice::from_ref(parent), Role::Parent) + add(children, Role::Child),
            EventBody::Transformation { inputs, outputs } => {
                add(inputs, Role::Input) + add(outputs, Role::Output)
            }
        };
        self.events += 1;
        let commissioned: &[TraceCode] = match &event.body {
            EventBody::Object {
                action: Action::Add,
                epcs,
                ..
            } if event.biz_step == BizStep::Commissioning => epcs,
            EventBody::Transformation { outputs, .. } => outputs,
            _ => &[],
        };
        if let Some(ilmd) = &event.ilmd {
            for code in commissioned {
                if !matches!(code, TraceCode::Sscc(_)) {
                    self.by_lot.entry(ilmd.lot.clone()).or_default().push(*code);
                }
            }
        }
    }

    /// The last block ingested.
    pub fn last_block(&self) -> Option<BlockNumber> {
        self.first
            .filter(|_| !self.blocks.is_empty())
            .map(|f| f + self.blocks.len() as BlockNumber - 1)
    }

    /// How many custody events are indexed.
    pub fn event_count(&self) -> usize {
        self.events
    }

    /// How many (code, event) entries are indexed: the sum over events of the codes each names.
    pub fn entry_count(&self) -> usize {
        self.entries
    }

    /// How many distinct codes are indexed.
    pub fn code_count(&self) -> usize {
        self.by_code.len()
    }

    /// How many lots are indexed.
    pub fn lot_count(&self) -> usize {
        self.by_lot.len()
    }

    /// Every indexed lot, sorted.
    pub fn lots(&self) -> Vec<LotKey> {
        let mut lots: Vec<LotKey> = self.by_lot.keys().cloned().collect();
        lots.sort();
        lots
    }

    /// Every indexed code, sorted.
    pub fn codes(&self) -> Vec<TraceCode> {
        let mut codes: Vec<TraceCode> = self.by_code.keys().copied().collect();
        codes.sort();
        codes
    }
}

impl EventIndex for MemoryIndex {
    fn events_of_code(&self, code: &TraceCode) -> Cow<'_, [CodeEvent]> {
        Cow::Borrowed(self.by_code.get(code).map_or(&[][..], Entries::as_slice))
    }

    #[inline]
    fn event(&self, at: EventRef) -> Option<Arc<IndexedEvent>> {
        let offset = at.block.checked_sub(self.first?)?;
        let slots = self.blocks.get(usize::try_from(offset).ok()?)?;
        slots.get(at.index as usize)?.clone()
    }

    fn codes_of_lot(&self, lot: &LotKey) -> Cow<'_, [TraceCode]> {
        Cow::Borrowed(self.by_lot.get(lot).map_or(&[][..], |v| v.as_slice()))
    }

    fn clearances_of_code(&self, code: &TraceCode) -> Cow<'_, [Clearance]> {
        Cow::Borrowed(self.clearances.get(code).map_or(&[][..], |v| v.as_slice()))
    }
}
