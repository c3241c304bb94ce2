//! The traits between this pallet and the others, declared FRAME-style and wired by the runtime:
//!
//! - [`AttestationInspect`], which this pallet implements: what the vaccine, cold-chain, food and drug pallets
//!   ask before they let goods move ("is this batch released?", "does this lot hold the four certificates?").
//! - [`SubjectInspect`], which this pallet asks: whether a subject exists on chain before it is attested.
//! - [`AttestationWatch`], which this pallet tells: a pallet that keeps a register of its own subjects (the
//!   equipment register) checks an attestation about them before it is written — only the unit's maintenance
//!   firm records its maintenance — and follows it once written or revoked (the unit's last maintenance, its
//!   next deadline).

use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchResult, Moment};

use crate::types::{Attestation, AttestationError, AttestationId, SchemaId, Subject};
use crate::{Attestations, BySubject, Config, Pallet};

/// What other pallets ask about attestations, through their own `Config`.
///
/// ```text
/// // In a vaccine pallet: a batch leaves the manufacturer only once released.
/// let lot = Subject::Lot(LotRef { product, lot });
/// if !T::Attestations::has_valid(&lot, yima_attestation::schemas::BATCH_RELEASE, now) {
///     return Err(Error::BatchNotReleased.into());
/// }
/// // In a cold-chain pallet: a cited certificate must hold for this lot, or the refusal says why.
/// T::Attestations::is_valid(&cited, &lot, yima_attestation::schemas::DISINFECTION_CERTIFICATE, now)?;
/// ```
pub trait AttestationInspect {
    /// Whether `subject` holds at least one attestation of `schema` that is valid at `now` (not revoked, inside
    /// its validity window). Certificates of a lot are not inherited by its codes here: ask about the lot.
    fn has_valid(subject: &Subject, schema: SchemaId, now: Moment) -> bool;

    /// The attestation `id`, revoked or not.
    fn attestation(id: &AttestationId) -> Option<Attestation>;

    /// Whether the cited attestation `id` is one of `schema` about `subject` valid at `now`; otherwise the
    /// specific reason, checked in this order: [`NotFound`](AttestationError::NotFound),
    /// [`WrongSubject`](AttestationError::WrongSubject), [`WrongSchema`](AttestationError::WrongSchema),
    /// [`Revoked`](AttestationError::Revoked), [`NotYetValid`](AttestationError::NotYetValid),
    /// [`Expired`](AttestationError::Expired).
    fn is_valid(
        id: &AttestationId,
        subject: &Subject,
        schema: SchemaId,
        now: Moment,
    ) -> Result<(), AttestationError>;
}

/// Whether a subject exists on chain; what this pallet asks before attesting.
///
/// The runtime wires it to the pallets that know: trace for codes and lots, for instance. Organisations,
/// equipment, locations and people need not be on chain (a business licence or an enforcement decision may
/// concern a business that is no member), so an implementation usually accepts those.
pub trait SubjectInspect {
    /// Whether `subject` is known.
    fn exists(subject: &Subject) -> bool;
}

/// What a pallet with a register of subjects does with attestations about them (see the module docs). Every
/// method runs inside the attest or revoke call: an error from [`AttestationWatch::check`] refuses the call,
/// and whatever the hooks write is undone with it.
pub trait AttestationWatch {
    /// Checks `attestation` (`id`, issued now by `attestation.issuer_org`) before anything is written.
    fn check(id: &AttestationId, attestation: &Attestation) -> DispatchResult;
    /// Follows `attestation` once written.
    fn attested(id: &AttestationId, attestation: &Attestation);
    /// Follows the revocation of `attestation` (its `revoked` is set).
    fn revoked(id: &AttestationId, attestation: &Attestation);
}

/// Watches nothing.
impl AttestationWatch for () {
    fn check(_id: &AttestationId, _attestation: &Attestation) -> DispatchResult {
        Ok(())
    }
    fn attested(_id: &AttestationId, _attestation: &Attestation) {}
    fn revoked(_id: &AttestationId, _attestation: &Attestation) {}
}

/// Accepts every subject: no existence check beyond well-formedness.
impl SubjectInspect for () {
    fn exists(_subject: &Subject) -> bool {
        true
    }
}

impl<T: Config> AttestationInspect for Pallet<T> {
    fn has_valid(subject: &Subject, schema: SchemaId, now: Moment) -> bool {
        BySubject::iter_prefix(subject).into_iter().any(|(id, ())| {
            Attestations::get(&id).is_some_and(|a| a.schema == schema && a.check_at(now).is_ok())
        })
    }

    fn attestation(id: &AttestationId) -> Option<Attestation> {
        Attestations::get(id)
    }

    fn is_valid(
        id: &AttestationId,
        subject: &Subject,
        schema: SchemaId,
        now: Moment,
    ) -> Result<(), AttestationError> {
        let attestation = Attestations::get(id).ok_or(AttestationError::NotFound)?;
        if &attestation.subject != subject {
            return Err(AttestationError::WrongSubject);
        }
        if attestation.schema != schema {
            return Err(AttestationError::WrongSchema);
        }
        attestation.check_at(now)
    }
}
