//! The authenticated state: a flat key-value view for execution plus a Jellyfish Merkle Tree (the `jmt` crate)
//! that commits every key under `state_root`, versioned by block height, with proofs for any key.
//!
//! [`StateBackend`] is the narrow trait execution needs. [`MemoryState`] implements it in memory for tests, tools
//! and benchmarks; the node implements it on RocksDB (flat state and tree nodes in their own column families) and
//! writes a [`StateUpdate`] into the same atomic batch as the block.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use jmt::proof::SparseMerkleProof;
use jmt::storage::{LeafNode, Node, NodeKey, TreeReader, TreeUpdateBatch};
use jmt::{JellyfishMerkleTree, KeyHash, OwnedValue, Version};
use sha2::Sha256;

use crate::overlay::Change;
use crate::primitives::{BlockNumber, Hash};

/// Sorted, de-duplicated writes of one block: `(key, Some(value))` sets, `(key, None)` deletes.
pub type StateChanges = Vec<(Vec<u8>, Change)>;

/// `(key, value)` pairs in key order, as a prefix scan returns them.
pub type KeyValues = Vec<(Vec<u8>, Vec<u8>)>;

/// A failure of the state backend itself (not of a transaction): a missing tree node, a database error.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The tree rejected the update or could not find a node it needs.
    #[error("authenticated state tree: {0}; the state database is inconsistent, resync the node from its peers")]
    Tree(String),
    /// The backing database failed.
    #[error("state database: {0}")]
    Backend(String),
    /// Versions must follow each other: version `expected` comes next.
    #[error("state version {got} cannot follow the committed version; expected {expected}")]
    Version {
        /// The version that would come next.
        expected: Version,
        /// The version that was offered.
        got: Version,
    },
}

/// The result of applying one block's changes to the tree, computed but not yet written.
#[derive(Debug, Clone)]
pub struct StateUpdate {
    /// The block height this state belongs to.
    pub version: Version,
    /// The root committing all keys after the update.
    pub root: Hash,
    /// The flat changes, for the key-value view.
    pub changes: StateChanges,
    /// The tree nodes and versioned values to persist.
    pub tree: TreeUpdateBatch,
}

/// What execution needs from the state: reads of the latest committed version and the root an update would give.
pub trait StateBackend: Send + Sync {
    /// The value of `key` at the latest committed version.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError>;

    /// Every `(key, value)` under `prefix` at the latest committed version, in key order.
    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, StateError>;

    /// The latest committed version (block height), `None` before genesis.
    fn version(&self) -> Option<Version>;

    /// The root at the latest committed version (the empty tree's root before genesis).
    fn root(&self) -> Hash;

    /// Computes the tree update that applying `changes` as `version` would make, without writing anything.
    fn prepare(&self, version: Version, changes: StateChanges) -> Result<StateUpdate, StateError>;
}

/// The root hash of an empty tree (the tree's placeholder hash); the root reported before genesis.
pub fn empty_root() -> Hash {
    Hash(*b"SPARSE_MERKLE_PLACEHOLDER_HASH__")
}

/// Hashes a storage key into the tree's key space.
pub fn key_hash(key: &[u8]) -> KeyHash {
    KeyHash::with::<Sha256>(key)
}

/// A proof that `key` held a value (or none) under a state root.
pub type StateProof = SparseMerkleProof<Sha256>;

/// Checks `proof` that `key` maps to `value` (`None`: is absent) under `root`.
pub fn verify_state_proof(
    root: Hash,
    key: &[u8],
    value: Option<&[u8]>,
    proof: &StateProof,
) -> Result<(), StateError> {
    proof
        .verify(jmt::RootHash(root.0), key_hash(key), value)
        .map_err(|e| StateError::Tree(e.to_string()))
}

/// Computes a [`StateUpdate`] over any tree reader; shared by every backend.
pub fn prepare_update<R: TreeReader>(
    reader: &R,
    committed: Option<Version>,
    version: Version,
    changes: StateChanges,
) -> Result<StateUpdate, StateError> {
    let expected = committed.map_or(0, |v| v + 1);
    if version != expected {
        return Err(StateError::Version {
            expected,
            got: version,
        });
    }
    let tree = JellyfishMerkleTree::<R, Sha256>::new(reader);
    let set = changes.iter().map(|(k, v)| (key_hash(k), v.clone()));
    let (root, batch) = tree
        .put_value_set(set, version)
        .map_err(|e| StateError::Tree(e.to_string()))?;
    Ok(StateUpdate {
        version,
        root: Hash(root.0),
        changes,
        tree: batch,
    })
}

#[derive(Default)]
struct MemoryInner {
    flat: BTreeMap<Vec<u8>, Vec<u8>>,
    nodes: HashMap<NodeKey, Node>,
    values: HashMap<KeyHash, BTreeMap<Version, Option<OwnedValue>>>,
    version: Option<Version>,
    roots: BTreeMap<Version, Hash>,
}

impl TreeReader for MemoryInner {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        Ok(self.nodes.get(node_key).cloned())
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        Ok(self
            .values
            .get(&key_hash)
            .and_then(|history| history.range(..=max_version).next_back())
            .and_then(|(_, v)| v.clone()))
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        Ok(self
            .nodes
            .iter()
            .filter_map(|(k, n)| match n {
                Node::Leaf(leaf) => Some((k.clone(), leaf.clone())),
                _ => None,
            })
            .max_by_key(|(_, leaf)| leaf.key_hash()))
    }
}

/// The whole authenticated state in memory, every version kept. For tests, tools and benchmarks.
#[derive(Default)]
pub struct MemoryState {
    inner: RwLock<MemoryInner>,
}

impl MemoryState {
    /// An empty state before genesis.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes a prepared update; it must be the next version.
    pub fn commit(&self, update: StateUpdate) -> Result<(), StateError> {
        let mut inner = self.inner.write().expect("state lock poisoned");
        let expected = inner.version.map_or(0, |v| v + 1);
        if update.version != expected {
            return Err(StateError::Version {
                expected,
                got: update.version,
            });
        }
        for (key, node) in update.tree.node_batch.nodes() {
            inner.nodes.insert(key.clone(), node.clone());
        }
        for ((version, key_hash), value) in update.tree.node_batch.values() {
            inner
                .values
                .entry(*key_hash)
                .or_default()
                .insert(*version, value.clone());
        }
        for (key, value) in update.changes {
            match value {
                Some(v) => inner.flat.insert(key, v),
                None => inner.flat.remove(&key),
            };
        }
        inner.version = Some(update.version);
        inner.roots.insert(update.version, update.root);
        Ok(())
    }

    /// The root committed at `version`.
    pub fn root_at(&self, version: BlockNumber) -> Option<Hash> {
        self.inner
            .read()
            .expect("state lock poisoned")
            .roots
            .get(&version)
            .copied()
    }

    /// The value of `key` at `version` with its proof against [`MemoryState::root_at`]`(version)`.
    pub fn prove(
        &self,
        key: &[u8],
        version: Version,
    ) -> Result<(Option<Vec<u8>>, StateProof), StateError> {
        let inner = self.inner.read().expect("state lock poisoned");
        JellyfishMerkleTree::<MemoryInner, Sha256>::new(&inner)
            .get_with_proof(key_hash(key), version)
            .map_err(|e| StateError::Tree(e.to_string()))
    }
}

impl StateBackend for MemoryState {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
        Ok(self
            .inner
            .read()
            .expect("state lock poisoned")
            .flat
            .get(key)
            .cloned())
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, StateError> {
        let inner = self.inner.read().expect("state lock poisoned");
        Ok(inner
            .flat
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn version(&self) -> Option<Version> {
        self.inner.read().expect("state lock poisoned").version
    }

    fn root(&self) -> Hash {
        let inner = self.inner.read().expect("state lock poisoned");
        inner
            .version
            .and_then(|v| inner.roots.get(&v).copied())
            .unwrap_or_else(empty_root)
    }

    fn prepare(&self, version: Version, changes: StateChanges) -> Result<StateUpdate, StateError> {
        let inner = self.inner.read().expect("state lock poisoned");
        prepare_update(&*inner, inner.version, version, changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(k: &str, v: &str) -> (Vec<u8>, Change) {
        (k.as_bytes().to_vec(), Some(v.as_bytes().to_vec()))
    }

    #[test]
    fn roots_depend_only_on_content_and_proofs_verify() {
        let a = MemoryState::new();
        let up = a
            .prepare(0, vec![set("k1", "v1"), set("k2", "v2")])
            .unwrap();
        let root0 = up.root;
        a.commit(up).unwrap();
        assert_eq!(a.root(), root0);
        assert_ne!(root0, empty_root());

        let b = MemoryState::new();
        b.commit(
            b.prepare(0, vec![set("k2", "v2"), set("k1", "v1")])
                .unwrap(),
        )
        .unwrap();
        assert_eq!(b.root(), root0, "insertion order must not matter");

        let (value, proof) = a.prove(b"k1", 0).unwrap();
        assert_eq!(value.as_deref(), Some(&b"v1"[..]));
        verify_state_proof(root0, b"k1", Some(b"v1"), &proof).unwrap();
        assert!(verify_state_proof(root0, b"k1", Some(b"forged"), &proof).is_err());

        let (absent, proof) = a.prove(b"nope", 0).unwrap();
        assert!(absent.is_none());
        verify_state_proof(root0, b"nope", None, &proof).unwrap();
    }

    #[test]
    fn deletes_and_versions() {
        let s = MemoryState::new();
        s.commit(s.prepare(0, vec![set("a", "1")]).unwrap())
            .unwrap();
        let r0 = s.root();
        s.commit(
            s.prepare(1, vec![("a".into(), None), set("b", "2")])
                .unwrap(),
        )
        .unwrap();
        assert_eq!(s.get(b"a").unwrap(), None);
        assert_eq!(s.root_at(0), Some(r0));
        let (old, proof) = s.prove(b"a", 0).unwrap();
        assert_eq!(old.as_deref(), Some(&b"1"[..]));
        verify_state_proof(r0, b"a", Some(b"1"), &proof).unwrap();
        assert!(matches!(
            s.prepare(5, vec![]),
            Err(StateError::Version {
                expected: 2,
                got: 5
            })
        ));
    }
}
