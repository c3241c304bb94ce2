//! A deterministic dev chain for storage tests and benchmarks: the `dev` preset (alice: regulator and
//! validator, bob: manufacturer), and block `n`'s transactions derived from `n` alone, so a test can replay
//! exactly the blocks a killed child process committed.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use yima_attestation::schemas::{BATCH_RELEASE, ENFORCEMENT_CASE};
use yima_attestation::types::{LotRef, SchemaId, Subject};
use yima_chain_spec::dev_keys::{dev_account, dev_key};
use yima_chain_spec::presets;
use yima_codes::{gs1_check_digit, Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_frame::externalities::Externalities;
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{sha256, BlockNumber, Moment, OrgId, Role, Roles};
use yima_membership::Uscc;
use yima_runtime::executive::BuiltBlock;
use yima_runtime::{
    ChainContext, Executive, Genesis, Header, RuntimeCall, SignedTransaction, System, SPEC_VERSION,
};
use yima_storage::{Store, StoreOptions};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::{Category, LotKey};

/// The dev preset's regulator organisation (alice's).
pub const REGULATOR_ORG: OrgId = 0;
/// The dev preset's manufacturer organisation (bob's).
pub const MAKER_ORG: OrgId = 1;
pub const DAY: Moment = 86_400_000;
/// The dev preset's manufacturer USCC.
pub const MAKER_USCC: &str = "91330100MA2Y00303G";

/// Genesis of the dev preset over `state` (which must be empty).
pub fn genesis(state: Arc<dyn StateBackend>) -> Genesis {
    presets::dev().build_genesis(state).unwrap()
}

pub fn executive(genesis: &Header) -> Executive {
    Executive::new(ChainContext {
        genesis_hash: genesis.hash(),
        spec_version: SPEC_VERSION,
    })
}

pub fn gtin() -> Gtin {
    Gtin::parse("09521234543213").unwrap()
}

pub fn lot(n: BlockNumber) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin()),
        lot: LotNumber::parse(&format!("L{n}")).unwrap(),
    }
}

/// The lot of block `n`'s transformation outputs.
pub fn transformed_lot(n: BlockNumber) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin()),
        lot: LotNumber::parse(&format!("T{n}")).unwrap(),
    }
}

/// Item `j` commissioned in block `n`.
pub fn item(n: BlockNumber, j: usize) -> TraceCode {
    TraceCode::Sgtin {
        gtin: gtin(),
        serial: SerialNumber::parse(&format!("B{n}S{j}")).unwrap(),
    }
}

/// The logistic unit commissioned in block `n`.
pub fn sscc(n: BlockNumber) -> TraceCode {
    let body = format!("10614141{n:09}");
    let check = gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).unwrap())
}

pub fn event(body: EventBody, step: BizStep, time: Moment) -> EpcisEvent {
    EpcisEvent::new(body, time, 480, step)
}

pub fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep, time: Moment) -> EpcisEvent {
    event(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        step,
        time,
    )
}

pub fn commissioning(codes: Vec<TraceCode>, lot: Option<LotKey>, time: Moment) -> EpcisEvent {
    let mut e = object(Action::Add, codes, BizStep::Commissioning, time);
    e.ilmd = lot.map(|lot| Ilmd {
        lot,
        production_date: 0,
        expiry: time + 365 * DAY,
    });
    e
}

pub fn aggregation(
    action: Action,
    parent: TraceCode,
    children: Vec<TraceCode>,
    time: Moment,
) -> EpcisEvent {
    let step = if action == Action::Add {
        BizStep::Packing
    } else {
        BizStep::Unpacking
    };
    event(
        EventBody::Aggregation {
            action,
            parent,
            children,
        },
        step,
        time,
    )
}

pub fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

/// The time of block `n`.
pub fn block_time(genesis_time: Moment, n: BlockNumber) -> Moment {
    genesis_time + n * 1_000
}

/// Items per block in the standard blocks.
pub const ITEMS: usize = 4;

/// The calls of block `n` (signer name, call): bob registers the product in block 1; from block 2 on he
/// commissions [`ITEMS`] items into lot `L{n}` and a logistic unit and packs the items into it; from block 3
/// on he also transforms a raw item into two (lot `T{n}`), unpacks the previous block's unit (deleting its
/// contents) and ships its items to the regulator, whose alice receives them in the next block; every third
/// block bob adds an account. Alice adds an inspector in block 2, who from block 3 on attests the previous
/// block's lot (batch release) and every fourth block the manufacturer (an enforcement case).
pub fn calls(n: BlockNumber, time: Moment) -> Vec<(&'static str, RuntimeCall)> {
    let mut calls = Vec::new();
    if n == 1 {
        calls.push((
            "bob",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: ProductId::Gtin(gtin()),
                name: b"Storage test product".to_vec(),
                category: Category::Food,
                temperature: None,
                shelf_life_days: 365,
            }),
        ));
        return calls;
    }
    if n == 2 {
        calls.push((
            "alice",
            RuntimeCall::Membership(yima_membership::Call::AddAccount {
                account: dev_account("inspector"),
                roles: Roles::of(&[Role::Inspector]),
            }),
        ));
    }
    let items: Vec<TraceCode> = (0..ITEMS).map(|j| item(n, j)).collect();
    let mut events = vec![
        commissioning(items.clone(), Some(lot(n)), time),
        commissioning(vec![sscc(n)], None, time),
        aggregation(Action::Add, sscc(n), items, time),
    ];
    if n >= 3 {
        // A raw item made into two products of lot `T{n}`.
        events.push(commissioning(vec![item(n, 100)], Some(lot(n)), time));
        let mut transformation = event(
            EventBody::Transformation {
                inputs: vec![item(n, 100)],
                outputs: vec![item(n, 101), item(n, 102)],
            },
            BizStep::Transforming,
            time,
        );
        transformation.ilmd = Some(Ilmd {
            lot: transformed_lot(n),
            production_date: 0,
            expiry: time + 365 * DAY,
        });
        events.push(transformation);

        let previous: Vec<TraceCode> = (0..ITEMS).map(|j| item(n - 1, j)).collect();
        events.push(aggregation(Action::Delete, sscc(n - 1), vec![], time));
        let mut ship = object(Action::Observe, previous, BizStep::Shipping, time);
        ship.destination = Some(REGULATOR_ORG);
        events.push(ship);
    }
    calls.push(("bob", capture(events)));
    if n >= 4 {
        let shipped: Vec<TraceCode> = (0..ITEMS).map(|j| item(n - 2, j)).collect();
        calls.push((
            "alice",
            capture(vec![object(
                Action::Observe,
                shipped,
                BizStep::Receiving,
                time,
            )]),
        ));
    }
    if n >= 3 {
        calls.push((
            "inspector",
            attest(BATCH_RELEASE, lot_subject(n - 1), n, time),
        ));
    }
    if n >= 3 && n % 4 == 0 {
        calls.push((
            "inspector",
            attest(ENFORCEMENT_CASE, maker_subject(), n, time),
        ));
    }
    if n % 3 == 0 {
        calls.push((
            "bob",
            RuntimeCall::Membership(yima_membership::Call::AddAccount {
                account: dev_account(&format!("worker{n}")),
                roles: Roles::of(&[Role::Operator]),
            }),
        ));
    }
    calls
}

/// The attestation subject of lot `L{n}`.
pub fn lot_subject(n: BlockNumber) -> Subject {
    let lot = lot(n);
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

/// The manufacturer (bob's organisation) as an attestation subject.
pub fn maker_subject() -> Subject {
    Subject::Organisation(Uscc::parse(MAKER_USCC).unwrap())
}

/// The regulator's inspector attesting `subject` under `schema` in block `n`.
pub fn attest(schema: SchemaId, subject: Subject, n: BlockNumber, time: Moment) -> RuntimeCall {
    RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema,
        subject,
        digest: sha256(format!("document of block {n}").as_bytes()),
        uri: None,
        valid_from: time,
        valid_until: None,
    })
}

/// The next nonce of a dev account in `state`.
pub fn nonce(state: Arc<dyn StateBackend>, name: &str) -> u64 {
    let who = dev_account(name);
    Externalities::new(state).execute_with(|| System::account_nonce(&who))
}

/// Signs `calls` with consecutive nonces per signer, starting at each signer's nonce in `state`.
pub fn sign(
    exec: &Executive,
    state: Arc<dyn StateBackend>,
    valid_until: BlockNumber,
    calls: Vec<(&'static str, RuntimeCall)>,
) -> Vec<SignedTransaction> {
    let mut next: Vec<(&str, u64)> = Vec::new();
    calls
        .into_iter()
        .map(|(who, call)| {
            let slot = match next.iter().position(|(n, _)| *n == who) {
                Some(i) => i,
                None => {
                    next.push((who, nonce(state.clone(), who)));
                    next.len() - 1
                }
            };
            let nonce = next[slot].1;
            next[slot].1 += 1;
            SignedTransaction::sign(
                &dev_key(who),
                &exec.context().genesis_hash,
                SPEC_VERSION,
                nonce,
                valid_until,
                call,
            )
        })
        .collect()
}

/// Builds block `parent.number + 1` with [`calls`], proposed by alice.
pub fn build(exec: &Executive, state: Arc<dyn StateBackend>, parent: &Header) -> BuiltBlock {
    let n = parent.number + 1;
    let time = parent.timestamp + 1_000;
    let txs = sign(exec, state.clone(), n + 10, calls(n, time));
    build_with(exec, state, parent, txs)
}

/// Builds the block after `parent` from `txs`, proposed by alice, one second later.
pub fn build_with(
    exec: &Executive,
    state: Arc<dyn StateBackend>,
    parent: &Header,
    txs: Vec<SignedTransaction>,
) -> BuiltBlock {
    let built = exec
        .build_block(
            state,
            parent,
            dev_account("alice"),
            parent.timestamp + 1_000,
            txs,
            &|_| false,
        )
        .unwrap();
    assert!(
        built.rejected.is_empty(),
        "block {}: rejected {:?}",
        built.block.header.number,
        built.rejected
    );
    built
}

/// Every call of a block succeeded.
pub fn assert_all_ok(built: &BuiltBlock) {
    for raw in &built.events {
        let record = raw.decode::<yima_runtime::RuntimeEvent>().unwrap();
        if let yima_runtime::RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) =
            record.event
        {
            panic!(
                "a call of block {} failed: {}",
                built.block.header.number,
                yima_runtime::describe_error(&error)
            );
        }
    }
}

/// A certificate stand-in: the consensus crate's bytes are opaque to storage.
pub fn certificate(n: BlockNumber) -> Vec<u8> {
    format!("certificate of block {n}").into_bytes()
}

/// Opens a store without fsync (tests do not survive power loss anyway).
pub fn open(path: &std::path::Path) -> Store {
    Store::open(
        path,
        StoreOptions {
            sync: false,
            ..StoreOptions::default()
        },
    )
    .unwrap()
}

/// Opens a store and writes the dev genesis if it is empty (genesis is built in memory, as a node does to
/// check a database against its chain spec); returns it and the genesis header.
pub fn open_with_genesis(path: &std::path::Path) -> (Store, Header) {
    let store = open(path);
    let genesis = genesis(Arc::new(MemoryState::new()));
    store.init_genesis(&genesis).unwrap();
    (store, genesis.header)
}

/// Builds and commits the next standard block on `store`; returns what was built.
pub fn produce(store: &Store, exec: &Executive) -> BuiltBlock {
    let state = Arc::new(store.state().unwrap());
    let head = store.head().unwrap().unwrap();
    let built = build(exec, state, &head);
    store
        .commit_block(
            &built.block,
            &certificate(built.block.header.number),
            built.update.clone(),
            &built.events,
        )
        .unwrap();
    built
}

/// A chain in memory, for comparison.
pub struct MemoryChain {
    pub state: Arc<MemoryState>,
    pub head: Header,
    pub exec: Executive,
}

impl MemoryChain {
    pub fn new() -> Self {
        let state = Arc::new(MemoryState::new());
        let genesis = genesis(state.clone());
        state.commit(genesis.update).unwrap();
        Self {
            exec: executive(&genesis.header),
            state,
            head: genesis.header,
        }
    }

    /// Builds and commits the next standard block.
    pub fn produce(&mut self) -> BuiltBlock {
        let built = build(&self.exec, self.state.clone(), &self.head);
        self.state.commit(built.update.clone()).unwrap();
        self.head = built.block.header.clone();
        built
    }
}
