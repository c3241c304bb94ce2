//! [`ProductId`]: what a product registry entry is keyed by — a GTIN, or an NMPA drug product code.
//!
//! SCALE: the variant index (0 = GTIN, 1 = NMPA) then the inner code's encoding. Display, `FromStr` and serde use
//! the 14 GTIN digits or the 7 NMPA digits; the two cannot be confused (a GTIN has 8, 12, 13 or 14 digits).

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::CodeError;
use crate::gs1::Gtin;
use crate::nmpa::{NmpaProductCode, NMPA_PRODUCT_CODE_LEN};

/// A product: a GS1 trade item or an NMPA-registered drug product and packaging level.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, MaxEncodedLen,
)]
pub enum ProductId {
    /// A GS1 trade item.
    #[codec(index = 0)]
    Gtin(Gtin),
    /// An NMPA drug product code (药品标识码).
    #[codec(index = 1)]
    Nmpa(NmpaProductCode),
}

impl ProductId {
    /// Parses 7 digits as an NMPA product code, and 8, 12, 13 or 14 digits as a GTIN (normalised to 14).
    pub fn parse(s: &str) -> Result<ProductId, CodeError> {
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::NotAProductId);
        }
        if s.len() == NMPA_PRODUCT_CODE_LEN {
            return Ok(ProductId::Nmpa(NmpaProductCode::parse(s)?));
        }
        Ok(ProductId::Gtin(Gtin::parse(s)?))
    }

    /// The identifier as text: the GTIN-14 or the 7 NMPA digits.
    pub fn as_str(&self) -> &str {
        match self {
            ProductId::Gtin(gtin) => gtin.as_str(),
            ProductId::Nmpa(code) => code.as_str(),
        }
    }
}

impl From<Gtin> for ProductId {
    fn from(gtin: Gtin) -> Self {
        ProductId::Gtin(gtin)
    }
}

impl From<NmpaProductCode> for ProductId {
    fn from(code: NmpaProductCode) -> Self {
        ProductId::Nmpa(code)
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProductId {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProductId::parse(s)
    }
}

impl Serialize for ProductId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProductId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ProductId::parse(&s).map_err(serde::de::Error::custom)
    }
}
