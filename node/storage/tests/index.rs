//! The RocksDB event index against the runtime's in-memory one on the same blocks.

mod common;

use common::*;
use yima_frame::BlockNumber;
use yima_runtime::query::{
    recall, trace, EventIndex, EventRef, MemoryIndex, RecallTarget, Role, StateCustody,
};
use yima_runtime::RuntimeEvent;

const BLOCKS: BlockNumber = 10;

#[test]
fn the_rocksdb_index_answers_as_the_memory_index() {
    let dir = tempfile::tempdir().unwrap();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    let mut memory = MemoryIndex::new();
    let mut chain = MemoryChain::new();
    let mut custody_events = 0;
    for _ in 0..BLOCKS {
        let built = produce(&store, &exec);
        assert_all_ok(&built);
        assert_eq!(chain.produce().block, built.block);
        custody_events += memory
            .ingest(built.block.header.number, &built.events)
            .unwrap();
    }
    let memory_custody = StateCustody::new(chain.state.clone());
    assert!(
        custody_events > 30,
        "the standard blocks capture custody events"
    );
    let state = store.state().unwrap();
    let index = state.index();
    assert_eq!(index.head(), Some(BLOCKS));

    let codes = memory.codes();
    assert_eq!(
        codes.len(),
        (BLOCKS as usize - 1) * (ITEMS + 1) + (BLOCKS as usize - 2) * 3,
        "every item, unit, raw item and output is indexed"
    );
    assert_eq!(
        index.codes_of_lot(&transformed_lot(5)).into_owned(),
        vec![item(5, 101), item(5, 102)]
    );
    let roles =
        |code| -> Vec<Role> { index.events_of_code(&code).iter().map(|e| e.role).collect() };
    assert_eq!(roles(item(5, 100)), vec![Role::Epc, Role::Input]);
    assert_eq!(roles(item(5, 101)), vec![Role::Output]);
    assert_eq!(roles(sscc(5)), vec![Role::Epc, Role::Parent, Role::Parent]);
    for n in 2..=BLOCKS {
        let unit = RecallTarget::Code(sscc(n));
        assert_eq!(
            recall(&index, &state.custody(), unit.clone()),
            recall(&memory, &memory_custody, unit)
        );
    }
    for code in &codes {
        let expected = memory.events_of_code(code);
        let got = index.events_of_code(code);
        assert_eq!(got, expected, "events of {code}");
        assert!(got.windows(2).all(|w| w[0] <= w[1]), "chain order");
        for entry in got.iter() {
            assert_eq!(index.event(entry.at()), memory.event(entry.at()));
        }
        assert_eq!(trace(&index, code), trace(&memory, code), "trace of {code}");
    }
    for lot in memory.lots() {
        assert_eq!(
            index.codes_of_lot(&lot),
            memory.codes_of_lot(&lot),
            "lot {lot:?}"
        );
        let custody = state.custody();
        assert_eq!(
            recall(&index, &custody, RecallTarget::Lot(lot.clone())),
            recall(&memory, &memory_custody, RecallTarget::Lot(lot.clone())),
        );
    }
    assert_eq!(index.codes_of_lot(&lot(BLOCKS + 5)).len(), 0);
    assert_eq!(index.events_of_code(&item(BLOCKS + 5, 0)).len(), 0);

    // Every event of every block: custody events come back, other events are not custody events.
    for n in 0..=BLOCKS {
        for (i, raw) in store.raw_events(n).unwrap().iter().enumerate() {
            let at = EventRef::new(n, i as u32);
            let is_custody = matches!(
                raw.decode::<RuntimeEvent>().unwrap().event,
                RuntimeEvent::Trace(yima_trace::Event::Captured { .. })
            );
            assert_eq!(index.event(at).is_some(), is_custody, "{at}");
            assert_eq!(index.event(at), memory.event(at));
        }
    }
}

#[test]
fn events_by_organisation_in_chain_order_with_paging() {
    let dir = tempfile::tempdir().unwrap();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    let mut memory = MemoryIndex::new();
    for _ in 0..BLOCKS {
        let built = produce(&store, &exec);
        memory
            .ingest(built.block.header.number, &built.events)
            .unwrap();
    }
    let index = store.index().unwrap();
    for org in [REGULATOR_ORG, MAKER_ORG] {
        let expected: Vec<EventRef> = (0..=BLOCKS)
            .flat_map(|n| {
                let len = store.events(n).unwrap().len() as u32;
                (0..len).map(move |i| EventRef::new(n, i))
            })
            .filter(|at| memory.event(*at).is_some_and(|e| e.org == org))
            .collect();
        assert!(!expected.is_empty(), "org {org} captured events");
        let all = index.org_events(org, EventRef::MIN, usize::MAX).unwrap();
        assert_eq!(all, expected, "org {org}");

        let mut paged = vec![];
        let mut from = EventRef::MIN;
        loop {
            let page = index.org_events(org, from, 3).unwrap();
            let Some(last) = page.last().copied() else {
                break;
            };
            paged.extend(page);
            from = EventRef::new(last.block, last.index + 1);
        }
        assert_eq!(paged, expected);
    }
    assert_eq!(index.org_events(77, EventRef::MIN, 10).unwrap(), vec![]);
    assert_eq!(
        index.org_events(MAKER_ORG, EventRef::MIN, 0).unwrap(),
        vec![]
    );
}

#[test]
fn an_index_taken_before_a_commit_does_not_see_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    produce(&store, &exec);
    produce(&store, &exec);
    let before = store.index().unwrap();
    produce(&store, &exec);
    let after = store.index().unwrap();
    let code = item(3, 0);
    assert_eq!(before.events_of_code(&code).len(), 0);
    assert!(!after.events_of_code(&code).is_empty());
    assert_eq!(before.codes_of_lot(&lot(3)).len(), 0);
    assert_eq!(
        after.codes_of_lot(&lot(3)).len(),
        ITEMS + 1,
        "the items and the raw item"
    );
}

#[test]
fn attestations_by_subject_in_chain_order() {
    let dir = tempfile::tempdir().unwrap();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    for _ in 0..BLOCKS {
        assert_all_ok(&produce(&store, &exec));
    }
    // Every Attested event, read from the blocks.
    let mut attested = vec![];
    for n in 0..=BLOCKS {
        for (i, raw) in store.raw_events(n).unwrap().iter().enumerate() {
            if let RuntimeEvent::Attestation(yima_attestation::Event::Attested {
                id,
                subject,
                ..
            }) = raw.decode::<RuntimeEvent>().unwrap().event
            {
                attested.push((subject, EventRef::new(n, i as u32), id));
            }
        }
    }
    let index = store.index().unwrap();
    let mut subjects: Vec<_> = attested.iter().map(|(s, _, _)| s.clone()).collect();
    subjects.dedup();
    for subject in subjects {
        let expected: Vec<_> = attested
            .iter()
            .filter(|(s, _, _)| *s == subject)
            .map(|(_, at, id)| (*at, *id))
            .collect();
        assert_eq!(
            index.attestations_of(&subject).unwrap(),
            expected,
            "{subject:?}"
        );
    }
    let maker = index.attestations_of(&maker_subject()).unwrap();
    assert_eq!(
        maker.iter().map(|(at, _)| at.block).collect::<Vec<_>>(),
        vec![4, 8],
        "an enforcement case every fourth block"
    );
    assert_eq!(index.attestations_of(&lot_subject(5)).unwrap().len(), 1);
    assert_eq!(
        index.attestations_of(&lot_subject(BLOCKS)).unwrap(),
        vec![],
        "not yet attested"
    );
}
