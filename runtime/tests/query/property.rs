//! Property: over random custody histories driven through real blocks, `trace` and `recall` equal a
//! brute-force reading of every captured event, and recall's custody equals the pallet's own
//! `custody::custody` read from state.
//!
//! A history is a list of blocks of random operations (commission, pack, unpack, ship, receive, transform,
//! store, sell, recall a lot) over four organisations and 23 codes. Each operation is signed by whoever holds
//! its code at that moment (read from state), so most are valid; the pallet refuses the rest and they are
//! simply part of the chain. The reference implementation below knows nothing of the index: it scans the whole
//! ledger for every question.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use yima_codes::TraceCode;
use yima_frame::storage::StorageMap;
use yima_frame::OrgId;
use yima_runtime::query::{recall, trace, EventRef, QueryError, RecallTarget, Relation};
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{Action, EpcisEvent, EventBody};
use yima_trace::types::{CodeStatus, LotKey, TemperatureRange};

use super::common::trace::*;

const ITEMS: u8 = 12;
const SSCCS: u8 = 5;
const OUTPUTS: u8 = 6;
const CODES: u8 = ITEMS + SSCCS + OUTPUTS;

/// Code `i` of the universe: maker items, then SSCCs, then processor outputs.
fn code(i: u8) -> TraceCode {
    let i = i % CODES;
    if i < ITEMS {
        item(u32::from(i))
    } else if i < ITEMS + SSCCS {
        sscc(u32::from(i - ITEMS))
    } else {
        output(u32::from(i - ITEMS - SSCCS))
    }
}

fn universe() -> Vec<TraceCode> {
    (0..CODES).map(code).collect()
}

fn maker_lot(i: u8) -> LotKey {
    lot_of(maker_gtin(), &format!("L{}", i % 2))
}

fn processor_lot(i: u8) -> LotKey {
    lot_of(processor_gtin(), &format!("P{}", i % 2))
}

fn lots() -> Vec<LotKey> {
    vec![
        maker_lot(0),
        maker_lot(1),
        processor_lot(0),
        processor_lot(1),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Commission {
        lot: u8,
        items: Vec<u8>,
    },
    CommissionSscc {
        which: u8,
        org: u8,
    },
    Pack {
        parent: u8,
        children: Vec<u8>,
    },
    Unpack {
        parent: u8,
        children: Vec<u8>,
    },
    Ship {
        code: u8,
        dest: u8,
        hot: bool,
    },
    Receive {
        code: u8,
    },
    Transform {
        inputs: Vec<u8>,
        outputs: Vec<u8>,
        lot: u8,
    },
    Store {
        code: u8,
        place: u8,
    },
    Sell {
        code: u8,
    },
    RecallLot {
        lot: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let items = prop::collection::vec(any::<u8>(), 1..4);
    prop_oneof![
        3 => (any::<u8>(), items.clone()).prop_map(|(lot, items)| Op::Commission { lot, items }),
        3 => (any::<u8>(), any::<u8>()).prop_map(|(which, org)| Op::CommissionSscc { which, org }),
        8 => (any::<u8>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(parent, children)| Op::Pack { parent, children }),
        4 => (any::<u8>(), prop::collection::vec(any::<u8>(), 0..2))
            .prop_map(|(parent, children)| Op::Unpack { parent, children }),
        8 => (any::<u8>(), any::<u8>(), prop::bool::weighted(0.15))
            .prop_map(|(code, dest, hot)| Op::Ship { code, dest, hot }),
        8 => any::<u8>().prop_map(|code| Op::Receive { code }),
        4 => (prop::collection::vec(any::<u8>(), 1..3), prop::collection::vec(any::<u8>(), 1..3), any::<u8>())
            .prop_map(|(inputs, outputs, lot)| Op::Transform { inputs, outputs, lot }),
        2 => (any::<u8>(), 0..3u8).prop_map(|(code, place)| Op::Store { code, place }),
        2 => any::<u8>().prop_map(|code| Op::Sell { code }),
        1 => (0..4u8).prop_map(|lot| Op::RecallLot { lot }),
    ]
}

fn history() -> impl Strategy<Value = Vec<Vec<Op>>> {
    prop::collection::vec(prop::collection::vec(op(), 1..4), 4..22)
}

fn dedup(codes: Vec<TraceCode>) -> Vec<TraceCode> {
    let mut seen = BTreeSet::new();
    codes.into_iter().filter(|c| seen.insert(*c)).collect()
}

fn pick_org(i: u8) -> OrgId {
    ACTORS[usize::from(i) % ACTORS.len()].1
}

/// Element `i` (modulo) of `list`, if any.
fn pick<T: Copy>(list: &[T], i: u8) -> Option<T> {
    (!list.is_empty()).then(|| list[usize::from(i) % list.len()])
}

/// What state says about every code of the universe at the start of a block: picks are read against it, so
/// most operations are valid (an empty choice falls back to a raw pick, which the pallet may refuse).
struct World {
    /// Commissioned codes: (code, its record, its effective custody).
    known: Vec<(
        TraceCode,
        yima_trace::types::CodeState,
        yima_trace::types::Custody,
    )>,
}

impl World {
    fn read(c: &IndexedChain) -> World {
        let known = c.chain.read(|| {
            let now = yima_runtime::System::now();
            universe()
                .into_iter()
                .filter_map(|code| {
                    let state = yima_trace::Codes::get(&code)?;
                    let custody = yima_trace::custody::custody(&code, now).ok()?;
                    Some((code, state, custody))
                })
                .collect()
        });
        World { known }
    }

    fn is_known(&self, code: &TraceCode) -> bool {
        self.known.iter().any(|(c, ..)| c == code)
    }

    fn holder(&self, code: &TraceCode) -> Option<OrgId> {
        self.known
            .iter()
            .find(|(c, ..)| c == code)
            .map(|(_, _, custody)| custody.custodian)
    }

    fn codes(
        &self,
        f: impl Fn(
            &(
                TraceCode,
                yima_trace::types::CodeState,
                yima_trace::types::Custody,
            ),
        ) -> bool,
    ) -> Vec<TraceCode> {
        self.known.iter().filter(|k| f(k)).map(|k| k.0).collect()
    }

    /// Top-level, active codes (`holder`: held by it).
    fn movable(&self, holder: Option<OrgId>) -> Vec<TraceCode> {
        self.codes(|(_, s, c)| {
            s.parent.is_none()
                && c.status == CodeStatus::Active
                && holder.is_none_or(|h| c.custodian == h)
        })
    }

    fn unknown(&self, among: impl Iterator<Item = TraceCode>) -> Vec<TraceCode> {
        among.filter(|c| !self.is_known(c)).collect()
    }
}

/// The signer and call an operation becomes on the chain as `w` describes it.
fn interpret(w: &World, op: &Op) -> (&'static str, RuntimeCall) {
    let or_raw = |found: Option<TraceCode>, raw: u8| found.unwrap_or_else(|| code(raw));
    let signer = |code: &TraceCode, raw: u8| actor(w.holder(code).unwrap_or_else(|| pick_org(raw)));
    match op {
        Op::Commission { lot, items } => {
            let fresh = w.unknown((0..ITEMS / 2).map(|i| item(u32::from(i))));
            let codes = dedup(items.iter().map(|&i| or_raw(pick(&fresh, i), i)).collect());
            (
                "maker",
                capture(vec![commissioning(codes, Some(maker_lot(*lot)))]),
            )
        }
        Op::CommissionSscc { which, org } => {
            let fresh = w.unknown((0..SSCCS).map(|i| code(ITEMS + i)));
            let unit = or_raw(pick(&fresh, *which), ITEMS + which % SSCCS);
            (
                actor(pick_org(*org)),
                capture(vec![commissioning(vec![unit], None)]),
            )
        }
        Op::Pack { parent, children } => {
            let containers = if parent % 4 == 0 {
                w.codes(|(_, _, c)| c.status == CodeStatus::Active)
            } else {
                w.codes(|(c, _, s)| {
                    matches!(c, TraceCode::Sscc(_)) && s.status == CodeStatus::Active
                })
            };
            let p = or_raw(pick(&containers, *parent), *parent);
            let by = w.holder(&p);
            let candidates: Vec<TraceCode> =
                w.movable(by).into_iter().filter(|c| *c != p).collect();
            let kids = dedup(
                children
                    .iter()
                    .map(|&i| or_raw(pick(&candidates, i), i))
                    .collect(),
            );
            (signer(&p, *parent), capture(vec![packing(p, kids)]))
        }
        Op::Unpack { parent, children } => {
            let full = w.codes(|(_, s, _)| s.children > 0);
            let p = or_raw(pick(&full, *parent), *parent);
            let inside = w.codes(|(_, s, _)| s.parent == Some(p));
            let kids = dedup(
                children
                    .iter()
                    .map(|&i| or_raw(pick(&inside, i), i))
                    .collect(),
            );
            (signer(&p, *parent), capture(vec![unpacking(p, kids)]))
        }
        Op::Ship { code: i, dest, hot } => {
            let x = or_raw(pick(&w.movable(None), *i), *i);
            let from = w.holder(&x).unwrap_or_else(|| pick_org(*i));
            let others: Vec<OrgId> = ACTORS.iter().map(|a| a.1).filter(|o| *o != from).collect();
            let to = pick(&others, *dest).unwrap_or(MAKER_ORG);
            let e = if *hot {
                shipping_at(vec![x], to, 1_200)
            } else {
                shipping(vec![x], to)
            };
            (actor(from), capture(vec![e]))
        }
        Op::Receive { code: i } => {
            let moving = w.codes(|(_, s, _)| {
                s.parent.is_none() && matches!(s.status, CodeStatus::InTransit { .. })
            });
            let x = or_raw(pick(&moving, *i), *i);
            let to = w
                .known
                .iter()
                .find(|(c, ..)| *c == x)
                .and_then(|(_, s, _)| match s.status {
                    CodeStatus::InTransit { to } => Some(to),
                    _ => None,
                })
                .unwrap_or_else(|| pick_org(*i));
            (actor(to), capture(vec![receiving(vec![x])]))
        }
        Op::Transform {
            inputs,
            outputs,
            lot,
        } => {
            let empty = |c: &TraceCode| w.known.iter().any(|(k, s, _)| k == c && s.children == 0);
            let first: Vec<TraceCode> = w.movable(None).into_iter().filter(|c| empty(c)).collect();
            let x = or_raw(pick(&first, inputs[0]), inputs[0]);
            let by = w.holder(&x).unwrap_or_else(|| pick_org(inputs[0]));
            let same: Vec<TraceCode> = w
                .movable(Some(by))
                .into_iter()
                .filter(|c| empty(c))
                .collect();
            let mut ins = vec![x];
            ins.extend(inputs[1..].iter().map(|&i| or_raw(pick(&same, i), i)));
            let (fresh, lot) = if by == MAKER_ORG {
                (
                    w.unknown((ITEMS / 2..ITEMS).map(|i| item(u32::from(i)))),
                    maker_lot(*lot),
                )
            } else {
                (
                    w.unknown((0..OUTPUTS).map(|o| output(u32::from(o)))),
                    processor_lot(*lot),
                )
            };
            let outs = outputs
                .iter()
                .map(|&o| pick(&fresh, o).unwrap_or_else(|| output(u32::from(o))))
                .collect();
            (
                actor(by),
                capture(vec![transforming(dedup(ins), dedup(outs), lot)]),
            )
        }
        Op::Store { code: i, place } => {
            let x = or_raw(pick(&w.codes(|_| true), *i), *i);
            (
                signer(&x, *i),
                capture(vec![storing(vec![x], &format!("room {place}"))]),
            )
        }
        Op::Sell { code: i } => {
            let x = or_raw(pick(&w.movable(None), *i), *i);
            (signer(&x, *i), capture(vec![selling(vec![x])]))
        }
        Op::RecallLot { lot } => {
            let l = if lot % 2 == 0 {
                maker_lot(*lot / 2)
            } else {
                processor_lot(*lot / 2)
            };
            let owner = if lot % 2 == 0 { "maker" } else { "processor" };
            (
                owner,
                RuntimeCall::Trace(yima_trace::Call::RecallLot {
                    lot: l,
                    reason: yima_frame::Hash([7; 32]),
                }),
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The reference: every question answered by scanning the whole ledger.

type Ledger = Vec<(EventRef, OrgId, EpcisEvent)>;
type Span = (TraceCode, TraceCode, EventRef, Option<EventRef>);

fn names(e: &EpcisEvent, c: &TraceCode) -> bool {
    e.codes().into_iter().any(|x| x == c)
}

/// Every time a code spent in a container, by replaying packing and unpacking in chain order.
fn spans(ledger: &Ledger) -> Vec<Span> {
    let mut open: BTreeMap<TraceCode, (TraceCode, EventRef)> = BTreeMap::new();
    let mut done = Vec::new();
    for (at, _, e) in ledger {
        match &e.body {
            EventBody::Aggregation {
                action: Action::Add,
                parent,
                children,
            } => {
                for c in children {
                    open.insert(*c, (*parent, *at));
                }
            }
            EventBody::Aggregation {
                action: Action::Delete,
                parent,
                children,
            } => {
                let leaving: Vec<TraceCode> = open
                    .iter()
                    .filter(|(c, (p, _))| {
                        p == parent && (children.is_empty() || children.contains(c))
                    })
                    .map(|(c, _)| *c)
                    .collect();
                for c in leaving {
                    let (p, from) = open.remove(&c).unwrap();
                    done.push((c, p, from, Some(*at)));
                }
            }
            _ => {}
        }
    }
    done.extend(open.into_iter().map(|(c, (p, from))| (c, p, from, None)));
    done
}

/// Codes one step upstream of `x`: inputs of transformations that made it.
fn inputs_of(ledger: &Ledger, x: &TraceCode) -> Vec<TraceCode> {
    let mut out = Vec::new();
    for (_, _, e) in ledger {
        if let EventBody::Transformation { inputs, outputs } = &e.body {
            if outputs.contains(x) {
                out.extend(inputs.iter().copied());
            }
        }
    }
    out
}

/// Codes one step downstream of `x`: packed into it, or made from it.
fn next_of(ledger: &Ledger, x: &TraceCode) -> Vec<TraceCode> {
    let mut out = Vec::new();
    for (_, _, e) in ledger {
        match &e.body {
            EventBody::Aggregation {
                action: Action::Add,
                parent,
                children,
            } if parent == x => out.extend(children.iter().copied()),
            EventBody::Transformation { inputs, outputs } if inputs.contains(x) => {
                out.extend(outputs.iter().copied())
            }
            _ => {}
        }
    }
    out
}

fn closure(
    ledger: &Ledger,
    start: &[TraceCode],
    step: fn(&Ledger, &TraceCode) -> Vec<TraceCode>,
) -> BTreeSet<TraceCode> {
    let mut seen: BTreeSet<TraceCode> = start.iter().copied().collect();
    let mut todo: Vec<TraceCode> = start.to_vec();
    while let Some(x) = todo.pop() {
        for y in step(ledger, &x) {
            if seen.insert(y) {
                todo.push(y);
            }
        }
    }
    seen
}

type Cand = (EventRef, Relation, u8, TraceCode);

struct Reference<'a> {
    ledger: &'a Ledger,
    spans: Vec<Span>,
    cands: Vec<Cand>,
    followed: BTreeSet<Span>,
}

impl Reference<'_> {
    fn own(&mut self, c: &TraceCode, relation: Relation) {
        for (at, _, e) in self.ledger {
            if names(e, c) {
                self.cands.push((*at, relation, 0, *c));
            }
        }
    }

    fn containers(
        &mut self,
        c: &TraceCode,
        lo: EventRef,
        hi: EventRef,
        level: u8,
        relation: Relation,
    ) {
        let mine: Vec<Span> = self.spans.iter().filter(|s| s.0 == *c).copied().collect();
        for span in mine {
            let (_, parent, packed, unpacked) = span;
            let wlo = lo.max(packed);
            let whi = hi.min(unpacked.unwrap_or(EventRef::MAX));
            if wlo > whi {
                continue;
            }
            self.followed.insert(span);
            for (at, _, e) in self.ledger {
                if *at >= wlo && *at <= whi && names(e, &parent) {
                    self.cands.push((*at, relation, level, parent));
                }
            }
            self.containers(&parent, wlo, whi, level + 1, relation);
        }
    }
}

struct Expected {
    hops: Vec<(EventRef, OrgId, TraceCode, Relation)>,
    upstream: Vec<TraceCode>,
    downstream: Vec<TraceCode>,
    spans: Vec<Span>,
}

fn reference_trace(ledger: &Ledger, code: &TraceCode) -> Option<Expected> {
    if !ledger.iter().any(|(_, _, e)| names(e, code)) {
        return None;
    }
    let mut r = Reference {
        ledger,
        spans: spans(ledger),
        cands: Vec::new(),
        followed: BTreeSet::new(),
    };
    r.own(code, Relation::Own);
    r.containers(code, EventRef::MIN, EventRef::MAX, 1, Relation::Container);
    let mut upstream = closure(ledger, &[*code], inputs_of);
    upstream.remove(code);
    for u in &upstream {
        r.own(u, Relation::Upstream);
        r.containers(u, EventRef::MIN, EventRef::MAX, 1, Relation::Upstream);
    }
    let mut downstream = closure(ledger, &[*code], next_of);
    downstream.remove(code);
    for d in &downstream {
        r.own(d, Relation::Downstream);
    }
    let mut cands = r.cands;
    cands.sort();
    cands.dedup_by(|b, a| a.0 == b.0);
    let org_at: BTreeMap<EventRef, OrgId> = ledger.iter().map(|(at, org, _)| (*at, *org)).collect();
    Some(Expected {
        hops: cands
            .into_iter()
            .map(|(at, rel, _, subject)| (at, org_at[&at], subject, rel))
            .collect(),
        upstream: upstream.into_iter().collect(),
        downstream: downstream.into_iter().collect(),
        spans: {
            let mut spans: Vec<Span> = r.followed.into_iter().collect();
            spans.sort_by_key(|s| (s.2, s.0, s.1, s.3));
            spans
        },
    })
}

fn lot_codes(ledger: &Ledger, lot: &LotKey) -> Vec<TraceCode> {
    let mut out = Vec::new();
    for (_, _, e) in ledger {
        let made: &[TraceCode] = match &e.body {
            EventBody::Object {
                action: Action::Add,
                epcs,
                ..
            } if e.biz_step == yima_trace::epcis::BizStep::Commissioning => epcs,
            EventBody::Transformation { outputs, .. } => outputs,
            _ => &[],
        };
        if e.ilmd.as_ref().is_some_and(|i| i.lot == *lot) {
            out.extend(made.iter().filter(|c| !matches!(c, TraceCode::Sscc(_))));
        }
    }
    out
}

/// (code, lot, holder, status, root, location, expired, excursion) for every code downstream.
type Row = (
    TraceCode,
    Option<LotKey>,
    OrgId,
    CodeStatus,
    TraceCode,
    Option<yima_trace::epcis::Location>,
    bool,
    bool,
);

fn reference_recall(c: &IndexedChain, ledger: &Ledger, start: &[TraceCode]) -> Vec<Row> {
    let codes = closure(ledger, start, next_of);
    c.chain.read(|| {
        let now = yima_runtime::System::now();
        codes
            .into_iter()
            .map(|code| {
                let custody =
                    yima_trace::custody::custody(&code, now).expect("indexed codes are in state");
                let lot = yima_trace::Codes::get(&code).unwrap().lot;
                (
                    code,
                    lot,
                    custody.custodian,
                    custody.status,
                    custody.root,
                    custody.location,
                    custody.expired,
                    custody.excursion,
                )
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Coverage {
    accepted: usize,
    refused: usize,
    containers: usize,
    upstream: usize,
    downstream: usize,
    in_transit: usize,
    finished: usize,
    recalled: usize,
    excursion: usize,
}

fn check(blocks: &[Vec<Op>], cov: &mut Coverage) -> Result<(), TestCaseError> {
    let mut c = IndexedChain::new();
    c.ok(vec![
        (
            "maker",
            register(
                maker_gtin(),
                "Chilled dessert",
                Some(TemperatureRange::VACCINE),
            ),
        ),
        (
            "processor",
            register(processor_gtin(), "Dessert pack", None),
        ),
    ]);
    // Something to start from, so the first random operations have codes to act on.
    c.ok(vec![
        (
            "maker",
            capture(vec![
                commissioning((0..3).map(item).collect(), Some(maker_lot(0))),
                commissioning(vec![sscc(0), sscc(1)], None),
            ]),
        ),
        (
            "distributor",
            capture(vec![commissioning(vec![sscc(2)], None)]),
        ),
    ]);
    for ops in blocks {
        let world = World::read(&c);
        let calls: Vec<_> = ops.iter().map(|op| interpret(&world, op)).collect();
        let n = calls.len();
        let built = c.block(calls);
        let refused = failures(&built).len();
        cov.refused += refused;
        cov.accepted += n.saturating_sub(refused);
    }
    let ledger = c.ledger();

    for code in universe() {
        let got = trace(&c.index, &code);
        match reference_trace(&ledger, &code) {
            None => prop_assert_eq!(got, Err(QueryError::UnknownCode(code))),
            Some(expected) => {
                let got = got.unwrap();
                let hops: Vec<_> = got
                    .hops
                    .iter()
                    .map(|h| (h.at, h.org, h.subject, h.relation))
                    .collect();
                prop_assert_eq!(&hops, &expected.hops, "hops of {}", code);
                for h in &got.hops {
                    let (_, _, e) = ledger.iter().find(|(at, ..)| *at == h.at).unwrap();
                    prop_assert_eq!(e, h.epcis());
                }
                prop_assert_eq!(&got.upstream, &expected.upstream, "upstream of {}", code);
                prop_assert_eq!(
                    &got.downstream,
                    &expected.downstream,
                    "downstream of {}",
                    code
                );
                let spans: Vec<Span> = got
                    .containers
                    .iter()
                    .map(|s| (s.code, s.container, s.packed, s.unpacked))
                    .collect();
                prop_assert_eq!(&spans, &expected.spans, "container spans of {}", code);
                cov.containers += usize::from(!spans.is_empty());
                cov.upstream += usize::from(!got.upstream.is_empty());
                cov.downstream += usize::from(!got.downstream.is_empty());
            }
        }
    }

    let custody = c.custody();
    let mut targets: Vec<RecallTarget> = lots().into_iter().map(RecallTarget::Lot).collect();
    targets.extend(universe().into_iter().map(RecallTarget::Code));
    for target in targets {
        let start = match &target {
            RecallTarget::Lot(lot) => lot_codes(&ledger, lot),
            RecallTarget::Code(code) => {
                if ledger.iter().any(|(_, _, e)| names(e, code)) {
                    vec![*code]
                } else {
                    vec![]
                }
            }
        };
        let got = recall(&c.index, &custody, target.clone());
        if start.is_empty() {
            let expected = match &target {
                RecallTarget::Lot(lot) => QueryError::UnknownLot(lot.clone()),
                RecallTarget::Code(code) => QueryError::UnknownCode(*code),
            };
            prop_assert_eq!(got, Err(expected));
            continue;
        }
        let got = got.unwrap();
        let rows: Vec<Row> = got
            .rows
            .iter()
            .map(|r| {
                (
                    r.code,
                    r.lot.clone(),
                    r.holder,
                    r.status,
                    r.root,
                    r.location.clone(),
                    r.expired,
                    r.excursion,
                )
            })
            .collect();
        let expected = reference_recall(&c, &ledger, &start);
        prop_assert_eq!(&rows, &expected, "recall of {:?}", target);
        let mut holders: BTreeMap<OrgId, u32> = BTreeMap::new();
        for row in &expected {
            *holders.entry(row.2).or_default() += 1;
        }
        prop_assert_eq!(&got.holders, &holders);
        for r in &got.rows {
            cov.in_transit += usize::from(matches!(r.status, CodeStatus::InTransit { .. }));
            cov.finished += usize::from(r.status.is_finished());
            cov.recalled += usize::from(r.status == CodeStatus::Recalled);
            cov.excursion += usize::from(r.excursion);
        }
    }
    Ok(())
}

#[test]
fn trace_and_recall_equal_a_scan_of_every_event() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let coverage = RefCell::new(Coverage::default());
    let result = runner.run(&history(), |blocks| {
        check(&blocks, &mut coverage.borrow_mut())
    });
    let cov = coverage.into_inner();
    if let Err(e) = result {
        panic!("{e}\ncoverage so far: {cov:?}");
    }
    // The histories must actually exercise what the property is about.
    eprintln!("coverage: {cov:?}");
    assert!(cov.accepted > cov.refused / 4, "{cov:?}");
    for (what, n) in [
        ("containers", cov.containers),
        ("upstream", cov.upstream),
        ("downstream", cov.downstream),
        ("in transit", cov.in_transit),
        ("finished", cov.finished),
        ("recalled", cov.recalled),
        ("excursion", cov.excursion),
    ] {
        assert!(n > 0, "no history exercised {what}: {cov:?}");
    }
}
