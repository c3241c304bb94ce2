//! Is a person id really pseudonymous?
//!
//! People (vaccinators, recipients, pharmacists, patients, buyers) appear on chain only as [`PseudonymousId`]s:
//! HMAC-SHA-256(chain pepper, normalised national id), computed in the client (DOMAIN.md §6). Attesting refuses
//! the all-zero id (a client that computed nothing); this module reuses that check ([`Subject::is_well_formed`])
//! and adds the mistakes a client can make that would put a person's identity on chain **in clear** — the 32 bytes carrying
//! the national id itself instead of its HMAC:
//!
//! 1. a run of 15 or more ASCII digits, optionally ending in `X`/`x`: a resident id (GB 11643: 17 digits and a
//!    check character; the first generation: 15 digits) written as text anywhere in the 32 bytes;
//! 2. more than [`MAX_ZERO_BYTES`] zero bytes: a short value padded out — an 18-digit id as a big- or
//!    little-endian integer (8 bytes), in BCD (9 bytes), or as text with zero padding;
//! 3. nothing but printable ASCII and zero bytes: text in clear (an id with separators, a name in pinyin, a
//!    truncated hex string).
//!
//! An HMAC output is uniformly random, so a genuine id trips these rules with negligible probability: rule 1 about
//! 18 · (10/256)¹⁵ ≈ 10⁻²⁰, rule 2 about C(32, 9) / 256⁹ ≈ 6 · 10⁻¹⁵, rule 3 (96/256)³² ≈ 2 · 10⁻¹⁴ — together below
//! 10⁻¹³. The rules cannot tell an HMAC from any other random-looking bytes (an unsalted SHA-256 of an id, an
//! encrypted id): the chain cannot see how the bytes were made; the client library is where the HMAC is computed.

use crate::types::{PseudonymousId, Subject};

/// Most zero bytes a pseudonymous id may contain (rule 2).
pub const MAX_ZERO_BYTES: usize = 8;

/// Fewest consecutive ASCII digits read as a national id in clear (rule 1): a first-generation id has 15.
pub const NATIONAL_ID_DIGITS: usize = 15;

/// Why a person id is not acceptable as a pseudonymous id.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NotPseudonymous {
    /// All zeros: the client did not compute the HMAC.
    Empty,
    /// A resident id written as digits (rule 1).
    NationalIdDigits,
    /// A short value padded with zeros (rule 2).
    Padded,
    /// Printable text (rule 3).
    Text,
}

/// Accepts `id` if it looks like an HMAC output, or says which rule it breaks (see the module docs).
pub fn check(id: &PseudonymousId) -> Result<(), NotPseudonymous> {
    if !Subject::Person(*id).is_well_formed() {
        return Err(NotPseudonymous::Empty);
    }
    let bytes = &id.0;
    if has_digit_run(bytes) {
        return Err(NotPseudonymous::NationalIdDigits);
    }
    if bytes.iter().filter(|b| **b == 0).count() > MAX_ZERO_BYTES {
        return Err(NotPseudonymous::Padded);
    }
    if bytes.iter().all(|b| *b == 0 || (0x20..0x7f).contains(b)) {
        return Err(NotPseudonymous::Text);
    }
    Ok(())
}

/// Whether `bytes` hold [`NATIONAL_ID_DIGITS`] or more consecutive ASCII digits, the last of which may be an
/// `X` check character.
fn has_digit_run(bytes: &[u8]) -> bool {
    let mut run = 0;
    for b in bytes {
        if b.is_ascii_digit() {
            run += 1;
        } else if matches!(b, b'X' | b'x') && run + 1 >= NATIONAL_ID_DIGITS {
            return true;
        } else {
            run = 0;
        }
        if run >= NATIONAL_ID_DIGITS {
            return true;
        }
    }
    false
}
