//! Random custody histories over a handful of codes and organisations: every operation goes through
//! `Trace::capture`; refused ones must change nothing, and after every step the custody state stays coherent.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use yima_codes::TraceCode;
use yima_frame::externalities::{event_count, next_version, pending_root};
use yima_frame::storage::StorageDoubleMap;
use yima_frame::OrgId;

use crate::custody::MAX_NESTING;
use crate::epcis::EpcisEvent;
use crate::mock::*;
use crate::types::{CodeState, CodeStatus};
use crate::Contents;

const ITEMS: u32 = 8;
const UNITS: u32 = 5;
const ACTORS: [OrgId; 3] = [MAKER, DISTRIBUTOR, RETAILER];

/// Every code a history may use: vaccine items, then SSCCs.
fn pool() -> Vec<TraceCode> {
    (0..ITEMS).map(item).chain((0..UNITS).map(sscc)).collect()
}

fn code(i: usize) -> TraceCode {
    pool()[i]
}

fn codes(ix: &[usize]) -> Vec<TraceCode> {
    ix.iter().map(|&i| code(i)).collect()
}

/// Who performs an operation: a fixed organisation, or whoever the rules would expect (the holder of the
/// first code named, or its destination when it is in transit), so that histories get somewhere.
#[derive(Clone, Copy, Debug)]
enum Actor {
    Org(usize),
    Expected,
}

impl Actor {
    fn resolve(self, first: Option<TraceCode>) -> OrgId {
        match self {
            Actor::Org(i) => ACTORS[i],
            Actor::Expected => first
                .and_then(|c| crate::custody::custody(&c, NOW).ok())
                .map_or(MAKER, |c| match c.status {
                    CodeStatus::InTransit { to } => to,
                    _ => c.custodian,
                }),
        }
    }
}

/// One operation: who does it and to which codes (indices into [`pool`]).
#[derive(Clone, Debug)]
enum Op {
    Commission {
        by: Actor,
        code: usize,
    },
    Pack {
        by: Actor,
        parent: usize,
        children: Vec<usize>,
    },
    Unpack {
        by: Actor,
        parent: usize,
        children: Vec<usize>,
    },
    Ship {
        by: Actor,
        codes: Vec<usize>,
        to: usize,
    },
    Receive {
        by: Actor,
        codes: Vec<usize>,
    },
    Transform {
        by: Actor,
        inputs: Vec<usize>,
        outputs: Vec<usize>,
    },
    Sell {
        by: Actor,
        codes: Vec<usize>,
    },
}

impl Op {
    /// The organisation and the event (reads state to resolve [`Actor::Expected`]).
    fn capture(&self) -> (OrgId, EpcisEvent) {
        let first = |ix: &[usize]| ix.first().map(|&i| code(i));
        match self {
            Op::Commission { by, code: c } => {
                (by.resolve(None), commissioning(vec![code(*c)], "L1"))
            }
            Op::Pack {
                by,
                parent,
                children,
            } => (
                by.resolve(Some(code(*parent))),
                packing(code(*parent), codes(children)),
            ),
            Op::Unpack {
                by,
                parent,
                children,
            } => (
                by.resolve(Some(code(*parent))),
                unpacking(code(*parent), codes(children)),
            ),
            Op::Ship { by, codes: c, to } => {
                (by.resolve(first(c)), shipping(codes(c), ACTORS[*to]))
            }
            Op::Receive { by, codes: c } => (by.resolve(first(c)), receiving(codes(c))),
            Op::Transform {
                by,
                inputs,
                outputs,
            } => (
                by.resolve(first(inputs)),
                transforming(codes(inputs), codes(outputs), Some("L1")),
            ),
            Op::Sell { by, codes: c } => (by.resolve(first(c)), selling(codes(c))),
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    let n = (ITEMS + UNITS) as usize;
    let by = || {
        prop_oneof![
            1 => (0..ACTORS.len()).prop_map(Actor::Org),
            3 => Just(Actor::Expected),
        ]
    };
    let one = || 0..n;
    let some = || proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=2);
    let any_number = proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=2);
    prop_oneof![
        2 => (by(), one()).prop_map(|(by, code)| Op::Commission { by, code }),
        4 => (by(), one(), some())
            .prop_map(|(by, parent, children)| Op::Pack { by, parent, children }),
        2 => (by(), one(), any_number)
            .prop_map(|(by, parent, children)| Op::Unpack { by, parent, children }),
        4 => (by(), some(), 0..ACTORS.len()).prop_map(|(by, codes, to)| Op::Ship { by, codes, to }),
        4 => (by(), some()).prop_map(|(by, codes)| Op::Receive { by, codes }),
        1 => (by(), some(), some())
            .prop_map(|(by, inputs, outputs)| Op::Transform { by, inputs, outputs }),
        1 => (by(), some()).prop_map(|(by, codes)| Op::Sell { by, codes }),
    ]
}

/// Every history starts with the maker holding most of the pool (the last codes are left for commissioning and
/// transformation outputs).
fn start() {
    register_vaccine();
    run(
        "maker",
        vec![commissioning(
            (0..ITEMS - 2)
                .map(item)
                .chain((0..UNITS - 1).map(sscc))
                .collect(),
            "L1",
        )],
    );
}

/// Checks every invariant over the pool; remembers finished codes' records in `finished`.
fn check_invariants(finished: &mut BTreeMap<TraceCode, CodeState>) {
    for c in pool() {
        let inside: Vec<TraceCode> = Contents::iter_prefix(&c)
            .into_iter()
            .map(|(k, ())| k)
            .collect();
        let Some(state) = Trace::code(&c) else {
            assert!(
                inside.is_empty(),
                "{c:?} does not exist but holds {inside:?}"
            );
            continue;
        };
        // The parent chain ends, without repeats, within the nesting limit.
        let mut seen = BTreeSet::from([c]);
        let mut root = c;
        let mut next = state.parent;
        while let Some(p) = next {
            assert!(seen.insert(p), "{c:?} is its own ancestor through {p:?}");
            let parent = Trace::code(&p).unwrap_or_else(|| panic!("{c:?} is in unknown {p:?}"));
            root = p;
            next = parent.parent;
        }
        assert!(
            seen.len() <= MAX_NESTING,
            "{c:?} is nested {} deep",
            seen.len()
        );
        // One effective custodian: the root's.
        let custody = crate::custody::custody(&c, NOW).expect("a known code has a custody");
        let root_state = Trace::code(&root).expect("the root exists");
        assert_eq!(custody.root, root);
        assert_eq!(custody.custodian, root_state.custodian);
        if !state.status.is_finished() {
            assert_eq!(
                custody.status, root_state.status,
                "{c:?} does not travel with its root"
            );
        }
        // Contents(p, c) ⇔ Codes[c].parent == Some(p), and `children` counts them.
        if let Some(p) = state.parent {
            assert!(
                Contents::contains_key(&p, &c),
                "{c:?} is in {p:?} without a Contents entry"
            );
        }
        for child in &inside {
            assert_eq!(Trace::code(child).and_then(|s| s.parent), Some(c));
        }
        assert_eq!(
            state.children as usize,
            inside.len(),
            "children count of {c:?}"
        );
        // Only live codes are packed or hold anything.
        if state.status.is_finished() {
            assert!(state.parent.is_none() && inside.is_empty());
        }
        // A finished code never changes again (its history may still grow: inspections, documents).
        if state.status.is_finished() {
            let mut state = state.clone();
            state.history = Default::default();
            let first = finished.entry(c).or_insert_with(|| state.clone());
            assert_eq!(first, &state, "finished {c:?} changed");
        } else {
            assert!(
                !finished.contains_key(&c),
                "finished {c:?} came back to life"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_custody_histories_keep_the_invariants(ops in proptest::collection::vec(op(), 1..80)) {
        new_test_ext().execute_with(|| {
            start();
            let mut finished = BTreeMap::new();
            for op in &ops {
                let (org, event) = op.capture();
                let version = next_version();
                let root_before = pending_root(version);
                let events_before = event_count();
                let result = Trace::capture(&origin(name_of(org)), vec![event]);
                if let Err(e) = result {
                    assert_eq!(pending_root(version), root_before, "refused {op:?} ({e:?}) changed state");
                    assert_eq!(event_count(), events_before, "refused {op:?} ({e:?}) left events");
                } else {
                    assert_eq!(event_count(), events_before + 1, "{op:?} is one Captured event");
                }
                check_invariants(&mut finished);
            }
        });
    }
}

/// The generator must produce histories that do something: a fixed sample reaches every kind of state.
#[test]
fn the_generator_reaches_interesting_states() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut reached = BTreeSet::new();
    for _ in 0..64 {
        let ops = proptest::collection::vec(op(), 40)
            .new_tree(&mut runner)
            .expect("a sample")
            .current();
        new_test_ext().execute_with(|| {
            start();
            for op in &ops {
                let (org, event) = op.capture();
                let _ = Trace::capture(&origin(name_of(org)), vec![event]);
                for c in pool() {
                    let Some(state) = Trace::code(&c) else {
                        continue;
                    };
                    let custody = crate::custody::custody(&c, NOW).unwrap();
                    reached.insert(match (state.parent.is_some(), custody.status) {
                        (true, CodeStatus::InTransit { .. }) => "packed in transit",
                        (true, _) if custody.root != state.parent.unwrap() => "nested",
                        (true, _) => "packed",
                        (false, CodeStatus::InTransit { .. }) => "in transit",
                        (false, CodeStatus::Sold) => "sold",
                        (false, CodeStatus::Consumed) => "consumed",
                        (false, _) if state.custodian != MAKER => "received",
                        (false, _) => "held",
                    });
                }
            }
        });
    }
    for state in [
        "packed in transit",
        "nested",
        "packed",
        "in transit",
        "sold",
        "consumed",
        "received",
        "held",
    ] {
        assert!(
            reached.contains(state),
            "no sample reached {state:?}: {reached:?}"
        );
    }
}
