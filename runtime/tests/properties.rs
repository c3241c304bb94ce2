//! Property tests: SCALE round-trips of the wire types, and determinism — executing the same block twice from
//! the same parent gives identical roots, equal to the ones its builder put in the header.

mod common;

use common::*;
use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;
use yima_frame::{AccountId, Hash, Role, Roles};
use yima_membership::Call as MembershipCall;
use yima_runtime::{Block, Header, RuntimeCall, SignedTransaction};

fn arb_hash() -> impl Strategy<Value = Hash> {
    any::<[u8; 32]>().prop_map(Hash)
}

fn arb_roles() -> impl Strategy<Value = Roles> {
    prop::sample::subsequence(Role::ALL.to_vec(), 0..=4).prop_map(|r| Roles::of(&r))
}

fn arb_call() -> impl Strategy<Value = RuntimeCall> {
    let acc = any::<[u8; 32]>().prop_map(AccountId);
    prop_oneof![
        (acc.clone(), arb_roles()).prop_map(|(account, roles)| RuntimeCall::Membership(
            MembershipCall::AddAccount { account, roles }
        )),
        (acc.clone(), arb_roles()).prop_map(|(account, roles)| RuntimeCall::Membership(
            MembershipCall::SetRoles { account, roles }
        )),
        acc.clone().prop_map(
            |account| RuntimeCall::Membership(MembershipCall::SuspendAccount { account })
        ),
        acc.prop_map(|new| RuntimeCall::Membership(MembershipCall::RotateKey { new })),
        any::<u32>().prop_map(|id| RuntimeCall::Membership(MembershipCall::Approve { id })),
    ]
}

fn arb_tx() -> impl Strategy<Value = SignedTransaction> {
    (
        any::<[u8; 32]>(),
        any::<u64>(),
        any::<u64>(),
        arb_call(),
        prop::array::uniform32(any::<u16>()),
    )
        .prop_map(|(signer, nonce, valid_until, call, sig)| {
            let mut signature = [0u8; 64];
            for (i, w) in sig.iter().enumerate() {
                signature[2 * i..2 * i + 2].copy_from_slice(&w.to_le_bytes());
            }
            SignedTransaction {
                signer: AccountId(signer),
                nonce,
                valid_until,
                call,
                signature,
            }
        })
}

fn arb_header() -> impl Strategy<Value = Header> {
    (
        (arb_hash(), any::<u64>(), any::<u64>(), any::<[u8; 32]>()),
        (arb_hash(), arb_hash(), arb_hash(), arb_hash(), arb_hash()),
    )
        .prop_map(
            |((parent_hash, number, timestamp, proposer), (s, x, e, v, n))| Header {
                parent_hash,
                number,
                timestamp,
                proposer: AccountId(proposer),
                state_root: s,
                extrinsics_root: x,
                events_root: e,
                validators_hash: v,
                next_validators_hash: n,
            },
        )
}

proptest! {
    #[test]
    fn wire_types_round_trip(tx in arb_tx(), header in arb_header(), more in prop::collection::vec(arb_tx(), 0..4)) {
        prop_assert_eq!(SignedTransaction::decode(&mut &tx.encode()[..]).unwrap(), tx.clone());
        prop_assert_eq!(Header::decode(&mut &header.encode()[..]).unwrap(), header.clone());
        let block = Block { header, extrinsics: more };
        prop_assert_eq!(yima_runtime::transaction::decode_block(&block.encode()).unwrap(), block);
    }
}

/// A random mix of membership calls by the genesis accounts: some succeed, some fail in the pallet.
fn arb_ops() -> impl Strategy<Value = Vec<(usize, u8, usize)>> {
    prop::collection::vec((0usize..4, 0u8..4, 0usize..6), 1..25)
}

const SIGNERS: [&str; 4] = ["maker", "worker", "reg1", "reg2"];
const TARGETS: [&str; 6] = ["worker", "maker", "a", "b", "c", "reg3"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn the_same_block_executes_to_the_same_roots(ops in arb_ops()) {
        let chain = Chain::new();
        let mut nonces = [0u64; 4];
        let txs: Vec<_> = ops
            .into_iter()
            .map(|(s, op, t)| {
                let target = account(TARGETS[t]);
                let call = match op {
                    0 => MembershipCall::AddAccount { account: target, roles: Roles::of(&[Role::Operator]) },
                    1 => MembershipCall::SetRoles { account: target, roles: Roles::of(&[Role::Admin, Role::Operator]) },
                    2 => MembershipCall::SuspendAccount { account: target },
                    _ => MembershipCall::ReinstateAccount { account: target },
                };
                let tx = chain.sign_with(SIGNERS[s], nonces[s], RuntimeCall::Membership(call));
                nonces[s] += 1;
                tx
            })
            .collect();
        let built = chain.build(txs);
        let first = chain.exec.execute_block(chain.backend(), &chain.head, &built.block, &|_| false).unwrap();
        let second = chain.exec.execute_block(chain.backend(), &chain.head, &built.block, &|_| false).unwrap();
        prop_assert_eq!(first.update.root, second.update.root);
        prop_assert_eq!(first.update.root, built.block.header.state_root);
        prop_assert_eq!(&first.events, &second.events);
        prop_assert_eq!(first.update.changes, second.update.changes);
    }
}
