//! [`RocksIndex`]: the runtime query layer's [`EventIndex`] over the index column families, pinned to one
//! height like [`crate::RocksState`].

use std::borrow::Cow;
use std::sync::Arc;

use parity_scale_codec::{Decode, Encode};
use yima_attestation::types::{AttestationId, Subject};
use yima_codes::TraceCode;
use yima_frame::event::RawEvent;
use yima_frame::{BlockNumber, EventRecord, Hash, OrgId, Phase};
use yima_runtime::query::{Clearance, CodeEvent, EventIndex, EventRef, IndexedEvent};
use yima_runtime::RuntimeEvent;
use yima_trace::types::LotKey;

use crate::columns::Column;
use crate::error::StorageError;
use crate::indexing::role_of;
use crate::keys;
use crate::snapshot::View;

/// The event index as of one committed block: events by code, codes by lot, events by organisation,
/// attestations by subject, each in chain order. Cheap to clone; obtained from [`crate::Store::index`] or [`crate::RocksState::index`] (the
/// latter at the same height as the state, which recall needs).
///
/// The fallible methods (`code_events`, `lot_codes`, `custody_event`, `org_events`, `attestations_of`) report database
/// failures; the [`EventIndex`] impl, whose methods cannot fail, panics on them with the error's advice,
/// since answering a recall from half an index would be worse than failing the query.
#[derive(Clone)]
pub struct RocksIndex {
    view: Arc<View>,
}

impl RocksIndex {
    pub(crate) fn new(view: Arc<View>) -> Self {
        Self { view }
    }

    /// The last block this index covers (`None` before genesis).
    pub fn head(&self) -> Option<BlockNumber> {
        self.view.head().map(|h| h.number)
    }

    /// Every custody event naming `code`, with the code's role, in chain order.
    pub fn code_events(&self, code: &TraceCode) -> Result<Vec<CodeEvent>, StorageError> {
        let prefix = code.encode();
        let mut out = Vec::new();
        self.view.scan(Column::IdxCode, &prefix, |key, _| {
            let rest = &key[prefix.len()..];
            let (block, index) = keys::split_event(rest)
                .ok_or_else(|| StorageError::corrupt("code index key", "too short"))?;
            let role = role_of(
                *rest
                    .get(12)
                    .ok_or_else(|| StorageError::corrupt("code index key", "no role byte"))?,
            )?;
            out.push(CodeEvent { block, index, role });
            Ok(true)
        })?;
        Ok(out)
    }

    /// The codes commissioned into `lot`, in chain order.
    pub fn lot_codes(&self, lot: &LotKey) -> Result<Vec<TraceCode>, StorageError> {
        let prefix = lot.encode();
        let mut out = Vec::new();
        self.view.scan(Column::IdxLot, &prefix, |_, value| {
            out.push(
                TraceCode::decode(&mut &value[..])
                    .map_err(|e| StorageError::corrupt("lot index entry", e))?,
            );
            Ok(true)
        })?;
        Ok(out)
    }

    /// The custody event at `at` (`None`: no event there, or not a custody event).
    pub fn custody_event(&self, at: EventRef) -> Result<Option<IndexedEvent>, StorageError> {
        let Some(raw) = self
            .view
            .get_pinned(Column::Events, &keys::event(at.block, at.index))?
        else {
            return Ok(None);
        };
        let record = decode_record(&raw, at)?;
        Ok(match record.event {
            RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                Some(IndexedEvent { at, org, event })
            }
            _ => None,
        })
    }

    /// Up to `limit` custody events captured by `org`, from `from` on (inclusive), in chain order. Page
    /// through an organisation's history by passing the last ref returned, one index further.
    pub fn org_events(
        &self,
        org: OrgId,
        from: EventRef,
        limit: usize,
    ) -> Result<Vec<EventRef>, StorageError> {
        let prefix = org.to_be_bytes();
        let start = keys::org_entry(org, from.block, from.index);
        let mut out = Vec::new();
        if limit == 0 {
            return Ok(out);
        }
        self.view
            .scan_from(Column::IdxOrg, &prefix, &start, |key, _| {
                let (block, index) = keys::split_event(&key[prefix.len()..])
                    .ok_or_else(|| StorageError::corrupt("organisation index key", "too short"))?;
                out.push(EventRef::new(block, index));
                Ok(out.len() < limit)
            })?;
        Ok(out)
    }

    /// Every attestation issued about `subject`, with where its `Attested` event is, in chain order (whether
    /// it still holds — revoked, expired — is state's answer: `yima_attestation` queries).
    pub fn attestations_of(
        &self,
        subject: &Subject,
    ) -> Result<Vec<(EventRef, AttestationId)>, StorageError> {
        let prefix = subject.encode();
        let mut out = Vec::new();
        self.view.scan(Column::IdxSubject, &prefix, |key, value| {
            let (block, index) = keys::split_event(&key[prefix.len()..])
                .ok_or_else(|| StorageError::corrupt("subject index key", "too short"))?;
            let id = <[u8; 32]>::try_from(value)
                .map_err(|_| StorageError::corrupt("subject index entry", "not 32 bytes"))?;
            out.push((EventRef::new(block, index), Hash(id)));
            Ok(true)
        })?;
        Ok(out)
    }
}

impl RocksIndex {
    /// Every regulator's clearance of `code`'s own excursion flag, in chain order.
    pub fn clearances(&self, code: &TraceCode) -> Result<Vec<Clearance>, StorageError> {
        let prefix = code.encode();
        let mut out = Vec::new();
        self.view
            .scan(Column::IdxClearance, &prefix, |key, value| {
                let (block, index) = keys::split_event(&key[prefix.len()..])
                    .ok_or_else(|| StorageError::corrupt("clearance index key", "too short"))?;
                if value.len() != 36 {
                    return Err(StorageError::corrupt(
                        "clearance index entry",
                        "not 36 bytes",
                    ));
                }
                let by = OrgId::from_be_bytes(value[..4].try_into().expect("4 bytes"));
                let reason = Hash(value[4..].try_into().expect("32 bytes"));
                out.push(Clearance {
                    at: EventRef::new(block, index),
                    code: *code,
                    by,
                    reason,
                });
                Ok(true)
            })?;
        Ok(out)
    }
}

/// A stored event record: the phase, then the runtime event.
fn decode_record(raw: &[u8], at: EventRef) -> Result<EventRecord<RuntimeEvent>, StorageError> {
    EventRecord::<RuntimeEvent>::decode(&mut &raw[..])
        .map_err(|e| StorageError::corrupt(format!("event {at}"), e))
}

/// Splits stored record bytes back into a [`RawEvent`].
pub(crate) fn raw_event(record: &[u8], at: EventRef) -> Result<RawEvent, StorageError> {
    let mut input = record;
    let phase =
        Phase::decode(&mut input).map_err(|e| StorageError::corrupt(format!("event {at}"), e))?;
    Ok(RawEvent {
        phase,
        event: input.to_vec(),
    })
}

fn or_panic<T>(result: Result<T, StorageError>) -> T {
    result.unwrap_or_else(|e| panic!("event index read failed: {e}"))
}

impl EventIndex for RocksIndex {
    fn events_of_code(&self, code: &TraceCode) -> Cow<'_, [CodeEvent]> {
        Cow::Owned(or_panic(self.code_events(code)))
    }

    fn event(&self, at: EventRef) -> Option<Arc<IndexedEvent>> {
        or_panic(self.custody_event(at)).map(Arc::new)
    }

    fn codes_of_lot(&self, lot: &LotKey) -> Cow<'_, [TraceCode]> {
        Cow::Owned(or_panic(self.lot_codes(lot)))
    }

    fn clearances_of_code(&self, code: &TraceCode) -> Cow<'_, [Clearance]> {
        Cow::Owned(or_panic(self.clearances(code)))
    }
}
