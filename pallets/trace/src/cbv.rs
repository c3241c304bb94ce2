//! The CBV 2.0 words of our EPCIS enums (`shipping`, `in_transit`, `po` …), one place for every edge that
//! speaks EPCIS text: the node's JSON, EPCIS 2.0 import and export, documents.

use crate::epcis::{Action, BizStep, BizTransactionKind, Disposition};

/// Declares the CBV word of each variant of an enum, and the reverse lookup.
macro_rules! cbv_words {
    ($ty:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Its word as EPCIS 2.0 JSON-LD writes it.
            pub fn cbv(self) -> &'static str {
                match self {
                    $($ty::$variant => $word),+
                }
            }

            /// The variant with the word `word`, if any.
            pub fn from_cbv(word: &str) -> Option<Self> {
                match word {
                    $($word => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

cbv_words!(Action {
    Add => "ADD",
    Observe => "OBSERVE",
    Delete => "DELETE",
});

cbv_words!(BizStep {
    Commissioning => "commissioning",
    Shipping => "shipping",
    Receiving => "receiving",
    Storing => "storing",
    Inspecting => "inspecting",
    Packing => "packing",
    Unpacking => "unpacking",
    RetailSelling => "retail_selling",
    Dispensing => "dispensing",
    Administering => "administering",
    Destroying => "destroying",
    Transforming => "transforming",
    Other => "other",
});

cbv_words!(Disposition {
    Active => "active",
    InTransit => "in_transit",
    InProgress => "in_progress",
    Recalled => "recalled",
    Expired => "expired",
    Destroyed => "destroyed",
    Dispensed => "dispensed",
    RetailSold => "retail_sold",
    SellableAccessible => "sellable_accessible",
    Damaged => "damaged",
    Unknown => "unknown",
});

cbv_words!(BizTransactionKind {
    PurchaseOrder => "po",
    Invoice => "inv",
    DespatchAdvice => "desadv",
    CustomsDeclaration => "customs_declaration",
    Prescription => "prescription",
    Other => "other",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_as_its_variant() {
        for step in [
            BizStep::Commissioning,
            BizStep::Shipping,
            BizStep::RetailSelling,
            BizStep::Administering,
            BizStep::Other,
        ] {
            assert_eq!(BizStep::from_cbv(step.cbv()), Some(step));
        }
        for d in [Disposition::InTransit, Disposition::Unknown] {
            assert_eq!(Disposition::from_cbv(d.cbv()), Some(d));
        }
        assert_eq!(Action::from_cbv("OBSERVE"), Some(Action::Observe));
        assert_eq!(
            BizTransactionKind::from_cbv("desadv"),
            Some(BizTransactionKind::DespatchAdvice)
        );
        assert_eq!(BizStep::from_cbv("teleporting"), None);
    }
}
