//! Transaction pool throughput, measured with criterion (`cargo bench -p yima-txpool --bench ingress`):
//!
//! 1. `submit` into an empty pool of batches of 1 and 256 signed membership transactions — the whole ingress path:
//!    SCALE encoding and hashing, pool-local checks, `Executive::check_transactions` (one state pass), ed25519
//!    batch verification, admission. 256 transactions of 256 different members (each its next nonce), and 256
//!    consecutive nonces of one member (an importer's batch);
//! 2. `submit_bytes` of the same 256 (adds decoding);
//! 3. its two checks on their own: `verify_batch` and `check_transactions` of the 256;
//! 4. the same 256 submitted again (gossip duplicates: refused as already known by hash);
//! 5. `on_block_committed` on a pool of 8,192 transactions (256 members × 32 nonces) after a block that included
//!    each member's first: removal plus the state re-check of the 7,936 left;
//! 6. `ready` of everything in that pool (8,192 transactions, 256 chains) under a block's limits.
//!
//! Throughput is reported in transactions per second.

#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ed25519_dalek::SigningKey;
use parity_scale_codec::Encode;
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{sha256, AccountId, Role, Roles};
use yima_membership::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::{
    build_genesis, ChainContext, Executive, Header, RuntimeCall, RuntimeGenesisConfig,
    SignedTransaction, SPEC_VERSION,
};
use yima_txpool::{Pool, PoolConfig};

const MEMBERS: usize = 256;
const ORG: &str = "91330100MA2Y00303G";
const REGULATOR: &str = "11330100MA2Y00000E";

fn key(i: usize) -> SigningKey {
    SigningKey::from_bytes(&sha256(format!("txpool bench //{i}").as_bytes()).0)
}

struct Bench {
    state: Arc<MemoryState>,
    genesis: Header,
    exec: Executive,
    members: Vec<SigningKey>,
    validator: AccountId,
}

impl Bench {
    fn new() -> Self {
        let members: Vec<SigningKey> = (0..MEMBERS).map(key).collect();
        let validator = AccountId::from(key(usize::MAX).verifying_key());
        let org = |name: &str, kind, code: &str| GenesisOrganisation {
            name: name.into(),
            kind,
            uscc: Uscc::parse(code).unwrap(),
            prefixes: vec![],
        };
        let config = RuntimeGenesisConfig {
            timestamp: 1,
            system: Default::default(),
            trace: Default::default(),
            attestation: Default::default(),
            membership: GenesisConfig {
                organisations: vec![
                    org("Regulator", OrgKind::Regulator, REGULATOR),
                    org("Maker", OrgKind::Manufacturer, ORG),
                ],
                accounts: std::iter::once(GenesisAccount {
                    account: validator,
                    uscc: Uscc::parse(REGULATOR).unwrap(),
                    roles: Roles::of(&[Role::Governance]),
                })
                .chain(members.iter().map(|k| GenesisAccount {
                    account: AccountId::from(k.verifying_key()),
                    uscc: Uscc::parse(ORG).unwrap(),
                    roles: Roles::of(&[Role::Admin, Role::Operator]),
                }))
                .collect(),
                validators: vec![Validator {
                    key: validator,
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
        Bench {
            state,
            genesis: genesis.header,
            exec,
            members,
            validator,
        }
    }

    fn backend(&self) -> Arc<dyn StateBackend> {
        self.state.clone()
    }

    /// Member `m` adds a new account (each transaction a different one), with nonce `nonce`.
    fn tx(&self, m: usize, nonce: u64) -> SignedTransaction {
        SignedTransaction::sign(
            &self.members[m],
            &self.genesis.hash(),
            SPEC_VERSION,
            nonce,
            1_000,
            RuntimeCall::Membership(yima_membership::Call::AddAccount {
                account: AccountId::from(
                    key(1_000_000 + m * 1_000 + nonce as usize).verifying_key(),
                ),
                roles: Roles::of(&[Role::Operator]),
            }),
        )
    }

    fn pool(&self) -> Pool {
        Pool::new(PoolConfig::default(), self.exec)
    }
}

fn ingress(c: &mut Criterion) {
    let bench = Bench::new();
    let one = vec![bench.tx(0, 0)];
    let many: Vec<SignedTransaction> = (0..MEMBERS).map(|m| bench.tx(m, 0)).collect();
    let importer: Vec<SignedTransaction> = (0..MEMBERS as u64).map(|n| bench.tx(0, n)).collect();
    let many_bytes: Vec<Vec<u8>> = many.iter().map(|tx| tx.encode()).collect();

    let mut g = c.benchmark_group("txpool_submit");
    g.throughput(Throughput::Elements(1));
    g.bench_function("batch_1", |b| {
        b.iter_batched(
            || (bench.pool(), one.clone()),
            |(mut pool, txs)| {
                let r = pool.submit(txs, bench.backend());
                debug_assert!(r[0].is_ok());
                pool
            },
            BatchSize::SmallInput,
        )
    });
    g.throughput(Throughput::Elements(MEMBERS as u64));
    g.bench_function("batch_256_members", |b| {
        b.iter_batched(
            || (bench.pool(), many.clone()),
            |(mut pool, txs)| {
                pool.submit(txs, bench.backend());
                assert_eq!(pool.len(), MEMBERS);
                pool
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("batch_256_one_account", |b| {
        b.iter_batched(
            || (bench.pool(), importer.clone()),
            |(mut pool, txs)| {
                pool.submit(txs, bench.backend());
                assert_eq!(pool.ready_len(), MEMBERS);
                pool
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("bytes_batch_256_members", |b| {
        b.iter_batched(
            || (bench.pool(), many_bytes.clone()),
            |(mut pool, txs)| {
                pool.submit_bytes(txs, bench.backend());
                assert_eq!(pool.len(), MEMBERS);
                pool
            },
            BatchSize::SmallInput,
        )
    });
    // Where the time goes: the two checks on their own.
    let refs: Vec<&SignedTransaction> = many.iter().collect();
    let ctx = bench.exec.context();
    g.bench_function("part_verify_batch_256", |b| {
        b.iter(|| {
            yima_runtime::transaction::verify_batch(&refs, &ctx.genesis_hash, ctx.spec_version)
                .unwrap()
        })
    });
    g.bench_function("part_check_transactions_256", |b| {
        b.iter(|| bench.exec.check_transactions(bench.backend(), &refs))
    });
    let mut known = bench.pool();
    known.submit(many.clone(), bench.backend());
    g.bench_function("batch_256_already_known", |b| {
        b.iter_batched(
            || many.clone(),
            |txs| known.submit(txs, bench.backend()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn after_block(c: &mut Criterion) {
    const DEPTH: u64 = 32;
    let bench = Bench::new();
    let mut pool = bench.pool();
    for n in 0..DEPTH {
        let txs = (0..MEMBERS).map(|m| bench.tx(m, n)).collect();
        pool.submit(txs, bench.backend());
    }
    assert_eq!(pool.len(), MEMBERS * DEPTH as usize);
    let block_txs = pool.ready(MEMBERS, usize::MAX);
    let built = bench
        .exec
        .build_block(
            bench.backend(),
            &bench.genesis,
            bench.validator,
            2,
            block_txs,
            &|tx| pool.is_verified(tx),
        )
        .unwrap();
    assert_eq!(built.block.extrinsics.len(), MEMBERS);
    // The pool is re-checked against the state after the block.
    bench.state.commit(built.update.clone()).unwrap();

    let mut g = c.benchmark_group("txpool_block");
    g.sample_size(20);
    g.throughput(Throughput::Elements(pool.len() as u64));
    g.bench_function("on_block_committed_8192", |b| {
        b.iter_batched(
            || pool.clone(),
            |mut pool| {
                let outcome = pool.on_block_committed(&built.block, bench.backend());
                assert_eq!(outcome.included.len(), MEMBERS);
                pool
            },
            BatchSize::LargeInput,
        )
    });
    g.throughput(Throughput::Elements(pool.len() as u64));
    g.bench_function("ready_8192", |b| {
        b.iter(|| pool.ready(10_000, 16 * 1024 * 1024))
    });
    g.finish();
}

criterion_group!(benches, ingress, after_block);
criterion_main!(benches);
