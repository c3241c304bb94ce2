//! Forged signatures: batches of [`AttackSize::forged_per_batch`] transactions of real member keys (the attacker
//! accounts) at their current nonces, each with a garbage signature, sent back to back to every node in turn.
//! Today the pool verifies a batch under its lock and, when the batch fails, halves it to find the culprits, so
//! block building and execution wait behind the forger.

use std::time::Instant;

use super::{attacker_item, commission_attacker, submit_recorded, AttackOutcome, Attacker};
use crate::testnet::tx_hex;
use crate::workload::{capture, Signer};

pub(super) async fn run(a: &mut Attacker, until: Instant) -> anyhow::Result<AttackOutcome> {
    let mut out = AttackOutcome::default();
    let names = super::attacker_names(&a.size);
    let mut nonces = Vec::new();
    for name in &names {
        let account = yima_chain_spec::dev_keys::dev_account(name);
        nonces.push(a.targets[0].account_nonce(&account).await?);
    }
    let mut serial = 2_000_000usize;
    let mut round = 0usize;
    while Instant::now() < until {
        let mut batch = Vec::with_capacity(a.size.forged_per_batch);
        for k in 0..a.size.forged_per_batch {
            let i = k % names.len();
            let mut signer = Signer::dev(&names[i], nonces[i]);
            serial += 1;
            let mut tx = signer.sign(
                &a.genesis,
                capture(vec![commission_attacker(vec![attacker_item(serial)])]),
            );
            tx.signature = [0xA5; 64];
            tx.signature[..8].copy_from_slice(&(serial as u64).to_le_bytes());
            batch.push((tx_hex(&tx), tx.hash().to_string()));
        }
        let target = &a.targets[round % a.targets.len()];
        round += 1;
        submit_recorded(target, &batch, &mut out).await;
    }
    Ok(out)
}
