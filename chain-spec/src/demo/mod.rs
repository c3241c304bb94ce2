//! The demo's histories: what a `demo` chain records in its first blocks so a fresh `yima-node --dev` shows
//! real traces at once.
//!
//! A history is a list of [`DemoStep`]s — a dev key name and the call it signs — and goes through the chain
//! like any enterprise's transactions: signed, pooled, executed, indexed and provable. Nothing is written into
//! genesis behind the runtime's back, so every hop of the demo has its event, its block and its proof.
//!
//! Each pallet's story lives in its own module; [`script`] strings them together in order. Event times are
//! fixed offsets from the preset genesis time, so the script is the same on every run; lots expire years later
//! so the demo still moves today. The equipment history is the exception: a maintenance record must be dated
//! before its block and still valid in it (at most 15 days), so [`script_at`] writes it at a given time.

use yima_frame::Hash;
use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};

use crate::dev_keys;

pub mod cold_chain;
pub mod drug;
pub mod equipment;
pub mod food;
pub mod people;
pub mod trace;
pub mod vaccine;

/// One transaction of a demo history: who signs what.
#[derive(Clone, Debug)]
pub struct DemoStep {
    /// The dev key name of the signer (see [`crate::presets::DEMO_ORGANISATIONS`]).
    pub signer: &'static str,
    /// The call.
    pub call: RuntimeCall,
}

impl DemoStep {
    /// `signer` signs `call`.
    pub fn new(signer: &'static str, call: RuntimeCall) -> Self {
        Self { signer, call }
    }
}

/// The regulator (`alice`) approves a product of a regulated category (vaccine, drug, imported cold-chain
/// food), citing the digest of `licence`, its licence or registration document — the step between registering
/// such a product and commissioning codes of it.
pub fn approval(product: yima_codes::ProductId, licence: &str) -> DemoStep {
    DemoStep::new(
        "alice",
        RuntimeCall::Trace(yima_trace::Call::ApproveProduct {
            product,
            licence: yima_frame::sha256(licence.as_bytes()),
        }),
    )
}

/// Every demo history, in the order they are recorded.
pub fn script() -> Vec<DemoStep> {
    let mut steps = trace::history();
    steps.extend(cold_chain::history());
    steps.extend(vaccine::history());
    steps.extend(food::history());
    steps.extend(drug::history());
    steps
}

/// Every demo history for blocks made around time `now` (ms; within two days after it): [`script`], then the
/// equipment history written at `now`.
pub fn script_at(now: yima_frame::Moment) -> Vec<DemoStep> {
    let mut steps = script();
    steps.extend(equipment::history(now));
    steps
}

/// [`script_at`] signed for a fresh `demo` chain with genesis `genesis_hash` whose blocks are made around `now`:
/// nonces count up per signer from zero, and each transaction is valid until block `valid_until`.
pub fn signed_script(
    genesis_hash: &Hash,
    valid_until: u64,
    now: yima_frame::Moment,
) -> Vec<SignedTransaction> {
    sign_steps(script_at(now), genesis_hash, valid_until)
}

/// `steps` signed for a fresh chain with genesis `genesis_hash`: nonces count up per signer from zero, and each
/// transaction is valid until block `valid_until`.
pub fn sign_steps(
    steps: Vec<DemoStep>,
    genesis_hash: &Hash,
    valid_until: u64,
) -> Vec<SignedTransaction> {
    let mut nonces = std::collections::BTreeMap::<&str, u64>::new();
    steps
        .into_iter()
        .map(|step| {
            let nonce = nonces.entry(step.signer).or_default();
            let tx = SignedTransaction::sign(
                &dev_keys::dev_key(step.signer),
                genesis_hash,
                SPEC_VERSION,
                *nonce,
                valid_until,
                step.call,
            );
            *nonce += 1;
            tx
        })
        .collect()
}

/// Runs `steps` in one block on a fresh `demo` chain and returns the block's events (what each history's test
/// checks).
#[cfg(test)]
pub(crate) fn run_on_fresh_demo_chain(steps: Vec<DemoStep>) -> Vec<yima_runtime::RuntimeEvent> {
    use yima_runtime::{ChainContext, Executive};
    let (genesis, state) = crate::presets::demo()
        .genesis_in_memory()
        .expect("the demo preset builds");
    let exec = Executive::new(ChainContext {
        genesis_hash: genesis.header.hash(),
        spec_version: SPEC_VERSION,
    });
    let txs = sign_steps(steps, &genesis.header.hash(), 10);
    let built = exec
        .build_block(
            state,
            &genesis.header,
            dev_keys::dev_account("alice"),
            crate::presets::PRESET_GENESIS_TIME + 1_000,
            txs,
            &|_| false,
        )
        .expect("the demo block builds");
    built
        .events
        .iter()
        .map(|e| {
            e.decode::<yima_runtime::RuntimeEvent>()
                .expect("the runtime decodes its own events")
                .event
        })
        .collect()
}

/// The refusals among `events`, in words.
#[cfg(test)]
pub(crate) fn refusals(events: &[yima_runtime::RuntimeEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            yima_runtime::RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => {
                Some(yima_runtime::describe_error(error))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_script_runs_on_a_fresh_demo_chain_without_a_refusal() {
        let steps = script_at(crate::presets::PRESET_GENESIS_TIME + 1_000);
        let count = steps.len();
        let events = run_on_fresh_demo_chain(steps);
        assert_eq!(refusals(&events), Vec::<String>::new());
        let successes = events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    yima_runtime::RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess)
                )
            })
            .count();
        assert_eq!(successes, count);
    }
}
