//! Capture gates: rules other pallets attach to custody events.
//!
//! The trace core knows custody; other pallets know what a movement needs. The cold-chain pallet refuses a
//! shipment to retail of an imported lot without its four certificates, the vaccine pallet a shipment of a lot
//! without batch release. They say so by implementing [`CaptureGate`], which the runtime lists in
//! [`crate::Config::Gate`]. Every event — whether signed by an enterprise as `Trace::capture` or recorded by
//! another pallet through [`crate::Pallet::record`] — passes the gates after its shape is checked and before it
//! changes anything, so no pallet's rule can be bypassed by capturing the same event directly.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use yima_codes::TraceCode;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchResult, OrgId, Weight};

use crate::custody::MAX_NESTING;
use crate::epcis::{EpcisEvent, EventBody};
use crate::types::LotKey;
use crate::{Codes, Contents};

/// One event about to be applied, as a gate sees it.
pub struct GateContext<'a> {
    /// The organisation recording it.
    pub org: OrgId,
    /// Its position in the capture call.
    pub index: u32,
    /// The event.
    pub event: &'a EpcisEvent,
    /// The pallet recording it on the organisation's behalf (`Some("Vaccine")`), or `None` when an enterprise
    /// captured it directly.
    pub via: Option<&'static str>,
    lots: OnceCell<BTreeSet<LotKey>>,
}

impl<'a> GateContext<'a> {
    /// The context of `event`, recorded by `org` (through the pallet `via`, if any).
    pub fn new(org: OrgId, index: u32, event: &'a EpcisEvent, via: Option<&'static str>) -> Self {
        Self {
            org,
            index,
            event,
            via,
            lots: OnceCell::new(),
        }
    }

    /// The lots the event names as quantities, and the lots of every code it names and of everything packed
    /// inside them, at any depth, as they stand before the event. Codes not yet commissioned have none. Read
    /// once, on first use.
    pub fn lots(&self) -> &BTreeSet<LotKey> {
        self.lots.get_or_init(|| affected_lots(self.event))
    }
}

/// A rule other pallets attach to custody events. `()` has none; a tuple checks each in order.
pub trait CaptureGate {
    /// Refuses the event, with the gate's own error, or lets it through.
    fn check(ctx: &GateContext<'_>) -> DispatchResult;
}

impl CaptureGate for () {
    fn check(_: &GateContext<'_>) -> DispatchResult {
        Ok(())
    }
}

impl<A: CaptureGate, B: CaptureGate> CaptureGate for (A, B) {
    fn check(ctx: &GateContext<'_>) -> DispatchResult {
        A::check(ctx)?;
        B::check(ctx)
    }
}

/// The least a child costs to walk: its entry in the container's contents and its own state.
const CHILD_WEIGHT: Weight = Weight::scan_entry(0).saturating_add(Weight::read(0));

/// The lots `event` names and those of its codes and their contents, at any depth.
fn affected_lots(event: &EpcisEvent) -> BTreeSet<LotKey> {
    let mut lots = BTreeSet::new();
    if let EventBody::Object { quantities, .. } = &event.body {
        lots.extend(quantities.iter().map(|q| q.lot.clone()));
    }
    let mut stack: Vec<(TraceCode, usize)> = event.codes().into_iter().map(|c| (*c, 0)).collect();
    while let Some((code, depth)) = stack.pop() {
        let Some(state) = Codes::get(&code) else {
            continue;
        };
        if let Some(lot) = state.lot {
            lots.insert(lot);
        }
        if state.children > 0 && depth < MAX_NESTING {
            // Refuse a container the transaction's weight cannot walk before reading any of it.
            yima_frame::externalities::reserve(
                CHILD_WEIGHT.saturating_mul(u64::from(state.children)),
            );
            stack.extend(
                Contents::iter_prefix(&code)
                    .into_iter()
                    .map(|(child, ())| (child, depth + 1)),
            );
        }
    }
    lots
}
