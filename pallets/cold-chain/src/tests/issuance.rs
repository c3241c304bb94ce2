//! Issuing cold-chain codes at the supervised warehouse: after clearance, citing the disinfection certificate,
//! the consignment turned into the codes.

use yima_attestation::schemas::{DISINFECTION_CERTIFICATE, NUCLEIC_ACID_REPORT};
use yima_codes::{ColdChainCode, TraceCode};
use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok};
use yima_trace::epcis::EventBody;
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::{Entries, Error, Event, NextSerial, MAX_CODES_PER_ISSUE};

#[test]
fn the_warehouse_turns_the_consignment_into_cold_chain_codes() {
    new_test_ext().execute_with(|| {
        let disinfection = at_warehouse("L1");
        assert_ok!(ColdChain::issue_codes(
            &origin("warehouse"),
            lot("L1"),
            3,
            disinfection
        ));
        System::assert_last_event(Event::CodesIssued {
            lot: lot("L1"),
            warehouse: WAREHOUSE,
            first: ColdChainCode::new(WAREHOUSE, 1).unwrap(),
            count: 3,
            disinfection,
        });
        // Issuer field: the warehouse's organisation id; serials from 1.
        assert_eq!(&cl(1).canonical()[..18], "CL0000030000000001");
        for serial in 1..=3 {
            let state = Trace::code(&cl(serial)).unwrap();
            assert_eq!(state.custodian, WAREHOUSE);
            assert_eq!(state.lot, Some(lot("L1")));
        }
        assert!(Trace::code(&cl(4)).is_none());
        assert_eq!(
            Trace::code(&consignment("L1")).unwrap().status,
            CodeStatus::Consumed
        );
        assert_eq!(Entries::get(&lot("L1")).unwrap().codes_issued, 3);
        assert_eq!(NextSerial::get(&WAREHOUSE), Some(4));
        // One transformation, consignment in, codes out, citing the certificate.
        let issue = System::events()
            .into_iter()
            .rev()
            .find_map(|r| match r.event {
                RuntimeEvent::Trace(yima_trace::Event::Captured { event, .. }) => Some(event),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            issue.body,
            EventBody::Transformation {
                inputs: vec![consignment("L1")],
                outputs: vec![cl(1), cl(2), cl(3)],
            }
        );
        assert_eq!(issue.certifications, vec![disinfection]);
    });
}

#[test]
fn later_issuances_continue_the_serials_and_commission_directly() {
    new_test_ext().execute_with(|| {
        let disinfection = issued("L1", 2);
        assert_ok!(ColdChain::issue_codes(
            &origin("warehouse"),
            lot("L1"),
            2,
            disinfection
        ));
        assert_eq!(Entries::get(&lot("L1")).unwrap().codes_issued, 4);
        assert_eq!(Trace::code(&cl(4)).unwrap().lot, Some(lot("L1")));
        // Another lot continues the warehouse's serials.
        let other = at_warehouse("L2");
        assert_ok!(ColdChain::issue_codes(
            &origin("warehouse"),
            lot("L2"),
            1,
            other
        ));
        assert_eq!(Trace::code(&cl(5)).unwrap().lot, Some(lot("L2")));
        assert!(
            matches!(cl(5), TraceCode::ColdChain(c) if c.serial() == 5 && c.issuer() == WAREHOUSE)
        );
    });
}

#[test]
fn only_a_supervised_warehouse_operator_issues() {
    new_test_ext().execute_with(|| {
        let disinfection = at_warehouse("L1");
        for who in ["importer", "customs", "cold-store", "carrier"] {
            assert_noop!(
                ColdChain::issue_codes(&origin(who), lot("L1"), 1, disinfection),
                Error::NotSupervisedWarehouse
            );
        }
    });
}

#[test]
fn codes_are_issued_only_into_a_cleared_lot() {
    new_test_ext().execute_with(|| {
        register_beef();
        let d = certify("warehouse", DISINFECTION_CERTIFICATE, "L1", 3);
        assert_noop!(
            ColdChain::issue_codes(&origin("warehouse"), lot("L1"), 1, d),
            Error::NotDeclared
        );
        declared("L1");
        assert_noop!(
            ColdChain::issue_codes(&origin("warehouse"), lot("L1"), 1, d),
            Error::NotCleared
        );
    });
}

#[test]
fn the_count_is_bounded() {
    new_test_ext().execute_with(|| {
        let d = at_warehouse("L1");
        for count in [0, MAX_CODES_PER_ISSUE + 1] {
            assert_noop!(
                ColdChain::issue_codes(&origin("warehouse"), lot("L1"), count, d),
                Error::InvalidCount
            );
        }
    });
}

#[test]
fn the_serials_of_a_warehouse_run_out_at_ten_digits() {
    new_test_ext().execute_with(|| {
        let d = at_warehouse("L1");
        NextSerial::insert(&WAREHOUSE, &(yima_codes::cold_chain::MAX_SERIAL - 1));
        assert_noop!(
            ColdChain::issue_codes(&origin("warehouse"), lot("L1"), 2, d),
            Error::SerialsExhausted
        );
        assert_ok!(ColdChain::issue_codes(
            &origin("warehouse"),
            lot("L1"),
            1,
            d
        ));
    });
}

#[test]
fn the_disinfection_certificate_must_be_valid_for_the_lot() {
    new_test_ext().execute_with(|| {
        let d = at_warehouse("L1");
        let issue = |cert| ColdChain::issue_codes(&origin("warehouse"), lot("L1"), 1, cert);
        let report = certify("lab", NUCLEIC_ACID_REPORT, "L1", 8);
        assert_noop!(issue(report), yima_attestation::Error::WrongSchema);
        assert_ok!(Attestation::revoke(&origin("regulator"), d, doc(99)));
        assert_noop!(issue(d), yima_attestation::Error::AttestationRevoked);
    });
}

#[test]
fn the_warehouse_must_hold_the_consignment() {
    new_test_ext().execute_with(|| {
        cleared("L1");
        // Still at the importer.
        let d = certify("warehouse", DISINFECTION_CERTIFICATE, "L1", 3);
        assert_noop!(
            ColdChain::issue_codes(&origin("warehouse"), lot("L1"), 1, d),
            yima_trace::Error::NotCustodian
        );
        assert_eq!(Entries::get(&lot("L1")).unwrap().codes_issued, 0);
    });
}
