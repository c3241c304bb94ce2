//! # Pseudonymous person ids, one derivation per chain
//!
//! People — vaccinees, vaccinators, patients, buyers, pharmacists — appear on chain only as 32-byte pseudonymous
//! ids (DOMAIN.md §6). The cross-pharmacy purchase limit and the vaccine record card key on them, so every member
//! must derive the same id for the same person. This crate is that one derivation:
//!
//! 1. [`ResidentId::parse`] reads a national resident id (GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check
//!    character) and normalises it: full-width digits, spaces and hyphens as people type them are accepted, a
//!    lower-case `x` becomes `X`, and a first-generation 15-digit id is upgraded to its 18-character form, so one
//!    person has one text. A wrong check character is refused: a typo must not become another person's id.
//! 2. [`PersonIdKey::derive`] is HMAC-SHA-256 under the chain's key over those 18 ASCII characters.
//! 3. The chain names its derivation in genesis ([`PersonIdScheme`], stored by the attestation pallet): the
//!    algorithm and a commitment to the key ([`PersonIdKey::commitment`]), never the key. A client holding another
//!    key learns it before it derives anything ([`PersonIdScheme::check_key`]), instead of writing ids no other
//!    member can match.
//!
//! **Threat model.** The key is a secret the regulator generates once per chain and hands to member organisations
//! off chain. Without it the public and auditors cannot link an id on chain to a person, nor two chains' ids of one
//! person. A member holding it can: resident ids have little entropy (region, birth date, sequence — about 10¹⁰
//! candidates), so a leaked key lets its holder test every id in hours and re-identify everyone on chain. The key
//! is therefore as sensitive as the personal records themselves; a leak cannot be repaired by rotation, because
//! ids already on chain stay linkable under the old key. ARCHITECTURE.md says who holds it.
//!
//! Pure and deterministic (no I/O, no clock): the pallets use [`PersonIdScheme`], the client and `yima
//! person-id` the rest. Nothing here is ever run by the chain on a clear id.

mod key;
mod resident;
mod scheme;

pub use key::{KeyError, PersonIdKey, KEY_BYTES};
pub use resident::{ResidentId, ResidentIdError};
pub use scheme::{Derivation, PersonIdScheme, SchemeError};
