//! Throughput of the foundation, measured with criterion (`cargo bench -p yima-runtime`):
//!
//! 1. raw ed25519-dalek verification on this machine, one at a time and batched — the physical ceiling;
//! 2. a block of 5,000 signed membership transactions (each a different member adding an account):
//!    `execute_block` = batch signature check + validate + apply + JMT state root + events/extrinsics roots,
//!    on one core; and `build_block` for the same transactions.
//!
//! Throughput is reported in elements (signatures or transactions) per second.

#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use yima_frame::state::MemoryState;
use yima_frame::{sha256, AccountId, Role, Roles};
use yima_membership::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::{
    build_genesis, ChainContext, Executive, RuntimeCall, RuntimeGenesisConfig, SignedTransaction,
    SPEC_VERSION,
};

const BLOCK_TXS: usize = 5_000;

fn key(i: usize) -> SigningKey {
    SigningKey::from_bytes(&sha256(format!("bench //{i}").as_bytes()).0)
}

fn signatures(n: usize) -> (Vec<Vec<u8>>, Vec<Signature>, Vec<VerifyingKey>) {
    let mut msgs = Vec::new();
    let mut sigs = Vec::new();
    let mut keys = Vec::new();
    for i in 0..n {
        let k = key(i);
        let msg = format!("a transaction payload of typical length, number {i:>8}, padded .....")
            .into_bytes();
        sigs.push(k.sign(&msg));
        keys.push(k.verifying_key());
        msgs.push(msg);
    }
    (msgs, sigs, keys)
}

fn ed25519(c: &mut Criterion) {
    let (msgs, sigs, keys) = signatures(256);
    let mut g = c.benchmark_group("ed25519");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify_single", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % 256;
            keys[i].verify(&msgs[i], &sigs[i]).unwrap()
        })
    });
    for n in [64usize, 256] {
        let refs: Vec<&[u8]> = msgs[..n].iter().map(|m| m.as_slice()).collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("verify_batch_{n}"), |b| {
            b.iter(|| ed25519_dalek::verify_batch(&refs, &sigs[..n], &keys[..n]).unwrap())
        });
    }
    g.finish();
}

const ORG: &str = "91330100MA2Y00303G";

fn block(c: &mut Criterion) {
    let members: Vec<SigningKey> = (0..BLOCK_TXS).map(key).collect();
    let validator = key(usize::MAX);
    let config = RuntimeGenesisConfig {
        timestamp: 1,
        system: Default::default(),
        trace: Default::default(),
        attestation: Default::default(),
        membership: GenesisConfig {
            organisations: vec![
                GenesisOrganisation {
                    name: "Regulator".into(),
                    kind: OrgKind::Regulator,
                    uscc: Uscc::parse("11330100MA2Y00000E").unwrap(),
                    prefixes: vec![],
                },
                GenesisOrganisation {
                    name: "Maker".into(),
                    kind: OrgKind::Manufacturer,
                    uscc: Uscc::parse(ORG).unwrap(),
                    prefixes: vec![],
                },
            ],
            accounts: std::iter::once(GenesisAccount {
                account: AccountId::from(validator.verifying_key()),
                uscc: Uscc::parse("11330100MA2Y00000E").unwrap(),
                roles: Roles::of(&[Role::Governance]),
            })
            .chain(members.iter().map(|k| GenesisAccount {
                account: AccountId::from(k.verifying_key()),
                uscc: Uscc::parse(ORG).unwrap(),
                roles: Roles::of(&[Role::Admin, Role::Operator]),
            }))
            .collect(),
            validators: vec![Validator {
                key: AccountId::from(validator.verifying_key()),
                power: 1,
            }],
            regulator_threshold: 1,
            proposal_lifetime: 100,
        },
    };
    let state = Arc::new(MemoryState::new());
    let genesis = build_genesis(&config, state.clone()).unwrap();
    state.commit(genesis.update).unwrap();
    let exec = Executive::new(ChainContext {
        genesis_hash: genesis.header.hash(),
        spec_version: SPEC_VERSION,
    });
    let txs: Vec<SignedTransaction> = members
        .iter()
        .enumerate()
        .map(|(i, k)| {
            SignedTransaction::sign(
                k,
                &genesis.header.hash(),
                SPEC_VERSION,
                0,
                100,
                RuntimeCall::Membership(yima_membership::Call::AddAccount {
                    account: AccountId::from(key(BLOCK_TXS + i).verifying_key()),
                    roles: Roles::of(&[Role::Operator]),
                }),
            )
        })
        .collect();
    let proposer = AccountId::from(validator.verifying_key());
    let built = exec
        .build_block(
            state.clone(),
            &genesis.header,
            proposer,
            2,
            txs.clone(),
            &|_| false,
        )
        .unwrap();
    assert_eq!(
        built.block.extrinsics.len(),
        BLOCK_TXS,
        "every transaction must be included"
    );

    let mut g = c.benchmark_group("block_5000_membership_txs");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BLOCK_TXS as u64));
    g.bench_function("execute_block", |b| {
        b.iter(|| {
            exec.execute_block(state.clone(), &genesis.header, &built.block, &|_| false)
                .unwrap()
        })
    });
    g.bench_function("execute_block_preverified", |b| {
        b.iter(|| {
            exec.execute_block(state.clone(), &genesis.header, &built.block, &|_| true)
                .unwrap()
        })
    });
    g.bench_function("build_block", |b| {
        b.iter_batched(
            || txs.clone(),
            |txs| {
                exec.build_block(state.clone(), &genesis.header, proposer, 2, txs, &|_| false)
                    .unwrap()
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// Custody events applied per second, execution only: a block of 10,000 capture events signed as 100
/// transactions of 100 events (one signature per 100-event batch) or as 10,000 transactions of 1 event (one
/// signature per event), through `execute_block` with signatures verified in the block (batched) and
/// pre-verified (the node's path: checked once at pool ingress). Three event kinds: commissioning new codes,
/// shipping codes the signer holds, receiving codes shipped to the signer.
mod capture {
    use super::common::{
        gtin_lot, item, object, org, receive, ship, BenchChain, BenchOrg, GOVERNOR, OPERATOR,
    };
    use super::*;
    use yima_codes::{Gtin, ProductId, TraceCode};
    use yima_frame::OrgId;
    use yima_trace::epcis::{Action, BizStep, EpcisEvent, Ilmd};
    use yima_trace::types::Category;

    pub(super) const EVENTS: usize = 10_000;
    const SIGNERS: usize = 100;
    const MAKER: &str = "91330100MA2Y00303G";
    const DISTRIBUTOR: &str = "91330100MA2Y01010E";
    const DISTRIBUTOR_ORG: OrgId = 2;
    const GENESIS_MS: u64 = 1_767_225_600_000;

    fn gtin() -> Gtin {
        Gtin::parse("09521234543213").unwrap()
    }

    fn commission(code: TraceCode) -> EpcisEvent {
        let mut e = object(Action::Add, vec![code], BizStep::Commissioning);
        e.ilmd = Some(Ilmd {
            lot: gtin_lot(gtin()),
            production_date: GENESIS_MS - 86_400_000,
            expiry: GENESIS_MS + 3_650 * 86_400_000,
        });
        e
    }

    /// A chain where 10,000 codes `A…` sit at the maker and 10,000 codes `B…` are in transit to the distributor.
    pub(super) fn setup() -> BenchChain {
        const ORGS: [BenchOrg; 3] = [
            org(
                "regulator",
                OrgKind::Regulator,
                "11330100MA2Y00000E",
                1,
                GOVERNOR,
            ),
            org("maker", OrgKind::Manufacturer, MAKER, SIGNERS, OPERATOR),
            org(
                "distributor",
                OrgKind::Distributor,
                DISTRIBUTOR,
                SIGNERS,
                OPERATOR,
            ),
        ];
        let mut setup = BenchChain::new_holding("capture", &ORGS, &[("maker", gtin())]);
        let register = RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
            product: ProductId::Gtin(gtin()),
            name: b"bench".to_vec(),
            category: Category::Food,
            temperature: None,
            shelf_life_days: 3_650,
        });
        let tx = setup.sign("maker", 0, register);
        setup.commit(vec![tx]);
        for events in [
            (0..EVENTS)
                .map(|n| commission(item(gtin(), 'A', n)))
                .collect::<Vec<_>>(),
            (0..EVENTS)
                .map(|n| commission(item(gtin(), 'B', n)))
                .collect(),
            (0..EVENTS)
                .map(|n| ship(item(gtin(), 'B', n), DISTRIBUTOR_ORG))
                .collect(),
        ] {
            let txs = setup.split("maker", events.into_iter(), 100);
            setup.commit(txs);
        }
        setup
    }

    pub(super) fn kinds() -> Vec<(&'static str, &'static str, Vec<EpcisEvent>)> {
        vec![
            (
                "commission",
                "maker",
                (0..EVENTS)
                    .map(|n| commission(item(gtin(), 'C', n)))
                    .collect(),
            ),
            (
                "ship",
                "maker",
                (0..EVENTS)
                    .map(|n| ship(item(gtin(), 'A', n), DISTRIBUTOR_ORG))
                    .collect(),
            ),
            (
                "receive",
                "distributor",
                (0..EVENTS).map(|n| receive(item(gtin(), 'B', n))).collect(),
            ),
        ]
    }
}

fn capture_events(c: &mut Criterion) {
    let mut setup = capture::setup();
    let mut g = c.benchmark_group("capture_10000_events");
    g.sample_size(10);
    g.throughput(Throughput::Elements(capture::EVENTS as u64));
    for (kind, org, events) in capture::kinds() {
        for per_tx in [100usize, 1] {
            let block = setup.block(|s| s.split(org, events.clone().into_iter(), per_tx));
            let txs = capture::EVENTS / per_tx;
            for (verify, preverified) in [("verify", false), ("preverified", true)] {
                let name = format!("{kind}/{txs}tx_x{per_tx}ev/{verify}");
                g.bench_function(name, |b| b.iter(|| setup.execute(&block, preverified)));
            }
        }
    }
    g.finish();
}

criterion_group!(benches, ed25519, block, capture_events);
criterion_main!(benches);
