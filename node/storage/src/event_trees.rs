//! [`BlockEvents`]: a committed block's event records with their Merkle tree built once, kept in a bounded LRU
//! cache ([`EventTrees`]) so readers that prove many events of few blocks (a scan page's badge, an audit bundle,
//! `proof_event`, alerts) hash each block's events once instead of once per event.
//!
//! Only blocks at or below the head are cached (a committed block's events never change); the cache holds at
//! most [`MAX_CACHED_BLOCKS`] blocks and [`MAX_CACHED_BYTES`] bytes of records, evicting the least recently
//! used.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use rs_merkle::algorithms::Sha256 as MerkleSha256;
use rs_merkle::MerkleTree;
use yima_frame::{BlockNumber, Hash};
use yima_runtime::merkle::{leaf_hash, MerkleProof};

/// Most blocks the cache holds.
pub const MAX_CACHED_BLOCKS: usize = 256;
/// Most bytes of event records the cache holds (the trees add 64 bytes or so per event).
pub const MAX_CACHED_BYTES: usize = 64 * 1024 * 1024;

/// One block's events and their tree (the tree of `events_root`).
pub struct BlockEvents {
    /// The block.
    pub number: BlockNumber,
    /// The SCALE event records, in order.
    pub records: Vec<Vec<u8>>,
    tree: MerkleTree<MerkleSha256>,
    bytes: usize,
}

impl std::fmt::Debug for BlockEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockEvents")
            .field("number", &self.number)
            .field("events", &self.records.len())
            .finish_non_exhaustive()
    }
}

impl BlockEvents {
    /// The records of block `number` and their tree.
    pub fn new(number: BlockNumber, records: Vec<Vec<u8>>) -> Self {
        let leaves: Vec<[u8; 32]> = records.iter().map(|r| leaf_hash(r)).collect();
        let bytes = records.iter().map(Vec::len).sum::<usize>() + 64 * records.len();
        Self {
            number,
            records,
            tree: MerkleTree::from_leaves(&leaves),
            bytes,
        }
    }

    /// The inclusion proof of event `index` (what `yima_runtime::merkle::prove` returns, without rehashing).
    pub fn prove(&self, index: u32) -> Option<MerkleProof> {
        let i = index as usize;
        if i >= self.records.len() {
            return None;
        }
        Some(MerkleProof {
            index,
            total: self.records.len() as u32,
            path: self
                .tree
                .proof(&[i])
                .proof_hashes()
                .iter()
                .map(|h| Hash(*h))
                .collect(),
        })
    }
}

/// The bounded cache.
pub(crate) struct EventTrees {
    cache: Mutex<(LruCache<BlockNumber, Arc<BlockEvents>>, usize)>,
}

impl EventTrees {
    pub(crate) fn new() -> Self {
        let blocks = NonZeroUsize::new(MAX_CACHED_BLOCKS).expect("a non-zero bound");
        Self {
            cache: Mutex::new((LruCache::new(blocks), 0)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (LruCache<BlockNumber, Arc<BlockEvents>>, usize)> {
        // The cache is rebuilt from the store on a miss: a poisoned lock's contents are still valid entries.
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn get(&self, number: BlockNumber) -> Option<Arc<BlockEvents>> {
        self.lock().0.get(&number).cloned()
    }

    pub(crate) fn put(&self, events: Arc<BlockEvents>) {
        let mut guard = self.lock();
        let (cache, bytes) = &mut *guard;
        *bytes += events.bytes;
        if let Some((_, old)) = cache.push(events.number, events) {
            *bytes -= old.bytes;
        }
        while *bytes > MAX_CACHED_BYTES && cache.len() > 1 {
            match cache.pop_lru() {
                Some((_, old)) => *bytes -= old.bytes,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_proofs_are_the_runtimes_proofs() {
        for n in 1..40usize {
            let records: Vec<Vec<u8>> = (0..n).map(|i| vec![i as u8; i % 7 + 1]).collect();
            let leaves: Vec<[u8; 32]> = records.iter().map(|r| leaf_hash(r)).collect();
            let events = BlockEvents::new(1, records);
            for i in 0..n {
                assert_eq!(
                    events.prove(i as u32),
                    yima_runtime::merkle::prove(&leaves, i),
                    "{n} leaves, leaf {i}"
                );
            }
            assert_eq!(events.prove(n as u32), None);
        }
    }

    #[test]
    fn the_cache_is_bounded_in_blocks() {
        let trees = EventTrees::new();
        for n in 0..(MAX_CACHED_BLOCKS as u64 + 10) {
            trees.put(Arc::new(BlockEvents::new(n, vec![vec![1]])));
        }
        assert!(trees.get(0).is_none(), "the oldest was evicted");
        assert!(trees.get(MAX_CACHED_BLOCKS as u64 + 9).is_some());
        assert_eq!(trees.lock().0.len(), MAX_CACHED_BLOCKS);
    }
}
