//! Closing the loop (闭环): a hold ends only by a regulator's decision.
//!
//! A failed test holds a lot and every lot made from it ([`crate::testing`], [`crate::gate`]); a pass does not
//! lift it by itself. A regulator — an Operator or Governance account of a regulator organisation — decides:
//!
//! - **Release** ([`Pallet::release_hold`]): citing a **passing retest** recorded on the lot *after* the hold's
//!   latest fail (a pass recorded while the hold stands is kept in [`Retests`] with the fail it answers; a
//!   pass recorded before a later fail no longer counts), whose attestation is still valid, and the SHA-256 of
//!   the decision document. The hold ends ([`Failures`] loses the lot; a later fail opens a new hold); a recall
//!   the trace core holds for one of the lot's failed tests (a regulator's fail recalls with its attestation)
//!   ends with it, a recall for any other notice stands. [`Event::HoldReleased`].
//! - **Disposal** ([`Pallet::dispose_lot`]): citing a valid `UNQUALIFIED_PRODUCT_DISPOSAL` attestation
//!   (不合格产品后处理, issued by a regulator) on the held lot. The trace core marks the lot disposed of, and
//!   every code of it counts as destroyed from then on, wherever it is (one write, not one per code). The
//!   failure stands and the decision is final. [`Event::LotDisposed`].
//!
//! **Lots made from a held lot** (its descendants, whose [`crate::FoodLot::ancestors`] name it) are held only
//! through it. A release of the failed lot lifts their hold with it — the retest cleared the source they were
//! held for — unless another lot they are made from, or a fail of their own, still holds them. A descendant
//! cannot be released on its own while the source's hold stands ([`Error::HeldByAncestor`]): the source is the
//! case to decide. A disposal does not free them: a lot made from an unqualified lot stays held, and the
//! regulator disposes of it too (it is held, so it may be disposed of), or tests it — a fail of its own then a
//! passing retest releases only its own hold, never the source's.
//!
//! Every refusal comes before the first write: not a regulator, no hold, a retest missing, failing, or older
//! than the latest fail, an attestation of the wrong schema or subject, revoked or expired, a lot already
//! disposed of.

use yima_attestation::{schemas, AttestationId, AttestationInspect};
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchError, DispatchResult, Hash, Origin, Signer};
use yima_membership::regulator_decides;
use yima_trace::types::LotKey;

use crate::types::{Disposal, FoodLot, Release, TestResult};
use crate::{
    lot_subject, Config, Disposals, Error, Event, Failures, FoodLots, Pallet, Releases, Retests,
    Tests,
};

impl<T: Config> Pallet<T> {
    /// Refuses anyone but an Operator or Governance account of a regulator.
    fn ensure_regulator(signer: &Signer) -> DispatchResult {
        if regulator_decides(signer, Self::org_kind(signer.org))? {
            Ok(())
        } else {
            Err(Error::NotRegulator.into())
        }
    }

    /// The food lot a decision is about, not yet disposed of.
    fn decidable(lot: &LotKey) -> Result<FoodLot, DispatchError> {
        yima_trace::Pallet::<T>::lot(lot).ok_or(Error::UnknownLot)?;
        let food = FoodLots::get(lot).ok_or(Error::NotFoodLot)?;
        if Disposals::contains_key(lot) {
            return Err(Error::LotDisposed.into());
        }
        Ok(food)
    }

    /// Releases the hold on `lot` (a regulator), citing the passing `retest` and the `decision` document.
    pub fn release_hold(
        origin: &Origin,
        lot: LotKey,
        retest: AttestationId,
        decision: Hash,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        if decision == Hash::default() {
            return Err(Error::InvalidDecision.into());
        }
        let food = Self::decidable(&lot)?;
        let Some(failure) = Failures::get(&lot) else {
            return Err(if Self::is_held(&lot, &food) {
                Error::HeldByAncestor
            } else {
                Error::NotHeld
            }
            .into());
        };
        let test = Tests::get(&lot, &retest).ok_or(Error::RetestNotRecorded)?;
        if test.result != TestResult::Pass {
            return Err(Error::RetestNotPassing.into());
        }
        if Retests::get(&lot, &retest) != Some(failure.latest) {
            return Err(Error::RetestBeforeHold.into());
        }
        T::Attestations::is_valid(
            &retest,
            &lot_subject(&lot),
            schemas::QUICK_TEST_RESULT,
            Self::now(),
        )?;

        let recall = yima_trace::Pallet::<T>::lot(&lot).and_then(|l| l.recalled);
        let recall_lifted = recall.is_some_and(|notice| {
            Tests::get(&lot, &notice).is_some_and(|t| t.result == TestResult::Fail)
                && yima_trace::Pallet::<T>::lift_recall(&lot, notice)
        });
        Failures::remove(&lot);
        Releases::insert(
            &lot,
            &Release {
                by: signer.org,
                failure: failure.attestation,
                retest,
                decision,
                recall_lifted,
                at: yima_system::Pallet::<T>::block_number(),
            },
        );
        Self::deposit_event(Event::HoldReleased {
            lot,
            by: signer.org,
            failure: failure.attestation,
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
        let food = Self::decidable(&lot)?;
        if !Self::is_held(&lot, &food) {
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
