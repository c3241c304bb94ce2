//! Governance dispatch: an approved proposal makes another pallet's root call through the runtime; a call that
//! does not decode is refused when proposed; a call that fails when dispatched refuses the approval that reached
//! the threshold and leaves the proposal open.

use yima_frame::{assert_noop, assert_ok, DispatchError};

use crate::mock::*;
use crate::{Action, Error, Event};

fn dispatch(call: u8) -> Action {
    Action::Dispatch { call: vec![call] }
}

#[test]
fn an_approved_dispatch_makes_its_call_at_the_threshold() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(&signed("reg1"), dispatch(DISPATCH_OK)));
        assert_eq!(dispatched(), None, "one approval of two: nothing yet");
        assert_ok!(Membership::approve(&signed("reg2"), 0));
        assert_eq!(dispatched(), Some(vec![DISPATCH_OK]));
        System::assert_last_event(Event::ProposalExecuted { id: 0 });
        assert_eq!(Membership::proposal(0), None);
    });
}

#[test]
fn a_call_that_does_not_decode_is_refused_when_proposed() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::propose(&signed("reg1"), Action::Dispatch { call: vec![] }),
            Error::UndecodableCall
        );
        assert_noop!(
            Membership::propose(&signed("reg1"), dispatch(9)),
            Error::UndecodableCall
        );
    });
}

#[test]
fn a_failing_call_refuses_the_deciding_approval_and_the_proposal_stays_open() {
    new_test_ext().execute_with(|| {
        assert_ok!(Membership::propose(
            &signed("reg1"),
            dispatch(DISPATCH_FAILS)
        ));
        let open = Membership::proposal(0).expect("open");
        assert_noop!(
            Membership::approve(&signed("reg2"), 0),
            DispatchError::BadOrigin {
                expected: "the test's failing call".into()
            }
        );
        // The dispatched call's own write was undone with everything else.
        assert_eq!(dispatched(), None);
        assert_eq!(Membership::proposal(0), Some(open));
    });
}

#[test]
fn only_a_regulator_governor_proposes_a_dispatch() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Membership::propose(&signed("maker-admin"), dispatch(DISPATCH_OK)),
            DispatchError::MissingRole(yima_frame::Role::Governance)
        );
    });
}
