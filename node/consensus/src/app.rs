//! The application loop: answers every [`AppMsg`] the engine sends, talking to the node through [`Host`].
//!
//! | message | what the loop does |
//! |---|---|
//! | `ConsensusReady` | start at the host's latest committed height + 1, with that height's validator set |
//! | `StartedRound` | validate buffered streams for this height, reply at once with the stored undecided values |
//! | `GetValue` | re-propose what was stored for this (height, round), or build a block within the timeout, persist it, reply, stream its parts |
//! | `ReceivedProposalPart` | group by `(published_by, stream id)`; admit a stream only from a validator, after its signed `Init` names the round's proposer, within quotas (see `parts`); once complete execute the block once, persist it, reply `Valid`/`Invalid` |
//! | `ExtendVote` / `VerifyVoteExtensions` | no extensions on Yima: `None` / all `Ok` |
//! | `RestreamProposal` | publish the stored block again (own signature, or the original proposer's) |
//! | `GetHistoryMinHeight` | the host's lowest servable height |
//! | `Decided` | commit block + certificate through the host, then acknowledge |
//! | `Finalized` | `Next::Start(h + 1)` with the set named by the committed header (`Restart(h)` if the commit failed) |
//! | `GetDecidedValues` | the range clamped to what the host holds and to a batch limit |
//! | `ProcessSyncedValue` | decode, execute, persist: `Verdict`, or `PeerFault` for undecodable bytes, `LocalTransientError` for our own failures |
//!
//! Host calls run on tokio's blocking pool, so executing a block never stalls the runtime's workers; the loop
//! awaits them in order, which keeps its state simple. Malachite's connector actor forwards one message at a time
//! and waits for most replies anyway (all but `Decided` and `Finalized`), so off-loading replies to other tasks
//! would not buy concurrency; what matters is that execution stays well inside the round timeouts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use malachitebft_app_channel::app::consensus::MisbehaviorEvidence;
use malachitebft_app_channel::app::engine::host::{Next, SyncedValueOutcome};
use malachitebft_app_channel::app::streaming::StreamMessage;
use malachitebft_app_channel::app::types::sync::RawDecidedValue;
use malachitebft_app_channel::app::types::{LocallyProposedValue, PeerId, ProposedValue};
use malachitebft_app_channel::{AppMsg, Channels, NetworkMsg};
use malachitebft_core_types::{
    CommitCertificate, Context as _, ExtendedCommitCertificate, HeightParams, LinearTimeouts,
    Round, Validity, VoteExtensions,
};
use malachitebft_signing_ed25519::Signature;
use parity_scale_codec::Encode;
use tokio::sync::mpsc;
use tracing::{debug, error, info, warn};
use yima_frame::{BlockNumber, Hash};
use yima_runtime::transaction::decode_block;
use yima_runtime::{Block, Header};

use crate::certificate::{decode_certificate, encode_certificate};
use crate::clock::now_ms;
use crate::codec::{round_to_wire, sig_from_wire, sig_to_wire};
use crate::context::{Address, BlockHash, BlockValue, Height, ValidatorSet, YimaContext};
use crate::host::{Host, HostError, UndecidedBlock};
use crate::parts::{self, CompleteStream, Gate, PartStreams, StreamLimits};
use crate::signing::{verify_init, ConsensusSigner};

mod proposals;

/// How the loop behaves.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// Round timeouts, sent to consensus with every height.
    pub timeouts: LinearTimeouts,
    /// Minimum time a height lasts before the next starts (`HeightParams::target_time`); `None` = no minimum.
    pub target_block_time: Option<Duration>,
    /// When set, the next height starts only once the host reports pending work or this long after the
    /// previous decision, so an idle chain makes one empty block per interval instead of a storm of them.
    pub idle_block_interval: Option<Duration>,
    /// Bounds on buffered proposal streams (how far ahead, per-publisher quotas); `max_stream_bytes` is replaced
    /// by what the chain's block limit allows once the loop has read it.
    pub stream_limits: StreamLimits,
    /// Most decided blocks served in one sync response.
    pub max_sync_batch: u64,
    /// How far ahead of this node's clock a live proposal's timestamp may be before the node prevotes nil on
    /// it (a subjective check, like CometBFT's; blocks from value sync are already decided and not checked).
    pub max_future_drift: Duration,
    /// How this validator's own blocks lie (fault tests only: the field exists only with the `byzantine`
    /// cargo feature).
    #[cfg(feature = "byzantine")]
    pub block_lie: Option<crate::byzantine::BlockLie>,
}

/// How often a validator stuck in a round re-sends its latest votes (Malachite's default is 5 s).
///
/// Votes sent while a peer is unreachable are lost, and after a partition heals consensus goes on only once
/// each side has re-sent them. With 5 s a 4-validator network split 2/2 finalized again 11.8 s after the heal
/// (issue 14's goal is 10 s; `tests/tests/partition.rs`): the connections were back within a second, but each
/// side's rebroadcast came up to 5 s later, and one that fired just before the reconnection was lost. With 2 s the
/// cost is at most two votes a second per validator, and only while a round is stuck: a round that decides in
/// under 2 s never rebroadcasts.
pub const REBROADCAST_INTERVAL: Duration = Duration::from_secs(2);

/// Malachite's round timeouts with votes rebroadcast every [`REBROADCAST_INTERVAL`].
pub fn default_timeouts() -> LinearTimeouts {
    LinearTimeouts {
        rebroadcast: REBROADCAST_INTERVAL,
        ..LinearTimeouts::default()
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            timeouts: default_timeouts(),
            target_block_time: None,
            idle_block_interval: None,
            stream_limits: StreamLimits::default(),
            max_sync_batch: 20,
            max_future_drift: Duration::from_secs(15),
            #[cfg(feature = "byzantine")]
            block_lie: None,
        }
    }
}

/// A failure that stops the loop (the node must stop and an operator look).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The host failed where consensus cannot continue without it.
    #[error("{context}: {source}")]
    Host {
        /// What the loop was doing.
        context: String,
        /// The host's error.
        source: HostError,
    },
    /// The validator set for a height is unusable or does not match the committed header.
    #[error("validator set for height {height}: {reason}")]
    ValidatorSet {
        /// The height.
        height: BlockNumber,
        /// What is wrong.
        reason: String,
    },
}

/// The loop's state.
pub struct App<H: Host> {
    host: Arc<H>,
    genesis: Hash,
    signer: Option<ConsensusSigner>,
    address: Option<Address>,
    config: AppConfig,
    /// Proposal streams being received, and complete ones for heights above the next.
    streams: PartStreams,
    committed: BlockNumber,
    /// The current round of the next height (`Round::Nil` before its first).
    round: Round,
    committed_header: Option<Header>,
    validator_sets: BTreeMap<BlockNumber, ValidatorSet>,
    stream_nonce: u64,
    /// A failure of this node that consensus cannot go on without (the store refused a write), set where the
    /// failing call cannot return it; [`App::handle`] ends the loop with it.
    fatal: Option<AppError>,
}

impl<H: Host> App<H> {
    /// A loop for `host`; `signer` is `None` on a full node.
    pub fn new(host: Arc<H>, signer: Option<ConsensusSigner>, config: AppConfig) -> Self {
        let genesis = host.genesis_hash();
        let address = signer.as_ref().map(|s| Address::from(&s.public_key()));
        Self {
            host,
            genesis,
            signer,
            address,
            streams: PartStreams::new(config.stream_limits),
            config,
            committed: 0,
            round: Round::Nil,
            committed_header: None,
            validator_sets: BTreeMap::new(),
            stream_nonce: 0,
            fatal: None,
        }
    }

    /// Runs until the engine closes the channel or a fatal error.
    pub async fn run(mut self, mut channels: Channels<YimaContext>) -> Result<(), AppError> {
        while let Some(msg) = channels.consensus.recv().await {
            self.handle(msg, &channels.network).await?;
        }
        info!("consensus channel closed; application loop stops");
        Ok(())
    }

    /// Runs a host call on the blocking pool.
    async fn call<T, F>(&self, f: F) -> Result<T, HostError>
    where
        T: Send + 'static,
        F: FnOnce(&H) -> Result<T, HostError> + Send + 'static,
    {
        let host = self.host.clone();
        tokio::task::spawn_blocking(move || f(&host))
            .await
            .unwrap_or_else(|e| Err(HostError::Local(format!("host call panicked: {e}"))))
    }

    /// Handles one message.
    pub async fn handle(
        &mut self,
        msg: AppMsg<YimaContext>,
        network: &mpsc::Sender<NetworkMsg<YimaContext>>,
    ) -> Result<(), AppError> {
        match msg {
            AppMsg::ConsensusReady { reply } => {
                let (number, header) =
                    self.call(|h| h.latest())
                        .await
                        .map_err(|source| AppError::Host {
                            context: "reading the latest committed block".into(),
                            source,
                        })?;
                self.committed = number;
                self.committed_header = Some(header);
                self.read_block_limit().await;
                let start = Height(number + 1);
                let params = self.height_params(start).await?;
                info!(height = %start, "consensus ready; starting");
                let _ = reply.send((start, params));
            }

            AppMsg::StartedRound {
                height,
                round,
                proposer,
                role,
                reply_value,
            } => {
                debug!(%height, %round, %proposer, ?role, "started round");
                self.streams.prune_below(height);
                let mut values = Vec::new();
                if height.0 == self.committed + 1 {
                    self.round = round;
                    for stream in self.streams.take_ready(height) {
                        if let Some(v) = self.accept_stream(stream).await {
                            if v.round != round {
                                values.push(v);
                            }
                        }
                    }
                }
                match round.as_u32() {
                    Some(r) => match self.call(move |h| h.undecided(height.0, r)).await {
                        Ok(stored) => values.extend(stored.into_iter().map(to_proposed_value)),
                        Err(e) => error!(%height, %round, "reading undecided proposals: {e}"),
                    },
                    None => warn!(%height, "started a nil round"),
                }
                let _ = reply_value.send(values);
            }

            AppMsg::GetValue {
                height,
                round,
                timeout,
                reply,
            } => self.get_value(height, round, timeout, reply, network).await,

            AppMsg::ExtendVote { reply, .. } => {
                let _ = reply.send(None);
            }

            AppMsg::VerifyVoteExtensions {
                extensions, reply, ..
            } => {
                let _ = reply.send(extensions.into_iter().map(|(a, ())| (a, Ok(()))).collect());
            }

            AppMsg::RestreamProposal {
                height,
                round,
                valid_round,
                address,
                value_id,
            } => {
                self.restream(height, round, valid_round, address, value_id, network)
                    .await
            }

            AppMsg::GetHistoryMinHeight { reply } => {
                let min = match self.call(|h| h.history_min_height()).await {
                    Ok(min) => min.max(1),
                    Err(e) => {
                        error!("reading the lowest servable height: {e}");
                        self.committed + 1
                    }
                };
                let _ = reply.send(Height(min));
            }

            AppMsg::ReceivedProposalPart {
                from,
                published_by,
                part,
                reply,
            } => {
                let value = self.received_part(from, published_by, part).await;
                let _ = reply.send(value);
            }

            AppMsg::Decided {
                certificate, reply, ..
            } => {
                if self.decided(&certificate).await? {
                    let _ = reply.send(());
                }
            }

            AppMsg::Finalized {
                certificate,
                evidence,
                reply,
                ..
            } => {
                if !evidence.is_empty() {
                    self.record_evidence(certificate.height, &evidence).await;
                }
                let height = certificate.height;
                let next = if self.committed >= height.0 {
                    let next = Height(height.0 + 1);
                    Next::Start(next, self.height_params(next).await?)
                } else {
                    error!(%height, "the decided block was not committed; restarting the height (value sync will fetch it)");
                    Next::Restart(height, self.height_params(height).await?)
                };
                match (self.config.idle_block_interval, &next) {
                    (Some(interval), Next::Start(..)) => {
                        let host = self.host.clone();
                        tokio::spawn(async move {
                            let deadline = tokio::time::Instant::now() + interval;
                            while !host.has_pending_work() && tokio::time::Instant::now() < deadline
                            {
                                tokio::time::sleep(Duration::from_millis(20)).await;
                            }
                            let _ = reply.send(next);
                        });
                    }
                    _ => {
                        let _ = reply.send(next);
                    }
                }
            }

            AppMsg::GetDecidedValues { range, reply } => {
                let values = self.decided_values(*range.start(), *range.end()).await;
                let _ = reply.send(values);
            }

            AppMsg::ProcessSyncedValue {
                height,
                round,
                proposer,
                value_bytes,
                reply,
            } => {
                let outcome = self
                    .synced_value(height, round, proposer, &value_bytes)
                    .await;
                let _ = reply.send(outcome);
            }
        }
        match self.fatal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The parameters of `height`: its validator set (checked against the committed header for the next
    /// height), the timeouts and the target time.
    async fn height_params(
        &mut self,
        height: Height,
    ) -> Result<HeightParams<YimaContext>, AppError> {
        let vs = self
            .validator_set(height)
            .await
            .map_err(|source| AppError::Host {
                context: format!("reading the validator set for height {height}"),
                source,
            })?
            .map_err(|reason| AppError::ValidatorSet {
                height: height.0,
                reason,
            })?;
        Ok(HeightParams::new(
            vs,
            self.config.timeouts,
            self.config.target_block_time,
        ))
    }

    /// Bounds proposal streams by the chain's block limit in the latest state (kept as it was if unreadable).
    async fn read_block_limit(&mut self) {
        match self.call(|h| h.max_block_bytes()).await {
            Ok(max) => self
                .streams
                .set_max_stream_bytes(parts::max_stream_bytes(max)),
            Err(e) => warn!(
                "reading the chain's block limit; proposal streams keep the previous bound: {e}"
            ),
        }
    }

    /// The validator set deciding `height`, cached.
    async fn validator_set(
        &mut self,
        height: Height,
    ) -> Result<Result<ValidatorSet, String>, HostError> {
        if let Some(vs) = self.validator_sets.get(&height.0) {
            return Ok(Ok(vs.clone()));
        }
        let list = self.call(move |h| h.validators_for(height.0)).await?;
        let vs = match ValidatorSet::from_membership(&list) {
            Ok(vs) => vs,
            Err(e) => return Ok(Err(e.to_string())),
        };
        if height.0 == self.committed + 1 {
            if let Some(header) = &self.committed_header {
                if header.next_validators_hash != vs.hash() {
                    return Ok(Err(format!(
                        "the host's set hashes to {} but block {} names {} as the next set",
                        vs.hash(),
                        header.number,
                        header.next_validators_hash
                    )));
                }
            }
        }
        // Keep a few recent heights (rounds of the current one, a lagging sync) and nothing older.
        let keep_from = self.committed.saturating_sub(2);
        self.validator_sets = self.validator_sets.split_off(&keep_from);
        self.validator_sets.insert(height.0, vs.clone());
        Ok(Ok(vs))
    }

    /// Commits the decided block; `Ok(true)` once durable. `Ok(false)`: this node cannot commit it yet (it does not hold the block, or
    /// the height is not the next): consensus restarts the height and value sync fetches it. A block it holds
    /// but cannot write (a full or failing disk) is fatal: the loop stops naming the cause rather than retry
    /// the height forever; the store's atomic batch leaves nothing half-written, and a restart recovers.
    async fn decided(
        &mut self,
        certificate: &CommitCertificate<YimaContext>,
    ) -> Result<bool, AppError> {
        let height = certificate.height;
        let hash = certificate.value_id.0;
        if height.0 <= self.committed {
            // Already committed (e.g. decided again after a restart): fine if it is the same block.
            let same = self
                .call(move |h| h.decided(height.0..=height.0))
                .await
                .ok()
                .and_then(|v| v.into_iter().next())
                .is_some_and(|(b, _)| b.hash() == hash);
            if !same {
                error!(%height, %hash, "decided a block other than the one committed at this height");
            }
            return Ok(same);
        }
        if height.0 != self.committed + 1 {
            error!(%height, committed = self.committed, "decided a height that does not follow the committed one");
            return Ok(false);
        }
        let bytes = match encode_certificate(certificate) {
            Ok(b) => b,
            Err(e) => {
                error!(%height, "certificate: {e}");
                return Ok(false);
            }
        };
        let block = match self
            .call(move |h| h.undecided_by_hash(height.0, &hash))
            .await
        {
            Ok(Some(u)) => u.block,
            Ok(None) => {
                error!(%height, %hash, "decided a block this node does not hold");
                return Ok(false);
            }
            Err(e) => {
                error!(%height, %hash, "reading the decided block: {e}");
                return Ok(false);
            }
        };
        let header = block.header.clone();
        let txs = block.extrinsics.len();
        if let Err(source) = self.call(move |h| h.commit(&block, &bytes)).await {
            error!(%height, %hash, "committing the decided block failed: {source}; stopping");
            return Err(AppError::Host {
                context: format!("writing decided block {height} ({hash})"),
                source,
            });
        }
        // The node's one line per finalized block; consensus steps are at debug.
        let time = std::time::UNIX_EPOCH + Duration::from_millis(header.timestamp);
        info!(
            %height,
            %hash,
            txs,
            time = %humantime::format_rfc3339_millis(time),
            round = %certificate.round,
            signatures = certificate.commit_signatures.len(),
            "finalized block"
        );
        self.committed = height.0;
        self.committed_header = Some(header);
        self.round = Round::Nil;
        self.streams.prune_below(Height(height.0 + 1));
        self.read_block_limit().await;
        Ok(true)
    }

    /// Records that the store refused `what` (a full or failing disk): the loop stops after this message
    /// rather than go on without what consensus relies on being durable (see [`Host::store_undecided`]).
    /// An invalid-block answer is not the node's failure and is not recorded.
    fn store_failed(&mut self, what: String, source: HostError) {
        if matches!(source, HostError::Local(_)) && self.fatal.is_none() {
            self.fatal = Some(AppError::Host {
                context: what,
                source,
            });
        }
    }

    /// Hands the equivocations seen up to `height`'s finalization to the host. A failure to persist them is
    /// logged and does not stop consensus (the engine keeps no copy, but the chain must go on).
    async fn record_evidence(&self, height: Height, evidence: &MisbehaviorEvidence<YimaContext>) {
        let records = crate::evidence::from_misbehavior(evidence);
        for r in &records {
            warn!(
                %height,
                at = r.height,
                round = r.round,
                kind = r.kind.name(),
                validator = %r.validator,
                "equivocation: a validator signed two conflicting messages"
            );
        }
        if let Err(e) = self.call(move |h| h.record_evidence(&records)).await {
            error!(%height, "persisting equivocation evidence failed: {e}");
        }
    }

    async fn decided_values(
        &self,
        start: Height,
        end: Height,
    ) -> Vec<RawDecidedValue<YimaContext>> {
        let min = match self.call(|h| h.history_min_height()).await {
            Ok(m) => m.max(1),
            Err(e) => {
                error!("reading the lowest servable height: {e}");
                return Vec::new();
            }
        };
        let from = start.0.max(min);
        let to = end
            .0
            .min(self.committed)
            .min(from.saturating_add(self.config.max_sync_batch.max(1) - 1));
        if from > to {
            return Vec::new();
        }
        let blocks = match self.call(move |h| h.decided(from..=to)).await {
            Ok(b) => b,
            Err(e) => {
                error!(from, to, "reading decided blocks: {e}");
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(blocks.len());
        for (expected, (block, cert)) in (from..=to).zip(blocks) {
            if block.header.number != expected {
                break; // values must be consecutive from the start of the range
            }
            match decode_certificate(&cert) {
                Ok(c) => out.push(RawDecidedValue::new(
                    block.encode().into(),
                    ExtendedCommitCertificate::from_commit_certificate_and_extensions(
                        c,
                        VoteExtensions::default(),
                    ),
                )),
                Err(e) => {
                    error!(height = expected, "stored certificate unreadable: {e}");
                    break;
                }
            }
        }
        out
    }

    async fn synced_value(
        &mut self,
        height: Height,
        round: Round,
        proposer: Address,
        value_bytes: &[u8],
    ) -> SyncedValueOutcome<YimaContext> {
        let block = match decode_block(value_bytes) {
            Ok(b) => b,
            Err(e) => {
                warn!(%height, "synced value is not a block: {e}");
                return SyncedValueOutcome::PeerFault;
            }
        };
        if block.header.number != height.0 {
            warn!(%height, got = block.header.number, "synced block is for another height");
            return SyncedValueOutcome::PeerFault;
        }
        let Some(r) = round.as_u32() else {
            return SyncedValueOutcome::PeerFault;
        };
        if height.0 != self.committed + 1 {
            debug!(%height, committed = self.committed, "synced block does not follow the committed one yet");
            return SyncedValueOutcome::LocalTransientError;
        }
        let valid = match self.validity(height, block.clone()).await {
            Ok(v) => v,
            Err(e) => {
                error!(%height, "cannot validate a synced block: {e}");
                return SyncedValueOutcome::LocalTransientError;
            }
        };
        let undecided = UndecidedBlock {
            height: height.0,
            round: r,
            valid_round: None,
            proposer: proposer.0,
            block,
            valid,
            parts_signature: None,
        };
        let value = to_proposed_value(undecided.clone());
        if let Err(e) = self.call(move |h| h.store_undecided(&undecided)).await {
            error!(%height, "persisting a synced block failed: {e}");
            self.store_failed(format!("persisting synced block {height}"), e);
            return SyncedValueOutcome::LocalTransientError;
        }
        debug!(%height, hash = %value.value.hash(), valid, "synced block");
        SyncedValueOutcome::Verdict(value)
    }
}

fn to_proposed_value(u: UndecidedBlock) -> ProposedValue<YimaContext> {
    ProposedValue {
        height: Height(u.height),
        round: Round::new(u.round),
        valid_round: Round::from(u.valid_round),
        proposer: Address(u.proposer),
        value: BlockValue::new(u.block.header),
        validity: Validity::from_bool(u.valid),
    }
}
