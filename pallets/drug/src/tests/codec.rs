//! Wire stability: call and event indices, error names as the runtime reports them, and messages that tell the
//! user what to do.

use std::str::FromStr;

use parity_scale_codec::{Decode, Encode};
use yima_frame::DispatchError;

use crate::mock::*;
use crate::types::{BatchRecordKind, DrugPolicy};
use crate::{Call, Error, Event, PALLET};

#[test]
fn call_and_event_indices_are_stable() {
    let calls = [
        Call::ListDrug {
            drug: product(RX),
            prescription_only: true,
            controlled_compound: false,
        },
        Call::BindPharmacist {
            pharmacist: person("Li"),
            licence: rx_digest(0),
        },
        Call::UnbindPharmacist {
            pharmacist: person("Li"),
        },
        Call::UploadPrescription {
            digest: rx_digest(1),
            hospital: HOSPITAL,
            patient: person("p"),
            drugs: vec![line(RX, 1)],
        },
        Call::ReviewPrescription {
            prescription: rx_digest(1),
            pharmacist: person("Li"),
            approved: true,
        },
        Call::Dispense {
            prescription: rx_digest(1),
            codes: vec![unit(RX, 0)],
            time: 1,
            time_zone_offset_minutes: 480,
        },
        Call::SellCompound {
            buyer: person("b"),
            codes: vec![unit(COMPOUND, 0)],
            time: 1,
            time_zone_offset_minutes: 480,
        },
        Call::AnchorBatchRecord {
            lot: lot_key(RX, "L1"),
            kind: BatchRecordKind::Lims,
            digest: rx_digest(2),
        },
        Call::SetPolicy {
            policy: DrugPolicy::default(),
        },
    ];
    for (i, call) in calls.into_iter().enumerate() {
        let bytes = call.encode();
        assert_eq!(bytes[0] as usize, i);
        assert_eq!(Call::decode(&mut &bytes[..]).unwrap(), call);
    }
    let event = Event::PolicySet(DrugPolicy::default());
    assert_eq!(event.encode()[0], 8);
    assert_eq!(RuntimeEvent::Drug(event).encode()[0], 6);
    assert_eq!(BatchRecordKind::Lims.encode(), vec![2]);
}

#[test]
fn errors_round_trip_by_name_and_say_what_to_do() {
    for e in [
        Error::PurchaseLimitExceeded,
        Error::TooManyPacksInSale,
        Error::PharmacistNotBound,
        Error::BatchRecordsMissing,
        Error::BuyerNotPseudonymous,
    ] {
        let DispatchError::Module(m) = DispatchError::from(e) else {
            panic!("a module error")
        };
        assert_eq!(m.pallet, PALLET);
        assert_eq!(Error::from_str(&m.error).unwrap(), e);
        assert!(e.to_string().len() > 30, "{e}");
    }
    assert!(Error::PurchaseLimitExceeded.to_string().contains("alert"));
}
