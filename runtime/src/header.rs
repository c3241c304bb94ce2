//! Block headers and blocks (DESIGN.md §2). A block's hash is SHA-256 of its SCALE-encoded header.

use parity_scale_codec::{Decode, Encode};
use yima_frame::{sha256, AccountId, BlockNumber, Hash, Moment};

use crate::transaction::SignedTransaction;

/// What consensus signs for and what every proof is anchored to.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Header {
    /// Hash of the parent header (zero for genesis).
    pub parent_hash: Hash,
    /// Height; genesis is 0.
    pub number: BlockNumber,
    /// Proposer's time, ms UTC; strictly increasing along the chain.
    pub timestamp: Moment,
    /// Consensus key of the validator that proposed the block (zero for genesis).
    pub proposer: AccountId,
    /// JMT root of the state after this block.
    pub state_root: Hash,
    /// Merkle root of the block's transactions.
    pub extrinsics_root: Hash,
    /// Merkle root of the block's event records.
    pub events_root: Hash,
    /// Hash of the validator set that decides this block.
    pub validators_hash: Hash,
    /// Hash of the validator set that decides the next block (differs after a validator-set change).
    pub next_validators_hash: Hash,
}

impl Header {
    /// The block hash: SHA-256 of the SCALE-encoded header.
    pub fn hash(&self) -> Hash {
        sha256(&self.encode())
    }
}

/// A header with its transactions.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Block {
    /// The header.
    pub header: Header,
    /// The transactions, in execution order.
    pub extrinsics: Vec<SignedTransaction>,
}

impl Block {
    /// The block hash.
    pub fn hash(&self) -> Hash {
        self.header.hash()
    }
}
