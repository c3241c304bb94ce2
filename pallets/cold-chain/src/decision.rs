//! Closing the loop (闭环): negative retests, and the regulator's decision that ends a positive lot's hold.
//!
//! - **Negative test** ([`Pallet::report_negative`]): an inspection body's Inspector or a regulator's Operator
//!   or Governance account reports a negative test (by the SHA-256 of the report) on a cold-chain lot. While the
//!   lot is held by its own positive test, the negative is a **retest** of that positive report
//!   ([`NegativeReport::retests`]); a negative reported before the positive one never counts.
//! - **Release** ([`Pallet::release_hold`]): a regulator (Operator or Governance account of a regulator
//!   organisation) releases the hold citing a negative retest of the lot's standing positive report and the
//!   SHA-256 of the decision document. The positive report leaves [`Positives`] (a new positive report opens a
//!   new hold); the recall the positive report made in the trace core (a regulator's report recalls with the
//!   report digest) ends with it, a recall for any other notice stands. [`Event::HoldReleased`].
//! - **Disposal** ([`Pallet::dispose_lot`]): a regulator disposes of a held lot citing a valid
//!   `UNQUALIFIED_PRODUCT_DISPOSAL` attestation (不合格产品后处理) on it. The trace core marks the lot disposed
//!   of, and every code of it counts as destroyed from then on, wherever it is (one write, not one per code).
//!   The positive report stands and the decision is final. [`Event::LotDisposed`].
//!
//! **Lots made from a held lot** (a `Derived` cold lot naming it among its sources) are held only through it:
//! releasing the imported lot lifts their hold with it — the retest cleared the source they were held for —
//! unless another source, or a positive report of their own, still holds them; they cannot be released on their
//! own while a source stands positive ([`Error::HeldBySource`]). Disposing of the source does not free them:
//! the regulator disposes of each (held, so it may be).
//!
//! Every refusal comes before the first write.

use yima_attestation::{schemas, AttestationId, AttestationInspect};
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchError, DispatchResult, Hash, Origin, Signer};
use yima_membership::{regulator_decides, tester};
use yima_trace::types::LotKey;

use crate::entry::lot_subject;
use crate::types::{Disposal, NegativeReport, Release};
use crate::{ColdLots, Config, Disposals, Error, Event, Negatives, Pallet, Positives, Releases};

impl<T: Config> Pallet<T> {
    /// Reports a negative test on `lot` (an inspection body's Inspector or a regulator).
    pub fn report_negative(origin: &Origin, lot: LotKey, report: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        tester(signer, Self::org_kind(signer.org))?.ok_or(Error::NotTester)?;
        if report == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        yima_trace::Pallet::<T>::lot(&lot).ok_or(Error::UnknownLot)?;
        if !ColdLots::contains_key(&lot) {
            return Err(Error::NotColdChainLot.into());
        }
        let positive = Positives::get(&lot);
        if Negatives::contains_key(&lot, &report) || positive.is_some_and(|p| p.report == report) {
            return Err(Error::ReportReused.into());
        }

        let retests = positive.map(|p| p.report);
        Negatives::insert(
            &lot,
            &report,
            &NegativeReport {
                by: signer.org,
                at: yima_system::Pallet::<T>::block_number(),
                retests,
            },
        );
        Self::deposit_event(Event::NegativeTest {
            lot,
            by: signer.org,
            report,
            retests,
        });
        Ok(())
    }

    /// Refuses anyone but an Operator or Governance account of a regulator.
    fn ensure_regulator(signer: &Signer) -> DispatchResult {
        if regulator_decides(signer, Self::org_kind(signer.org))? {
            Ok(())
        } else {
            Err(Error::NotRegulator.into())
        }
    }

    /// The imported lots of the cold `lot` a decision is about, not yet disposed of.
    fn decidable(lot: &LotKey) -> Result<Vec<LotKey>, DispatchError> {
        yima_trace::Pallet::<T>::lot(lot).ok_or(Error::UnknownLot)?;
        let sources = Self::sources(lot).ok_or(Error::NotColdChainLot)?;
        if Disposals::contains_key(lot) {
            return Err(Error::LotDisposed.into());
        }
        Ok(sources)
    }

    /// Releases the positive hold on `lot` (a regulator), citing the negative `retest` and the `decision`.
    pub fn release_hold(
        origin: &Origin,
        lot: LotKey,
        retest: Hash,
        decision: Hash,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        if decision == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        let sources = Self::decidable(&lot)?;
        let Some(positive) = Positives::get(&lot) else {
            return Err(if Self::is_held(&lot, &sources) {
                Error::HeldBySource
            } else {
                Error::NotHeld
            }
            .into());
        };
        let negative = Negatives::get(&lot, &retest).ok_or(Error::RetestNotRecorded)?;
        if negative.retests != Some(positive.report) {
            return Err(Error::RetestBeforeHold.into());
        }

        let recall_lifted = yima_trace::Pallet::<T>::lift_recall(&lot, positive.report);
        Positives::remove(&lot);
        Releases::insert(
            &lot,
            &Release {
                by: signer.org,
                positive: positive.report,
                retest,
                decision,
                recall_lifted,
                at: yima_system::Pallet::<T>::block_number(),
            },
        );
        Self::deposit_event(Event::HoldReleased {
            lot,
            by: signer.org,
            positive: positive.report,
            retest,
            decision,
            recall_lifted,
        });
        Ok(())
    }

    /// Disposes of the held `lot` (a regulator), citing the `disposal` attestation: its codes count as destroyed.
    pub fn dispose_lot(origin: &Origin, lot: LotKey, disposal: AttestationId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        let sources = Self::decidable(&lot)?;
        if !Self::is_held(&lot, &sources) {
            return Err(Error::NotHeld.into());
        }
        T::Attestations::is_valid(
            &disposal,
            &lot_subject(&lot),
            schemas::UNQUALIFIED_PRODUCT_DISPOSAL,
            Self::now(),
        )?;

        yima_trace::Pallet::<T>::dispose_lot(&lot, disposal)?;
        Disposals::insert(
            &lot,
            &Disposal {
                by: signer.org,
                disposal,
                at: yima_system::Pallet::<T>::block_number(),
            },
        );
        Self::deposit_event(Event::LotDisposed {
            lot,
            by: signer.org,
            disposal,
        });
        Ok(())
    }
}
