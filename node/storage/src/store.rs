//! [`Store`]: opening the database, genesis, committing decided blocks, reading blocks back.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use parity_scale_codec::{Decode, Encode};
use rocksdb::{Cache, ColumnFamilyDescriptor, WriteBatch, WriteOptions, DB};
use yima_frame::event::RawEvent;
use yima_frame::state::StateUpdate;
use yima_frame::{BlockNumber, Hash};
use yima_runtime::executive::events_root;
use yima_runtime::query::EventRef;
use yima_runtime::{Block, Genesis, Header, SignedTransaction};

use crate::columns::{meta, Column};
use crate::error::StorageError;
use crate::event_trees::{BlockEvents, EventTrees};
use crate::index::{raw_event, RocksIndex};
use crate::indexing::put_events;
use crate::keys;
use crate::options::StoreOptions;
use crate::snapshot::{handle, View};
use crate::state::RocksState;

/// The layout version this build reads and writes; bump it with any change to [`crate::columns`].
/// Version 3 added `handovers`; a version-2 database is brought up to date when it is opened
/// ([`Store::open`]).
pub const SCHEMA_VERSION: u32 = 3;

/// What [`Store::init_genesis`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenesisInit {
    /// The database was empty; genesis is now block 0.
    Written,
    /// The database already holds this chain (a restart); nothing was written.
    AlreadyThere,
}

/// The node's database. Cheap to clone; clones share one RocksDB instance and commit one block at a time.
/// The database closes when the last clone and the last [`RocksState`] / [`RocksIndex`] taken from it are
/// dropped (a view keeps it open), and only one process may have it open.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Arc<DB>,
    path: PathBuf,
    pub(crate) options: StoreOptions,
    /// Held while a block (or genesis) is checked against the head and written.
    writer: Arc<Mutex<()>>,
    /// Headers read since the store was opened ([`Store::header_reads`]).
    header_reads: Arc<AtomicU64>,
    /// Blocks' events read since the store was opened ([`Store::event_reads`]).
    event_reads: Arc<AtomicU64>,
    /// Committed blocks' events with their Merkle trees ([`Store::block_events`]).
    trees: Arc<EventTrees>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the database in directory `path`. After a crash RocksDB replays its write-ahead
    /// log here, so the store comes back at the last block whose commit returned.
    pub fn open(path: impl AsRef<Path>, options: StoreOptions) -> Result<Self, StorageError> {
        let path = path.as_ref().to_path_buf();
        let cache = Cache::new_lru_cache(options.cache_bytes);
        let columns = Column::ALL.iter().map(|&column| {
            ColumnFamilyDescriptor::new(column.name(), options.column_options(column, &cache))
        });
        let db =
            DB::open_cf_descriptors(&options.db_options(), &path, columns).map_err(|source| {
                StorageError::Open {
                    path: path.clone(),
                    source,
                }
            })?;
        let store = Self {
            db: Arc::new(db),
            path,
            options,
            writer: Arc::new(Mutex::new(())),
            header_reads: Arc::new(AtomicU64::new(0)),
            event_reads: Arc::new(AtomicU64::new(0)),
            trees: Arc::new(EventTrees::new()),
        };
        store.check_schema()?;
        Ok(store)
    }

    /// Brings a version-2 database (before `handovers`) up to date: one pass over the headers writes the
    /// hand-over index and the new schema version in one batch.
    fn migrate_from_v2(&self) -> Result<(), StorageError> {
        let _writer = self.lock();
        let mut batch = WriteBatch::default();
        let mut failed = None;
        self.scan(Column::Headers, &[], |key, value| {
            match Header::decode(&mut &value[..]) {
                Ok(header) if header.number > 0 && hands_over(&header) => {
                    batch.put_cf(self.cf(Column::Handovers), key, []);
                }
                Ok(_) => {}
                Err(e) => {
                    failed = Some(StorageError::corrupt("a header", e));
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        batch.put_cf(
            self.cf(Column::Meta),
            meta::SCHEMA,
            SCHEMA_VERSION.to_be_bytes(),
        );
        let mut opts = WriteOptions::default();
        opts.set_sync(true);
        self.db.write_opt(batch, &opts)?;
        Ok(())
    }

    fn check_schema(&self) -> Result<(), StorageError> {
        let schema = self.get(Column::Meta, meta::SCHEMA)?;
        match schema {
            None if self.genesis_hash()?.is_some() => Err(StorageError::corrupt(
                "schema version",
                "missing although genesis is written",
            )),
            None => Ok(()),
            Some(raw) => {
                let raw: [u8; 4] = raw.as_slice().try_into().map_err(|_| {
                    StorageError::corrupt("schema version", format!("{} bytes", raw.len()))
                })?;
                let found = u32::from_be_bytes(raw);
                if found == SCHEMA_VERSION {
                    Ok(())
                } else if found == 2 {
                    self.migrate_from_v2()
                } else {
                    Err(StorageError::Schema {
                        found,
                        expected: SCHEMA_VERSION,
                    })
                }
            }
        }
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The options it was opened with.
    pub fn options(&self) -> StoreOptions {
        self.options
    }

    fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.db.get_cf(handle(&self.db, column), key)?)
    }

    pub(crate) fn cf(&self, column: Column) -> &rocksdb::ColumnFamily {
        handle(&self.db, column)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // The guarded data is `()`: a writer that panicked left nothing half-updated in memory, and RocksDB
        // batches are atomic, so a poisoned lock is safe to take.
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes genesis as block 0: header, state (version 0) and the chain's identity, in one batch, always
    /// fsynced. On a database that already holds this genesis it does nothing ([`GenesisInit::AlreadyThere`]);
    /// one that holds another chain is refused.
    pub fn init_genesis(&self, genesis: &Genesis) -> Result<GenesisInit, StorageError> {
        let _writer = self.lock();
        let hash = genesis.header.hash();
        if let Some(stored) = self.genesis_hash()? {
            return if stored == hash {
                Ok(GenesisInit::AlreadyThere)
            } else {
                Err(StorageError::OtherChain {
                    stored,
                    given: hash,
                })
            };
        }
        let header = &genesis.header;
        if header.number != 0 {
            return Err(StorageError::NotNext {
                head: 0,
                got: header.number,
            });
        }
        check_update(header, &genesis.update)?;

        let mut batch = WriteBatch::default();
        self.put_header(&mut batch, header, &hash);
        batch.put_cf(
            self.cf(Column::Bodies),
            keys::block(0),
            Vec::<SignedTransaction>::new().encode(),
        );
        self.put_state(&mut batch, &genesis.update);
        let meta_cf = self.cf(Column::Meta);
        batch.put_cf(meta_cf, meta::SCHEMA, SCHEMA_VERSION.to_be_bytes());
        batch.put_cf(meta_cf, meta::GENESIS, hash.0);
        batch.put_cf(meta_cf, meta::HEAD, keys::block(0));
        let mut opts = WriteOptions::default();
        opts.set_sync(true);
        self.db.write_opt(batch, &opts)?;
        Ok(GenesisInit::Written)
    }

    /// Commits a decided block with its commit certificate, the state update and the events its execution
    /// returned ([`yima_runtime::BuiltBlock`] or [`yima_runtime::ExecutedBlock`]): header, hash, body,
    /// certificate, flat state changes, tree nodes and values, events, every index entry and the new head go
    /// into **one** write batch, so after a crash the block is either wholly there or not at all.
    ///
    /// Refused without writing anything: a block that is not the head's child, an update of another
    /// version or root, events that do not hash to the header's `events_root`, or events that are not this
    /// runtime's. Fsynced when [`StoreOptions::sync`] is on.
    pub fn commit_block(
        &self,
        block: &Block,
        certificate: &[u8],
        update: StateUpdate,
        events: &[RawEvent],
    ) -> Result<(), StorageError> {
        let _writer = self.lock();
        let header = &block.header;
        let number = header.number;
        let head = self.head_number()?.ok_or(StorageError::NoGenesis)?;
        if number != head + 1 {
            return Err(StorageError::NotNext { head, got: number });
        }
        let parent = self
            .header(head)?
            .ok_or_else(|| StorageError::corrupt(format!("header {head}"), "the head is missing"))?
            .hash();
        if header.parent_hash != parent {
            return Err(StorageError::ParentMismatch {
                number,
                expected: parent,
                got: header.parent_hash,
            });
        }
        check_update(header, &update)?;
        let computed = events_root(events);
        if computed != header.events_root {
            return Err(StorageError::EventsRootMismatch {
                number,
                header: header.events_root,
                computed,
            });
        }

        let mut batch = WriteBatch::default();
        self.put_header(&mut batch, header, &block.hash());
        batch.put_cf(
            self.cf(Column::Bodies),
            keys::block(number),
            block.extrinsics.encode(),
        );
        batch.put_cf(
            self.cf(Column::Certificates),
            keys::block(number),
            certificate,
        );
        self.put_state(&mut batch, &update);
        put_events(&self.db, &mut batch, number, events)?;
        if hands_over(header) {
            batch.put_cf(self.cf(Column::Handovers), keys::block(number), []);
        }
        // Proposals at this height or below will never be decided now.
        batch.delete_range_cf(
            self.cf(Column::Undecided),
            keys::block(0),
            keys::block(number.saturating_add(1)),
        );
        batch.put_cf(self.cf(Column::Meta), meta::HEAD, keys::block(number));
        let mut opts = WriteOptions::default();
        opts.set_sync(self.options.sync);
        self.db.write_opt(batch, &opts)?;
        Ok(())
    }

    fn put_header(&self, batch: &mut WriteBatch, header: &Header, hash: &Hash) {
        let number = keys::block(header.number);
        batch.put_cf(self.cf(Column::Headers), number, header.encode());
        batch.put_cf(self.cf(Column::Hashes), hash.0, number);
    }

    /// The flat changes, the tree's new nodes and its versioned values. Stale nodes are kept (no pruning):
    /// proofs stay available at every height.
    fn put_state(&self, batch: &mut WriteBatch, update: &StateUpdate) {
        let state_cf = self.cf(Column::State);
        for (key, value) in &update.changes {
            match value {
                Some(value) => batch.put_cf(state_cf, key, value),
                None => batch.delete_cf(state_cf, key),
            }
        }
        let nodes_cf = self.cf(Column::JmtNodes);
        let mut node_bytes = Vec::new();
        for (key, node) in update.tree.node_batch.nodes() {
            node_bytes.clear();
            borsh::to_writer(&mut node_bytes, node).expect("writing to a Vec cannot fail");
            batch.put_cf(nodes_cf, keys::tree_node(key), &node_bytes);
        }
        let values_cf = self.cf(Column::JmtValues);
        for ((version, key_hash), value) in update.tree.node_batch.values() {
            batch.put_cf(
                values_cf,
                keys::tree_value(*key_hash, *version),
                keys::encode_tree_value(value),
            );
        }
    }

    /// The genesis hash, which identifies the chain (`None` before [`Store::init_genesis`]).
    pub fn genesis_hash(&self) -> Result<Option<Hash>, StorageError> {
        self.get(Column::Meta, meta::GENESIS)?
            .map(|raw| {
                <[u8; 32]>::try_from(raw.as_slice())
                    .map(Hash)
                    .map_err(|_| StorageError::corrupt("genesis hash", "not 32 bytes"))
            })
            .transpose()
    }

    /// The number of the last committed block (`None` before genesis).
    pub fn head_number(&self) -> Result<Option<BlockNumber>, StorageError> {
        self.get(Column::Meta, meta::HEAD)?
            .map(|raw| keys::decode_number(&raw, "head number"))
            .transpose()
    }

    /// The header of the last committed block.
    pub fn head(&self) -> Result<Option<Header>, StorageError> {
        match self.head_number()? {
            Some(n) => self.header(n),
            None => Ok(None),
        }
    }

    /// The header of block `number`.
    pub fn header(&self, number: BlockNumber) -> Result<Option<Header>, StorageError> {
        self.header_reads.fetch_add(1, Ordering::Relaxed);
        self.get(Column::Headers, &keys::block(number))?
            .map(|raw| {
                Header::decode(&mut &raw[..])
                    .map_err(|e| StorageError::corrupt(format!("header {number}"), e))
            })
            .transpose()
    }

    /// How many headers [`Store::header`] (and what calls it) has read since the store was opened, over every
    /// clone: what a reader's cost in headers is measured by.
    pub fn header_reads(&self) -> u64 {
        self.header_reads.load(Ordering::Relaxed)
    }

    /// How many blocks' events [`Store::events`] has read since the store was opened, over every clone.
    pub fn event_reads(&self) -> u64 {
        self.event_reads.load(Ordering::Relaxed)
    }

    /// The numbers of the blocks below `below` (from 1) whose header hands over to another validator set
    /// (`next_validators_hash != validators_hash`), in order: an event proof's `set_changes`. One seek and as
    /// many steps as there were hand-overs, whatever the height.
    pub fn handovers_below(&self, below: BlockNumber) -> Result<Vec<BlockNumber>, StorageError> {
        let mut out = Vec::new();
        self.scan(Column::Handovers, &[], |key, _| {
            let number = keys::decode_number(key, "hand-over number")?;
            if number >= below {
                return Ok(false);
            }
            if number > 0 {
                out.push(number);
            }
            Ok(true)
        })?;
        Ok(out)
    }

    /// The number of the block whose hash is `hash`.
    pub fn number_of(&self, hash: &Hash) -> Result<Option<BlockNumber>, StorageError> {
        self.get(Column::Hashes, &hash.0)?
            .map(|raw| keys::decode_number(&raw, "block number"))
            .transpose()
    }

    /// The header of the block whose hash is `hash`.
    pub fn header_by_hash(&self, hash: &Hash) -> Result<Option<Header>, StorageError> {
        match self.number_of(hash)? {
            Some(n) => self.header(n),
            None => Ok(None),
        }
    }

    /// Block `number`, header and body.
    pub fn block(&self, number: BlockNumber) -> Result<Option<Block>, StorageError> {
        let Some(header) = self.header(number)? else {
            return Ok(None);
        };
        let raw = self
            .get(Column::Bodies, &keys::block(number))?
            .ok_or_else(|| StorageError::corrupt(format!("body {number}"), "missing"))?;
        let extrinsics = Vec::<SignedTransaction>::decode(&mut &raw[..])
            .map_err(|e| StorageError::corrupt(format!("body {number}"), e))?;
        Ok(Some(Block { header, extrinsics }))
    }

    /// The commit certificate block `number` was decided with, as the consensus crate encoded it (`None` for
    /// genesis and unknown blocks).
    pub fn certificate(&self, number: BlockNumber) -> Result<Option<Vec<u8>>, StorageError> {
        self.get(Column::Certificates, &keys::block(number))
    }

    /// The SCALE event records of block `number`, in order: exactly the leaves of its `events_root`.
    /// (Genesis events are not kept: `build_genesis` does not return them.)
    pub fn events(&self, number: BlockNumber) -> Result<Vec<Vec<u8>>, StorageError> {
        self.event_reads.fetch_add(1, Ordering::Relaxed);
        let mut out = Vec::new();
        self.scan(Column::Events, &keys::block(number), |_, value| {
            out.push(value.to_vec());
            Ok(true)
        })?;
        Ok(out)
    }

    /// Block `number`'s events with their Merkle tree, from a bounded LRU cache of committed blocks (read from
    /// the store on a miss; blocks above the head are read, never cached).
    pub fn block_events(&self, number: BlockNumber) -> Result<Arc<BlockEvents>, StorageError> {
        if let Some(hit) = self.trees.get(number) {
            return Ok(hit);
        }
        let committed = self.head_number()?.is_some_and(|head| number <= head);
        let events = Arc::new(BlockEvents::new(number, self.events(number)?));
        if committed {
            self.trees.put(events.clone());
        }
        Ok(events)
    }

    /// The events of block `number` as the executive returned them.
    pub fn raw_events(&self, number: BlockNumber) -> Result<Vec<RawEvent>, StorageError> {
        self.events(number)?
            .iter()
            .enumerate()
            .map(|(i, record)| raw_event(record, EventRef::new(number, i as u32)))
            .collect()
    }

    /// The SCALE event record at `at`.
    pub fn event(&self, at: EventRef) -> Result<Option<Vec<u8>>, StorageError> {
        self.get(Column::Events, &keys::event(at.block, at.index))
    }

    /// The state at the current head, pinned there: see [`RocksState`]. Before genesis, the empty state
    /// (build genesis over it, then [`Store::init_genesis`]).
    pub fn state(&self) -> Result<RocksState, StorageError> {
        Ok(RocksState::new(Arc::new(View::new(self.db.clone())?)))
    }

    /// The event index at the current head, pinned there (use [`RocksState::index`] for an index at the same
    /// height as a state).
    pub fn index(&self) -> Result<RocksIndex, StorageError> {
        Ok(RocksIndex::new(Arc::new(View::new(self.db.clone())?)))
    }

    /// Persists a proposal consensus has not decided yet — `proposal` is the consensus crate's encoding —
    /// under `(height, round, hash)`, replacing one stored there. Fsynced when [`StoreOptions::sync`] is on, so
    /// a restarted node can hand it back. Deleted when a block at `height` or above is committed.
    pub fn store_undecided(
        &self,
        height: BlockNumber,
        round: u32,
        hash: &Hash,
        proposal: &[u8],
    ) -> Result<(), StorageError> {
        let mut batch = WriteBatch::default();
        batch.put_cf(
            self.cf(Column::Undecided),
            keys::undecided(height, round, &hash.0),
            proposal,
        );
        let mut opts = WriteOptions::default();
        opts.set_sync(self.options.sync);
        self.db.write_opt(batch, &opts)?;
        Ok(())
    }

    /// The undecided proposals stored for `(height, round)`, by block hash.
    pub fn undecided(
        &self,
        height: BlockNumber,
        round: u32,
    ) -> Result<Vec<(Hash, Vec<u8>)>, StorageError> {
        let mut prefix = keys::block(height).to_vec();
        prefix.extend_from_slice(&round.to_be_bytes());
        let mut out = Vec::new();
        self.scan(Column::Undecided, &prefix, |key, value| {
            let hash = undecided_hash(key)?;
            out.push((hash, value.to_vec()));
            Ok(true)
        })?;
        Ok(out)
    }

    /// The undecided proposal of block `hash` at `height`, in any round (the latest round if several).
    pub fn undecided_by_hash(
        &self,
        height: BlockNumber,
        hash: &Hash,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        let mut found = None;
        self.scan(Column::Undecided, &keys::block(height), |key, value| {
            if undecided_hash(key)? == *hash {
                found = Some(value.to_vec());
            }
            Ok(true)
        })?;
        Ok(found)
    }

    /// Calls `f` with every `(key, value)` of `column` under `prefix`, in key order, until it returns false.
    fn scan(
        &self,
        column: Column,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<bool, StorageError>,
    ) -> Result<(), StorageError> {
        let mut opts = rocksdb::ReadOptions::default();
        if let Some(end) = keys::prefix_end(prefix) {
            opts.set_iterate_upper_bound(end);
        }
        let mut it = self.db.raw_iterator_cf_opt(self.cf(column), opts);
        it.seek(prefix);
        while let (Some(key), Some(value)) = (it.key(), it.value()) {
            if !f(key, value)? {
                return Ok(());
            }
            it.next();
        }
        Ok(it.status()?)
    }

    /// Flushes every memtable to table files. Not needed for durability (the write-ahead log has it); for
    /// backups and for measuring the size on disk.
    pub fn flush(&self) -> Result<(), StorageError> {
        let columns: Vec<_> = Column::ALL.iter().map(|&c| self.cf(c)).collect();
        self.db
            .flush_cfs_opt(&columns, &rocksdb::FlushOptions::default())?;
        Ok(())
    }

    /// Bytes of live table files, per column family, after [`Store::flush`]: what the data takes on disk.
    pub fn table_bytes(&self) -> Result<Vec<(&'static str, u64)>, StorageError> {
        Column::ALL
            .iter()
            .map(|&column| {
                let bytes = self
                    .db
                    .property_int_value_cf(self.cf(column), "rocksdb.total-sst-files-size")?
                    .unwrap_or(0);
                Ok((column.name(), bytes))
            })
            .collect()
    }
}

/// The block hash at the end of an `undecided` key.
fn undecided_hash(key: &[u8]) -> Result<Hash, StorageError> {
    key.get(12..44)
        .and_then(|h| <[u8; 32]>::try_from(h).ok())
        .map(Hash)
        .ok_or_else(|| StorageError::corrupt("undecided proposal key", "not 44 bytes"))
}

/// Whether `header` hands over to another validator set (the rule of `yima_consensus::proof::
/// changes_validator_set`, which this crate cannot depend on).
fn hands_over(header: &Header) -> bool {
    header.next_validators_hash != header.validators_hash
}

/// The update must be the header's: same version, same root.
fn check_update(header: &Header, update: &StateUpdate) -> Result<(), StorageError> {
    if update.version != header.number {
        return Err(StorageError::UpdateVersion {
            number: header.number,
            version: update.version,
        });
    }
    if update.root != header.state_root {
        return Err(StorageError::StateRootMismatch {
            number: header.number,
            header: header.state_root,
            update: update.root,
        });
    }
    Ok(())
}
