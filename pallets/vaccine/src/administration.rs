//! The administration call and the record card.
//!
//! [`Pallet::administer`] checks, in this order and before anything is written:
//!
//! 1. the signer's organisation is a vaccination site — [`Error::NotVaccinationSite`];
//! 2. recipient and vaccinator ids are pseudonymous ([`crate::pseudonym`]) —
//!    [`Error::RecipientNotPseudonymous`], [`Error::VaccinatorNotPseudonymous`];
//! 3. the equipment id is well formed (the attestation pallet's id rule) — [`Error::InvalidEquipmentId`];
//! 4. the named CDC is a CDC — [`Error::NotACdc`];
//! 5. the code is a commissioned dose of a vaccine, of the batch the record names — [`Error::UnknownCode`],
//!    [`Error::NotAVaccine`], [`Error::BatchMismatch`];
//! 6. the dose may be given: not already administered, not otherwise finished, not recalled, not expired, not
//!    excursion-flagged (itself or through a container it travelled in) — [`Error::AlreadyAdministered`],
//!    [`Error::CodeFinished`], [`Error::Recalled`], [`Error::Expired`], [`Error::ExcursionFlagged`].
//!
//! Then it records an EPCIS `Administering` event for the site through `Trace::record(…, "Vaccine")` — the trace
//! core's custody rules (the site holds the dose, it is not in transit or in a container) and every gate,
//! including the batch-release check, apply as to any event — and keeps the record on the recipient's card.
//! The EPCIS event names the CDC as source and the equipment as read point; the pseudonymous ids stay out of it.

use yima_codes::TraceCode;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchResult, Origin};
use yima_membership::OrgKind;
use yima_trace::custody;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Location};
use yima_trace::types::CodeStatus;

use crate::pseudonym;
use crate::types::{Administration, AdministrationRecord};
use crate::{Config, DoseAt, Doses, Error, Event, Pallet, RecordCard, PALLET};

impl<T: Config> Pallet<T> {
    /// Records the 7-in-one record and finishes the dose's custody (see the module docs).
    pub fn administer(origin: &Origin, record: AdministrationRecord) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        if Self::org_kind(signer.org) != Some(OrgKind::VaccinationSite) {
            return Err(Error::NotVaccinationSite.into());
        }
        if pseudonym::check(&record.recipient).is_err() {
            return Err(Error::RecipientNotPseudonymous.into());
        }
        if pseudonym::check(&record.vaccinator).is_err() {
            return Err(Error::VaccinatorNotPseudonymous.into());
        }
        if !yima_attestation::is_valid_id(&record.equipment) {
            return Err(Error::InvalidEquipmentId.into());
        }
        if Self::org_kind(record.cdc) != Some(OrgKind::Cdc) {
            return Err(Error::NotACdc.into());
        }
        let state = yima_trace::Pallet::<T>::code(&record.code).ok_or(Error::UnknownCode)?;
        let lot = state
            .lot
            .filter(Self::is_vaccine_lot)
            .ok_or(Error::NotAVaccine)?;
        if lot.lot != record.batch {
            return Err(Error::BatchMismatch.into());
        }
        let c = custody::custody(&record.code, Self::now()).map_err(|_| Error::UnknownCode)?;
        match c.status {
            CodeStatus::Administered => return Err(Error::AlreadyAdministered.into()),
            s if s.is_finished() => return Err(Error::CodeFinished.into()),
            CodeStatus::Recalled => return Err(Error::Recalled.into()),
            _ if c.expired => return Err(Error::Expired.into()),
            _ if c.excursion => return Err(Error::ExcursionFlagged.into()),
            _ => {}
        }

        let mut event = EpcisEvent::new(
            EventBody::Object {
                action: Action::Observe,
                epcs: vec![record.code],
                quantities: vec![],
            },
            record.time,
            record.time_zone_offset_minutes,
            BizStep::Administering,
        );
        event.read_point = Some(Location::Other(record.equipment.clone()));
        event.source = Some(record.cdc);
        yima_trace::Pallet::<T>::record(origin, vec![event], PALLET)?;

        let administration = Administration {
            code: record.code,
            lot,
            cdc: record.cdc,
            site: signer.org,
            equipment: record.equipment,
            vaccinator: record.vaccinator,
            recipient: record.recipient,
            time: record.time,
            block: yima_system::Pallet::<T>::block_number(),
        };
        RecordCard::insert(
            &administration.recipient,
            &administration.code,
            &administration,
        );
        let position = Doses::get(&administration.recipient).unwrap_or(0);
        DoseAt::insert(&administration.recipient, &position, &administration.code);
        Doses::insert(&administration.recipient, &(position + 1));
        Self::deposit_event(Event::Administered(administration));
        Ok(())
    }

    /// The recipient's record card: every dose administered to them, oldest first (by the time the sites
    /// recorded, then block, then code).
    pub fn record_card(
        recipient: &yima_attestation::PseudonymousId,
    ) -> Vec<(TraceCode, Administration)> {
        let mut card = RecordCard::iter_prefix(recipient);
        card.sort_by(|(a, x), (b, y)| (x.time, x.block, a).cmp(&(y.time, y.block, b)));
        card
    }
}
