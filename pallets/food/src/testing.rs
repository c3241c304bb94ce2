//! Quick-test and inspection results on lots, and 一键排查 on a fail.
//!
//! An inspection body's Inspector, or a regulator's Operator or Governance account, records a result — quick
//! test (快检) or inspection (抽检), pass or fail — on a food lot, citing the `QUICK_TEST_RESULT` attestation its
//! own organisation issued on that lot (valid now: the attestation carries the report's digest and URI; the call
//! says what it found). Each attestation is recorded once per lot. When one code was sampled, the inspection is
//! recorded on it through the trace core (`Trace::record(…, "Food")`, citing the attestation), so the code's
//! trace shows the test.
//!
//! A **fail**:
//! - **holds** the lot, and every lot made from it, at the gate ([`crate::gate`]): no sale or catering use, no
//!   shipment, packing or processing; receiving, storing, inspecting, unpacking and destroying remain;
//! - when a **regulator** records it, also recalls the lot in the trace core (`Trace::recall_lot`, with the
//!   attestation id as the notice). An inspection body may not recall a lot it does not own (trace's rule): its
//!   fail holds the lot at once and the regulator confirms with a recall (its own fail, or `Trace::RecallLot`);
//! - is an **alert**: [`Event::TestRecorded`] with `result: Fail`.
//!
//! Only the first fail of a hold is kept in [`Failures`] (with the latest fail's attestation); a later regulator's
//! fail on a lot an inspection body failed still recalls it. A pass never lifts a hold by itself: a pass recorded
//! while the hold stands is kept as a **retest** of its latest fail ([`crate::Retests`]), which a regulator may
//! cite to release the hold ([`crate::decision`]); otherwise the regulator disposes of the lot.
//! The holders are then found by the runtime's recall query (`yima_runtime::query::recall`) from the event
//! index: every code of the lot and everything packed with it and made from it, with its holder.

use yima_attestation::{schemas, AttestationId, AttestationInspect};
use yima_codes::TraceCode;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchResult, Origin};
use yima_membership::{tester, Tester};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody};
use yima_trace::types::LotKey;

use crate::types::{Failure, TestKind, TestRecord, TestResult};
use crate::{
    lot_subject, Config, Error, Event, Failures, FoodLots, Pallet, Retests, Tests, CST_MINUTES,
    PALLET,
};

impl<T: Config> Pallet<T> {
    /// Records a test result on `lot` (an inspection body's Inspector or a regulator's Operator/Governance).
    pub fn record_test(
        origin: &Origin,
        lot: LotKey,
        kind: TestKind,
        result: TestResult,
        attestation: AttestationId,
        sample: Option<TraceCode>,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let tester = tester(signer, Self::org_kind(signer.org))?.ok_or(Error::NotTester)?;
        let regulator = tester == Tester::Regulator;
        let record = yima_trace::Pallet::<T>::lot(&lot).ok_or(Error::UnknownLot)?;
        if !FoodLots::contains_key(&lot) {
            return Err(Error::NotFoodLot.into());
        }
        let now = Self::now();
        T::Attestations::is_valid(
            &attestation,
            &lot_subject(&lot),
            schemas::QUICK_TEST_RESULT,
            now,
        )?;
        let issuer = T::Attestations::attestation(&attestation).map(|a| a.issuer_org);
        if issuer != Some(signer.org) {
            return Err(Error::NotOwnAttestation.into());
        }
        if Tests::contains_key(&lot, &attestation) {
            return Err(Error::AlreadyRecorded.into());
        }
        if let Some(code) = &sample {
            let in_lot =
                yima_trace::Pallet::<T>::code(code).is_some_and(|c| c.lot.as_ref() == Some(&lot));
            if !in_lot {
                return Err(Error::SampleNotInLot.into());
            }
        }

        if let Some(code) = sample {
            let mut inspection = EpcisEvent::new(
                EventBody::Object {
                    action: Action::Observe,
                    epcs: vec![code],
                    quantities: vec![],
                },
                now,
                CST_MINUTES,
                BizStep::Inspecting,
            );
            inspection.certifications = vec![attestation];
            yima_trace::Pallet::<T>::record(origin, vec![inspection], PALLET)?;
        }
        let block = yima_system::Pallet::<T>::block_number();
        Tests::insert(
            &lot,
            &attestation,
            &TestRecord {
                kind,
                result,
                by: signer.org,
                sample,
                at: block,
            },
        );
        let mut recalled = record.recalled.is_some();
        if result == TestResult::Fail {
            if regulator && !recalled {
                yima_trace::Pallet::<T>::recall_lot(origin, lot.clone(), attestation)?;
                recalled = true;
            }
            let failure = match Failures::get(&lot) {
                Some(first) => Failure {
                    recalled,
                    latest: attestation,
                    ..first
                },
                None => Failure {
                    kind,
                    by: signer.org,
                    attestation,
                    at: block,
                    recalled,
                    latest: attestation,
                },
            };
            Failures::insert(&lot, &failure);
        } else if let Some(failure) = Failures::get(&lot) {
            // A pass while the hold stands is a retest of its latest fail: what a release may cite.
            Retests::insert(&lot, &attestation, &failure.latest);
        }
        Self::deposit_event(Event::TestRecorded {
            lot,
            kind,
            result,
            by: signer.org,
            attestation,
            sample,
            recalled,
        });
        Ok(())
    }
}
