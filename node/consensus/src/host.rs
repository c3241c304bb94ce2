//! [`Host`]: what the consensus application loop needs from the rest of the node — committed chain, state
//! execution, block building from the pool, storage of undecided proposals and of decided blocks.
//!
//! The node implements it over RocksDB, the runtime's `Executive` and the transaction pool; the tests implement it
//! in memory. Every method is synchronous and may block: the loop calls them on tokio's blocking pool.
//!
//! Contract the loop relies on:
//! - **One execution per block.** [`Host::build_block`] and [`Host::execute`] keep the executed result (state
//!   update, events) cached by block hash; [`Host::commit`] writes that cached result and never re-executes;
//!   calling [`Host::execute`] again for a cached block is cheap and gives the same answer.
//! - **Durable before acknowledged.** [`Host::store_undecided`] and [`Host::commit`] return only once the data
//!   survives a crash, because the loop replies to consensus right after (a restart must re-propose the same
//!   block and hand back the same undecided values).
//! - **Commit is atomic**: block, certificate, state and indexes in one write; afterwards [`Host::latest`] names
//!   the new block and undecided proposals at or below its height may be dropped.

use std::ops::RangeInclusive;
use std::time::Duration;

use parity_scale_codec::{Decode, Encode};
use yima_frame::{AccountId, BlockNumber, Hash};
use yima_membership::Validator;
use yima_runtime::{Block, Header};

/// A failure reported by the host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// The block is invalid (execution refused it): the proposer's fault, not ours.
    #[error("invalid block: {0}")]
    InvalidBlock(String),
    /// The node itself failed (storage, a missing cache entry …): nothing is known about the block.
    #[error("node failure: {0}")]
    Local(String),
}

/// A proposal consensus has not decided yet, as the host persists it.
///
/// Kept per `(height, round, block hash)` so that after a restart `StartedRound` can hand it back, `GetValue`
/// re-proposes the same block, and `RestreamProposal` can publish it again with the original `Init` signature.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct UndecidedBlock {
    /// Height of the proposal.
    pub height: BlockNumber,
    /// Round of the proposal.
    pub round: u32,
    /// The round the value got a polka in, for a re-proposal.
    pub valid_round: Option<u32>,
    /// The round's proposer.
    pub proposer: AccountId,
    /// The block.
    pub block: Block,
    /// Whether executing it succeeded.
    pub valid: bool,
    /// The proposer's signature of the stream's `Init` (`signing::init_sign_bytes`; `None` for a block that came
    /// through value sync). Restreaming another proposer's block reuses it.
    pub parts_signature: Option<[u8; 64]>,
}

/// The node as the consensus loop sees it.
pub trait Host: Send + Sync + 'static {
    /// The chain's genesis hash (its identity; signed into every consensus message).
    fn genesis_hash(&self) -> Hash;

    /// The latest committed block's number and header (genesis: 0 and the genesis header).
    fn latest(&self) -> Result<(BlockNumber, Header), HostError>;

    /// The validators deciding `height`, in the runtime's order (sorted by key). For `latest + 1` this is the set
    /// the latest header's `next_validators_hash` names; the host must also answer for past heights it serves.
    fn validators_for(&self, height: BlockNumber) -> Result<Vec<Validator>, HostError>;

    /// Builds the block at `height` (= latest + 1) on the latest committed state for round `round`, proposed by
    /// `proposer`, from the pool, within about `budget`; keeps the executed result for [`Host::commit`].
    fn build_block(
        &self,
        height: BlockNumber,
        round: u32,
        proposer: AccountId,
        budget: Duration,
    ) -> Result<Block, HostError>;

    /// Executes `block` on the latest committed state and checks every root in its header, keeping the result.
    /// [`HostError::InvalidBlock`] when the block is invalid.
    fn execute(&self, block: &Block) -> Result<(), HostError>;

    /// Commits `block` (executed before) with its stored commit certificate, atomically and durably.
    fn commit(&self, block: &Block, certificate: &[u8]) -> Result<(), HostError>;

    /// Persists an undecided proposal (replacing one with the same height, round and block hash).
    fn store_undecided(&self, proposal: &UndecidedBlock) -> Result<(), HostError>;

    /// The undecided proposals stored for `(height, round)`.
    fn undecided(&self, height: BlockNumber, round: u32) -> Result<Vec<UndecidedBlock>, HostError>;

    /// An undecided proposal of block `hash` at `height`, any round.
    fn undecided_by_hash(
        &self,
        height: BlockNumber,
        hash: &Hash,
    ) -> Result<Option<UndecidedBlock>, HostError>;

    /// Committed blocks with their stored certificates for the heights in `range` that the host holds, in
    /// height order.
    fn decided(
        &self,
        range: RangeInclusive<BlockNumber>,
    ) -> Result<Vec<(Block, Vec<u8>)>, HostError>;

    /// The chain's `BlockLimits::max_block_bytes` in the latest committed state: the most transaction bytes a block
    /// may hold. The loop admits no proposal stream larger than such a block (`parts::max_stream_bytes`).
    fn max_block_bytes(&self) -> Result<u32, HostError>;

    /// The lowest height whose block and certificate the host can still serve (after pruning); 1 if nothing
    /// was pruned.
    fn history_min_height(&self) -> Result<BlockNumber, HostError>;

    /// Keeps equivocations the engine saw (two conflicting signed votes or proposals of one validator), durably
    /// and without duplicates: the same record given twice is kept once. Called when a height is finalized.
    fn record_evidence(&self, evidence: &[crate::evidence::Equivocation]) -> Result<(), HostError>;

    /// Whether the pool holds transactions for the next block. With an idle interval configured
    /// (`AppConfig::idle_block_interval`), the next height starts as soon as this is true. Must be cheap.
    fn has_pending_work(&self) -> bool {
        true
    }

    /// `publisher` sent a proposal stream only a faulty or hostile node sends (see `parts::StreamError::is_strike`).
    /// The node may count it against the peer (strike, disconnect). Must be cheap and must not block.
    fn proposal_part_strike(
        &self,
        publisher: &malachitebft_app_channel::app::types::PeerId,
        reason: &str,
    ) {
        let _ = (publisher, reason);
    }
}
