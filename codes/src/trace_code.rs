//! [`TraceCode`]: one type for every traceable instance, whatever the scanner yielded.
//!
//! # What [`TraceCode::parse`] accepts
//!
//! Surrounding ASCII whitespace (a scanner's CR/LF) is ignored. Then, by the first characters:
//!
//! | input                                                       | read as                                    |
//! |-------------------------------------------------------------|--------------------------------------------|
//! | `]C1`, `]d2`, `]Q3`, … or `(` or containing ASCII 29 (GS)   | GS1 element string ([`crate::element_string`]) |
//! | `http://`, `https://` (any host) or `/` (our canonical form) | GS1 Digital Link ([`crate::digital_link`]) |
//! | `CL…`                                                       | cold-chain code ([`crate::cold_chain`])    |
//! | 18 digits                                                   | SSCC                                       |
//! | 8, 12, 13 or 14 digits                                      | a GTIN: refused, it names a product        |
//! | other digits starting with `8`                              | NMPA drug code (20 digits)                 |
//! | other digits starting with `00` or `01`                     | raw element string (no symbology identifier) |
//! | other digits (17, 19 or 20 of them)                          | refused by the SSCC or NMPA rule they break |
//! | anything else starting with `00` or `01`                    | raw element string (no identifier, no GS)  |
//!
//! A GS1 key becomes a trace code by [`Gs1Key::to_trace_code`]: a GTIN needs its serial (AI 21); an SSCC is a
//! trace code on its own; a GLN is a place, not an item.
//!
//! # Canonical form
//!
//! [`TraceCode::canonical`] (also `Display` and serde): `/01/{gtin14}/21/{serial}` (the serial percent-encoded
//! as in [`crate::digital_link`]), `/00/{sscc}`, the 20 NMPA digits, or the 19 cold-chain characters. It is the
//! Digital Link path without host, so `https://{host}{canonical}` resolves on our node; and
//! `TraceCode::parse(&code.canonical()) == Ok(code)` for every code.
//!
//! # Encoding
//!
//! SCALE: the variant index (0 Sgtin, 1 Sscc, 2 Nmpa, 3 ColdChain, fixed forever) then the fields; every field
//! type refuses invalid bytes, so a decoded `TraceCode` is valid. At most 1 + 8 + 21 = 30 bytes.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cold_chain::ColdChainCode;
use crate::cset82::SerialNumber;
use crate::digital_link::{format_digital_link, parse_digital_link};
use crate::element_string::{format_bracketed, parse_element_string, GS};
use crate::error::CodeError;
use crate::gs1::{Gtin, Sscc};
use crate::gs1_key::Gs1Key;
use crate::nmpa::NmpaCode;
use crate::product_id::ProductId;

/// A traceable instance: an item, a logistic unit, a drug unit or a cold-chain lot.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, MaxEncodedLen,
)]
pub enum TraceCode {
    /// A serialised trade item: GTIN + serial (SGTIN).
    #[codec(index = 0)]
    Sgtin {
        /// The product.
        gtin: Gtin,
        /// The item's serial within the product.
        serial: SerialNumber,
    },
    /// A logistic unit: case, pallet or container.
    #[codec(index = 1)]
    Sscc(Sscc),
    /// A drug unit.
    #[codec(index = 2)]
    Nmpa(NmpaCode),
    /// Imported cold-chain food, as issued at the supervised warehouse.
    #[codec(index = 3)]
    ColdChain(ColdChainCode),
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

impl TraceCode {
    /// Parses any form a scanner yields (see the module docs) into the one canonical code.
    pub fn parse(s: &str) -> Result<TraceCode, CodeError> {
        let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if s.starts_with(']') || s.starts_with('(') || s.contains(GS) {
            return parse_element_string(s)?.to_trace_code();
        }
        if s.starts_with('/')
            || starts_with_ignore_case(s, "http://")
            || starts_with_ignore_case(s, "https://")
        {
            return parse_digital_link(s)?.to_trace_code();
        }
        if starts_with_ignore_case(s, "CL") {
            return Ok(TraceCode::ColdChain(ColdChainCode::parse(s)?));
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse_digits(s);
        }
        if s.starts_with("00") || s.starts_with("01") {
            // A raw element string from a scanner that sends no symbology identifier, whose only
            // variable-length value comes last (so there is no GS either).
            return parse_element_string(s)?.to_trace_code();
        }
        Err(CodeError::Unrecognised)
    }

    /// A bare number (see the table in the module docs).
    fn parse_digits(s: &str) -> Result<TraceCode, CodeError> {
        match s.len() {
            18 => Ok(TraceCode::Sscc(Sscc::parse(s)?)),
            8 | 12 | 13 | 14 => Err(CodeError::GtinWithoutSerial {
                gtin: Gtin::parse(s)?,
            }),
            _ if s.starts_with('8') => Ok(TraceCode::Nmpa(NmpaCode::parse(s)?)),
            _ if s.starts_with("00") || s.starts_with("01") => {
                parse_element_string(s)?.to_trace_code()
            }
            17 | 19 => Err(Sscc::parse(s).err().unwrap_or(CodeError::Unrecognised)),
            20 => Err(NmpaCode::parse(s).err().unwrap_or(CodeError::Unrecognised)),
            _ => Err(CodeError::Unrecognised),
        }
    }

    /// The product this code is an instance of: the GTIN of an SGTIN, the 7-digit product code of an NMPA code;
    /// `None` for an SSCC or a cold-chain code, which are not products.
    pub fn product(&self) -> Option<ProductId> {
        match self {
            TraceCode::Sgtin { gtin, .. } => Some(ProductId::Gtin(*gtin)),
            TraceCode::Nmpa(code) => Some(ProductId::Nmpa(code.product_code())),
            TraceCode::Sscc(_) | TraceCode::ColdChain(_) => None,
        }
    }

    /// The GS1 key of an SGTIN or SSCC; `None` for NMPA and cold-chain codes.
    pub fn to_gs1_key(&self) -> Option<Gs1Key> {
        match *self {
            TraceCode::Sgtin { gtin, serial } => Some(Gs1Key {
                gtin: Some(gtin),
                serial: Some(serial),
                ..Gs1Key::default()
            }),
            TraceCode::Sscc(sscc) => Some(Gs1Key {
                sscc: Some(sscc),
                ..Gs1Key::default()
            }),
            TraceCode::Nmpa(_) | TraceCode::ColdChain(_) => None,
        }
    }

    /// The canonical string (see the module docs).
    pub fn canonical(&self) -> String {
        match self {
            TraceCode::Nmpa(code) => code.as_str().to_owned(),
            TraceCode::ColdChain(code) => code.as_str().to_owned(),
            TraceCode::Sgtin { .. } | TraceCode::Sscc(_) => {
                self.digital_link("").unwrap_or_default()
            }
        }
    }

    /// The GS1 Digital Link URI of an SGTIN or SSCC under `base` (e.g. `https://id.example.com`); `None` for NMPA
    /// and cold-chain codes, which are resolved at `/code/{code}` instead.
    pub fn digital_link(&self, base: &str) -> Option<String> {
        self.to_gs1_key().map(|key| format_digital_link(&key, base))
    }

    /// The bracketed GS1 element string of an SGTIN or SSCC, e.g. `(01)09521234543213(21)SER1`.
    pub fn element_string(&self) -> Option<String> {
        self.to_gs1_key().map(|key| format_bracketed(&key))
    }
}

impl fmt::Display for TraceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl FromStr for TraceCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TraceCode::parse(s)
    }
}

impl From<Sscc> for TraceCode {
    fn from(sscc: Sscc) -> Self {
        TraceCode::Sscc(sscc)
    }
}

impl From<NmpaCode> for TraceCode {
    fn from(code: NmpaCode) -> Self {
        TraceCode::Nmpa(code)
    }
}

impl From<ColdChainCode> for TraceCode {
    fn from(code: ColdChainCode) -> Self {
        TraceCode::ColdChain(code)
    }
}

impl Serialize for TraceCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

impl<'de> Deserialize<'de> for TraceCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TraceCode::parse(&s).map_err(serde::de::Error::custom)
    }
}
