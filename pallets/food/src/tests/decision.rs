//! Closing the loop (闭环): a hold ends only by a regulator's decision — released citing a passing retest
//! recorded after the hold, or disposed citing an `UNQUALIFIED_PRODUCT_DISPOSAL` attestation (codes destroyed).

use yima_attestation::schemas;
use yima_frame::assert_noop;
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::{Error, TestResult};

/// Attack (before the decisions existed): a regulator holds a disposal attestation on the failed lot, yet
/// nothing marks its codes destroyed — they stay held forever, neither destroyed nor released.
#[test]
fn attack_a_disposal_attestation_alone_destroys_nothing() {
    new_test_ext().execute_with(|| {
        let lot = processed(1, 2);
        lab_fails(&lot);
        attest("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, &lot, 60);
        assert_ne!(custody_status(&pack(1)), CodeStatus::Destroyed);
        assert_noop!(
            Trace::capture(
                &origin("processor"),
                vec![shipping(vec![pack(1)], RETAILER)]
            ),
            Error::LotOnHold
        );
    });
}

fn lab_fails(lot: &yima_trace::types::LotKey) {
    record("lab", lot, TestResult::Fail, 61).unwrap();
}

fn custody_status(code: &yima_codes::TraceCode) -> CodeStatus {
    yima_trace::custody::custody(code, System::now())
        .unwrap()
        .status
}
