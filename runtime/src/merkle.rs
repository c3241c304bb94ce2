//! Binary SHA-256 Merkle trees over a block's transactions and events (`extrinsics_root`, `events_root`), with
//! one-leaf inclusion proofs an auditor verifies offline.
//!
//! Built on `rs_merkle`: inner nodes are `SHA-256(left ‖ right)` and an odd node is promoted unchanged (never
//! duplicated, so no CVE-2012-2459-style second tree has the same root). Leaves are domain-separated as
//! `SHA-256(0x00 ‖ SCALE bytes)` so a leaf can never be read as an inner node. The root of no leaves is all zeros.
//!
//! The root commits to the number of leaves: `root = SHA-256(0x01 ‖ n as u32 LE ‖ tree root)` for n ≥ 1 leaves
//! (37 bytes hashed, never an inner node's 64 nor a leaf's `0x00` prefix). `rs_merkle` checks a path against a
//! leaf count only through the tree's depth, so a proof's `total` could be changed to any count of the same depth
//! (and trailing path hashes were ignored) without the path failing; with the count under the root, and the path
//! length checked against the count, every byte of a [`MerkleProof`] matters.

use parity_scale_codec::{Decode, Encode};
use rs_merkle::{algorithms::Sha256 as MerkleSha256, Hasher, MerkleTree};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yima_frame::Hash;

/// The root of a tree with no leaves.
pub const EMPTY_ROOT: Hash = Hash([0; 32]);

/// The hash of one leaf: `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The root over already-hashed leaves (committing to their count, see the module docs).
pub fn root_of_hashes(leaves: &[[u8; 32]]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        n => bind_count(
            n as u32,
            &MerkleTree::<MerkleSha256>::from_leaves(leaves)
                .root()
                .expect("a tree with leaves has a root"),
        ),
    }
}

/// The root committed to: `SHA-256(0x01 ‖ count as u32 LE ‖ tree root)`.
fn bind_count(count: u32, tree_root: &[u8; 32]) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(count.to_le_bytes());
    h.update(tree_root);
    Hash(h.finalize().into())
}

/// How many sibling hashes the path of leaf `index` in a tree of `total` leaves has (an odd last node is
/// promoted without a sibling).
pub fn path_len(index: u32, total: u32) -> usize {
    let (mut i, mut width, mut len) = (index, total, 0);
    while width > 1 {
        if (i ^ 1) < width {
            len += 1;
        }
        i /= 2;
        width = width.div_ceil(2);
    }
    len
}

/// The root over the leaves' data.
pub fn root<T: AsRef<[u8]>>(leaves: &[T]) -> Hash {
    let hashes: Vec<[u8; 32]> = leaves.iter().map(|l| leaf_hash(l.as_ref())).collect();
    root_of_hashes(&hashes)
}

/// A proof that one leaf is at `index` of a tree of `total` leaves.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
pub struct MerkleProof {
    /// The leaf's position.
    pub index: u32,
    /// How many leaves the tree has.
    pub total: u32,
    /// Sibling hashes from the leaf up, as `rs_merkle` orders them.
    pub path: Vec<Hash>,
}

/// Why an inclusion proof does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The index is not inside the tree.
    #[error("leaf index {index} is outside a tree of {total} leaves")]
    IndexOutOfRange {
        /// The claimed index.
        index: u32,
        /// The claimed size.
        total: u32,
    },
    /// The leaf, path or root was altered: hashing up the path does not reach the root.
    #[error("the Merkle path does not lead from this leaf to the expected root: the leaf, the path, the leaf count or the root was altered")]
    RootMismatch,
    /// The path has more or fewer hashes than the leaf's position in a tree of that size needs.
    #[error("the Merkle path has {got} hash(es) but leaf {index} of a tree of {total} leaves needs {expected}: the path or the leaf count was altered")]
    PathLength {
        /// The claimed index.
        index: u32,
        /// The claimed size.
        total: u32,
        /// What the position needs.
        expected: usize,
        /// What the path has.
        got: usize,
    },
}

/// The inclusion proof of leaf `index` among `leaves` (already hashed), or `None` when out of range.
pub fn prove(leaves: &[[u8; 32]], index: usize) -> Option<MerkleProof> {
    if index >= leaves.len() {
        return None;
    }
    let proof = MerkleTree::<MerkleSha256>::from_leaves(leaves).proof(&[index]);
    Some(MerkleProof {
        index: index as u32,
        total: leaves.len() as u32,
        path: proof.proof_hashes().iter().map(|h| Hash(*h)).collect(),
    })
}

/// Checks that `leaf_data` is leaf `proof.index` of the tree of `proof.total` leaves with `root`: the path has
/// exactly the hashes the position needs, and hashing up it and binding the count reaches `root`.
pub fn verify(root: Hash, leaf_data: &[u8], proof: &MerkleProof) -> Result<(), ProofError> {
    if proof.index >= proof.total {
        return Err(ProofError::IndexOutOfRange {
            index: proof.index,
            total: proof.total,
        });
    }
    let expected = path_len(proof.index, proof.total);
    if proof.path.len() != expected {
        return Err(ProofError::PathLength {
            index: proof.index,
            total: proof.total,
            expected,
            got: proof.path.len(),
        });
    }
    let hashes: Vec<[u8; 32]> = proof.path.iter().map(|h| h.0).collect();
    let tree_root = rs_merkle::MerkleProof::<MerkleSha256>::new(hashes)
        .root(
            &[proof.index as usize],
            &[leaf_hash(leaf_data)],
            proof.total as usize,
        )
        .map_err(|_| ProofError::RootMismatch)?;
    if bind_count(proof.total, &tree_root) == root {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// SHA-256 as `rs_merkle` uses it, exposed for tests.
pub fn inner_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut both = [0u8; 64];
    both[..32].copy_from_slice(left);
    both[32..].copy_from_slice(right);
    MerkleSha256::hash(&both)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_single_and_pair() {
        assert_eq!(root::<&[u8]>(&[]), EMPTY_ROOT);
        assert_eq!(root(&[b"a"]), bind_count(1, &leaf_hash(b"a")));
        assert_eq!(
            root(&[b"a", b"b"]),
            bind_count(2, &inner_hash(&leaf_hash(b"a"), &leaf_hash(b"b")))
        );
    }

    /// The finding: a leaf count of the same tree depth went unnoticed. Now every other count fails,
    /// and so does a path with a hash added or removed.
    #[test]
    fn every_other_leaf_count_and_path_length_fails() {
        for n in 1..40usize {
            let leaves: Vec<[u8; 32]> = (0..n).map(|i| leaf_hash(&[i as u8])).collect();
            let r = root_of_hashes(&leaves);
            for i in 0..n {
                let proof = prove(&leaves, i).unwrap();
                assert_eq!(proof.path.len(), path_len(i as u32, n as u32));
                assert_eq!(verify(r, &[i as u8], &proof), Ok(()));
                for total in 0..80u32 {
                    if total as usize != n {
                        let mut bad = proof.clone();
                        bad.total = total;
                        assert!(
                            verify(r, &[i as u8], &bad).is_err(),
                            "{n} leaves, leaf {i}, total {total}"
                        );
                    }
                }
                let mut longer = proof.clone();
                longer.path.push(Hash([7; 32]));
                assert!(matches!(
                    verify(r, &[i as u8], &longer),
                    Err(ProofError::PathLength { .. })
                ));
                if let Some(shorter) = proof.path.split_last().map(|(_, rest)| rest.to_vec()) {
                    let mut bad = proof.clone();
                    bad.path = shorter;
                    assert!(verify(r, &[i as u8], &bad).is_err());
                }
            }
        }
    }

    proptest! {
        #[test]
        fn every_leaf_proves_and_tampering_fails(
            leaves in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..40),
            pick in any::<prop::sample::Index>(),
        ) {
            let hashes: Vec<[u8; 32]> = leaves.iter().map(|l| leaf_hash(l)).collect();
            let r = root_of_hashes(&hashes);
            let i = pick.index(leaves.len());
            let proof = prove(&hashes, i).unwrap();
            prop_assert_eq!(verify(r, &leaves[i], &proof), Ok(()));

            // Tampered leaf.
            let mut bad_leaf = leaves[i].clone();
            bad_leaf.push(1);
            prop_assert!(verify(r, &bad_leaf, &proof).is_err());
            // Tampered root.
            let mut bad_root = r;
            bad_root.0[0] ^= 1;
            prop_assert!(verify(bad_root, &leaves[i], &proof).is_err());
            // Tampered path.
            if !proof.path.is_empty() {
                let mut bad = proof.clone();
                bad.path[0].0[31] ^= 0x80;
                prop_assert!(verify(r, &leaves[i], &bad).is_err());
            }
            // Wrong position.
            if leaves.len() > 1 {
                let mut moved = proof.clone();
                moved.index = ((i + 1) % leaves.len()) as u32;
                if leaves[moved.index as usize] != leaves[i] {
                    prop_assert!(verify(r, &leaves[i], &moved).is_err());
                }
            }
            let mut out = proof.clone();
            out.index = out.total;
            let out_of_range = matches!(verify(r, &leaves[i], &out), Err(ProofError::IndexOutOfRange { .. }));
            prop_assert!(out_of_range);
        }
    }
}
