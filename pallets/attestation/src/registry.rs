//! The schema registry: regulator governance registers and deactivates schemas.
//!
//! Both calls take the root origin, which is what the outcome of regulator governance (the M-of-N approval of
//! regulator Governance accounts in membership) dispatches with; genesis writes the shipped schemas directly.
//! A single regulator account cannot register a schema on its own.

use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{DispatchResult, Origin};
use yima_membership::OrgKind;

use crate::schemas::FIRST_REGISTERED_ID;
use crate::types::{is_valid_name, Schema, SchemaId, SubjectKind, MAX_ISSUER_KINDS};
use crate::{Config, Error, Event, NextSchemaId, Pallet, Schemas};

/// Checks a schema's own fields (not its uniqueness).
pub(crate) fn check_fields(
    name: &[u8],
    issuers: &[OrgKind],
    max_validity_days: Option<u32>,
) -> Result<(), Error> {
    if !is_valid_name(name) {
        return Err(Error::InvalidSchemaName);
    }
    let unique = issuers
        .iter()
        .enumerate()
        .all(|(i, k)| !issuers[..i].contains(k));
    if issuers.is_empty() || issuers.len() > MAX_ISSUER_KINDS || !unique {
        return Err(Error::InvalidIssuers);
    }
    if max_validity_days == Some(0) {
        return Err(Error::InvalidMaxValidity);
    }
    Ok(())
}

/// The id of the schema called `name` at `version`, if any.
pub(crate) fn find(name: &[u8], version: u16) -> Option<SchemaId> {
    Schemas::iter()
        .into_iter()
        .find(|(_, s)| s.name == name && s.version == version)
        .map(|(id, _)| id)
}

impl<T: Config> Pallet<T> {
    /// Registers a schema under the next free id (root: the outcome of regulator governance).
    pub fn register_schema(
        origin: &Origin,
        name: Vec<u8>,
        version: u16,
        issuers: Vec<OrgKind>,
        subject: SubjectKind,
        max_validity_days: Option<u32>,
    ) -> DispatchResult {
        origin.ensure_root()?;
        check_fields(&name, &issuers, max_validity_days)?;
        if find(&name, version).is_some() {
            return Err(Error::DuplicateSchema.into());
        }
        let id = NextSchemaId::get()
            .unwrap_or(FIRST_REGISTERED_ID)
            .max(FIRST_REGISTERED_ID);
        let next = id.checked_add(1).ok_or(Error::SchemaIdsExhausted)?;
        Schemas::insert(
            &id,
            &Schema {
                name: name.clone(),
                version,
                issuers,
                subject,
                max_validity_days,
                active: true,
            },
        );
        NextSchemaId::put(&next);
        Self::deposit_event(Event::SchemaRegistered { id, name, version });
        Ok(())
    }

    /// Deactivates a schema (root): no new attestations of it; those issued stay valid until they expire or are
    /// revoked.
    pub fn deactivate_schema(origin: &Origin, id: SchemaId) -> DispatchResult {
        origin.ensure_root()?;
        let mut schema = Schemas::get(&id).ok_or(Error::UnknownSchema)?;
        if !schema.active {
            return Err(Error::AlreadyInactive.into());
        }
        schema.active = false;
        Schemas::insert(&id, &schema);
        Self::deposit_event(Event::SchemaDeactivated { id });
        Ok(())
    }

    /// A schema by id.
    pub fn schema(id: SchemaId) -> Option<Schema> {
        Schemas::get(&id)
    }

    /// Every schema with its id, in id order.
    pub fn schemas() -> Vec<(SchemaId, Schema)> {
        // Storage-key order is the order of the little-endian encoding, not of the numbers.
        let mut all = Schemas::iter();
        all.sort_by_key(|(id, _)| *id);
        all
    }

    /// The id of the schema called `name` at `version`.
    pub fn schema_by_name(name: &[u8], version: u16) -> Option<SchemaId> {
        find(name, version)
    }
}
