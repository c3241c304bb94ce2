//! The presets run as chains: transactions signed with the dev keys go through blocks that several replicas
//! execute to identical roots; governance on the `local` preset admits an organisation with two of three votes.

use yima_chain_spec::{dev_keys::dev_account, presets};
use yima_frame::{Role, Roles};
use yima_membership::{Action, Call, OrgKind, Uscc};
use yima_runtime::{RuntimeCall, RuntimeEvent};
use yima_tests::InProcessNet;

fn success(events: &[RuntimeEvent]) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(
                e,
                RuntimeEvent::System(yima_system::Event::ExtrinsicSuccess)
            )
        })
        .count()
}

#[test]
fn demo_chain_accepts_member_transactions_on_every_replica() {
    let mut net = InProcessNet::new(&presets::demo(), 3, "alice");
    let tx = net.sign(
        "manufacturer",
        RuntimeCall::Membership(Call::AddAccount {
            account: dev_account("line-operator"),
            roles: Roles::of(&[Role::Operator]),
        }),
    );
    let (built, events) = net.produce(vec![tx]);
    assert_eq!(built.block.extrinsics.len(), 1);
    assert_eq!(success(&events), 1, "{events:?}");
    assert!(net.replicas_agree());
    let added = net.read(|| yima_runtime::Membership::account(&dev_account("line-operator")));
    assert!(added.is_some());
    // Empty blocks advance too.
    net.produce(vec![]);
    assert_eq!(net.head().number, 2);
    assert!(net.replicas_agree());
}

#[test]
fn local_chain_governance_admits_an_organisation_at_two_of_three() {
    let mut net = InProcessNet::new(&presets::local(), 4, "alice");
    let propose = net.sign(
        "alice",
        RuntimeCall::Membership(Call::Propose {
            action: Action::AdmitOrganisation {
                name: "New Pharmacy".as_bytes().to_vec(),
                kind: OrgKind::Pharmacy,
                uscc: Uscc::parse("91330100MA2Y01313Q").unwrap(),
                admin: dev_account("pharmacist-admin"),
                prefixes: vec![],
            },
        }),
    );
    let (_, events) = net.produce(vec![propose]);
    assert_eq!(success(&events), 1, "{events:?}");
    assert!(net
        .read(|| yima_runtime::Membership::account(&dev_account("pharmacist-admin")))
        .is_none());
    let approve = net.sign("bob", RuntimeCall::Membership(Call::Approve { id: 0 }));
    let (_, events) = net.produce(vec![approve]);
    assert_eq!(success(&events), 1, "{events:?}");
    let admin = net
        .read(|| yima_runtime::Membership::account(&dev_account("pharmacist-admin")))
        .expect("the admitted organisation's admin exists");
    assert!(admin.roles.contains(Role::Admin));
    assert!(net.replicas_agree());
}

#[test]
fn a_validator_set_change_shows_in_the_next_validators_hash() {
    let mut net = InProcessNet::new(&presets::dev(), 2, "alice");
    let before = net.head().next_validators_hash;
    let change = net.sign(
        "alice",
        RuntimeCall::Membership(Call::Propose {
            action: Action::SetValidators {
                validators: vec![
                    yima_membership::Validator {
                        key: dev_account("alice"),
                        power: 1,
                    },
                    yima_membership::Validator {
                        key: dev_account("bob"),
                        power: 1,
                    },
                ],
            },
        }),
    );
    let (built, events) = net.produce(vec![change]);
    assert_eq!(success(&events), 1, "{events:?}");
    let header = &built.block.header;
    assert_eq!(
        header.validators_hash, before,
        "this block is decided by the old set"
    );
    assert_ne!(
        header.next_validators_hash, before,
        "the next block by the new one"
    );
    let (next, _) = net.produce(vec![]);
    assert_eq!(
        next.block.header.validators_hash,
        header.next_validators_hash
    );
}

#[test]
fn the_demo_script_records_its_histories_on_a_fresh_demo_chain() {
    let mut net = InProcessNet::new(&presets::demo(), 2, "alice");
    let txs = yima_chain_spec::demo::signed_script(
        &net.head().hash(),
        1_000,
        net.head().timestamp + 1_000,
    );
    let count = txs.len();
    let (_, events) = net.produce(txs);
    let refusals: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => {
                Some(yima_runtime::describe_error(error))
            }
            _ => None,
        })
        .collect();
    assert!(
        refusals.is_empty(),
        "the demo script was refused: {refusals:?}"
    );
    assert_eq!(success(&events), count);
    assert!(net.replicas_agree());

    // The trace core's story: the sold bag's history has every hop, through its case, and the excursion
    // on the way to the shop raised an alert.
    let bag = yima_codes::TraceCode::parse(&format!(
        "/01/{}/21/DP0001",
        yima_chain_spec::demo::trace::dumplings()
    ))
    .unwrap();
    let trace = yima_runtime::query::trace(net.index(), &bag).unwrap();
    let steps: Vec<_> = trace.hops.iter().map(|h| h.epcis().biz_step).collect();
    use yima_trace::epcis::BizStep::*;
    assert_eq!(
        steps,
        [
            Commissioning,
            Packing,
            Shipping,
            Receiving,
            Shipping,
            Receiving,
            Unpacking,
            RetailSelling
        ]
    );
    assert!(events.iter().any(|e| matches!(
        e,
        RuntimeEvent::Trace(yima_trace::Event::Alert(
            yima_trace::Alert::TemperatureExcursion { .. }
        ))
    )));
}
