//! `Store::check_head` on a sound store and on stores damaged the ways a failing disk or a hand edit damages
//! them: each damage is found and named, none passes.

mod common;

use common::*;
use parity_scale_codec::Encode;
use yima_frame::Hash;
use yima_storage::StorageError;

/// A store with genesis and three blocks, closed; returns its directory.
fn chain_of_three() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (store, genesis) = open_with_genesis(dir.path());
    assert_eq!(
        store.check_head().unwrap(),
        Some(0),
        "genesis alone holds together"
    );
    let exec = executive(&genesis);
    for _ in 0..3 {
        produce(&store, &exec);
    }
    assert_eq!(store.check_head().unwrap(), Some(3));
    dir
}

/// Edits the closed database at `dir` with raw RocksDB, as a failing disk or a careless operator would.
fn edit(dir: &tempfile::TempDir, f: impl FnOnce(&rocksdb::DB)) {
    let names = rocksdb::DB::list_cf(&rocksdb::Options::default(), dir.path()).unwrap();
    let db = rocksdb::DB::open_cf(&rocksdb::Options::default(), dir.path(), &names).unwrap();
    f(&db);
}

fn block_key(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

/// The damage `check_head` reports on the edited store (it must report one).
fn damage(dir: &tempfile::TempDir) -> String {
    match open(dir.path()).check_head() {
        Err(e @ StorageError::DamagedHead { number: 3, .. }) => e.to_string(),
        other => panic!("the damage went unnoticed: {other:?}"),
    }
}

#[test]
fn a_head_whose_body_is_another_blocks_is_found() {
    let dir = chain_of_three();
    edit(&dir, |db| {
        let bodies = db.cf_handle("bodies").unwrap();
        let other = db.get_cf(bodies, block_key(2)).unwrap().unwrap();
        db.put_cf(bodies, block_key(3), other).unwrap();
    });
    assert!(damage(&dir).contains("transactions give root"));
}

#[test]
fn a_head_that_lost_an_event_is_found() {
    let dir = chain_of_three();
    edit(&dir, |db| {
        let events = db.cf_handle("events").unwrap();
        let mut key = block_key(3).to_vec();
        key.extend_from_slice(&0u32.to_be_bytes());
        assert!(
            db.get_cf(events, &key).unwrap().is_some(),
            "block 3 has events"
        );
        db.delete_cf(events, key).unwrap();
    });
    assert!(damage(&dir).contains("stored events give root"));
}

#[test]
fn a_header_whose_state_root_disagrees_with_the_state_is_found() {
    let dir = chain_of_three();
    edit(&dir, |db| {
        // A consistent-looking head (indexed under its new hash) whose state root is not the tree's.
        let headers = db.cf_handle("headers").unwrap();
        let hashes = db.cf_handle("hashes").unwrap();
        let raw = db.get_cf(headers, block_key(3)).unwrap().unwrap();
        let mut header =
            <yima_runtime::Header as parity_scale_codec::Decode>::decode(&mut &raw[..]).unwrap();
        db.delete_cf(hashes, header.hash().0).unwrap();
        header.state_root = Hash([7; 32]);
        db.put_cf(headers, block_key(3), header.encode()).unwrap();
        db.put_cf(hashes, header.hash().0, block_key(3)).unwrap();
    });
    assert!(damage(&dir).contains("the stored state has root"));
}

#[test]
fn a_head_without_its_certificate_or_index_entry_is_found() {
    let dir = chain_of_three();
    edit(&dir, |db| {
        let certificates = db.cf_handle("certificates").unwrap();
        db.delete_cf(certificates, block_key(3)).unwrap();
    });
    assert!(damage(&dir).contains("certificate is missing"));

    let dir = chain_of_three();
    edit(&dir, |db| {
        let headers = db.cf_handle("headers").unwrap();
        let raw = db.get_cf(headers, block_key(3)).unwrap().unwrap();
        let header =
            <yima_runtime::Header as parity_scale_codec::Decode>::decode(&mut &raw[..]).unwrap();
        let hashes = db.cf_handle("hashes").unwrap();
        db.delete_cf(hashes, header.hash().0).unwrap();
    });
    assert!(damage(&dir).contains("is not indexed as block 3"));
}
