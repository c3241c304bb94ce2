//! The proposal side of the application loop: building and streaming our own block when we propose,
//! re-streaming it on request, and reassembling, checking and executing (once) the streams of others.

use super::*;

impl<H: Host> App<H> {
    pub(super) async fn get_value(
        &mut self,
        height: Height,
        round: Round,
        timeout: Duration,
        reply: malachitebft_app_channel::Reply<LocallyProposedValue<YimaContext>>,
        network: &mpsc::Sender<NetworkMsg<YimaContext>>,
    ) {
        let (Some(signer), Some(me)) = (self.signer.clone(), self.address) else {
            error!(%height, %round, "asked to propose but this node has no validator key");
            return;
        };
        let Some(r) = round.as_u32() else {
            error!(%height, "asked to propose in a nil round");
            return;
        };
        let started = tokio::time::Instant::now();
        // After a restart, propose exactly what was proposed before (anything else would equivocate).
        let existing = match self.call(move |h| h.undecided(height.0, r)).await {
            Ok(stored) => stored.into_iter().find(|u| u.proposer == me.0),
            Err(e) => {
                error!(%height, %round, "reading undecided proposals: {e}");
                return;
            }
        };
        let block = match existing {
            Some(u) => {
                debug!(%height, %round, hash = %u.block.hash(), "re-proposing the block stored for this round");
                u.block
            }
            None => {
                // Leave room for persisting and replying inside the propose timeout.
                let budget = timeout / 2;
                let built = tokio::time::timeout(
                    timeout.mul_f32(0.8),
                    self.call(move |h| h.build_block(height.0, r, me.0, budget)),
                )
                .await;
                let block = match built {
                    Ok(Ok(block)) => block,
                    Ok(Err(e)) => {
                        error!(%height, %round, "building a block failed: {e}");
                        return;
                    }
                    Err(_) => {
                        error!(%height, %round, ?timeout, "building a block took longer than the propose timeout allows");
                        return;
                    }
                };
                if block.header.number != height.0 || block.header.proposer != me.0 {
                    error!(%height, %round, "the host built a block for another height or proposer");
                    return;
                }
                #[cfg(feature = "byzantine")]
                let block = match self.config.block_lie {
                    Some(lie) => {
                        warn!(%height, %round, ?lie, "proposing a lying block (fault-test build)");
                        lie.apply(block)
                    }
                    None => block,
                };
                let encoded = block.encode();
                let init = parts::signed_init(height, round, Round::Nil, me, &encoded, |i| {
                    signer.sign_init(i)
                });
                let undecided = UndecidedBlock {
                    height: height.0,
                    round: r,
                    valid_round: None,
                    proposer: me.0,
                    block: block.clone(),
                    valid: true,
                    parts_signature: Some(sig_to_wire(&init.signature)),
                };
                if let Err(e) = self.call(move |h| h.store_undecided(&undecided)).await {
                    error!(%height, %round, "persisting the proposal failed; not proposing: {e}");
                    self.store_failed(
                        format!("persisting our proposal for height {height} round {round}"),
                        e,
                    );
                    return;
                }
                block
            }
        };
        let value = BlockValue::new(block.header.clone());
        debug!(%height, %round, hash = %value.hash(), txs = block.extrinsics.len(), took = ?started.elapsed(), "proposing");
        let _ = reply.send(LocallyProposedValue::new(height, round, value));
        let claim = StreamClaim {
            height,
            round,
            valid_round: Round::Nil,
            proposer: me,
        };
        #[cfg(feature = "byzantine")]
        if self.config.block_lie == Some(crate::byzantine::BlockLie::WithholdParts) {
            return;
        }
        self.publish(claim, &block, None, network).await;
    }

    /// Streams `block` for `claim`, its `Init` signed with `signature` (another proposer's original) or, when
    /// `None`, by this node.
    pub(super) async fn publish(
        &mut self,
        claim: StreamClaim,
        block: &Block,
        signature: Option<Signature>,
        network: &mpsc::Sender<NetworkMsg<YimaContext>>,
    ) {
        let encoded = block.encode();
        let StreamClaim {
            height,
            round,
            valid_round,
            proposer,
        } = claim;
        let init = match (signature, &self.signer) {
            (Some(s), _) => {
                parts::signed_init(height, round, valid_round, proposer, &encoded, |_| s)
            }
            (None, Some(signer)) => {
                parts::signed_init(height, round, valid_round, proposer, &encoded, |i| {
                    signer.sign_init(i)
                })
            }
            (None, None) => return,
        };
        self.stream_nonce += 1;
        let id = parts::stream_id(
            init.height,
            init.round.as_u32().unwrap_or(0),
            self.stream_nonce,
        );
        for msg in parts::stream_messages(id, init, &encoded) {
            if network
                .send(NetworkMsg::PublishProposalPart(msg))
                .await
                .is_err()
            {
                warn!("network channel closed while publishing proposal parts");
                return;
            }
        }
    }

    pub(super) async fn restream(
        &mut self,
        height: Height,
        round: Round,
        valid_round: Round,
        address: Address,
        value_id: BlockHash,
        network: &mpsc::Sender<NetworkMsg<YimaContext>>,
    ) {
        let hash = value_id.0;
        let stored = match self
            .call(move |h| h.undecided_by_hash(height.0, &hash))
            .await
        {
            Ok(Some(u)) => u,
            Ok(None) => {
                warn!(%height, %round, %value_id, "asked to restream a block this node does not hold");
                return;
            }
            Err(e) => {
                error!(%height, %round, "reading the block to restream: {e}");
                return;
            }
        };
        let claim = StreamClaim {
            height,
            round,
            valid_round,
            proposer: address,
        };
        let signature = if Some(address) == self.address {
            None // sign afresh
        } else {
            // Someone else's proposal: only its original signature will do, and only for the same stream.
            let (r, vr) = (round.as_u32(), round_to_wire(valid_round));
            let original = match r {
                Some(r) => self
                    .call(move |h| h.undecided(height.0, r))
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .find(|u| {
                        u.block.hash() == hash && u.proposer == address.0 && u.valid_round == vr
                    })
                    .and_then(|u| u.parts_signature),
                None => None,
            };
            match original {
                Some(s) => Some(sig_from_wire(s)),
                None => {
                    debug!(%height, %round, %value_id, "no original signature to restream another proposer's block");
                    return;
                }
            }
        };
        debug!(%height, %round, %valid_round, %value_id, "restreaming proposal");
        self.publish(claim, &stored.block, signature, network).await;
    }

    /// Checks a part against the next height's validator set and round before anything is buffered (see
    /// `parts`); a complete stream for the next height is accepted, one for a later height kept for it.
    pub(super) async fn received_part(
        &mut self,
        from: PeerId,
        published_by: Option<PeerId>,
        part: StreamMessage<crate::context::ProposalPart>,
    ) -> Option<ProposedValue<YimaContext>> {
        let next = Height(self.committed + 1);
        let vs = match self.validator_set(next).await {
            Ok(Ok(vs)) => vs,
            Ok(Err(e)) => {
                error!(height = %next, "validator set: {e}");
                return None;
            }
            Err(e) => {
                error!(height = %next, "reading the validator set: {e}");
                return None;
            }
        };
        let gate = Gate {
            genesis: &self.genesis,
            next,
            round: self.round,
            validators: &vs,
        };
        let stream = match self.streams.insert(&gate, published_by, part) {
            Ok(Some(stream)) => stream,
            Ok(None) => return None,
            Err(e) if e.is_strike() => {
                // Strangers' parts are refused before any work; a warning each would let them flood the log.
                if matches!(e, parts::StreamError::NotAValidator(_)) {
                    debug!(%from, ?published_by, "refused a proposal part: {e}");
                } else {
                    warn!(%from, ?published_by, "refused a proposal part: {e}");
                }
                if let Some(publisher) = &published_by {
                    self.host.proposal_part_strike(publisher, &e.to_string());
                }
                return None;
            }
            Err(e) => {
                debug!(%from, ?published_by, "refused a proposal part: {e}");
                return None;
            }
        };
        self.accept_stream(stream).await
    }

    /// Checks a complete stream for the next height and turns it into a proposed value (persisted).
    pub(super) async fn accept_stream(
        &mut self,
        stream: CompleteStream,
    ) -> Option<ProposedValue<YimaContext>> {
        let init = stream.init.clone();
        let (height, round) = (init.height, init.round);
        let Some(r) = round.as_u32() else {
            warn!(%height, "proposal stream for a nil round");
            return None;
        };
        let vs = match self.validator_set(height).await {
            Ok(Ok(vs)) => vs,
            Ok(Err(e)) => {
                error!(%height, "validator set: {e}");
                return None;
            }
            Err(e) => {
                error!(%height, "reading the validator set: {e}");
                return None;
            }
        };
        let ctx = YimaContext;
        let proposer = ctx.select_proposer(&vs, height, round);
        if proposer.address != init.proposer {
            warn!(%height, %round, claimed = %init.proposer, expected = %proposer.address, "proposal stream from a validator that is not this round's proposer");
            return None;
        }
        if !verify_init(&self.genesis, &init, &proposer.public_key) {
            warn!(%height, %round, proposer = %init.proposer, "proposal stream with a bad signature");
            return None;
        }
        let block = match decode_block(&stream.block_bytes) {
            Ok(block) => block,
            Err(e) => {
                warn!(%height, %round, proposer = %init.proposer, "signed proposal stream does not hold a block: {e}");
                return None;
            }
        };
        // The block's header names who built it: this round's proposer, or for a re-proposal the proposer of
        // the round it was first proposed in.
        let builder = match init.valid_round.as_u32() {
            Some(_) => ctx.select_proposer(&vs, height, init.valid_round).address,
            None => init.proposer,
        };
        let latest_allowed =
            now_ms().saturating_add(self.config.max_future_drift.as_millis() as u64);
        let valid = if block.header.number != height.0 || block.header.proposer != builder.0 {
            warn!(%height, %round, "proposed block names another height or proposer");
            false
        } else if init.valid_round.is_nil() && block.header.timestamp > latest_allowed {
            warn!(%height, %round, timestamp = block.header.timestamp, "proposed block is timestamped too far in the future");
            false
        } else {
            match self.validity(height, block.clone()).await {
                Ok(valid) => valid,
                Err(e) => {
                    error!(%height, %round, "cannot validate the proposal: {e}");
                    return None;
                }
            }
        };
        let undecided = UndecidedBlock {
            height: height.0,
            round: r,
            valid_round: init.valid_round.as_u32(),
            proposer: init.proposer.0,
            block,
            valid,
            parts_signature: Some(sig_to_wire(&init.signature)),
        };
        let value = to_proposed_value(undecided.clone());
        if let Err(e) = self.call(move |h| h.store_undecided(&undecided)).await {
            error!(%height, %round, "persisting a received proposal failed: {e}");
            self.store_failed(
                format!("persisting a proposal for height {height} round {round}"),
                e,
            );
            return None;
        }
        debug!(%height, %round, hash = %value.value.hash(), valid, "received proposal");
        Some(value)
    }

    /// Whether `block` (for the next height) is valid, executing it only if this node has not already.
    pub(super) async fn validity(&self, height: Height, block: Block) -> Result<bool, HostError> {
        let hash = block.hash();
        if let Some(known) = self
            .call(move |h| h.undecided_by_hash(height.0, &hash))
            .await?
        {
            return Ok(known.valid);
        }
        match self.call(move |h| h.execute(&block)).await {
            Ok(()) => Ok(true),
            Err(HostError::InvalidBlock(e)) => {
                warn!(%height, %hash, "proposed block is invalid: {e}");
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }
}

/// What a stream proposes: the `Init` before its size, digest and signature.
pub(super) struct StreamClaim {
    height: Height,
    round: Round,
    valid_round: Round,
    proposer: Address,
}
