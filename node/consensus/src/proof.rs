//! The auditor's proof of one event (DESIGN.md §3), and its complete offline verification — one type and one
//! function the node (`proof_event`), the client (`yima proof`, `yima verify`) and tests all use.
//!
//! An [`EventProof`] carries the SCALE [`EventRecord`], its Merkle path to the header's `events_root`
//! ([`yima_runtime::merkle`]), the header, the block's commit certificate and the validator set that signed it,
//! plus every validator-set change since genesis ([`EventProof::set_changes`]), each itself a certified header.
//! [`EventProof::verify`] needs only a [`TrustAnchor`] — the genesis hash and the genesis validator set's hash,
//! both from the chain spec — and checks, naming the first link that fails ([`EventProofError`]):
//!
//! ```text
//! record ─leaf hash + path─▶ events_root ∈ header ─SHA-256─▶ block hash ◀─ certificate: > 2/3 of the set's power
//!                                                                          set hashes to header.validators_hash
//! genesis set ─change 1 (certified by it)─▶ … ─change k─▶ the set the header names
//! ```
//!
//! Bundle encoding (stable; SCALE): the [`EventProof`] struct with [`EVENT_PROOF_VERSION`] first. Only the
//! canonical encoding is read: bytes that decode but are not byte for byte the re-encoding of what they decode
//! to are refused ([`EventProofError::NonCanonical`]), and so is a record that is not its event's canonical
//! encoding — so no two different proofs show the same thing.

use parity_scale_codec::{Decode, DecodeLimit, Encode};
use yima_frame::{BlockNumber, EventRecord, Hash, Moment};
use yima_membership::Validator;
use yima_runtime::merkle::{self, MerkleProof, ProofError};
use yima_runtime::query::EventRef;
use yima_runtime::{Header, RuntimeEvent};

use crate::batch::{batched, Signatures};
use crate::certificate::{verify_header_certificate_with, CertificateError, VerifiedCertificate};

/// Version of the bundle encoding.
pub const EVENT_PROOF_VERSION: u8 = 1;

/// A header with what shows it was decided: its commit certificate and the validator set that signed it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct CertifiedHeader {
    /// The header.
    pub header: Header,
    /// Its commit certificate, as stored ([`crate::certificate::encode_certificate`]).
    pub certificate: Vec<u8>,
    /// The set deciding it (hashes to `header.validators_hash`), in the runtime's order.
    pub validators: Vec<Validator>,
}

/// Everything an auditor needs to check one event offline.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct EventProof {
    /// [`EVENT_PROOF_VERSION`].
    pub version: u8,
    /// The SCALE `EventRecord<RuntimeEvent>`: a leaf of the block's `events_root`.
    pub record: Vec<u8>,
    /// Its path to `events_root`; `path.index` is the event's position in the block.
    pub path: MerkleProof,
    /// The block's header, certificate and validator set.
    pub block: CertifiedHeader,
    /// Every header up to the block (exclusive) whose `next_validators_hash` differs from its
    /// `validators_hash`, in chain order: the hand-overs from the genesis set to the set deciding the block.
    pub set_changes: Vec<CertifiedHeader>,
}

/// What the auditor trusts: the chain, and the set deciding block 1. Both come from the chain spec.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TrustAnchor {
    /// The genesis hash (every vote signs it).
    pub genesis_hash: Hash,
    /// The hash of the validator set that decides block 1.
    pub validators_hash: Hash,
}

impl TrustAnchor {
    /// The anchor of the chain whose genesis header is `genesis`.
    pub fn from_genesis(genesis: &Header) -> Self {
        Self {
            genesis_hash: genesis.hash(),
            validators_hash: genesis.next_validators_hash,
        }
    }
}

/// What a verified proof shows.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedEvent {
    /// Where the event is.
    pub at: EventRef,
    /// The hash of its block.
    pub block_hash: Hash,
    /// Its block's time (the certified header's), ms UTC.
    pub block_time: Moment,
    /// The event.
    pub record: EventRecord<RuntimeEvent>,
    /// The block's certificate, checked.
    pub certificate: VerifiedCertificate,
}

/// Why a proof does not hold. Each variant names the link that broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventProofError {
    /// A bundle of a format this build does not know.
    #[error("event proof format version {0} is unknown (this build reads version {EVENT_PROOF_VERSION}); upgrade the verifier")]
    UnknownVersion(u8),
    /// The bytes are not a proof bundle.
    #[error("not an event proof bundle: {0}")]
    MalformedBundle(String),
    /// The bytes decode, but are not the canonical encoding of what they decode to (or the record is not its
    /// event's canonical encoding).
    #[error("the proof is not in its canonical encoding: it decodes, but re-encoding it gives other bytes; it was altered")]
    NonCanonical,
    /// The record is not a runtime event record.
    #[error("the event record does not decode as a runtime event: {0}")]
    MalformedEvent(String),
    /// The record and path do not lead to the header's `events_root`.
    #[error("event is not in block {block}: {source}")]
    EventNotInBlock {
        /// The block the proof claims.
        block: BlockNumber,
        /// What failed.
        source: ProofError,
    },
    /// A header's certificate does not decide it (or the set given is not the header's).
    #[error("block {block} is not certified: {source}")]
    Certificate {
        /// The header checked.
        block: BlockNumber,
        /// What failed.
        source: CertificateError,
    },
    /// A set change is not above the previous one, or not below the proven block.
    #[error("validator-set change at block {number} is out of order (after block {after}, before block {before})")]
    SetChangeOutOfOrder {
        /// The change's block.
        number: BlockNumber,
        /// The previous change (or genesis).
        after: BlockNumber,
        /// The proven block.
        before: BlockNumber,
    },
    /// A header listed as a set change does not change the set.
    #[error("block {0} is listed as a validator-set change but its next set is its own")]
    NotASetChange(BlockNumber),
    /// A header is decided by a set the chain of hand-overs from genesis does not reach (a change is missing, or
    /// the set is not this chain's).
    #[error("block {block} names validator set {got} but the trusted set at that height is {trusted}: a validator-set change is missing from the proof, or the block is not from this chain")]
    UntrustedValidatorSet {
        /// The header.
        block: BlockNumber,
        /// The set the anchor and the changes lead to.
        trusted: Hash,
        /// The header's `validators_hash`.
        got: Hash,
    },
}

impl CertifiedHeader {
    /// Checks that this header is decided by the set `trusted` names.
    fn verify(
        &self,
        anchor: &TrustAnchor,
        trusted: Hash,
        signatures: &mut dyn Signatures,
    ) -> Result<VerifiedCertificate, EventProofError> {
        let block = self.header.number;
        if self.header.validators_hash != trusted {
            return Err(EventProofError::UntrustedValidatorSet {
                block,
                trusted,
                got: self.header.validators_hash,
            });
        }
        verify_header_certificate_with(
            &self.header,
            &self.certificate,
            &anchor.genesis_hash,
            &self.validators,
            signatures,
        )
        .map_err(|source| EventProofError::Certificate { block, source })
    }
}

impl EventProof {
    /// The proof of event `index` among a block's SCALE event `records` (all of them, in order); `None` when
    /// `index` is out of range.
    pub fn build(
        records: &[Vec<u8>],
        index: u32,
        block: CertifiedHeader,
        set_changes: Vec<CertifiedHeader>,
    ) -> Option<Self> {
        let leaves: Vec<[u8; 32]> = records.iter().map(|r| merkle::leaf_hash(r)).collect();
        let path = merkle::prove(&leaves, index as usize)?;
        Some(Self {
            version: EVENT_PROOF_VERSION,
            record: records[index as usize].clone(),
            path,
            block,
            set_changes,
        })
    }

    /// Where the event is.
    pub fn at(&self) -> EventRef {
        EventRef::new(self.block.header.number, self.path.index)
    }

    /// The bundle bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encode()
    }

    /// Reads bundle bytes (untrusted: never panics).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EventProofError> {
        match bytes.first() {
            None => return Err(EventProofError::MalformedBundle("empty".into())),
            Some(&v) if v != EVENT_PROOF_VERSION => return Err(EventProofError::UnknownVersion(v)),
            Some(_) => {}
        }
        let proof = Self::decode_all_with_depth_limit(64, &mut &bytes[..])
            .map_err(|e| EventProofError::MalformedBundle(e.to_string()))?;
        if proof.encode() != bytes {
            return Err(EventProofError::NonCanonical);
        }
        Ok(proof)
    }

    /// Checks the whole proof against `anchor` (see the module docs), offline.
    ///
    /// The certificates' signatures are checked in one batch; if anything fails, the proof is checked again
    /// signature by signature, so the error names the link that broke.
    pub fn verify(&self, anchor: &TrustAnchor) -> Result<VerifiedEvent, EventProofError> {
        batched(|signatures| self.verify_with(anchor, signatures))
    }

    /// [`EventProof::verify`] with its signature checks handed to `signatures`: with a
    /// [`crate::batch::SignatureBatch`] the proof holds only once the batch verifies.
    pub fn verify_with(
        &self,
        anchor: &TrustAnchor,
        signatures: &mut dyn Signatures,
    ) -> Result<VerifiedEvent, EventProofError> {
        if self.version != EVENT_PROOF_VERSION {
            return Err(EventProofError::UnknownVersion(self.version));
        }
        let header = &self.block.header;
        let record =
            EventRecord::<RuntimeEvent>::decode_all_with_depth_limit(64, &mut &self.record[..])
                .map_err(|e| EventProofError::MalformedEvent(e.to_string()))?;
        if record.encode() != self.record {
            return Err(EventProofError::NonCanonical);
        }
        merkle::verify(header.events_root, &self.record, &self.path).map_err(|source| {
            EventProofError::EventNotInBlock {
                block: header.number,
                source,
            }
        })?;

        let mut trusted = anchor.validators_hash;
        let mut after = 0;
        for change in &self.set_changes {
            let number = change.header.number;
            if number <= after || number >= header.number {
                return Err(EventProofError::SetChangeOutOfOrder {
                    number,
                    after,
                    before: header.number,
                });
            }
            if change.header.next_validators_hash == change.header.validators_hash {
                return Err(EventProofError::NotASetChange(number));
            }
            change.verify(anchor, trusted, signatures)?;
            trusted = change.header.next_validators_hash;
            after = number;
        }
        let certificate = self.block.verify(anchor, trusted, signatures)?;
        Ok(VerifiedEvent {
            at: self.at(),
            block_hash: header.hash(),
            block_time: header.timestamp,
            record,
            certificate,
        })
    }
}

/// Whether `header` hands over to another validator set (what [`EventProof::set_changes`] lists).
pub fn changes_validator_set(header: &Header) -> bool {
    header.next_validators_hash != header.validators_hash
}

#[cfg(test)]
mod tests;
