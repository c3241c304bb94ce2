//! Wire stability: call and event indices, error names as the runtime reports them, and messages that tell the
//! user what to do.

use std::str::FromStr;

use parity_scale_codec::{Decode, Encode};
use yima_frame::DispatchError;

use crate::mock::*;
use crate::types::Administration;
use crate::{Call, Error, Event, PALLET};

#[test]
fn call_and_event_indices_are_stable() {
    let call = Call::Administer {
        record: record(0, "Wang"),
    };
    let bytes = call.encode();
    assert_eq!(bytes[0], 0);
    assert_eq!(Call::decode(&mut &bytes[..]).unwrap(), call);

    let event = Event::Administered(Administration {
        code: dose(0),
        lot: lot_key("L1"),
        cdc: CDC,
        site: SITE,
        equipment: b"fridge".to_vec(),
        vaccinator: person("a"),
        recipient: person("b"),
        time: 1,
        block: 2,
    });
    let bytes = event.encode();
    assert_eq!(bytes[0], 0);
    assert_eq!(Event::decode(&mut &bytes[..]).unwrap(), event);
    // The runtime wraps it at index 5.
    assert_eq!(RuntimeEvent::Vaccine(event).encode()[0], 5);
}

#[test]
fn errors_name_this_pallet_and_round_trip_by_name() {
    let all = [
        Error::NotVaccinationSite,
        Error::RecipientNotPseudonymous,
        Error::VaccinatorNotPseudonymous,
        Error::InvalidEquipmentId,
        Error::NotACdc,
        Error::UnknownCode,
        Error::NotAVaccine,
        Error::BatchMismatch,
        Error::AlreadyAdministered,
        Error::CodeFinished,
        Error::Recalled,
        Error::Expired,
        Error::ExcursionFlagged,
        Error::BatchNotReleased,
        Error::ShipmentPathNotAllowed,
        Error::AdministerThroughVaccinePallet,
        Error::NotAdministration,
        Error::NotManufacturer,
        Error::NoTemperatureBand,
        Error::MinimumPackageRequired,
    ];
    for e in all {
        let DispatchError::Module(m) = DispatchError::from(e) else {
            panic!("a module error");
        };
        assert_eq!(m.pallet, PALLET);
        assert_eq!(Error::from_str(&m.error), Ok(e));
        let message = e.to_string();
        assert!(message.len() > 40, "{e:?} says what to do: {message}");
    }
}
