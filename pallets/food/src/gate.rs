//! The food rules as a capture gate: every custody event, captured by an enterprise or recorded by a pallet,
//! passes here before it changes anything (`yima_trace::gate`).
//!
//! **Which lots.** The gate keeps [`FoodLots`]: a lot commissioned (or made by a transformation) of a product of
//! category `food` is food, and a *farm lot* when the organisation commissioning it is a producer (farm,
//! cooperative, workshop). A lot made by a transformation whose inputs include food lots — of any category —
//! records every food lot it is made from, at any depth ([`FoodLot::ancestors`]); this is written as the
//! transformation passes the gate, inside its storage transaction, so a refused event leaves nothing, and
//! [`Event::LotDerived`] says so. The lots an event concerns are those it names and those of everything packed
//! inside the codes it names (`GateContext::lots`): the lot carries the rule, whoever holds it.
//!
//! **Origin certificate (合格证).** Shipping or selling goods of a farm lot — leaving the farm, and every later
//! shipment or sale of the same produce — needs a valid `ORIGIN_CERTIFICATE` attestation on the lot now
//! ([`Error::MissingOriginCertificate`]; a revoked or expired certificate is missing). Processed lots need none:
//! their inputs could not leave the farm without one, and the processor answers for its own lot.
//!
//! **Failed tests.** After a failed test ([`crate::testing`]) on a lot or on any lot it was made from, a retail
//! sale or catering use of its goods is refused with [`Error::FailedTestNoSale`], and any other event that moves
//! goods — shipping, dispensing, commissioning into it, packing, transforming — with [`Error::LotOnHold`];
//! receiving, storing, inspecting, unpacking and destroying are not, so the goods can still be located and
//! disposed of.
//!
//! Events that neither move goods nor are sales return at once without reading anything; an event over lots
//! that are not food costs one read per lot.

use std::collections::BTreeSet;

use yima_attestation::{schemas, AttestationInspect};
use yima_frame::storage::StorageMap;
use yima_frame::DispatchResult;
use yima_membership::OrgKind;
use yima_trace::epcis::{BizStep, EventBody};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::{Category, LotKey};

use crate::types::FoodLot;
use crate::{lot_subject, Config, Error, Event, Failures, FoodLots, Pallet};

impl<T: Config> Pallet<T> {
    /// Whether `lot` (a food lot, `food`) or a lot it was made from failed a test.
    pub fn is_held(lot: &LotKey, food: &FoodLot) -> bool {
        Failures::contains_key(lot) || food.ancestors.iter().any(Failures::contains_key)
    }

    /// Whether a farm lot holds a valid origin certificate now: the gate's one attestation lookup.
    pub fn has_origin_certificate(lot: &LotKey) -> bool {
        T::Attestations::has_valid(&lot_subject(lot), schemas::ORIGIN_CERTIFICATE, Self::now())
    }

    /// Records which food lots a commissioning or transformation event makes `lot` from (see the module docs).
    fn note_new_lot(ctx: &GateContext<'_>, lot: &LotKey) {
        let existing = FoodLots::get(lot);
        let food_product = yima_trace::Pallet::<T>::product(&lot.product)
            .is_some_and(|p| p.category == Category::Food);
        let mut ancestors: BTreeSet<LotKey> = existing
            .as_ref()
            .map(|f| f.ancestors.iter().cloned().collect())
            .unwrap_or_default();
        let before = ancestors.len();
        if matches!(ctx.event.body, EventBody::Transformation { .. }) {
            for input in ctx.lots().iter().filter(|l| *l != lot) {
                if let Some(food) = FoodLots::get(input) {
                    ancestors.insert(input.clone());
                    ancestors.extend(food.ancestors);
                }
            }
        }
        let derived = ancestors.len() > before;
        if existing.is_some() && !derived {
            return;
        }
        if existing.is_none() && !food_product && !derived {
            return;
        }
        let farm = existing.map_or_else(
            || food_product && Self::org_kind(ctx.org) == Some(OrgKind::Producer),
            |f| f.farm,
        );
        let ancestors: Vec<LotKey> = ancestors.into_iter().collect();
        FoodLots::insert(
            lot,
            &FoodLot {
                farm,
                ancestors: ancestors.clone(),
            },
        );
        if derived {
            Self::deposit_event(Event::LotDerived {
                lot: lot.clone(),
                ancestors,
            });
        }
    }
}

impl<T: Config> CaptureGate for Pallet<T> {
    fn check(ctx: &GateContext<'_>) -> DispatchResult {
        let event = ctx.event;
        if !event.moves_goods() {
            return Ok(());
        }
        let (sale, leaves) = match (&event.body, event.biz_step) {
            (EventBody::Object { .. }, BizStep::RetailSelling) => (true, true),
            (EventBody::Object { .. }, BizStep::Shipping) => (false, true),
            _ => (false, false),
        };
        let created = event.commissioned_lot();
        for lot in ctx.lots().iter().chain(created) {
            let Some(food) = FoodLots::get(lot) else {
                continue;
            };
            if Self::is_held(lot, &food) {
                return Err(if sale {
                    Error::FailedTestNoSale
                } else {
                    Error::LotOnHold
                }
                .into());
            }
            if leaves && food.farm && !Self::has_origin_certificate(lot) {
                return Err(Error::MissingOriginCertificate.into());
            }
        }
        if let Some(lot) = created {
            Self::note_new_lot(ctx, lot);
        }
        Ok(())
    }
}
