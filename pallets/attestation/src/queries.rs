//! Read-only queries for the runtime's query API and the node's RPC (`attest_*`): attestations by subject, by
//! issuing organisation and by schema, and validity at a moment.
//!
//! Lists come in issuing order (block, then id). They read the current state; "was it valid at height H" is
//! answered by running the same query on the state at H (the node keeps versioned state), and a proof of it is a
//! state proof of the attestation's key against that height's `state_root`.

use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{Moment, OrgId};

use crate::types::{Attestation, AttestationError, AttestationId, SchemaId, Subject};
use crate::{Attestations, ByIssuer, BySchema, BySubject, Config, Pallet};

/// The attestations under `ids`, in issuing order.
fn load(ids: Vec<(AttestationId, ())>) -> Vec<(AttestationId, Attestation)> {
    let mut out: Vec<(AttestationId, Attestation)> = ids
        .into_iter()
        .filter_map(|(id, ())| Attestations::get(&id).map(|a| (id, a)))
        .collect();
    out.sort_by_key(|(id, a)| (a.issued_at, *id));
    out
}

impl<T: Config> Pallet<T> {
    /// Every attestation about `subject`, revoked and expired ones included.
    pub fn by_subject(subject: &Subject) -> Vec<(AttestationId, Attestation)> {
        load(BySubject::iter_prefix(subject))
    }

    /// Every attestation issued by organisation `org`.
    pub fn by_issuer(org: OrgId) -> Vec<(AttestationId, Attestation)> {
        load(ByIssuer::iter_prefix(&org))
    }

    /// Every attestation of schema `schema`.
    pub fn by_schema(schema: SchemaId) -> Vec<(AttestationId, Attestation)> {
        load(BySchema::iter_prefix(&schema))
    }

    /// The attestations about `subject` that are valid at `moment` (of any schema).
    pub fn valid_for(subject: &Subject, moment: Moment) -> Vec<(AttestationId, Attestation)> {
        let mut all = Self::by_subject(subject);
        all.retain(|(_, a)| a.check_at(moment).is_ok());
        all
    }

    /// Whether attestation `id` exists and holds at `moment` (see [`Attestation::check_at`]).
    pub fn valid_at(id: &AttestationId, moment: Moment) -> bool {
        Self::status_at(id, moment).is_ok()
    }

    /// Why attestation `id` does not hold at `moment`, if it does not.
    pub fn status_at(id: &AttestationId, moment: Moment) -> Result<(), AttestationError> {
        Attestations::get(id)
            .ok_or(AttestationError::NotFound)?
            .check_at(moment)
    }
}
