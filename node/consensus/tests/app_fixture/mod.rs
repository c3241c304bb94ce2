//! The application loop's test fixture, shared by `app_loop.rs` and `app_faults.rs`: alice's loop on the
//! `local` chain over a `MemoryHost`, a second replica that builds the other validators' blocks, and helpers
//! to stream, feed, certify, decide and finalize.

#![allow(dead_code, unused_imports)]

pub(crate) use std::time::Duration;

pub(crate) use crate::common::{sample_transaction, MemoryHost};
pub(crate) use bytes::Bytes;
pub(crate) use malachitebft_app_channel::app::consensus::MisbehaviorEvidence;
pub(crate) use malachitebft_app_channel::app::engine::host::{Next, SyncedValueOutcome};
pub(crate) use malachitebft_app_channel::app::streaming::{StreamContent, StreamMessage};
pub(crate) use malachitebft_app_channel::app::types::{PeerId, ProposedValue};
pub(crate) use malachitebft_app_channel::{AppMsg, NetworkMsg};
pub(crate) use malachitebft_core_types::{
    CommitCertificate, CommitSignature, Context as _, NilOrVal, Round, SignedMessage,
    ValidatorSet as _, Validity, Value as _, VoteExtensions,
};
pub(crate) use parity_scale_codec::Encode;
pub(crate) use tokio::sync::{mpsc, oneshot};
pub(crate) use yima_chain_spec::{dev_keys, presets};
pub(crate) use yima_consensus::context::{PartInit, ProposalPart};
pub(crate) use yima_consensus::evidence::{EquivocationKind, EvidenceError};
pub(crate) use yima_consensus::parts;
pub(crate) use yima_consensus::signing::{verify_init, ConsensusSigner};
pub(crate) use yima_consensus::{
    decode_certificate, encode_certificate, Address, App, AppConfig, BlockHash, Height, Host,
    ValidatorSet, YimaContext,
};
pub(crate) use yima_frame::Hash;
pub(crate) use yima_runtime::transaction::decode_block;
pub(crate) use yima_runtime::Block;

pub(crate) const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];

pub(crate) fn signer(name: &str, genesis: Hash) -> ConsensusSigner {
    ConsensusSigner::new(dev_keys::dev_key(name).to_bytes(), genesis)
}

/// The libp2p peer id of the dev validator `name`'s node.
pub(crate) fn peer(name: &str) -> PeerId {
    parts::peer_of(&signer(name, Hash::default()).public_key())
}

pub(crate) struct Fixture {
    pub(crate) host: std::sync::Arc<MemoryHost>,
    /// A second replica that builds the blocks other validators propose.
    pub(crate) builder: std::sync::Arc<MemoryHost>,
    pub(crate) app: App<MemoryHost>,
    pub(crate) net_tx: mpsc::Sender<NetworkMsg<YimaContext>>,
    pub(crate) net_rx: mpsc::Receiver<NetworkMsg<YimaContext>>,
    pub(crate) genesis: Hash,
    pub(crate) set: ValidatorSet,
}

impl Fixture {
    /// Alice's loop on the `local` chain.
    pub(crate) fn new() -> Self {
        let spec = presets::local();
        let host = MemoryHost::new(&spec);
        let builder = MemoryHost::new(&spec);
        let genesis = host.genesis();
        let app = App::new(
            host.clone(),
            Some(signer("alice", genesis)),
            AppConfig::default(),
        );
        let (net_tx, net_rx) = mpsc::channel(10_000);
        let set = ValidatorSet::from_membership(&host.validators(1)).unwrap();
        Self {
            host,
            builder,
            app,
            net_tx,
            net_rx,
            genesis,
            set,
        }
    }

    pub(crate) async fn send(&mut self, msg: AppMsg<YimaContext>) {
        self.app.handle(msg, &self.net_tx).await.unwrap();
    }

    /// The dev name proposing `(height, round)`.
    pub(crate) fn proposer(&self, height: u64, round: u32) -> &'static str {
        let who = YimaContext
            .select_proposer(&self.set, Height(height), Round::new(round))
            .address;
        NAMES
            .into_iter()
            .find(|n| Address(dev_keys::dev_account(n)) == who)
            .unwrap()
    }

    /// A round at `height` that `name` proposes.
    pub(crate) fn round_of(&self, name: &str, height: u64) -> u32 {
        (0..4).find(|r| self.proposer(height, *r) == name).unwrap()
    }

    pub(crate) fn build(&self, height: u64, round: u32) -> Block {
        let who = dev_keys::dev_account(self.proposer(height, round));
        self.builder
            .build_block(height, round, who, Duration::from_secs(1))
            .unwrap()
    }

    /// The stream `name` would publish for `block` at `(height, round)`.
    pub(crate) fn stream(
        &self,
        name: &str,
        height: u64,
        round: u32,
        block: &Block,
        nonce: u64,
    ) -> Vec<StreamMessage<ProposalPart>> {
        let bytes = block.encode();
        let signer = signer(name, self.genesis);
        let init = parts::signed_init(
            Height(height),
            Round::new(round),
            Round::Nil,
            Address(dev_keys::dev_account(name)),
            &bytes,
            |i| signer.sign_init(i),
        );
        parts::stream_messages(parts::stream_id(Height(height), round, nonce), init, &bytes)
    }

    /// Consensus is ready and block 1, proposed by its round-0 proposer, has arrived whole (one value back).
    pub(crate) async fn ready_with_block_1(&mut self) -> Block {
        let (reply, _rx) = oneshot::channel();
        self.send(AppMsg::ConsensusReady { reply }).await;
        let b1 = self.build(1, 0);
        let msgs = self.stream(self.proposer(1, 0), 1, 0, &b1, 1);
        assert_eq!(self.feed("bob", msgs).await.len(), 1);
        b1
    }

    /// Feeds a stream published by validator `from`'s node; returns the replies that carried a value.
    pub(crate) async fn feed(
        &mut self,
        from: &str,
        msgs: Vec<StreamMessage<ProposalPart>>,
    ) -> Vec<ProposedValue<YimaContext>> {
        let mut values = Vec::new();
        for part in msgs {
            let (reply, rx) = oneshot::channel();
            self.send(AppMsg::ReceivedProposalPart {
                from: peer(from),
                published_by: Some(peer(from)),
                part,
                reply,
            })
            .await;
            values.extend(rx.await.unwrap());
        }
        values
    }

    pub(crate) fn certificate(
        &self,
        height: u64,
        round: u32,
        block: &Block,
    ) -> CommitCertificate<YimaContext> {
        let id = BlockHash(block.hash());
        let sigs = ["bob", "charlie", "dave"]
            .iter()
            .map(|n| {
                let s = signer(n, self.genesis);
                let address = Address(dev_keys::dev_account(n));
                let vote = YimaContext.new_precommit(
                    Height(height),
                    Round::new(round),
                    NilOrVal::Val(id),
                    address,
                );
                CommitSignature::new(address, s.sign_vote_now(&vote))
            })
            .collect();
        CommitCertificate {
            height: Height(height),
            round: Round::new(round),
            value_id: id,
            commit_signatures: sigs,
        }
    }

    pub(crate) async fn decide(&mut self, cert: CommitCertificate<YimaContext>) -> Option<()> {
        let (reply, rx) = oneshot::channel();
        self.send(AppMsg::Decided {
            certificate: cert,
            extensions: VoteExtensions::default(),
            reply,
        })
        .await;
        rx.await.ok()
    }

    pub(crate) async fn finalize(
        &mut self,
        cert: CommitCertificate<YimaContext>,
    ) -> Next<YimaContext> {
        let none = MisbehaviorEvidence {
            proposals: Default::default(),
            votes: Default::default(),
        };
        self.finalize_with(cert, none).await
    }

    pub(crate) async fn finalize_with(
        &mut self,
        cert: CommitCertificate<YimaContext>,
        evidence: MisbehaviorEvidence<YimaContext>,
    ) -> Next<YimaContext> {
        let (reply, rx) = oneshot::channel();
        self.send(AppMsg::Finalized {
            certificate: cert,
            extensions: VoteExtensions::default(),
            evidence,
            reply,
        })
        .await;
        rx.await.unwrap()
    }

    /// Everything published on the network so far: each stream's `Init` and block bytes, in order.
    pub(crate) fn published(&mut self) -> Vec<(PartInit, Vec<u8>)> {
        let mut out: Vec<(Bytes, PartInit, Vec<u8>)> = Vec::new();
        while let Ok(NetworkMsg::PublishProposalPart(msg)) = self.net_rx.try_recv() {
            let id = msg.stream_id.to_bytes();
            match msg.content {
                StreamContent::Data(ProposalPart::Init(init)) => out.push((id, init, Vec::new())),
                StreamContent::Data(ProposalPart::Data(d)) => {
                    let (_, _, bytes) = out.iter_mut().find(|(i, ..)| *i == id).unwrap();
                    bytes.extend_from_slice(&d.bytes);
                }
                StreamContent::Data(ProposalPart::Fin(_)) => panic!("a Fin part is no longer sent"),
                StreamContent::Fin => {}
            }
        }
        out.into_iter().map(|(_, i, b)| (i, b)).collect()
    }
}
