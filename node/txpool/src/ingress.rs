//! Ingress, step by step and mostly without the pool's lock: decoding under the chain's size limit, the state
//! checks in one pass, the signature batches with their cap per sender; the pool then admits what is left.

use super::*;

/// A decoded transaction on its way in: its place in the request, who sent it, and its hash.
pub(crate) struct Candidate {
    pub(crate) index: usize,
    /// Tells senders apart for [`PoolConfig::max_bad_signatures`].
    pub(crate) sender: usize,
    pub(crate) tx: SignedTransaction,
    pub(crate) hash: Hash,
    pub(crate) bytes: usize,
    /// The account's next nonce in the state checked against (set by the state checks).
    pub(crate) expected: u64,
    /// The signer's organisation (set by the state checks).
    pub(crate) org: OrgId,
}

/// One ingress call on its way through the steps: a verdict per transaction, or a candidate still standing.
pub(crate) struct Ingress {
    pub(crate) results: Vec<Option<Result<Hash, PoolError>>>,
    pub(crate) candidates: Vec<Candidate>,
    /// The state's version, the pool's height if newer.
    pub(crate) version: Option<BlockNumber>,
}

/// What ingress needs besides the pool's contents: the executive and the bad-signature cap (copied out so the
/// checks run without the pool's lock).
#[derive(Clone, Debug)]
pub(crate) struct Checker {
    pub(crate) executive: Executive,
    pub(crate) max_bad_signatures: usize,
    /// Test seam: called before each signature batch.
    #[cfg(test)]
    pub(crate) verify_hook: crate::tests::VerifyHook,
}

impl Ingress {
    /// Step 1: decodes `txs` under the chain's transaction size limit (read from `state`).
    pub(crate) fn decode(
        txs: Vec<Vec<u8>>,
        senders: &[usize],
        state: &Arc<dyn StateBackend>,
    ) -> Self {
        let limit = Externalities::new(state.clone())
            .execute_with(|| System::limits().max_transaction_bytes) as usize;
        let decoded = txs
            .iter()
            .map(|bytes| SignedTransaction::decode_checked(bytes, limit).map_err(PoolError::from))
            .collect();
        Self::new(decoded, senders, state)
    }

    /// Hashes the decoded transactions; decoding failures are their verdicts.
    pub(crate) fn new(
        txs: Vec<Result<SignedTransaction, PoolError>>,
        senders: &[usize],
        state: &Arc<dyn StateBackend>,
    ) -> Self {
        let mut results = vec![None; txs.len()];
        let mut candidates = Vec::with_capacity(txs.len());
        for (index, tx) in txs.into_iter().enumerate() {
            match tx {
                Ok(tx) => {
                    let encoded = tx.encode();
                    candidates.push(Candidate {
                        index,
                        sender: senders.get(index).copied().unwrap_or(0),
                        hash: sha256(&encoded),
                        bytes: encoded.len(),
                        tx,
                        expected: 0,
                        org: 0,
                    });
                }
                Err(e) => results[index] = Some(Err(e)),
            }
        }
        Self {
            results,
            candidates,
            version: state.version(),
        }
    }
}

impl Checker {
    /// Step 3, which reads no pool state: the state checks in one pass (each candidate's expected nonce and
    /// organisation are set; what fails is refused).
    pub(crate) fn check_state(&self, ingress: &mut Ingress, state: Arc<dyn StateBackend>) {
        let Ingress {
            results,
            candidates,
            ..
        } = ingress;
        if candidates.is_empty() {
            return;
        }

        // 3. State, one pass.
        let checks = {
            let refs: Vec<&SignedTransaction> = candidates.iter().map(|c| &c.tx).collect();
            self.executive.check_transactions(state.clone(), &refs)
        };
        let mut kept = Vec::with_capacity(candidates.len());
        let mut futures = Vec::new();
        for (mut c, check) in candidates.drain(..).zip(checks) {
            match check {
                Ok(signer) => {
                    c.expected = c.tx.nonce;
                    c.org = signer.org;
                }
                Err(InvalidTransaction::Future { expected, .. }) => {
                    c.expected = expected;
                    futures.push(kept.len());
                }
                Err(e) => {
                    results[c.index] = Some(Err(e.into()));
                    continue;
                }
            }
            kept.push(c);
        }
        // The state checks resolved every future's signer but report only its nonce: look its organisation up.
        if !futures.is_empty() {
            let orgs: Vec<Result<OrgId, InvalidTransaction>> = Externalities::new(state)
                .execute_with(|| {
                    futures
                        .iter()
                        .map(|&i| {
                            Membership::resolve_signer(&kept[i].tx.signer)
                                .map(|s| s.org)
                                .map_err(InvalidTransaction::Signer)
                        })
                        .collect()
                });
            let mut refused = HashSet::new();
            for (&i, org) in futures.iter().zip(orgs) {
                match org {
                    Ok(org) => kept[i].org = org,
                    Err(e) => {
                        results[kept[i].index] = Some(Err(e.into()));
                        refused.insert(i);
                    }
                }
            }
            if !refused.is_empty() {
                let mut position = 0;
                kept.retain(|_| {
                    position += 1;
                    !refused.contains(&(position - 1))
                });
            }
        }

        *candidates = kept;
    }

    /// Step 4, which reads no pool state: the signatures in one batch, capped per sender.
    pub(crate) fn check_signatures(&self, ingress: &mut Ingress) {
        let Ingress {
            results,
            candidates,
            ..
        } = ingress;
        if candidates.is_empty() {
            return;
        }
        let kept = std::mem::take(candidates);
        let verdicts = {
            let refs: Vec<&SignedTransaction> = kept.iter().map(|c| &c.tx).collect();
            let senders: Vec<usize> = kept.iter().map(|c| c.sender).collect();
            #[cfg(test)]
            let before_batch = || self.verify_hook.call();
            #[cfg(not(test))]
            let before_batch = || {};
            signatures::verify(
                &refs,
                &senders,
                self.max_bad_signatures,
                self.executive.context(),
                &before_batch,
            )
        };
        for (c, verdict) in kept.into_iter().zip(verdicts) {
            match verdict {
                SignatureVerdict::Good => candidates.push(c),
                SignatureVerdict::Bad => {
                    results[c.index] = Some(Err(InvalidTransaction::BadSignature.into()))
                }
                SignatureVerdict::Unchecked => {
                    results[c.index] = Some(Err(PoolError::Unverified {
                        limit: self.max_bad_signatures,
                    }))
                }
            }
        }
    }
}
