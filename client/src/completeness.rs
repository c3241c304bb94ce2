//! A bundle's completeness proof: the history summaries the chain commits for its code and for every code its
//! history rests on (the containers it rode in, the transformation inputs it was made from, recursively), each
//! with its Jellyfish state proof against the `state_root` of the bundle's certified header, checked against the
//! bundle's proven events.
//!
//! Each entry of a bundle's `histories` is a code, its SCALE `CodeState` record (`Trace:Codes` ++ SCALE(code))
//! at the bundle's `height`, and the borsh state proof of that value. The header whose `state_root` the proofs are
//! checked against is the certified header of the newest proven event's block — so the bundle's `height` must be
//! that block — and it is certified like every other (commit certificate, validator set reached from genesis).
//! A verifier then recomputes every summary from the proven events (hops and evidence) that name the code
//! ([`yima_trace::history::check_chain`]: a hop missing or added changes the count, any other change the head)
//! and checks that the hops shown are exactly those the committed chains give
//! ([`yima_trace::history::check_history`]: own, container and upstream hops; downstream hops are shown but
//! their completeness is not checked).

use std::collections::BTreeMap;

use parity_scale_codec::DecodeAll;
use serde::{Deserialize, Serialize};
use yima_codes::TraceCode;
use yima_consensus::proof::VerifiedEvent;
use yima_frame::state::{verify_state_proof, StateProof};
use yima_frame::storage::StorageMap;
use yima_frame::Hash;
use yima_runtime::query::{self, EventRef, Hop};
use yima_runtime::RuntimeEvent;
use yima_trace::history::{
    check_chain, check_history, Chain, CheckedHistory, HistoryError, Position, ProvenHop,
};
use yima_trace::types::CodeState;

use crate::bundle::{Link, VerifyError};
use crate::derive::Listed;

/// One code's committed history summary in a bundle, proven at the bundle's height.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleHistory {
    /// The code (canonical form).
    pub code: String,
    /// Its SCALE `CodeState` at the bundle's height, hex (`0x` optional): the value the proof shows.
    pub record: String,
    /// The borsh Jellyfish proof of `record` under the key `Trace:Codes` ++ SCALE(code), hex.
    pub proof: String,
}

/// What the completeness check established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completeness {
    /// The block at the end of which the histories are proven complete (the bundle's height).
    pub height: u64,
    /// Each code whose committed history was checked, with the number of events the chain commits for it.
    pub codes: BTreeMap<TraceCode, u32>,
    /// Downstream hops shown whose completeness is not checked.
    pub downstream: usize,
}

fn history_fail(item: usize, code: &str, link: Link, reason: String) -> VerifyError {
    VerifyError::History {
        item: item + 1,
        code: code.to_owned(),
        link,
        reason,
    }
}

fn decode_hex(text: &str) -> Result<Vec<u8>, hex::FromHexError> {
    hex::decode(text.strip_prefix("0x").unwrap_or(text))
}

/// The summaries of `histories`, each proven against `state_root`, by code.
fn proven_summaries(
    histories: &[BundleHistory],
    state_root: Hash,
    height: u64,
) -> Result<BTreeMap<TraceCode, Chain>, VerifyError> {
    let mut chains = BTreeMap::new();
    for (i, h) in histories.iter().enumerate() {
        let fail = |link: Link, reason: String| history_fail(i, &h.code, link, reason);
        let code = TraceCode::parse(&h.code)
            .map_err(|e| fail(Link::Field, format!("`code` is not a trace code: {e}")))?;
        if code.to_string() != h.code {
            return Err(fail(
                Link::Field,
                format!("`code` is not in canonical form ({code})"),
            ));
        }
        let record = decode_hex(&h.record)
            .map_err(|e| fail(Link::Bundle, format!("`record` is not hex: {e}")))?;
        let proof_bytes = decode_hex(&h.proof)
            .map_err(|e| fail(Link::Bundle, format!("`proof` is not hex: {e}")))?;
        let proof: StateProof = borsh::from_slice(&proof_bytes).map_err(|e| {
            fail(
                Link::StateProof,
                format!("the state proof does not decode: {e}"),
            )
        })?;
        if borsh::to_vec(&proof).ok().as_deref() != Some(&proof_bytes[..]) {
            return Err(fail(
                Link::StateProof,
                "the state proof is not in its canonical encoding: it decodes, but re-encoding it gives other bytes; it was altered".into(),
            ));
        }
        let key = yima_trace::Codes::storage_key(&code);
        verify_state_proof(state_root, &key, Some(&record), &proof).map_err(|e| {
            fail(
                Link::StateProof,
                format!("the record of {code} is not the one in state at block {height} (state root {state_root}): {e}"),
            )
        })?;
        let state = CodeState::decode_all(&mut &record[..]).map_err(|e| {
            fail(
                Link::StateProof,
                format!("the proven record does not decode as a code's record: {e}"),
            )
        })?;
        let chain = Chain {
            summary: state.history,
            hops: Vec::new(),
        };
        if chains.insert(code, chain).is_some() {
            return Err(fail(
                Link::Field,
                format!("{code} has a history entry already: each code once"),
            ));
        }
    }
    Ok(chains)
}

/// The custody events among `proven` (in chain order) that name `code`: the chain a verifier recomputes.
fn events_naming<'a>(
    code: &TraceCode,
    proven: &'a [VerifiedEvent],
) -> impl Iterator<Item = ProvenHop> + 'a {
    let code = *code;
    proven.iter().filter_map(move |v| match &v.record.event {
        RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. })
            if yima_trace::history::names(event, &code) =>
        {
            Some(ProvenHop {
                at: Position::new(v.at.block, v.at.index),
                org: *org,
                event: event.clone(),
            })
        }
        _ => None,
    })
}

/// The entry of the bundle at `at` (hop or evidence), if it is one.
fn listed_at(hops: &[EventRef], evidence: &[EventRef], at: Position) -> Option<Listed> {
    let at = EventRef::new(at.block, at.index);
    hops.iter()
        .position(|h| *h == at)
        .map(Listed::Hop)
        .or_else(|| evidence.iter().position(|e| *e == at).map(Listed::Evidence))
}

/// The committed chains of a bundle: each of its `histories` proven against `state_root` (the certified header's
/// at `height`) and recomputed from the proven events naming its code (`proven`: hops and evidence, in chain
/// order) — a hop missing or added changes the count, any other change the head. The first failure names the
/// history entry.
pub fn proven_chains(
    histories: &[BundleHistory],
    height: u64,
    state_root: Hash,
    proven: &[VerifiedEvent],
) -> Result<BTreeMap<TraceCode, Chain>, VerifyError> {
    let mut chains = proven_summaries(histories, state_root, height)?;
    for (c, chain) in chains.iter_mut() {
        chain.hops = events_naming(c, proven).collect();
        check_chain(c, chain).map_err(|e| {
            let reason = match &e {
                HistoryError::Missing { .. } => format!(
                    "{e} (the chain's count at block {height}): the bundle does not prove every event naming {c}; write a new bundle with `yima proof`"
                ),
                _ => format!("{e} (the chain's count and head at block {height})"),
            };
            history_fail(item_of(histories, c), &c.to_string(), Link::History, reason)
        })?;
    }
    Ok(chains)
}

fn item_of(histories: &[BundleHistory], code: &TraceCode) -> usize {
    let text = code.to_string();
    histories.iter().position(|h| h.code == text).unwrap_or(0)
}

/// Checks that the hops of `code`'s bundle, with their `derived` relations, are exactly those the proven
/// `chains` ([`proven_chains`]) give, that every code the history rests on has its chain there and no other
/// code does. `hops` and `evidence` are the bundle's entries (for naming them). The first failure names the hop,
/// evidence entry or history entry.
pub fn check_complete(
    code: &TraceCode,
    height: u64,
    histories: &[BundleHistory],
    chains: &BTreeMap<TraceCode, Chain>,
    (hops, evidence): (&[EventRef], &[EventRef]),
    derived: &[Hop],
) -> Result<Completeness, VerifyError> {
    let shown = query::complete::shown_hops(derived);
    let checked: CheckedHistory = check_history(code, chains, &shown).map_err(|e| match &e {
        HistoryError::NoChain { code: missing, .. } => VerifyError::Field {
            field: "histories",
            reason: format!(
                "{e}: the bundle does not carry the proven history of {missing}, on which the history of {code} rests; write a new bundle with `yima proof`"
            ),
        },
        HistoryError::NotShown { at, .. }
        | HistoryError::NotInHistory { at, .. }
        | HistoryError::Mislabelled { at, .. } => {
            let reason = format!("{e} (the histories committed at block {height})");
            match listed_at(hops, evidence, *at) {
                Some(which) => which.fail(EventRef::new(at.block, at.index), Link::History, reason),
                None => VerifyError::Field {
                    field: "hops",
                    reason: format!("event {} of block {}: {reason}", at.index, at.block),
                },
            }
        }
        other => VerifyError::Field {
            field: "histories",
            reason: other.to_string(),
        },
    })?;
    if let Some(extra) = chains.keys().find(|c| !checked.codes.contains(c)) {
        return Err(history_fail(
            item_of(histories, extra),
            &extra.to_string(),
            Link::Field,
            format!("the history of {code} does not rest on {extra}: a bundle carries only the histories it needs"),
        ));
    }
    Ok(Completeness {
        height,
        codes: chains
            .iter()
            .map(|(c, chain)| (*c, chain.summary.count))
            .collect(),
        downstream: checked.downstream,
    })
}
