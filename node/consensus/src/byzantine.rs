//! A lying validator for fault tests (cargo feature `byzantine` only: a build without it has no way to turn this
//! on). Malachite's `ByzantineNetworkProxy` sits between the node's consensus and its network and, as its
//! [`ByzantineConfig`] says, equivocates (a second, conflicting vote or proposal signed with the validator's own
//! key), drops outgoing votes or proposals, or precommits nil. Honest nodes must keep one chain, keep
//! finalizing and keep the equivocations as evidence (`crate::evidence`).
//!
//! The conflicting values are ours to make: a proposal's conflicting value is the same header with a timestamp
//! one millisecond later (another block hash no one has the parts of), a vote's is the block hash with its last
//! byte flipped (nil stays nil's opposite: a block).

use malachitebft_app_channel::{
    ByzantineContext, Channels, EngineBuilder, EngineHandle, NetworkIdentity, RequestContext,
    SyncContext, WalContext,
};
pub use malachitebft_engine_byzantine::{ByzantineConfig, Trigger};
use yima_frame::Hash;

use crate::codec::YimaCodec;
use crate::context::{Address, BlockHash, BlockValue, YimaContext};
use crate::engine::{EngineConfig, StartError};
use crate::signing::ConsensusSigner;

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
