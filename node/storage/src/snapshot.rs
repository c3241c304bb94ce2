//! [`View`]: a RocksDB snapshot that owns a handle to its database, so a reader pinned to one height can be
//! cloned, shared across threads and kept for as long as an execution or a query lasts.
//!
//! Execution of block h+1 reads the state of h many times while the node may be committing a block or
//! answering queries; reading through one snapshot makes every read of one execution see the same height,
//! whatever is committed meanwhile. Snapshots are cheap (a sequence number), but while one is alive RocksDB
//! keeps the versions it sees through compactions: take a fresh view per block or per query, not one for
//! the node's lifetime.

use std::sync::Arc;

use parity_scale_codec::Decode;
use rocksdb::{ColumnFamily, DBPinnableSlice, ReadOptions, SnapshotWithThreadMode, DB};
use yima_frame::{BlockNumber, Hash};
use yima_runtime::Header;

use crate::columns::{meta, Column};
use crate::error::StorageError;
use crate::keys;

/// The handle of `column`; every column family is created when the database is opened.
pub(crate) fn handle(db: &DB, column: Column) -> &ColumnFamily {
    db.cf_handle(column.name())
        .expect("every column family is opened with the database")
}

/// The head a view was taken at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    /// The head's number, which is also the state's version.
    pub(crate) number: BlockNumber,
    /// The head's state root.
    pub(crate) state_root: Hash,
}

/// A consistent read-only view of the database at one moment (between two block commits).
pub(crate) struct View {
    // Declared before `db` on purpose: fields drop in declaration order, so the snapshot is released while the
    // database it belongs to is still open.
    snapshot: SnapshotWithThreadMode<'static, DB>,
    db: Arc<DB>,
    head: Option<Head>,
}

impl View {
    /// A view of the database as it is now.
    pub(crate) fn new(db: Arc<DB>) -> Result<Self, StorageError> {
        let snapshot = db.snapshot();
        // SAFETY: the snapshot borrows the `DB` inside the `Arc`, whose heap address never changes while any
        // `Arc` to it lives. `View` keeps such an `Arc` in `db` and drops `snapshot` first (declaration
        // order), so the borrow never outlives the database; the `'static` lifetime never escapes `View`
        // (every method hands out borrows of `self` only).
        let snapshot = unsafe {
            std::mem::transmute::<SnapshotWithThreadMode<'_, DB>, SnapshotWithThreadMode<'static, DB>>(
                snapshot,
            )
        };
        let mut view = View {
            snapshot,
            db,
            head: None,
        };
        view.head = view.read_head()?;
        Ok(view)
    }

    fn read_head(&self) -> Result<Option<Head>, StorageError> {
        let Some(raw) = self.get(Column::Meta, meta::HEAD)? else {
            return Ok(None);
        };
        let number = keys::decode_number(&raw, "head number")?;
        let header = self.header(number)?.ok_or_else(|| {
            StorageError::corrupt(
                format!("header {number}"),
                "the head names a missing header",
            )
        })?;
        Ok(Some(Head {
            number,
            state_root: header.state_root,
        }))
    }

    /// The head this view was taken at (`None` before genesis).
    pub(crate) fn head(&self) -> Option<Head> {
        self.head
    }

    /// The header of block `number`, if the view has it.
    pub(crate) fn header(&self, number: BlockNumber) -> Result<Option<Header>, StorageError> {
        self.get_pinned(Column::Headers, &keys::block(number))?
            .map(|raw| {
                Header::decode(&mut &raw[..])
                    .map_err(|e| StorageError::corrupt(format!("header {number}"), e))
            })
            .transpose()
    }

    fn cf(&self, column: Column) -> &ColumnFamily {
        handle(&self.db, column)
    }

    /// The value at `key`, copied out.
    pub(crate) fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.snapshot.get_cf(self.cf(column), key)?)
    }

    /// The value at `key`, without a copy.
    pub(crate) fn get_pinned(
        &self,
        column: Column,
        key: &[u8],
    ) -> Result<Option<DBPinnableSlice<'_>>, StorageError> {
        Ok(self.snapshot.get_pinned_cf(self.cf(column), key)?)
    }

    /// Calls `f` with every `(key, value)` whose key starts with `prefix`, in key order, until it returns
    /// `Ok(false)`.
    pub(crate) fn scan(
        &self,
        column: Column,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<bool, StorageError>,
    ) -> Result<(), StorageError> {
        self.scan_from(column, prefix, prefix, &mut f)
    }

    /// Like [`View::scan`] but starting at `start` (which must start with `prefix`).
    pub(crate) fn scan_from(
        &self,
        column: Column,
        prefix: &[u8],
        start: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<bool, StorageError>,
    ) -> Result<(), StorageError> {
        let mut opts = ReadOptions::default();
        if let Some(end) = keys::prefix_end(prefix) {
            opts.set_iterate_upper_bound(end);
        }
        let mut it = self.snapshot.raw_iterator_cf_opt(self.cf(column), opts);
        it.seek(start);
        while let (Some(key), Some(value)) = (it.key(), it.value()) {
            if !key.starts_with(prefix) || !f(key, value)? {
                return Ok(());
            }
            it.next();
        }
        Ok(it.status()?)
    }

    /// The value of the last key at or before `key` that starts with `prefix`.
    pub(crate) fn seek_for_prev(
        &self,
        column: Column,
        prefix: &[u8],
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, StorageError> {
        let mut opts = ReadOptions::default();
        opts.set_iterate_lower_bound(prefix.to_vec());
        let mut it = self.snapshot.raw_iterator_cf_opt(self.cf(column), opts);
        it.seek_for_prev(key);
        match (it.key(), it.value()) {
            (Some(k), Some(v)) if k.starts_with(prefix) => Ok(Some(v.to_vec())),
            _ => {
                it.status()?;
                Ok(None)
            }
        }
    }
}
