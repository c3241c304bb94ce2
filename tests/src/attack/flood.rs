//! The nonce flood: each attacker account sends valid transactions at every nonce of the pool's gap after its
//! chain nonce — but never the chain nonce itself — so none ever becomes ready. Without ageing or eviction
//! [`AttackSize::accounts`] × [`AttackSize::gap_nonces`] of them fill every pool for good, and honest
//! transactions are refused as "pool full". Refused ones are sent again each round, to a node in turn, to keep
//! the pools full as room appears.

use std::time::{Duration, Instant};

use super::{attacker_item, commission_attacker, submit_recorded, AttackOutcome, Attacker};
use crate::testnet::{next_head, subscribe_finalized, tx_hex};
use crate::workload::{capture, Signer};

/// Transactions per `author_submitBatch`.
const BATCH: usize = 1_000;

pub(super) async fn run(a: &mut Attacker, until: Instant) -> anyhow::Result<AttackOutcome> {
    let mut out = AttackOutcome::default();
    let mut txs: Vec<(String, String)> = Vec::new();
    for (i, name) in super::attacker_names(&a.size).iter().enumerate() {
        let account = yima_chain_spec::dev_keys::dev_account(name);
        let nonce = a.targets[0].account_nonce(&account).await?;
        let mut signer = Signer::dev(name, nonce + 1);
        for k in 0..a.size.gap_nonces {
            let serial = 1_000_000 + i * 100_000 + k as usize;
            let tx = signer.sign(
                &a.genesis,
                capture(vec![commission_attacker(vec![attacker_item(serial)])]),
            );
            txs.push((tx_hex(&tx), tx.hash().to_string()));
        }
    }
    let ws = a.targets[0].ws().await?;
    let mut heads = subscribe_finalized(&ws).await?;
    let mut round = 0usize;
    let mut todo = txs;
    while Instant::now() < until && !todo.is_empty() {
        let target = &a.targets[round % a.targets.len()];
        round += 1;
        let mut refused = Vec::new();
        for chunk in todo.chunks(BATCH) {
            let before = out.admitted_hashes.len();
            let refused_before = out.refused + out.rpc_errors;
            submit_recorded(target, chunk, &mut out).await;
            let admitted: std::collections::HashSet<&String> =
                out.admitted_hashes[before..].iter().collect();
            if out.refused + out.rpc_errors > refused_before {
                refused.extend(chunk.iter().filter(|(_, h)| !admitted.contains(h)).cloned());
            }
        }
        todo = refused;
        let wait = until
            .saturating_duration_since(Instant::now())
            .min(Duration::from_secs(1));
        let _ = tokio::time::timeout(wait, next_head(&mut heads)).await;
    }
    // Hold the pools until the end, as an attacker would: nothing more to send.
    tokio::time::sleep_until(until.into()).await;
    Ok(out)
}
