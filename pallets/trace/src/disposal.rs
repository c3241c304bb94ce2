//! Lot disposal (不合格产品后处理) and the end of a hold's recall: the two lot-level marks a domain pallet sets
//! when a regulator decides a hold (food, cold chain).
//!
//! - [`Pallet::dispose_lot`] marks a lot disposed of ([`crate::types::Lot::disposed`], the disposal attestation
//!   the regulator cited): from then on every code of the lot counts as `Destroyed` ([`crate::custody`]) and can
//!   never be shipped, packed, sold or transformed again, and no code is commissioned into the lot. Goods in
//!   transit may still be received, as recalled goods may, so the regulator knows where they are. One write on the
//!   lot, not one per code: a lot may have 10,000 codes. Deposits [`Event::LotDisposed`].
//! - [`Pallet::lift_recall`] ends a lot's recall when — and only when — its notice is the one a domain pallet
//!   recalled it with (a regulator's failed test or positive report, cited by the hold it released). A recall
//!   for any other notice stands.
//!
//! Neither checks who asks: they are not calls, and the domain pallet that calls them checks the regulator and
//! the decision (`yima_food`, `yima_cold_chain`) before its first write.

use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash};

use crate::types::LotKey;
use crate::{Config, Error, Event, Lots, Pallet};

impl<T: Config> Pallet<T> {
    /// Marks `lot` disposed of, citing the disposal attestation `disposal`: its codes count as destroyed.
    pub fn dispose_lot(lot: &LotKey, disposal: Hash) -> DispatchResult {
        let mut record = Lots::get(lot).ok_or(Error::UnknownLot)?;
        if record.disposed.is_some() {
            return Err(Error::AlreadyDisposed.into());
        }
        record.disposed = Some(disposal);
        Lots::insert(lot, &record);
        Self::deposit_event(Event::LotDisposed {
            lot: lot.clone(),
            disposal,
        });
        Ok(())
    }

    /// Ends the recall of `lot` if it stands for `notice`; returns whether it did.
    pub fn lift_recall(lot: &LotKey, notice: Hash) -> bool {
        match Lots::get(lot) {
            Some(mut record) if record.recalled == Some(notice) => {
                record.recalled = None;
                Lots::insert(lot, &record);
                true
            }
            _ => false,
        }
    }
}
