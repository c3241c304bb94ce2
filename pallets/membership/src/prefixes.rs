//! GS1 company prefixes: which organisation holds the GTINs under which prefix (issue 13, "first come owns a
//! GTIN").
//!
//! A GS1 member organisation licenses a company a *company prefix* of 6 to 12 digits; every GTIN the company
//! allocates starts with it (after the GTIN-14's indicator digit). On this chain an organisation's prefixes are
//! declared when it is admitted ([`crate::Action::AdmitOrganisation`], approved by the regulators' M-of-N, or its
//! genesis entry) and replaced only by governance ([`crate::Action::SetCompanyPrefixes`]); the trace pallet lets
//! only the holder of a GTIN's prefix register that GTIN ([`crate::MembershipInspect::company_prefix_holder`]).
//!
//! No prefix of one organisation is a prefix of another's (they would claim the same GTINs), and an
//! organisation lists no prefix twice or inside another of its own, so every GTIN has at most one holder.
//!
//! How a GTIN's company part is read: the GTIN is normalised to 14 digits; drop the indicator digit (the first)
//! and the check digit (the last); the prefix is the first 6 to 12 of the 12 digits left. A finding therefore
//! costs at most seven reads (one per length).
//!
//! - A **U.P.C.** (GTIN-12) `614141000036` is `00614141000036`; its company part starts `0614141…` — GS1 writes
//!   U.P.C. company prefixes with a leading zero, and so are they recorded here.
//! - A **GTIN-8** is `000000` and its 8 digits; its company part is `00000` and the GTIN-8's first seven digits.
//!   GTIN-8s are not allocated under a company prefix but one by one by the GS1 member organisation, so an
//!   organisation holds a GTIN-8 by holding exactly that 12-digit prefix (`00000` + the GTIN-8 without its check
//!   digit). A shorter prefix starting `00000` would claim a block of other companies' GTIN-8s and is refused.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Compact, Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use yima_codes::Gtin;
use yima_frame::storage::StorageMap;
use yima_frame::OrgId;

use crate::{Error, OrgPrefixes, PrefixHolders};

/// Fewest digits of a company prefix.
pub const MIN_PREFIX_DIGITS: usize = 6;
/// Most digits of a company prefix.
pub const MAX_PREFIX_DIGITS: usize = 12;
/// Most prefixes one organisation holds.
pub const MAX_PREFIXES_PER_ORG: usize = 64;
/// The start of the company part of a GTIN-8 (see the module docs).
const GTIN8_LEAD: &[u8] = b"00000";

/// A GS1 company prefix: 6 to 12 ASCII digits. Always valid: parsing and SCALE decoding refuse anything else.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompanyPrefix {
    len: u8,
    digits: [u8; MAX_PREFIX_DIGITS],
}

/// Why digits are not a company prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompanyPrefixError {
    /// Not 6 to 12 characters.
    #[error("a GS1 company prefix has 6 to 12 digits, got {got}")]
    WrongLength {
        /// How many characters were given.
        got: usize,
    },
    /// A character that is not a digit.
    #[error("a GS1 company prefix has digits only")]
    NotDigits,
    /// A prefix starting `00000` that is not a single GTIN-8.
    #[error(
        "a prefix starting 00000 covers GTIN-8s, which are allocated one by one: give 00000 followed by the \
         GTIN-8's first seven digits (12 digits)"
    )]
    Gtin8Block,
}

impl CompanyPrefix {
    /// Parses a company prefix.
    pub fn parse(s: &str) -> Result<CompanyPrefix, CompanyPrefixError> {
        Self::from_digits(s.as_bytes())
    }

    /// Validates ASCII digits.
    pub fn from_digits(bytes: &[u8]) -> Result<CompanyPrefix, CompanyPrefixError> {
        let n = bytes.len();
        if !(MIN_PREFIX_DIGITS..=MAX_PREFIX_DIGITS).contains(&n) {
            return Err(CompanyPrefixError::WrongLength { got: n });
        }
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(CompanyPrefixError::NotDigits);
        }
        if bytes.starts_with(GTIN8_LEAD) && n != MAX_PREFIX_DIGITS {
            return Err(CompanyPrefixError::Gtin8Block);
        }
        let mut digits = [0u8; MAX_PREFIX_DIGITS];
        digits[..n].copy_from_slice(bytes);
        Ok(CompanyPrefix {
            len: n as u8,
            digits,
        })
    }

    /// The digits.
    pub fn as_bytes(&self) -> &[u8] {
        &self.digits[..self.len as usize]
    }

    /// The digits as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).expect("a CompanyPrefix holds ASCII digits")
    }

    /// Whether one of `self` and `other` starts with the other (they would claim the same GTINs).
    pub fn overlaps(&self, other: &CompanyPrefix) -> bool {
        self.as_bytes().starts_with(other.as_bytes())
            || other.as_bytes().starts_with(self.as_bytes())
    }

    /// Whether `gtin` is allocated under this prefix.
    pub fn covers(&self, gtin: &Gtin) -> bool {
        company_part(gtin).starts_with(self.as_bytes())
    }
}

/// The 12 digits of a GTIN that a company prefix starts: without the indicator and the check digit.
pub fn company_part(gtin: &Gtin) -> &[u8] {
    &gtin.as_bytes()[1..13]
}

impl PartialOrd for CompanyPrefix {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CompanyPrefix {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl fmt::Display for CompanyPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CompanyPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CompanyPrefix({})", self.as_str())
    }
}

impl FromStr for CompanyPrefix {
    type Err = CompanyPrefixError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CompanyPrefix::parse(s)
    }
}

/// Encoded as its digits, a SCALE `Vec<u8>` (compact length, then the ASCII digits).
impl Encode for CompanyPrefix {
    fn size_hint(&self) -> usize {
        1 + self.len as usize
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        self.as_bytes().encode_to(dest)
    }
}

impl EncodeLike for CompanyPrefix {}

impl Decode for CompanyPrefix {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        let Compact(n) = Compact::<u32>::decode(input)?;
        let n = n as usize;
        if n > MAX_PREFIX_DIGITS {
            return Err("a GS1 company prefix has at most 12 digits".into());
        }
        let mut bytes = [0u8; MAX_PREFIX_DIGITS];
        input.read(&mut bytes[..n])?;
        CompanyPrefix::from_digits(&bytes[..n])
            .map_err(|_| "not a valid GS1 company prefix (6 to 12 digits)".into())
    }
}

impl MaxEncodedLen for CompanyPrefix {
    fn max_encoded_len() -> usize {
        1 + MAX_PREFIX_DIGITS
    }
}

impl Serialize for CompanyPrefix {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CompanyPrefix {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CompanyPrefix::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Checks `prefixes` for organisation `org` against each other (at most [`MAX_PREFIXES_PER_ORG`], none inside
/// another) and against every other organisation's (none overlapping); returns them sorted. A governance
/// action or genesis, so reading every held prefix is acceptable.
pub(crate) fn check_prefixes(
    org: Option<OrgId>,
    prefixes: &[CompanyPrefix],
) -> Result<Vec<CompanyPrefix>, Error> {
    let sorted = sorted_distinct(prefixes)?;
    for p in &sorted {
        if overlapping_holders(p)
            .into_iter()
            .any(|holder| Some(holder) != org)
        {
            return Err(Error::CompanyPrefixHeld);
        }
    }
    Ok(sorted)
}

/// The holders of every held prefix that overlaps `p`: the prefixes `p` starts with (one read per shorter length)
/// and the prefixes that start with `p` (one key-range scan per longer length, over `SCALE(length) ++ digits`).
/// Bounded by the at most seven lengths and the overlapping entries found, never by how many prefixes the chain
/// holds.
fn overlapping_holders(p: &CompanyPrefix) -> Vec<OrgId> {
    let digits = p.as_bytes();
    let mut holders = Vec::new();
    for n in MIN_PREFIX_DIGITS..=digits.len() {
        let shorter = std::str::from_utf8(&digits[..n])
            .ok()
            .and_then(|s| CompanyPrefix::parse(s).ok());
        holders.extend(shorter.and_then(|q| PrefixHolders::get(&q)));
    }
    for m in digits.len() + 1..=MAX_PREFIX_DIGITS {
        let mut range = PrefixHolders::PREFIX.to_vec();
        Compact(m as u32).encode_to(&mut range);
        range.extend_from_slice(digits);
        for (key, value) in yima_frame::externalities::scan_prefix(&range) {
            let holder = OrgId::decode(&mut &value[..])
                .unwrap_or_else(|e| panic!("corrupt PrefixHolders entry {key:?}: {e}"));
            holders.push(holder);
        }
    }
    holders
}

/// `prefixes` sorted, at most [`MAX_PREFIXES_PER_ORG`] and none overlapping another.
pub(crate) fn sorted_distinct(prefixes: &[CompanyPrefix]) -> Result<Vec<CompanyPrefix>, Error> {
    if prefixes.len() > MAX_PREFIXES_PER_ORG {
        return Err(Error::InvalidCompanyPrefixes);
    }
    let mut sorted = prefixes.to_vec();
    sorted.sort_unstable();
    // Sorted by digits, a prefix comes right before the prefixes that extend it.
    if sorted.windows(2).any(|w| w[0].overlaps(&w[1])) {
        return Err(Error::InvalidCompanyPrefixes);
    }
    Ok(sorted)
}

/// Makes `prefixes` (checked, sorted) the prefixes of `org`, releasing the ones it held before.
pub(crate) fn put_prefixes(org: OrgId, prefixes: &[CompanyPrefix]) {
    for old in OrgPrefixes::get(&org).unwrap_or_default() {
        PrefixHolders::remove(&old);
    }
    for p in prefixes {
        PrefixHolders::insert(p, &org);
    }
    if prefixes.is_empty() {
        OrgPrefixes::remove(&org);
    } else {
        OrgPrefixes::insert(&org, &prefixes.to_vec());
    }
}

/// The organisation holding the prefix `gtin` is allocated under: at most seven reads, one per prefix length.
pub(crate) fn holder_of(gtin: &Gtin) -> Option<OrgId> {
    let part = company_part(gtin);
    (MIN_PREFIX_DIGITS..=MAX_PREFIX_DIGITS).find_map(|n| {
        let prefix = CompanyPrefix::from_digits(&part[..n]).ok()?;
        PrefixHolders::get(&prefix)
    })
}
