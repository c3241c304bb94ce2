//! The CBV 2.0 vocabularies: business steps, dispositions, business transaction types and source/destination
//! types, read in every form a document may use and mapped onto the on-chain enums.
//!
//! A value may be a bare word (`shipping`, the JSON-LD form), the GS1 Web URI
//! (`https://ref.gs1.org/cbv/BizStep-shipping`), the CBV 1.x URN (`urn:epcglobal:cbv:bizstep:shipping`) or the
//! compact `cbv:BizStep-shipping`. A bare word or a GS1 URI must name a CBV 2.0 term; any other URI is a private
//! vocabulary term, which CBV allows and which is recorded as `Other` / `Unknown`. Our extensions are URNs:
//! `urn:yima:bizstep:administering`, `urn:yima:bizstep:transforming`, `urn:yima:bizstep:other`,
//! `urn:yima:btt:customs_declaration`, `urn:yima:btt:prescription` (the bare words `administering`,
//! `customs_declaration` and `prescription` are read too).

use yima_trace::epcis::{BizStep, BizTransactionKind, Disposition};

/// One CBV vocabulary: its Web URI prefix, its 1.x URN prefix and its terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vocabulary {
    /// The name used in messages (`bizStep`).
    pub name: &'static str,
    /// `https://ref.gs1.org/cbv/BizStep-`.
    pub web_prefix: &'static str,
    /// `urn:epcglobal:cbv:bizstep:`.
    pub urn_prefix: &'static str,
    /// The CBV 2.0 terms.
    pub terms: &'static [&'static str],
}

/// CBV 2.0 business steps.
pub const BIZ_STEP: Vocabulary = Vocabulary {
    name: "bizStep",
    web_prefix: "https://ref.gs1.org/cbv/BizStep-",
    urn_prefix: "urn:epcglobal:cbv:bizstep:",
    terms: &[
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "sampling",
        "sensor_reporting",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
    ],
};

/// CBV 2.0 dispositions.
pub const DISPOSITION: Vocabulary = Vocabulary {
    name: "disposition",
    web_prefix: "https://ref.gs1.org/cbv/Disp-",
    urn_prefix: "urn:epcglobal:cbv:disp:",
    terms: &[
        "active",
        "available",
        "completeness_inferred",
        "completeness_verified",
        "conformant",
        "container_closed",
        "container_open",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "mismatch_class",
        "mismatch_instance",
        "mismatch_quantity",
        "needs_replacement",
        "no_pedigree_match",
        "non_sellable_other",
        "nonconformant",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unavailable",
        "unknown",
    ],
};

/// CBV 2.0 business transaction types.
pub const BTT: Vocabulary = Vocabulary {
    name: "bizTransaction type",
    web_prefix: "https://ref.gs1.org/cbv/BTT-",
    urn_prefix: "urn:epcglobal:cbv:btt:",
    terms: &[
        "bol",
        "cert",
        "desadv",
        "inv",
        "pedigree",
        "po",
        "poc",
        "prodorder",
        "recadv",
        "rma",
        "testprd",
        "testres",
        "upevt",
    ],
};

/// CBV 2.0 source/destination types.
pub const SDT: Vocabulary = Vocabulary {
    name: "source/destination type",
    web_prefix: "https://ref.gs1.org/cbv/SDT-",
    urn_prefix: "urn:epcglobal:cbv:sdt:",
    terms: &["location", "owning_party", "possessing_party"],
};

/// CBV 2.0 error reasons (error declarations; only canonicalised for the hash).
pub const ERROR_REASON: Vocabulary = Vocabulary {
    name: "error reason",
    web_prefix: "https://ref.gs1.org/cbv/ER-",
    urn_prefix: "urn:epcglobal:cbv:er:",
    terms: &["did_not_occur", "incorrect_data"],
};

/// A vocabulary value as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term<'a> {
    /// A CBV 2.0 term, by its bare word.
    Cbv(&'a str),
    /// Any other URI (a private vocabulary or one of our `urn:yima:` terms).
    Uri(&'a str),
}

impl Vocabulary {
    /// Reads a value in any of the forms in the module docs; `None` if it is a bare word or a GS1 URI that names no
    /// CBV 2.0 term of this vocabulary.
    pub fn read<'a>(&self, value: &'a str) -> Option<Term<'a>> {
        let web_local = &self.web_prefix["https://ref.gs1.org/cbv/".len()..];
        let word = value
            .strip_prefix(self.web_prefix)
            .or_else(|| value.strip_prefix(self.urn_prefix))
            .or_else(|| {
                value
                    .strip_prefix("cbv:")
                    .and_then(|v| v.strip_prefix(web_local))
            });
        match word {
            Some(word) => self
                .terms
                .iter()
                .find(|t| **t == word)
                .map(|t| Term::Cbv(t)),
            None if value.contains(':') => (!value.starts_with("https://ref.gs1.org/")
                && !value.starts_with("urn:epcglobal:"))
            .then_some(Term::Uri(value)),
            None => self
                .terms
                .iter()
                .find(|t| **t == value)
                .map(|t| Term::Cbv(t)),
        }
    }

    /// The canonical form the event hash uses: a bare word or a CBV URN becomes the GS1 Web URI; other values
    /// are returned unchanged.
    pub fn canonical(&self, value: &str) -> String {
        if let Some(word) = value.strip_prefix(self.urn_prefix) {
            return format!("{}{word}", self.web_prefix);
        }
        if let Some(rest) = value.strip_prefix("cbv:") {
            return format!("https://ref.gs1.org/cbv/{rest}");
        }
        if !value.contains(':') && !value.is_empty() {
            return format!("{}{value}", self.web_prefix);
        }
        value.to_owned()
    }
}

/// Our business-step extension URNs.
const ADMINISTERING: &str = "urn:yima:bizstep:administering";
const TRANSFORMING: &str = "urn:yima:bizstep:transforming";
const OTHER_STEP: &str = "urn:yima:bizstep:other";
const CUSTOMS: &str = "urn:yima:btt:customs_declaration";
const PRESCRIPTION: &str = "urn:yima:btt:prescription";

/// Reads a `bizStep` value; `None` for a bare word or GS1 URI that is not a CBV 2.0 business step. Our
/// extensions are read from their URNs (and `administering` bare); any other CBV step or private URI is `Other`.
pub fn biz_step(value: &str) -> Option<BizStep> {
    if value == BizStep::Administering.cbv() || value == ADMINISTERING {
        return Some(BizStep::Administering);
    }
    if value == TRANSFORMING {
        return Some(BizStep::Transforming);
    }
    Some(match BIZ_STEP.read(value)? {
        Term::Cbv(word) => BizStep::from_cbv(word).unwrap_or(BizStep::Other),
        Term::Uri(_) => BizStep::Other,
    })
}

/// The JSON-LD value of a business step: the bare CBV word, or our extension URN.
pub fn biz_step_value(step: BizStep) -> &'static str {
    match step {
        BizStep::Administering => ADMINISTERING,
        BizStep::Transforming => TRANSFORMING,
        BizStep::Other => OTHER_STEP,
        cbv => cbv.cbv(),
    }
}

/// Reads a `disposition`; `None` for a bare word or GS1 URI that is not a CBV 2.0 disposition. A CBV
/// disposition we do not keep, or a private URI, is `Unknown`.
pub fn disposition(value: &str) -> Option<Disposition> {
    Some(match DISPOSITION.read(value)? {
        Term::Cbv(word) => Disposition::from_cbv(word).unwrap_or(Disposition::Unknown),
        Term::Uri(_) => Disposition::Unknown,
    })
}

/// Reads a business transaction type; `None` for a bare word or GS1 URI that is not a CBV 2.0 type. Our
/// extensions are read from their URNs and bare words; any other CBV type or private URI is `Other`.
pub fn biz_transaction_kind(value: &str) -> Option<BizTransactionKind> {
    for (kind, urn) in [
        (BizTransactionKind::CustomsDeclaration, CUSTOMS),
        (BizTransactionKind::Prescription, PRESCRIPTION),
    ] {
        if value == kind.cbv() || value == urn {
            return Some(kind);
        }
    }
    Some(match BTT.read(value)? {
        Term::Cbv(word) => BizTransactionKind::from_cbv(word).unwrap_or(BizTransactionKind::Other),
        Term::Uri(_) => BizTransactionKind::Other,
    })
}

/// The JSON-LD `type` of a business transaction: the bare CBV word, or our extension URN; `None` for
/// [`BizTransactionKind::Other`] (written untyped).
pub fn biz_transaction_kind_value(kind: BizTransactionKind) -> Option<&'static str> {
    match kind {
        BizTransactionKind::CustomsDeclaration => Some(CUSTOMS),
        BizTransactionKind::Prescription => Some(PRESCRIPTION),
        BizTransactionKind::Other => None,
        cbv => Some(cbv.cbv()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_term_reads_the_same() {
        for form in [
            "shipping",
            "https://ref.gs1.org/cbv/BizStep-shipping",
            "urn:epcglobal:cbv:bizstep:shipping",
            "cbv:BizStep-shipping",
        ] {
            assert_eq!(biz_step(form), Some(BizStep::Shipping), "{form}");
        }
        assert_eq!(biz_step("departing"), Some(BizStep::Other));
        assert_eq!(
            biz_step("https://example.com/steps/thawing"),
            Some(BizStep::Other)
        );
        assert_eq!(biz_step("shiping"), None);
        assert_eq!(biz_step("https://ref.gs1.org/cbv/BizStep-shiping"), None);
        assert_eq!(
            disposition("urn:epcglobal:cbv:disp:in_transit"),
            Some(Disposition::InTransit)
        );
        assert_eq!(disposition("in-transit"), None);
    }

    #[test]
    fn canonical_forms_are_web_uris() {
        assert_eq!(
            BIZ_STEP.canonical("urn:epcglobal:cbv:bizstep:receiving"),
            "https://ref.gs1.org/cbv/BizStep-receiving"
        );
        assert_eq!(
            DISPOSITION.canonical("in_transit"),
            "https://ref.gs1.org/cbv/Disp-in_transit"
        );
        assert_eq!(
            BTT.canonical("cbv:BTT-po"),
            "https://ref.gs1.org/cbv/BTT-po"
        );
        assert_eq!(
            BIZ_STEP.canonical("urn:yima:bizstep:other"),
            "urn:yima:bizstep:other"
        );
    }

    #[test]
    fn exported_values_read_back() {
        for step in [
            BizStep::Commissioning,
            BizStep::Administering,
            BizStep::Transforming,
            BizStep::Other,
        ] {
            assert_eq!(biz_step(biz_step_value(step)), Some(step));
        }
        assert_eq!(biz_step_value(BizStep::Administering), ADMINISTERING);
        assert_eq!(biz_step_value(BizStep::Transforming), TRANSFORMING);
        for kind in [
            BizTransactionKind::PurchaseOrder,
            BizTransactionKind::Invoice,
            BizTransactionKind::DespatchAdvice,
            BizTransactionKind::CustomsDeclaration,
            BizTransactionKind::Prescription,
        ] {
            let value = biz_transaction_kind_value(kind).expect("typed");
            assert_eq!(biz_transaction_kind(value), Some(kind));
        }
        assert_eq!(
            biz_transaction_kind_value(BizTransactionKind::CustomsDeclaration),
            Some(CUSTOMS)
        );
        assert_eq!(
            biz_transaction_kind("customs_declaration"),
            Some(BizTransactionKind::CustomsDeclaration)
        );
        assert_eq!(biz_transaction_kind("bol"), Some(BizTransactionKind::Other));
        assert_eq!(biz_transaction_kind_value(BizTransactionKind::Other), None);
    }
}
