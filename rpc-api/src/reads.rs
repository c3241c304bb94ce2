//! Proven state reads: the machinery every read-back answer ([`crate::records`]) rests on.
//!
//! A read-back is a function of state ([`crate::readback`]) run twice: on the node over a [`Recorder`], which
//! answers each key it is asked from the store and records the key, its value and its Jellyfish Merkle proof;
//! and on the client over [`Verified`], which answers the same keys from those records only after checking
//! every proof against the state root of the header at that height. So the client recomputes the answer from
//! proven values with the node's own code, and every field it prints is one it proved: a key the node left out
//! fails the read ([`ReadError::Missing`]), a value it changed fails the proof.
//!
//! Each answer reads at most [`MAX_READS`] keys: the node's cost, and the client's, is bounded before it runs.

use std::collections::HashMap;

use parity_scale_codec::Decode;
use serde::{Deserialize, Serialize};
use yima_frame::state::{verify_state_proof, StateProof};
use yima_frame::storage::{StorageDoubleMap, StorageMap, StorageValue};
use yima_frame::Hash;

use crate::to_hex;

/// Most state keys one read-back answer reads (a record card of ~2,000 doses, a subject with ~4,000
/// attestations). Past it the answer is refused with [`ReadError::TooManyReads`].
pub const MAX_READS: usize = 4_096;

/// The state an answer rests on: every key read, at one height, against one root.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StateReads {
    /// The height read.
    pub height: u64,
    /// Its header's `state_root`.
    pub state_root: String,
    /// Each key read, in reading order.
    pub reads: Vec<StateRead>,
}

/// One key, its value and its proof.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StateRead {
    /// The storage key (hex).
    pub key: String,
    /// Its value (hex SCALE), `null` when absent.
    pub value: Option<String>,
    /// The proof of `value` (or of absence) against the root: hex of the borsh `SparseMerkleProof`.
    pub proof: String,
}

/// Why a read-back could not be answered or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The answer would read more than [`MAX_READS`] keys.
    #[error("the answer needs more than {MAX_READS} state reads: ask about something smaller")]
    TooManyReads,
    /// The client's replay asked for a key the node's answer has no proof of.
    #[error("the node's answer has no proof of key 0x{0}, which the answer rests on: it left a value out")]
    Missing(String),
    /// A stored value did not decode.
    #[error("the value at key 0x{key} is not a {what}: {reason}")]
    Decode {
        /// The key.
        key: String,
        /// The type expected.
        what: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// A proof did not check.
    #[error("the proof of key 0x{key} does not hold against state root {root}: {reason}")]
    BadProof {
        /// The key.
        key: String,
        /// The root it was checked against.
        root: String,
        /// Why.
        reason: String,
    },
    /// The answer is not well formed (hex, sizes).
    #[error("malformed answer: {0}")]
    Malformed(String),
    /// The node's store failed.
    #[error("the node could not read its state: {0}")]
    Store(String),
}

/// Answers state keys: the node's store with proofs ([`Recorder`]) or proven values ([`Verified`]).
pub trait ReadSource {
    /// The value of `key`, `None` when absent.
    fn read(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, ReadError>;
}

/// Typed reads of storage items over a [`ReadSource`], counted against [`MAX_READS`].
pub struct Reader<S> {
    source: S,
    count: usize,
}

impl<S: ReadSource> Reader<S> {
    /// A reader over `source`.
    pub fn new(source: S) -> Self {
        Self { source, count: 0 }
    }

    /// The source back (a [`Recorder`]'s reads).
    pub fn into_source(self) -> S {
        self.source
    }

    /// The raw value of `key`.
    pub fn raw(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
        self.count += 1;
        if self.count > MAX_READS {
            return Err(ReadError::TooManyReads);
        }
        self.source.read(key)
    }

    fn decoded<V: Decode>(
        &mut self,
        key: &[u8],
        what: &'static str,
    ) -> Result<Option<V>, ReadError> {
        self.raw(key)?
            .map(|bytes| {
                V::decode(&mut &bytes[..]).map_err(|e| ReadError::Decode {
                    key: hex::encode(key),
                    what,
                    reason: e.to_string(),
                })
            })
            .transpose()
    }

    /// A map's value under `key`.
    pub fn map<M: StorageMap>(&mut self, key: &M::Key) -> Result<Option<M::Value>, ReadError> {
        self.decoded(&M::storage_key(key), std::any::type_name::<M::Value>())
    }

    /// A double map's value under `(k1, k2)`.
    pub fn double<M: StorageDoubleMap>(
        &mut self,
        k1: &M::Key1,
        k2: &M::Key2,
    ) -> Result<Option<M::Value>, ReadError> {
        self.decoded(&M::storage_key(k1, k2), std::any::type_name::<M::Value>())
    }

    /// A single value.
    pub fn value<V: StorageValue>(&mut self) -> Result<Option<V::Value>, ReadError> {
        self.decoded(V::KEY, std::any::type_name::<V::Value>())
    }
}

/// The node's source: proves each key with `prove` and records it.
pub struct Recorder<F> {
    prove: F,
    reads: Vec<StateRead>,
}

impl<F> Recorder<F>
where
    F: FnMut(&[u8]) -> Result<(Option<Vec<u8>>, StateProof), String>,
{
    /// A recorder proving keys with `prove` (the store's value and proof at one height).
    pub fn new(prove: F) -> Self {
        Self {
            prove,
            reads: Vec::new(),
        }
    }

    /// The reads, as the answer carries them.
    pub fn finish(self, height: u64, state_root: Hash) -> StateReads {
        StateReads {
            height,
            state_root: state_root.to_string(),
            reads: self.reads,
        }
    }
}

impl<F> ReadSource for Recorder<F>
where
    F: FnMut(&[u8]) -> Result<(Option<Vec<u8>>, StateProof), String>,
{
    fn read(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
        let (value, proof) = (self.prove)(key).map_err(ReadError::Store)?;
        let proof = borsh::to_vec(&proof).map_err(|e| ReadError::Store(e.to_string()))?;
        self.reads.push(StateRead {
            key: to_hex(key),
            value: value.as_deref().map(to_hex),
            proof: to_hex(&proof),
        });
        Ok(value)
    }
}

/// The client's source: values whose proofs held against one state root.
#[derive(Clone, Debug, Default)]
pub struct Verified {
    values: HashMap<Vec<u8>, Option<Vec<u8>>>,
}

fn unhex(what: &str, text: &str) -> Result<Vec<u8>, ReadError> {
    hex::decode(text.strip_prefix("0x").unwrap_or(text))
        .map_err(|e| ReadError::Malformed(format!("{what} {text:?} is not hex: {e}")))
}

impl Verified {
    /// Checks every read of `reads` against `root` (the state root of the header at `reads.height`, which the
    /// caller got on its own).
    pub fn check(reads: &StateReads, root: Hash) -> Result<Self, ReadError> {
        if reads.reads.len() > MAX_READS {
            return Err(ReadError::TooManyReads);
        }
        if reads.state_root.trim_start_matches("0x") != root.to_string().trim_start_matches("0x") {
            return Err(ReadError::Malformed(format!(
                "the answer was read against state root {} but block {} has {root}",
                reads.state_root, reads.height
            )));
        }
        let mut values = HashMap::with_capacity(reads.reads.len());
        for read in &reads.reads {
            let key = unhex("key", &read.key)?;
            let value = read
                .value
                .as_deref()
                .map(|v| unhex("value", v))
                .transpose()?;
            let proof: StateProof = borsh::from_slice(&unhex("proof", &read.proof)?)
                .map_err(|e| ReadError::Malformed(format!("a proof does not decode: {e}")))?;
            verify_state_proof(root, &key, value.as_deref(), &proof).map_err(|e| {
                ReadError::BadProof {
                    key: hex::encode(&key),
                    root: root.to_string(),
                    reason: e.to_string(),
                }
            })?;
            values.insert(key, value);
        }
        Ok(Self { values })
    }
}

impl ReadSource for Verified {
    fn read(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
        self.values
            .get(key)
            .cloned()
            .ok_or_else(|| ReadError::Missing(hex::encode(key)))
    }
}
