//! Prescription upload and review: what is kept, and every refusal.

use yima_attestation::PseudonymousId;
use yima_frame::{assert_noop, assert_ok, sha256, Hash};

use crate::mock::*;
use crate::types::{PrescriptionLine, Review, MAX_PRESCRIPTION_LINES};
use crate::{Error, Event};

#[test]
fn the_hospital_uploads_a_prescription_without_the_patient_in_the_event() {
    new_test_ext().execute_with(|| {
        drugs_listed();
        assert_ok!(Drug::upload_prescription(
            &origin("hospital"),
            rx_digest(1),
            HOSPITAL,
            person("patient Wang"),
            vec![line(RX, 2), line(COMPOUND, 1)],
        ));
        assert_eq!(
            last_event(),
            RuntimeEvent::Drug(Event::PrescriptionUploaded {
                prescription: rx_digest(1),
                hospital: HOSPITAL,
                uploaded_by: HOSPITAL
            })
        );
        let rx = Drug::prescription(&rx_digest(1)).unwrap();
        assert_eq!(rx.patient, person("patient Wang"));
        assert_eq!(
            rx.lines,
            vec![
                PrescriptionLine {
                    drug: product(RX),
                    quantity: 2,
                    dispensed: 0
                },
                PrescriptionLine {
                    drug: product(COMPOUND),
                    quantity: 1,
                    dispensed: 0
                }
            ]
        );
        assert_eq!(rx.review, None);
    });
}

#[test]
fn a_pharmacy_uploads_a_paper_prescription_naming_the_hospital() {
    new_test_ext().execute_with(|| {
        drugs_listed();
        assert_ok!(Drug::upload_prescription(
            &origin("pharmacy"),
            rx_digest(1),
            HOSPITAL,
            person("patient Wang"),
            vec![line(RX, 1)],
        ));
        assert_eq!(
            Drug::prescription(&rx_digest(1)).unwrap().uploaded_by,
            PHARMACY
        );
    });
}

#[test]
fn upload_refusals_each_have_their_error() {
    new_test_ext().execute_with(|| {
        drugs_listed();
        let up = |who: &str, digest: Hash, hospital, patient: PseudonymousId, lines| {
            Drug::upload_prescription(&origin(who), digest, hospital, patient, lines)
        };
        let wang = person("patient Wang");
        assert_noop!(
            up(
                "distributor",
                rx_digest(1),
                HOSPITAL,
                wang,
                vec![line(RX, 1)]
            ),
            Error::NotAllowedToUpload
        );
        assert_noop!(
            up("pharmacy", rx_digest(1), RETAILER, wang, vec![line(RX, 1)]),
            Error::NotAHospital
        );
        let mut plain = [0u8; 32];
        plain[..18].copy_from_slice(b"11010519491231002X");
        assert_noop!(
            up(
                "hospital",
                rx_digest(1),
                HOSPITAL,
                PseudonymousId(plain),
                vec![line(RX, 1)]
            ),
            Error::PatientNotPseudonymous
        );
        assert_noop!(
            up(
                "hospital",
                Hash::default(),
                HOSPITAL,
                wang,
                vec![line(RX, 1)]
            ),
            Error::InvalidDigest
        );
        assert_noop!(
            up("hospital", rx_digest(1), HOSPITAL, wang, vec![]),
            Error::InvalidLineCount
        );
        let many = (0..=MAX_PRESCRIPTION_LINES).map(|_| line(RX, 1)).collect();
        assert_noop!(
            up("hospital", rx_digest(1), HOSPITAL, wang, many),
            Error::InvalidLineCount
        );
        assert_noop!(
            up(
                "hospital",
                rx_digest(1),
                HOSPITAL,
                wang,
                vec![line(RX, 1), line(RX, 2)]
            ),
            Error::DuplicateDrug
        );
        assert_noop!(
            up("hospital", rx_digest(1), HOSPITAL, wang, vec![line(RX, 0)]),
            Error::ZeroQuantity
        );
        // A drug that is not in the registry (registered in trace, never listed) and one not even registered.
        assert_noop!(
            up("hospital", rx_digest(1), HOSPITAL, wang, vec![line(OTC, 1)]),
            Error::UnknownDrug
        );
        assert_noop!(
            up(
                "hospital",
                rx_digest(1),
                HOSPITAL,
                wang,
                vec![line("8699999", 1)]
            ),
            Error::UnknownDrug
        );
        assert_ok!(up(
            "hospital",
            rx_digest(1),
            HOSPITAL,
            wang,
            vec![line(RX, 1)]
        ));
        assert_noop!(
            up("hospital", rx_digest(1), HOSPITAL, wang, vec![line(RX, 1)]),
            Error::PrescriptionExists
        );
    });
}

#[test]
fn a_bound_pharmacist_reviews() {
    new_test_ext().execute_with(|| {
        drugs_listed();
        bind("pharmacy", "Li");
        upload(1, "patient Wang", vec![line(RX, 1)]);
        assert_ok!(Drug::review_prescription(
            &origin("pharmacy"),
            rx_digest(1),
            person("Li"),
            true
        ));
        assert_eq!(
            last_event(),
            RuntimeEvent::Drug(Event::PrescriptionReviewed {
                prescription: rx_digest(1),
                pharmacy: PHARMACY,
                pharmacist: person("Li"),
                approved: true
            })
        );
        assert_eq!(
            Drug::prescription(&rx_digest(1)).unwrap().review,
            Some(Review {
                pharmacy: PHARMACY,
                pharmacist: person("Li"),
                approved: true,
                block: 1
            })
        );
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy"), rx_digest(1), person("Li"), false),
            Error::AlreadyReviewed
        );
    });
}

#[test]
fn an_unbound_pharmacist_may_not_review() {
    new_test_ext().execute_with(|| {
        drugs_listed();
        bind("pharmacy", "Li");
        let _ = license("Zhang");
        upload(1, "patient Wang", vec![line(RX, 1)]);
        // Licensed but bound nowhere; bound to another pharmacy; no pharmacist record at all.
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy"), rx_digest(1), person("Zhang"), true),
            Error::PharmacistNotBound
        );
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy2"), rx_digest(1), person("Li"), true),
            Error::PharmacistNotBound
        );
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy"), rx_digest(1), person("Nobody"), true),
            Error::PharmacistNotBound
        );
        // Once unbound, Li may not review for the pharmacy either.
        Drug::unbind_pharmacist(&origin("pharmacy"), person("Li")).unwrap();
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy"), rx_digest(1), person("Li"), true),
            Error::PharmacistNotBound
        );
    });
}

#[test]
fn review_refusals_each_have_their_error() {
    new_test_ext().execute_with(|| {
        drugs_listed();
        bind("pharmacy", "Li");
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy"), sha256(b"?"), person("Li"), true),
            Error::UnknownPrescription
        );
        upload(1, "patient Wang", vec![line(RX, 1)]);
        assert_noop!(
            Drug::review_prescription(&origin("hospital"), rx_digest(1), person("Li"), true),
            Error::NotAPharmacy
        );
        // The licence expired after binding.
        advance_to(NOW + 366 * DAY);
        assert_noop!(
            Drug::review_prescription(&origin("pharmacy"), rx_digest(1), person("Li"), true),
            Error::PharmacistNotLicensed
        );
    });
}
