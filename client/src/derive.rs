//! What a bundle's proven events show about its code: each hop's relation to the code and its subject, derived
//! only from the events whose proofs verified, never from what the bundle says.
//!
//! The derivation is the node's own trace (`yima_runtime::query::trace`, the function behind `trace_history`)
//! run over an index that holds only the proven events — the hops and the bundle's evidence — so a verifier
//! and a node apply the same rules:
//!
//! - **own**: the event names the code (in its EPCs, as aggregation parent or child, as transformation input or
//!   output);
//! - **container**: the event names a container the code was inside at that point: a proven aggregation ADD
//!   names the code (or an inner container) as a child of it before the event, and no proven aggregation DELETE
//!   of that container naming the code (or no children) comes between — at every level of nesting;
//! - **upstream**: the event is in the history (own or container, as above) of a code a proven transformation
//!   lists as an input of the code, or of such an input's inputs, recursively;
//! - **downstream**: the event names a code a proven aggregation packed into the code, or a proven
//!   transformation made from it, recursively.
//!
//! The bundle's hops must be exactly the events this derivation puts in the code's history, in chain order;
//! its evidence (events the derivation reads but the history does not list — the packing of an outer container
//! before the code entered it, an unpacking outside the code's window) must not be part of it. What this
//! cannot show is that no event is missing: that is [`crate::completeness`]'s job, which
//! [`crate::bundle::AuditBundle::verify`] runs over the code and the derived hops.

use parity_scale_codec::Encode;
use yima_codes::TraceCode;
use yima_consensus::proof::VerifiedEvent;
use yima_frame::event::RawEvent;
use yima_frame::Phase;
use yima_runtime::query::{self, EventRef, Hop, MemoryIndex, QueryError};
use yima_runtime::RuntimeEvent;

use crate::bundle::{Link, VerifyError};

/// Which list of the bundle a proven event came from (for naming it in errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    /// `hops[n]`, 0-based.
    Hop(usize),
    /// `evidence[n]`, 0-based.
    Evidence(usize),
}

impl Listed {
    /// The error naming this entry at `at`.
    pub fn fail(self, at: EventRef, link: Link, reason: String) -> VerifyError {
        match self {
            Listed::Hop(i) => VerifyError::Hop {
                hop: i + 1,
                block: at.block,
                index: at.index,
                link,
                reason,
            },
            Listed::Evidence(i) => VerifyError::Evidence {
                item: i + 1,
                block: at.block,
                index: at.index,
                link,
                reason,
            },
        }
    }
}

/// The codes an event names, canonical, for messages.
fn named_codes(hop: &VerifiedEvent) -> String {
    use yima_trace::epcis::EventBody;
    let RuntimeEvent::Trace(yima_trace::Event::Captured { event, .. }) = &hop.record.event else {
        return String::new();
    };
    let codes: Vec<String> = match &event.body {
        EventBody::Object { epcs, .. } | EventBody::Transaction { epcs, .. } => {
            epcs.iter().map(ToString::to_string).collect()
        }
        EventBody::Aggregation {
            parent, children, ..
        } => std::iter::once(parent)
            .chain(children)
            .map(ToString::to_string)
            .collect(),
        EventBody::Transformation { inputs, outputs } => inputs
            .iter()
            .chain(outputs)
            .map(ToString::to_string)
            .collect(),
    };
    codes.join(", ")
}

/// The hops of `code`'s history as the proven `hops` (in strict chain order) and `evidence` (in strict chain
/// order, none of them a hop) show it: one [`Hop`] per entry of `hops`, in the same order, with its relation,
/// subject, organisation and event decoded from the proven record. Fails naming the first entry that is not a
/// custody event, a hop the derivation does not put in the history, or evidence it does.
pub fn derive(
    code: &TraceCode,
    hops: &[VerifiedEvent],
    evidence: &[VerifiedEvent],
) -> Result<Vec<Hop>, VerifyError> {
    let listed: Vec<(Listed, &VerifiedEvent)> = {
        let mut all: Vec<(Listed, &VerifiedEvent)> = hops
            .iter()
            .enumerate()
            .map(|(i, v)| (Listed::Hop(i), v))
            .chain(
                evidence
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Listed::Evidence(i), v)),
            )
            .collect();
        all.sort_by_key(|(_, v)| v.at);
        all
    };
    for (which, v) in &listed {
        if !matches!(
            v.record.event,
            RuntimeEvent::Trace(yima_trace::Event::Captured { .. })
        ) {
            return Err(which.fail(
                v.at,
                Link::Code,
                "the proven event is not a custody event (Trace::Captured), so it cannot be part of a code's history".into(),
            ));
        }
    }

    // The index of the proven events only: each block's proven positions, the others left empty.
    let mut index = MemoryIndex::new();
    let mut rest = &listed[..];
    while let Some((_, first)) = rest.first() {
        let block = first.at.block;
        let n = rest.iter().take_while(|(_, v)| v.at.block == block).count();
        let (these, later) = rest.split_at(n);
        let last = these.last().map_or(0, |(_, v)| v.at.index) as usize;
        let mut raw = vec![
            RawEvent {
                phase: Phase::Initialization,
                event: Vec::new(),
            };
            last + 1
        ];
        for (_, v) in these {
            raw[v.at.index as usize] = RawEvent {
                phase: v.record.phase,
                event: v.record.event.encode(),
            };
        }
        index
            .ingest(block, &raw)
            .map_err(|e| VerifyError::Malformed(e.to_string()))?;
        rest = later;
    }

    let trace = match query::trace(&index, code) {
        Ok(t) => t,
        Err(QueryError::UnknownCode(_)) => {
            return Err(VerifyError::NotOfCode {
                code: code.to_string(),
            })
        }
        Err(e) => return Err(VerifyError::Malformed(e.to_string())),
    };
    let mut derived = trace.hops.into_iter().peekable();
    let mut out = Vec::with_capacity(hops.len());
    for (which, v) in &listed {
        let next_is_this = derived.peek().is_some_and(|h| h.at == v.at);
        match (which, next_is_this) {
            (Listed::Hop(_), true) => out.extend(derived.next()),
            (Listed::Hop(_), false) => {
                return Err(which.fail(
                    v.at,
                    Link::Code,
                    format!(
                        "the proven event names {} and no proven packing or transformation links it to {code}: it is not part of that code's history",
                        named_codes(v)
                    ),
                ))
            }
            (Listed::Evidence(_), true) => {
                let h = derived.next().expect("peeked");
                return Err(which.fail(
                    v.at,
                    Link::Code,
                    format!(
                        "the proven events make it part of {code}'s history ({} via {}): list it among the hops",
                        relation_name(h.relation),
                        h.subject
                    ),
                ));
            }
            (Listed::Evidence(_), false) => {}
        }
    }
    Ok(out)
}

/// `own`, `container`, `upstream` or `downstream`.
pub fn relation_name(r: query::Relation) -> &'static str {
    match r {
        query::Relation::Own => "own",
        query::Relation::Container => "container",
        query::Relation::Upstream => "upstream",
        query::Relation::Downstream => "downstream",
    }
}
