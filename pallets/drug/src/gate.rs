//! The drug rules on custody events, as a trace capture gate: every event — captured directly by an enterprise
//! or recorded by a pallet — passes here before it applies (see `yima_trace::gate`).
//!
//! | event | rule | refusal |
//! |---|---|---|
//! | shipping a drug batch (or a container holding one) | while the policy requires it, the batch's black box holds WMS, SCADA and LIMS | [`Error::BatchRecordsMissing`] |
//! | dispensing or retail selling a prescription-only drug or a controlled compound preparation | only through this pallet (`via = "Drug"`): [`crate::Call::Dispense`] or [`crate::Call::SellCompound`] | [`Error::DispenseThroughDrugPallet`] |
//!
//! So every dispensing of a prescription drug is tied to a reviewed prescription, every compound sale is
//! counted in its buyer's window, and no batch reaches the market without its production records. Drugs that are
//! not listed (ordinary OTC drugs) are sold by plain trace capture. Events that are neither shipments nor sales
//! cost nothing here; the others one product read per lot they touch, plus one registry or black-box read per
//! drug lot.

use yima_frame::storage::StorageMap;
use yima_frame::DispatchResult;
use yima_trace::epcis::BizStep;
use yima_trace::gate::{CaptureGate, GateContext};

use crate::{Config, Drugs, Error, Pallet, PALLET};

impl<T: Config> CaptureGate for Pallet<T> {
    fn check(ctx: &GateContext<'_>) -> DispatchResult {
        match ctx.event.biz_step {
            BizStep::Shipping => Self::ensure_black_boxes(ctx),
            BizStep::Dispensing | BizStep::RetailSelling if ctx.via != Some(PALLET) => {
                let restricted = ctx
                    .lots()
                    .iter()
                    .any(|lot| Drugs::get(&lot.product).is_some_and(|d| d.is_restricted()));
                if restricted {
                    Err(Error::DispenseThroughDrugPallet.into())
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }
}

impl<T: Config> Pallet<T> {
    /// Every drug batch the shipment moves has its black box complete (if the policy asks for it).
    fn ensure_black_boxes(ctx: &GateContext<'_>) -> DispatchResult {
        let mut policy = None;
        for lot in ctx.lots() {
            if !Self::is_drug_lot(lot) {
                continue;
            }
            let required = *policy.get_or_insert_with(|| Self::policy().require_batch_records);
            if required && !Self::batch_records(lot).is_complete() {
                return Err(Error::BatchRecordsMissing.into());
            }
        }
        Ok(())
    }
}
