//! The production black box (生产黑匣子): per batch, the manufacturer anchors the digests of its WMS, SCADA and
//! LIMS records, so an inspector can later check the records it is shown are the ones made at the time.
//!
//! [`Pallet::anchor_batch_record`], checked before anything is written: the lot exists in trace —
//! [`Error::UnknownLot`]; it is a drug batch — [`Error::NotADrugLot`]; the signer (an Operator) acts for the
//! organisation that commissioned it — [`Error::NotLotOwner`]; the digest is not all zeros —
//! [`Error::InvalidDigest`]; that record is not anchored yet (each is written once) — [`Error::AlreadyAnchored`].
//!
//! While [`crate::types::DrugPolicy::require_batch_records`] holds, the capture gate ([`crate::gate`]) refuses any
//! shipment of a drug batch whose black box is incomplete: the batch cannot be released for sale.

use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, Origin, Role};
use yima_trace::types::{Category, LotKey};

use crate::types::{Anchor, BatchRecordKind, BatchRecords};
use crate::{BatchRecordsOf, Config, Error, Event, Pallet};

impl<T: Config> Pallet<T> {
    /// Anchors one production record digest of a batch (see the module docs).
    pub fn anchor_batch_record(
        origin: &Origin,
        lot: LotKey,
        kind: BatchRecordKind,
        digest: Hash,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Operator)?;
        let record = yima_trace::Pallet::<T>::lot(&lot).ok_or(Error::UnknownLot)?;
        if !Self::is_drug_lot(&lot) {
            return Err(Error::NotADrugLot.into());
        }
        if record.owner != signer.org {
            return Err(Error::NotLotOwner.into());
        }
        if digest == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        let mut records = BatchRecordsOf::get(&lot).unwrap_or_default();
        let slot = records.slot(kind);
        if slot.is_some() {
            return Err(Error::AlreadyAnchored.into());
        }
        *slot = Some(Anchor {
            digest,
            block: yima_system::Pallet::<T>::block_number(),
            time: Self::now(),
        });
        BatchRecordsOf::insert(&lot, &records);
        Self::deposit_event(Event::BatchRecordAnchored {
            lot,
            kind,
            digest,
            complete: records.is_complete(),
        });
        Ok(())
    }

    /// The black box of `lot` (empty if nothing was anchored).
    pub fn batch_records(lot: &LotKey) -> BatchRecords {
        BatchRecordsOf::get(lot).unwrap_or_default()
    }

    /// Whether `lot` is a batch of a product of category drug.
    pub fn is_drug_lot(lot: &LotKey) -> bool {
        yima_trace::Pallet::<T>::product(&lot.product).is_some_and(|p| p.category == Category::Drug)
    }
}
