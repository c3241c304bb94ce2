//! Trace (一码统管): a code's whole history rebuilt from the event index.

use std::sync::Arc;

use yima_codes::TraceCode;
use yima_frame::OrgId;
use yima_trace::epcis::{Action, EpcisEvent, EventBody};

use super::hash::FxHashSet;
use super::index::{Clearance, EventIndex, EventRef, IndexedEvent, Role};
use super::QueryError;

/// Most container levels a trace follows (the pallet refuses deeper nesting long before this); a guard against
/// an inconsistent index, not a rule.
pub const MAX_CONTAINER_LEVELS: u8 = 32;

/// How a hop's event relates to the traced code. Ordered from most to least direct: when one event reaches the
/// trace several ways, the most direct way is kept.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The event names the code itself.
    Own,
    /// The event names a container the code was packed in (at any level), while it was inside.
    Container,
    /// The event belongs to the history of a code upstream: a transformation input (recursively), or a
    /// container that input was in while it was inside.
    Upstream,
    /// The event names a code downstream: packed into the code (recursively) or made from it (transformation
    /// outputs, recursively).
    Downstream,
}

/// One hop of a trace: an event, where it is, and why it belongs to the trace.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Hop {
    /// Where the event is (what its inclusion proof names).
    pub at: EventRef,
    /// The organisation that captured it.
    pub org: OrgId,
    /// The code of the trace's graph the event concerns: the code itself, a container, an upstream or a
    /// downstream code.
    pub subject: TraceCode,
    /// How it relates to the traced code.
    pub relation: Relation,
    /// The event, shared with the index.
    pub event: Arc<IndexedEvent>,
}

impl Hop {
    /// The EPCIS event.
    pub fn epcis(&self) -> &EpcisEvent {
        &self.event.event
    }
}

/// A time a code spent inside a container, as far as the trace followed it.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct ContainerSpan {
    /// The packed code (the traced code, an upstream code, or a container of one of them).
    pub code: TraceCode,
    /// The container it was packed in.
    pub container: TraceCode,
    /// The aggregation event that packed it.
    pub packed: EventRef,
    /// The aggregation event that took it out (naming it or all children); `None` while it is still inside.
    pub unpacked: Option<EventRef>,
}

/// The history of one code (一码统管).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Trace {
    /// The traced code.
    pub code: TraceCode,
    /// Every hop, in chain order, each event once.
    pub hops: Vec<Hop>,
    /// Codes upstream (transformation inputs, recursively), sorted.
    pub upstream: Vec<TraceCode>,
    /// Codes downstream (contents and transformation outputs, recursively), sorted.
    pub downstream: Vec<TraceCode>,
    /// The container spans the trace followed (the code's and its upstream codes', at every level), in the
    /// order they began.
    pub containers: Vec<ContainerSpan>,
    /// Regulators' clearances of the code's excursion flag: of the code itself, and of each container while the
    /// code was inside it (at any level), in chain order.
    pub clearances: Vec<Clearance>,
}

/// Rebuilds the history of `code` from the index:
///
/// - **own**: every event naming the code;
/// - **containers**: while it was packed (from the aggregation ADD naming it as a child to the DELETE naming it,
///   or naming no children, of that parent), that container's events, and recursively the events of the
///   container's containers within the intersection of the spans;
/// - **upstream**: through transformations where it is an output, every input's own and container events,
///   recursively to the origin;
/// - **downstream**: the events of every code packed into it and of every transformation output made from it,
///   recursively.
///
/// Hops are in chain order and each event appears once, with its most direct [`Relation`] (ties: the
/// innermost container level, then the smallest subject code). Diamonds and cycles end (visited sets).
/// [`QueryError::UnknownCode`] when the index has nothing for `code`.
pub fn trace<I: EventIndex + ?Sized>(index: &I, code: &TraceCode) -> Result<Trace, QueryError> {
    let mut walk = Walk {
        index,
        cands: Vec::with_capacity(32),
        spans: Vec::new(),
    };
    let mut inputs = Vec::new();
    let mut contents = Vec::new();
    if !walk.history(code, Relation::Own, true, &mut inputs, Some(&mut contents))? {
        return Err(QueryError::UnknownCode(*code));
    }

    // Upstream: inputs, recursively (each traced as the code is, minus its own downstream).
    let mut upstream = Vec::new();
    if !inputs.is_empty() {
        let mut seen = FxHashSet::default();
        seen.insert(*code);
        let mut queue = inputs;
        let mut more = Vec::new();
        while let Some(input) = queue.pop() {
            if !seen.insert(input) {
                continue;
            }
            upstream.push(input);
            walk.history(&input, Relation::Upstream, true, &mut more, None)?;
            queue.append(&mut more);
        }
    }

    // Downstream: contents and outputs, recursively; their own events only.
    let mut downstream = Vec::new();
    if !contents.is_empty() {
        let mut seen = FxHashSet::default();
        seen.insert(*code);
        let mut queue = contents;
        let mut more = Vec::new();
        let mut none = Vec::new();
        while let Some(next) = queue.pop() {
            if !seen.insert(next) {
                continue;
            }
            downstream.push(next);
            walk.history(
                &next,
                Relation::Downstream,
                false,
                &mut none,
                Some(&mut more),
            )?;
            none.clear();
            queue.append(&mut more);
        }
    }

    upstream.sort_unstable();
    downstream.sort_unstable();
    let Walk {
        mut cands,
        mut spans,
        ..
    } = walk;
    cands.sort_unstable_by(|a, b| {
        (a.at, a.relation, a.level, &a.subject).cmp(&(b.at, b.relation, b.level, &b.subject))
    });
    cands.dedup_by(|later, first| later.at == first.at);
    spans.sort_unstable_by_key(|s| (s.packed, s.code, s.container, s.unpacked));
    spans.dedup();
    let clearances = clearances(index, code, &spans);
    let hops = cands
        .into_iter()
        .map(|c| Hop {
            at: c.at,
            org: c.event.org,
            subject: c.subject,
            relation: c.relation,
            event: c.event,
        })
        .collect();
    Ok(Trace {
        code: *code,
        hops,
        upstream,
        downstream,
        containers: spans,
        clearances,
    })
}

/// The clearances that lifted `code`'s flag: its own, and each container's within the time the code was inside
/// it (the intersection of the spans from the code out to that container).
fn clearances<I: EventIndex + ?Sized>(
    index: &I,
    code: &TraceCode,
    spans: &[ContainerSpan],
) -> Vec<Clearance> {
    // (code or container, from, to): the code always, each container while the code was inside it (a container
    // the code was packed into twice has two windows). Bounded: a guard against an inconsistent index.
    let mut windows = vec![(*code, EventRef::MIN, EventRef::MAX)];
    let limit = spans.len() + 1;
    let mut next = 0;
    while next < windows.len() && windows.len() <= limit {
        let (inner, lo, hi) = windows[next];
        next += 1;
        for span in spans.iter().filter(|s| s.code == inner) {
            let window = (
                span.container,
                lo.max(span.packed),
                hi.min(span.unpacked.unwrap_or(EventRef::MAX)),
            );
            if window.1 <= window.2 && !windows.contains(&window) {
                windows.push(window);
            }
        }
    }
    let mut out: Vec<Clearance> = windows
        .iter()
        .flat_map(|(c, lo, hi)| {
            index
                .clearances_of_code(c)
                .iter()
                .filter(|k| *lo <= k.at && k.at <= *hi)
                .copied()
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A hop before de-duplication.
struct Cand {
    at: EventRef,
    relation: Relation,
    level: u8,
    subject: TraceCode,
    event: Arc<IndexedEvent>,
}

struct Walk<'a, I: ?Sized> {
    index: &'a I,
    cands: Vec<Cand>,
    spans: Vec<ContainerSpan>,
}

fn fetch<I: EventIndex + ?Sized>(index: &I, at: EventRef) -> Result<Arc<IndexedEvent>, QueryError> {
    index.event(at).ok_or(QueryError::MissingEvent(at))
}

impl<I: EventIndex + ?Sized> Walk<'_, I> {
    /// Adds the events naming `code` as `relation` (level 0); with `containers`, follows its container spans;
    /// collects the inputs it was made from into `inputs` and, when asked, what was packed into it or made
    /// from it into `downstream`. `false` when the index has no event of `code`.
    fn history(
        &mut self,
        code: &TraceCode,
        relation: Relation,
        containers: bool,
        inputs: &mut Vec<TraceCode>,
        mut downstream: Option<&mut Vec<TraceCode>>,
    ) -> Result<bool, QueryError> {
        let index = self.index;
        let refs = index.events_of_code(code);
        for entry in refs.iter() {
            let at = entry.at();
            let event = fetch(index, at)?;
            match &event.event.body {
                EventBody::Aggregation {
                    action: Action::Add,
                    parent,
                    children,
                } => {
                    if entry.role == Role::Child {
                        if containers {
                            let container_relation = match relation {
                                Relation::Own => Relation::Container,
                                other => other,
                            };
                            self.container(
                                code,
                                parent,
                                at,
                                (EventRef::MIN, EventRef::MAX),
                                1,
                                container_relation,
                            )?;
                        }
                    } else if let Some(d) = downstream.as_deref_mut() {
                        d.extend_from_slice(children);
                    }
                }
                EventBody::Transformation {
                    inputs: ins,
                    outputs,
                } => match (entry.role, downstream.as_deref_mut()) {
                    (Role::Output, _) => inputs.extend_from_slice(ins),
                    (Role::Input, Some(d)) => d.extend_from_slice(outputs),
                    _ => {}
                },
                _ => {}
            }
            self.cands.push(Cand {
                at,
                relation,
                level: 0,
                subject: *code,
                event,
            });
        }
        Ok(!refs.is_empty())
    }

    /// `child` was packed into `parent` at `packed`: adds the parent's events inside both the span and
    /// `window`, then follows the parent's own containers within that.
    fn container(
        &mut self,
        child: &TraceCode,
        parent: &TraceCode,
        packed: EventRef,
        window: (EventRef, EventRef),
        level: u8,
        relation: Relation,
    ) -> Result<(), QueryError> {
        if level > MAX_CONTAINER_LEVELS || packed > window.1 {
            return Ok(());
        }
        let index = self.index;
        let refs = index.events_of_code(parent);
        // Out at the first unpacking of the parent (which names it as parent) that names the child or none.
        let after = refs.partition_point(|r| r.at() <= packed);
        let mut unpacked = None;
        for entry in refs[after..].iter().filter(|e| e.role == Role::Parent) {
            let event = fetch(index, entry.at())?;
            if let EventBody::Aggregation {
                action: Action::Delete,
                children,
                ..
            } = &event.event.body
            {
                if children.is_empty() || children.contains(child) {
                    unpacked = Some(entry.at());
                    break;
                }
            }
        }
        let lo = window.0.max(packed);
        let hi = window.1.min(unpacked.unwrap_or(EventRef::MAX));
        if lo > hi {
            return Ok(());
        }
        self.spans.push(ContainerSpan {
            code: *child,
            container: *parent,
            packed,
            unpacked,
        });
        for entry in refs.iter() {
            let at = entry.at();
            if at > hi {
                break;
            }
            // Before the window only the parent's own packing into a container matters.
            if at < lo && entry.role != Role::Child {
                continue;
            }
            let event = fetch(index, at)?;
            if entry.role == Role::Child {
                if let EventBody::Aggregation {
                    action: Action::Add,
                    parent: grandparent,
                    ..
                } = &event.event.body
                {
                    self.container(parent, grandparent, at, (lo, hi), level + 1, relation)?;
                }
            }
            if at >= lo {
                self.cands.push(Cand {
                    at,
                    relation,
                    level,
                    subject: *parent,
                    event,
                });
            }
        }
        Ok(())
    }
}
