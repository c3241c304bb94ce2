//! A recall target from text: what `trace_recall` and the web's recall view accept from anyone.
//!
//! A code in any form a scanner yields ([`TraceCode::parse`]), or a lot written as
//! - a GS1 Digital Link with a GTIN and a lot and no serial: `/01/{gtin}/10/{lot}` (with or without a host),
//! - a GS1 element string with a GTIN and a lot and no serial: `(01){gtin}(10){lot}`,
//! - `{product}/{lot}`, where `product` is a GTIN (8, 12, 13 or 14 digits) or a 7-digit NMPA product code:
//!   `8612345/202601A` (the only way to name an NMPA or cold-chain lot).
//!
//! Pure: the fuzz target `rpc_params` (`fuzz/`) feeds it arbitrary text. Callers bound the text's length first.

use yima_codes::{CodeError, Gs1Key, LotNumber, ProductId, TraceCode};
use yima_trace::types::LotKey;

use super::RecallTarget;

/// Why a text names no recall target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Neither a lot nor a code; `source` is the check that failed.
    #[error("{text:?} is not a lot or a code: {source}")]
    Unreadable {
        /// The text given.
        text: String,
        /// The check it failed.
        source: CodeError,
    },
    /// A GTIN with neither a serial nor a lot.
    #[error(
        "{text:?} names product {gtin} but neither one item (add its serial, AI 21) nor a lot (add AI 10, or \
         write {{product}}/{{lot}})"
    )]
    ProductOnly {
        /// The text given.
        text: String,
        /// The GTIN it names.
        gtin: String,
    },
}

impl RecallTarget {
    /// Reads a lot or a code (see the module docs for the forms); surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<RecallTarget, TargetError> {
        let unreadable = |source| TargetError::Unreadable {
            text: text.to_string(),
            source,
        };
        let s = text.trim();
        let url = s.starts_with('/') || s.contains("://");
        if !url {
            if let Some((product, lot)) = s.split_once('/') {
                let product = ProductId::parse(product).map_err(unreadable)?;
                let lot = LotNumber::parse(lot).map_err(unreadable)?;
                return Ok(RecallTarget::Lot(LotKey { product, lot }));
            }
        }
        match TraceCode::parse(s) {
            Ok(code) => Ok(RecallTarget::Code(code)),
            // A GTIN without a serial: a lot if the key also carries one.
            Err(CodeError::GtinWithoutSerial { gtin }) => {
                let key = if url {
                    Gs1Key::parse_digital_link(s)
                } else {
                    Gs1Key::parse_element_string(s)
                };
                match key.ok().and_then(|k| k.lot) {
                    Some(lot) => Ok(RecallTarget::Lot(LotKey {
                        product: ProductId::Gtin(gtin),
                        lot,
                    })),
                    None => Err(TargetError::ProductOnly {
                        text: text.to_string(),
                        gtin: gtin.as_str().to_string(),
                    }),
                }
            }
            Err(e) => Err(unreadable(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(product: &str, lot: &str) -> RecallTarget {
        RecallTarget::Lot(LotKey {
            product: ProductId::parse(product).unwrap(),
            lot: LotNumber::parse(lot).unwrap(),
        })
    }

    #[test]
    fn lots_and_codes_in_every_form() {
        let target = |s: &str| RecallTarget::parse(s).unwrap();
        let gtin_lot = lot("09521234543213", "LOT1");
        assert_eq!(target("/01/09521234543213/10/LOT1"), gtin_lot);
        assert_eq!(
            target("https://id.example.com/01/09521234543213/10/LOT1"),
            gtin_lot
        );
        assert_eq!(target("(01)09521234543213(10)LOT1"), gtin_lot);
        assert_eq!(target(" 8612345/202601A\n"), lot("8612345", "202601A"));
        assert_eq!(
            target("/01/09521234543213/10/LOT1/21/S1"),
            RecallTarget::Code(TraceCode::parse("/01/09521234543213/21/S1").unwrap())
        );
        assert!(matches!(
            target("86123450000000000011"),
            RecallTarget::Code(TraceCode::Nmpa(_))
        ));
    }

    #[test]
    fn refusals_name_the_check_that_failed() {
        let refused = |s: &str| RecallTarget::parse(s).unwrap_err();
        assert!(matches!(
            refused("/01/09521234543213"),
            TargetError::ProductOnly { gtin, .. } if gtin == "09521234543213"
        ));
        assert!(refused("/01/09521234543213")
            .to_string()
            .contains("neither one item"));
        let bad_digit = refused("09521234543212/LOT1").to_string();
        assert!(bad_digit.contains("check digit"), "{bad_digit}");
        assert!(refused("hello").to_string().contains("not a lot or a code"));
        assert!(refused("").to_string().contains("not a lot or a code"));
    }
}
