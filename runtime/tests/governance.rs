//! Regulator governance dispatching another pallet's root call through signed blocks: two of three regulators
//! register an attestation schema; a dispatch of a membership call, or of bytes that are no call, is refused.

mod common;

use common::*;
use parity_scale_codec::Encode;
use yima_attestation::schemas::FIRST_REGISTERED_ID;
use yima_attestation::SubjectKind;
use yima_membership::{Action, OrgKind};
use yima_runtime::{describe_error, Attestation, RuntimeCall, RuntimeEvent};

fn refusals(built: &yima_runtime::BuiltBlock) -> Vec<String> {
    built
        .events
        .iter()
        .filter_map(|e| match e.decode::<RuntimeEvent>().unwrap().event {
            RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => {
                Some(describe_error(&error))
            }
            _ => None,
        })
        .collect()
}

fn register_schema() -> RuntimeCall {
    RuntimeCall::Attestation(yima_attestation::Call::RegisterSchema {
        name: "Cold room hygiene audit".as_bytes().to_vec(),
        version: 1,
        issuers: vec![OrgKind::InspectionBody],
        subject: SubjectKind::Location,
        max_validity_days: Some(365),
    })
}

fn propose(action: Action) -> RuntimeCall {
    RuntimeCall::Membership(yima_membership::Call::Propose { action })
}

#[test]
fn two_of_three_regulators_register_a_schema_through_governance() {
    let mut chain = Chain::new();
    let call = register_schema().encode();
    let built = chain.produce(vec![chain.sign("reg1", propose(Action::Dispatch { call }))]);
    assert_eq!(refusals(&built), Vec::<String>::new());
    assert_eq!(
        chain.read(|| Attestation::schema(FIRST_REGISTERED_ID)),
        None
    );

    let approve = RuntimeCall::Membership(yima_membership::Call::Approve { id: 0 });
    let built = chain.produce(vec![chain.sign("reg2", approve)]);
    assert_eq!(refusals(&built), Vec::<String>::new());
    let schema = chain
        .read(|| Attestation::schema(FIRST_REGISTERED_ID))
        .expect("registered by the approved proposal");
    assert_eq!(schema.name, b"Cold room hygiene audit");
}

#[test]
fn governance_cannot_dispatch_a_membership_call_or_garbage() {
    let mut chain = Chain::new();
    let membership_call =
        RuntimeCall::Membership(yima_membership::Call::Approve { id: 7 }).encode();
    let built = chain.produce(vec![
        chain.sign_with(
            "reg1",
            0,
            propose(Action::Dispatch {
                call: membership_call,
            }),
        ),
        chain.sign_with(
            "reg1",
            1,
            propose(Action::Dispatch {
                call: vec![0xff, 0x00],
            }),
        ),
    ]);
    let refused = refusals(&built);
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].contains("DispatchToMembership"), "{refused:?}");
    assert!(refused[1].contains("UndecodableCall"), "{refused:?}");
}
