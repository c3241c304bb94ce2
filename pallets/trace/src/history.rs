//! # Complete histories: what the chain commits about every code's events, and the pure check against it
//!
//! Every code's custody record ([`crate::types::CodeState`]) carries a [`HistorySummary`]: how many accepted
//! custody events name the code and the head of a hash chain over them, extended as each `Trace::Captured` event
//! is deposited:
//!
//! ```text
//! head₀ = 0³²      headₙ₊₁ = SHA-256(LINK_TAG ‖ headₙ ‖ block (u64 LE) ‖ position in block (u32 LE) ‖ digest)
//! digest = SHA-256(SCALE(org) ‖ SCALE(event))        (the org and EPCIS event of `Trace::Captured`)
//! ```
//!
//! "Names the code" is [`EpcisEvent::codes`]: the epcs of an object or transaction event, the parent and the
//! children of an aggregation, the inputs and outputs of a transformation — exactly what the node's event index
//! files an event under. An unpacking that names no children ("all of them") is in the container's chain only.
//! The position is the event's leaf index under the block's `events_root`, so a verifier that holds only the
//! proven event records (block, position, record) recomputes the chain, and the summary is a state value a
//! Jellyfish proof shows at any height (`state_get` of `Trace:Codes:` ++ SCALE(code)).
//!
//! A container's moves extend the container's chain only: packing and unpacking name the item and so are in
//! its chain, and [`derive`] finds from the item's chain and the containers' chains the windows in which the
//! item was inside (the same rule as the node's trace). A transformation names its inputs and outputs, so it is
//! in every one of their chains and links an output's history to its inputs'. Lot quantities are not codes and
//! have no chain.
//!
//! [`check_chain`] refuses a code's hop list that is not exactly its committed history (a hop missing, added,
//! reordered, altered or from another code), naming the hop or the count; [`check_history`] checks every chain
//! a trace rests on and that the trace shows exactly the hops they determine. Both are pure: the client, the
//! node and tests call them alike.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_codes::TraceCode;
use yima_frame::externalities as ext;
use yima_frame::storage::StorageMap;
use yima_frame::{sha256, BlockNumber, Hash, OrgId};

use crate::epcis::{Action, EpcisEvent, EventBody};
use crate::{Codes, Config, Error, Pallet};

/// Domain separation of a chain link.
pub const LINK_TAG: &[u8] = b"yima/trace/history/v1";

/// Most container levels [`derive`] follows, as the node's trace does.
pub const MAX_LEVELS: u8 = 32;

/// Where an event is: its block and its leaf index among all of the block's events (what an inclusion proof
/// names). Orders as the chain does.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode)]
pub struct Position {
    /// The block.
    pub block: BlockNumber,
    /// The event's position among the block's events.
    pub index: u32,
}

impl Position {
    /// Before every event.
    pub const MIN: Position = Position { block: 0, index: 0 };
    /// After every event.
    pub const MAX: Position = Position {
        block: BlockNumber::MAX,
        index: u32::MAX,
    };

    /// The event at `index` of `block`.
    pub const fn new(block: BlockNumber, index: u32) -> Self {
        Self { block, index }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}/{}", self.block, self.index)
    }
}

/// The authenticated summary of one code's history: 36 bytes in its [`crate::types::CodeState`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen)]
pub struct HistorySummary {
    /// How many accepted custody events name the code.
    pub count: u32,
    /// The head of the hash chain over them (all zero before the first).
    pub head: Hash,
}

impl HistorySummary {
    /// The summary after one more event, at `at`, whose [`event_digest`] is `digest`.
    pub fn extend(&self, at: Position, digest: &Hash) -> Self {
        let mut link = Vec::with_capacity(LINK_TAG.len() + 32 + 8 + 4 + 32);
        link.extend_from_slice(LINK_TAG);
        link.extend_from_slice(self.head.as_bytes());
        link.extend_from_slice(&at.block.to_le_bytes());
        link.extend_from_slice(&at.index.to_le_bytes());
        link.extend_from_slice(digest.as_bytes());
        Self {
            count: self.count.saturating_add(1),
            head: sha256(&link),
        }
    }
}

/// What a chain link commits of a `Trace::Captured { org, index, event }` event: SHA-256 of SCALE `(org,
/// event)`. Its position in the block pins the event itself; the position in its capture call (`index`) is
/// left out so that the node's event index, which does not keep it, can serve the hops.
pub fn event_digest(org: OrgId, event: &EpcisEvent) -> Hash {
    sha256(&(org, event).encode())
}

/// Whether `event` names `code` (is filed under it): see the module docs.
pub fn names(event: &EpcisEvent, code: &TraceCode) -> bool {
    event.codes().contains(&code)
}

/// One proven custody event, as a verifier holds it after checking its inclusion (or as the node's index
/// holds it): where it is and the decoded `Trace::Captured` fields.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProvenHop {
    /// Where it is.
    pub at: Position,
    /// The organisation that captured it.
    pub org: OrgId,
    /// The event.
    pub event: EpcisEvent,
}

impl ProvenHop {
    /// Its [`event_digest`].
    pub fn digest(&self) -> Hash {
        event_digest(self.org, &self.event)
    }
}

/// A code's committed summary (proven by a state proof) and the hops given for it, in chain order.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Chain {
    /// The summary in state at the height the hops were read.
    pub summary: HistorySummary,
    /// Every event naming the code up to that height, in chain order.
    pub hops: Vec<ProvenHop>,
}

/// How a hop relates to the traced code (as the node's trace says; most direct first).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Relation {
    /// The event names the code.
    Own,
    /// The event names a container the code was in, while it was inside (any level).
    Container,
    /// The event is in the history of a transformation input (recursively) or of its containers.
    Upstream,
    /// The event names a code packed into or made from the code: shown, but its completeness is not checked.
    Downstream,
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Relation::Own => "own",
            Relation::Container => "container",
            Relation::Upstream => "upstream",
            Relation::Downstream => "downstream",
        })
    }
}

/// Why a history is not the committed one. Each names the code and the hop or count at fault.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum HistoryError {
    /// A hop in a code's list does not name the code.
    #[error("hop {at} given for {code} does not name it: a hop from another code was slipped in")]
    ForeignHop {
        /// The code whose list it is in.
        code: TraceCode,
        /// The hop.
        at: Position,
    },
    /// A hop given twice.
    #[error("hop {at} of {code} is given twice: a hop was added")]
    DuplicateHop {
        /// The code.
        code: TraceCode,
        /// The hop.
        at: Position,
    },
    /// Hops not in chain order.
    #[error("hop {at} of {code} is listed after {after} but comes before it on chain: the hops were reordered")]
    Reordered {
        /// The code.
        code: TraceCode,
        /// The hop out of place.
        at: Position,
        /// The hop listed before it.
        after: Position,
    },
    /// Fewer hops than the chain committed.
    #[error("{code}: the chain commits {committed} events naming it but {given} were given: {} hop(s) left out", .committed - .given)]
    Missing {
        /// The code.
        code: TraceCode,
        /// The committed count.
        committed: u32,
        /// The hops given.
        given: u32,
    },
    /// More hops than the chain committed.
    #[error("{code}: the chain commits {committed} events naming it but {given} were given: {} hop(s) added", .given - .committed)]
    Added {
        /// The code.
        code: TraceCode,
        /// The committed count.
        committed: u32,
        /// The hops given.
        given: u32,
    },
    /// As many hops as committed, but not those.
    #[error("{code}: the {given} hops given do not hash to the committed history head: a hop was replaced or changed")]
    Altered {
        /// The code.
        code: TraceCode,
        /// The hops given.
        given: u32,
    },
    /// A chain the trace rests on was not given.
    #[error("no proven history of {code} ({needed}): fetch its summary (state key Trace:Codes of the code) and its hops")]
    NoChain {
        /// The code.
        code: TraceCode,
        /// Why it is needed.
        needed: String,
    },
    /// The committed history holds a hop the trace does not show.
    #[error("hop {at} ({relation} event of {subject}) is in the committed history but not in the answer: it was left out")]
    NotShown {
        /// The hop.
        at: Position,
        /// What it is to the traced code.
        relation: Relation,
        /// The code it names.
        subject: TraceCode,
    },
    /// The trace shows a hop that no committed history holds.
    #[error("hop {at} is shown as {relation} but is in no committed history of the code, its containers while it was inside or its inputs: it was added or is from another code")]
    NotInHistory {
        /// The hop.
        at: Position,
        /// What the answer called it.
        relation: Relation,
    },
    /// The trace shows a hop with another relation or subject than the committed histories give it.
    #[error("hop {at} is shown as {shown} event of {shown_subject} but the committed histories make it the {derived} event of {derived_subject}")]
    Mislabelled {
        /// The hop.
        at: Position,
        /// What the answer called it.
        shown: Relation,
        /// The code the answer said it concerns.
        shown_subject: TraceCode,
        /// What it is.
        derived: Relation,
        /// The code it concerns.
        derived_subject: TraceCode,
    },
}

/// Checks that `chain.hops` is exactly the history `chain.summary` commits for `code`: each hop names the code,
/// they are in chain order without repeats, as many as committed, and they hash to the committed head.
pub fn check_chain(code: &TraceCode, chain: &Chain) -> Result<(), HistoryError> {
    let mut summary = HistorySummary::default();
    let mut last: Option<Position> = None;
    for hop in &chain.hops {
        if !names(&hop.event, code) {
            return Err(HistoryError::ForeignHop {
                code: *code,
                at: hop.at,
            });
        }
        if let Some(after) = last {
            if hop.at == after {
                return Err(HistoryError::DuplicateHop {
                    code: *code,
                    at: hop.at,
                });
            }
            if hop.at < after {
                return Err(HistoryError::Reordered {
                    code: *code,
                    at: hop.at,
                    after,
                });
            }
        }
        last = Some(hop.at);
        summary = summary.extend(hop.at, &hop.digest());
    }
    let committed = chain.summary.count;
    let given = u32::try_from(chain.hops.len()).unwrap_or(u32::MAX);
    if given < committed {
        return Err(HistoryError::Missing {
            code: *code,
            committed,
            given,
        });
    }
    if given > committed {
        return Err(HistoryError::Added {
            code: *code,
            committed,
            given,
        });
    }
    if summary.head != chain.summary.head {
        return Err(HistoryError::Altered { code: *code, given });
    }
    Ok(())
}

/// The hops a code's trace must show (own, container, upstream), derived from committed chains.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Derived {
    /// Each hop once, with its most direct relation and the code it concerns, in chain order.
    pub hops: BTreeMap<Position, (Relation, TraceCode)>,
    /// The codes whose chains it rests on: the code, every container it was in (at any level) and every
    /// transformation input upstream (with their containers).
    pub codes: BTreeSet<TraceCode>,
}

struct Walk<'a> {
    chains: &'a BTreeMap<TraceCode, Chain>,
    /// Position → (relation, level, subject): the smallest kept, as the node's trace does.
    best: BTreeMap<Position, (Relation, u8, TraceCode)>,
    codes: BTreeSet<TraceCode>,
}

impl<'a> Walk<'a> {
    fn chain(
        &mut self,
        code: &TraceCode,
        needed: impl FnOnce() -> String,
    ) -> Result<&'a Chain, HistoryError> {
        let chains: &'a BTreeMap<TraceCode, Chain> = self.chains;
        let chain = chains.get(code).ok_or_else(|| HistoryError::NoChain {
            code: *code,
            needed: needed(),
        })?;
        self.codes.insert(*code);
        Ok(chain)
    }

    fn add(&mut self, at: Position, relation: Relation, level: u8, subject: TraceCode) {
        let candidate = (relation, level, subject);
        self.best
            .entry(at)
            .and_modify(|kept| {
                if candidate < *kept {
                    *kept = candidate;
                }
            })
            .or_insert(candidate);
    }

    /// The events naming `code`, its containers' while it was inside, and the inputs it was made from.
    fn history(
        &mut self,
        code: &TraceCode,
        relation: Relation,
        inputs: &mut Vec<TraceCode>,
    ) -> Result<(), HistoryError> {
        let chain = self.chain(code, || format!("{relation} history"))?;
        for hop in &chain.hops {
            match &hop.event.body {
                EventBody::Aggregation {
                    action: Action::Add,
                    parent,
                    children,
                } if children.contains(code) => {
                    let inner = match relation {
                        Relation::Own => Relation::Container,
                        other => other,
                    };
                    self.container(
                        code,
                        parent,
                        hop.at,
                        (Position::MIN, Position::MAX),
                        1,
                        inner,
                    )?;
                }
                EventBody::Transformation {
                    inputs: ins,
                    outputs,
                } if outputs.contains(code) => inputs.extend_from_slice(ins),
                _ => {}
            }
            self.add(hop.at, relation, 0, *code);
        }
        Ok(())
    }

    /// `child` was packed into `parent` at `packed`: the parent's events inside both that span and `window`,
    /// and recursively its own containers'.
    fn container(
        &mut self,
        child: &TraceCode,
        parent: &TraceCode,
        packed: Position,
        window: (Position, Position),
        level: u8,
        relation: Relation,
    ) -> Result<(), HistoryError> {
        if level > MAX_LEVELS || packed > window.1 {
            return Ok(());
        }
        let chain = self.chain(parent, || format!("container of {child} from {packed}"))?;
        let unpacked = chain
            .hops
            .iter()
            .filter(|h| h.at > packed)
            .find(|h| match &h.event.body {
                EventBody::Aggregation {
                    action: Action::Delete,
                    parent: p,
                    children,
                } => p == parent && (children.is_empty() || children.contains(child)),
                _ => false,
            })
            .map(|h| h.at);
        let lo = window.0.max(packed);
        let hi = window.1.min(unpacked.unwrap_or(Position::MAX));
        if lo > hi {
            return Ok(());
        }
        for hop in &chain.hops {
            if hop.at > hi {
                break;
            }
            if let EventBody::Aggregation {
                action: Action::Add,
                parent: grandparent,
                children,
            } = &hop.event.body
            {
                if children.contains(parent) {
                    self.container(parent, grandparent, hop.at, (lo, hi), level + 1, relation)?;
                }
            }
            if hop.at >= lo {
                self.add(hop.at, relation, level, *parent);
            }
        }
        Ok(())
    }
}

/// The hops the trace of `code` must show, from the chains of the code, its containers and its inputs (each
/// already checked with [`check_chain`]): the same rules as the node's trace (`yima_runtime::query::trace`),
/// downstream excepted.
pub fn derive(
    code: &TraceCode,
    chains: &BTreeMap<TraceCode, Chain>,
) -> Result<Derived, HistoryError> {
    let mut walk = Walk {
        chains,
        best: BTreeMap::new(),
        codes: BTreeSet::new(),
    };
    let mut inputs = Vec::new();
    walk.history(code, Relation::Own, &mut inputs)?;
    let mut seen = BTreeSet::from([*code]);
    let mut more = Vec::new();
    while let Some(input) = inputs.pop() {
        if !seen.insert(input) {
            continue;
        }
        walk.history(&input, Relation::Upstream, &mut more)?;
        inputs.append(&mut more);
    }
    Ok(Derived {
        hops: walk
            .best
            .into_iter()
            .map(|(at, (relation, _, subject))| (at, (relation, subject)))
            .collect(),
        codes: walk.codes,
    })
}

/// One hop as a trace answer shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ShownHop {
    /// Where it is.
    pub at: Position,
    /// What the answer says it is to the traced code.
    pub relation: Relation,
    /// The code the answer says it concerns.
    pub subject: TraceCode,
}

/// What a passed [`check_history`] established.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CheckedHistory {
    /// The own, container and upstream hops, complete, in chain order.
    pub hops: BTreeMap<Position, (Relation, TraceCode)>,
    /// The codes whose committed chains were checked.
    pub codes: BTreeSet<TraceCode>,
    /// Downstream hops shown whose completeness is not checked.
    pub downstream: usize,
}

/// Checks a trace of `code` against committed chains: every chain given hashes to its summary
/// ([`check_chain`]), the chains the trace rests on are all there ([`derive`]), and `shown` holds exactly the
/// hops they determine, each with its relation and subject; downstream hops are let through uncounted.
pub fn check_history(
    code: &TraceCode,
    chains: &BTreeMap<TraceCode, Chain>,
    shown: &[ShownHop],
) -> Result<CheckedHistory, HistoryError> {
    for (c, chain) in chains {
        check_chain(c, chain)?;
    }
    let derived = derive(code, chains)?;
    let mut shown_at: BTreeMap<Position, &ShownHop> = BTreeMap::new();
    let mut downstream = 0;
    for hop in shown {
        if shown_at.insert(hop.at, hop).is_some() {
            return Err(HistoryError::DuplicateHop {
                code: hop.subject,
                at: hop.at,
            });
        }
        match derived.hops.get(&hop.at) {
            Some(&(relation, subject)) => {
                if (relation, subject) != (hop.relation, hop.subject) {
                    return Err(HistoryError::Mislabelled {
                        at: hop.at,
                        shown: hop.relation,
                        shown_subject: hop.subject,
                        derived: relation,
                        derived_subject: subject,
                    });
                }
            }
            None if hop.relation == Relation::Downstream => downstream += 1,
            None => {
                return Err(HistoryError::NotInHistory {
                    at: hop.at,
                    relation: hop.relation,
                })
            }
        }
    }
    if let Some((&at, &(relation, subject))) = derived
        .hops
        .iter()
        .find(|(at, _)| !shown_at.contains_key(at))
    {
        return Err(HistoryError::NotShown {
            at,
            relation,
            subject,
        });
    }
    Ok(CheckedHistory {
        hops: derived.hops,
        codes: derived.codes,
        downstream,
    })
}

impl<T: Config> Pallet<T> {
    /// Extends the history of every code `event` names with it, about to be deposited as the next event of the
    /// block: one read and one write of each code's record, charged by the meter like any other.
    pub(crate) fn extend_histories(
        block: BlockNumber,
        org: OrgId,
        event: &EpcisEvent,
    ) -> Result<(), Error> {
        let position = u32::try_from(ext::event_count()).map_err(|_| Error::EventListTooLarge)?;
        let at = Position::new(block, position);
        let digest = event_digest(org, event);
        for code in event.codes() {
            Codes::mutate(code, |state| match state {
                Some(state) => {
                    state.history = state.history.extend(at, &digest);
                    Ok(())
                }
                None => Err(Error::UnknownCode),
            })?;
        }
        Ok(())
    }
}
