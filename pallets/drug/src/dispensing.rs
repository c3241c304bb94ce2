//! Dispensing against a prescription, and selling compound preparations with controlled ingredients.
//!
//! Both scan the units' codes ([`Pallet::scan`]), checked before anything is written: at least one code, none
//! twice — [`Error::NothingScanned`], [`Error::DuplicateCode`]; each commissioned — [`Error::UnknownCode`]; a
//! minimum pack (a code of a lot, holding nothing) — [`Error::NotMinimumPack`]; held by the signer's pharmacy
//! (its custodian, not in transit, not already gone) — [`Error::NotHeldByPharmacy`]. A recalled or expired unit
//! is the trace core's to refuse, with its own error, when the sale is recorded.
//!
//! **Dispense** ([`Pallet::dispense`]): the prescription exists, was reviewed at this pharmacy and approved —
//! [`Error::UnknownPrescription`], [`Error::NotReviewed`], [`Error::ReviewedElsewhere`],
//! [`Error::PrescriptionRejected`]; each unit's drug is on it, and no more units than ordered (counting earlier
//! dispensings) — [`Error::NotInPrescription`], [`Error::ExceedsPrescribedQuantity`]. Recorded through
//! `Trace::record(…, "Drug")` as two EPCIS events: a transaction event linking the units to the prescription's
//! digest (`bizTransaction` of type prescription), then a `Dispensing` object event, which ends their custody.
//! Packs of controlled compound preparations count in the patient's purchase window ([`crate::window`]) but are
//! not limited by it: a reviewed prescription is the exception the regulation makes.
//!
//! **Sell compound** ([`Pallet::sell_compound`]): the buyer's id is pseudonymous — [`Error::BuyerNotPseudonymous`];
//! every unit is a listed controlled compound preparation that is not prescription-only —
//! [`Error::NotACompoundPreparation`], [`Error::PrescriptionRequired`]; at most the policy's packs per sale —
//! [`Error::TooManyPacksInSale`]; and the buyer's packs in the rolling window, across all pharmacies, this sale
//! included, at most the policy's limit — [`Error::PurchaseLimitExceeded`]. Recorded as a `RetailSelling` object
//! event through `Trace::record(…, "Drug")`; the EPCIS event carries no person id.

use std::collections::BTreeSet;

use yima_attestation::PseudonymousId;
use yima_codes::{ProductId, TraceCode};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchError, DispatchResult, Moment, Origin};
use yima_trace::custody;
use yima_trace::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody,
};
use yima_trace::types::CodeStatus;

use crate::types::{Drug, PrescriptionId, Sale};
use crate::{Config, Drugs, Error, Event, Pallet, Prescriptions, Windows, PALLET};

/// A scanned unit: its drug product, and the product's registry entry if listed.
pub(crate) struct Unit {
    product: ProductId,
    drug: Option<Drug>,
}

impl<T: Config> Pallet<T> {
    /// Dispenses the scanned units against a reviewed prescription (see the module docs).
    pub fn dispense(
        origin: &Origin,
        prescription: PrescriptionId,
        codes: Vec<TraceCode>,
        time: Moment,
        time_zone_offset_minutes: i16,
    ) -> DispatchResult {
        let pharmacy = Self::ensure_pharmacy(origin)?.org;
        let mut record = Prescriptions::get(&prescription).ok_or(Error::UnknownPrescription)?;
        let review = record.review.ok_or(Error::NotReviewed)?;
        if review.pharmacy != pharmacy {
            return Err(Error::ReviewedElsewhere.into());
        }
        if !review.approved {
            return Err(Error::PrescriptionRejected.into());
        }
        let units = Self::scan(pharmacy, &codes)?;
        for unit in &units {
            let line = record
                .lines
                .iter_mut()
                .find(|l| l.drug == unit.product)
                .ok_or(Error::NotInPrescription)?;
            if line.dispensed >= line.quantity {
                return Err(Error::ExceedsPrescribedQuantity.into());
            }
            line.dispensed += 1;
        }
        let compound_packs = compound_packs(&units);

        let mut link = EpcisEvent::new(
            EventBody::Transaction {
                action: Action::Add,
                biz_transactions: vec![BizTransaction {
                    kind: BizTransactionKind::Prescription,
                    digest: prescription,
                }],
                epcs: codes.clone(),
            },
            time,
            time_zone_offset_minutes,
            BizStep::Dispensing,
        );
        link.source = Some(record.hospital);
        let dispensing = observe(&codes, time, time_zone_offset_minutes, BizStep::Dispensing);
        yima_trace::Pallet::<T>::record(origin, vec![link, dispensing], PALLET)?;

        let now = Self::now();
        if compound_packs > 0 {
            Self::count_purchase(&record.patient, now, compound_packs);
        }
        Prescriptions::insert(&prescription, &record);
        Self::deposit_event(Event::Dispensed {
            prescription,
            sale: Sale {
                pharmacy,
                codes,
                compound_packs,
                time: now,
            },
        });
        Ok(())
    }

    /// Sells compound-preparation packs to an identified buyer within the limits (see the module docs).
    pub fn sell_compound(
        origin: &Origin,
        buyer: PseudonymousId,
        codes: Vec<TraceCode>,
        time: Moment,
        time_zone_offset_minutes: i16,
    ) -> DispatchResult {
        let pharmacy = Self::ensure_pharmacy(origin)?.org;
        if yima_attestation::pseudonym::check(&buyer).is_err() {
            return Err(Error::BuyerNotPseudonymous.into());
        }
        let units = Self::scan(pharmacy, &codes)?;
        for unit in &units {
            let drug = unit
                .drug
                .filter(|d| d.controlled_compound)
                .ok_or(Error::NotACompoundPreparation)?;
            if drug.prescription_only {
                return Err(Error::PrescriptionRequired.into());
            }
        }
        let packs = units.len() as u32;
        let policy = Self::policy();
        if packs > policy.max_packs_per_sale {
            return Err(Error::TooManyPacksInSale.into());
        }
        let now = Self::now();
        let before = Windows::get(&buyer).map_or(0, |w| w.packs_in_window(now, policy.window_ms));
        let packs_in_window = before.saturating_add(packs);
        if packs_in_window > policy.window_packs {
            return Err(Error::PurchaseLimitExceeded.into());
        }

        let sale = observe(
            &codes,
            time,
            time_zone_offset_minutes,
            BizStep::RetailSelling,
        );
        yima_trace::Pallet::<T>::record(origin, vec![sale], PALLET)?;

        Self::count_purchase(&buyer, now, packs);
        Self::deposit_event(Event::CompoundSold {
            buyer,
            sale: Sale {
                pharmacy,
                codes,
                compound_packs: packs,
                time: now,
            },
            packs_in_window,
        });
        Ok(())
    }

    /// `buyer`'s packs of controlled compound preparations inside the rolling window now.
    pub fn packs_in_window(buyer: &PseudonymousId) -> u32 {
        Windows::get(buyer).map_or(0, |w| {
            w.packs_in_window(Self::now(), Self::policy().window_ms)
        })
    }

    /// Adds `packs` at `now` to `buyer`'s window, pruning what left it.
    fn count_purchase(buyer: &PseudonymousId, now: Moment, packs: u32) {
        let window_ms = Self::policy().window_ms;
        let mut window = Windows::get(buyer).unwrap_or_default();
        window.record(now, packs, window_ms);
        Windows::insert(buyer, &window);
    }

    /// The scanned units, each checked (see the module docs).
    fn scan(pharmacy: yima_frame::OrgId, codes: &[TraceCode]) -> Result<Vec<Unit>, DispatchError> {
        if codes.is_empty() {
            return Err(Error::NothingScanned.into());
        }
        let mut seen = BTreeSet::new();
        if !codes.iter().all(|c| seen.insert(*c)) {
            return Err(Error::DuplicateCode.into());
        }
        let now = Self::now();
        codes
            .iter()
            .map(|code| {
                let state = yima_trace::Pallet::<T>::code(code).ok_or(Error::UnknownCode)?;
                let lot = state
                    .lot
                    .filter(|_| state.children == 0)
                    .ok_or(Error::NotMinimumPack)?;
                let c = custody::custody(code, now).map_err(|_| Error::UnknownCode)?;
                let held = c.custodian == pharmacy
                    && !matches!(c.status, CodeStatus::InTransit { .. })
                    && !c.status.is_finished();
                if !held {
                    return Err(Error::NotHeldByPharmacy.into());
                }
                Ok(Unit {
                    drug: Drugs::get(&lot.product),
                    product: lot.product,
                })
            })
            .collect()
    }
}

/// The object event that ends the custody of `codes` by `step`.
fn observe(codes: &[TraceCode], time: Moment, tz: i16, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Object {
            action: Action::Observe,
            epcs: codes.to_vec(),
            quantities: vec![],
        },
        time,
        tz,
        step,
    )
}

/// Packs of controlled compound preparations among `units`.
fn compound_packs(units: &[Unit]) -> u32 {
    units
        .iter()
        .filter(|u| u.drug.is_some_and(|d| d.controlled_compound))
        .count() as u32
}
