//! The store against the in-memory state: same roots, same state, blocks read back, proofs, refusals.

mod common;

use std::sync::Arc;

use common::*;
use yima_frame::event::RawEvent;
use yima_frame::state::{empty_root, verify_state_proof, MemoryState, StateBackend, StateError};
use yima_frame::Hash;
use yima_runtime::query::EventRef;
use yima_storage::{GenesisInit, StorageError, Store, StoreOptions};

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Every key and value of a backend's latest version.
fn all(state: &dyn StateBackend) -> Vec<(Vec<u8>, Vec<u8>)> {
    state.scan_prefix(&[]).unwrap()
}

#[test]
fn blocks_built_on_rocksdb_equal_blocks_built_in_memory() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let mut memory = MemoryChain::new();
    assert_eq!(genesis, memory.head, "same genesis in both backends");
    let exec = executive(&genesis);
    for n in 1..=12 {
        let expected = memory.produce();
        assert_all_ok(&expected);
        let built = produce(&store, &exec);
        assert_eq!(
            built.block, expected.block,
            "block {n}: same header (so the same state root) and body"
        );
        assert_eq!(built.events, expected.events);
        let state = store.state().unwrap();
        assert_eq!(state.version(), Some(n));
        assert_eq!(state.root(), memory.state.root());
        assert_eq!(state.tree_root(n).unwrap(), built.block.header.state_root);
        assert_eq!(all(&state), all(&*memory.state), "block {n}: flat state");
    }
}

#[test]
fn blocks_certificates_and_events_read_back() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    assert_eq!(store.head().unwrap(), Some(genesis.clone()));
    assert_eq!(store.certificate(0).unwrap(), None);
    assert_eq!(store.block(0).unwrap().unwrap().extrinsics, vec![]);
    let mut blocks = vec![];
    for _ in 0..5 {
        blocks.push(produce(&store, &exec));
    }
    for built in &blocks {
        let header = &built.block.header;
        let n = header.number;
        assert_eq!(store.header(n).unwrap().as_ref(), Some(header));
        assert_eq!(
            store.header_by_hash(&header.hash()).unwrap().as_ref(),
            Some(header)
        );
        assert_eq!(store.number_of(&header.hash()).unwrap(), Some(n));
        assert_eq!(store.block(n).unwrap().as_ref(), Some(&built.block));
        assert_eq!(store.certificate(n).unwrap(), Some(certificate(n)));
        let records: Vec<Vec<u8>> = built.events.iter().map(RawEvent::record_bytes).collect();
        assert_eq!(store.events(n).unwrap(), records);
        assert_eq!(store.raw_events(n).unwrap(), built.events);
        assert_eq!(
            yima_runtime::merkle::root(&store.events(n).unwrap()),
            header.events_root,
            "stored records are the leaves of events_root"
        );
        for (i, record) in records.iter().enumerate() {
            assert_eq!(
                store.event(EventRef::new(n, i as u32)).unwrap().as_ref(),
                Some(record)
            );
        }
        assert_eq!(
            store.event(EventRef::new(n, records.len() as u32)).unwrap(),
            None
        );
    }
    assert_eq!(
        store.head().unwrap().as_ref(),
        Some(&blocks[4].block.header)
    );
    assert_eq!(store.header(6).unwrap(), None);
    assert_eq!(store.block(6).unwrap(), None);
    assert_eq!(store.events(6).unwrap(), Vec::<Vec<u8>>::new());
    assert_eq!(store.header_by_hash(&Hash([7; 32])).unwrap(), None);
    assert_eq!(store.genesis_hash().unwrap(), Some(genesis.hash()));
}

#[test]
fn proofs_verify_for_present_absent_deleted_and_historical_keys() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    let memory = Arc::new(MemoryState::new());
    memory
        .commit(common::genesis(Arc::new(MemoryState::new())).update)
        .unwrap();
    let mut updates = vec![];
    for _ in 0..6 {
        let built = produce(&store, &exec);
        memory.commit(built.update.clone()).unwrap();
        updates.push(built.update);
    }
    let state = store.state().unwrap();
    let head = state.version().unwrap();

    // Every key any block wrote, at every height: same value and a proof that verifies.
    let mut deleted = 0;
    for update in &updates {
        for (key, change) in &update.changes {
            for version in 0..=head {
                let root = state.root_at(version).unwrap();
                assert_eq!(Some(root), memory.root_at(version));
                let (value, proof) = state.prove(key, version).unwrap();
                let (expected, _) = memory.prove(key, version).unwrap();
                assert_eq!(value, expected, "key {key:?} at {version}");
                assert_eq!(state.get_at(key, version).unwrap(), expected);
                verify_state_proof(root, key, value.as_deref(), &proof).unwrap();
                if let Some(v) = &value {
                    let mut forged = v.clone();
                    forged.push(0);
                    assert!(verify_state_proof(root, key, Some(&forged), &proof).is_err());
                    assert!(verify_state_proof(root, key, None, &proof).is_err());
                }
            }
            if change.is_none() {
                deleted += 1;
                let (value, proof) = state.prove(key, update.version).unwrap();
                assert_eq!(value, None, "deleted at {}", update.version);
                verify_state_proof(state.root_at(update.version).unwrap(), key, None, &proof)
                    .unwrap();
                let (before, _) = state.prove(key, update.version - 1).unwrap();
                assert!(before.is_some(), "present before its deletion");
            }
        }
    }
    assert!(deleted > 0, "the standard blocks delete container contents");

    let (absent, proof) = state.prove(b"no such key", head).unwrap();
    assert_eq!(absent, None);
    verify_state_proof(state.root(), b"no such key", None, &proof).unwrap();
    assert!(verify_state_proof(state.root(), b"no such key", Some(b"x"), &proof).is_err());

    assert!(matches!(
        state.prove(b"k", head + 1),
        Err(StorageError::UnknownVersion { .. })
    ));
}

#[test]
fn a_pinned_state_sees_one_height_while_blocks_are_committed() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    produce(&store, &exec);
    let pinned = store.state().unwrap();
    let before = all(&pinned);
    let root = pinned.root();
    let parent = store.head().unwrap().unwrap();

    let next = produce(&store, &exec);
    assert_eq!(
        pinned.version(),
        Some(1),
        "the pinned view stays at its height"
    );
    assert_eq!(pinned.root(), root);
    assert_eq!(all(&pinned), before);
    assert_ne!(
        all(&store.state().unwrap()),
        before,
        "a fresh view sees block 2"
    );

    // Building block 2 again on the pinned view gives the committed block 2.
    let again = build(&exec, Arc::new(pinned.clone()), &parent);
    assert_eq!(again.block, next.block);
    assert!(matches!(
        pinned.prepare(7, vec![]),
        Err(StateError::Version {
            expected: 2,
            got: 7
        })
    ));
}

#[test]
fn refuses_blocks_that_do_not_follow_the_head() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    let state = Arc::new(store.state().unwrap());
    let one = build(&exec, state, &genesis);
    let commit = |built: &yima_runtime::BuiltBlock| {
        store.commit_block(&built.block, b"cert", built.update.clone(), &built.events)
    };

    let mut wrong_parent = one.block.clone();
    wrong_parent.header.parent_hash = Hash([9; 32]);
    let err = store
        .commit_block(&wrong_parent, b"cert", one.update.clone(), &one.events)
        .unwrap_err();
    assert!(
        matches!(err, StorageError::ParentMismatch { number: 1, .. }),
        "{err}"
    );

    let mut wrong_root = one.block.clone();
    wrong_root.header.state_root = Hash([1; 32]);
    let err = store
        .commit_block(&wrong_root, b"cert", one.update.clone(), &one.events)
        .unwrap_err();
    assert!(
        matches!(err, StorageError::StateRootMismatch { .. }),
        "{err}"
    );

    let err = store
        .commit_block(&one.block, b"cert", one.update.clone(), &one.events[1..])
        .unwrap_err();
    assert!(
        matches!(err, StorageError::EventsRootMismatch { .. }),
        "{err}"
    );
    assert_eq!(store.head_number().unwrap(), Some(0), "nothing was written");

    commit(&one).unwrap();
    let err = commit(&one).unwrap_err();
    assert!(
        matches!(err, StorageError::NotNext { head: 1, got: 1 }),
        "{err}"
    );

    let two = build(&exec, Arc::new(store.state().unwrap()), &one.block.header);
    let three = {
        let memory = MemoryChain::new();
        memory.state.commit(one.update.clone()).unwrap();
        memory.state.commit(two.update.clone()).unwrap();
        build(&exec, memory.state.clone(), &two.block.header)
    };
    let err = commit(&three).unwrap_err();
    assert!(
        matches!(err, StorageError::NotNext { head: 1, got: 3 }),
        "{err}"
    );

    let err = store
        .commit_block(&two.block, b"cert", three.update.clone(), &two.events)
        .unwrap_err();
    assert!(
        matches!(
            err,
            StorageError::UpdateVersion {
                number: 2,
                version: 3
            }
        ),
        "{err}"
    );
    commit(&two).unwrap();
    commit(&three).unwrap();
    assert_eq!(store.head_number().unwrap(), Some(3));
}

#[test]
fn genesis_is_written_once_and_another_chain_is_refused() {
    let dir = temp();
    let store = open(dir.path());
    assert_eq!(store.head().unwrap(), None);
    let empty = store.state().unwrap();
    assert_eq!(empty.version(), None);
    assert_eq!(empty.root(), empty_root());

    let block = MemoryChain::new().produce();
    let err = store
        .commit_block(&block.block, b"", block.update, &block.events)
        .unwrap_err();
    assert!(matches!(err, StorageError::NoGenesis), "{err}");

    let dev = genesis(Arc::new(store.state().unwrap()));
    assert_eq!(store.init_genesis(&dev).unwrap(), GenesisInit::Written);
    assert_eq!(store.init_genesis(&dev).unwrap(), GenesisInit::AlreadyThere);

    let local = yima_chain_spec::presets::local()
        .build_genesis(Arc::new(MemoryState::new()))
        .unwrap();
    let err = store.init_genesis(&local).unwrap_err();
    assert!(matches!(err, StorageError::OtherChain { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&dev.header.hash().to_string()),
        "{message}"
    );
    assert!(message.contains("use another --base-path"), "{message}");
    // The database closes when the store and every view of it are gone.
    drop((store, empty));

    // Still the dev chain after reopening; genesis over a non-empty state is refused by the runtime.
    let store = open(dir.path());
    assert_eq!(store.genesis_hash().unwrap(), Some(dev.header.hash()));
    assert!(yima_chain_spec::presets::dev()
        .build_genesis(Arc::new(store.state().unwrap()))
        .is_err());
}

#[test]
fn a_reopened_store_resumes_at_its_head() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    for _ in 0..3 {
        produce(&store, &exec);
    }
    let head = store.head().unwrap().unwrap();
    let flat = all(&store.state().unwrap());
    drop(store);

    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    assert_eq!(store.head().unwrap(), Some(head.clone()));
    assert_eq!(all(&store.state().unwrap()), flat);
    let next = produce(&store, &exec);
    assert_eq!(next.block.header.parent_hash, head.hash());
    assert_eq!(store.head_number().unwrap(), Some(4));
}

#[test]
fn a_second_process_cannot_open_the_same_database() {
    let dir = temp();
    let _store = open(dir.path());
    let err = Store::open(dir.path(), StoreOptions::default()).unwrap_err();
    assert!(matches!(err, StorageError::Open { .. }), "{err}");
    assert!(err.to_string().contains("no other node process"), "{err}");
}

#[test]
fn undecided_proposals_survive_until_their_height_is_committed() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    let (a, b, c) = (Hash([1; 32]), Hash([2; 32]), Hash([3; 32]));
    store.store_undecided(1, 0, &a, b"a at 1/0").unwrap();
    store.store_undecided(1, 0, &b, b"b at 1/0").unwrap();
    store.store_undecided(1, 2, &a, b"a at 1/2").unwrap();
    store.store_undecided(2, 0, &c, b"c at 2/0").unwrap();
    store.store_undecided(1, 0, &a, b"a at 1/0 again").unwrap();
    drop(store);

    let store = open(dir.path());
    assert_eq!(
        store.undecided(1, 0).unwrap(),
        vec![(a, b"a at 1/0 again".to_vec()), (b, b"b at 1/0".to_vec())]
    );
    assert_eq!(store.undecided(1, 1).unwrap(), vec![]);
    assert_eq!(
        store.undecided_by_hash(1, &a).unwrap(),
        Some(b"a at 1/2".to_vec()),
        "the latest round"
    );
    assert_eq!(store.undecided_by_hash(1, &c).unwrap(), None);

    produce(&store, &exec);
    assert_eq!(
        store.undecided(1, 0).unwrap(),
        vec![],
        "decided height pruned"
    );
    assert_eq!(store.undecided_by_hash(1, &a).unwrap(), None);
    assert_eq!(
        store.undecided(2, 0).unwrap(),
        vec![(c, b"c at 2/0".to_vec())]
    );
}

/// A database written before the hand-over index (schema version 2) gets the index on open, rebuilt from its
/// headers, and the current schema version.
#[test]
fn a_version_2_store_gets_its_hand_over_index_on_open() {
    let dir = temp();
    let (store, genesis) = open_with_genesis(dir.path());
    let exec = executive(&genesis);
    produce(&store, &exec);
    // Block 2 hands over to another validator set (the store records what its header says; consensus and
    // execution vouch for it in a node).
    let state = Arc::new(store.state().unwrap());
    let head = store.head().unwrap().unwrap();
    let mut built = build(&exec, state, &head);
    built.block.header.next_validators_hash = Hash([7; 32]);
    store
        .commit_block(&built.block, b"", built.update.clone(), &built.events)
        .unwrap();
    let handover = built.block.header.number;
    assert_eq!(store.handovers_below(10).unwrap(), vec![handover]);
    drop(store);

    // Make it a version-2 database: no hand-over index, schema 2.
    {
        let path = dir.path();
        let names = rocksdb::DB::list_cf(&rocksdb::Options::default(), path).unwrap();
        let db = rocksdb::DB::open_cf(&rocksdb::Options::default(), path, &names).unwrap();
        let handovers = db.cf_handle("handovers").unwrap();
        let keys: Vec<Box<[u8]>> = db
            .iterator_cf(handovers, rocksdb::IteratorMode::Start)
            .map(|kv| kv.unwrap().0)
            .collect();
        assert_eq!(keys.len(), 1);
        for key in keys {
            db.delete_cf(handovers, key).unwrap();
        }
        let meta = db.cf_handle("meta").unwrap();
        db.put_cf(meta, b"schema", 2u32.to_be_bytes()).unwrap();
    }

    let store = open(dir.path());
    assert_eq!(store.handovers_below(10).unwrap(), vec![handover]);
    assert_eq!(store.handovers_below(handover).unwrap(), Vec::<u64>::new());
    drop(store);
    // Migrated for good: the next open finds version 3 and the index.
    let store = open(dir.path());
    assert_eq!(store.handovers_below(10).unwrap(), vec![handover]);
}
