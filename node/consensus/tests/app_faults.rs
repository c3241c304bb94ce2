//! The application loop when this node fails or a validator lies: a decided block or a proposal the disk
//! cannot take stops the loop naming the cause (no silent restart loop, no silent stall), and equivocations the
//! engine saw are kept by the host and verifiable by anyone (issue 14).

mod app_fixture;
mod common;

use app_fixture::*;

#[tokio::test]
async fn a_decided_block_the_disk_cannot_take_stops_the_loop_naming_the_cause() {
    let mut f = Fixture::new();
    let b1 = f.ready_with_block_1().await;
    f.host
        .fail_writes("IO error: No space left on device (os error 28)");

    let (reply, acked) = oneshot::channel();
    let err = f
        .app
        .handle(
            AppMsg::Decided {
                certificate: f.certificate(1, 0, &b1),
                extensions: VoteExtensions::default(),
                reply,
            },
            &f.net_tx,
        )
        .await
        .expect_err("a block that cannot be written is fatal, not retried forever");
    let text = err.to_string();
    assert!(text.contains("decided block 1"), "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    assert!(
        acked.await.is_err(),
        "consensus is not told the block was committed"
    );
    assert_eq!(f.host.height(), 0, "nothing was written");
}

#[tokio::test]
async fn a_proposal_the_disk_cannot_take_stops_the_loop_instead_of_a_silent_stall() {
    let mut f = Fixture::new();
    let (reply, _rx) = oneshot::channel();
    f.send(AppMsg::ConsensusReady { reply }).await;
    let b1 = f.build(1, 0);
    let msgs = f.stream(f.proposer(1, 0), 1, 0, &b1, 1);
    f.host
        .fail_writes("IO error: No space left on device (os error 28)");
    let mut outcome = Ok(());
    for part in msgs {
        let (reply, _rx) = oneshot::channel();
        let msg = AppMsg::ReceivedProposalPart {
            from: peer("bob"),
            published_by: Some(peer("bob")),
            part,
            reply,
        };
        outcome = f.app.handle(msg, &f.net_tx).await;
        if outcome.is_err() {
            break;
        }
    }
    let text = outcome
        .expect_err("a proposal that cannot be made durable stops the node")
        .to_string();
    assert!(
        text.contains("persisting a proposal for height 1"),
        "{text}"
    );
    assert!(text.contains("No space left on device"), "{text}");
}

#[tokio::test]
async fn equivocations_seen_by_finalization_are_kept_by_the_host_and_verifiable_by_anyone() {
    let mut f = Fixture::new();
    let b1 = f.ready_with_block_1().await;
    let cert1 = f.certificate(1, 0, &b1);
    assert_eq!(f.decide(cert1.clone()).await, Some(()));

    // Dave prevoted block 1 and nil in the same round: the engine reports both signed votes.
    let dave = signer("dave", f.genesis);
    let address = Address(dev_keys::dev_account("dave"));
    let signed = |value| {
        let vote = YimaContext.new_prevote(Height(1), Round::new(0), value, address);
        SignedMessage::new(vote.clone(), dave.sign_vote_now(&vote))
    };
    let mut evidence = MisbehaviorEvidence {
        proposals: Default::default(),
        votes: Default::default(),
    };
    evidence.votes.add(
        signed(NilOrVal::Val(BlockHash(b1.hash()))),
        signed(NilOrVal::Nil),
    );
    assert!(matches!(
        f.finalize_with(cert1, evidence).await,
        Next::Start(Height(2), _)
    ));

    let kept = f.host.evidence();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let e = &kept[0];
    assert_eq!(
        (e.height, e.round, e.kind, e.validator),
        (
            1,
            0,
            EquivocationKind::Prevote,
            dev_keys::dev_account("dave")
        )
    );
    assert_eq!(e.verify(&f.genesis), Ok(()));
    assert_eq!(
        e.verify(&Hash([9; 32])),
        Err(EvidenceError::BadSignature("first")),
        "signatures are bound to this chain's genesis"
    );
}
