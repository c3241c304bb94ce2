//! What can go wrong in storage, each error saying what to do about it.

use std::path::PathBuf;

use yima_frame::state::StateError;
use yima_frame::{BlockNumber, Hash};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database could not be opened.
    #[error("cannot open the database at {}: {source}; check that the base path is writable and that no other node process uses it", path.display())]
    Open {
        /// The database directory.
        path: PathBuf,
        /// RocksDB's complaint.
        source: rocksdb::Error,
    },
    /// The last committed block does not hold together (checked when the node starts).
    #[error("the database's last block {number} is damaged: {what}. Stop here rather than serve or build on it: restore the database from a backup, or move it aside and let the node sync the chain from its peers")]
    DamagedHead {
        /// The head's number.
        number: BlockNumber,
        /// What does not match.
        what: String,
    },
    /// A read or write failed.
    #[error("RocksDB: {0}; check free disk space and the disk's health, then restart the node")]
    Db(#[from] rocksdb::Error),
    /// The database was written by another schema.
    #[error("the database has schema version {found} but this node reads and writes version {expected}; sync the chain into a new --base-path")]
    Schema {
        /// What the database says.
        found: u32,
        /// What this build writes.
        expected: u32,
    },
    /// Blocks cannot be committed before genesis.
    #[error("the database holds no genesis yet: initialise it from the chain spec (Store::init_genesis) before committing blocks")]
    NoGenesis,
    /// The database belongs to another chain.
    #[error("this database belongs to chain {stored} (its genesis hash), not to chain {given}; use another --base-path for this chain")]
    OtherChain {
        /// The stored genesis hash.
        stored: Hash,
        /// The genesis hash offered.
        given: Hash,
    },
    /// The block is not the one after the head.
    #[error("block {got} cannot follow the stored head {head}: commit decided blocks once each, in order")]
    NotNext {
        /// The stored head.
        head: BlockNumber,
        /// The block offered.
        got: BlockNumber,
    },
    /// The block does not name the head as its parent.
    #[error("block {number} names parent {got}, but the stored block {} is {expected}: the block belongs to another chain or fork", number - 1)]
    ParentMismatch {
        /// The block offered.
        number: BlockNumber,
        /// The stored head's hash.
        expected: Hash,
        /// The block's parent_hash.
        got: Hash,
    },
    /// The state update is not the block's.
    #[error("block {number} comes with the state update of version {version}: commit the update that executing this block returned")]
    UpdateVersion {
        /// The block.
        number: BlockNumber,
        /// The update's version.
        version: BlockNumber,
    },
    /// The state update does not give the header's state root.
    #[error("block {number}'s header has state_root {header} but its state update gives {update}: commit the update that executing this block returned")]
    StateRootMismatch {
        /// The block.
        number: BlockNumber,
        /// The header's state_root.
        header: Hash,
        /// The update's root.
        update: Hash,
    },
    /// The events are not the block's.
    #[error("block {number}'s header has events_root {header} but the events given hash to {computed}: commit the events that executing this block returned")]
    EventsRootMismatch {
        /// The block.
        number: BlockNumber,
        /// The header's events_root.
        header: Hash,
        /// The root of the events given.
        computed: Hash,
    },
    /// A block with more events than an index can name.
    #[error("block {number} has {count} events, more than 2^32: it cannot be indexed")]
    TooManyEvents {
        /// The block.
        number: BlockNumber,
        /// How many events.
        count: usize,
    },
    /// An event does not decode as a runtime event, so it cannot be indexed.
    #[error("event {index} of block {number} does not decode as a runtime event ({error}): the node and the runtime that executed the block disagree; build the node from one source tree")]
    EventDecode {
        /// The block.
        number: BlockNumber,
        /// The event's position.
        index: u32,
        /// The codec's complaint.
        error: String,
    },
    /// Something stored does not decode.
    #[error("stored {what} does not decode ({error}): the database is corrupt or was written by an incompatible version; sync the chain into a new --base-path")]
    Corrupt {
        /// What was read.
        what: String,
        /// The decoder's complaint.
        error: String,
    },
    /// A state version that is not stored was asked for.
    #[error(
        "state version {version} is not stored (the head is {head:?}): ask for a committed height"
    )]
    UnknownVersion {
        /// The version asked for.
        version: BlockNumber,
        /// The head of the view asked.
        head: Option<BlockNumber>,
    },
    /// The authenticated state failed.
    #[error(transparent)]
    State(#[from] StateError),
}

impl StorageError {
    /// A stored item that does not decode.
    pub(crate) fn corrupt(what: impl Into<String>, error: impl std::fmt::Display) -> Self {
        StorageError::Corrupt {
            what: what.into(),
            error: error.to_string(),
        }
    }
}

impl From<StorageError> for StateError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::State(inner) => inner,
            other => StateError::Backend(other.to_string()),
        }
    }
}
