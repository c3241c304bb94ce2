//! The deadline index: each deadline is filed under the second it falls due in, and each block reads the index
//! from where the last one stopped up to its own time.
//!
//! **Filing** ([`schedule`]): a deadline `due` (ms) goes to second `⌈due / 1000⌉` at the next free position of
//! that second ([`Due`], [`DueCount`]), and marks its day, hour and minute as holding an entry
//! ([`DueMarks`]). Deadlines are set only in the future, so they are always filed at or after the cursor.
//!
//! **Reading** ([`process`], each block's `on_initialize`): from the cursor ([`DueCursor`]) up to the block's
//! second, one step at a time: an entry handled, an empty second passed, or — at the start of a day, hour or
//! minute that is wholly past and holds no entry — the whole span skipped with one read. A block reads at most
//! [`MAX_DUE_STEPS`] steps, so its cost does not depend on the number of units; what is left waits for the next
//! block. A chain making a block a second takes one or two steps a block; after a halt, a day without
//! deadlines costs one step and a day with some at most 24 + 60 + 60 per hour and minute holding one. The
//! index entries, counts and marks of what the cursor passed are deleted.
//!
//! **Handling an entry**: if the unit's deadline of that kind is still the entry's (no later record moved it),
//! the unit is in service and the lapse is not open yet, the lapse opens: flag, [`Lapsed`] index,
//! [`Event::Lapsed`]. A stale entry passes without effect.

use yima_codes::RegistrationNumber;
use yima_frame::storage::{StorageDoubleMap, StorageMap, StorageValue};
use yima_frame::Moment;

use crate::types::{Cursor, DueEntry, Lapse, Unit, UnitStatus};
use crate::{
    Config, Due, DueCount, DueCursor, DueMarks, Event, Lapsed, Pallet, Units, MAX_DUE_STEPS,
};

/// The spans the index marks and skips, longest first, in seconds: a day, an hour, a minute. A mark of span
/// `i` covering second `s` is `DueMarks(i, s / SPANS[i])`.
pub const SPANS: [u64; 3] = [86_400, 3_600, 60];

/// Files `unit`'s deadline `due` (in the future) in the index.
pub(crate) fn schedule<T: Config>(unit: &RegistrationNumber, lapse: Lapse, due: Moment) {
    let second = due.div_ceil(1000);
    if DueCursor::get().is_none() {
        DueCursor::put(&Cursor {
            second: Pallet::<T>::now() / 1000 + 1,
            position: 0,
        });
    }
    let position = DueCount::get(&second).unwrap_or(0);
    Due::insert(
        &second,
        &position,
        &DueEntry {
            unit: unit.clone(),
            lapse,
            due,
        },
    );
    DueCount::insert(&second, &(position + 1));
    for (level, span) in (0u8..).zip(SPANS) {
        DueMarks::insert(&level, &(second / span), &());
    }
}

/// Opens `lapse` of `unit`, missed at `due`, if the unit is in service and the lapse not open yet: from the index,
/// or at once when its record was revoked or it returned to service past a deadline.
pub(crate) fn lapse_now<T: Config>(unit: &RegistrationNumber, lapse: Lapse, due: Moment) {
    if let Some(record) = Units::get(unit) {
        open::<T>(unit, record, lapse, due);
    }
}

/// Opens `lapse` of `unit` (whose record is `record`), missed at `due`, unless stopped or already open.
fn open<T: Config>(unit: &RegistrationNumber, mut record: Unit, lapse: Lapse, due: Moment) {
    if record.status != UnitStatus::InService || record.is_lapsed(lapse) {
        return;
    }
    record.set_lapsed(lapse, true);
    Units::insert(unit, &record);
    Lapsed::insert(&lapse, unit, &due);
    Pallet::<T>::deposit_event(Event::Lapsed {
        unit: unit.clone(),
        lapse,
        due,
        user: record.user,
        maintainer: record.maintainer,
    });
}

/// Handles one entry of the index.
fn handle<T: Config>(entry: DueEntry) {
    let Some(record) = Units::get(&entry.unit) else {
        return;
    };
    if record.due(entry.lapse) == Some(entry.due) {
        open::<T>(&entry.unit, record, entry.lapse, entry.due);
    }
}

/// Moves the cursor to `to` (the start of a second), deleting the marks of every span it leaves.
fn advance(cursor: &mut Cursor, to: u64) {
    for (level, span) in (0u8..).zip(SPANS) {
        let left = cursor.second / span;
        if to / span != left && DueMarks::contains_key(&level, &left) {
            DueMarks::remove(&level, &left);
        }
    }
    *cursor = Cursor {
        second: to,
        position: 0,
    };
}

/// The empty span, wholly past at `now_s`, that starts at second `s`, if any.
fn skippable(s: u64, now_s: u64) -> Option<u64> {
    (0u8..).zip(SPANS).find_map(|(level, span)| {
        (s % span == 0 && s + span <= now_s + 1 && !DueMarks::contains_key(&level, &(s / span)))
            .then_some(span)
    })
}

/// Reads the index up to `now` (ms), at most [`MAX_DUE_STEPS`] steps (see the module docs).
pub fn process<T: Config>(now: Moment) {
    let now_s = now / 1000;
    let Some(mut cursor) = DueCursor::get() else {
        return;
    };
    let mut steps = 0;
    while steps < MAX_DUE_STEPS && cursor.second <= now_s {
        steps += 1;
        if cursor.position == 0 {
            if let Some(span) = skippable(cursor.second, now_s) {
                let to = cursor.second + span;
                advance(&mut cursor, to);
                continue;
            }
        }
        let count = DueCount::get(&cursor.second).unwrap_or(0);
        if cursor.position < count {
            let position = cursor.position;
            cursor.position += 1;
            if let Some(entry) = Due::get(&cursor.second, &position) {
                Due::remove(&cursor.second, &position);
                handle::<T>(entry);
            }
            continue;
        }
        if count > 0 {
            DueCount::remove(&cursor.second);
        }
        let next = cursor.second + 1;
        advance(&mut cursor, next);
    }
    DueCursor::put(&cursor);
}
