//! Issuing cold-chain trace codes (冷链食品追溯码) at the supervised first-stop warehouse.
//!
//! A supervised warehouse's Operator issues `count` codes into a lot customs has cleared, citing the lot's
//! disinfection certificate (the first-stop warehouse uploads its disinfection proof with the codes, DOMAIN.md
//! §4), which must be valid now. Codes are `CL` + issuer + serial ([`yima_codes::ColdChainCode`]): the issuer
//! field is the warehouse's organisation id on this chain, serials count up per warehouse from 1, so two
//! issuances never collide and the codes need not be sent.
//!
//! The first issuance of a lot is an EPCIS transformation, the consignment in and the codes out, so the warehouse
//! must hold the consignment (received from the importer) and every code's trace leads back to the port. Later
//! issuances into the same lot (a consignment coded in several runs) commission further codes directly. Either
//! way the event cites the disinfection certificate and goes through the trace core.

use yima_attestation::{schemas, AttestationId, AttestationInspect};
use yima_codes::cold_chain::{MAX_ISSUER, MAX_SERIAL};
use yima_codes::{ColdChainCode, TraceCode};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Origin, Role};
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::LotKey;

use crate::entry::lot_subject;
use crate::{
    Config, Entries, Error, Event, NextSerial, Pallet, CST_MINUTES, MAX_CODES_PER_ISSUE, PALLET,
};

impl<T: Config> Pallet<T> {
    /// Issues `count` cold-chain codes into the cleared `lot` (a supervised warehouse's Operator).
    pub fn issue_codes(
        origin: &Origin,
        lot: LotKey,
        count: u32,
        disinfection: AttestationId,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        if Self::org_kind(signer.org) != Some(OrgKind::SupervisedWarehouse) {
            return Err(Error::NotSupervisedWarehouse.into());
        }
        signer.ensure_role(Role::Operator)?;
        let mut entry = Entries::get(&lot).ok_or(Error::NotDeclared)?;
        if entry.clearance.is_none() {
            return Err(Error::NotCleared.into());
        }
        if count == 0 || count > MAX_CODES_PER_ISSUE {
            return Err(Error::InvalidCount.into());
        }
        if signer.org >= MAX_ISSUER {
            return Err(Error::IssuerNumberTooLarge.into());
        }
        let first = NextSerial::get(&signer.org).unwrap_or(1);
        let end = first
            .checked_add(u64::from(count))
            .filter(|end| *end <= MAX_SERIAL)
            .ok_or(Error::SerialsExhausted)?;
        let now = Self::now();
        T::Attestations::is_valid(
            &disinfection,
            &lot_subject(&lot),
            schemas::DISINFECTION_CERTIFICATE,
            now,
        )?;
        let dates = yima_trace::Pallet::<T>::lot(&lot).ok_or(Error::UnknownLot)?;
        let issued = (first..end)
            .map(|serial| ColdChainCode::new(signer.org, serial))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Error::SerialsExhausted)?;
        let first_code = issued[0];
        let codes: Vec<TraceCode> = issued.into_iter().map(TraceCode::ColdChain).collect();

        let body = if entry.codes_issued == 0 {
            EventBody::Transformation {
                inputs: vec![entry.consignment],
                outputs: codes,
            }
        } else {
            EventBody::Object {
                action: Action::Add,
                epcs: codes,
                quantities: vec![],
            }
        };
        let mut issue = EpcisEvent::new(body, now, CST_MINUTES, BizStep::Commissioning);
        issue.ilmd = Some(Ilmd {
            lot: lot.clone(),
            production_date: dates.production_date,
            expiry: dates.expiry,
        });
        issue.certifications = vec![disinfection];
        yima_trace::Pallet::<T>::record(origin, vec![issue], PALLET)?;

        NextSerial::insert(&signer.org, &end);
        entry.codes_issued = entry.codes_issued.saturating_add(count);
        Entries::insert(&lot, &entry);
        Self::deposit_event(Event::CodesIssued {
            lot,
            warehouse: signer.org,
            first: first_code,
            count,
            disinfection,
        });
        Ok(())
    }
}
