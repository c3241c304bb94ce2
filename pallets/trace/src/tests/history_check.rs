//! The pure history check: a trace whose hops are not exactly the committed histories — a hop missing, added,
//! reordered, altered or from another code, in the code's chain or a container's — is refused, naming the hop
//! or the count. No runtime: the chains are built as the pallet commits them.

use std::collections::BTreeMap;

use yima_codes::TraceCode;

use crate::epcis::{Action, BizStep, EpcisEvent};
use crate::history::{
    check_chain, check_history, Chain, HistoryError, HistorySummary, Position, ProvenHop, Relation,
    ShownHop,
};
use crate::mock::{item, object, packing, shipping, sscc, unpacking};

fn hop(block: u64, index: u32, event: EpcisEvent) -> ProvenHop {
    ProvenHop {
        at: Position::new(block, index),
        org: 1,
        event,
    }
}

fn storing(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, BizStep::Storing)
}

/// The committed chain of `code` over the true `hops` (what the pallet's summary holds).
fn committed(hops: Vec<ProvenHop>) -> Chain {
    let summary = hops.iter().fold(HistorySummary::default(), |s, h| {
        s.extend(h.at, &h.digest())
    });
    Chain { summary, hops }
}

/// Item 0 packed into SSCC 0, shipped, received, unpacked (all), then each stored on its own.
fn scenario() -> BTreeMap<TraceCode, Chain> {
    let (i, c) = (item(0), sscc(0));
    let commission_i = hop(1, 0, object(Action::Add, vec![i], BizStep::Commissioning));
    let commission_c = hop(1, 1, object(Action::Add, vec![c], BizStep::Commissioning));
    let pack = hop(2, 0, packing(c, vec![i]));
    let ship = hop(3, 0, shipping(vec![c], 2));
    let receive = hop(4, 0, object(Action::Observe, vec![c], BizStep::Receiving));
    let unpack = hop(5, 0, unpacking(c, vec![]));
    let store_c = hop(6, 0, storing(vec![c]));
    let store_i = hop(6, 1, storing(vec![i]));
    BTreeMap::from([
        (i, committed(vec![commission_i, pack.clone(), store_i])),
        (
            c,
            committed(vec![commission_c, pack, ship, receive, unpack, store_c]),
        ),
    ])
}

/// What an honest trace of item 0 shows.
fn shown() -> Vec<ShownHop> {
    let own = |b, i| ShownHop {
        at: Position::new(b, i),
        relation: Relation::Own,
        subject: item(0),
    };
    let container = |b| ShownHop {
        at: Position::new(b, 0),
        relation: Relation::Container,
        subject: sscc(0),
    };
    vec![
        own(1, 0),
        own(2, 0),
        container(3),
        container(4),
        container(5),
        own(6, 1),
    ]
}

#[test]
fn an_honest_history_passes() {
    let chains = scenario();
    let checked = check_history(&item(0), &chains, &shown()).unwrap();
    assert_eq!(checked.hops.len(), 6);
    assert_eq!(checked.codes.len(), 2);
}

#[test]
fn a_missing_hop_is_refused_with_the_count() {
    let mut chains = scenario();
    chains.get_mut(&item(0)).unwrap().hops.pop();
    assert_eq!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::Missing {
            code: item(0),
            committed: 3,
            given: 2
        })
    );
    // A container's hop left out is refused too.
    let mut chains = scenario();
    chains.get_mut(&sscc(0)).unwrap().hops.remove(2);
    let err = check_history(&item(0), &chains, &shown()).unwrap_err();
    assert!(
        matches!(err, HistoryError::Missing { code, .. } if code == sscc(0)),
        "{err}"
    );
}

#[test]
fn an_added_hop_is_refused() {
    let mut chains = scenario();
    let twice = chains[&item(0)].hops[1].clone();
    chains.get_mut(&item(0)).unwrap().hops.insert(2, twice);
    assert_eq!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::DuplicateHop {
            code: item(0),
            at: Position::new(2, 0)
        })
    );
    // A well-formed event naming the code that the chain never committed.
    let mut chains = scenario();
    chains
        .get_mut(&item(0))
        .unwrap()
        .hops
        .push(hop(7, 0, storing(vec![item(0)])));
    assert_eq!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::Added {
            code: item(0),
            committed: 3,
            given: 4
        })
    );
}

#[test]
fn reordered_hops_are_refused_naming_the_hop() {
    let mut chains = scenario();
    chains.get_mut(&item(0)).unwrap().hops.swap(1, 2);
    assert_eq!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::Reordered {
            code: item(0),
            at: Position::new(2, 0),
            after: Position::new(6, 1)
        })
    );
}

#[test]
fn a_hop_from_another_code_is_refused() {
    let mut chains = scenario();
    chains.get_mut(&item(0)).unwrap().hops[2] = hop(6, 1, storing(vec![item(1)]));
    assert_eq!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::ForeignHop {
            code: item(0),
            at: Position::new(6, 1)
        })
    );
}

#[test]
fn an_altered_or_moved_hop_is_refused() {
    let mut chains = scenario();
    chains.get_mut(&item(0)).unwrap().hops[2].event.biz_step = BizStep::Inspecting;
    assert_eq!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::Altered {
            code: item(0),
            given: 3
        })
    );
    // The same event claimed at another position of its block.
    let mut chains = scenario();
    chains.get_mut(&item(0)).unwrap().hops[2].at = Position::new(6, 2);
    assert!(matches!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::Altered { .. })
    ));
    // Another organisation named as its capturer.
    let mut chains = scenario();
    chains.get_mut(&item(0)).unwrap().hops[0].org = 2;
    assert!(matches!(
        check_chain(&item(0), &chains[&item(0)]),
        Err(HistoryError::Altered { .. })
    ));
}

#[test]
fn a_trace_that_leaves_out_a_container_hop_is_refused_naming_it() {
    let chains = scenario();
    let mut shown = shown();
    shown.remove(2);
    assert_eq!(
        check_history(&item(0), &chains, &shown),
        Err(HistoryError::NotShown {
            at: Position::new(3, 0),
            relation: Relation::Container,
            subject: sscc(0)
        })
    );
}

#[test]
fn a_trace_that_adds_a_hop_outside_the_window_or_mislabels_one_is_refused() {
    let chains = scenario();
    // The container's storing after the unpacking is not the item's.
    let mut added = shown();
    added.push(ShownHop {
        at: Position::new(6, 0),
        relation: Relation::Container,
        subject: sscc(0),
    });
    assert_eq!(
        check_history(&item(0), &chains, &added),
        Err(HistoryError::NotInHistory {
            at: Position::new(6, 0),
            relation: Relation::Container
        })
    );
    // The shipping of the container shown as the item's own event.
    let mut mislabelled = shown();
    mislabelled[2].relation = Relation::Own;
    mislabelled[2].subject = item(0);
    assert!(matches!(
        check_history(&item(0), &chains, &mislabelled),
        Err(HistoryError::Mislabelled { at, derived: Relation::Container, .. }) if at == Position::new(3, 0)
    ));
    // A container chain withheld: the window cannot be checked.
    let mut withheld = chains.clone();
    withheld.remove(&sscc(0));
    assert!(matches!(
        check_history(&item(0), &withheld, &shown()),
        Err(HistoryError::NoChain { code, .. }) if code == sscc(0)
    ));
}
