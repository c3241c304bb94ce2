//! Closing the loop (闭环): a positive lot's hold ends only by a regulator's decision — released citing a
//! negative retest reported after the positive one, or disposed citing an `UNQUALIFIED_PRODUCT_DISPOSAL`
//! attestation (codes destroyed).

use yima_attestation::schemas;
use yima_frame::{assert_noop, assert_ok};
use yima_trace::types::CodeStatus;

use crate::mock::*;
use crate::Error;

fn status(code: &yima_codes::TraceCode) -> CodeStatus {
    yima_trace::custody::custody(code, System::now())
        .unwrap()
        .status
}

/// Attack (before the decisions existed): after a positive test nothing lifts the hold — a second report is
/// refused, a disposal attestation destroys nothing — so the lot is held forever.
#[test]
fn attack_a_positive_lot_is_held_forever() {
    new_test_ext().execute_with(|| {
        certified("L1", 2);
        assert_ok!(ColdChain::report_positive(
            &origin("lab"),
            lot("L1"),
            doc(66)
        ));
        assert_noop!(
            ColdChain::report_positive(&origin("regulator"), lot("L1"), doc(67)),
            Error::AlreadyReported
        );
        certify("regulator", schemas::UNQUALIFIED_PRODUCT_DISPOSAL, "L1", 68);
        assert_eq!(status(&cl(1)), CodeStatus::Active);
        assert_noop!(
            Trace::capture(
                &origin("warehouse"),
                vec![shipping(vec![cl(1)], DISTRIBUTOR)]
            ),
            Error::LotOnHold
        );
    });
}
