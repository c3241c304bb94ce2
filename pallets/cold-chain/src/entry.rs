//! Customs entry and clearance.
//!
//! **Entry.** An importer's Operator declares one lot of a product it registered as imported cold-chain food:
//! declaration number, document digest, ISO 3166 origin, UN/LOCODE port, quantity. The consignment code is
//! commissioned in the lot at the port (with the declared quantity as an EPCIS quantity element) and linked to
//! the customs declaration by an EPCIS transaction event — both through the trace core, so they open the lot's
//! history. One entry per lot.
//!
//! **Clearance.** A customs Inspector clears a declared lot citing its inspection/quarantine certificate, which
//! must be valid for that lot now; the clearance is recorded as an inspection of the consignment that cites the
//! certificate.

use yima_attestation::{schemas, AttestationId, AttestationInspect, LotRef, Subject};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, Origin, Role};
use yima_membership::OrgKind;
use yima_trace::epcis::{
    Action, BizStep, BizTransaction, BizTransactionKind, EpcisEvent, EventBody, Ilmd, Location,
    QuantityElement,
};
use yima_trace::types::{Category, LotKey};

use crate::types::{Clearance, Entry, EntryDeclaration, PortCode};
use crate::{Config, Entries, Error, Event, Pallet, CST_MINUTES, PALLET};

/// The attestation subject of a lot.
pub fn lot_subject(lot: &LotKey) -> Subject {
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

/// The port as an EPCIS location.
fn port_location(port: &PortCode) -> Location {
    Location::Other(port.0.to_vec())
}

impl<T: Config> Pallet<T> {
    /// Declares an imported lot at customs for the signer's organisation (an importer's Operator).
    pub fn declare_entry(origin: &Origin, d: EntryDeclaration) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        if Self::org_kind(signer.org) != Some(OrgKind::Importer) {
            return Err(Error::NotImporter.into());
        }
        signer.ensure_role(Role::Operator)?;
        d.declaration.check()?;
        d.origin.check()?;
        d.port.check()?;
        if d.uom.is_some_and(|u| {
            !u.iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }) {
            return Err(Error::InvalidUnit.into());
        }
        if d.quantity == 0 {
            return Err(Error::ZeroQuantity.into());
        }
        if d.document == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        let product = yima_trace::Pallet::<T>::product(&d.lot.product)
            .filter(|p| p.category == Category::ColdChainFood)
            .ok_or(Error::NotColdChainProduct)?;
        if product.owner != signer.org {
            return Err(Error::NotProductOwner.into());
        }
        if Entries::contains_key(&d.lot) {
            return Err(Error::AlreadyDeclared.into());
        }

        let now = Self::now();
        let mut commission = EpcisEvent::new(
            EventBody::Object {
                action: Action::Add,
                epcs: vec![d.consignment],
                quantities: vec![QuantityElement {
                    lot: d.lot.clone(),
                    quantity: d.quantity,
                    uom: d.uom,
                }],
            },
            now,
            CST_MINUTES,
            BizStep::Commissioning,
        );
        commission.ilmd = Some(Ilmd {
            lot: d.lot.clone(),
            production_date: d.production_date,
            expiry: d.expiry,
        });
        commission.biz_location = Some(port_location(&d.port));
        let mut declaration = EpcisEvent::new(
            EventBody::Transaction {
                action: Action::Add,
                biz_transactions: vec![BizTransaction {
                    kind: BizTransactionKind::CustomsDeclaration,
                    digest: d.document,
                }],
                epcs: vec![d.consignment],
            },
            now,
            CST_MINUTES,
            BizStep::Other,
        );
        declaration.read_point = Some(port_location(&d.port));
        yima_trace::Pallet::<T>::record(origin, vec![commission, declaration], PALLET)?;

        Entries::insert(
            &d.lot,
            &Entry {
                importer: signer.org,
                declaration: d.declaration,
                origin: d.origin,
                port: d.port,
                consignment: d.consignment,
                quantity: d.quantity,
                uom: d.uom,
                declared_at: yima_system::Pallet::<T>::block_number(),
                clearance: None,
                codes_issued: 0,
            },
        );
        Self::deposit_event(Event::EntryDeclared {
            lot: d.lot,
            importer: signer.org,
            declaration: d.declaration,
            origin: d.origin,
            port: d.port,
            consignment: d.consignment,
            quantity: d.quantity,
        });
        Ok(())
    }

    /// Clears a declared lot (a customs Inspector), citing its inspection/quarantine certificate.
    pub fn clear(origin: &Origin, lot: LotKey, certificate: AttestationId) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        if Self::org_kind(signer.org) != Some(OrgKind::Customs) {
            return Err(Error::NotCustoms.into());
        }
        signer.ensure_role(Role::Inspector)?;
        let mut entry = Entries::get(&lot).ok_or(Error::NotDeclared)?;
        if entry.clearance.is_some() {
            return Err(Error::AlreadyCleared.into());
        }
        let now = Self::now();
        T::Attestations::is_valid(
            &certificate,
            &lot_subject(&lot),
            schemas::INSPECTION_QUARANTINE_CERTIFICATE,
            now,
        )?;

        let mut inspection = EpcisEvent::new(
            EventBody::Object {
                action: Action::Observe,
                epcs: vec![entry.consignment],
                quantities: vec![],
            },
            now,
            CST_MINUTES,
            BizStep::Inspecting,
        );
        inspection.read_point = Some(port_location(&entry.port));
        inspection.certifications = vec![certificate];
        yima_trace::Pallet::<T>::record(origin, vec![inspection], PALLET)?;

        entry.clearance = Some(Clearance {
            customs: signer.org,
            certificate,
            at: yima_system::Pallet::<T>::block_number(),
        });
        Entries::insert(&lot, &entry);
        Self::deposit_event(Event::Cleared {
            lot,
            customs: signer.org,
            certificate,
        });
        Ok(())
    }
}
