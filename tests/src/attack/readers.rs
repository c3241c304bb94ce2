//! The reader flood: [`AttackSize::readers`] concurrent callers on the RPC port, each asking in a loop for the
//! history of the attacker's pallet (every item's events) and the recall of its lot (every code of the lot with
//! its custodian) — the most expensive reads the public RPC offers. Today they run on the same blocking pool as
//! block execution.

use std::time::Instant;

use jsonrpsee::rpc_params;

use super::{attacker_lot, pallet, AttackOutcome, Attacker};

pub(super) async fn run(a: &mut Attacker, until: Instant) -> anyhow::Result<AttackOutcome> {
    let code = pallet().to_string();
    let lot = attacker_lot();
    let lot = format!("{}/{}", lot.product, lot.lot);
    let mut tasks = Vec::new();
    for r in 0..a.size.readers.max(1) {
        let rpc = a.targets[r % a.targets.len()].clone();
        let (code, lot) = (code.clone(), lot.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = AttackOutcome::default();
            let mut k = 0u64;
            while Instant::now() < until {
                k += 1;
                let answer = if (k + r as u64) % 2 == 0 {
                    rpc.call::<serde_json::Value>("trace_history", rpc_params![code.clone()])
                        .await
                } else {
                    rpc.call::<serde_json::Value>("trace_recall", rpc_params![lot.clone()])
                        .await
                };
                out.sent += 1;
                match answer {
                    Ok(_) => out.admitted += 1,
                    Err(e) => {
                        let text = e.to_string();
                        // The node answered with a JSON-RPC error (e.g. rate-limited): refused; anything else
                        // (connection refused, timeout) is a failed call.
                        if text.contains("ErrorObject") || text.contains("code") {
                            out.refusal(text);
                        } else {
                            out.error(text);
                        }
                    }
                }
            }
            out
        }));
    }
    let mut total = AttackOutcome::default();
    for t in tasks {
        let o = t.await?;
        total.sent += o.sent;
        total.admitted += o.admitted;
        total.refused += o.refused;
        total.rpc_errors += o.rpc_errors;
        if total.first_refusal.is_none() {
            total.first_refusal = o.first_refusal;
        }
        for (reason, n) in o.reasons {
            *total.reasons.entry(reason).or_default() += n;
        }
    }
    Ok(total)
}
