//! The `evidence` column: equivocation records the node saw, kept by the height they were signed for.
//!
//! The store does not read the records (they are the consensus crate's encoding, which this crate does not
//! depend on); it keeps them durably under `height ++ id` and hands them back in height order. The caller
//! names each record by a digest of its content, so the same record written twice is one entry.

use rocksdb::{WriteBatch, WriteOptions};
use yima_frame::{BlockNumber, Hash};

use crate::columns::Column;
use crate::error::StorageError;
use crate::keys;
use crate::store::Store;

/// One stored record: the height its messages were signed for, its id and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvidence {
    /// The height the conflicting messages were signed for.
    pub height: BlockNumber,
    /// The record's content digest (chosen by the writer).
    pub id: Hash,
    /// The record.
    pub record: Vec<u8>,
}

impl Store {
    /// Keeps `records` (each `(height, id, bytes)`) in one durable write; a record whose `(height, id)` is
    /// already there is rewritten with the same bytes, so repeating a record adds nothing.
    pub fn put_evidence(
        &self,
        records: &[(BlockNumber, Hash, Vec<u8>)],
    ) -> Result<(), StorageError> {
        if records.is_empty() {
            return Ok(());
        }
        let mut batch = WriteBatch::default();
        for (height, id, bytes) in records {
            batch.put_cf(self.cf(Column::Evidence), key(*height, id), bytes);
        }
        let mut opts = WriteOptions::default();
        opts.set_sync(self.options.sync);
        self.db.write_opt(batch, &opts)?;
        Ok(())
    }

    /// Up to `limit` records at heights `from` and above, in height order (then by id).
    pub fn evidence(
        &self,
        from: BlockNumber,
        limit: usize,
    ) -> Result<Vec<StoredEvidence>, StorageError> {
        let mut out = Vec::new();
        if limit == 0 {
            return Ok(out);
        }
        let mut it = self.db.raw_iterator_cf(self.cf(Column::Evidence));
        it.seek(keys::block(from));
        while let (Some(k), Some(v)) = (it.key(), it.value()) {
            let (height, id) = split(k)?;
            out.push(StoredEvidence {
                height,
                id,
                record: v.to_vec(),
            });
            if out.len() == limit {
                return Ok(out);
            }
            it.next();
        }
        it.status()?;
        Ok(out)
    }
}

fn key(height: BlockNumber, id: &Hash) -> Vec<u8> {
    let mut k = keys::block(height).to_vec();
    k.extend_from_slice(&id.0);
    k
}

fn split(k: &[u8]) -> Result<(BlockNumber, Hash), StorageError> {
    let corrupt = || StorageError::corrupt("evidence key", "not 8 + 32 bytes");
    let (height, id) = (
        k.get(..8).ok_or_else(corrupt)?,
        k.get(8..).ok_or_else(corrupt)?,
    );
    let id: [u8; 32] = id.try_into().map_err(|_| corrupt())?;
    let height = u64::from_be_bytes(height.try_into().map_err(|_| corrupt())?);
    Ok((height, Hash(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    #[test]
    fn records_are_kept_once_in_height_order_and_survive_a_reopen() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = Store::open(dir.path(), StoreOptions::default()).expect("opens");
        let a = (7, Hash([2; 32]), b"seven".to_vec());
        let b = (3, Hash([9; 32]), b"three".to_vec());
        let c = (7, Hash([1; 32]), b"seven again".to_vec());
        store
            .put_evidence(&[a.clone(), b.clone()])
            .expect("written");
        store
            .put_evidence(&[a.clone(), c.clone()])
            .expect("written");
        let all = store.evidence(0, 10).expect("read");
        let got: Vec<_> = all
            .iter()
            .map(|e| (e.height, e.id, e.record.clone()))
            .collect();
        assert_eq!(
            got,
            vec![b, c.clone(), a.clone()],
            "by height, then id; the repeat kept once"
        );
        assert_eq!(store.evidence(4, 1).expect("read")[0].record, c.2);
        assert!(store.evidence(8, 10).expect("read").is_empty());
        assert!(store.evidence(0, 0).expect("read").is_empty());
        drop(all);
        drop(store);

        let store = Store::open(dir.path(), StoreOptions::default()).expect("reopens");
        assert_eq!(store.evidence(0, 10).expect("read").len(), 3);
    }
}
