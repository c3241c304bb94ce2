//! The application loop driven message by message, without the engine: every `AppMsg` variant, proposer and
//! signature checks on part streams, execution once per block, persistence before replies, clamping, and the
//! outcomes of value sync.

mod app_fixture;
mod common;

use app_fixture::*;

#[tokio::test]
async fn consensus_ready_starts_after_the_committed_block_with_its_next_set() {
    let mut f = Fixture::new();
    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let (height, params) = rx.await.unwrap();
    assert_eq!(height, Height(1));
    assert_eq!(params.validator_set.count(), 4);
    assert_eq!(
        params.validator_set.hash(),
        f.host.latest().unwrap().1.next_validators_hash
    );
    assert_eq!(params.target_time, None);
}

#[tokio::test]
async fn a_proposal_stream_is_checked_executed_once_and_persisted() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let proposer = f.proposer(1, 0);
    let block = f.build(1, 0);

    // Wrong proposer: a valid signature by someone whose turn it is not.
    let intruder = NAMES.into_iter().find(|n| *n != proposer).unwrap();
    let msgs = f.stream(intruder, 1, 0, &block, 1);
    assert!(f.feed("dave", msgs).await.is_empty());

    // Right proposer, tampered signature.
    let mut msgs = f.stream(proposer, 1, 0, &block, 2);
    if let StreamContent::Data(ProposalPart::Init(init)) = &mut msgs[0].content {
        let mut b = init.signature.to_bytes();
        b[3] ^= 1;
        init.signature = malachitebft_signing_ed25519::Signature::from_bytes(b);
    }
    assert!(f.feed("dave", msgs).await.is_empty());
    assert_eq!(f.host.executions(), 0, "nothing unverified is executed");

    // The real stream, delivered out of order: one value, valid, executed once, persisted.
    let mut msgs = f.stream(proposer, 1, 0, &block, 3);
    msgs.reverse();
    let values = f.feed("dave", msgs).await;
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].validity, Validity::Valid);
    assert_eq!(values[0].value.id(), BlockHash(block.hash()));
    assert_eq!(values[0].proposer, Address(dev_keys::dev_account(proposer)));
    assert_eq!(f.host.executions(), 1);
    assert_eq!(f.host.undecided(1, 0).unwrap().len(), 1);

    // The same block again (a restream, another stream id): answered without executing again.
    let msgs = f.stream(proposer, 1, 0, &block, 4);
    let again = f.feed("charlie", msgs).await;
    assert_eq!(again.len(), 1);
    assert_eq!(f.host.executions(), 1);

    // StartedRound hands the stored value back (what a restart relies on).
    let (reply_value, rx) = oneshot::channel();
    f.send(AppMsg::StartedRound {
        height: Height(1),
        round: Round::new(0),
        proposer: Address(dev_keys::dev_account(proposer)),
        role: malachitebft_app_channel::app::consensus::Role::Validator,
        reply_value,
    })
    .await;
    let stored = rx.await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].value.id(), BlockHash(block.hash()));
}

#[tokio::test]
async fn a_non_proposers_stream_is_refused_at_its_init_and_its_publisher_struck() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let proposer = f.proposer(1, 0);
    let block = f.build(1, 0);
    let intruder = NAMES
        .into_iter()
        .find(|n| *n != proposer && *n != "alice")
        .unwrap();
    let msgs = f.stream(intruder, 1, 0, &block, 1);
    assert!(f.feed(intruder, msgs).await.is_empty());
    assert_eq!(f.host.executions(), 0);
    let strikes = f.host.strikes();
    assert_eq!(
        strikes.len(),
        1,
        "one strike for the Init, the rest ignored"
    );
    assert_eq!(strikes[0].0, peer(intruder));
    assert!(
        strikes[0].1.contains("not that round's proposer"),
        "{}",
        strikes[0].1
    );

    // The real proposer's stream, published by the same peer (a restream), still gets through.
    let msgs = f.stream(proposer, 1, 0, &block, 2);
    assert_eq!(f.feed(intruder, msgs).await.len(), 1);
}

#[tokio::test]
async fn proposal_streams_are_bounded_by_the_chains_block_limit() {
    // A chain whose blocks hold at most 256 KiB of transactions.
    let mut spec = presets::local();
    spec.genesis.system.limits.max_block_bytes = 256 * 1024;
    spec.genesis.system.limits.max_transaction_bytes = 64 * 1024;
    let host = MemoryHost::new(&spec);
    let genesis = host.genesis();
    let mut app = App::new(
        host.clone(),
        Some(signer("alice", genesis)),
        AppConfig::default(),
    );
    let (net_tx, _net_rx) = mpsc::channel(16);
    let (reply, _rx) = oneshot::channel();
    app.handle(AppMsg::ConsensusReady { reply }, &net_tx)
        .await
        .unwrap();
    let set = ValidatorSet::from_membership(&host.validators(1)).unwrap();
    let who = YimaContext
        .select_proposer(&set, Height(1), Round::new(0))
        .address;
    let proposer = NAMES
        .into_iter()
        .find(|n| Address(dev_keys::dev_account(n)) == who)
        .unwrap();

    // A properly signed stream of 1 MiB by the round's proposer: refused at its Init, nothing executed.
    let junk = vec![0x11; 1024 * 1024];
    let s = signer(proposer, genesis);
    let init = parts::signed_init(Height(1), Round::new(0), Round::Nil, who, &junk, |i| {
        s.sign_init(i)
    });
    let msgs = parts::stream_messages(parts::stream_id(Height(1), 0, 1), init, &junk);
    for part in msgs {
        let (reply, rx) = oneshot::channel();
        app.handle(
            AppMsg::ReceivedProposalPart {
                from: peer(proposer),
                published_by: Some(peer(proposer)),
                part,
                reply,
            },
            &net_tx,
        )
        .await
        .unwrap();
        assert!(rx.await.unwrap().is_none());
    }
    let strikes = host.strikes();
    assert_eq!(strikes.len(), 1);
    assert!(strikes[0].1.contains("larger than"), "{}", strikes[0].1);
    assert_eq!(host.executions(), 0);
}

#[tokio::test]
async fn an_invalid_block_is_answered_invalid() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let proposer = f.proposer(1, 0);
    let mut block = f.build(1, 0);
    block.header.state_root = Hash([0xee; 32]);
    let msgs = f.stream(proposer, 1, 0, &block, 1);
    let values = f.feed("bob", msgs).await;
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].validity, Validity::Invalid);

    // Bytes that are not a block, properly signed: no value at all.
    let junk = vec![0xff; 100];
    let s = signer(proposer, f.genesis);
    let init = parts::signed_init(
        Height(1),
        Round::new(0),
        Round::Nil,
        Address(dev_keys::dev_account(proposer)),
        &junk,
        |i| s.sign_init(i),
    );
    let msgs = parts::stream_messages(parts::stream_id(Height(1), 0, 9), init, &junk);
    assert!(f.feed("bob", msgs).await.is_empty());
}

#[tokio::test]
async fn decided_commits_finalized_starts_the_next_height_and_buffered_streams_return() {
    let mut f = Fixture::new();
    let b1 = f.ready_with_block_1().await;

    // The builder replica commits block 1 and builds block 2, whose stream arrives before we commit 1.
    let cert1 = f.certificate(1, 0, &b1);
    f.builder
        .commit(&b1, &encode_certificate(&cert1).unwrap())
        .unwrap();
    let b2 = f.build(2, 0);
    let msgs = f.stream(f.proposer(2, 0), 2, 0, &b2, 1);
    assert!(
        f.feed("charlie", msgs).await.is_empty(),
        "a future height waits"
    );

    assert_eq!(f.decide(cert1.clone()).await, Some(()));
    assert_eq!(f.host.height(), 1);
    match f.finalize(cert1).await {
        Next::Start(h, params) => {
            assert_eq!(h, Height(2));
            assert_eq!(params.validator_set.count(), 4);
        }
        Next::Restart(..) => panic!("restart after a good commit"),
    }

    let (reply_value, rx) = oneshot::channel();
    f.send(AppMsg::StartedRound {
        height: Height(2),
        round: Round::new(1),
        proposer: Address(dev_keys::dev_account(f.proposer(2, 1))),
        role: malachitebft_app_channel::app::consensus::Role::Validator,
        reply_value,
    })
    .await;
    let values = rx.await.unwrap();
    assert_eq!(values.len(), 1, "the buffered round-0 proposal comes back");
    assert_eq!(values[0].value.id(), BlockHash(b2.hash()));
    assert_eq!(values[0].round, Round::new(0));
    assert_eq!(values[0].validity, Validity::Valid);

    // A decision for a block this node never saw cannot be committed: Decided is not acknowledged and
    // Finalized restarts the height.
    let ghost = f.certificate(2, 0, &b1);
    assert_eq!(f.decide(ghost.clone()).await, None);
    assert!(matches!(
        f.finalize(ghost).await,
        Next::Restart(Height(2), _)
    ));
}

#[tokio::test]
async fn get_value_persists_streams_and_reproposes_after_a_restart() {
    let mut f = Fixture::new();
    f.host.submit(sample_transaction(&f.genesis));
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let round = f.round_of("alice", 1);

    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::GetValue {
        height: Height(1),
        round: Round::new(round),
        timeout: Duration::from_secs(3),
        reply,
    })
    .await;
    let proposed = rx.await.unwrap();
    assert_eq!(proposed.height, Height(1));
    let stored = f.host.undecided(1, round).unwrap();
    assert_eq!(stored.len(), 1, "persisted before the reply");
    assert_eq!(stored[0].block.extrinsics.len(), 1);
    assert_eq!(BlockHash(stored[0].block.hash()), proposed.value.id());

    // The published stream is Alice's, signed, and holds the block.
    let streams = f.published();
    assert_eq!(streams.len(), 1);
    let alice = signer("alice", f.genesis).public_key();
    assert!(verify_init(&f.genesis, &streams[0].0, &alice));
    assert_eq!(decode_block(&streams[0].1).unwrap(), stored[0].block);

    // A new loop over the same host (a restart) proposes the very same block.
    let mut restarted = App::new(
        f.host.clone(),
        Some(signer("alice", f.genesis)),
        AppConfig::default(),
    );
    let (reply, _rx) = oneshot::channel();
    restarted
        .handle(AppMsg::ConsensusReady { reply }, &f.net_tx)
        .await
        .unwrap();
    let (reply, rx) = oneshot::channel();
    restarted
        .handle(
            AppMsg::GetValue {
                height: Height(1),
                round: Round::new(round),
                timeout: Duration::from_secs(3),
                reply,
            },
            &f.net_tx,
        )
        .await
        .unwrap();
    assert_eq!(rx.await.unwrap().value.id(), proposed.value.id());
    assert_eq!(f.host.executions(), 1, "built once, never rebuilt");

    // RestreamProposal publishes it again under a later round, re-signed by Alice.
    f.published();
    f.send(AppMsg::RestreamProposal {
        height: Height(1),
        round: Round::new(round + 4),
        valid_round: Round::new(round),
        address: Address(dev_keys::dev_account("alice")),
        value_id: proposed.value.id(),
    })
    .await;
    let streams = f.published();
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].0.valid_round, Round::new(round));
    assert!(verify_init(&f.genesis, &streams[0].0, &alice));
}

#[tokio::test]
async fn another_proposers_block_is_restreamed_with_its_original_signature() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let proposer = f.proposer(1, 0);
    let block = f.build(1, 0);
    let msgs = f.stream(proposer, 1, 0, &block, 1);
    assert_eq!(f.feed("bob", msgs).await.len(), 1);
    f.send(AppMsg::RestreamProposal {
        height: Height(1),
        round: Round::new(0),
        valid_round: Round::Nil,
        address: Address(dev_keys::dev_account(proposer)),
        value_id: BlockHash(block.hash()),
    })
    .await;
    let streams = f.published();
    assert_eq!(streams.len(), 1);
    let key = signer(proposer, f.genesis).public_key();
    assert!(verify_init(&f.genesis, &streams[0].0, &key));
}

#[tokio::test]
async fn vote_extensions_history_and_decided_values_are_answered() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;

    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::ExtendVote {
        height: Height(1),
        round: Round::new(0),
        value_id: BlockHash(Hash([1; 32])),
        vote_extension_policy: Default::default(),
        reply,
    })
    .await;
    assert_eq!(rx.await.unwrap(), None);

    let who: Vec<Address> = NAMES
        .iter()
        .map(|n| Address(dev_keys::dev_account(n)))
        .collect();
    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::VerifyVoteExtensions {
        height: Height(1),
        round: Round::new(0),
        value_id: BlockHash(Hash([1; 32])),
        extensions: who.iter().map(|a| (*a, ())).collect(),
        reply,
    })
    .await;
    let verdicts = rx.await.unwrap();
    assert_eq!(verdicts.len(), 4);
    assert!(verdicts
        .iter()
        .zip(&who)
        .all(|((a, r), w)| a == w && r.is_ok()));

    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::GetHistoryMinHeight { reply }).await;
    assert_eq!(rx.await.unwrap(), Height(1));

    // Nothing decided yet: an empty answer, whatever the range.
    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::GetDecidedValues {
        range: Height(0)..=Height(100),
        reply,
    })
    .await;
    assert!(rx.await.unwrap().is_empty());

    // Decide block 1; then a huge range is clamped to it.
    let block = f.build(1, 0);
    let msgs = f.stream(f.proposer(1, 0), 1, 0, &block, 1);
    f.feed("bob", msgs).await;
    let cert = f.certificate(1, 0, &block);
    f.decide(cert.clone()).await.unwrap();
    let (reply, rx) = oneshot::channel();
    f.send(AppMsg::GetDecidedValues {
        range: Height(0)..=Height(u64::MAX),
        reply,
    })
    .await;
    let values = rx.await.unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(decode_block(&values[0].value_bytes).unwrap(), block);
    assert_eq!(
        values[0].certificate.trim_vote_extensions().value_id,
        cert.value_id
    );
    let (stored, bytes) = f.host.block(1).unwrap();
    assert_eq!(stored, block);
    assert_eq!(decode_certificate(&bytes).unwrap(), cert);
}

#[tokio::test]
async fn synced_values_are_judged_and_faults_attributed() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let proposer = Address(dev_keys::dev_account(f.proposer(1, 0)));

    let sync = |bytes: Vec<u8>, height: u64| {
        let (reply, rx) = oneshot::channel();
        (
            AppMsg::ProcessSyncedValue {
                height: Height(height),
                round: Round::new(0),
                proposer,
                value_bytes: Bytes::from(bytes),
                reply,
            },
            rx,
        )
    };

    // Garbage: the peer's fault.
    let (msg, rx) = sync(vec![1, 2, 3], 1);
    f.send(msg).await;
    assert!(matches!(rx.await.unwrap(), SyncedValueOutcome::PeerFault));

    // A block for another height: the peer's fault.
    let block = f.build(1, 0);
    let (msg, rx) = sync(block.encode(), 2);
    f.send(msg).await;
    assert!(matches!(rx.await.unwrap(), SyncedValueOutcome::PeerFault));

    // A block that does not execute: a verdict of Invalid (the certificate says otherwise: version skew).
    let mut bad = block.clone();
    bad.header.events_root = Hash([7; 32]);
    let (msg, rx) = sync(bad.encode(), 1);
    f.send(msg).await;
    match rx.await.unwrap() {
        SyncedValueOutcome::Verdict(v) => assert_eq!(v.validity, Validity::Invalid),
        other => panic!("{other:?}"),
    }

    // The real block: Valid, stored so Decided can commit it.
    let (msg, rx) = sync(block.encode(), 1);
    f.send(msg).await;
    match rx.await.unwrap() {
        SyncedValueOutcome::Verdict(v) => {
            assert_eq!(v.validity, Validity::Valid);
            assert_eq!(v.value.id(), BlockHash(block.hash()));
        }
        other => panic!("{other:?}"),
    }
    let cert = f.certificate(1, 0, &block);
    assert_eq!(f.decide(cert).await, Some(()));

    // A block two heights ahead cannot be judged yet: our problem, not the peer's.
    let mut ahead = block.clone();
    ahead.header.number = 3;
    let (msg, rx) = sync(ahead.encode(), 3);
    f.send(msg).await;
    assert!(matches!(
        rx.await.unwrap(),
        SyncedValueOutcome::LocalTransientError
    ));
}
