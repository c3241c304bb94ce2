//! The attestation section of a chain spec: the schemas the chain starts with, checked in full before anything
//! is written. Omitted, it is the shipped list of [`crate::schemas`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{GenesisBuild, GenesisError};
use yima_membership::OrgKind;

use crate::registry::check_fields;
use crate::schemas::{builtin, FIRST_REGISTERED_ID};
use crate::types::{Schema, SchemaId, SubjectKind};
use crate::{Error, NextSchemaId, Schemas, PALLET};

/// A schema in genesis, with its fixed id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisSchema {
    /// Its id: at least 1, unique.
    pub id: SchemaId,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: u16,
    /// The organisation kinds that may issue it.
    pub issuers: Vec<OrgKind>,
    /// What its attestations are about.
    pub subject: SubjectKind,
    /// Longest validity in days, if limited.
    #[serde(default)]
    pub max_validity_days: Option<u32>,
}

/// Genesis configuration of the attestation pallet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    /// The schemas the chain starts with (all active); the shipped list when omitted.
    #[serde(default = "builtin")]
    pub schemas: Vec<GenesisSchema>,
    /// How members derive pseudonymous person ids: the derivation and a commitment to the key the regulator hands
    /// them off chain (`yima person-id generate-key` prints both). Never the key itself: a chain spec is public.
    #[serde(default)]
    pub person_id: Option<yima_person_id::PersonIdScheme>,
}

impl Default for GenesisConfig {
    /// The shipped schemas of DOMAIN.md §4 ([`crate::schemas`]).
    fn default() -> Self {
        Self {
            schemas: builtin(),
            person_id: None,
        }
    }
}

fn err(message: String) -> GenesisError {
    GenesisError::new(PALLET, message)
}

impl GenesisConfig {
    /// Checks every schema; returns the id the first governance-registered schema will get.
    fn check(&self) -> Result<SchemaId, GenesisError> {
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        for s in &self.schemas {
            if s.id == 0 {
                return Err(err(format!(
                    "schema {:?} has id 0; schema ids start at 1",
                    s.name
                )));
            }
            if !ids.insert(s.id) {
                return Err(err(format!(
                    "schema id {} is listed twice; give every schema its own id",
                    s.id
                )));
            }
            if !names.insert((s.name.as_str(), s.version)) {
                return Err(err(format!(
                    "schema {:?} version {} is listed twice; list it once or give it another version",
                    s.name, s.version
                )));
            }
            check_fields(s.name.as_bytes(), &s.issuers, s.max_validity_days).map_err(|e| {
                let what = match e {
                    Error::InvalidSchemaName => "its name must be 1 to 128 bytes of UTF-8, not blank and without control characters",
                    Error::InvalidIssuers => "it must name at least one issuing organisation kind, each kind once",
                    _ => "max_validity_days must be at least 1, or omitted for no limit",
                };
                err(format!("schema {} ({:?}): {what}", s.id, s.name))
            })?;
        }
        let next = match ids.last() {
            Some(&max) => max.checked_add(1).ok_or_else(|| {
                err(format!(
                    "schema id {max} leaves no id for later schemas; use smaller ids"
                ))
            })?,
            None => FIRST_REGISTERED_ID,
        };
        Ok(next.max(FIRST_REGISTERED_ID))
    }
}

impl GenesisBuild for GenesisConfig {
    fn build(&self) -> Result<(), GenesisError> {
        let next = self.check()?;
        for s in &self.schemas {
            Schemas::insert(
                &s.id,
                &Schema {
                    name: s.name.as_bytes().to_vec(),
                    version: s.version,
                    issuers: s.issuers.clone(),
                    subject: s.subject,
                    max_validity_days: s.max_validity_days,
                    active: true,
                },
            );
        }
        NextSchemaId::put(&next);
        if let Some(scheme) = &self.person_id {
            crate::PersonIdDerivation::put(scheme);
        }
        Ok(())
    }
}
