//! The "four no's" (四个不) as a capture gate: every custody event, captured by an enterprise or recorded by a
//! pallet, passes here before it changes anything (`yima_trace::gate`).
//!
//! **Which lots.** The gate keeps [`ColdLots`]: a lot commissioned of a product registered as imported
//! cold-chain food is `Imported`; a lot commissioned by a transformation whose inputs include codes of cold
//! lots is `Derived` from their imported lots (recorded as the transformation passes the gate, inside its
//! storage transaction, so a refused event leaves nothing; [`Event::LotDerived`] says so). An imported carcass
//! cut into retail packs, or repacked under a processor's own GTIN, therefore still needs the carcass lot's four
//! certificates: processing must not launder an uncertified import. The lots an event concerns are those it
//! names and those of everything packed inside the codes it names (`GateContext::lots`), so a mixed pallet
//! carries the rule of every imported lot in it, whoever holds it: the lot carries the rule, not the holder.
//!
//! **Retail-bound events** — a shipment to a retailer or caterer, a retail sale — of a cold lot are refused
//! unless each of its imported lots holds, valid now, in this order: (1) an inspection/quarantine certificate,
//! (2) a nucleic-acid report, (3) a disinfection certificate, (4) a customs clearance record and issued
//! cold-chain codes. The refusal names the first missing one ([`Error::MissingQuarantineCertificate`] …
//! [`Error::MissingTraceCode`]); a revoked or expired certificate is missing.
//!
//! **Held lots.** After a positive test ([`crate::positive`]), any event that moves goods of the lot or of a lot
//! made from it — shipping, selling, dispensing, administering, commissioning into it, packing, transforming —
//! is refused with [`Error::LotOnHold`]; receiving, storing, inspecting, unpacking and destroying are not, so the
//! goods can still be located and disposed of.
//!
//! Events that neither move goods nor go to retail (receiving, storing, inspecting …) return at once without
//! reading anything.

use std::collections::BTreeSet;

use yima_attestation::{schemas, AttestationInspect};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Moment};
use yima_membership::OrgKind;
use yima_trace::epcis::{BizStep, EpcisEvent, EventBody};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::{Category, LotKey};

use crate::entry::lot_subject;
use crate::types::ColdLot;
use crate::{ColdLots, Config, Entries, Error, Event, Pallet, Positives};

impl<T: Config> Pallet<T> {
    /// Whether `event` goes to retail: a retail sale, or a shipment to a retailer or caterer.
    fn to_retail(event: &EpcisEvent) -> bool {
        match (&event.body, event.biz_step) {
            (EventBody::Object { .. }, BizStep::RetailSelling) => true,
            (EventBody::Object { .. }, BizStep::Shipping) => event
                .destination
                .and_then(Self::org_kind)
                .is_some_and(|k| matches!(k, OrgKind::Retailer | OrgKind::Caterer)),
            _ => false,
        }
    }

    /// The imported lots whose four no's `lot` must meet: itself if imported, its sources if derived, `None`
    /// when the rule does not apply.
    pub fn sources(lot: &LotKey) -> Option<Vec<LotKey>> {
        match ColdLots::get(lot)? {
            ColdLot::Imported => Some(vec![lot.clone()]),
            ColdLot::Derived(sources) => Some(sources),
        }
    }

    /// Whether `lot` (a cold lot with these `sources`) or an imported lot it was made from stands positive.
    pub fn is_held(lot: &LotKey, sources: &[LotKey]) -> bool {
        Positives::contains_key(lot) || sources.iter().any(Positives::contains_key)
    }

    /// Refuses unless the imported `lot` holds all four now; the error names the first missing one.
    pub fn ensure_four(lot: &LotKey, now: Moment) -> DispatchResult {
        let subject = lot_subject(lot);
        let required = [
            (
                schemas::INSPECTION_QUARANTINE_CERTIFICATE,
                Error::MissingQuarantineCertificate,
            ),
            (
                schemas::NUCLEIC_ACID_REPORT,
                Error::MissingNucleicAcidReport,
            ),
            (
                schemas::DISINFECTION_CERTIFICATE,
                Error::MissingDisinfectionCertificate,
            ),
        ];
        for (schema, missing) in required {
            if !T::Attestations::has_valid(&subject, schema, now) {
                return Err(missing.into());
            }
        }
        let entry = Entries::get(lot)
            .filter(|e| e.clearance.is_some())
            .ok_or(Error::MissingCustomsClearance)?;
        if entry.codes_issued == 0 {
            return Err(Error::MissingTraceCode.into());
        }
        Ok(())
    }

    /// Records which lot a commissioning or transformation event makes cold (see the module docs).
    fn note_new_lot(ctx: &GateContext<'_>, lot: &LotKey) {
        let existing = ColdLots::get(lot);
        if existing == Some(ColdLot::Imported) {
            return;
        }
        let imported = yima_trace::Pallet::<T>::product(&lot.product)
            .is_some_and(|p| p.category == Category::ColdChainFood);
        if imported {
            ColdLots::insert(lot, &ColdLot::Imported);
            return;
        }
        if !matches!(ctx.event.body, EventBody::Transformation { .. }) {
            return;
        }
        let mut sources: BTreeSet<LotKey> = match existing {
            Some(ColdLot::Derived(s)) => s.into_iter().collect(),
            _ => BTreeSet::new(),
        };
        let before = sources.len();
        for input in ctx.lots().iter().filter(|l| *l != lot) {
            sources.extend(Self::sources(input).into_iter().flatten());
        }
        if sources.len() > before {
            let sources: Vec<LotKey> = sources.into_iter().collect();
            ColdLots::insert(lot, &ColdLot::Derived(sources.clone()));
            Self::deposit_event(Event::LotDerived {
                lot: lot.clone(),
                sources,
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
        let retail = Self::to_retail(event);
        let created = event.commissioned_lot();
        let now = Self::now();
        for lot in ctx.lots().iter().chain(created) {
            let Some(sources) = Self::sources(lot) else {
                continue;
            };
            if Self::is_held(lot, &sources) {
                return Err(Error::LotOnHold.into());
            }
            if retail {
                for source in &sources {
                    Self::ensure_four(source, now)?;
                }
            }
        }
        if let Some(lot) = created {
            Self::note_new_lot(ctx, lot);
        }
        Ok(())
    }
}
