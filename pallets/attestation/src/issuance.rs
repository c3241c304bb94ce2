//! Issuing and revoking attestations.
//!
//! **Attest.** The signer needs the Inspector role ("records inspection and test results, issues attestations");
//! its organisation's kind must be one the schema names; the schema must be active; the subject must be of the
//! schema's kind, well formed and — as far as [`SubjectInspect`] knows — on chain; the digest not all zeros; the
//! URI at most [`MAX_URI_BYTES`] bytes of an `https://` or `ipfs://` address; the window `valid_from <
//! valid_until`, not longer than the schema's `max_validity_days` (which then requires an end), and not already
//! over at the block's time. A start in the future is fine (a certificate effective next month), and so is a start
//! in the past (a certificate issued on paper last week). Last, a register that keeps the subject
//! ([`AttestationWatch::check`], the equipment register) may refuse it: only the unit's maintenance firm records
//! its maintenance, for instance.
//!
//! **Revoke.** The issuing organisation (an Inspector of it) or any regulator (an Inspector or a Governance
//! account of it), once, with the digest of a notice. The attestation counts as revoked from the revocation
//! block's time on.
//!
//! Both tell the runtime's [`AttestationWatch`] once written, inside the same call.

use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchError, DispatchResult, Hash, Moment, Origin, Role};
use yima_membership::OrgKind;

use crate::inspect::{AttestationWatch, SubjectInspect};
use crate::types::{
    attestation_id, is_valid_uri, Attestation, AttestationId, Revocation, SchemaId, Subject,
    DAY_MS, MAX_URI_BYTES,
};
use crate::{
    Attestations, ByIssuer, BySchema, BySubject, Config, Error, Event, Pallet, Schemas, SubjectAt,
    SubjectCount,
};

impl<T: Config> Pallet<T> {
    /// Issues an attestation of `schema` about `subject` for the signer's organisation.
    #[allow(clippy::too_many_arguments)] // One argument per field of the call, as FRAME calls are written.
    pub fn attest(
        origin: &Origin,
        schema: SchemaId,
        subject: Subject,
        digest: Hash,
        uri: Option<Vec<u8>>,
        valid_from: Moment,
        valid_until: Option<Moment>,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Inspector)?;
        let record = Schemas::get(&schema).ok_or(Error::UnknownSchema)?;
        if !record.active {
            return Err(Error::SchemaInactive.into());
        }
        if !Self::org_kind(signer.org).is_some_and(|kind| record.allows(kind)) {
            return Err(Error::IssuerKindNotAllowed.into());
        }
        if subject.kind() != record.subject {
            return Err(Error::SubjectKindMismatch.into());
        }
        if !subject.is_well_formed() {
            return Err(Error::InvalidSubject.into());
        }
        if !T::Subjects::exists(&subject) {
            return Err(Error::UnknownSubject.into());
        }
        if digest == Hash::default() {
            return Err(Error::InvalidDigest.into());
        }
        if let Some(uri) = &uri {
            if uri.len() > MAX_URI_BYTES {
                return Err(Error::UriTooLong.into());
            }
            if !is_valid_uri(uri) {
                return Err(Error::InvalidUri.into());
            }
        }
        Self::check_window(record.max_validity_days, valid_from, valid_until)?;

        let id = attestation_id(schema, signer.org, &subject, &digest);
        if Attestations::contains_key(&id) {
            return Err(Error::AlreadyAttested.into());
        }
        let attestation = Attestation {
            schema,
            issuer_org: signer.org,
            issuer: signer.account,
            subject: subject.clone(),
            digest,
            uri,
            valid_from,
            valid_until,
            issued_at: Self::block_number(),
            revoked: None,
        };
        T::Watch::check(&id, &attestation)?;
        Attestations::insert(&id, &attestation);
        BySubject::insert(&subject, &id, &());
        let position = SubjectCount::get(&subject).unwrap_or(0);
        SubjectAt::insert(&subject, &position, &id);
        SubjectCount::insert(&subject, &(position + 1));
        ByIssuer::insert(&signer.org, &id, &());
        BySchema::insert(&schema, &id, &());
        Self::deposit_event(Event::Attested {
            id,
            schema,
            subject,
            issuer_org: signer.org,
        });
        T::Watch::attested(&id, &attestation);
        Ok(())
    }

    /// The validity window rules of [`Self::attest`].
    fn check_window(
        max_validity_days: Option<u32>,
        valid_from: Moment,
        valid_until: Option<Moment>,
    ) -> Result<(), Error> {
        match (valid_until, max_validity_days) {
            (Some(until), _) if until <= valid_from => Err(Error::InvalidValidity),
            (None, Some(_)) => Err(Error::ValidityRequired),
            (Some(until), Some(days)) if until - valid_from > Moment::from(days) * DAY_MS => {
                Err(Error::ValidityTooLong)
            }
            (Some(until), _) if until <= Self::now() => Err(Error::AlreadyExpired),
            _ => Ok(()),
        }
    }

    /// Revokes attestation `id` with the digest of a notice (its issuing organisation or a regulator).
    pub fn revoke(origin: &Origin, id: AttestationId, reason: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut attestation = Attestations::get(&id).ok_or(Error::UnknownAttestation)?;
        if Self::org_kind(signer.org) == Some(OrgKind::Regulator) {
            if !(signer.roles.contains(Role::Inspector) || signer.roles.contains(Role::Governance))
            {
                return Err(DispatchError::MissingRole(Role::Inspector));
            }
        } else if signer.org == attestation.issuer_org {
            signer.ensure_role(Role::Inspector)?;
        } else {
            return Err(Error::NotAllowedToRevoke.into());
        }
        if attestation.revoked.is_some() {
            return Err(Error::AlreadyRevoked.into());
        }
        attestation.revoked = Some(Revocation {
            by: signer.org,
            reason,
            at: Self::block_number(),
            time: Self::now(),
        });
        Attestations::insert(&id, &attestation);
        Self::deposit_event(Event::Revoked {
            id,
            by: signer.org,
            reason,
        });
        T::Watch::revoked(&id, &attestation);
        Ok(())
    }
}
