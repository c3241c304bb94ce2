//! [`RocksState`]: the runtime's state backend on RocksDB, pinned to one height, with proofs.
//!
//! Reads of the latest version go to the flat `state` column family (one point lookup per key, prefix scans
//! in key order). The Jellyfish Merkle Tree lives in `jmt_nodes` and `jmt_values`; [`RocksState::prepare`]
//! runs [`yima_frame::state::prepare_update`] over it exactly as [`yima_frame::state::MemoryState`] does, so
//! both give the same roots for the same changes. Nothing is written here: the [`StateUpdate`] goes into the
//! block's write batch ([`crate::Store::commit_block`]).

use std::sync::Arc;

use jmt::storage::{LeafNode, Node, NodeKey, TreeReader};
use jmt::{JellyfishMerkleTree, KeyHash, OwnedValue, Version};
use sha2::Sha256;
use yima_frame::state::{
    empty_root, key_hash, prepare_update, KeyValues, StateBackend, StateChanges, StateError,
    StateProof, StateUpdate,
};
use yima_frame::{BlockNumber, Hash};
use yima_runtime::query::StateCustody;

use crate::columns::Column;
use crate::error::StorageError;
use crate::index::RocksIndex;
use crate::keys;
use crate::snapshot::View;

/// The state as of one committed block (the store's head when [`crate::Store::state`] was called).
///
/// Cheap to clone (one `Arc`); every clone reads the same snapshot, so a block executed against it sees one
/// consistent version even while the node commits another block. Take a fresh one for each block or query:
/// a snapshot kept alive keeps old data from being compacted away.
#[derive(Clone)]
pub struct RocksState {
    view: Arc<View>,
}

impl RocksState {
    pub(crate) fn new(view: Arc<View>) -> Self {
        Self { view }
    }

    /// The event index at the same height as this state (trace and recall read both).
    pub fn index(&self) -> RocksIndex {
        RocksIndex::new(self.view.clone())
    }

    /// Current custody for recall ([`yima_runtime::query::recall`]), read from this state with the trace
    /// pallet's own rules.
    pub fn custody(&self) -> StateCustody {
        StateCustody::new(Arc::new(self.clone()))
    }

    /// The height this state is at (`None` before genesis).
    pub fn head(&self) -> Option<BlockNumber> {
        self.view.head().map(|h| h.number)
    }

    fn check_version(&self, version: Version) -> Result<(), StorageError> {
        match self.head() {
            Some(head) if version <= head => Ok(()),
            head => Err(StorageError::UnknownVersion { version, head }),
        }
    }

    /// The state root committed at `version`, from its header.
    pub fn root_at(&self, version: Version) -> Result<Hash, StorageError> {
        self.check_version(version)?;
        let header = self.view.header(version)?.ok_or_else(|| {
            StorageError::corrupt(format!("header {version}"), "missing below the head")
        })?;
        Ok(header.state_root)
    }

    /// The root of the tree at `version`, computed from the stored tree nodes (equal to
    /// [`RocksState::root_at`] on a consistent database).
    pub fn tree_root(&self, version: Version) -> Result<Hash, StorageError> {
        self.check_version(version)?;
        let root = JellyfishMerkleTree::<View, Sha256>::new(&*self.view)
            .get_root_hash(version)
            .map_err(tree_error)?;
        Ok(Hash(root.0))
    }

    /// The value of `key` at `version` (any stored height), from the tree's versioned values.
    pub fn get_at(&self, key: &[u8], version: Version) -> Result<Option<Vec<u8>>, StorageError> {
        self.check_version(version)?;
        self.view.value_at(version, key_hash(key))
    }

    /// The value of `key` at `version` (`None`: absent) with a proof against that height's state root,
    /// checked by [`yima_frame::state::verify_state_proof`].
    pub fn prove(
        &self,
        key: &[u8],
        version: Version,
    ) -> Result<(Option<Vec<u8>>, StateProof), StorageError> {
        self.check_version(version)?;
        JellyfishMerkleTree::<View, Sha256>::new(&*self.view)
            .get_with_proof(key_hash(key), version)
            .map_err(tree_error)
    }
}

fn tree_error(e: anyhow::Error) -> StorageError {
    StorageError::State(StateError::Tree(e.to_string()))
}

impl StateBackend for RocksState {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
        Ok(self.view.get(Column::State, key)?)
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, StateError> {
        let mut out = Vec::new();
        self.view.scan(Column::State, prefix, |k, v| {
            out.push((k.to_vec(), v.to_vec()));
            Ok(true)
        })?;
        Ok(out)
    }

    fn version(&self) -> Option<Version> {
        self.head()
    }

    fn root(&self) -> Hash {
        self.view
            .head()
            .map_or_else(empty_root, |head| head.state_root)
    }

    fn prepare(&self, version: Version, changes: StateChanges) -> Result<StateUpdate, StateError> {
        prepare_update(&*self.view, self.head(), version, changes)
    }
}

impl View {
    /// The newest value of `key_hash` at or before `version` (`None`: never set, or deleted).
    fn value_at(
        &self,
        version: Version,
        key_hash: KeyHash,
    ) -> Result<Option<OwnedValue>, StorageError> {
        let found = self.seek_for_prev(
            Column::JmtValues,
            &key_hash.0,
            &keys::tree_value(key_hash, version),
        )?;
        match found {
            Some(value) => keys::decode_tree_value(&value),
            None => Ok(None),
        }
    }
}

impl TreeReader for View {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let Some(raw) = self.get_pinned(Column::JmtNodes, &keys::tree_node(node_key))? else {
            return Ok(None);
        };
        let node = borsh::from_slice(&raw)
            .map_err(|e| StorageError::corrupt(format!("tree node {node_key:?}"), e))?;
        Ok(Some(node))
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        Ok(self.value_at(max_version, key_hash)?)
    }

    /// Only the tree's restore path asks for this (never block execution or proofs), so a full scan of the
    /// nodes is acceptable: the leaf with the largest key hash, as `MemoryState` answers.
    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        let mut best: Option<(NodeKey, LeafNode)> = None;
        self.scan(Column::JmtNodes, &[], |k, v| {
            let node: Node =
                borsh::from_slice(v).map_err(|e| StorageError::corrupt("tree node", e))?;
            if let Node::Leaf(leaf) = node {
                if best
                    .as_ref()
                    .is_none_or(|(_, b)| leaf.key_hash() > b.key_hash())
                {
                    best = Some((keys::decode_tree_node(k)?, leaf));
                }
            }
            Ok(true)
        })?;
        Ok(best)
    }
}
