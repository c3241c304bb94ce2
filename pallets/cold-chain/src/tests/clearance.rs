//! Customs clearance: a customs Inspector clears a declared lot citing its valid inspection/quarantine
//! certificate; anyone else, or any other certificate, is refused.

use yima_attestation::schemas::{
    DISINFECTION_CERTIFICATE, INSPECTION_QUARANTINE_CERTIFICATE, NUCLEIC_ACID_REPORT,
};
use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Role};
use yima_trace::epcis::BizStep;

use crate::mock::*;
use crate::types::Clearance;
use crate::{Entries, Error, Event};

#[test]
fn customs_clears_citing_the_quarantine_certificate() {
    new_test_ext().execute_with(|| {
        declared("L1");
        let cert = certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L1", 1);
        assert_ok!(ColdChain::clear(&origin("customs"), lot("L1"), cert));
        System::assert_last_event(Event::Cleared {
            lot: lot("L1"),
            customs: CUSTOMS,
            certificate: cert,
        });
        assert_eq!(
            Entries::get(&lot("L1")).unwrap().clearance,
            Some(Clearance {
                customs: CUSTOMS,
                certificate: cert,
                at: 1,
            })
        );
        // Recorded as customs' inspection of the consignment, citing the certificate.
        let inspection = System::events()
            .into_iter()
            .rev()
            .find_map(|r| match r.event {
                RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                    Some((org, event))
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(inspection.0, CUSTOMS);
        assert_eq!(inspection.1.biz_step, BizStep::Inspecting);
        assert_eq!(inspection.1.certifications, vec![cert]);
        assert_eq!(inspection.1.codes(), vec![&consignment("L1")]);
    });
}

#[test]
fn clearance_by_a_non_customs_account_is_refused() {
    new_test_ext().execute_with(|| {
        declared("L1");
        let cert = certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L1", 1);
        for who in ["importer", "lab", "regulator", "warehouse", "reg-inspector"] {
            assert_noop!(
                ColdChain::clear(&origin(who), lot("L1"), cert),
                Error::NotCustoms
            );
        }
        // A customs account without the Inspector role.
        assert_noop!(
            ColdChain::clear(&origin("customs-op"), lot("L1"), cert),
            DispatchError::MissingRole(Role::Inspector)
        );
    });
}

#[test]
fn only_a_declared_lot_is_cleared_and_only_once() {
    new_test_ext().execute_with(|| {
        register_beef();
        // A certificate about a lot nobody declared.
        let cert = certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L9", 1);
        assert_noop!(
            ColdChain::clear(&origin("customs"), lot("L9"), cert),
            Error::NotDeclared
        );
        let cert = cleared("L1");
        assert_noop!(
            ColdChain::clear(&origin("customs"), lot("L1"), cert),
            Error::AlreadyCleared
        );
    });
}

#[test]
fn the_cited_certificate_must_be_a_valid_quarantine_certificate_of_this_lot() {
    new_test_ext().execute_with(|| {
        declared("L1");
        let clear = |cert| ColdChain::clear(&origin("customs"), lot("L1"), cert);
        // Unknown id.
        assert_noop!(clear(doc(77)), yima_attestation::Error::UnknownAttestation);
        // Another lot's certificate.
        let other = certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L2", 2);
        assert_noop!(clear(other), yima_attestation::Error::WrongSubject);
        // Another kind of certificate about this lot.
        let report = certify("lab", NUCLEIC_ACID_REPORT, "L1", 3);
        assert_noop!(clear(report), yima_attestation::Error::WrongSchema);
        let disinfection = certify("warehouse", DISINFECTION_CERTIFICATE, "L1", 4);
        assert_noop!(clear(disinfection), yima_attestation::Error::WrongSchema);
        // A revoked certificate.
        let revoked = certify("customs", INSPECTION_QUARANTINE_CERTIFICATE, "L1", 5);
        assert_ok!(Attestation::revoke(&origin("customs"), revoked, doc(99)));
        assert_noop!(clear(revoked), yima_attestation::Error::AttestationRevoked);
        // An expired certificate.
        let short = certify_until(
            "customs",
            INSPECTION_QUARANTINE_CERTIFICATE,
            "L1",
            6,
            Some(NOW + DAY),
        );
        advance_to(NOW + 2 * DAY);
        assert_noop!(clear(short), yima_attestation::Error::AttestationExpired);
        assert!(Entries::get(&lot("L1")).unwrap().clearance.is_none());
    });
}
