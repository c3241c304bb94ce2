//! The observe bomb: each attacker account keeps transactions of [`AttackSize::events_per_bomb`] OBSERVE
//! aggregation events on its own pallet in the pools, at its chain nonce and the next one. The events are valid:
//! the attacker holds the pallet, and observing it needs only the Operator role. Without weights every capture
//! gate walks the pallet's contents once per event, so one transaction costs `events × items` state reads in
//! whoever builds or executes its block.
//!
//! A bomb the chain drops without including it (refused when its block is built) leaves the account's nonce
//! where it was; the attacker then sends a fresh bomb at that nonce, as a real one would.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};

use super::{pallet, submit_recorded, AttackOutcome, Attacker};
use crate::testnet::{next_head, subscribe_finalized, tx_hex};
use crate::workload::{capture, Signer};

/// Bombs in flight per account: the one at the chain's nonce and the one after.
const DEPTH: u64 = 2;
/// Rounds after which a bomb still not included is taken as dropped and replaced.
const RESEND_AFTER_ROUNDS: u64 = 3;

fn bomb(events: usize, variant: u64) -> Vec<EpcisEvent> {
    let at = yima_chain_spec::presets::PRESET_GENESIS_TIME + variant;
    (0..events.max(1))
        .map(|_| {
            EpcisEvent::new(
                EventBody::Aggregation {
                    action: Action::Observe,
                    parent: pallet(),
                    children: vec![],
                },
                at,
                480,
                BizStep::Other,
            )
        })
        .collect()
}

pub(super) async fn run(a: &mut Attacker, until: Instant) -> anyhow::Result<AttackOutcome> {
    let mut out = AttackOutcome::default();
    let ws = a.targets[0].ws().await?;
    let mut heads = subscribe_finalized(&ws).await?;
    // (account, nonce) → the round its current bomb was sent in.
    let mut sent: HashMap<(usize, u64), u64> = HashMap::new();
    let mut round = 0u64;
    while Instant::now() < until {
        round += 1;
        let mut batch = Vec::new();
        for (i, name) in super::attacker_names(&a.size).iter().enumerate() {
            let account = yima_chain_spec::dev_keys::dev_account(name);
            // Reading 40 nonces a block passes the node's rate limit on a fast chain: skip the account this
            // round, as a throttled attacker would.
            let nonce = match a.targets[0].account_nonce(&account).await {
                Ok(nonce) => nonce,
                Err(e) if super::is_rate_limited(&e) => {
                    out.error(e.to_string());
                    continue;
                }
                Err(e) => return Err(e),
            };
            for n in nonce..nonce + DEPTH {
                let stale = sent
                    .get(&(i, n))
                    .is_some_and(|r| round - r >= RESEND_AFTER_ROUNDS && n == nonce);
                if sent.contains_key(&(i, n)) && !stale {
                    continue;
                }
                let mut signer = Signer::dev(name, n);
                let tx = signer.sign(
                    &a.genesis,
                    capture(bomb(a.size.events_per_bomb, round * 1_000 + i as u64)),
                );
                sent.insert((i, n), round);
                batch.push((tx_hex(&tx), tx.hash().to_string()));
            }
        }
        let target = &a.targets[round as usize % a.targets.len()];
        if !batch.is_empty() {
            submit_recorded(target, &batch, &mut out).await;
        }
        // Next round at the next finalized block, or after a second if the chain is stalled.
        let wait = until
            .saturating_duration_since(Instant::now())
            .min(Duration::from_secs(1));
        let _ = tokio::time::timeout(wait, next_head(&mut heads)).await;
    }
    drop(a.signers.drain(..));
    Ok(out)
}
