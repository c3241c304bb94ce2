//! The four no's: a shipment to a retailer or caterer, or a retail sale, of an imported lot — or of a lot made
//! from one, or of a container holding one — is refused unless all four hold now, whoever records it.

use yima_attestation::schemas::{
    DISINFECTION_CERTIFICATE, INSPECTION_QUARANTINE_CERTIFICATE, NUCLEIC_ACID_REPORT,
};
use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok};
use yima_trace::epcis::{Action, BizStep};
use yima_trace::types::{Category, CodeStatus};

use crate::mock::*;
use crate::types::ColdLot;
use crate::{ColdLots, Error, Event};

fn ship(
    who: &str,
    codes: Vec<yima_codes::TraceCode>,
    to: yima_frame::OrgId,
) -> yima_frame::DispatchResult {
    Trace::capture(&origin(who), vec![shipping(codes, to)])
}

#[test]
fn with_all_four_the_lot_goes_to_retail_and_is_sold() {
    new_test_ext().execute_with(|| {
        certified("L1", 3);
        assert_ok!(ship("warehouse", vec![cl(1)], RETAILER));
        capture("retailer", vec![receiving(vec![cl(1)])]);
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![selling(vec![cl(1)])]
        ));
        assert_eq!(Trace::code(&cl(1)).unwrap().status, CodeStatus::Sold);
        // And to a caterer.
        assert_ok!(ship("warehouse", vec![cl(2)], CATERER));
    });
}

#[test]
fn three_of_four_is_refused_naming_the_missing_nucleic_acid_report() {
    new_test_ext().execute_with(|| {
        issued("L1", 2);
        assert_noop!(
            ship("warehouse", vec![cl(1)], RETAILER),
            Error::MissingNucleicAcidReport
        );
        assert_noop!(
            ship("warehouse", vec![cl(1)], CATERER),
            Error::MissingNucleicAcidReport
        );
        // Onward to a distributor is not retail: allowed.
        assert_ok!(ship("warehouse", vec![cl(1)], DISTRIBUTOR));
    });
}

#[test]
fn a_revoked_quarantine_or_disinfection_certificate_counts_as_missing() {
    new_test_ext().execute_with(|| {
        let report = certified("L1", 2);
        let entry = ColdChain::entry(&lot("L1")).unwrap();
        let quarantine = entry.clearance.unwrap().certificate;
        assert_ok!(Attestation::revoke(&origin("customs"), quarantine, doc(98)));
        assert_noop!(
            ship("warehouse", vec![cl(1)], RETAILER),
            Error::MissingQuarantineCertificate
        );
        // A fresh quarantine certificate restores it; then the disinfection certificate is revoked.
        certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L1", 11);
        let disinfection = yima_attestation::attestation_id(
            DISINFECTION_CERTIFICATE,
            WAREHOUSE,
            &crate::entry::lot_subject(&lot("L1")),
            &doc(3),
        );
        assert_ok!(Attestation::revoke(
            &origin("regulator"),
            disinfection,
            doc(97)
        ));
        assert_noop!(
            ship("warehouse", vec![cl(1)], RETAILER),
            Error::MissingDisinfectionCertificate
        );
        // Revoking the report too: the first missing one is named, in the order of the rule.
        assert_ok!(Attestation::revoke(&origin("lab"), report, doc(96)));
        assert_noop!(
            ship("warehouse", vec![cl(1)], RETAILER),
            Error::MissingNucleicAcidReport
        );
    });
}

#[test]
fn an_expired_certificate_counts_as_missing() {
    new_test_ext().execute_with(|| {
        issued("L1", 2);
        certify_until("lab", NUCLEIC_ACID_REPORT, "L1", 2, Some(NOW + DAY));
        assert_ok!(ship("warehouse", vec![cl(1)], RETAILER));
        advance_to(NOW + 2 * DAY);
        assert_noop!(
            ship("warehouse", vec![cl(2)], RETAILER),
            Error::MissingNucleicAcidReport
        );
    });
}

#[test]
fn a_lot_without_customs_clearance_is_refused_even_with_three_certificates() {
    new_test_ext().execute_with(|| {
        // Imported food commissioned straight into the trace core, never declared at customs.
        register_beef();
        capture(
            "importer",
            vec![commissioning(vec![sgtin(beef(), "X1")], lot("L7"))],
        );
        assert_eq!(ColdLots::get(&lot("L7")), Some(ColdLot::Imported));
        certify("lab", NUCLEIC_ACID_REPORT, "L7", 2);
        certify("warehouse", DISINFECTION_CERTIFICATE, "L7", 3);
        assert_noop!(
            ship("importer", vec![sgtin(beef(), "X1")], RETAILER),
            Error::MissingQuarantineCertificate
        );
        certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L7", 1);
        assert_noop!(
            ship("importer", vec![sgtin(beef(), "X1")], RETAILER),
            Error::MissingCustomsClearance
        );
    });
}

#[test]
fn a_cleared_lot_without_its_cold_chain_codes_is_refused() {
    new_test_ext().execute_with(|| {
        cleared("L1");
        certify("lab", NUCLEIC_ACID_REPORT, "L1", 2);
        certify("warehouse", DISINFECTION_CERTIFICATE, "L1", 3);
        // The importer tries to send the consignment straight to a supermarket.
        assert_noop!(
            ship("importer", vec![consignment("L1")], RETAILER),
            Error::MissingTraceCode
        );
    });
}

#[test]
fn downstream_holders_inherit_the_lots_certificates() {
    new_test_ext().execute_with(|| {
        issued("L1", 2);
        deliver("warehouse", vec![cl(1), cl(2)], DISTRIBUTOR, "distributor");
        assert_noop!(
            ship("distributor", vec![cl(1)], CATERER),
            Error::MissingNucleicAcidReport
        );
        certify("lab", NUCLEIC_ACID_REPORT, "L1", 2);
        assert_ok!(ship("distributor", vec![cl(1)], CATERER));
        // The carrier's hop to a retailer passes the same gate.
        deliver("distributor", vec![cl(2)], CARRIER, "carrier");
        let report = yima_attestation::attestation_id(
            NUCLEIC_ACID_REPORT,
            LAB,
            &crate::entry::lot_subject(&lot("L1")),
            &doc(2),
        );
        assert_ok!(Attestation::revoke(&origin("lab"), report, doc(95)));
        assert_noop!(
            ColdChain::carrier_hop(
                &origin("carrier"),
                vec![cl(2)],
                RETAILER,
                "浙B12345".as_bytes().to_vec(),
                doc(500),
                frozen_leg()
            ),
            Error::MissingNucleicAcidReport
        );
    });
}

#[test]
fn a_sale_at_retail_checks_the_certificates_now() {
    new_test_ext().execute_with(|| {
        let report = certified("L1", 2);
        deliver("warehouse", vec![cl(1)], RETAILER, "retailer");
        assert_ok!(Attestation::revoke(&origin("lab"), report, doc(95)));
        assert_noop!(
            Trace::capture(&origin("retailer"), vec![selling(vec![cl(1)])]),
            Error::MissingNucleicAcidReport
        );
        assert_eq!(Trace::code(&cl(1)).unwrap().status, CodeStatus::Active);
    });
}

#[test]
fn a_container_carries_the_rule_of_every_imported_lot_inside() {
    new_test_ext().execute_with(|| {
        issued("L1", 2);
        capture(
            "warehouse",
            vec![
                object(Action::Add, vec![sscc(0), sscc(1)], BizStep::Commissioning),
                packing(sscc(0), vec![cl(1)]),
                packing(sscc(1), vec![sscc(0)]),
            ],
        );
        assert_noop!(
            ship("warehouse", vec![sscc(1)], RETAILER),
            Error::MissingNucleicAcidReport
        );
    });
}

#[test]
fn other_goods_are_not_gated() {
    new_test_ext().execute_with(|| {
        register("processor", domestic(), Category::Food);
        let item = sgtin(domestic(), "D1");
        capture(
            "processor",
            vec![commissioning(vec![item], lot_of(domestic(), "D1"))],
        );
        assert_eq!(ColdLots::get(&lot_of(domestic(), "D1")), None);
        deliver("processor", vec![item], RETAILER, "retailer");
        assert_ok!(Trace::capture(
            &origin("retailer"),
            vec![selling(vec![item])]
        ));
    });
}

#[test]
fn a_lot_made_from_an_imported_lot_inherits_its_four_nos() {
    new_test_ext().execute_with(|| {
        issued("L1", 2);
        register("processor", patties(), Category::Food);
        deliver("warehouse", vec![cl(1)], PROCESSOR, "processor");
        let packs = vec![sgtin(patties(), "P1"), sgtin(patties(), "P2")];
        capture(
            "processor",
            vec![transforming(
                vec![cl(1)],
                packs.clone(),
                lot_of(patties(), "PL1"),
            )],
        );
        System::assert_has_event(Event::LotDerived {
            lot: lot_of(patties(), "PL1"),
            sources: vec![lot("L1")],
        });
        assert_eq!(
            ColdLots::get(&lot_of(patties(), "PL1")),
            Some(ColdLot::Derived(vec![lot("L1")]))
        );
        assert_noop!(
            ship("processor", vec![packs[0]], RETAILER),
            Error::MissingNucleicAcidReport
        );
        certify("lab", NUCLEIC_ACID_REPORT, "L1", 2);
        assert_ok!(ship("processor", vec![packs[0]], RETAILER));
    });
}

#[test]
fn a_refused_transformation_records_no_derivation() {
    new_test_ext().execute_with(|| {
        issued("L1", 2);
        register("processor", patties(), Category::Food);
        // The processor does not hold cl(1): the trace core refuses after the gate has looked.
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![transforming(
                    vec![cl(1)],
                    vec![sgtin(patties(), "P1")],
                    lot_of(patties(), "PL1")
                )]
            ),
            yima_trace::Error::NotCustodian
        );
        assert_eq!(ColdLots::get(&lot_of(patties(), "PL1")), None);
    });
}
