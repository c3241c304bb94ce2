//! Stable wire format: call and event indices, error names.

use parity_scale_codec::{Decode, Encode};
use yima_frame::DispatchError;

use crate::mock::*;
use crate::{Call, Error, Event, TestKind, TestResult};

#[test]
fn call_indices_are_stable() {
    let calls = [
        (
            Call::RecordTest {
                lot: lot_of(packs(), "P1"),
                kind: TestKind::QuickTest,
                result: TestResult::Fail,
                attestation: doc(1),
                sample: Some(pack(1)),
            },
            0u8,
        ),
        (
            Call::Serve {
                codes: vec![pack(1)],
                kitchen: b"k".to_vec(),
            },
            1,
        ),
        (
            Call::ReleaseHold {
                lot: lot_of(packs(), "P1"),
                retest: doc(2),
                decision: doc(3),
            },
            2,
        ),
        (
            Call::DisposeLot {
                lot: lot_of(packs(), "P1"),
                disposal: doc(4),
            },
            3,
        ),
    ];
    for (call, index) in calls {
        let bytes = call.encode();
        assert_eq!(bytes[0], index);
        assert_eq!(Call::decode(&mut &bytes[..]).unwrap(), call);
    }
    assert_eq!(TestKind::Inspection.encode(), vec![1]);
    assert_eq!(TestResult::Fail.encode(), vec![1]);
}

#[test]
fn event_indices_are_stable() {
    let recorded = Event::TestRecorded {
        lot: lot_of(packs(), "P1"),
        kind: TestKind::QuickTest,
        result: TestResult::Fail,
        by: 3,
        attestation: doc(1),
        sample: None,
        recalled: false,
    };
    assert_eq!(recorded.encode()[0], 0);
    let derived = Event::LotDerived {
        lot: lot_of(packs(), "P1"),
        ancestors: vec![],
    };
    assert_eq!(derived.encode()[0], 1);
    let served = Event::Served {
        caterer: 1,
        kitchen: vec![],
        codes: vec![],
    };
    assert_eq!(served.encode()[0], 2);
    let released = Event::HoldReleased {
        lot: lot_of(packs(), "P1"),
        by: 0,
        failure: doc(1),
        retest: doc(2),
        decision: doc(3),
        recall_lifted: true,
    };
    assert_eq!(released.encode()[0], 3);
    let disposed = Event::LotDisposed {
        lot: lot_of(packs(), "P1"),
        by: 0,
        disposal: doc(4),
    };
    assert_eq!(disposed.encode()[0], 4);
    // In the test runtime, as in the runtime, the pallet's events are at index 7.
    assert_eq!(RuntimeEvent::from(recorded).encode()[0], 7);
}

#[test]
fn errors_name_the_pallet_and_tell_what_to_do() {
    assert_eq!(
        DispatchError::from(Error::FailedTestNoSale),
        DispatchError::module("Food", "FailedTestNoSale")
    );
    let text = Error::MissingOriginCertificate.to_string();
    assert!(text.contains("合格证") && text.contains("attest"), "{text}");
    let parsed: Error = "NotTester".parse().unwrap();
    assert_eq!(parsed, Error::NotTester);
}
