//! Key and value layouts of the column families (see [`crate::columns`]). Numbers are big-endian.

use jmt::storage::NodeKey;
use jmt::{KeyHash, OwnedValue, Version};
use parity_scale_codec::Encode;
use yima_frame::{BlockNumber, OrgId};

use crate::error::StorageError;

/// Key of a block in `headers`, `bodies`, `certificates`.
pub(crate) fn block(number: BlockNumber) -> [u8; 8] {
    number.to_be_bytes()
}

/// Decodes a block number stored big-endian.
pub(crate) fn decode_number(bytes: &[u8], what: &str) -> Result<BlockNumber, StorageError> {
    let raw: [u8; 8] = bytes
        .try_into()
        .map_err(|_| StorageError::corrupt(what, format!("{} bytes, not 8", bytes.len())))?;
    Ok(BlockNumber::from_be_bytes(raw))
}

/// Key of an event in `events`: number ++ index.
pub(crate) fn event(number: BlockNumber, index: u32) -> [u8; 12] {
    let mut key = [0u8; 12];
    key[..8].copy_from_slice(&number.to_be_bytes());
    key[8..].copy_from_slice(&index.to_be_bytes());
    key
}

/// Splits an `events` key (or the 12 bytes after a prefix) into number and index.
pub(crate) fn split_event(bytes: &[u8]) -> Option<(BlockNumber, u32)> {
    let number = BlockNumber::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
    let index = u32::from_be_bytes(bytes.get(8..12)?.try_into().ok()?);
    Some((number, index))
}

/// Key in `idx_code`: SCALE(code) ++ number ++ index ++ role byte.
pub(crate) fn code_entry(code: &[u8], number: BlockNumber, index: u32, role: u8) -> Vec<u8> {
    let mut key = Vec::with_capacity(code.len() + 13);
    key.extend_from_slice(code);
    key.extend_from_slice(&event(number, index));
    key.push(role);
    key
}

/// Key in `idx_lot`: SCALE(lot) ++ number ++ index ++ position.
pub(crate) fn lot_entry(lot: &[u8], number: BlockNumber, index: u32, position: u32) -> Vec<u8> {
    let mut key = Vec::with_capacity(lot.len() + 16);
    key.extend_from_slice(lot);
    key.extend_from_slice(&event(number, index));
    key.extend_from_slice(&position.to_be_bytes());
    key
}

/// Key in `idx_subject`: SCALE(subject) ++ number ++ index.
pub(crate) fn subject_entry(subject: &[u8], number: BlockNumber, index: u32) -> Vec<u8> {
    let mut key = Vec::with_capacity(subject.len() + 12);
    key.extend_from_slice(subject);
    key.extend_from_slice(&event(number, index));
    key
}

/// Key in `idx_clearance`: SCALE(code) ++ number ++ index.
pub(crate) fn clearance_entry(code: &[u8], number: BlockNumber, index: u32) -> Vec<u8> {
    subject_entry(code, number, index)
}

/// Key in `idx_org`: org ++ number ++ index.
pub(crate) fn org_entry(org: OrgId, number: BlockNumber, index: u32) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..4].copy_from_slice(&org.to_be_bytes());
    key[4..].copy_from_slice(&event(number, index));
    key
}

/// Key in `undecided`: height ++ round ++ block hash.
pub(crate) fn undecided(height: BlockNumber, round: u32, hash: &[u8; 32]) -> [u8; 44] {
    let mut key = [0u8; 44];
    key[..8].copy_from_slice(&height.to_be_bytes());
    key[8..12].copy_from_slice(&round.to_be_bytes());
    key[12..].copy_from_slice(hash);
    key
}

/// Key in `jmt_nodes`: version ++ borsh(nibble path). Version first keeps one version's nodes together.
pub(crate) fn tree_node(node_key: &NodeKey) -> Vec<u8> {
    // version, then borsh's u64 nibble count, u32 byte count and at most 32 path bytes.
    let mut key = Vec::with_capacity(8 + 8 + 4 + 32);
    key.extend_from_slice(&node_key.version().to_be_bytes());
    borsh::to_writer(&mut key, node_key.nibble_path()).expect("writing to a Vec cannot fail");
    key
}

/// Decodes a `jmt_nodes` key.
pub(crate) fn decode_tree_node(bytes: &[u8]) -> Result<NodeKey, StorageError> {
    let (version, path) = bytes
        .split_first_chunk::<8>()
        .ok_or_else(|| StorageError::corrupt("tree node key", "shorter than 8 bytes"))?;
    let path = borsh::from_slice(path).map_err(|e| StorageError::corrupt("tree node key", e))?;
    Ok(NodeKey::new(Version::from_be_bytes(*version), path))
}

/// Key in `jmt_values`: key hash ++ version.
pub(crate) fn tree_value(key_hash: KeyHash, version: Version) -> [u8; 40] {
    let mut key = [0u8; 40];
    key[..32].copy_from_slice(&key_hash.0);
    key[32..].copy_from_slice(&version.to_be_bytes());
    key
}

/// A `jmt_values` value: `0` for a deletion, `1 ++ value` for a value.
pub(crate) fn encode_tree_value(value: &Option<OwnedValue>) -> Vec<u8> {
    match value {
        None => vec![0],
        Some(v) => {
            let mut out = Vec::with_capacity(1 + v.len());
            out.push(1);
            out.extend_from_slice(v);
            out
        }
    }
}

/// Decodes a `jmt_values` value.
pub(crate) fn decode_tree_value(bytes: &[u8]) -> Result<Option<OwnedValue>, StorageError> {
    match bytes.split_first() {
        Some((0, [])) => Ok(None),
        Some((1, value)) => Ok(Some(value.to_vec())),
        _ => Err(StorageError::corrupt(
            "tree value",
            "neither a deletion marker nor a value",
        )),
    }
}

/// SCALE bytes of `value`, for key prefixes.
pub(crate) fn scale<T: Encode>(value: &T) -> Vec<u8> {
    value.encode()
}

/// The smallest key greater than every key that starts with `prefix` (`None`: no such key, scan to the end).
pub(crate) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use jmt::storage::NodeKey;

    use super::*;

    #[test]
    fn big_endian_keys_sort_in_chain_order() {
        assert!(event(1, 300) < event(2, 0));
        assert!(event(2, 0) < event(2, 1));
        assert!(org_entry(1, 9, 9) < org_entry(2, 0, 0));
        assert!(code_entry(b"c", 1, u32::MAX, 4) < code_entry(b"c", 2, 0, 0));
    }

    #[test]
    fn tree_keys_round_trip() {
        // borsh of a 3-nibble path: u64 nibble count, u32 byte count, bytes.
        let path_bytes = [3u8, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0xab, 0xc0];
        let key = NodeKey::new(7, borsh::from_slice(&path_bytes).unwrap());
        assert_eq!(tree_node(&key)[8..], path_bytes);
        assert_eq!(decode_tree_node(&tree_node(&key)).unwrap(), key);
        for value in [None, Some(vec![]), Some(vec![1, 2, 3])] {
            assert_eq!(
                decode_tree_value(&encode_tree_value(&value)).unwrap(),
                value
            );
        }
        assert!(decode_tree_value(&[]).is_err());
        assert!(decode_tree_value(&[0, 1]).is_err());
    }

    #[test]
    fn prefix_end_is_the_next_prefix() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[1, 0xff]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xff, 0xff]), None);
        assert_eq!(prefix_end(&[]), None);
    }
}
