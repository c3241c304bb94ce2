//! 一键排查: a positive test on a lot.
//!
//! An inspection body's Inspector, or a regulator's Operator or Governance account, reports a positive test
//! (by the SHA-256 of the report) on a cold-chain lot — imported, or made from an imported lot. From then on:
//!
//! - the lot is **held** by the gate ([`crate::gate`]): its codes, and those of every lot made from it, may
//!   only be received (so the recall knows who holds them), stored, inspected or destroyed;
//! - a **regulator's** report also recalls the lot in the trace core (`Trace::recall_lot`, with the report as
//!   the notice), so the trace core's own rules and the recall query's statuses show it recalled. An inspection
//!   body may not recall a lot it does not own (trace's rule); its report holds the lot at once and the
//!   regulator confirms with a recall;
//! - [`Event::PositiveTest`] is deposited: an alert regulators see as soon as the block is final.
//!
//! The hold ends only by a regulator's decision ([`crate::decision`]): released on a negative retest, or the lot
//! disposed of. The downstream holders are then found by the runtime's recall query (`yima_runtime::query::recall`) from
//! the event index: every code of the lot, everything packed with it and made from it, with its holder.

use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, Origin};
use yima_membership::{tester, Tester};
use yima_trace::types::LotKey;

use crate::types::PositiveReport;
use crate::{ColdLots, Config, Error, Event, Pallet, Positives};

impl<T: Config> Pallet<T> {
    /// Reports a positive test on `lot` (an inspection body's Inspector or a regulator).
    pub fn report_positive(origin: &Origin, lot: LotKey, report: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let tester = tester(signer, Self::org_kind(signer.org))?.ok_or(Error::NotTester)?;
        let regulator = tester == Tester::Regulator;
        if report == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        let record = yima_trace::Pallet::<T>::lot(&lot).ok_or(Error::UnknownLot)?;
        if !ColdLots::contains_key(&lot) {
            return Err(Error::NotColdChainLot.into());
        }
        if Positives::contains_key(&lot) {
            return Err(Error::AlreadyReported.into());
        }

        let already_recalled = record.recalled.is_some();
        if regulator && !already_recalled {
            yima_trace::Pallet::<T>::recall_lot(origin, lot.clone(), report)?;
        }
        let recalled = regulator || already_recalled;
        Positives::insert(
            &lot,
            &PositiveReport {
                by: signer.org,
                report,
                at: yima_system::Pallet::<T>::block_number(),
                recalled,
            },
        );
        Self::deposit_event(Event::PositiveTest {
            lot,
            by: signer.org,
            report,
            recalled,
        });
        Ok(())
    }
}
