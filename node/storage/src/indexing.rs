//! Writing a block's events and their index entries into the block's write batch.
//!
//! What is indexed mirrors [`yima_runtime::query::MemoryIndex`] exactly, so the RocksDB index and the
//! in-memory one answer the same queries the same way: every `Trace::Captured` event under every code it
//! names (with the code's [`Role`]) and under its capturing organisation, and every code it commissions
//! (commissioning with lot master data, transformation outputs; never an SSCC) under its lot. Besides, every
//! issued attestation (`Attestation::Attested`) is indexed under its subject, and every regulator's clearance of an
//! excursion flag (`Trace::ExcursionCleared`) under its code. Other events are stored but not indexed.

use parity_scale_codec::{Decode, Encode};
use rocksdb::{WriteBatch, DB};
use yima_codes::TraceCode;
use yima_frame::event::RawEvent;
use yima_frame::BlockNumber;
use yima_runtime::query::Role;
use yima_runtime::RuntimeEvent;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};

use crate::columns::Column;
use crate::error::StorageError;
use crate::keys;
use crate::snapshot::handle;

/// The index byte of a role in `idx_code` keys: its SCALE encoding.
pub(crate) const fn role_byte(role: Role) -> u8 {
    match role {
        Role::Epc => 0,
        Role::Parent => 1,
        Role::Child => 2,
        Role::Input => 3,
        Role::Output => 4,
    }
}

/// The role a stored byte stands for.
pub(crate) fn role_of(byte: u8) -> Result<Role, StorageError> {
    Role::decode(&mut &[byte][..]).map_err(|e| StorageError::corrupt("code index role", e))
}

/// Puts every event of block `number` and its index entries into `batch`; returns how many custody events
/// were indexed.
pub(crate) fn put_events(
    db: &DB,
    batch: &mut WriteBatch,
    number: BlockNumber,
    events: &[RawEvent],
) -> Result<usize, StorageError> {
    if u32::try_from(events.len()).is_err() {
        return Err(StorageError::TooManyEvents {
            number,
            count: events.len(),
        });
    }
    let events_cf = handle(db, Column::Events);
    let mut indexed = 0;
    let mut entries = Entries {
        db,
        batch,
        number,
        index: 0,
    };
    let mut record = Vec::new();
    for (index, raw) in events.iter().enumerate() {
        let index = index as u32;
        record.clear();
        raw.phase.encode_to(&mut record);
        record.extend_from_slice(&raw.event);
        entries
            .batch
            .put_cf(events_cf, keys::event(number, index), &record);

        let decoded =
            RuntimeEvent::decode(&mut &raw.event[..]).map_err(|e| StorageError::EventDecode {
                number,
                index,
                error: e.to_string(),
            })?;
        entries.index = index;
        match decoded {
            RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                entries.custody_event(org, &event);
                indexed += 1;
            }
            RuntimeEvent::Attestation(yima_attestation::Event::Attested {
                id, subject, ..
            }) => {
                entries.attestation(&subject, &id);
            }
            RuntimeEvent::Trace(yima_trace::Event::ExcursionCleared { code, by, reason }) => {
                entries.clearance(&code, by, &reason);
            }
            _ => {}
        }
    }
    Ok(indexed)
}

/// Index entries of one custody event.
struct Entries<'a> {
    db: &'a DB,
    batch: &'a mut WriteBatch,
    number: BlockNumber,
    index: u32,
}

impl Entries<'_> {
    fn attestation(&mut self, subject: &yima_attestation::types::Subject, id: &yima_frame::Hash) {
        let cf = handle(self.db, Column::IdxSubject);
        self.batch.put_cf(
            cf,
            keys::subject_entry(&subject.encode(), self.number, self.index),
            id.0,
        );
    }

    fn clearance(&mut self, code: &TraceCode, by: yima_frame::OrgId, reason: &yima_frame::Hash) {
        let cf = handle(self.db, Column::IdxClearance);
        let mut value = [0u8; 36];
        value[..4].copy_from_slice(&by.to_be_bytes());
        value[4..].copy_from_slice(&reason.0);
        self.batch.put_cf(
            cf,
            keys::clearance_entry(&code.encode(), self.number, self.index),
            value,
        );
    }

    fn custody_event(&mut self, org: yima_frame::OrgId, event: &EpcisEvent) {
        let org_cf = handle(self.db, Column::IdxOrg);
        self.batch
            .put_cf(org_cf, keys::org_entry(org, self.number, self.index), []);

        match &event.body {
            EventBody::Object { epcs, .. } | EventBody::Transaction { epcs, .. } => {
                self.codes(epcs, Role::Epc)
            }
            EventBody::Aggregation {
                parent, children, ..
            } => {
                self.codes(std::slice::from_ref(parent), Role::Parent);
                self.codes(children, Role::Child);
            }
            EventBody::Transformation { inputs, outputs } => {
                self.codes(inputs, Role::Input);
                self.codes(outputs, Role::Output);
            }
        }

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
            let lot_cf = handle(self.db, Column::IdxLot);
            let lot = keys::scale(&ilmd.lot);
            let lotted = commissioned
                .iter()
                .filter(|code| !matches!(code, TraceCode::Sscc(_)));
            for (position, code) in lotted.enumerate() {
                self.batch.put_cf(
                    lot_cf,
                    keys::lot_entry(&lot, self.number, self.index, position as u32),
                    code.encode(),
                );
            }
        }
    }

    fn codes(&mut self, codes: &[TraceCode], role: Role) {
        let cf = handle(self.db, Column::IdxCode);
        let mut code_bytes = Vec::with_capacity(64);
        for code in codes {
            code_bytes.clear();
            code.encode_to(&mut code_bytes);
            self.batch.put_cf(
                cf,
                keys::code_entry(&code_bytes, self.number, self.index, role_byte(role)),
                [],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_bytes_are_the_scale_encoding() {
        for role in [
            Role::Epc,
            Role::Parent,
            Role::Child,
            Role::Input,
            Role::Output,
        ] {
            assert_eq!(vec![role_byte(role)], role.encode());
            assert_eq!(role_of(role_byte(role)).unwrap(), role);
        }
        assert!(role_of(200).is_err());
    }
}
