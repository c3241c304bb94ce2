//! Stable wire format: call and event indices, error names.

use parity_scale_codec::{Decode, Encode};
use yima_frame::DispatchError;

use crate::mock::*;
use crate::{Call, Error, Event};

#[test]
fn call_indices_are_stable() {
    let calls = [
        (
            Call::DeclareEntry {
                entry: declaration("L1"),
            },
            0u8,
        ),
        (
            Call::Clear {
                lot: lot("L1"),
                certificate: doc(1),
            },
            1,
        ),
        (
            Call::IssueCodes {
                lot: lot("L1"),
                count: 1,
                disinfection: doc(1),
            },
            2,
        ),
        (
            Call::CarrierHop {
                codes: vec![cl(1)],
                to: 1,
                vehicle: b"x".to_vec(),
                gps_track: doc(1),
                temperature: frozen_leg(),
            },
            3,
        ),
        (
            Call::ReportPositive {
                lot: lot("L1"),
                report: doc(1),
            },
            4,
        ),
        (
            Call::ReportNegative {
                lot: lot("L1"),
                report: doc(1),
            },
            5,
        ),
        (
            Call::ReleaseHold {
                lot: lot("L1"),
                retest: doc(1),
                decision: doc(2),
            },
            6,
        ),
        (
            Call::DisposeLot {
                lot: lot("L1"),
                disposal: doc(3),
            },
            7,
        ),
    ];
    for (call, index) in calls {
        let bytes = call.encode();
        assert_eq!(bytes[0], index);
        assert_eq!(Call::decode(&mut &bytes[..]).unwrap(), call);
    }
}

#[test]
fn event_indices_are_stable() {
    let positive = Event::PositiveTest {
        lot: lot("L1"),
        by: 3,
        report: doc(1),
        recalled: true,
    };
    assert_eq!(positive.encode()[0], 4);
    let derived = Event::LotDerived {
        lot: lot("L1"),
        sources: vec![],
    };
    assert_eq!(derived.encode()[0], 5);
    let negative = Event::NegativeTest {
        lot: lot("L1"),
        by: 3,
        report: doc(1),
        retests: None,
    };
    assert_eq!(negative.encode()[0], 6);
    let released = Event::HoldReleased {
        lot: lot("L1"),
        by: 0,
        positive: doc(1),
        retest: doc(2),
        decision: doc(3),
        recall_lifted: false,
    };
    assert_eq!(released.encode()[0], 7);
    let disposed = Event::LotDisposed {
        lot: lot("L1"),
        by: 0,
        disposal: doc(4),
    };
    assert_eq!(disposed.encode()[0], 8);
    // In the test runtime, the pallet's events are at index 4.
    assert_eq!(RuntimeEvent::from(positive).encode()[0], 4);
}

#[test]
fn errors_name_the_pallet_and_tell_what_to_do() {
    assert_eq!(
        DispatchError::from(Error::MissingNucleicAcidReport),
        DispatchError::module("ColdChain", "MissingNucleicAcidReport")
    );
    let text = Error::NotCustoms.to_string();
    assert!(text.contains("customs"), "{text}");
    let parsed: Error = "LotOnHold".parse().unwrap();
    assert_eq!(parsed, Error::LotOnHold);
}
