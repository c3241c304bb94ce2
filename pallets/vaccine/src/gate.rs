//! The vaccine rules on custody events, as a trace capture gate: every event — captured directly by an
//! enterprise or recorded by a pallet — passes here before it applies (see `yima_trace::gate`).
//!
//! | event | rule | refusal |
//! |---|---|---|
//! | commissioning (or a transformation's outputs) into a vaccine lot | by a manufacturer | [`Error::NotManufacturer`] |
//! | the same | the product has a temperature band | [`Error::NoTemperatureBand`] |
//! | any object event naming a vaccine lot as a quantity | minimum packages only | [`Error::MinimumPackageRequired`] |
//! | shipping vaccine codes (or a container holding them) | along the custody path below | [`Error::ShipmentPathNotAllowed`] |
//! | the same | every vaccine lot inside holds a valid batch release | [`Error::BatchNotReleased`] |
//! | administering | only through [`crate::Call::Administer`] (`via = "Vaccine"`) | [`Error::AdministerThroughVaccinePallet`] |
//! | the same | the batch release still holds | [`Error::BatchNotReleased`] |
//! | retail selling, dispensing, transforming vaccine codes | never: a dose ends administered or destroyed | [`Error::NotAdministration`] |
//!
//! **Custody path** (Vaccine Administration Law art. 36–37: the marketing-authorisation holder supplies the CDC,
//! the CDC supplies the vaccination sites): manufacturer → CDC, CDC → CDC (provincial → city → county), CDC →
//! vaccination site, and vaccination site → CDC for returns (expired, flagged or surplus doses). A contracted
//! carrier transports without taking custody: its legs are recorded in the shipment's sensor reports and read
//! points, not as custody hops.
//!
//! **Batch release on every movement**, not only the first: a batch whose release was revoked (or whose release
//! has expired) stops where it is, as if recalled — it may still be received (so the chain knows who holds it),
//! stored, inspected and destroyed. Moving excursion-flagged doses is allowed (to return or quarantine them);
//! administering them is not (see [`crate::administration`]).
//!
//! Events that touch no vaccine lot cost one product read per lot they touch.

use yima_membership::OrgKind;
use yima_trace::epcis::{BizStep, EventBody};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::LotKey;

use yima_frame::DispatchResult;

use crate::{Config, Error, Pallet, PALLET};

/// Whether a vaccine shipment from an organisation of kind `from` to one of kind `to` is on the custody path.
pub fn shipment_allowed(from: OrgKind, to: OrgKind) -> bool {
    matches!(
        (from, to),
        (OrgKind::Manufacturer, OrgKind::Cdc)
            | (OrgKind::Cdc, OrgKind::Cdc)
            | (OrgKind::Cdc, OrgKind::VaccinationSite)
            | (OrgKind::VaccinationSite, OrgKind::Cdc)
    )
}

impl<T: Config> CaptureGate for Pallet<T> {
    fn check(ctx: &GateContext<'_>) -> DispatchResult {
        let event = ctx.event;
        Self::check_new_codes(ctx)?;
        if let EventBody::Object { quantities, .. } = &event.body {
            if quantities.iter().any(|q| Self::is_vaccine_lot(&q.lot)) {
                return Err(Error::MinimumPackageRequired.into());
            }
        }
        let vaccines: Vec<&LotKey> = ctx
            .lots()
            .iter()
            .filter(|lot| Self::is_vaccine_lot(lot))
            .collect();
        if vaccines.is_empty() {
            return Ok(());
        }
        match (&event.body, event.biz_step) {
            (EventBody::Transformation { .. }, _)
            | (_, BizStep::RetailSelling | BizStep::Dispensing | BizStep::Transforming) => {
                Err(Error::NotAdministration.into())
            }
            (_, BizStep::Shipping) => {
                // A shipment without an active destination is the trace core's to refuse.
                if let Some(to) = event.destination.and_then(Self::org_kind) {
                    let from = Self::org_kind(ctx.org);
                    if !from.is_some_and(|from| shipment_allowed(from, to)) {
                        return Err(Error::ShipmentPathNotAllowed.into());
                    }
                }
                Self::ensure_released(&vaccines)
            }
            (_, BizStep::Administering) => {
                if ctx.via != Some(PALLET) {
                    return Err(Error::AdministerThroughVaccinePallet.into());
                }
                Self::ensure_released(&vaccines)
            }
            _ => Ok(()),
        }
    }
}

impl<T: Config> Pallet<T> {
    /// Codes commissioned into a vaccine lot (by commissioning or as a transformation's outputs): by a
    /// manufacturer, of a product with a temperature band.
    fn check_new_codes(ctx: &GateContext<'_>) -> DispatchResult {
        let Some(lot) = ctx.event.commissioned_lot() else {
            return Ok(());
        };
        let Some(product) = yima_trace::Pallet::<T>::product(&lot.product) else {
            return Ok(()); // the trace core refuses an unknown product
        };
        if product.category != yima_trace::types::Category::Vaccine {
            return Ok(());
        }
        if Self::org_kind(ctx.org) != Some(OrgKind::Manufacturer) {
            return Err(Error::NotManufacturer.into());
        }
        if product.temperature.is_none() {
            return Err(Error::NoTemperatureBand.into());
        }
        Ok(())
    }

    fn ensure_released(lots: &[&LotKey]) -> DispatchResult {
        if lots.iter().all(|lot| Self::is_released(lot)) {
            Ok(())
        } else {
            Err(Error::BatchNotReleased.into())
        }
    }
}
