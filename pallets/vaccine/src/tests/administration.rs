//! The 7-in-one administration record: what it records, and every refusal — each with its own error, state
//! unchanged, no events.

use yima_attestation::PseudonymousId;
use yima_frame::{assert_noop, assert_ok, sha256, DispatchError};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Location};
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::types::Administration;
use crate::{Error, Event};

/// The `Administering` event the pallet records for `record(n, …)`.
fn administering_event(n: u32) -> EpcisEvent {
    let mut e = EpcisEvent::new(
        EventBody::Object {
            action: Action::Observe,
            epcs: vec![dose(n)],
            quantities: vec![],
        },
        NOW - 500,
        480,
        BizStep::Administering,
    );
    e.read_point = Some(Location::Other("冰箱-03".as_bytes().to_vec()));
    e.source = Some(CDC);
    e
}

fn administration(n: u32, recipient: &str) -> Administration {
    Administration {
        code: dose(n),
        lot: lot_key("L1"),
        cdc: CDC,
        site: SITE,
        equipment: "冰箱-03".as_bytes().to_vec(),
        vaccinator: person("nurse Li"),
        recipient: person(recipient),
        time: NOW - 500,
        block: 1,
    }
}

#[test]
fn a_site_administers_a_dose_with_its_seven_in_one_record() {
    new_test_ext().execute_with(|| {
        doses_at_site(2);
        assert_ok!(Vaccine::administer(&origin("site"), record(0, "Wang")));
        // The custody event, recorded for the site through the trace core, then the 7-in-one record.
        let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
        assert_eq!(
            events[events.len() - 2..],
            [
                RuntimeEvent::Trace(yima_trace::Event::Captured {
                    org: SITE,
                    index: 0,
                    event: administering_event(0),
                }),
                RuntimeEvent::Vaccine(Event::Administered(administration(0, "Wang"))),
            ]
        );
        assert_eq!(custody(&dose(0)).status, CodeStatus::Administered);
        assert_eq!(custody(&dose(1)).status, CodeStatus::Active);
        assert_eq!(
            Vaccine::record_card(&person("Wang")),
            vec![(dose(0), administration(0, "Wang"))]
        );
    });
}

#[test]
fn the_public_custody_event_carries_no_person_id() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        assert_ok!(Vaccine::administer(&origin("site"), record(0, "Wang")));
        let captured = System::events()
            .into_iter()
            .find_map(|r| match r.event {
                RuntimeEvent::Trace(yima_trace::Event::Captured { event, .. }) => Some(event),
                _ => None,
            })
            .unwrap();
        let bytes = parity_scale_codec::Encode::encode(&captured);
        for id in [person("Wang").0, person("nurse Li").0] {
            assert!(!bytes.windows(32).any(|w| w == id));
        }
    });
}

#[test]
fn administration_by_an_organisation_that_is_not_a_vaccination_site_is_refused() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        for who in ["hospital", "cdc", "maker", "regulator", "distributor"] {
            assert_noop!(
                Vaccine::administer(&origin(who), record(0, "Wang")),
                Error::NotVaccinationSite
            );
        }
    });
}

/// The standard's example resident id (GB 11643-1999 annex), check character `X`.
const NATIONAL_ID: &[u8; 18] = b"11010519491231002X";

#[test]
fn a_recipient_given_by_national_id_is_refused() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        let mut left = [0u8; 32];
        left[..18].copy_from_slice(NATIONAL_ID);
        let mut right = [0u8; 32];
        right[14..].copy_from_slice(NATIONAL_ID);
        // Digits inside otherwise random-looking bytes.
        let mut embedded = sha256(b"noise").0;
        embedded[7..25].copy_from_slice(NATIONAL_ID);
        // The 17 digits as a big-endian integer.
        let mut integer = [0u8; 32];
        integer[24..].copy_from_slice(&11_010_519_491_231_002u64.to_be_bytes());
        for id in [left, right, embedded, integer, [0; 32]] {
            let mut r = record(0, "Wang");
            r.recipient = PseudonymousId(id);
            assert_noop!(
                Vaccine::administer(&origin("site"), r),
                Error::RecipientNotPseudonymous
            );
        }
        assert_eq!(custody(&dose(0)).status, CodeStatus::Active);
    });
}

#[test]
fn a_vaccinator_given_in_clear_is_refused() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        let mut r = record(0, "Wang");
        let mut name = [b' '; 32];
        name[..9].copy_from_slice(b"Li Xiulan");
        r.vaccinator = PseudonymousId(name);
        assert_noop!(
            Vaccine::administer(&origin("site"), r),
            Error::VaccinatorNotPseudonymous
        );
    });
}

#[test]
fn a_malformed_equipment_id_is_refused() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        for equipment in [
            vec![],
            vec![b'x'; 65],
            b" fridge".to_vec(),
            vec![0xff, 0xfe],
        ] {
            let mut r = record(0, "Wang");
            r.equipment = equipment;
            assert_noop!(
                Vaccine::administer(&origin("site"), r),
                Error::InvalidEquipmentId
            );
        }
    });
}

#[test]
fn the_supplying_cdc_must_be_a_cdc() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        for cdc in [MAKER, SITE, HOSPITAL, 99] {
            let mut r = record(0, "Wang");
            r.cdc = cdc;
            assert_noop!(Vaccine::administer(&origin("site"), r), Error::NotACdc);
        }
    });
}

#[test]
fn an_unknown_code_a_non_vaccine_and_a_wrong_batch_are_refused() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        let mut r = record(7, "Wang");
        assert_noop!(
            Vaccine::administer(&origin("site"), r.clone()),
            Error::UnknownCode
        );
        r.code = sscc(0);
        run(
            "site",
            vec![object(Action::Add, vec![sscc(0)], BizStep::Commissioning)],
        );
        assert_noop!(
            Vaccine::administer(&origin("site"), r.clone()),
            Error::NotAVaccine
        );
        let mut r = record(0, "Wang");
        r.batch = batch("L2");
        assert_noop!(
            Vaccine::administer(&origin("site"), r),
            Error::BatchMismatch
        );
    });
}

#[test]
fn a_dose_is_administered_once() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        assert_ok!(Vaccine::administer(&origin("site"), record(0, "Wang")));
        for recipient in ["Wang", "Zhao"] {
            assert_noop!(
                Vaccine::administer(&origin("site"), record(0, recipient)),
                Error::AlreadyAdministered
            );
        }
        assert_eq!(Vaccine::record_card(&person("Zhao")), vec![]);
    });
}

#[test]
fn a_destroyed_dose_cannot_be_administered() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        run(
            "site",
            vec![object(Action::Observe, vec![dose(0)], BizStep::Destroying)],
        );
        assert_noop!(
            Vaccine::administer(&origin("site"), record(0, "Wang")),
            Error::CodeFinished
        );
    });
}

#[test]
fn a_recalled_dose_or_batch_cannot_be_administered() {
    new_test_ext().execute_with(|| {
        doses_at_site(2);
        assert_ok!(Trace::recall_code(
            &origin("maker"),
            dose(0),
            sha256(b"notice 1")
        ));
        assert_noop!(
            Vaccine::administer(&origin("site"), record(0, "Wang")),
            Error::Recalled
        );
        assert_ok!(Trace::recall_lot(
            &origin("regulator"),
            lot_key("L1"),
            sha256(b"notice 2")
        ));
        assert_noop!(
            Vaccine::administer(&origin("site"), record(1, "Wang")),
            Error::Recalled
        );
    });
}

#[test]
fn an_expired_dose_cannot_be_administered() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        advance_to(EXPIRY);
        let mut r = record(0, "Wang");
        r.time = EXPIRY;
        assert_noop!(Vaccine::administer(&origin("site"), r), Error::Expired);
    });
}

#[test]
fn an_excursion_flagged_dose_cannot_be_administered() {
    new_test_ext().execute_with(|| {
        doses_at_site(2);
        // The site's refrigerator log shows 9.5 °C for dose 0.
        let storing = object(Action::Observe, vec![dose(0)], BizStep::Storing);
        run("site", vec![at_temperature(storing, 400, 950)]);
        assert_noop!(
            Vaccine::administer(&origin("site"), record(0, "Wang")),
            Error::ExcursionFlagged
        );
        assert_ok!(Vaccine::administer(&origin("site"), record(1, "Wang")));
    });
}

#[test]
fn a_dose_flagged_while_packed_cannot_be_administered() {
    new_test_ext().execute_with(|| {
        released_lot(1);
        run(
            "maker",
            vec![
                object(Action::Add, vec![sscc(0)], BizStep::Commissioning),
                packing(sscc(0), vec![dose(0)]),
            ],
        );
        run(
            "maker",
            vec![at_temperature(shipping(vec![sscc(0)], CDC), 100, 500)],
        );
        run("cdc", vec![receiving(vec![sscc(0)]), unpacking(sscc(0))]);
        deliver(CDC, vec![dose(0)], SITE);
        assert_noop!(
            Vaccine::administer(&origin("site"), record(0, "Wang")),
            Error::ExcursionFlagged
        );
    });
}

#[test]
fn a_dose_whose_batch_release_was_revoked_cannot_be_administered() {
    new_test_ext().execute_with(|| {
        let id = released_lot(1);
        let doses = vec![dose(0)];
        deliver(MAKER, doses.clone(), CDC);
        deliver(CDC, doses, SITE);
        assert_ok!(Attestation::revoke(
            &origin("lab"),
            id,
            sha256(b"withdrawn")
        ));
        assert_noop!(
            Vaccine::administer(&origin("site"), record(0, "Wang")),
            Error::BatchNotReleased
        );
    });
}

#[test]
fn the_site_must_hold_the_dose_unpacked_and_received() {
    new_test_ext().execute_with(|| {
        released_lot(3);
        deliver(MAKER, vec![dose(0), dose(1), dose(2)], CDC);
        deliver(CDC, vec![dose(0)], SITE);
        run("cdc", vec![shipping(vec![dose(1)], SITE)]);
        // Another site's dose.
        assert_noop!(
            Vaccine::administer(&origin("site2"), record(0, "Wang")),
            DispatchError::from(yima_trace::Error::NotCustodian)
        );
        // Still at the CDC.
        assert_noop!(
            Vaccine::administer(&origin("site"), record(2, "Wang")),
            DispatchError::from(yima_trace::Error::NotCustodian)
        );
        // On its way to the site, not yet received.
        assert_noop!(
            Vaccine::administer(&origin("site"), record(1, "Wang")),
            DispatchError::from(yima_trace::Error::NotCustodian)
        );
    });
}

#[test]
fn a_dose_in_a_box_is_unpacked_before_it_is_given() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        run(
            "site",
            vec![
                object(Action::Add, vec![sscc(0)], BizStep::Commissioning),
                packing(sscc(0), vec![dose(0)]),
            ],
        );
        assert_noop!(
            Vaccine::administer(&origin("site"), record(0, "Wang")),
            DispatchError::from(yima_trace::Error::InsideContainer)
        );
        run("site", vec![unpacking(sscc(0))]);
        assert_ok!(Vaccine::administer(&origin("site"), record(0, "Wang")));
    });
}

#[test]
fn an_administration_dated_in_the_future_is_refused_by_the_trace_core() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        let mut r = record(0, "Wang");
        r.time = NOW + DAY;
        assert_noop!(
            Vaccine::administer(&origin("site"), r),
            DispatchError::from(yima_trace::Error::EventInFuture)
        );
    });
}
