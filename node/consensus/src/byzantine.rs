//! A lying validator for fault tests (cargo feature `byzantine` only: a build without it has no way to turn this
//! on). Malachite's `ByzantineNetworkProxy` sits between the node's consensus and its network and, as its
//! [`ByzantineConfig`] says, equivocates (a second, conflicting vote or proposal signed with the validator's own
//! key), drops outgoing votes or proposals, or precommits nil. Honest nodes must keep one chain, keep
//! finalizing and keep the equivocations as evidence (`crate::evidence`).
//!
//! Lies about the block itself are ours ([`BlockLie`], applied by the application loop to the blocks this
//! validator builds): a wrong state or events root, a timestamp a minute ahead, a stream whose parts are
//! withheld, a transaction whose signature does not verify, more transactions or more bytes than a block may hold.
//! Honest validators must refuse each (prevote nil) and go on without the liar's heights.
//!
//! The conflicting values are ours to make: a proposal's conflicting value is the same header with a timestamp
//! one millisecond later (another block hash no one has the parts of), a vote's is the block hash with its last
//! byte flipped (nil stays nil's opposite: a block).

use malachitebft_app_channel::{
    ByzantineContext, Channels, EngineBuilder, EngineHandle, NetworkIdentity, RequestContext,
    SyncContext, WalContext,
};
pub use malachitebft_engine_byzantine::{ByzantineConfig, Trigger};
use serde::Deserialize;
use yima_frame::Hash;
use yima_runtime::SignedTransaction;

use crate::codec::YimaCodec;
use crate::context::{Address, BlockHash, BlockValue, YimaContext};
use crate::engine::{EngineConfig, StartError};
use crate::signing::ConsensusSigner;

/// How a lying validator's own blocks lie (every block it builds while the lie is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockLie {
    /// The header's state root is not the state's.
    BadStateRoot,
    /// The header's events root is not the events'.
    BadEventsRoot,
    /// The header is timestamped a minute ahead of this node's clock.
    FutureTimestamp,
    /// The value is proposed but its parts are never streamed.
    WithholdParts,
    /// The block carries a transaction whose signature does not verify (the header's extrinsics root is the
    /// block's own, so only the signature is wrong).
    BadSignature,
    /// The block carries one transaction more than the default `max_transactions` allows (the header's
    /// extrinsics root is the block's own).
    TooManyTransactions,
    /// The block's transactions take more bytes than the default `max_block_bytes` allows, each of them under
    /// `max_transaction_bytes` (the header's extrinsics root is the block's own).
    TooManyBytes,
}

/// A product registration whose name is padded to `bytes`: a big transaction the block body can carry.
fn padded(
    signer: yima_frame::AccountId,
    nonce: u64,
    valid_until: u64,
    bytes: usize,
) -> SignedTransaction {
    let call = yima_runtime::RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product: yima_codes::ProductId::parse("8612345").expect("a valid NMPA product code"),
        name: vec![b'x'; bytes],
        category: yima_trace::types::Category::Drug,
        temperature: None,
        shelf_life_days: 365,
    });
    SignedTransaction {
        call,
        ..unsigned(signer, nonce, valid_until)
    }
}

/// A transaction signed by no one: a capture of nothing by `signer`, its signature bytes made up.
fn unsigned(signer: yima_frame::AccountId, nonce: u64, valid_until: u64) -> SignedTransaction {
    SignedTransaction {
        signer,
        nonce,
        valid_until,
        call: yima_runtime::RuntimeCall::Trace(yima_trace::Call::Capture { events: vec![] }),
        signature: [0x5a; 64],
    }
}

impl BlockLie {
    /// The block as the lie has it (for [`BlockLie::WithholdParts`], unchanged).
    pub fn apply(self, mut block: yima_runtime::Block) -> yima_runtime::Block {
        let h = &mut block.header;
        let (signer, until) = (h.proposer, h.number);
        match self {
            Self::BadStateRoot => h.state_root.0[0] ^= 0xff,
            Self::BadEventsRoot => h.events_root.0[0] ^= 0xff,
            Self::FutureTimestamp => h.timestamp = h.timestamp.saturating_add(60_000),
            Self::WithholdParts => {}
            Self::BadSignature => block.extrinsics.push(unsigned(signer, 0, until)),
            Self::TooManyTransactions => {
                let limit = yima_system::BlockLimits::default().max_transactions as usize;
                let missing = (limit + 1).saturating_sub(block.extrinsics.len());
                block
                    .extrinsics
                    .extend((0..missing as u64).map(|n| unsigned(signer, n, until)));
            }
            Self::TooManyBytes => {
                let limits = yima_system::BlockLimits::default();
                // Each transaction 4 KiB under the per-transaction bound; one more than the body can hold.
                let each = limits.max_transaction_bytes as usize - 4096;
                let count = limits.max_block_bytes as usize / each + 1;
                block
                    .extrinsics
                    .extend((0..count as u64).map(|n| padded(signer, n, until, each)));
            }
        }
        if matches!(
            self,
            Self::BadSignature | Self::TooManyTransactions | Self::TooManyBytes
        ) {
            block.header.extrinsics_root =
                yima_runtime::executive::extrinsics_root(&block.extrinsics);
        }
        block
    }
}

/// `--byzantine FILE`: Malachite's [`ByzantineConfig`] (its fields at the top level) and, under `"block"`, a
/// [`BlockLie`], e.g. `{"equivocate_votes": {"mode": "always"}}` or `{"block": "bad_state_root"}`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Lies {
    /// The engine's lies (votes and proposals), carried out by its Byzantine network proxy.
    #[serde(flatten)]
    pub engine: ByzantineConfig,
    /// The lie about this validator's own blocks.
    #[serde(default)]
    pub block: Option<BlockLie>,
}

/// Starts Malachite as `start_engine` does, with the network behind a Byzantine proxy configured by `byzantine`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn start_engine(
    config: EngineConfig,
    wal: WalContext<YimaCodec>,
    identity: NetworkIdentity,
    consensus: malachitebft_app_channel::ConsensusContext<YimaContext>,
    signer: ConsensusSigner,
    address: Address,
    byzantine: ByzantineConfig,
) -> Result<(Channels<YimaContext>, EngineHandle), StartError> {
    byzantine
        .validate()
        .map_err(|e| StartError::Engine(format!("Byzantine configuration: {e:#}")))?;
    EngineBuilder::new(YimaContext, config)
        .with_default_wal(wal)
        .with_byzantine_network(ByzantineContext {
            identity,
            codec: YimaCodec,
            config: byzantine,
            signer: Box::new(signer),
            address,
            conflicting_value_fn: Some(Box::new(|value: &BlockValue| {
                let mut header = value.header().clone();
                header.timestamp = header.timestamp.wrapping_add(1);
                BlockValue::new(header)
            })),
            conflicting_vote_value_fn: Some(Box::new(|id: Option<&BlockHash>| {
                let mut bytes = id.map(|h| h.0 .0).unwrap_or([0; 32]);
                bytes[31] ^= 1;
                BlockHash(Hash(bytes))
            })),
        })
        .await
        .map_err(|e| StartError::Engine(format!("{e:#}")))?
        .with_default_sync(SyncContext::new(YimaCodec))
        .with_default_consensus(consensus)
        .with_default_request(RequestContext::new(100))
        .build()
        .await
        .map_err(|e| StartError::Engine(format!("{e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lies_read_from_json_with_the_engines_fields_at_the_top() {
        let lies: Lies = serde_json::from_str(r#"{"block": "bad_state_root"}"#).expect("parses");
        assert_eq!(lies.block, Some(BlockLie::BadStateRoot));
        assert!(!lies.engine.is_active());

        let lies: Lies =
            serde_json::from_str(r#"{"equivocate_votes": {"mode": "always"}}"#).expect("parses");
        assert_eq!(lies.block, None);
        assert!(lies.engine.is_active());

        assert!(serde_json::from_str::<Lies>(r#"{"block": "polite"}"#).is_err());
    }

    #[test]
    fn each_header_lie_changes_the_block_hash() {
        let block = yima_runtime::Block {
            header: yima_runtime::Header {
                parent_hash: Hash([1; 32]),
                number: 3,
                timestamp: 1_000,
                proposer: yima_frame::AccountId([2; 32]),
                state_root: Hash([3; 32]),
                extrinsics_root: Hash([4; 32]),
                events_root: Hash([5; 32]),
                validators_hash: Hash([6; 32]),
                next_validators_hash: Hash([6; 32]),
            },
            extrinsics: Vec::new(),
        };
        for lie in [
            BlockLie::BadStateRoot,
            BlockLie::BadEventsRoot,
            BlockLie::FutureTimestamp,
        ] {
            assert_ne!(lie.apply(block.clone()).hash(), block.hash(), "{lie:?}");
        }
        assert_eq!(BlockLie::WithholdParts.apply(block.clone()), block);
        // The body lies keep the header's extrinsics root the body's own: only the lie itself is wrong.
        let signed = BlockLie::BadSignature.apply(block.clone());
        assert_eq!(signed.extrinsics.len(), 1);
        assert_eq!(
            signed.header.extrinsics_root,
            yima_runtime::executive::extrinsics_root(&signed.extrinsics)
        );
        let crowded = BlockLie::TooManyTransactions.apply(block.clone());
        assert_eq!(
            crowded.extrinsics.len(),
            yima_system::BlockLimits::default().max_transactions as usize + 1
        );
        assert_eq!(
            crowded.header.extrinsics_root,
            yima_runtime::executive::extrinsics_root(&crowded.extrinsics)
        );
        use parity_scale_codec::Encode;
        let limits = yima_system::BlockLimits::default();
        let heavy = BlockLie::TooManyBytes.apply(block.clone());
        let sizes: Vec<usize> = heavy.extrinsics.iter().map(|t| t.encoded_size()).collect();
        assert!(sizes
            .iter()
            .all(|&s| s <= limits.max_transaction_bytes as usize));
        assert!(sizes.iter().sum::<usize>() > limits.max_block_bytes as usize);
        assert_eq!(
            heavy.header.extrinsics_root,
            yima_runtime::executive::extrinsics_root(&heavy.extrinsics)
        );
    }
}
