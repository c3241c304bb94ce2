//! How the store is opened: durability and memory.

use rocksdb::{BlockBasedOptions, Cache, DBCompressionType, Options};

use crate::columns::Column;

/// Options for [`crate::Store::open`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// Whether each block's write batch is fsynced before [`crate::Store::commit_block`] returns.
    ///
    /// Either way a **killed process** loses nothing committed: RocksDB appends the batch to its write-ahead
    /// log with `write(2)` before returning, the kernel keeps it, and the next start replays it. `sync`
    /// (the default) also survives **power loss or a kernel crash**, at the cost of one `fsync` per block
    /// (milliseconds on most disks — small next to a consensus round). Turn it off only for tests, benchmarks
    /// or a node that can resync the last blocks from its peers.
    pub sync: bool,
    /// Size of the block cache shared by every column family, bytes.
    pub cache_bytes: usize,
    /// Memory all memtables together may use before RocksDB flushes them, bytes. Also bounds how much
    /// write-ahead log a restart replays.
    pub write_buffer_bytes: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            sync: true,
            cache_bytes: 128 << 20,
            write_buffer_bytes: 256 << 20,
        }
    }
}

impl StoreOptions {
    /// The database-wide RocksDB options.
    pub(crate) fn db_options(&self) -> Options {
        let mut opts = Options::default();
        opts.create_if_missing(true);
        opts.create_missing_column_families(true);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        opts.increase_parallelism(i32::try_from(threads).unwrap_or(2));
        opts.set_db_write_buffer_size(self.write_buffer_bytes);
        opts.set_keep_log_file_num(4);
        opts
    }

    /// The options of one column family; `cache` is shared by all of them.
    pub(crate) fn column_options(&self, column: Column, cache: &Cache) -> Options {
        let mut opts = Options::default();
        opts.set_compression_type(DBCompressionType::Lz4);
        let mut table = BlockBasedOptions::default();
        table.set_block_cache(cache);
        if column.point_lookups() {
            table.set_bloom_filter(10.0, false);
        }
        opts.set_block_based_table_factory(&table);
        opts
    }
}
