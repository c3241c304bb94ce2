//! # Attestation pallet — the other administrative modules
//!
//! Certificates as data (DOMAIN.md §4 "Attestations"): licences, equipment inspections, calibration, enforcement
//! decisions, batch release, the cold-chain "four no's" certificates, quick tests, staff health, 放心消费 and
//! 阳光厨房 all become attestations of a [`Schema`] about a [`Subject`].
//!
//! - **Schemas** ([`registry`]) name which organisation kinds may issue them, what their subject is (a trace code,
//!   a lot, an organisation by USCC, equipment, a location, a pseudonymous person) and an optional longest
//!   validity. Genesis ships the DOMAIN.md §4 list under the fixed ids of [`schemas`]; regulator governance
//!   registers more and deactivates them through root calls.
//! - **Attestations** ([`issuance`]): an Inspector of an organisation of an allowed kind attests a content digest
//!   (and optionally a URI) about a subject, valid from a moment, optionally until one. The id is
//!   content-addressed ([`attestation_id`]), so clients know it before submitting and EPCIS events can cite it.
//! - **Revocation**: the issuing organisation or any regulator withdraws an attestation with the digest of a
//!   notice; it counts from the revocation block's time on.
//! - **Queries** ([`queries`]): by subject, by issuer, by schema, valid at a moment; and
//!   [`AttestationInspect`] ([`inspect`]), the small trait other pallets (vaccine, cold chain, food, drug) ask
//!   "does this subject hold a valid attestation of schema X now?" or "is the cited certificate valid for this
//!   subject?", with a specific [`AttestationError`] when it is not.
//!
//! Nothing personal is on chain: a person is only a [`PseudonymousId`] (DOMAIN.md §6), which [`pseudonym::check`]
//! tells from a national id in clear (the vaccine and drug pallets refuse person ids that fail it), and documents
//! only by digest. Every call checks everything before its first write.

pub mod genesis;
pub mod inspect;
pub mod issuance;
pub mod pseudonym;
pub mod queries;
pub mod registry;
pub mod schemas;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_frame::{storage, BlockNumber, DispatchResult, Hash, Hooks, Moment, OrgId, Origin};
use yima_membership::{MembershipInspect, OrgKind};

pub use genesis::{GenesisConfig, GenesisSchema};
pub use inspect::{AttestationInspect, AttestationWatch, SubjectInspect};
pub use types::{
    attestation_id, is_valid_id, is_valid_name, is_valid_uri, Attestation, AttestationError,
    AttestationId, LotRef, PseudonymousId, Revocation, Schema, SchemaId, Subject, SubjectKind,
    ATTESTATION_ID_TAG, DAY_MS, MAX_ID_BYTES, MAX_ISSUER_KINDS, MAX_SCHEMA_NAME_BYTES,
    MAX_URI_BYTES, URI_SCHEMES,
};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "Attestation";

/// What the runtime supplies to the attestation pallet.
pub trait Config: yima_system::Config<RuntimeEvent: From<Event>> {
    /// Organisation kinds: who may issue a schema, who is a regulator.
    type Membership: MembershipInspect;
    /// Whether a subject exists on chain (codes and lots in trace, …); `()` accepts every well-formed subject.
    type Subjects: SubjectInspect;
    /// The registers that check and follow attestations about their subjects (the equipment register); `()`
    /// for none.
    type Watch: AttestationWatch;
}

storage! {
    pallet "Attestation";
    /// Every schema, active or not.
    pub Schemas: map SchemaId => Schema;
    /// The id the next registered schema gets.
    pub NextSchemaId: value SchemaId;
    /// Every attestation, revoked or not.
    pub Attestations: map AttestationId => Attestation;
    /// Index: subject → its attestations.
    pub BySubject: double_map Subject, AttestationId => ();
    /// How many attestations were ever issued about a subject: with [`SubjectAt`], the list a client proves
    /// complete (a state proof of the count, then one of each position), which [`BySubject`] cannot give.
    pub SubjectCount: map Subject => u32;
    /// Index: subject, position (0-based, issuing order) → attestation.
    pub SubjectAt: double_map Subject, u32 => AttestationId;
    /// Index: issuing organisation → its attestations.
    pub ByIssuer: double_map OrgId, AttestationId => ();
    /// Index: schema → its attestations.
    pub BySchema: double_map SchemaId, AttestationId => ();
    /// How this chain's members derive pseudonymous person ids (set at genesis; unset: the chain names none and
    /// clients refuse to derive).
    pub PersonIdDerivation: value yima_person_id::PersonIdScheme;
}

/// Events of the attestation pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// A schema was registered (by genesis or regulator governance).
    #[codec(index = 0)]
    SchemaRegistered {
        /// Its id.
        id: SchemaId,
        /// Its name.
        name: Vec<u8>,
        /// Its version.
        version: u16,
    },
    /// A schema was deactivated: no new attestations of it.
    #[codec(index = 1)]
    SchemaDeactivated {
        /// Its id.
        id: SchemaId,
    },
    /// An attestation was issued.
    #[codec(index = 2)]
    Attested {
        /// Its id.
        id: AttestationId,
        /// Its schema.
        schema: SchemaId,
        /// What it is about.
        subject: Subject,
        /// Who issued it.
        issuer_org: OrgId,
    },
    /// An attestation was revoked.
    #[codec(index = 3)]
    Revoked {
        /// Its id.
        id: AttestationId,
        /// The organisation that revoked it.
        by: OrgId,
        /// Digest of the revocation notice.
        reason: Hash,
    },
}

/// Why an attestation call was refused (or, for the last group, why a cited attestation does not hold: see
/// [`AttestationError`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// No such schema.
    #[error("unknown schema id; query the schemas for the right one, or have regulator governance register it")]
    UnknownSchema,
    /// The schema was deactivated.
    #[error("this schema is deactivated and takes no new attestations; use its current version")]
    SchemaInactive,
    /// The schema is already deactivated.
    #[error("this schema is already deactivated; there is nothing to do")]
    AlreadyInactive,
    /// A schema with this name and version exists.
    #[error("a schema with this name and version already exists; register a new version instead")]
    DuplicateSchema,
    /// The schema name is unacceptable.
    #[error(
        "a schema name must be 1 to 128 bytes of UTF-8, not blank and without control characters"
    )]
    InvalidSchemaName,
    /// The issuer list is empty or names a kind twice.
    #[error("a schema must name at least one issuing organisation kind, each kind once")]
    InvalidIssuers,
    /// Every schema id is taken.
    #[error(
        "every schema id up to u32::MAX is taken; no more schemas can be registered on this chain"
    )]
    SchemaIdsExhausted,
    /// A longest validity of zero days.
    #[error("max_validity_days must be at least 1, or omitted for no limit")]
    InvalidMaxValidity,
    /// The issuer's organisation kind may not issue this schema.
    #[error("organisations of your kind may not issue this schema; ask an organisation of a kind the schema names")]
    IssuerKindNotAllowed,
    /// The subject is not of the schema's subject kind.
    #[error("the subject is not of the kind this schema is about (code, lot, organisation, equipment, location or person)")]
    SubjectKindMismatch,
    /// The subject is malformed.
    #[error(
        "malformed subject: equipment and location ids are 1 to 64 bytes of UTF-8 without control characters \
         or surrounding spaces, and a person's pseudonymous id is never all zeros (compute the HMAC in the client)"
    )]
    InvalidSubject,
    /// The subject is not on chain.
    #[error("the subject is not known on chain (e.g. a code or lot never commissioned); record it first")]
    UnknownSubject,
    /// An all-zero content digest.
    #[error("the content digest is all zeros; pass the SHA-256 of the certificate document")]
    InvalidDigest,
    /// The URI is longer than allowed.
    #[error(
        "the URI is longer than 256 bytes; store the document elsewhere or shorten its address"
    )]
    UriTooLong,
    /// The URI's scheme or characters are unacceptable.
    #[error("the URI must start with https:// or ipfs:// and contain only visible ASCII (percent-encode the rest)")]
    InvalidUri,
    /// The end of validity is not after its start.
    #[error("valid_until must be later than valid_from")]
    InvalidValidity,
    /// The schema limits validity but no end was given.
    #[error("this schema limits how long its attestations are valid; give valid_until")]
    ValidityRequired,
    /// The validity window is longer than the schema allows.
    #[error("the validity window is longer than this schema's max_validity_days; shorten it")]
    ValidityTooLong,
    /// The attestation would be expired on arrival.
    #[error("valid_until is not after the current block time: the certificate has already expired; attest a current one")]
    AlreadyExpired,
    /// This organisation already attested this document about this subject under this schema.
    #[error("your organisation already attested this document about this subject under this schema (same id); a renewed certificate has a new digest")]
    AlreadyAttested,
    /// No attestation with this id.
    #[error("no attestation has this id; check the certificate reference or issue the attestation first")]
    UnknownAttestation,
    /// Revocation by someone other than the issuer or a regulator.
    #[error("only the issuing organisation or a regulator may revoke this attestation")]
    NotAllowedToRevoke,
    /// Already revoked.
    #[error("this attestation is already revoked; there is nothing to do")]
    AlreadyRevoked,
    /// A cited attestation is about another subject.
    #[error("the attestation is about another subject (another code, lot, organisation, …); cite the certificate of this one")]
    WrongSubject,
    /// A cited attestation is of another schema.
    #[error("the attestation is of another schema than the one required; cite a certificate of the required kind")]
    WrongSchema,
    /// A cited attestation was revoked.
    #[error("the attestation was revoked; obtain a new certificate from an authorised issuer")]
    AttestationRevoked,
    /// A cited attestation has expired.
    #[error("the attestation has expired; obtain a renewed certificate")]
    AttestationExpired,
    /// A cited attestation is not valid yet.
    #[error("the attestation is not valid yet; wait for its start of validity or cite a current certificate")]
    AttestationNotYetValid,
}

yima_frame::impl_pallet_error!(Error, PALLET);

impl From<AttestationError> for Error {
    fn from(e: AttestationError) -> Self {
        match e {
            AttestationError::NotFound => Error::UnknownAttestation,
            AttestationError::WrongSubject => Error::WrongSubject,
            AttestationError::WrongSchema => Error::WrongSchema,
            AttestationError::Revoked => Error::AttestationRevoked,
            AttestationError::Expired => Error::AttestationExpired,
            AttestationError::NotYetValid => Error::AttestationNotYetValid,
        }
    }
}

impl From<AttestationError> for yima_frame::DispatchError {
    /// A pallet that refuses because a cited certificate does not hold may return this directly; the refusal then
    /// reads `Attestation::AttestationRevoked` and so on.
    fn from(e: AttestationError) -> Self {
        Error::from(e).into()
    }
}

/// Calls of the attestation pallet. Indices are stable: a transaction signed today decodes the same forever.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Registers a schema (root: the outcome of regulator governance).
    #[codec(index = 0)]
    RegisterSchema {
        /// Its name (UTF-8, 1 to 128 bytes).
        name: Vec<u8>,
        /// Its version.
        version: u16,
        /// The organisation kinds that may issue it.
        issuers: Vec<OrgKind>,
        /// What its attestations are about.
        subject: SubjectKind,
        /// Longest validity in days, if limited.
        max_validity_days: Option<u32>,
    },
    /// Deactivates a schema (root); its attestations stay as they are.
    #[codec(index = 1)]
    DeactivateSchema {
        /// The schema.
        id: SchemaId,
    },
    /// Issues an attestation (an Inspector of an organisation of a kind the schema allows).
    #[codec(index = 2)]
    Attest {
        /// Its schema.
        schema: SchemaId,
        /// What it is about.
        subject: Subject,
        /// SHA-256 of the certificate document.
        digest: Hash,
        /// Where the document can be fetched.
        uri: Option<Vec<u8>>,
        /// Start of validity, ms UTC.
        valid_from: Moment,
        /// End of validity (exclusive), ms UTC.
        valid_until: Option<Moment>,
    },
    /// Revokes an attestation (the issuing organisation's Inspector, or a regulator's Inspector or Governance
    /// account).
    #[codec(index = 3)]
    Revoke {
        /// The attestation.
        id: AttestationId,
        /// Digest of the revocation notice.
        reason: Hash,
    },
}

/// The attestation pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::RegisterSchema {
                name,
                version,
                issuers,
                subject,
                max_validity_days,
            } => Self::register_schema(origin, name, version, issuers, subject, max_validity_days),
            Call::DeactivateSchema { id } => Self::deactivate_schema(origin, id),
            Call::Attest {
                schema,
                subject,
                digest,
                uri,
                valid_from,
                valid_until,
            } => Self::attest(
                origin,
                schema,
                subject,
                digest,
                uri,
                valid_from,
                valid_until,
            ),
            Call::Revoke { id, reason } => Self::revoke(origin, id, reason),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {}

impl<T: Config> Pallet<T> {
    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }

    pub(crate) fn block_number() -> BlockNumber {
        yima_system::Pallet::<T>::block_number()
    }

    pub(crate) fn now() -> Moment {
        yima_system::Pallet::<T>::now()
    }

    pub(crate) fn org_kind(org: OrgId) -> Option<OrgKind> {
        <T::Membership as MembershipInspect>::org_kind(org)
    }
}
