//! Prescriptions (处方流通): upload and review. Dispensing is [`crate::dispensing`].
//!
//! **Upload** ([`Pallet::upload_prescription`]), checked in this order before anything is written: the signer
//! (an Operator) acts for the prescribing hospital, or for a pharmacy the patient brought the prescription to —
//! [`Error::NotAllowedToUpload`]; the named hospital is a hospital — [`Error::NotAHospital`]; the patient id is
//! pseudonymous — [`Error::PatientNotPseudonymous`]; the digest is not all zeros and new —
//! [`Error::InvalidDigest`], [`Error::PrescriptionExists`]; 1 to [`MAX_PRESCRIPTION_LINES`] lines, each drug once,
//! each at least one pack, each listed in the registry — [`Error::InvalidLineCount`], [`Error::DuplicateDrug`],
//! [`Error::ZeroQuantity`], [`Error::UnknownDrug`]. The digest of the document is the prescription's id; the
//! document stays with the hospital and the patient.
//!
//! **Review** ([`Pallet::review_prescription`]): an Operator of a pharmacy records the review of one of its
//! resident pharmacists: the pharmacist must be bound to that pharmacy now — [`Error::PharmacistNotBound`] — and
//! still hold a valid licence — [`Error::PharmacistNotLicensed`]; a prescription is reviewed once —
//! [`Error::AlreadyReviewed`]. An approved prescription is then dispensed by the reviewing pharmacy only.

use std::collections::BTreeSet;

use yima_attestation::{schemas, AttestationInspect, PseudonymousId, Subject};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, OrgId, Origin, Role};
use yima_membership::OrgKind;

use crate::types::{
    PrescribedDrug, Prescription, PrescriptionId, PrescriptionLine, Review, MAX_PRESCRIPTION_LINES,
};
use crate::{Config, Drugs, Error, Event, Pallet, Pharmacists, Prescriptions};

impl<T: Config> Pallet<T> {
    /// Uploads a prescription (see the module docs).
    pub fn upload_prescription(
        origin: &Origin,
        digest: Hash,
        hospital: OrgId,
        patient: PseudonymousId,
        drugs: Vec<PrescribedDrug>,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Operator)?;
        let uploader_may =
            signer.org == hospital || Self::org_kind(signer.org) == Some(OrgKind::Pharmacy);
        if !uploader_may {
            return Err(Error::NotAllowedToUpload.into());
        }
        if Self::org_kind(hospital) != Some(OrgKind::Hospital) {
            return Err(Error::NotAHospital.into());
        }
        if yima_attestation::pseudonym::check(&patient).is_err() {
            return Err(Error::PatientNotPseudonymous.into());
        }
        if digest == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        if Prescriptions::contains_key(&digest) {
            return Err(Error::PrescriptionExists.into());
        }
        if drugs.is_empty() || drugs.len() > MAX_PRESCRIPTION_LINES {
            return Err(Error::InvalidLineCount.into());
        }
        let mut seen = BTreeSet::new();
        for line in &drugs {
            if !seen.insert(line.drug) {
                return Err(Error::DuplicateDrug.into());
            }
            if line.quantity == 0 {
                return Err(Error::ZeroQuantity.into());
            }
            if !Drugs::contains_key(&line.drug) {
                return Err(Error::UnknownDrug.into());
            }
        }
        let prescription = Prescription {
            hospital,
            uploaded_by: signer.org,
            patient,
            lines: drugs
                .into_iter()
                .map(|d| PrescriptionLine {
                    drug: d.drug,
                    quantity: d.quantity,
                    dispensed: 0,
                })
                .collect(),
            uploaded_block: yima_system::Pallet::<T>::block_number(),
            review: None,
        };
        Prescriptions::insert(&digest, &prescription);
        Self::deposit_event(Event::PrescriptionUploaded {
            prescription: digest,
            hospital,
            uploaded_by: signer.org,
        });
        Ok(())
    }

    /// Records a resident pharmacist's review (see the module docs).
    pub fn review_prescription(
        origin: &Origin,
        prescription: PrescriptionId,
        pharmacist: PseudonymousId,
        approved: bool,
    ) -> DispatchResult {
        let pharmacy = Self::ensure_pharmacy(origin)?.org;
        let mut record = Prescriptions::get(&prescription).ok_or(Error::UnknownPrescription)?;
        if record.review.is_some() {
            return Err(Error::AlreadyReviewed.into());
        }
        let bound = Pharmacists::get(&pharmacist).filter(|r| r.pharmacy == Some(pharmacy));
        let Some(bound) = bound else {
            return Err(Error::PharmacistNotBound.into());
        };
        T::Attestations::is_valid(
            &bound.licence,
            &Subject::Person(pharmacist),
            schemas::PHARMACIST_LICENCE,
            Self::now(),
        )
        .map_err(|_| Error::PharmacistNotLicensed)?;
        record.review = Some(Review {
            pharmacy,
            pharmacist,
            approved,
            block: yima_system::Pallet::<T>::block_number(),
        });
        Prescriptions::insert(&prescription, &record);
        Self::deposit_event(Event::PrescriptionReviewed {
            prescription,
            pharmacy,
            pharmacist,
            approved,
        });
        Ok(())
    }
}
