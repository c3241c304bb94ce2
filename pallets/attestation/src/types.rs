//! What the attestation pallet keeps: schemas, subjects, attestations and their revocation, the content-addressed
//! attestation id, and the checks on names, ids and URIs that the calls and the genesis build share.

use std::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use serde::{Deserialize, Serialize};
use yima_codes::{LotNumber, ProductId, TraceCode};
use yima_frame::{sha256, AccountId, BlockNumber, Hash, Moment, OrgId};
use yima_membership::{OrgKind, Uscc};

/// Identifier of a schema. The schemas shipped in genesis have the fixed ids of [`crate::schemas`]; schemas
/// registered later are numbered from [`crate::schemas::FIRST_REGISTERED_ID`] up.
pub type SchemaId = u32;

/// Identifier of an attestation: see [`attestation_id`]. It is a [`struct@Hash`] so that EPCIS events can cite it among
/// their certification references.
pub type AttestationId = Hash;

/// Most bytes of a schema name.
pub const MAX_SCHEMA_NAME_BYTES: usize = 128;

/// Most bytes of an equipment or location id.
pub const MAX_ID_BYTES: usize = 64;

/// Most bytes of an attestation's URI.
pub const MAX_URI_BYTES: usize = 256;

/// Most organisation kinds a schema may name as issuers (there are 20 kinds).
pub const MAX_ISSUER_KINDS: usize = 20;

/// One day in milliseconds (the unit of [`Schema::max_validity_days`]).
pub const DAY_MS: Moment = 86_400_000;

/// The URI schemes an attestation's URI may use.
pub const URI_SCHEMES: [&str; 2] = ["https://", "ipfs://"];

/// The domain-separation tag hashed in front of every [`attestation_id`].
pub const ATTESTATION_ID_TAG: &[u8] = b"yima/attestation/v1";

/// What an attestation is about, without its value; a schema fixes one kind for all its attestations.
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Hash, Encode, Decode, MaxEncodedLen, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A trace code (an item, a logistic unit, a drug unit, a cold-chain code).
    #[codec(index = 0)]
    Code,
    /// A lot (batch) of a product.
    #[codec(index = 1)]
    Lot,
    /// An organisation, by its USCC (it need not be a member of the chain).
    #[codec(index = 2)]
    Organisation,
    /// A piece of equipment: an elevator or special-equipment registration code, a measuring instrument.
    #[codec(index = 3)]
    Equipment,
    /// A place: a kitchen, a stall, a cold room.
    #[codec(index = 4)]
    Location,
    /// A person, only ever by pseudonymous id (DOMAIN.md §6).
    #[codec(index = 5)]
    Person,
}

impl SubjectKind {
    /// Every kind, in codec order.
    pub const ALL: [SubjectKind; 6] = [
        SubjectKind::Code,
        SubjectKind::Lot,
        SubjectKind::Organisation,
        SubjectKind::Equipment,
        SubjectKind::Location,
        SubjectKind::Person,
    ];
}

/// A lot of a product: the product and its lot number (GS1 AI 10).
///
/// Its SCALE encoding is exactly that of the trace pallet's `LotKey` (same fields, same order), so an index or a
/// proof keyed by one matches the other; it is declared here so that this pallet does not depend on trace.
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord, Encode, Decode, MaxEncodedLen,
)]
pub struct LotRef {
    /// The product.
    pub product: ProductId,
    /// The lot number.
    pub lot: LotNumber,
}

impl From<(ProductId, LotNumber)> for LotRef {
    fn from((product, lot): (ProductId, LotNumber)) -> Self {
        Self { product, lot }
    }
}

/// A person's pseudonymous id: HMAC-SHA-256(chain pepper, normalised national id), computed in the client
/// (DOMAIN.md §6). Nothing personal is ever on chain in clear. This hides identities from the public and from
/// auditors, not from a member organisation that holds the pepper and brute-forces national id numbers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, MaxEncodedLen)]
pub struct PseudonymousId(pub [u8; 32]);

impl fmt::Debug for PseudonymousId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head: String = self.0[..6].iter().map(|b| format!("{b:02x}")).collect();
        write!(f, "PseudonymousId(0x{head}…)")
    }
}

/// What an attestation is about.
#[derive(Clone, PartialEq, Eq, Debug, Hash, Encode, Decode)]
pub enum Subject {
    /// A trace code; valid by construction (parsing and SCALE decoding refuse invalid codes).
    #[codec(index = 0)]
    Code(TraceCode),
    /// A lot.
    #[codec(index = 1)]
    Lot(LotRef),
    /// An organisation, by its unified social credit code.
    #[codec(index = 2)]
    Organisation(Uscc),
    /// Equipment: an elevator registration code (电梯注册代码), a special-equipment code (设备代码), an
    /// instrument's serial. 1 to [`MAX_ID_BYTES`] bytes of UTF-8, see [`is_valid_id`].
    #[codec(index = 3)]
    Equipment(Vec<u8>),
    /// A location id (a GLN as its 13 digits, or a registered location id); same rule as equipment ids.
    #[codec(index = 4)]
    Location(Vec<u8>),
    /// A person by pseudonymous id only.
    #[codec(index = 5)]
    Person(PseudonymousId),
}

impl Subject {
    /// The subject's kind.
    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::Code(_) => SubjectKind::Code,
            Subject::Lot(_) => SubjectKind::Lot,
            Subject::Organisation(_) => SubjectKind::Organisation,
            Subject::Equipment(_) => SubjectKind::Equipment,
            Subject::Location(_) => SubjectKind::Location,
            Subject::Person(_) => SubjectKind::Person,
        }
    }

    /// Whether the subject is well formed: equipment and location ids pass [`is_valid_id`], and a person's id is
    /// not all zeros (an HMAC is never that; zeros mean the client did not compute it). Codes, lots and USCCs are
    /// valid by construction.
    pub fn is_well_formed(&self) -> bool {
        match self {
            Subject::Code(_) | Subject::Lot(_) | Subject::Organisation(_) => true,
            Subject::Equipment(id) | Subject::Location(id) => is_valid_id(id),
            Subject::Person(p) => p.0 != [0; 32],
        }
    }
}

/// A kind of certificate, and who may issue it about what.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Schema {
    /// Its name, UTF-8 (see [`is_valid_name`]); `(name, version)` is unique on the chain.
    pub name: Vec<u8>,
    /// Its version; a changed certificate format is a new version, registered as a new schema.
    pub version: u16,
    /// The organisation kinds whose Inspectors may issue it; not empty, no kind twice.
    pub issuers: Vec<OrgKind>,
    /// What its attestations are about.
    pub subject: SubjectKind,
    /// When set, every attestation must have an end of validity at most this many days after its start.
    pub max_validity_days: Option<u32>,
    /// Whether new attestations may be issued; existing ones stay as they are when a schema is deactivated.
    pub active: bool,
}

impl Schema {
    /// Whether organisations of `kind` may issue attestations of this schema.
    pub fn allows(&self, kind: OrgKind) -> bool {
        self.issuers.contains(&kind)
    }
}

/// The withdrawal of an attestation.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Revocation {
    /// The organisation that revoked it (the issuer or a regulator).
    pub by: OrgId,
    /// Digest of the revocation notice (the reason document; never personal data in clear).
    pub reason: Hash,
    /// The block it was revoked in.
    pub at: BlockNumber,
    /// That block's time: the attestation counts as revoked from this moment on, not before.
    pub time: Moment,
}

/// A certificate about a subject, as issued on chain.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Attestation {
    /// Its schema.
    pub schema: SchemaId,
    /// The issuing organisation.
    pub issuer_org: OrgId,
    /// The account that signed it.
    pub issuer: AccountId,
    /// What it is about.
    pub subject: Subject,
    /// SHA-256 of the certificate document.
    pub digest: Hash,
    /// Where the document can be fetched (`https://` or `ipfs://`), if anywhere.
    pub uri: Option<Vec<u8>>,
    /// Start of validity, ms UTC, inclusive.
    pub valid_from: Moment,
    /// End of validity, ms UTC, exclusive; `None`: valid until revoked.
    pub valid_until: Option<Moment>,
    /// The block it was issued in.
    pub issued_at: BlockNumber,
    /// Set once it is revoked.
    pub revoked: Option<Revocation>,
}

/// Why an attestation does not do what a caller needs; returned by
/// [`AttestationInspect::is_valid`](crate::AttestationInspect::is_valid) so that other pallets can refuse with a
/// specific reason.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Debug,
    Encode,
    Decode,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::EnumString,
)]
pub enum AttestationError {
    /// No attestation has this id.
    #[codec(index = 0)]
    #[error("no attestation has this id; check the certificate reference or issue the attestation first")]
    NotFound,
    /// The attestation is about another subject.
    #[codec(index = 1)]
    #[error("the attestation is about another subject (another code, lot, organisation, …); cite the certificate of this one")]
    WrongSubject,
    /// The attestation is of another schema.
    #[codec(index = 2)]
    #[error("the attestation is of another schema than the one required; cite a certificate of the required kind")]
    WrongSchema,
    /// The attestation was revoked.
    #[codec(index = 3)]
    #[error("the attestation was revoked; obtain a new certificate from an authorised issuer")]
    Revoked,
    /// The attestation's validity ended.
    #[codec(index = 4)]
    #[error("the attestation has expired; obtain a renewed certificate")]
    Expired,
    /// The attestation's validity has not started.
    #[codec(index = 5)]
    #[error("the attestation is not valid yet; wait for its start of validity or cite a current certificate")]
    NotYetValid,
}

impl Attestation {
    /// Whether the attestation holds at `moment`: not revoked at or before it, and `valid_from ≤ moment <
    /// valid_until`. A revocation takes effect at its block's time, so the question "was it valid when the lot
    /// shipped" keeps its answer after a later revocation.
    pub fn check_at(&self, moment: Moment) -> Result<(), AttestationError> {
        if self.revoked.is_some_and(|r| r.time <= moment) {
            return Err(AttestationError::Revoked);
        }
        if moment < self.valid_from {
            return Err(AttestationError::NotYetValid);
        }
        if self.valid_until.is_some_and(|until| moment >= until) {
            return Err(AttestationError::Expired);
        }
        Ok(())
    }
}

/// The id of an attestation: SHA-256 of the SCALE encoding of
/// `(ATTESTATION_ID_TAG, schema, issuer_org, subject, digest)` — the tag as a length-prefixed byte string, the
/// two ids as little-endian `u32`.
///
/// It is content-addressed: a client computes it before submitting (and can cite it in EPCIS certification
/// references straight away), and one organisation cannot attest the same document about the same subject under
/// the same schema twice, even after a revocation — a renewed or corrected certificate is a new document with a
/// new digest.
pub fn attestation_id(
    schema: SchemaId,
    issuer_org: OrgId,
    subject: &Subject,
    digest: &Hash,
) -> AttestationId {
    sha256(&(ATTESTATION_ID_TAG, schema, issuer_org, subject, digest).encode())
}

/// Whether `name` is an acceptable schema name: UTF-8, 1 to [`MAX_SCHEMA_NAME_BYTES`] bytes, not blank, no
/// control characters.
pub fn is_valid_name(name: &[u8]) -> bool {
    if name.is_empty() || name.len() > MAX_SCHEMA_NAME_BYTES {
        return false;
    }
    std::str::from_utf8(name)
        .is_ok_and(|s| !s.trim().is_empty() && !s.chars().any(char::is_control))
}

/// Whether `id` is an acceptable equipment or location id: UTF-8 (a vehicle plate has Chinese characters), 1 to
/// [`MAX_ID_BYTES`] bytes, no control characters and no whitespace at either end — one thing, one spelling, one
/// storage key.
pub fn is_valid_id(id: &[u8]) -> bool {
    if id.is_empty() || id.len() > MAX_ID_BYTES {
        return false;
    }
    std::str::from_utf8(id).is_ok_and(|s| s.trim() == s && !s.chars().any(char::is_control))
}

/// Whether `uri` is an acceptable document URI: an [`URI_SCHEMES`] scheme followed by at least one character,
/// visible ASCII only (percent-encode anything else). The length is checked separately.
pub fn is_valid_uri(uri: &[u8]) -> bool {
    let visible = uri.iter().all(|b| b.is_ascii_graphic());
    visible
        && URI_SCHEMES
            .iter()
            .any(|scheme| uri.len() > scheme.len() && uri.starts_with(scheme.as_bytes()))
}
